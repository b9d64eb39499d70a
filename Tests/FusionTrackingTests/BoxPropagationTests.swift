import FusionGeometry
import FusionSim
import Testing

@testable import FusionTracking

/// "Next frame" on the simulated street, whose ground truth is exact.
@Suite struct BoxPropagationTests {
    static let simulator: SceneSimulator = {
        var simulator = SceneSimulator(seed: 7, frameCount: 3)
        simulator.lidar.azimuthSteps = 1000
        simulator.cameras = []
        return simulator
    }()
    static let world = simulator.world()
    static let frames = (0..<3).map { try! simulator.frame($0, in: world, renderers: []) }

    func worldFromLidar(_ truth: SceneSimulator.GroundTruth) -> RigidTransform {
        Self.simulator.worldFromLidar(at: truth.captureTime - Self.simulator.startTime, in: Self.world)
    }

    /// Cars with enough returns, moving or parked: the box of frame 1, carried to frame 2 by the
    /// velocity seen between frames 0 and 1 and through the ego motion, lands on frame 2's truth;
    /// a box that was 0.5 m off along its length is pulled back by the refit when the points show it.
    @Test func boxesFollowMovingCarsAndTheRefitCorrectsAnOffset() throws {
        var checked = 0
        var moving = 0
        var corrected = 0
        for truth in Self.frames[1].groundTruth where truth.objectClass == .car && truth.points > 80 {
            guard let before = Self.frames[0].groundTruth.first(where: { $0.trackID == truth.trackID }),
                let after = Self.frames[2].groundTruth.first(where: { $0.trackID == truth.trackID })
            else { continue }
            if Self.world.agents[truth.trackID].motion.speed > 1 { moving += 1 }
            let velocity =
                (truth.box.transformed(by: worldFromLidar(truth)).center
                    - before.box.transformed(by: worldFromLidar(before)).center)
                / (truth.captureTime - before.captureTime)
            let propagation = BoxPropagation()
            let exact = propagation.propagate(
                truth.box, velocity: velocity, elapsed: after.captureTime - truth.captureTime,
                worldFromCurrent: worldFromLidar(truth), worldFromNext: worldFromLidar(after),
                nextSweep: Self.frames[2].sweep.cloud)
            #expect(exact.supportingPoints > 50)
            var sloppy = truth.box
            sloppy.center = truth.box.parentFromBox.apply(to: SIMD3(0.5, 0, 0))
            let refitted = propagation.propagate(
                sloppy, velocity: velocity, elapsed: after.captureTime - truth.captureTime,
                worldFromCurrent: worldFromLidar(truth), worldFromNext: worldFromLidar(after),
                nextSweep: Self.frames[2].sweep.cloud)
            // Never worse than the 0.5 m it started with; corrected when the points show the offset end.
            let error = (refitted.box.center - after.box.center).length
            #expect(error < 0.5 + 1e-3, "track \(truth.trackID): refit from a 0.5 m offset")
            if error < 0.15 { corrected += 1 }
            checked += 1
        }
        // Measured: 7 of 10 cars corrected (the others have their offset end hidden).
        #expect(
            checked >= 4 && moving >= 1 && corrected * 3 >= checked * 2,
            "\(corrected) of \(checked) cars corrected, \(moving) moving")
    }

    @Test func withoutPointsThePredictionIsKept() {
        let box = Cuboid(center: SIMD3(10, 0, 0.8), size: Size3(length: 4, width: 1.8, height: 1.5), yaw: 0)
        let result = BoxPropagation().propagate(
            box, velocity: SIMD3(5, 0, 0), elapsed: 0.1, worldFromCurrent: .identity,
            worldFromNext: RigidTransform(translation: SIMD3(1, 0, 0)), nextSweep: PointCloud())
        #expect(result.supportingPoints == 0 && abs(result.box.center.x - 9.5) < 1e-12)
    }
}
