import FusionCalibration
import FusionGeometry
import FusionIO
import FusionTestSupport
import Testing

/// The real KITTI and SUSTech calibrations, corrupted in each classic way: the checker must find the
/// mistake, and the reading that undoes it must be the original calibration and score best.
@Suite(SharedScenes.required)
struct CalibrationCheckTests {
    static let mistakes = CalibrationMistake.allCases
    /// The SUSTech left camera is left out: its view is filled by a see-through fence in front of a
    /// hedge and a wall, where LiDAR depth edges fall on fence bars and hedge leaves all over the image,
    /// and neither signal separates the right reading from the others (see the closing note of issue 4).
    static let frames = RealFrame.kitti + RealFrame.sustech.filter { $0.cameraName != "left" }

    @Test(arguments: frames)
    func theCorrectCalibrationScoresBestAsGiven(frame: RealFrame) throws {
        let camera = try frame.camera()
        let report = try CalibrationChecker().check(
            ExtrinsicMatrix(camera.cameraFromLidar), camera: camera,
            points: try frame.cloud(), image: try frame.image())
        #expect(report.matrixProblems.isEmpty)
        #expect(report.suspectedMistake == nil)
        let best = try #require(report.best)
        #expect(best.mistake == nil, "\(report.candidates.map { ($0.mistake, $0.score.value) })")
        #expect(best.score.edgeAlignment > best.score.backgroundAlignment + 0.1, "depth edges land on image edges")
    }

    @Test(arguments: frames, mistakes)
    func everyCorruptionIsDetectedAndUndone(frame: RealFrame, mistake: CalibrationMistake) throws {
        let camera = try frame.camera()
        let corrupted = mistake.applied(to: camera.cameraFromLidar)
        let report = try CalibrationChecker().check(
            corrupted, camera: camera, points: try frame.cloud(), image: try frame.image())
        #expect(report.suspectedMistake == mistake, "\(report.candidates.map { ($0.mistake, $0.score.value) })")
        let best = try #require(report.best)
        #expect(best.cameraFromLidar.rotation.angle(to: camera.cameraFromLidar.rotation) < 1e-9)
        #expect((best.cameraFromLidar.translation - camera.cameraFromLidar.translation).magnitudeSquared < 1e-18)
        if mistake == .transposed {
            #expect(!report.matrixProblems.isEmpty, "a transposed rigid matrix has a non-affine bottom row")
        }
    }

    @Test func swappedLeftAndRightCamerasAreFound() throws {
        let frames = RealFrame.sustech
        var cameras = try frames.map { try $0.camera() }
        let images = try frames.map { try $0.image() }
        let cloud = try frames[0].cloud()
        let checker = CalibrationChecker()
        #expect(try checker.swappedCameras(cameras: cameras, images: images, points: cloud).isEmpty)
        (cameras[1].cameraFromLidar, cameras[2].cameraFromLidar) = (
            cameras[2].cameraFromLidar, cameras[1].cameraFromLidar
        )
        let pairs = try checker.swappedCameras(cameras: cameras, images: images, points: cloud)
        #expect(pairs.map { [$0.0, $0.1] } == [[1, 2]])
    }
}

extension SIMD3 where Scalar == Double {
    var magnitudeSquared: Double { (self * self).sum() }
}
