/// LZF, the byte-oriented LZ77 variant (Marc Lehmann's liblzf) that PCD's `binary_compressed`
/// encoding uses.
///
/// A stream is a sequence of chunks, each starting with a control byte `c`:
/// - `c < 32`: a literal run; the next `c + 1` bytes are copied as they are;
/// - otherwise a back-reference of length `(c >> 5) + 2` (if `c >> 5 == 7`, the next byte adds to
///   the length), to the offset `((c & 0x1f) << 8) + next byte + 1` bytes behind the output end.
enum LZF {
    /// The largest output one input byte can produce: a 3-byte back-reference yields 264 bytes.
    static let maximumExpansion = 88

    enum DecodeFailure: Error, Equatable {
        /// The input ends inside a chunk; the offset is where that chunk started.
        case truncatedInput(offset: Int)
        /// The output would exceed its declared size at this input offset.
        case outputOverflow(offset: Int)
        /// A back-reference points before the start of the output.
        case referenceBeforeStart(offset: Int)
        /// The stream ended with fewer output bytes than declared.
        case shortOutput(produced: Int)
    }

    /// The back-reference window: the furthest a reference reaches back.
    static let historyBytes = 8192

    /// Decompresses `input`, which must expand to exactly `outputCount` bytes, and hands the output
    /// to `consume(offset, bytes)` in order, a few tens of kilobytes at a time. The output is never
    /// held whole: decoding runs in a small window that stays in cache, and the caller copies each
    /// piece straight to where it belongs.
    ///
    /// Every chunk is bounds-checked before it is copied. Away from the ends of the input and the
    /// window, short copies move 8 or 16 bytes at a time and may write past the chunk's end, into
    /// window bytes that the following chunks overwrite.
    /// - Complexity: O(input + output); one allocation of about 80 KB.
    static func decompress(
        _ input: UnsafeRawBufferPointer, outputCount: Int,
        consume: (_ offset: Int, _ bytes: UnsafeRawBufferPointer) -> Void
    ) throws(DecodeFailure) {
        let inputCount = input.count
        guard inputCount > 0 else {
            guard outputCount == 0 else { throw .shortOutput(produced: 0) }
            return
        }
        let flushThreshold = 64 * 1024
        let window = UnsafeMutableRawBufferPointer.allocate(byteCount: flushThreshold + 512, alignment: 16)
        defer { window.deallocate() }
        let source = input.baseAddress!
        let target = window.baseAddress!
        var inputIndex = 0
        var windowStart = 0  // output offset of window byte 0
        var windowIndex = 0  // bytes of the window in use
        while inputIndex < inputCount {
            let chunkStart = inputIndex
            let produced = windowStart + windowIndex
            let control = Int(source.load(fromByteOffset: inputIndex, as: UInt8.self))
            inputIndex += 1
            // Room for the largest chunk plus a 16-byte over-copy in the input, the window and the output.
            let hasSlack = inputIndex + 48 <= inputCount && produced + 280 <= outputCount
            if control < 32 {
                let length = control + 1
                if hasSlack {
                    copy16(from: source + inputIndex, to: target + windowIndex)
                    if length > 16 { copy16(from: source + inputIndex + 16, to: target + windowIndex + 16) }
                } else {
                    guard inputIndex + length <= inputCount else { throw .truncatedInput(offset: chunkStart) }
                    guard produced + length <= outputCount else { throw .outputOverflow(offset: chunkStart) }
                    (target + windowIndex).copyMemory(from: source + inputIndex, byteCount: length)
                }
                inputIndex += length
                windowIndex += length
            } else {
                var length = control >> 5
                if length == 7 {
                    guard inputIndex < inputCount else { throw .truncatedInput(offset: chunkStart) }
                    length += Int(source.load(fromByteOffset: inputIndex, as: UInt8.self))
                    inputIndex += 1
                }
                length += 2
                guard inputIndex < inputCount else { throw .truncatedInput(offset: chunkStart) }
                let distance =
                    ((control & 0x1f) << 8) + Int(source.load(fromByteOffset: inputIndex, as: UInt8.self)) + 1
                inputIndex += 1
                guard distance <= produced else { throw .referenceBeforeStart(offset: chunkStart) }
                let reference = windowIndex - distance  // the window keeps the last `historyBytes`
                if hasSlack && distance >= 8 && length <= 8 {
                    // The common short match: one 8-byte move (it reads only bytes written before).
                    (target + windowIndex).storeBytes(
                        of: target.loadUnaligned(fromByteOffset: reference, as: UInt64.self), as: UInt64.self)
                } else if hasSlack && distance >= 16 {
                    // Each 16-byte block reads only bytes written before it.
                    var offset = 0
                    while offset < length {
                        copy16(from: UnsafeRawPointer(target + reference + offset), to: target + windowIndex + offset)
                        offset += 16
                    }
                } else {
                    guard produced + length <= outputCount else { throw .outputOverflow(offset: chunkStart) }
                    // The reference may overlap the bytes it produces (a run): byte by byte.
                    for offset in 0..<length {
                        (target + windowIndex + offset).storeBytes(
                            of: target.load(fromByteOffset: reference + offset, as: UInt8.self), as: UInt8.self)
                    }
                }
                windowIndex += length
            }
            if windowIndex >= flushThreshold {
                // Hand over all but the history, and slide the history to the front.
                let finished = windowIndex - historyBytes
                consume(windowStart, UnsafeRawBufferPointer(start: target, count: finished))
                target.copyMemory(from: target + finished, byteCount: historyBytes)
                windowStart += finished
                windowIndex = historyBytes
            }
        }
        guard windowStart + windowIndex == outputCount else { throw .shortOutput(produced: windowStart + windowIndex) }
        consume(windowStart, UnsafeRawBufferPointer(start: target, count: windowIndex))
    }

