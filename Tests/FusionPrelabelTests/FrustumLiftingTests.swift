import Foundation
import FusionCalibration
import FusionGeometry
import FusionIO
import FusionTestSupport
import Testing

@testable import FusionPrelabel

/// Fusion with 2D detections on the real frames. The detections are the labels' own 2D boxes (a
/// perfect image detector): KITTI's label rows, and SUSTech's 3D labels projected into each camera.
@Suite(SharedScenes.required)
struct FrustumLiftingTests {
    static func sustechRig() throws -> CameraRig {
        let folder = try SharedScenes.path("sustechpoints-example/calib/camera")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }.map {
            String($0.dropLast(5))
        }.sorted()
        return CameraRig(
            try names.map { name in
                try Camera(
                    sustech: try SUSTechPOINTS.readCameraCalibration(contentsOf: "\(folder)/\(name).json"), name: name,
                    imageSize: ImageSize(width: 2048, height: 1536))
            })
    }

    /// Detections project every label into every camera that sees most of it.
    @Test func cameraClassesReplaceSizeGuesses() throws {
        let rig = try Self.sustechRig()
        var lidarOnly = PrelabelEvaluation()
        var fused = PrelabelEvaluation()
        for frame in ["000965", "000970", "000975"] {
            let (cloud, labels) = try PrelabelAccuracyTests.sustechFrame(frame)
            var detections: [CameraDetection] = []
            for label in labels {
                for camera in rig.cameras {
                    let projected = camera.project(label.box)
                    guard let box = projected.boxInImage, projected.truncation < 0.5 else { continue }
                    detections.append(
                        CameraDetection(camera: camera.name, label: label.kind.openLABELName, score: 0.9, box: box))
                }
            }
            let (own, ground) = Prelabeler().prelabel(cloud)
            lidarOnly.add(labels: labels, proposals: own)
            fused.add(
                labels: labels,
                proposals: FrustumLifting().fuse(detections, rig: rig, own: own, cloud: cloud, ground: ground))
        }
        let summary = "LiDAR only:\n\(lidarOnly)\nwith cameras:\n\(fused)"
        for kind in [PrelabelClass.car, .pedestrian, .cyclist] {
            let before = try #require(lidarOnly.classes[kind])
            let after = try #require(fused.classes[kind])
            #expect(after.foundWithClass >= before.foundWithClass && after.found >= before.found, "\(kind)\n\(summary)")
        }
        let pedestriansAndCyclists = { (evaluation: PrelabelEvaluation) in
            [PrelabelClass.pedestrian, .cyclist].reduce(0) { $0 + (evaluation.classes[$1]?.foundWithClass ?? 0) }
        }
        #expect(pedestriansAndCyclists(fused) > pedestriansAndCyclists(lidarOnly), "\(summary)")
    }

    @Test func kittiTwoDimensionalFieldsAreDetections() throws {
        let objects = try KITTIObject.read(contentsOf: try SharedScenes.path("kitti-object/label_2/000001.txt"))
        let detections = CameraDetection.kitti(objects, camera: nil)
        #expect(detections.count == 3 && detections[0].kind == .vanTruck && detections[1].left == 387.63)
        let (cloud, labels) = try PrelabelAccuracyTests.kittiFrame("000001")
        let calibration = try KITTICalibration.read(contentsOf: try SharedScenes.path("kitti-object/calib/000001.txt"))
        let rig = CameraRig([try Camera(kitti: calibration, imageSize: ImageSize(width: 1242, height: 375))])
        let (own, ground) = Prelabeler().prelabel(cloud)
        let fused = FrustumLifting().fuse(detections, rig: rig, own: own, cloud: cloud, ground: ground)
        // The cyclist 46 m away (18 returns; a 3-return cluster stands in front of it in the frustum)
        // takes the camera's class.
        let cyclist = try #require(labels.first { $0.kind == .cyclist })
        #expect(
            fused.contains { $0.kind == .cyclist && $0.cuboid.bevIoU(with: cyclist.box) > 0.1 },
            "\(fused.filter { $0.cuboid.bevIoU(with: cyclist.box) > 0 }.map { ($0.kind, $0.flags, $0.origin) })")
    }

    @Test func malformedDetectionFilesAreRefused() throws {
        let path = TemporaryFiles.file("detections", suffix: ".json")
        defer { TemporaryFiles.remove(path) }
        try #"[{"label": "Car", "score": 0.5, "left": 10, "top": 5, "right": 4, "bottom": 20}]"#.write(
            toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ReadError.self) { try CameraDetection.read(contentsOf: path) }
        try #"[{"label": "Car", "score": 0.5, "left": 1, "top": 5, "right": 4}]"#.write(
            toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ReadError.self) { try CameraDetection.read(contentsOf: path) }
        try #"[{"camera": "front", "label": "person", "score": 0.5, "left": 1, "top": 5, "right": 4, "bottom": 9}]"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try CameraDetection.read(contentsOf: path).first?.kind == .pedestrian)
    }
}
