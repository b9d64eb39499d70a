import CBZip2
import CLZ4
import CZstd
import Testing

@testable import FusionRecording

@Suite struct DecompressionTests {
    @Test func crcOfTheStandardCheckString() {
        // CRC-32/ISO-HDLC of "123456789" is 0xCBF43926 (the catalogue's check value).
        let bytes = Array("123456789".utf8)
        #expect(bytes.withUnsafeBytes { CRC32.checksum($0) } == 0xCBF4_3926)
    }

    /// Bytes with some structure, so that compression does not make them trivial.
    static func sample(count: Int) -> [UInt8] {
        var state: UInt32 = 12345
        return (0..<count).map { index in
            state = state &* 1_103_515_245 &+ 12345
            return index % 7 == 0 ? UInt8(truncatingIfNeeded: state >> 16) : UInt8(truncatingIfNeeded: index / 64)
        }
    }

    static func zstd(_ input: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: ZSTD_compressBound(input.count))
        let written = input.withUnsafeBytes { source in
            output.withUnsafeMutableBytes {
                ZSTD_compress($0.baseAddress, $0.count, source.baseAddress, source.count, 3)
            }
        }
        return Array(output[..<written])
    }

    static func lz4Frame(_ input: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: LZ4F_compressFrameBound(input.count, nil))
        let written = input.withUnsafeBytes { source in
            output.withUnsafeMutableBytes {
                LZ4F_compressFrame($0.baseAddress, $0.count, source.baseAddress, source.count, nil)
            }
        }
        return Array(output[..<written])
    }

    static func bzip2(_ input: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: input.count + input.count / 100 + 600)
        var written = UInt32(output.count)
        var source = input
        let status = source.withUnsafeMutableBytes { source in
            output.withUnsafeMutableBytes {
                BZ2_bzBuffToBuffCompress(
                    $0.baseAddress!.assumingMemoryBound(to: CChar.self), &written,
                    source.baseAddress!.assumingMemoryBound(to: CChar.self), UInt32(source.count), 9, 0, 0)
            }
        }
        precondition(status == BZ_OK)
        return Array(output[..<Int(written)])
    }

    static func compress(_ input: [UInt8], _ compression: String) -> [UInt8] {
        switch compression {
        case "zstd": zstd(input)
        case "lz4": lz4Frame(input)
        default: bzip2(input)
        }
    }

    @Test(arguments: ["zstd", "lz4", "bz2"]) func roundTripsThroughTheLibraryCompressors(compression: String) throws {
        // 3 MB: more than the first buffer, so the output grows several times.
        let original = Self.sample(count: 3_000_000)
        let compressed = Self.compress(original, compression)
        let buffer = try compressed.withUnsafeBytes {
            try Decompression.decompress($0, compression: compression, declaredSize: original.count)
        }
        #expect(buffer.bytes.elementsEqual(original))
    }

    @Test(arguments: ["zstd", "lz4", "bz2"]) func aBombStopsAtItsDeclaredSize(compression: String) {
        // 64 MiB of zeros compress to a few kilobytes (bzip2: 16 MiB, to keep the test quick); the chunk claims 1 MiB.
        let zeros = [UInt8](repeating: 0, count: compression == "bz2" ? 16 << 20 : 64 << 20)
        let compressed = Self.compress(zeros, compression)
        #expect(compressed.count < 1 << 20)
        #expect {
            try compressed.withUnsafeBytes {
                try Decompression.decompress($0, compression: compression, declaredSize: 1 << 20)
            }
        } throws: { error in
            "\(error)".contains("more than the declared 1048576 bytes")
        }
    }

    @Test(arguments: ["zstd", "lz4", "bz2"]) func aShortOrCutStreamIsAnError(compression: String) {
        let original = Self.sample(count: 100_000)
        let compressed = Self.compress(original, compression)
        // Declares more than the stream holds.
        #expect(throws: Decompression.Failure.self) {
            try compressed.withUnsafeBytes {
                try Decompression.decompress($0, compression: compression, declaredSize: original.count + 1)
            }
        }
        // The stream cut in half.
        #expect(throws: Decompression.Failure.self) {
            try compressed.withUnsafeBytes {
                try Decompression.decompress(
                    UnsafeRawBufferPointer(rebasing: $0.prefix(compressed.count / 2)), compression: compression,
                    declaredSize: original.count)
            }
        }
        // Garbage.
        #expect(throws: Decompression.Failure.self) {
            try Self.sample(count: 1000).withUnsafeBytes {
                try Decompression.decompress($0, compression: compression, declaredSize: 5000)
            }
        }
    }

    @Test func anUnknownCompressionIsNamed() {
        #expect {
            try [UInt8](repeating: 1, count: 10).withUnsafeBytes {
                try Decompression.decompress($0, compression: "gzip", declaredSize: 10)
            }
        } throws: { error in
            "\(error)".contains("unknown compression \"gzip\"")
        }
    }
}

@Suite struct CRC32Tests {
    /// The textbook bit-at-a-time CRC-32 (reflected polynomial 0xEDB88320): the reference.
    static func bitwise(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    @Test func agreesWithTheBitwiseDefinitionAtEveryLengthAndSplit() {
        let bytes = DecompressionTests.sample(count: 4099)
        for length in [0, 1, 2, 3, 7, 15, 16, 17, 63, 64, 65, 255, 256, 1000, 4099] {
            let prefix = Array(bytes.prefix(length))
            let expected = Self.bitwise(prefix)
            #expect(prefix.withUnsafeBytes { CRC32.checksum($0) } == expected, "length \(length)")
            // Continued over two pieces.
            let split = length / 3
            let first = prefix.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[..<split])) }
            #expect(
                prefix.withUnsafeBytes {
                    CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[split...]), continuing: first)
                } == expected)
        }
    }
}
