import FusionGeometry
import FusionIO
import FusionReference
import FusionTestSupport
import Testing

@testable import FusionPrelabel

/// The same clusters as PCL's EuclideanClusterExtraction, point for point, on real sweeps.
@Suite(SharedScenes.required)
struct EuclideanClusteringTests {
    /// Two partitions are equal when labels map one to one (and -1 to -1) over every point.
    static func samePartition(_ a: [Int32], _ b: [Int32]) -> Bool {
        guard a.count == b.count else { return false }
        var forward: [Int32: Int32] = [:]
        var backward: [Int32: Int32] = [:]
        for (x, y) in zip(a, b) {
            if (x == -1) != (y == -1) { return false }
            if forward[x, default: y] != y || backward[y, default: x] != x { return false }
            forward[x] = y
            backward[y] = x
        }
        return true
    }

    static func frames() throws -> [(name: String, cloud: PointCloud)] {
        var frames: [(String, PointCloud)] = []
        for frame in ["000000", "000001", "000002"] {
            let cloud = try KITTIVelodyne.read(contentsOf: try SharedScenes.path("kitti-object/velodyne/\(frame).bin"))
            // Above KITTI's ground (the sensor is 1.73 m up), within 40 m: objects, walls, vegetation.
            let kept = (0..<cloud.count).filter { cloud.z[$0] > -1.4 && abs(cloud.x[$0]) < 40 && abs(cloud.y[$0]) < 40 }
            frames.append(("KITTI \(frame)", cloud.subset(kept)))
        }
        for frame in ["000965", "000970"] {
            let cloud = try SUSTechPOINTS.readLidar(
                contentsOf: try SharedScenes.path("sustechpoints-example/lidar/\(frame).pcd")
            ).cloud
            let kept = (0..<cloud.count).filter {
                cloud.z[$0] > -1.0 && abs(cloud.x[$0]) < 40 && abs(cloud.y[$0]) < 40 && cloud.x[$0].isFinite
            }
            frames.append(("SUSTech \(frame)", cloud.subset(kept)))
        }
        return frames
    }

    /// Every frame at 0.5 m; the first at 0.3 m too.
    @Test(arguments: [0.3, 0.5])
    func clustersMatchPCL(tolerance: Double) throws {
        for (name, cloud) in try Self.frames().prefix(tolerance == 0.5 ? 5 : 1) {
            let ours = EuclideanClustering(tolerance: tolerance, sizes: 10...20_000).labels(of: cloud)
            let pcl = try PCLPointCloud(cloud).euclideanClusterLabels(tolerance: tolerance, sizes: 10...20_000)
            #expect(
                ours.clusterCount == pcl.clusterCount,
                "\(name) at \(tolerance) m: \(ours.clusterCount) against PCL's \(pcl.clusterCount)")
            #expect(Self.samePartition(ours.labels, pcl.labels), "\(name) at \(tolerance) m")
            #expect(ours.clusterCount > 10)
        }
    }
}

@Suite struct EuclideanClusteringUnitTests {
    @Test func aChainJoinsAndAGapSplits() {
        // Points 0.4 m apart form one chain; a 0.6 m gap starts another; a lone point is too small.
        let xs: [Float] = [0, 0.4, 0.8, 1.2, 1.8, 2.2, 10]
        let cloud = PointCloud(x: xs, y: xs.map { _ in 0 }, z: xs.map { _ in 0 })
        let result = EuclideanClustering(tolerance: 0.5, sizes: 2...100).labels(of: cloud)
        #expect(result.labels == [0, 0, 0, 0, 1, 1, -1] && result.clusterCount == 2)
        // The mask leaves points out; non-finite points never join.
        let masked = EuclideanClustering(tolerance: 0.5, sizes: 1...100).labels(
            of: cloud, included: [true, true, false, true, true, true, true])
        #expect(masked.labels == [0, 0, -1, 2, 1, 1, 3])
    }

    /// Cells spread over more than 2³² dense numbers (a return 200 km away) are sorted by
    /// comparison instead of by radix, with the same clusters.
    @Test func farCellsSortByComparisonWithTheSameClusters() {
        let xs: [Float] = [0, 0.4, 0.8, 1.2, 1.8, 2.2, 10]
        let near = PointCloud(x: xs, y: xs.map { _ in 0 }, z: xs.map { _ in 0 })
        let far = PointCloud(x: xs + [150_000], y: xs.map { _ in 0 } + [150_000], z: xs.map { _ in 0 } + [0])
        let clustering = EuclideanClustering(tolerance: 0.5, sizes: 2...100)
        #expect(clustering.labels(of: far).labels == clustering.labels(of: near).labels + [-1])
    }

    /// The radix sort orders like a stable comparison sort: keys of one, two and three digits,
    /// many equal, in a seeded shuffle.
    @Test(arguments: [UInt32(5), 3000, 4_000_000, UInt32.max])
    func radixOrderIsTheStableOrder(largest: UInt32) {
        var generator = SeededRandomNumberGenerator(seed: UInt64(largest))
        let keys = (0..<5000).map { _ in UInt32.random(in: 0...largest, using: &generator) }
        let expected = keys.indices.sorted { (keys[$0], $0) < (keys[$1], $1) }.map { Int32($0) }
        #expect(stableOrder(byKeys: keys) == expected)
        #expect(
            stableOrder(byKeys: []) == [] && stableOrder(byKeys: [7]) == [0] && stableOrder(byKeys: [0, 0]) == [0, 1])
    }
}
