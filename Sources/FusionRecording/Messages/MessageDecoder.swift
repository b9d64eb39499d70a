/// Decodes serialized ROS messages by their schema: ROS 2's CDR (XCDR1, either byte order, the
/// 4-byte encapsulation header, fields aligned to their size from after the header) and ROS 1's
/// serialization (little-endian, unaligned, strings without terminator).
///
/// Every count and length is checked against the bytes left before anything is allocated.
public struct MessageDecoder: Sendable {
    public enum Wire: Sendable {
        /// ROS 2, `cdr` message encoding.
        case cdr
        /// ROS 1, `ros1` message encoding.
        case ros1
    }

    public let schema: MessageSchema
    public let wire: Wire

    public init(schema: MessageSchema, wire: Wire) {
        self.schema = schema
        self.wire = wire
    }

    /// The message in `payload`.
    /// - Throws: `MessageDecodingError` with the payload offset where the bytes ran out or made no sense.
    public func decode(_ payload: ByteSlice) throws(MessageDecodingError) -> MessageRecord {
        var reader = WireReader(payload: payload, wire: wire)
        try reader.begin()
        return try reader.record(schema.root, schema)
    }
}

/// The decoding state: position, byte order, alignment origin.
private struct WireReader {
    let payload: ByteSlice
    let bytes: UnsafeRawBufferPointer
    let wire: MessageDecoder.Wire
    var position = 0
    var bigEndian = false
    /// CDR aligns relative to the byte after the encapsulation header.
    var alignmentOrigin = 0

    init(payload: ByteSlice, wire: MessageDecoder.Wire) {
        self.payload = payload
        self.bytes = payload.bytes
        self.wire = wire
    }

    func failure(_ message: String) -> MessageDecodingError {
        MessageDecodingError(message: message, payloadOffset: position)
    }

    mutating func begin() throws(MessageDecodingError) {
        guard wire == .cdr else { return }
        guard bytes.count >= 4 else {
            throw failure("a CDR payload needs its 4-byte encapsulation header, it has \(bytes.count) bytes")
        }
        switch (bytes[0], bytes[1]) {
        case (0x00, 0x00): bigEndian = true
        case (0x00, 0x01): bigEndian = false
        default:
            throw failure(
                "unsupported CDR encapsulation 0x\(String(bytes[0], radix: 16))\(String(bytes[1], radix: 16)) (expected plain CDR, 0x0000 or 0x0001)"
            )
        }
        position = 4
        alignmentOrigin = 4
    }

    mutating func align(_ size: Int) throws(MessageDecodingError) {
        guard wire == .cdr, size > 1 else { return }
        let misalignment = (position - alignmentOrigin) % size
        if misalignment != 0 { try skip(size - misalignment, "alignment padding") }
    }

    mutating func skip(_ count: Int, _ what: String) throws(MessageDecodingError) {
        guard count <= bytes.count - position else {
            throw failure("\(what) needs \(count) bytes, \(bytes.count - position) are left")
        }
        position += count
    }

    mutating func integer<Value: FixedWidthInteger>(_: Value.Type, _ what: String) throws(MessageDecodingError) -> Value
    {
        let size = MemoryLayout<Value>.size
        try align(size)
        guard size <= bytes.count - position else {
            throw failure("\(what) needs \(size) bytes, \(bytes.count - position) are left")
        }
        let raw = bytes.loadUnaligned(fromByteOffset: position, as: Value.self)
        position += size
        return bigEndian ? Value(bigEndian: raw) : Value(littleEndian: raw)
    }

    /// A sequence or string length, checked against the bytes left (each element takes at least `minimumSize`).
    mutating func count(_ what: String, minimumSize: Int) throws(MessageDecodingError) -> Int {
        let count = Int(try integer(UInt32.self, "the length of \(what)"))
        let left = bytes.count - position
        guard minimumSize == 0 ? count <= (1 << 20) : count <= left / minimumSize else {
            throw failure("\(what) claims \(count) elements, more than the \(left) bytes left can hold")
        }
        return count
    }

    mutating func record(_ definition: MessageDefinition, _ schema: MessageSchema) throws(MessageDecodingError)
        -> MessageRecord
    {
        var values: [MessageValue] = []
        values.reserveCapacity(definition.fields.count)
        for field in definition.fields {
            values.append(try value(of: field, in: definition, schema))
        }
        return MessageRecord(type: definition.name, names: definition.fields.map(\.name), values: values)
    }

