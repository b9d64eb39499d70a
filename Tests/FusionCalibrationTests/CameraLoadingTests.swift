import Foundation
import FusionCalibration
import FusionGeometry
import FusionIO
import FusionTestSupport
import Testing

/// Cameras from OpenLABEL streams and coordinate systems, through a written and re-read document.
@Suite struct CameraLoadingTests {
    /// vehicle (root) ← lidar 1.8 m up; vehicle ← camera 1.5 m ahead, 1.4 m up, looking forward
    /// (camera axes x right = -vehicle y, y down = -vehicle z, z forward = vehicle x).
    static func document() -> OpenLABELDocument {
        let axes = Matrix3x3(rows: SIMD3(0, -1, 0), SIMD3(0, 0, -1), SIMD3(1, 0, 0))
        let cameraFromVehicleRotation = UnitQuaternion(rotationMatrix: axes)
        let vehicleFromCamera = RigidTransform(
            rotation: cameraFromVehicleRotation.inverse, translation: SIMD3(1.5, 0, 1.4))
        let k = Matrix3x4(rows: SIMD4(800, 0, 640, 0), SIMD4(0, 800, 360, 0), SIMD4(0, 0, 1, 0))
        return OpenLABELDocument(
            coordinateSystems: [
                "vehicle": .init(type: "local_cs", children: ["lidar", "front"]),
                "lidar": .init(
                    type: "sensor_cs", parent: "vehicle", poseInParent: RigidTransform(translation: SIMD3(0, 0, 1.8))),
                "front": .init(type: "sensor_cs", parent: "vehicle", poseInParent: vehicleFromCamera)
            ],
            streams: [
                "lidar": .init(type: .lidar),
                "front": .init(
                    type: .camera,
                    intrinsics: .init(cameraMatrix: k, distortion: [-0.1, 0.01, 0, 0, 0], width: 1280, height: 720))
            ])
    }

    @Test func aCameraStreamIsPlacedThroughTheCoordinateSystems() throws {
        let path = TemporaryFiles.file("rig", suffix: ".json")
        defer { TemporaryFiles.remove(path) }
        try Self.document().write(to: path)
        let rig = try CameraRig(openLABEL: try OpenLABELDocument.read(contentsOf: path))
        let camera = try #require(rig["front"])
        #expect(camera.intrinsics == PinholeIntrinsics(fx: 800, fy: 800, cx: 640, cy: 360))
        #expect(camera.imageSize == ImageSize(width: 1280, height: 720))
        #expect(camera.distortion == .brownConrady(.init(k1: -0.1, k2: 0.01, p1: 0, p2: 0)))
        // A point 10 m ahead of the camera at its height: LiDAR (1.8 m up at the vehicle origin) sees it at
        // x = 11.5, z = -0.4; it lands on the principal point 10 m deep.
        let pixel = try #require(camera.pixel(ofLidarPoint: SIMD3(11.5, 0, -0.4)))
        #expect(abs(pixel.x - 640) < 1e-9 && abs(pixel.y - 360) < 1e-9)
        #expect(abs(camera.cameraFromLidar.apply(to: SIMD3(11.5, 0, -0.4)).z - 10) < 1e-9)
    }

    @Test func aCameraWithoutACoordinateSystemIsAnError() {
        var document = Self.document()
        document.coordinateSystems["front"] = nil
        #expect(throws: CalibrationError.self) { try CameraRig(openLABEL: document) }
    }

    @Test func aManifestCameraWithAnUnknownCoefficientCountIsAnError() {
        let camera = SceneManifest.Camera(
            name: "odd", width: 640, height: 480, fx: 500, fy: 500, cx: 320, cy: 240,
            distortion: [0.1, 0.2, 0.3], cameraFromLidar: .identity)
        #expect(throws: CalibrationError.self) { try Camera(manifest: camera) }
    }
}
