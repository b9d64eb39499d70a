// Pre-labelling stages next to PCL in the same run. Data: KITTI object frame 000001 (120,268
// points), its points above the road (z > -1.4 m, within 40 m) for clustering.
// Run from Benchmarks/: `swift package benchmark --target Prelabel` (release, baseline x86-64).
import Benchmark
import Foundation
import FusionGeometry
import FusionIO
import FusionPrelabel
import FusionReference

enum Fixture {
    static let scenes = ProcessInfo.processInfo.environment["FUSIONLABEL_SCENES"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/scenes").path

    static let aboveGround: PointCloud = {
        do {
            let cloud = try KITTIVelodyne.read(contentsOf: scenes + "/kitti-object/velodyne/000001.bin")
            return cloud.subset((0..<cloud.count).filter { cloud.z[$0] > -1.4 && abs(cloud.x[$0]) < 40 && abs(cloud.y[$0]) < 40 })
        } catch { fatalError("benchmark data unavailable (set FUSIONLABEL_SCENES to the shared scenes folder): \(error)") }
    }()
    nonisolated(unsafe) static let pcl = try! PCLPointCloud(aboveGround)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 2, maxDuration: .seconds(4), maxIterations: 500)

    Benchmark("Euclidean clustering at 0.5 m: FusionPrelabel (one thread)",
              configuration: .init(setup: { blackHole(Fixture.aboveGround.count) })) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(EuclideanClustering(tolerance: 0.5, sizes: 10...20_000).labels(of: Fixture.aboveGround).clusterCount)
        }
    }
    Benchmark("Euclidean clustering at 0.5 m: PCL EuclideanClusterExtraction (kd-tree)",
              configuration: .init(setup: { blackHole(Fixture.pcl.count) })) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try! Fixture.pcl.euclideanClusterLabels(tolerance: 0.5, sizes: 10...20_000).clusterCount)
        }
    }
}
