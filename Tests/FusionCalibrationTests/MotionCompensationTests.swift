import FusionGeometry
import FusionIO
import FusionSim
import Testing

@testable import FusionCalibration

/// De-skewing a simulated sweep whose ego motion and per-point firing poses are known exactly.
@Suite struct MotionCompensationTests {
    /// The second frame of the simulated street (ego at 8 m/s, pitching over the road's undulations).
    static let simulator: SceneSimulator = {
        var simulator = SceneSimulator(seed: 7, frameCount: 3)
        simulator.lidar.azimuthSteps = 400
        return simulator
    }()
    static let world = simulator.world()
    static let sweep = try! simulator.frame(1, in: world, renderers: []).sweep

    static func worldFromEgo(at time: Double) -> RigidTransform {
        simulator.street.ego.worldFromEgo(at: time - simulator.startTime, on: world.terrain)
    }

    /// Ego poses every millisecond over the first three frames, so interpolating them is exact to
    /// well below the test's tolerance.
    static var trajectory: PoseTrajectory {
        PoseTrajectory(
            (0...300).map { step in
                let time = simulator.startTime + Double(step) * 1e-3
                return .init(time: time, pose: worldFromEgo(at: time))
            })!
    }

    @Test func deskewedStaticPointsLandWhereTheyWereFired() throws {
        let sweep = Self.sweep
        let egoFromLidar = Self.simulator.egoFromLidar
        let reference = Self.simulator.startTime + 0.15
        let deskewed = try MotionCompensation.deskew(
            sweep.cloud, trajectory: Self.trajectory, egoFromLidar: egoFromLidar, to: reference)
        let worldFromReferenceLidar = Self.worldFromEgo(at: reference) * egoFromLidar
        var worstBefore = 0.0
        var worstAfter = 0.0
        let times = try #require(sweep.cloud.attributes.time)
        for index in 0..<sweep.cloud.count where sweep.agentOfPoint[index] < 0 {
            // Where the simulator put the point: the LiDAR pose at its own firing time.
            let truth = (Self.worldFromEgo(at: times[index]) * egoFromLidar).apply(
                to: SIMD3<Double>(sweep.cloud[index]))
            let skewed = worldFromReferenceLidar.apply(to: SIMD3<Double>(sweep.cloud[index]))
            let corrected = worldFromReferenceLidar.apply(to: SIMD3<Double>(deskewed[index]))
            worstBefore = max(worstBefore, ((skewed - truth) * (skewed - truth)).sum().squareRoot())
            worstAfter = max(worstAfter, ((corrected - truth) * (corrected - truth)).sum().squareRoot())
        }
        // 8 m/s over half a sweep is 0.4 m of skew. After, what remains is Float rounding of ~100 m
        // coordinates and the 5 µs time quantum, which at a pitch rate of up to ~0.3 rad/s over the
        // road's undulations moves a point 100 m away by ~0.15 mm.
        #expect(worstBefore > 0.3)
        #expect(worstAfter < 3e-4, "worst static point after de-skewing: \(worstAfter) m")
    }

    @Test func aSweepWithoutTimesOrOutsideTheTrajectoryIsRefused() {
        let cloud = PointCloud(points: [SIMD3(1, 2, 3)])
        #expect(throws: MotionCompensationError.self) {
            try MotionCompensation.deskew(
                cloud, trajectory: Self.trajectory, egoFromLidar: .identity, to: Self.trajectory.timeRange.lowerBound)
        }
        #expect(throws: MotionCompensationError.self) {
            try MotionCompensation.deskew(
                Self.sweep.cloud, trajectory: Self.trajectory, egoFromLidar: .identity,
                to: Self.trajectory.timeRange.upperBound + 10)
        }
    }

    @Test func trajectoryInterpolatesRotationByTheShortArcAndTranslationLinearly() throws {
        let start = RigidTransform(rotation: UnitQuaternion(yaw: 3.0), translation: SIMD3(0, 0, 0))
        let end = RigidTransform(rotation: UnitQuaternion(yaw: -3.0), translation: SIMD3(10, -4, 2))
        let trajectory = try #require(PoseTrajectory([.init(time: 1, pose: start), .init(time: 2, pose: end)]))
        let middle = try #require(trajectory.pose(at: 1.5))
        // From +3 rad to -3 rad the short way passes through π, not 0.
        #expect(abs(abs(middle.rotation.yaw) - .pi) < 1e-9)
        #expect(((middle.translation - SIMD3(5, -2, 1)) * (middle.translation - SIMD3(5, -2, 1))).sum() < 1e-18)
        #expect(trajectory.pose(at: 5) == nil)
        #expect(PoseTrajectory([.init(time: 1, pose: start), .init(time: 1, pose: end)]) == nil)
    }
}
