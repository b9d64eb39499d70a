import Foundation
import FusionGeometry
import Testing

@testable import FusionIO

/// Bad headers and payloads: each gets a ReadError that says where, and nothing is allocated for
/// sizes the file cannot back.
@Suite struct PCDMalformedInputTests {
    static func header(
        fields: String = "x y z", size: String = "4 4 4", type: String = "F F F", count: String = "1 1 1",
        width: String = "2", height: String = "1", points: String? = nil, data: String = "binary"
    ) -> String {
        """
        # .PCD v0.7
        VERSION 0.7
        FIELDS \(fields)
        SIZE \(size)
        TYPE \(type)
        COUNT \(count)
        WIDTH \(width)
        HEIGHT \(height)
        VIEWPOINT 0 0 0 1 0 0 0
        POINTS \(points ?? width)
        DATA \(data)

        """
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var location: ReadError.Location
        var messageContains: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "no DATA line", bytes: Array("VERSION 0.7\nFIELDS x y z\n".utf8), location: .file,
            messageContains: "DATA"),
        Case(
            name: "unknown type", bytes: Array(header(type: "F F Q").utf8), location: .line(5),
            messageContains: "not a PCD type"),
        Case(
            name: "float of size 2", bytes: Array(header(size: "4 4 2").utf8), location: .line(5),
            messageContains: "SIZE 2"),
        Case(
            name: "negative size", bytes: Array(header(size: "4 -4 4").utf8), location: .line(4),
            messageContains: "non-negative"),
        Case(
            name: "SIZE list too short", bytes: Array(header(size: "4 4").utf8), location: .line(4),
            messageContains: "expected 3 SIZE"),
        Case(
            name: "POINTS disagrees", bytes: Array(header(points: "5").utf8), location: .line(10),
            messageContains: "differs from WIDTH"),
        Case(
            name: "2^62 points", bytes: Array(header(width: "4611686018427387904").utf8) + [0, 0, 0, 0],
            location: .line(11), messageContains: "overflows"),
        // Found by the fuzzer: empty clouds whose COUNT asked for a million columns took seconds,
        // and for 56,616 columns 25 ms (from 320 bytes).
        Case(
            name: "a million values a point",
            bytes: Array(
                header(
                    fields: "x y z h", size: "4 4 4 4", type: "F F F F", count: "1 1 1 1000000",
                    width: "0"
                ).utf8),
            location: .line(6), messageContains: "at most 4096"),
        Case(
            name: "56,616 values a point",
            bytes: Array(
                header(
                    fields: "x y z h g", size: "4 4 4 1 1", type: "F F F I I", count: "1 1 1 51615 5001",
                    width: "0", data: "ascii"
                ).utf8),
            location: .line(6), messageContains: "at most 4096"),
        Case(
            name: "more points than bytes",
            bytes: Array(header(width: "1000000").utf8) + Array(repeating: 0, count: 24),
            location: .byteOffset(header(width: "1000000").utf8.count), messageContains: "only 24 bytes follow"),
        Case(
            name: "unknown encoding", bytes: Array(header(data: "zip").utf8), location: .line(11),
            messageContains: "binary_compressed"),
        Case(
            name: "no xyz", bytes: Array(header(fields: "a b c", width: "0").utf8), location: .file,
            messageContains: "expected fields x, y and z"),
        Case(
            name: "10 GB LZF claim in a tiny file",
            bytes: Array(header(width: "0", data: "binary_compressed").utf8) + le32(4) + le32(2_500_000_000) + [
                0, 0, 0, 0
            ],
            location: .byteOffset(header(width: "0", data: "binary_compressed").utf8.count + 4),
            messageContains: "differs from"),
        Case(
            name: "LZF expansion beyond what the bytes allow",
            bytes: Array(header(width: "1000", data: "binary_compressed").utf8) + le32(4) + le32(12_000) + [0, 0, 0, 0],
            location: .byteOffset(header(width: "1000", data: "binary_compressed").utf8.count + 4),
            messageContains: "cannot come from"),
        Case(
            name: "truncated LZF stream",
            bytes: Array(header(width: "1", data: "binary_compressed").utf8) + le32(2) + le32(12) + [5, 1],
            location: .byteOffset(header(width: "1", data: "binary_compressed").utf8.count + 8),
            messageContains: "ends inside a chunk"),
        Case(
            name: "ascii line with too few values", bytes: Array((header(data: "ascii") + "1 2 3\n4 5\n").utf8),
            location: .line(13), messageContains: "expected 3 values"),
        Case(
            name: "ascii word instead of number", bytes: Array((header(data: "ascii") + "1 2 3\n4 five 6\n").utf8),
            location: .line(13), messageContains: "'five'"),
        Case(
            name: "ascii with fewer points than claimed", bytes: Array((header(data: "ascii") + "1 2 3\n").utf8),
            location: .line(13), messageContains: "the file has 1")
    ]

    @Test(arguments: cases)
    func malformedInputIsReportedWithItsLocation(testCase: Case) {
        do {
            _ = try PCDReader.read(Data(testCase.bytes), file: "bad.pcd")
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "bad.pcd")
            #expect(error.location == testCase.location, "\(error)")
            #expect(error.message.contains(testCase.messageContains), "\(error)")
        }
    }

    @Test func trailingBytesAfterThePayloadAreIgnored() throws {
        let payload = Self.bytes(of: [1, 2, 3, 4, 5, 6])
        let file = try PCDReader.read(Data(Array(Self.header().utf8) + payload + Array(repeating: 0, count: 3848)))
        #expect(file.cloud.count == 2)
        #expect(file.cloud[1] == SIMD3(4, 5, 6))
    }

    @Test func countZeroPaddingTakesNoBytes() throws {
        let header = Self.header(
            fields: "x y z _ _", size: "4 4 4 1 4", type: "F F F U F", count: "1 1 1 0 1", width: "1")
        let payload = Self.bytes(of: [1, 2, 3, 99])
        let file = try PCDReader.read(Data(Array(header.utf8) + payload))
        #expect(file.header.pointStep == 16)
        #expect(file.cloud[0] == SIMD3(1, 2, 3))
        #expect(file.cloud.attributes.scalars.isEmpty)
    }

    static func bytes(of floats: [Float]) -> [UInt8] { floats.withUnsafeBytes { Array($0) } }

    static func le32(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
}
