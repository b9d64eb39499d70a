// Pre-labelling next to PCL in the same run. Data: KITTI object frame 000001 (120,268 points),
// whole for the pipeline, its points above the road (z > -1.4 m, within 40 m) for clustering
// alone; KITTI 000000-000002 and SUSTech 000965-000975 for frames in parallel.
// Run from Benchmarks/: `swift package benchmark --target Prelabel` (release, baseline x86-64).
import Benchmark
import Foundation
import FusionGeometry
import FusionIO
import FusionPrelabel
import FusionReference

enum Fixture {
    static let scenes =
        ProcessInfo.processInfo.environment["FUSIONLABEL_SCENES"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/scenes").path

    static let aboveGround: PointCloud = {
        do {
            let cloud = try KITTIVelodyne.read(contentsOf: scenes + "/kitti-object/velodyne/000001.bin")
            return cloud.subset(
                (0..<cloud.count).filter { cloud.z[$0] > -1.4 && abs(cloud.x[$0]) < 40 && abs(cloud.y[$0]) < 40 })
        } catch {
            fatalError("benchmark data unavailable (set FUSIONLABEL_SCENES to the shared scenes folder): \(error)")
        }
    }()
    nonisolated(unsafe) static let pcl = try! PCLPointCloud(aboveGround)

    static let sweep: PointCloud = {
        do { return try KITTIVelodyne.read(contentsOf: scenes + "/kitti-object/velodyne/000001.bin") } catch {
            fatalError("benchmark data unavailable (set FUSIONLABEL_SCENES to the shared scenes folder): \(error)")
        }
    }()
    nonisolated(unsafe) static let pclSweep = try! PCLPointCloud(sweep)

    /// 20 million steps of a linear congruential generator: work with no memory traffic.
    @inline(never)
    static func arithmetic(seed: UInt64) -> Double {
        var state = seed
        var sum = 0.0
        for _ in 0..<20_000_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            sum += Double(state >> 40)
        }
        return sum
    }

    static let frames: [PointCloud] = {
        do {
            return try ["000000", "000001", "000002"].map {
                try KITTIVelodyne.read(contentsOf: scenes + "/kitti-object/velodyne/\($0).bin")
            }
                + ["000965", "000970", "000975"].map {
                    try SUSTechPOINTS.readLidar(contentsOf: scenes + "/sustechpoints-example/lidar/\($0).pcd").cloud
                }
        } catch { fatalError("benchmark data unavailable: \(error)") }
    }()
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 2, maxDuration: .seconds(4), maxIterations: 500)

    Benchmark(
        "Euclidean clustering at 0.5 m: FusionPrelabel (one thread)",
        configuration: .init(setup: { blackHole(Fixture.aboveGround.count) })
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(
                EuclideanClustering(tolerance: 0.5, sizes: 10...20_000).labels(of: Fixture.aboveGround).clusterCount)
        }
    }
    Benchmark(
        "Euclidean clustering at 0.5 m: PCL EuclideanClusterExtraction (kd-tree)",
        configuration: .init(setup: { blackHole(Fixture.pcl.count) })
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try! Fixture.pcl.euclideanClusterLabels(tolerance: 0.5, sizes: 10...20_000).clusterCount)
        }
    }

    Benchmark(
        "Pre-label, whole sweep: FusionPrelabel (one thread)",
        configuration: .init(setup: { blackHole(Fixture.sweep.count) })
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Prelabeler().prelabel(Fixture.sweep).proposals.count)
        }
    }
    Benchmark(
        "Pre-label, whole sweep: PCL SACSegmentation + EuclideanClusterExtraction + MomentOfInertiaEstimation",
        configuration: .init(setup: { blackHole(Fixture.pclSweep.count) })
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(
                try! Fixture.pclSweep.prelabel(
                    planeThreshold: 0.2, planeIterations: 100, tolerance: 0.5, sizes: 3...50_000
                ).boxes.count)
        }
    }
    Benchmark(
        "Ground segmentation, whole sweep: FusionPrelabel",
        configuration: .init(setup: { blackHole(Fixture.sweep.count) })
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(GroundSegmentation().ground(of: Fixture.sweep)?.offset)
        }
    }
    Benchmark(
        "Pre-label, 6 frames one after another",
        configuration: .init(setup: { blackHole(Fixture.frames.count) })
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Prelabeler().prelabel(frames: Fixture.frames, maximumConcurrency: 1).map(\.proposals.count))
        }
    }
    Benchmark(
        "Pre-label, 6 frames in parallel (all cores)",
        configuration: .init(setup: { blackHole(Fixture.frames.count) })
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Prelabeler().prelabel(frames: Fixture.frames).map(\.proposals.count))
        }
    }
    // What two cores give on this machine at best: the same arithmetic (no memory traffic), twice,
    // one after another and then in parallel. The frames-in-parallel ratio is read against it.
    Benchmark("Machine ceiling: arithmetic twice, one after another") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Fixture.arithmetic(seed: 1) + Fixture.arithmetic(seed: 2))
        }
    }
    Benchmark("Machine ceiling: arithmetic twice, in parallel") { benchmark in
        for _ in benchmark.scaledIterations {
            // Each task writes its own element.
            nonisolated(unsafe) let results = UnsafeMutableBufferPointer<Double>.allocate(capacity: 2)
            DispatchQueue.concurrentPerform(iterations: 2) { task in
                results[task] = Fixture.arithmetic(seed: UInt64(task + 1))
            }
            blackHole(results[0] + results[1])
            results.deallocate()
        }
    }
}