    mutating func value(of field: MessageDefinition.Field, in parent: MessageDefinition, _ schema: MessageSchema)
        throws(MessageDecodingError) -> MessageValue
    {
        let what = "\(parent.name).\(field.name)"
        let count: Int
        switch field.multiplicity {
        case .single: return try element(field.type, what, schema)
        case .fixed(let fixed): count = fixed
        case .sequence: count = try self.count(what, minimumSize: Self.minimumSize(of: field.type, schema))
        }
        if case .primitive(let primitive) = field.type, [.uint8, .int8, .byte, .char].contains(primitive) {
            let start = position
            try skip(count, what)
            return .bytes(payload.slice(start..<position))
        }
        guard count <= bytes.count - position || Self.minimumSize(of: field.type, schema) == 0 else {
            throw failure("\(what) needs \(count) elements, \(bytes.count - position) bytes are left")
        }
        var elements: [MessageValue] = []
        elements.reserveCapacity(count)
        for _ in 0..<count { elements.append(try element(field.type, what, schema)) }
        return .list(elements)
    }

    mutating func element(_ type: MessageDefinition.FieldType, _ what: String, _ schema: MessageSchema)
        throws(MessageDecodingError) -> MessageValue
    {
        switch type {
        case .message(let name):
            guard let definition = schema.definitions[name] else { throw failure("\(what): no definition of \(name)") }
            return .record(try record(definition, schema))
        case .primitive(let primitive):
            switch primitive {
            case .bool: return .bool(try integer(UInt8.self, what) != 0)
            case .byte, .uint8, .char: return .unsigned(UInt64(try integer(UInt8.self, what)))
            case .int8: return .integer(Int64(try integer(Int8.self, what)))
            case .uint16: return .unsigned(UInt64(try integer(UInt16.self, what)))
            case .int16: return .integer(Int64(try integer(Int16.self, what)))
            case .uint32: return .unsigned(UInt64(try integer(UInt32.self, what)))
            case .int32: return .integer(Int64(try integer(Int32.self, what)))
            case .uint64: return .unsigned(try integer(UInt64.self, what))
            case .int64: return .integer(try integer(Int64.self, what))
            case .float32: return .real(Double(Float(bitPattern: try integer(UInt32.self, what))))
            case .float64: return .real(Double(bitPattern: try integer(UInt64.self, what)))
            case .string: return .text(try string(what))
            case .wstring:
                // UTF-16 (ROS 2) code units; rare in sensor messages.
                let units = try self.count(what, minimumSize: 2)
                var text: [UInt16] = []
                for _ in 0..<units { text.append(try integer(UInt16.self, what)) }
                return .text(String(decoding: text.prefix { $0 != 0 }, as: UTF16.self))
            case .time, .duration:
                let seconds =
                    primitive == .time ? Int64(try integer(UInt32.self, what)) : Int64(try integer(Int32.self, what))
                let nanoseconds = try integer(UInt32.self, what)
                return .record(
                    MessageRecord(
                        type: primitive.rawValue, names: ["sec", "nanosec"],
                        values: [.integer(seconds), .unsigned(UInt64(nanoseconds))]))
            }
        }
    }

    /// A CDR string counts its terminating NUL; a ROS 1 string does not have one.
    mutating func string(_ what: String) throws(MessageDecodingError) -> String {
        let length = try count(what, minimumSize: 1)
        let start = position
        try skip(length, what)
        var end = position
        if wire == .cdr, end > start, bytes[end - 1] == 0 { end -= 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// The fewest bytes one element of `type` can take (0 for a message with no fields).
    static func minimumSize(of type: MessageDefinition.FieldType, _ schema: MessageSchema) -> Int {
        switch type {
        case .primitive(let primitive): return primitive.size
        case .message(let name):
            return (schema.definitions[name]?.fields ?? []).reduce(0) { total, field in
                switch field.multiplicity {
                case .single: total + minimumSize(of: field.type, schema)
                case .fixed(let count): total + count * minimumSize(of: field.type, schema)
                case .sequence: total + 4
                }
            }
        }
    }
}
