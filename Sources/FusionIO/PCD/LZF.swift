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

    /// Decompresses `input` into `output`, which must be filled exactly.
    /// - Complexity: O(input + output), no allocation.
    static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(DecodeFailure) {
        let source = input.bindMemory(to: UInt8.self)
        let target = output.bindMemory(to: UInt8.self)
        var inputIndex = 0, outputIndex = 0
        while inputIndex < source.count {
            let chunkStart = inputIndex
            let control = Int(source[inputIndex])
            inputIndex += 1
            if control < 32 {
                let length = control + 1
                guard inputIndex + length <= source.count else { throw .truncatedInput(offset: chunkStart) }
                guard outputIndex + length <= target.count else { throw .outputOverflow(offset: chunkStart) }
                (target.baseAddress! + outputIndex).update(from: source.baseAddress! + inputIndex, count: length)
                inputIndex += length
                outputIndex += length
            } else {
                var length = control >> 5
                if length == 7 {
                    guard inputIndex < source.count else { throw .truncatedInput(offset: chunkStart) }
                    length += Int(source[inputIndex])
                    inputIndex += 1
                }
                length += 2
                guard inputIndex < source.count else { throw .truncatedInput(offset: chunkStart) }
                let reference = outputIndex - ((control & 0x1f) << 8) - Int(source[inputIndex]) - 1
                inputIndex += 1
                guard reference >= 0 else { throw .referenceBeforeStart(offset: chunkStart) }
                guard outputIndex + length <= target.count else { throw .outputOverflow(offset: chunkStart) }
                if outputIndex - reference >= length {
                    (target.baseAddress! + outputIndex).update(from: target.baseAddress! + reference, count: length)
                } else {
                    // The reference overlaps the bytes it produces (a run): copy byte by byte.
                    for k in 0..<length { target[outputIndex + k] = target[reference + k] }
                }
                outputIndex += length
            }
        }
        guard outputIndex == target.count else { throw .shortOutput(produced: outputIndex) }
    }

    /// Compresses `input` with a greedy hash-chain-free matcher (one candidate per 3-byte hash, as
    /// liblzf does). Any LZF decoder, including PCL's, reads the result.
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
                for k in start..<(start + length) { output.append(source[k]) }
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
               source[candidate + 2] == source[index + 2] {
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
