import FusionCalibration
import FusionGeometry
import FusionIO
import FusionSim
import Testing

/// De-skewing a simulated sweep whose ego motion and per-point firing poses are known exactly.
@Suite struct MotionCompensationTests {
    /// Three frames of the sample scene: the middle sweep (0.1 s, ego at 5 m/s) lies inside the trajectory.
    static let generator = SampleSceneGenerator(seed: 7, frameCount: 3)
    static let scene = generator.generate()

    static var trajectory: PoseTrajectory {
        PoseTrajectory(scene.manifest.frames.map { .init(time: $0.timestamp, pose: $0.worldFromEgo!) })!
    }

    @Test func deskewedStaticPointsLandWhereTheyWereFired() throws {
        let frame = Self.scene.manifest.frames[1]
        let sweep = Self.scene.sweeps[1]
        let egoFromLidar = Self.scene.manifest.lidar.egoFromLidar
        let reference = frame.timestamp + 0.05
        let deskewed = try MotionCompensation.deskew(sweep.cloud, trajectory: Self.trajectory, egoFromLidar: egoFromLidar, to: reference)
        let worldFromReferenceLidar = Self.generator.worldFromEgo(at: reference) * egoFromLidar
        var worstBefore = 0.0, worstAfter = 0.0
        let times = try #require(sweep.cloud.attributes.time)
        for index in 0..<sweep.cloud.count where sweep.hitObject[index] == nil {
            // Where the simulator put the point: the LiDAR pose at its own firing time.
            let truth = (Self.generator.worldFromEgo(at: times[index]) * egoFromLidar).apply(to: SIMD3<Double>(sweep.cloud[index]))
            let skewed = worldFromReferenceLidar.apply(to: SIMD3<Double>(sweep.cloud[index]))
            let corrected = worldFromReferenceLidar.apply(to: SIMD3<Double>(deskewed[index]))
            worstBefore = max(worstBefore, ((skewed - truth) * (skewed - truth)).sum().squareRoot())
            worstAfter = max(worstAfter, ((corrected - truth) * (corrected - truth)).sum().squareRoot())
        }
        // 5 m/s over half a sweep is 0.25 m of skew; after, only Float rounding of ~40 m coordinates remains.
        #expect(worstBefore > 0.2)
        #expect(worstAfter < 1e-4, "worst static point after de-skewing: \(worstAfter) m")
    }

    @Test func aSweepWithoutTimesOrOutsideTheTrajectoryIsRefused() {
        let cloud = PointCloud(points: [SIMD3(1, 2, 3)])
        #expect(throws: MotionCompensationError.self) {
            try MotionCompensation.deskew(cloud, trajectory: Self.trajectory, egoFromLidar: .identity, to: Self.trajectory.timeRange.lowerBound)
        }
        #expect(throws: MotionCompensationError.self) {
            try MotionCompensation.deskew(Self.scene.sweeps[1].cloud, trajectory: Self.trajectory, egoFromLidar: .identity,
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
