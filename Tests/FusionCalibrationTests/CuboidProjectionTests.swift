import FusionGeometry
import FusionIO
import FusionTestSupport
import Testing

@testable import FusionCalibration

/// Cuboids in images: the KITTI reference rectangles, near-plane clipping, truncation.
@Suite struct CuboidProjectionTests {
    static let camera = ProjectionUnitTests.forwardCamera

    @Test func aBoxThroughTheLensPlaneIsCutAtTheNearPlaneNotWrapped() {
        // LiDAR x from -2 to 4 (the camera sits at x = 0), y and z ±1: the part beyond the 0.1 m near
        // plane spans u = 320 ± 500 · 1 / 0.1 at its nearest.
        let box = Cuboid(center: SIMD3(1, 0, 0), size: Size3(length: 6, width: 2, height: 2), yaw: 0)
        let projected = Self.camera.project(box)
        let bounds = try! #require(projected.boundingBox)
        #expect(abs(bounds.left - (320 - 5000)) < 1e-6 && abs(bounds.right - (320 + 5000)) < 1e-6)
        #expect(abs(bounds.top - (240 - 5000)) < 1e-6 && abs(bounds.bottom - (240 + 5000)) < 1e-6)
        #expect(projected.corners.filter { $0 == nil }.count == 4, "the four rear corners are behind the camera")
        // Every edge survives in part: the 4 front-face edges whole, the 4 long edges cut, the rear face gone.
        #expect(Set(projected.segments.map(\.edge)).count == 8)
        #expect(abs(projected.truncation - (1 - 640.0 * 480 / (10_000 * 10_000))) < 1e-9)
    }

    @Test func aBoxBehindTheCameraProjectsToNothing() {
        let box = Cuboid(center: SIMD3(-10, 0, 0), size: Size3(length: 4, width: 2, height: 1.5), yaw: 0.3)
        let projected = Self.camera.project(box)
        #expect(projected.segments.isEmpty && projected.boundingBox == nil && projected.truncation == 1)
    }

    @Test func truncationIsTheShareOfTheRectangleOutsideTheImage() {
        // y 4...8 to the left: the near face (x = 9.5) reaches u = 320 - 500 · 8 / 9.5 ≈ -101, past the
        // image edge at -0.5; the far face (x = 10.5) ends the rectangle on the right at y = 4.
        let box = Cuboid(center: SIMD3(10, 6, 0), size: Size3(length: 1, width: 4, height: 2), yaw: 0)
        let projected = Self.camera.project(box)
        let bounds = try! #require(projected.boundingBox)
        let right = 320 - 500 * 4 / 10.5
        let left = 320 - 500 * 8 / 9.5
        #expect(abs(bounds.right - right) < 1e-9 && abs(bounds.left - left) < 1e-9)
        #expect(abs(projected.truncation - (-0.5 - left) / (right - left)) < 1e-9)
    }

    @Test func distortedEdgesAreSampledAsCurves() {
        var camera = Self.camera
        camera.distortion = .brownConrady(.init(k1: -0.3, k2: 0.1, p1: 0, p2: 0))
        let box = Cuboid(center: SIMD3(8, 0, 0), size: Size3(length: 2, width: 6, height: 3), yaw: 0)
        let projected = camera.project(box)
        #expect(projected.segments.count == 12 * 16)
        // Each piece's ends are the lens projection of points along the 3D edge.
        for segment in projected.segments {
            let ray = camera.ray(throughPixel: segment.end)
            let reprojected = try! #require(camera.pixel(ofCameraPoint: ray * 5))
            #expect((reprojected - segment.end).magnitudeSquared < 1e-12)
        }
    }
}

/// On the KITTI object frames, the projected label boxes match the reference rectangles of
/// `kitti-object/SOURCE.md` (independent numpy code) within half a pixel.
@Suite(SharedScenes.required)
struct KITTIProjectedRectangleTests {
    @Test(arguments: KITTIObjectReferences.all)
    func projectedRectangleMatchesTheReference(reference: KITTIObjectReferences.Reference) throws {
        let frame = RealFrame(source: .kitti, frame: reference.frame, cameraName: "image_2")
        let camera = try frame.camera()
        let calibration = try KITTICalibration.read(
            contentsOf: try SharedScenes.path("kitti-object/calib/\(reference.frame).txt"))
        let objects = try KITTIObject.read(
            contentsOf: try SharedScenes.path("kitti-object/label_2/\(reference.frame).txt"))
        let object = try #require(objects.first { $0.type == reference.type })
        let box = object.box.cuboid(lidarFromRectifiedCamera: calibration.rectifiedCameraFromLidar.inverse)
        let rectangle = try #require(camera.project(box).boxInImage)
        let ours = [rectangle.left, rectangle.top, rectangle.right, rectangle.bottom]
        for (value, expected) in zip(ours, reference.projectedCorners) {
            #expect(abs(value - expected) < 0.5, "\(ours) vs \(reference.projectedCorners)")
        }
    }
}

/// Every SUSTech label in every camera: boxes beside and behind the cameras cross the near plane at
/// every angle (a clipped end landing exactly on the plane once crashed the projection).
@Suite(SharedScenes.required)
struct SUSTechLabelProjectionTests {
    @Test(arguments: ["000965", "000970", "000975"])
    func everyBoxProjectsIntoEveryCameraWithFinitePixels(frame: String) throws {
        let boxes = try SUSTechPOINTS.readLabels(
            contentsOf: try SharedScenes.path("sustechpoints-example/label/\(frame).json"))
        var inImage = 0
        for name in ["front", "left", "right"] {
            let camera = try RealFrame(source: .sustech, frame: frame, cameraName: name).camera(
                imageSize: ImageSize(width: 2048, height: 1536))
            for box in boxes {
                let projected = camera.project(box.cuboid)
                for segment in projected.segments {
                    #expect(
                        segment.start.x.isFinite && segment.start.y.isFinite && segment.end.x.isFinite
                            && segment.end.y.isFinite)
                }
                if projected.isInImage { inImage += 1 }
            }
        }
        #expect(inImage >= boxes.count / 2)
    }
}

extension SIMD2 where Scalar == Double {
    var magnitudeSquared: Double { (self * self).sum() }
}
