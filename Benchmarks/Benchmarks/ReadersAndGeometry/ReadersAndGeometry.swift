// Readers and geometry, each next to its PCL equivalent in the same run.
//
// Data: KITTI object frame 000001 (120,268 points, x y z reflectance) from ../shared/scenes, copied
// once, in setup, to a temporary folder as its .bin and as PCD ascii, binary and binary_compressed
// (x y z intensity), so that every reader reads from the same disk. The text and JSON readers read
// the largest label files at hand: KITTI tracking sequence 0015 and the sample scene's OpenLABEL.
// Run from Benchmarks/: `swift package benchmark` (release build, baseline x86-64 target).
import Benchmark
import Foundation
import FusionGeometry
import FusionIO
import FusionReference

enum Fixture {
    static let scenes =
        ProcessInfo.processInfo.environment["FUSIONLABEL_SCENES"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/scenes").path
    static let sharedScan = scenes + "/kitti-object/velodyne/000001.bin"
    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fusionlabel-benchmarks").path
    static let kittiScan = folder + "/000001.bin"
    static let binaryPCD = folder + "/000001.binary.pcd"
    static let compressedPCD = folder + "/000001.binary_compressed.pcd"
    static let asciiPCD = folder + "/000001.ascii.pcd"
    static let trackingLabels = scenes + "/kitti-tracking-val/label_02/0015.txt"
    static let openLABEL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
            "SampleScenes/urban/labels/ground_truth.openlabel.json"
        ).path

    /// Writes the PCD copies of the KITTI scan (once per process).
    static let prepared: Void = {
        do {
            let scan = try KITTIVelodyne.read(contentsOf: sharedScan)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try FileAccess.writeAtomically(KITTIVelodyne.data(for: scan), to: kittiScan)
            try PCDWriter.write(scan, to: binaryPCD, encoding: .binary)
            try PCDWriter.write(scan, to: compressedPCD, encoding: .binaryCompressed)
            try PCDWriter.write(scan, to: asciiPCD, encoding: .ascii)
        } catch {
            fatalError("benchmark data unavailable (set FUSIONLABEL_SCENES to the shared scenes folder): \(error)")
        }
    }()

    /// The scan in memory and in PCL, loaded once (in setup) so that the loops below measure warm data.
    static let scan: PointCloud = {
        do { return try KITTIVelodyne.read(contentsOf: sharedScan) } catch { fatalError("\(error)") }
    }()
    nonisolated(unsafe) static let pclScan: PCLPointCloud = {
        do { return try PCLPointCloud(scan) } catch { fatalError("\(error)") }
    }()
    /// Moved in place, iteration after iteration.
    nonisolated(unsafe) static var movingScan = scan

