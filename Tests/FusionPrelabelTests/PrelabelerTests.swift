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

@Suite struct PrelabelerUnitTests {
    /// Returns on the sides of a 4 × 1.8 × 1.5 m box standing at z = -1.7, 10 m ahead.
    static func carReturns() -> [SIMD3<Float>] {
        var points: [SIMD3<Float>] = []
        for step in 0...40 {
            for row in 0...10 {
                let z = Float(-1.6) + Float(row) * 0.14
                points.append(SIMD3(8 + Float(step) * 0.1, 0.9, z))
                if step <= 18 { points.append(SIMD3(8, 0.9 - Float(step) * 0.1, z)) }
            }
        }
        return points
    }

    /// With no ground found, the box stands on its lowest return and is still proposed.
    @Test func withoutAGroundBoxesStandOnTheirLowestReturn() throws {
        let points = Self.carReturns()
        let proposal = try #require(Prelabeler().propose(points, indices: Array(points.indices), groundHeight: { _, _ in -.infinity }))
        let bottom = proposal.fit.cuboid.center.z - proposal.fit.cuboid.size.height / 2
        #expect(abs(bottom + 1.6) < 1e-6 && abs(proposal.fit.cuboid.size.height - 1.4) < 1e-5)
        #expect(proposal.kind == .car, "\(proposal.classProbabilities)")
        // A ground 10 cm under the lowest return puts the bottom there.
        let onGround = try #require(Prelabeler().propose(points, indices: Array(points.indices), groundHeight: { _, _ in -1.7 }))
        #expect(abs(onGround.fit.cuboid.center.z - onGround.fit.cuboid.size.height / 2 + 1.7) < 1e-6)
    }
}
