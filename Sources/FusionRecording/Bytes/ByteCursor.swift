import FusionIO

/// Reads little-endian fields from bytes of a recording, checking every length against what is
/// left, so that a lying length is an error at its byte offset and never a read past the end.
struct ByteCursor {
    /// Where the bytes come from, for errors.
    struct Origin {
        /// The recording's path.
        var file: String
        /// The file offset of the first byte, or, for bytes that are not in the file as they are
        /// (a decompressed chunk), the offset of the record they came from.
        var fileOffset: Int
        /// Set for decompressed bytes: what they are ("the chunk's records"), named in errors with the
        /// offset inside them.
        var decompressed: String?
    }

    let bytes: UnsafeRawBufferPointer
    let origin: Origin
    /// Where `bytes` start within the origin's bytes (a record's content inside the file or chunk).
    let base: Int
    private(set) var position: Int

    init(_ bytes: UnsafeRawBufferPointer, origin: Origin, base: Int = 0) {
        self.bytes = bytes
        self.origin = origin
        self.base = base
        self.position = 0
    }

    /// A cursor over `range` of the same bytes, its positions relative to the range's start.
    func sub(_ range: Range<Int>) -> ByteCursor {
        ByteCursor(UnsafeRawBufferPointer(rebasing: bytes[range]), origin: origin, base: base + range.lowerBound)
    }

    /// Moves to `offset` (relative to these bytes' start).
    mutating func seek(to offset: Int) {
        precondition(offset >= 0 && offset <= bytes.count)
        position = offset
    }

    var remaining: Int { bytes.count - position }
    var isAtEnd: Bool { position >= bytes.count }

    /// An error at `offset` (default: the current position) saying what was expected.
    func error(_ message: String, at offset: Int? = nil) -> ReadError {
        let offset = base + (offset ?? position)
        if let what = origin.decompressed {
            return ReadError(
                file: origin.file, location: .byteOffset(origin.fileOffset),
                message: "at byte \(offset) of \(what): \(message)")
        }
        return ReadError(file: origin.file, location: .byteOffset(origin.fileOffset + offset), message: message)
    }

    mutating func skip(_ count: Int, _ what: @autoclosure () -> String) throws(ReadError) {
        guard count >= 0, count <= remaining else {
            throw error("\(what()) needs \(count) bytes, \(remaining) are left")
        }
        position += count
    }

    mutating func read<Value: FixedWidthInteger>(_: Value.Type, _ what: @autoclosure () -> String) throws(ReadError)
        -> Value
    {
        let size = MemoryLayout<Value>.size
        guard size <= remaining else { throw error("expected \(what()) (\(size) bytes), \(remaining) left") }
        let value = bytes.loadUnaligned(fromByteOffset: position, as: Value.self)
        position += size
        return Value(littleEndian: value)
    }

    /// A length read as `Length`, checked to fit in what is left.
    mutating func readLength<Length: FixedWidthInteger>(_: Length.Type, _ what: @autoclosure () -> String)
        throws(ReadError) -> Int
    {
        let start = position
        let length = try read(Length.self, "the length of \(what())")
        guard length <= Length(clamping: remaining) else {
            throw error("\(what()) claims \(length) bytes, only \(remaining) are left", at: start)
        }
        return Int(length)
    }

    /// The next `count` bytes.
    mutating func bytes(_ count: Int, _ what: @autoclosure () -> String) throws(ReadError) -> Range<Int> {
        let start = position
        try skip(count, what())
        return start..<position
    }

    /// An MCAP string: a `UInt32` length, then UTF-8.
    mutating func string(_ what: @autoclosure () -> String) throws(ReadError) -> String {
        let range = try bytes(try readLength(UInt32.self, what()), what())
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}
