import FusionIO

/// Reads a ROS 1 bag (format 2.0: http://wiki.ros.org/Bags/Format/2.0): its messages streamed in
/// file order, chunks (uncompressed, bz2, lz4) decompressed one at a time into at most the size they
/// declare, connections presented as MCAP channels with `ros1msg` schemas.
///
/// Records are a header (fields `name=value`, `op` saying the kind) and data, each length-prefixed;
/// every length is checked against the bytes left. The index section (connection copies, chunk
/// infos, index data) is not needed to stream and is stepped over.
public final class ROS1Bag: Sendable {
    public static let magic = Array("#ROSBAG V2.0\n".utf8)

    enum Op: UInt8 {
        case messageData = 0x02, bagHeader = 0x03, indexData = 0x04, chunk = 0x05, chunkInfo = 0x06, connection = 0x07
    }

    public let path: String
    public let limits: MCAPReader.Limits
    let file: ByteBuffer

    /// Opens `path` and checks its version line.
    public convenience init(path: String, limits: MCAPReader.Limits = .init()) throws(ReadError) {
        try self.init(bytes: try ByteBuffer.mapping(path), name: path, limits: limits)
    }

    /// Reads bag bytes already in memory; `name` stands for the file in errors.
    public init(bytes: ByteBuffer, name: String, limits: MCAPReader.Limits = .init()) throws(ReadError) {
        guard bytes.bytes.count >= Self.magic.count, bytes.bytes.prefix(Self.magic.count).elementsEqual(Self.magic)
        else {
            throw ReadError(
                file: name, location: .byteOffset(0),
                message: "not a ROS 1 bag: expected \"#ROSBAG V2.0\" on the first line")
        }
        path = name
        self.limits = limits
        file = bytes
    }

    /// The messages in file order.
    public func messages() -> ROS1BagMessageIterator {
        ROS1BagMessageIterator(bag: self)
    }

    /// One record: its header fields (values as byte ranges of the cursor's bytes) and data.
    struct Record {
        var start: Int
        var fields: [String: Range<Int>]
        var data: Range<Int>
    }

    static func nextRecord(_ cursor: inout ByteCursor) throws(ReadError) -> Record {
        let start = cursor.position
        let headerRange = try cursor.bytes(try cursor.readLength(UInt32.self, "a record header"), "a record header")
        var header = cursor.sub(headerRange)
        var fields: [String: Range<Int>] = [:]
        while !header.isAtEnd {
            let field = try header.bytes(try header.readLength(UInt32.self, "a header field"), "a header field")
            guard let equals = header.bytes[field].firstIndex(of: UInt8(ascii: "=")) else {
                throw header.error("a header field without '='", at: field.lowerBound)
            }
            let name = String(
                decoding: UnsafeRawBufferPointer(rebasing: header.bytes[field.lowerBound..<equals]), as: UTF8.self)
            fields[name] = (headerRange.lowerBound + equals + 1)..<(headerRange.lowerBound + field.upperBound)
        }
        let data = try cursor.bytes(try cursor.readLength(UInt32.self, "a record's data"), "a record's data")
        return Record(start: start, fields: fields, data: data)
    }
}

extension ROS1Bag.Record {
    func op(_ cursor: ByteCursor) throws(ReadError) -> UInt8 {
        guard let range = fields["op"], range.count == 1 else {
            throw cursor.error("a record without a one-byte op field", at: start)
        }
        return cursor.bytes[range.lowerBound]
    }

    func integer<Value: FixedWidthInteger>(_ name: String, _: Value.Type, _ cursor: ByteCursor) throws(ReadError)
        -> Value
    {
        guard let range = fields[name], range.count == MemoryLayout<Value>.size else {
            throw cursor.error(
                "expected a \(MemoryLayout<Value>.size)-byte \(name) field in the record header", at: start)
        }
        return Value(littleEndian: cursor.bytes.loadUnaligned(fromByteOffset: range.lowerBound, as: Value.self))
    }

    func string(_ name: String, _ cursor: ByteCursor) throws(ReadError) -> String {
        guard let range = fields[name] else {
            throw cursor.error("expected a \(name) field in the record header", at: start)
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: cursor.bytes[range]), as: UTF8.self)
    }
}
