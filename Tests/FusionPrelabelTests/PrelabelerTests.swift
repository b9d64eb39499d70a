import Foundation
import FusionGeometry
import FusionIO
@testable import FusionPrelabel
import FusionReference
import FusionTestSupport
import Testing

@Suite(SharedScenes.required)
struct PrelabelerReplayTests {
    /// Frames in parallel give exactly what one after another gives, and a second run the same bytes.
    @Test func framesInParallelAreDeterministic() throws {
        let frames = try ["000000", "000002"].map { try PrelabelAccuracyTests.kittiFrame($0).cloud }
            + [try PrelabelAccuracyTests.sustechFrame("000970").cloud]
        let sequential = Prelabeler().prelabel(frames: frames, maximumConcurrency: 1)
        let parallel = Prelabeler().prelabel(frames: frames)
        #expect(sequential.count == 3)
        for (one, other) in zip(sequential, parallel) {
            #expect(one.proposals.count > 5)
            #expect(one.proposals.map(\.cuboid) == other.proposals.map(\.cuboid))
            #expect(one.proposals.map(\.kind) == other.proposals.map(\.kind))
            #expect(one.proposals.map(\.flags) == other.proposals.map(\.flags))
        }
    }

    /// The PCL pipeline the benchmark compares against does the same job on the same sweep: most
    /// of the sweep is its ground plane, and it boxes a comparable number of clusters.
    @Test func thePCLBaselineDoesTheSameJob() throws {
        let cloud = try PrelabelAccuracyTests.kittiFrame("000001").cloud
        let pcl = try PCLPointCloud(cloud).prelabel(planeThreshold: 0.2, planeIterations: 100, tolerance: 0.5, sizes: 3...50_000)
        let ours = Prelabeler().prelabel(cloud)
        let ourGround = try #require(ours.ground).mask.filter { $0 }.count
        #expect(Double(pcl.groundCount) > 0.4 * Double(cloud.count) && Double(ourGround) > 0.4 * Double(cloud.count),
                "PCL ground \(pcl.groundCount), ours \(ourGround) of \(cloud.count)")
        #expect(pcl.boxes.count > 50 && pcl.boxes.allSatisfy { $0.extents.min() >= 0 && abs(abs($0.axes.determinant) - 1) < 1e-3 })
    }
}
