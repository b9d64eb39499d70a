import Foundation
import FusionIO

/// Bytes that stay where they are while anything refers to them: a file mapped into memory, or a
/// buffer a chunk was decompressed into. Messages read from a recording point into one of these
/// (`ByteSlice`) instead of copying their payload.
public final class ByteBuffer: @unchecked Sendable {
    /// The bytes. Never written after initialisation, hence sendable.
    public let bytes: UnsafeRawBufferPointer
    private let release: () -> Void

    private init(bytes: UnsafeRawBufferPointer, release: @escaping () -> Void) {
        self.bytes = bytes
        self.release = release
    }

    deinit { release() }

    /// The file at `path`, mapped read-only (its pages are read when touched and can be dropped by
    /// the system under memory pressure: reading a 10 GB recording does not take 10 GB of memory).
    /// - Throws: `ReadError` when the file is missing, unreadable or a directory.
    static func mapping(_ path: String) throws(ReadError) -> ByteBuffer {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw ReadError(file: path, location: .file, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            throw ReadError(file: path, location: .file, message: "not a regular file")
        }
        let count = Int(status.st_size)
        guard count > 0 else { return ByteBuffer(bytes: UnsafeRawBufferPointer(start: nil, count: 0), release: {}) }
        guard let start = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0), start != MAP_FAILED else {
            throw ReadError(
                file: path, location: .file, message: "cannot map into memory: \(String(cString: strerror(errno)))")
        }
        return ByteBuffer(bytes: UnsafeRawBufferPointer(start: start, count: count)) { munmap(start, count) }
    }

    /// Takes ownership of `count` bytes at `start`, allocated with `malloc` (freed with `free`).
    static func adopting(mallocated start: UnsafeMutableRawPointer, count: Int) -> ByteBuffer {
        ByteBuffer(bytes: UnsafeRawBufferPointer(start: start, count: count)) { free(start) }
    }

    /// A copy of `data`.
    public static func copying(_ data: some Collection<UInt8>) -> ByteBuffer {
        let count = data.count
        guard count > 0, let start = malloc(count) else {
            return ByteBuffer(bytes: UnsafeRawBufferPointer(start: nil, count: 0), release: {})
        }
        let buffer = UnsafeMutableRawBufferPointer(start: start, count: count)
        buffer.copyBytes(from: data)
        return adopting(mallocated: start, count: count)
    }
}

/// A range of a `ByteBuffer`, which it keeps alive: a message's payload, a `uint8[]` field.
public struct ByteSlice: Sendable {
    public let buffer: ByteBuffer
    public let range: Range<Int>

    public init(_ buffer: ByteBuffer, _ range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= buffer.bytes.count)
        self.buffer = buffer
        self.range = range
    }

    /// The whole of `buffer`.
    public init(_ buffer: ByteBuffer) { self.init(buffer, 0..<buffer.bytes.count) }

    public var count: Int { range.count }

    /// The bytes, valid while this slice (or its buffer) is alive.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: buffer.bytes[range]) }

    /// A part of this slice, by offsets relative to its start.
    func slice(_ relative: Range<Int>) -> ByteSlice {
        ByteSlice(buffer, (range.lowerBound + relative.lowerBound)..<(range.lowerBound + relative.upperBound))
    }

    /// The bytes copied into an array.
    public var array: [UInt8] { [UInt8](bytes) }
}
