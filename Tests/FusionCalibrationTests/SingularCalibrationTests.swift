import FusionGeometry
import FusionIO
import Testing

@testable import FusionCalibration

/// Singular and non-finite calibration: refused where it is read, with the line or key that is
/// wrong, and points that cannot be projected are flagged rather than given NaN pixels.
@Suite struct SingularCalibrationTests {
    static let identityRows = "1 0 0 0 0 1 0 0 0 0 1 0"

    static func calibration(
        p2: String = "721.5 0 609.6 44.9 0 721.5 172.9 0.2 0 0 1 0.003", r0: String = "1 0 0 0 1 0 0 0 1",
        velodyne: String = "0 -1 0 0 0 0 -1 -0.08 1 0 0 -0.27"
    ) -> String {
        """
        P0: \(identityRows)
        P1: \(identityRows)
        P2: \(p2)
        P3: \(identityRows)
        R0_rect: \(r0)
        Tr_velo_to_cam: \(velodyne)
        Tr_imu_to_velo: \(identityRows)
        """
    }

    @Test func singularRectificationAndExtrinsicsAreRefusedWithTheirLine() {
        for (text, line) in [
            (Self.calibration(r0: "0 0 0 0 0 0 0 0 0"), 5), (Self.calibration(velodyne: "0 0 0 0 0 0 0 0 0 0 0 0"), 6),
            (Self.calibration(r0: "1 0 0 0 1 0 0 0 inf"), 5)
        ] {
            #expect(throws: ReadError.self) { try KITTICalibration.parse(text, file: "calib.txt") }
            do {
                _ = try KITTICalibration.parse(text, file: "calib.txt")
            } catch {
                #expect(error.location == .line(line), "\(error)")
            }
        }
    }

    @Test func aProjectionMatrixWithoutFocalLengthMakesNoCamera() throws {
        let calibration = try KITTICalibration.parse(Self.calibration(p2: "0 0 0 0 0 0 0 0 0 0 0 0"), file: "calib.txt")
        #expect(throws: CalibrationError.self) {
            try Camera(kitti: calibration, imageSize: ImageSize(width: 1242, height: 375))
        }
        #expect(PinholeIntrinsics(cameraMatrix: Matrix3x3(rowMajor: [0, 0, 0, 0, 0, 0, 0, 0, 0])) == nil)
    }

    @Test func pointsAtTheLensOrNotFiniteAreFlaggedNotProjected() {
        let camera = Camera(
            name: "front", intrinsics: PinholeIntrinsics(fx: 700, fy: 700, cx: 600, cy: 180),
            imageSize: ImageSize(width: 1200, height: 360),
            cameraFromLidar: RigidTransform(rotation: UnitQuaternion(w: 0.5, x: 0.5, y: -0.5, z: 0.5)))
        let cloud = PointCloud(points: [SIMD3(0, 0, 0), SIMD3(.nan, 1, 1), SIMD3(.infinity, 0, 0), SIMD3(10, 0, 0)])
        let projected = camera.project(cloud, concurrency: .singleThread)
        #expect(!projected.flags(at: 0).contains(.inFront))
        #expect(projected.flags(at: 1).contains(.nonFinite) && projected.flags(at: 2).contains(.nonFinite))
        #expect(projected.flags(at: 3).contains(.insideImage))
    }
}
