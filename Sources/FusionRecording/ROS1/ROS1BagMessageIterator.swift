import FusionIO

/// Streams a ROS 1 bag's messages in file order (see `ROS1Bag`).
public struct ROS1BagMessageIterator: MessageStream {
    private let bag: ROS1Bag
    private var cursor: ByteCursor
    private var chunk: (records: ByteCursor, buffer: ByteBuffer, recordOffset: Int)?
    /// Where the index section starts (from the bag header): the messages end there.
    private var indexPosition: Int?

    public private(set) var schemas: [UInt16: MCAP.Schema] = [:]
    public private(set) var channels: [UInt16: MCAP.Channel] = [:]

    init(bag: ROS1Bag) {
        self.bag = bag
        var cursor = ByteCursor(bag.file.bytes, origin: .init(file: bag.path, fileOffset: 0))
        cursor.seek(to: ROS1Bag.magic.count)
        self.cursor = cursor
    }

    public mutating func next() throws(ReadError) -> MCAP.Message? {
        while true {
            if var records = chunk?.records, let current = chunk {
                if records.isAtEnd {
                    chunk = nil
                    continue
                }
                let record = try ROS1Bag.nextRecord(&records)
                chunk?.records = records
                if let message = try take(
                    record, in: records, buffer: current.buffer, recordOffset: current.recordOffset)
                {
                    return message
                }
                continue
            }
            if cursor.isAtEnd || indexPosition.map({ cursor.position >= $0 }) == true { return nil }
            let record = try ROS1Bag.nextRecord(&cursor)
            switch ROS1Bag.Op(rawValue: try record.op(cursor)) {
            case .bagHeader:
                let position = try record.integer("index_pos", UInt64.self, cursor)
                // 0 while a recording is still being written: read to the end.
                if position > 0 {
                    guard position <= UInt64(bag.file.bytes.count) else {
                        throw cursor.error(
                            "the bag header puts the index at byte \(position), past the end of the file",
                            at: record.start)
                    }
                    indexPosition = Int(position)
                }
            case .chunk:
                chunk = try openChunk(record, recordOffset: record.start)
            default:
                if let message = try take(record, in: cursor, buffer: bag.file, recordOffset: record.start) {
                    return message
                }
            }
        }
    }

    /// Registers a connection, returns a message, steps over anything else.
    private mutating func take(
        _ record: ROS1Bag.Record, in container: ByteCursor, buffer: ByteBuffer, recordOffset: Int
    ) throws(ReadError) -> MCAP.Message? {
        switch ROS1Bag.Op(rawValue: try record.op(container)) {
        case .connection:
            let id = try channelID(try record.integer("conn", UInt32.self, container), container, record)
            let topic = try record.string("topic", container)
            // The data is the connection header: the same field layout as a record header.
            var wrapped = ROS1Bag.Record(start: record.start, fields: [:], data: 0..<0)
            var fields = container.sub(record.data)
            while !fields.isAtEnd {
                let field = try fields.bytes(
                    try fields.readLength(UInt32.self, "a connection header field"), "a connection header field")
                guard let equals = fields.bytes[field].firstIndex(of: UInt8(ascii: "=")) else {
                    throw fields.error("a connection header field without '='", at: field.lowerBound)
                }
                let name = String(
                    decoding: UnsafeRawBufferPointer(rebasing: fields.bytes[field.lowerBound..<equals]), as: UTF8.self)
                wrapped.fields[name] =
                    (record.data.lowerBound + equals + 1)..<(record.data.lowerBound + field.upperBound)
            }
            let type = try wrapped.string("type", container)
            let definition = try wrapped.string("message_definition", container)
            schemas[id + 1] = MCAP.Schema(
                id: id + 1, name: type, encoding: "ros1msg", data: ByteSlice(ByteBuffer.copying(Array(definition.utf8)))
            )
            channels[id] = MCAP.Channel(
                id: id, schemaID: id + 1, topic: topic, messageEncoding: "ros1",
                metadata: ["md5sum": (try? wrapped.string("md5sum", container)) ?? ""])
        case .messageData:
            let id = try channelID(try record.integer("conn", UInt32.self, container), container, record)
            guard channels[id] != nil else {
                throw container.error(
                    "a message on connection \(id), which no record before it defines", at: record.start)
            }
            let time = try record.integer("time", UInt64.self, container)
            let logTime = (time & 0xFFFF_FFFF) * 1_000_000_000 + (time >> 32)
            let data = ByteSlice(
                buffer, (container.base + record.data.lowerBound)..<(container.base + record.data.upperBound))
            return MCAP.Message(
                channelID: id, sequence: 0, logTime: logTime, publishTime: logTime, data: data,
                location: .byteOffset(recordOffset))
        default:
            break
        }
        return nil
    }

    private func channelID(_ connection: UInt32, _ cursor: ByteCursor, _ record: ROS1Bag.Record) throws(ReadError)
        -> UInt16
    {
        guard connection < UInt32(UInt16.max) else {
            throw cursor.error(
                "connection \(connection): more connections than this reader numbers (65534)", at: record.start)
        }
        return UInt16(connection)
    }

    private func openChunk(_ record: ROS1Bag.Record, recordOffset: Int) throws(ReadError) -> (
        records: ByteCursor, buffer: ByteBuffer, recordOffset: Int
    ) {
        let compression = try record.string("compression", cursor)
        let declared = try record.integer("size", UInt32.self, cursor)
        guard Int(declared) <= bag.limits.maximumChunkSize else {
            throw cursor.error(
                "the chunk declares \(declared) uncompressed bytes, more than the \(bag.limits.maximumChunkSize) accepted",
                at: record.start)
        }
        let compressed = UnsafeRawBufferPointer(rebasing: cursor.bytes[record.data])
        if compression == "none" {
            guard Int(declared) == compressed.count else {
                throw cursor.error(
                    "an uncompressed chunk declares \(declared) bytes but holds \(compressed.count)", at: record.start)
            }
            return (cursor.sub(record.data), bag.file, recordOffset)
        }
        guard compression == "bz2" || compression == "lz4" else {
            throw cursor.error(
                "unknown chunk compression \"\(compression)\" (expected none, bz2 or lz4)", at: record.start)
        }
        do {
            let buffer = try Decompression.decompress(compressed, compression: compression, declaredSize: Int(declared))
            let origin = ByteCursor.Origin(
                file: bag.path, fileOffset: recordOffset, decompressed: "the chunk's decompressed records")
            return (ByteCursor(buffer.bytes, origin: origin), buffer, recordOffset)
        } catch {
            throw cursor.error("chunk: \(error)", at: record.start)
        }
    }
}
