import Foundation
import FusionGeometry
import FusionTestSupport
import Testing

@testable import FusionIO

@Suite struct PCDRoundTripTests {
    static func sampleCloud(organized: Bool = false) -> PointCloud {
        var random = SeededRandomNumberGenerator(seed: 42)
        let count = 600
        var x = (0..<count).map { _ in Float(random.nextGaussian() * 30) }
        x[7] = .nan
        x[8] = -0.0  // the sign of zero survives every encoding
        let attributes = PointAttributes(
            intensity: (0..<count).map { Float($0 % 256) },
            ring: (0..<count).map { UInt16($0 % 64) },
            time: (0..<count).map { 1_700_000_000.05 + Double($0) * 1e-6 },
            color: (0..<count).map {
                PointColor(red: UInt8($0 % 256), green: 7, blue: UInt8(255 - $0 % 256), alpha: 200)
            },
            scalars: ["rcs": (0..<count).map { Float($0) / 8 - 10 }])
        return PointCloud(
            x: x, y: (0..<count).map { _ in Float(random.nextGaussian() * 30) },
            z: (0..<count).map { _ in Float(random.nextGaussian()) }, attributes: attributes,
            layout: organized ? .organized(width: 20, height: 30) : .unorganized)
    }

    @Test(arguments: [PCDWriter.Encoding.ascii, .binary, .binaryCompressed])
    func writeThenReadGivesTheSameCloud(encoding: PCDWriter.Encoding) throws {
        for organized in [false, true] {
            let cloud = Self.sampleCloud(organized: organized)
            let read = try PCDReader.read(PCDWriter.data(for: cloud, encoding: encoding)).cloud
            #expect(bitwiseEqual(read, cloud))
        }
    }

    @Test func emptyCloudsRoundTrip() throws {
        for encoding in [PCDWriter.Encoding.ascii, .binary, .binaryCompressed] {
            let read = try PCDReader.read(PCDWriter.data(for: PointCloud(), encoding: encoding)).cloud
            #expect(read.isEmpty)
        }
    }

    @Test func writingIsAtomicAndReplacesTheTarget() throws {
        let folder = try TemporaryFiles.folder("pcd-write")
        defer { TemporaryFiles.remove(folder) }
        let path = folder + "/cloud.pcd"
        try PCDWriter.write(PointCloud(points: [SIMD3(1, 2, 3)]), to: path)
        try PCDWriter.write(Self.sampleCloud(), to: path)
        #expect(try PCDReader.read(contentsOf: path).cloud.count == 600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["cloud.pcd"])
    }

    @Test func lzfRoundTripsRunsLiteralsAndLongMatches() throws {
        var random = SeededRandomNumberGenerator(seed: 9)
        let inputs: [[UInt8]] = [
            [], [1], [1, 2], Array(repeating: 0, count: 10_000),
            (0..<5000).map { _ in UInt8(truncatingIfNeeded: random.next()) },
            (0..<20_000).map { UInt8(($0 / 3) % 7) },
            (0..<300_000).map { index in
                UInt8(truncatingIfNeeded: index % 9 == 0 ? Int(random.next() % 256) : index / 5)
            },
            Array("the quick brown fox jumps over the lazy dog, the quick brown fox".utf8)
        ]
        for input in inputs {
            let compressed = input.withUnsafeBytes { LZF.compress($0) }
            var output: [UInt8] = []
            try compressed.withUnsafeBytes { source in
                try LZF.decompress(source, outputCount: input.count) { offset, bytes in
                    #expect(offset == output.count)
                    output.append(contentsOf: bytes)
                }
            }
            #expect(output == input)
        }
    }
}

/// Equal point for point, bit for bit (NaN equals NaN when its bits match).
func bitwiseEqual(_ a: PointCloud, _ b: PointCloud) -> Bool {
    a.x.map(\.bitPattern) == b.x.map(\.bitPattern) && a.y.map(\.bitPattern) == b.y.map(\.bitPattern)
        && a.z.map(\.bitPattern) == b.z.map(\.bitPattern) && a.layout == b.layout
        && a.attributes.intensity == b.attributes.intensity && a.attributes.ring == b.attributes.ring
        && a.attributes.time == b.attributes.time && a.attributes.color == b.attributes.color
        && a.attributes.scalars == b.attributes.scalars
}
