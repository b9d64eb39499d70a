import FusionIO

/// Reads an MCAP file (https://mcap.dev/spec): its header, its summary when the writer left one, and
/// its messages, streamed in file order.
///
/// The file is mapped, not loaded: payloads of unchunked messages point into the mapping, those of
/// chunked ones into their chunk's decompressed buffer, which lives as long as a message refers to it.
/// Every length is checked against the bytes that are left, chunk CRCs are verified, and a chunk is
/// decompressed into at most the size it declares (`Limits.maximumChunkSize`).
public final class MCAPReader: Sendable {
    /// Bounds on what the file may ask the reader to allocate.
    public struct Limits: Sendable {
        /// The largest decompressed chunk accepted. Writers use 1–8 MB; the default allows 1 GiB.
        public var maximumChunkSize: Int

        public init(maximumChunkSize: Int = 1 << 30) {
            self.maximumChunkSize = maximumChunkSize
        }
    }

    public let path: String
    public let header: MCAP.Header
    public let limits: Limits
    let file: ByteBuffer
    /// The file offset just after the header record: where the data section's records start.
    let dataStart: Int

    /// Opens `path` and reads its magic and header record.
    /// - Throws: `ReadError` when the file is missing, is not MCAP, or its header record is malformed.
    public convenience init(path: String, limits: Limits = Limits()) throws(ReadError) {
        try self.init(bytes: try ByteBuffer.mapping(path), name: path, limits: limits)
    }

    /// Reads MCAP bytes already in memory; `name` stands for the file in errors.
    public init(bytes file: ByteBuffer, name path: String, limits: Limits = Limits()) throws(ReadError) {
        var cursor = ByteCursor(file.bytes, origin: .init(file: path, fileOffset: 0))
        guard file.bytes.count >= MCAP.magic.count, file.bytes.prefix(MCAP.magic.count).elementsEqual(MCAP.magic) else {
            throw ReadError(
                file: path, location: .byteOffset(0),
                message: "not an MCAP file: expected the magic bytes \\x89MCAP0\\r\\n")
        }
        try cursor.skip(MCAP.magic.count, "the magic")
        let record = try Self.nextRecord(&cursor)
        guard record.opcode == MCAP.Opcode.header.rawValue else {
            throw cursor.error(
                "expected the header record (opcode 0x01), found opcode \(record.opcode)", at: record.start)
        }
        var content = cursor.sub(record.content)
        header = MCAP.Header(
            profile: try content.string("the header's profile"), library: try content.string("the header's library"))
        self.path = path
        self.limits = limits
        self.file = file
        self.dataStart = cursor.position
    }

    /// The messages in file order (within a chunk, in the order written), with the schemas and
    /// channels seen so far.
    public func messages() -> MCAPMessageIterator {
        MCAPMessageIterator(reader: self)
    }

    /// One record's opcode and where its content lies, the cursor moved past it.
    static func nextRecord(_ cursor: inout ByteCursor) throws(ReadError) -> (
        opcode: UInt8, start: Int, content: Range<Int>
    ) {
        let start = cursor.position
        let opcode = try cursor.read(UInt8.self, "a record's opcode")
        let length = try cursor.readLength(UInt64.self, "record 0x\(String(opcode, radix: 16))")
        return (opcode, start, try cursor.bytes(length, "a record's content"))
    }
}