    @inline(__always)
    private static func copy16(from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer) {
        target.storeBytes(of: source.loadUnaligned(as: SIMD16<UInt8>.self), as: SIMD16<UInt8>.self)
    }

    /// Compresses `input` greedily, with one candidate per 3-byte hash (as liblzf does). Any LZF
    /// decoder, including PCL's, reads the result.
    /// - Complexity: O(n).
    static func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        let source = input.bindMemory(to: UInt8.self)
        let count = source.count
        var output: [UInt8] = []
        output.reserveCapacity(count + count / 32 + 16)
        guard count > 0 else { return output }

        let hashBits = 14
        var table = [Int](repeating: -1, count: 1 << hashBits)
        var literalStart = 0  // first input byte of the pending literal run
        var index = 0

        func flushLiterals(upTo end: Int) {
            var start = literalStart
            while start < end {
                let length = min(32, end - start)
                output.append(UInt8(length - 1))
                output.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<(start + length)]))
                start += length
            }
            literalStart = end
        }

        while index + 2 < count {
            let key = Int(source[index]) << 16 | Int(source[index + 1]) << 8 | Int(source[index + 2])
            let slot = ((key &* 0x9E37_79B1) >> (32 - hashBits)) & ((1 << hashBits) - 1)
            let candidate = table[slot]
            table[slot] = index
            let distance = index - candidate - 1
            if candidate >= 0, distance < 8192,
                source[candidate] == source[index], source[candidate + 1] == source[index + 1],
                source[candidate + 2] == source[index + 2]
            {
                var length = 3
                let longest = min(264, count - index)
                while length < longest && source[candidate + length] == source[index + length] { length += 1 }
                flushLiterals(upTo: index)
                let encodedLength = length - 2
                if encodedLength < 7 {
                    output.append(UInt8(encodedLength << 5 | distance >> 8))
                } else {
                    output.append(UInt8(7 << 5 | distance >> 8))
                    output.append(UInt8(encodedLength - 7))
                }
                output.append(UInt8(distance & 0xff))
                index += length
                literalStart = index
            } else {
                index += 1
            }
        }
        flushLiterals(upTo: count)
        return output
    }
}
