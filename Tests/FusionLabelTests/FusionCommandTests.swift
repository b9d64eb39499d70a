import Foundation
import FusionCalibration
import FusionGeometry
import FusionIO
import FusionLabel
import FusionTestSupport
import Testing

/// `project`, `calib-check` and `render` on real recordings, run as real processes.
@Suite(SharedScenes.required)
struct FusionCommandTests {
    static func run(_ arguments: [String]) throws -> ChildProcess.Result { try CommandLineTests.run(arguments) }

    @Test func projectPointsWritesOneRowPerPointOnTheImage() throws {
        let kitti = try SharedScenes.path("kitti-object")
        let result = try Self.run(["project", kitti, "--frame", "000001"])
        #expect(result.status == 0, "\(result.errors)")
        let rows = result.output.split(separator: "\n")
        let frame = try SensorFrame.load(.kittiObject(folder: kitti, frame: "000001"))
        #expect(rows.first == "camera,index,u,v,depth")
        #expect(rows.count - 1 == frame.rig.cameras[0].project(frame.sweep).insideImageCount)
    }

    @Test func projectLabelsGivesTheReferenceRectanglesAsJSON() throws {
        struct Row: Decodable {
            var type: String
            var left: Double
            var top: Double
            var right: Double
            var bottom: Double
        }
        let result = try Self.run([
            "project", try SharedScenes.path("kitti-object"), "--frame", "000002", "--what", "labels", "--format",
            "json"
        ])
        #expect(result.status == 0, "\(result.errors)")
        let rows = try JSONDecoder().decode([Row].self, from: Data(result.output.utf8))
        let misc = try #require(rows.first { $0.type == "Misc" })
        // kitti-object/SOURCE.md: 806.2, 168.9, 995.8, 330.0.
        #expect(
            abs(misc.left - 806.2) < 0.5 && abs(misc.top - 168.9) < 0.5 && abs(misc.right - 995.8) < 0.5
                && abs(misc.bottom - 330.0) < 0.5)
    }

    @Test func calibCheckPassesTheRealCalibrationAndNamesACorruptedOne() throws {
        let good = try Self.run(["calib-check", try SharedScenes.path("kitti-object"), "--frame", "000000", "--json"])
        #expect(good.status == 0, "\(good.errors)")
        #expect(good.output.contains("\"suspectedMistake\"") == false)

        // A copy of frame 000000 whose Tr_velo_to_cam is inverted.
        let folder = try TemporaryFiles.folder("kitti-inverted")
        defer { TemporaryFiles.remove(folder) }
        for sub in ["calib", "velodyne", "image_2"] {
            try FileManager.default.createDirectory(atPath: folder + "/" + sub, withIntermediateDirectories: true)
        }
        try FileManager.default.createSymbolicLink(
            atPath: folder + "/velodyne/000000.bin",
            withDestinationPath: try SharedScenes.path("kitti-object/velodyne/000000.bin"))
        try FileManager.default.createSymbolicLink(
            atPath: folder + "/image_2/000000.png",
            withDestinationPath: try SharedScenes.path("kitti-object/image_2/000000.png"))
        var calibration = try KITTICalibration.read(contentsOf: try SharedScenes.path("kitti-object/calib/000000.txt"))
        let inverted = RigidTransform(matrix: calibration.cameraFromVelodyne).inverse
        calibration = try KITTICalibration(
            projections: calibration.projections, rectification: calibration.rectification,
            cameraFromVelodyne: inverted.matrix, velodyneFromIMU: calibration.velodyneFromIMU)
        try FileAccess.writeAtomically(Data(calibration.text.utf8), to: folder + "/calib/000000.txt")
        let bad = try Self.run(["calib-check", folder, "--frame", "000000"])
        #expect(bad.status == 2, "\(bad.output)\(bad.errors)")
        #expect(bad.output.contains("looks inverted"))
    }

    @Test func renderWritesEveryCameraAndABirdsEyeView() throws {
        let folder = TemporaryFiles.file("renders")
        defer { TemporaryFiles.remove(folder) }
        let result = try Self.run([
            "render", try SharedScenes.path("sustechpoints-example"), "--frame", "000970", "--out", folder
        ])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.errors.contains("render 1/1"))
        let written = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(written == ["000970-bev.png", "000970-front.png", "000970-left.png", "000970-right.png"])
        let front = try RGBImage.read(contentsOf: folder + "/000970-front.png")
        #expect(front.size == ImageSize(width: 2048, height: 1536))
    }

    /// The simulated cameras see the same geometry as the simulated LiDAR, so the checker finds
    /// their calibration plausible as written, ahead of its usual mistakes.
    @Test func theSampleScenesCalibrationIsPlausibleAsGiven() throws {
        let result = try Self.run(["calib-check", SharedScenes.repositoryRoot + "/SampleScenes/urban", "--frame", "4"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("front: score") && result.output.contains("left: score"))
        #expect(result.output.components(separatedBy: "plausible as given").count == 3, "\(result.output)")
    }
}
