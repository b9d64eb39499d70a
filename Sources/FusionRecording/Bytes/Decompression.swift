import CBZip2
import CLZ4
import CZstd
import Foundation

/// Chunk compressions MCAP and ROS 1 bags name, decompressed into exactly the size the chunk declares.
///
/// Output is never larger than declared, and memory follows the output actually produced: the buffer
/// starts at a small multiple of the compressed size and doubles as it fills, so a chunk that claims
/// gigabytes but holds a few bytes costs a few bytes, and a "bomb" stops at its declared size.
enum Decompression {
    enum Failure: Error, CustomStringConvertible {
        /// What went wrong, in words.
        case malformed(String)

        var description: String {
            switch self {
            case .malformed(let reason): reason
            }
        }
    }

    /// The decompressed bytes of `input`, which must come to exactly `declaredSize` bytes.
    static func decompress(_ input: UnsafeRawBufferPointer, compression: String, declaredSize: Int) throws(Failure)
        -> ByteBuffer
    {
        switch compression {
        case "zstd": return try run(input, declaredSize: declaredSize, stepper: try ZstdStepper())
        case "lz4": return try run(input, declaredSize: declaredSize, stepper: try LZ4FrameStepper())
        case "bz2": return try run(input, declaredSize: declaredSize, stepper: try BZip2Stepper())
        default:
            throw .malformed("unknown compression \"\(compression)\" (expected \"\", \"zstd\", \"lz4\" or \"bz2\")")
        }
    }

    /// Feeds `input` through `stepper` into a growing buffer capped at `declaredSize`.
    private static func run(_ input: UnsafeRawBufferPointer, declaredSize: Int, stepper: some DecompressionStepper)
        throws(Failure) -> ByteBuffer
    {
        var capacity = min(declaredSize, max(1 << 16, input.count * 8))
        guard var output = malloc(max(capacity, 1)) else { throw .malformed("out of memory for \(capacity) bytes") }
        var produced = 0
        var consumed = 0
        var finished = false
        do throws(Failure) {
            // Frames may follow one another: go on until every input byte is used and the last frame ended.
            while !(finished && consumed == input.count) {
                if produced == capacity && capacity < declaredSize {
                    capacity = min(declaredSize, capacity * 2)
                    guard let grown = realloc(output, capacity) else {
                        throw Failure.malformed("out of memory for \(capacity) bytes")
                    }
                    output = grown
                }
                let step = try stepper.step(
                    input: UnsafeRawBufferPointer(rebasing: input[consumed...]),
                    output: UnsafeMutableRawBufferPointer(start: output + produced, count: capacity - produced))
                consumed += step.consumed
                produced += step.produced
                finished = step.finished
                if step.consumed == 0 && step.produced == 0 && !(finished && consumed == input.count) {
                    throw Failure.malformed(
                        produced == declaredSize
                            ? "decompresses to more than the declared \(declaredSize) bytes"
                            : "the compressed data ends early (after \(consumed) of \(input.count) bytes, \(produced) bytes out)"
                    )
                }
            }
            guard produced == declaredSize else {
                throw Failure.malformed("decompresses to \(produced) bytes, the chunk declares \(declaredSize)")
            }
        } catch {
            free(output)
            throw error
        }
        return ByteBuffer.adopting(mallocated: output, count: produced)
    }
}

/// One streaming decompressor: consumes some input, produces some output, says when its frame ends.
private protocol DecompressionStepper {
    func step(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) throws(Decompression.Failure)
        -> (consumed: Int, produced: Int, finished: Bool)
}

private final class ZstdStepper: DecompressionStepper {
    private let context: OpaquePointer

    init() throws(Decompression.Failure) {
        guard let context = ZSTD_createDCtx() else { throw .malformed("zstd: cannot create a decompression context") }
        self.context = context
    }

    deinit { ZSTD_freeDCtx(context) }

    func step(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) throws(Decompression.Failure)
        -> (consumed: Int, produced: Int, finished: Bool)
    {
        var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var outBuffer = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        let result = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
        if ZSTD_isError(result) != 0 { throw .malformed("zstd: \(String(cString: ZSTD_getErrorName(result)))") }
        return (inBuffer.pos, outBuffer.pos, result == 0)
    }
}

private final class LZ4FrameStepper: DecompressionStepper {
    private var context: OpaquePointer?

    init() throws(Decompression.Failure) {
        let status = LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(status) == 0, context != nil else {
            throw .malformed("lz4: cannot create a decompression context")
        }
    }

    deinit { LZ4F_freeDecompressionContext(context) }

    func step(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) throws(Decompression.Failure)
        -> (consumed: Int, produced: Int, finished: Bool)
    {
        var produced = output.count
        var consumed = input.count
        let hint = LZ4F_decompress(context, output.baseAddress, &produced, input.baseAddress, &consumed, nil)
        if LZ4F_isError(hint) != 0 { throw .malformed("lz4: \(String(cString: LZ4F_getErrorName(hint)))") }
        return (consumed, produced, hint == 0)
    }
}

private final class BZip2Stepper: DecompressionStepper {
    private var stream = bz_stream()

    init() throws(Decompression.Failure) {
        guard BZ2_bzDecompressInit(&stream, 0, 0) == BZ_OK else {
            throw .malformed("bz2: cannot create a decompression stream")
        }
    }

    deinit { BZ2_bzDecompressEnd(&stream) }

    func step(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) throws(Decompression.Failure)
        -> (consumed: Int, produced: Int, finished: Bool)
    {
        // bzip2 counts in 32-bit lengths: hand it at most 1 GiB at a time.
        let inCount = min(input.count, 1 << 30)
        let outCount = min(output.count, 1 << 30)
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: CChar.self))
        stream.avail_in = UInt32(inCount)
        stream.next_out = output.baseAddress?.assumingMemoryBound(to: CChar.self)
        stream.avail_out = UInt32(outCount)
        let status = BZ2_bzDecompress(&stream)
        guard status == BZ_OK || status == BZ_STREAM_END else {
            throw .malformed("bz2: the stream is corrupt (status \(status))")
        }
        let consumed = inCount - Int(stream.avail_in)
        let produced = outCount - Int(stream.avail_out)
        if status == BZ_STREAM_END && consumed < input.count {
            // Another stream follows: start it fresh.
            BZ2_bzDecompressEnd(&stream)
            guard BZ2_bzDecompressInit(&stream, 0, 0) == BZ_OK else {
                throw .malformed("bz2: cannot create a decompression stream")
            }
        }
        return (consumed, produced, status == BZ_STREAM_END)
    }
}