    /// 1,000 seeded box pairs, overlapping or near each other, upright or tilted.
    static func boxPairs(tilted: Bool) -> [(Cuboid, Cuboid)] {
        var random = SeededRandomNumberGenerator(seed: tilted ? 2 : 1)
        func box(near center: SIMD3<Double>) -> Cuboid {
            let size = Size3(
                length: random.nextDouble(in: 3.5..<5), width: random.nextDouble(in: 1.6..<2.1),
                height: random.nextDouble(in: 1.4..<1.8))
            let position =
                center
                + SIMD3(
                    random.nextDouble(in: -1.5..<1.5), random.nextDouble(in: -1..<1), random.nextDouble(in: -0.2..<0.2))
            let yaw = random.nextDouble(in: -.pi..<(.pi))
            let rotation =
                tilted
                ? UnitQuaternion(
                    eulerXYZ: SIMD3(random.nextDouble(in: -0.1..<0.1), random.nextDouble(in: -0.1..<0.1), yaw))
                : UnitQuaternion(yaw: yaw)
            return Cuboid(center: position, size: size, rotation: rotation)
        }
        return (0..<1000).map { _ in
            let center = SIMD3(random.nextDouble(in: -40..<40), random.nextDouble(in: -40..<40), 0.8)
            return (box(near: center), box(near: center))
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    // No per-iteration memory sampling: reading /proc each iteration adds a fixed cost that would
    // distort the ratios between fast loops.
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 3, maxDuration: .seconds(4), maxIterations: 2000)

    for (encoding, path) in [
        ("binary", Fixture.binaryPCD), ("binary_compressed", Fixture.compressedPCD), ("ascii", Fixture.asciiPCD)
    ] {
        Benchmark("PCD \(encoding) 120k: FusionIO PCDReader") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try PCDReader.read(contentsOf: path)) }
        } setup: {
            Fixture.prepared
        }
        Benchmark("PCD \(encoding) 120k: PCL loadPCDFile<PointXYZI>") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try PCLReference.loadPCDAsPointXYZI(at: path)) }
        } setup: {
            Fixture.prepared
        }
    }
    Benchmark("KITTI .bin 120k: FusionIO KITTIVelodyne") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try KITTIVelodyne.read(contentsOf: Fixture.kittiScan)) }
    } setup: {
        Fixture.prepared
    }

    // The text and JSON readers, for their time per megabyte (the hardening issue's 100 ms/MB).
    Benchmark("KITTI tracking labels, 0015.txt (0.5 MB): FusionIO") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try KITTITrackedObject.read(contentsOf: Fixture.trackingLabels))
        }
    }
    Benchmark("OpenLABEL, sample scene ground truth (0.9 MB): FusionIO") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try OpenLABELDocument.read(contentsOf: Fixture.openLABEL)) }
    }

    // Overlaps: each iteration is 1,000 pairs, so throughput reads as thousands of pairs per second.
    let upright = Fixture.boxPairs(tilted: false)
    let tilted = Fixture.boxPairs(tilted: true)
    Benchmark("IoU BEV, 1000 upright pairs") { benchmark in
        for _ in benchmark.scaledIterations { for (a, b) in upright { blackHole(a.bevIoU(with: b)) } }
    }
    Benchmark("IoU 3D, 1000 upright pairs") { benchmark in
        for _ in benchmark.scaledIterations { for (a, b) in upright { blackHole(a.iou3D(with: b)) } }
    }
    Benchmark("IoU 3D, 1000 tilted pairs (polyhedron clipping)") { benchmark in
        for _ in benchmark.scaledIterations { for (a, b) in tilted { blackHole(a.iou3D(with: b)) } }
    }
    Benchmark("GIoU 3D, 1000 upright pairs") { benchmark in
        for _ in benchmark.scaledIterations { for (a, b) in upright { blackHole(a.giou3D(with: b)) } }
    }

    // Hot loops over a sweep, against PCL on a pcl::PointCloud<PointXYZ> built in setup.
    let box = Cuboid(center: SIMD3(10, 2, -0.8), size: Size3(length: 4.5, width: 1.9, height: 1.6), yaw: 0.4)
    Benchmark("Points inside a box, 120k points: FusionGeometry") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(Fixture.scan.countPoints(inside: box)) }
    } setup: {
        _ = Fixture.scan
    }
    Benchmark("Points inside a box, 120k points: PCL CropBox") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try Fixture.pclScan.countPoints(inside: box)) }
    } setup: {
        _ = Fixture.pclScan
    }
    let motion = RigidTransform(
        rotation: UnitQuaternion(eulerXYZ: SIMD3(0.01, -0.02, 0.3)), translation: SIMD3(1, 2, 0.1))
    Benchmark("Rigid transform, 120k points: FusionGeometry (in place)") { benchmark in
        for _ in benchmark.scaledIterations { Fixture.movingScan.transform(by: motion) }
    } setup: {
        _ = Fixture.movingScan
    }
    Benchmark("Rigid transform, 120k points: PCL transformPointCloud (in place)") { benchmark in
        for _ in benchmark.scaledIterations { try Fixture.pclScan.transform(by: motion) }
    } setup: {
        _ = Fixture.pclScan
    }
}
