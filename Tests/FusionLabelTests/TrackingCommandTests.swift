import Foundation
import FusionCalibration
import FusionIO
import FusionLabel
import FusionTestSupport
import FusionTracking
import Testing

/// `track` and `evaluate tracking` as real processes on the KITTI tracking val split, with
/// detections made from its labels by the documented noise model.
@Suite(SharedScenes.required)
struct TrackingCommandTests {
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("fusionlabel").path
    static let folder = SharedScenes.root + "/kitti-tracking-val"

    /// Writes noisy detections for `sequences` as KITTI tracking rows with scores and 2D boxes.
    static func writeDetections(_ sequences: [String], to detections: String) throws {
        try FileManager.default.createDirectory(atPath: detections, withIntermediateDirectories: true)
        for name in sequences {
            let sequence = try TrackingSequence.kitti(folder: folder, sequence: name)
            let calibration = try KITTICalibration.read(contentsOf: "\(folder)/calib/\(name).txt")
            let frames = DetectionNoiseModel(seed: 5).detections(
                for: sequence, classes: ["Car", "Pedestrian", "Cyclist"])
            var rows: [KITTITrackedObject] = []
            for (frame, detections) in frames.enumerated() {
                for detection in detections {
                    let box = KITTIBox3D(
                        cuboid: detection.box, rectifiedCameraFromLidar: calibration.rectifiedCameraFromLidar)
                    rows.append(
                        KITTITrackedObject(
                            frame: frame, trackID: -1,
                            object: KITTIObject(
                                type: detection.objectClass, alpha: box.observationAngle,
                                imageBox: KITTITrackingRun.imageBox(
                                    of: box, projection: calibration.leftColorProjection,
                                    imageSize: ImageSize(width: 1242, height: 375)),
                                box: box, score: detection.score)))
                }
            }
            try FileAccess.writeAtomically(
                Data(KITTITrackedObject.text(for: rows).utf8), to: "\(detections)/\(name).txt")
        }
    }

    @Test func offlineTrackingScoresAboveOnlineOnTheValSplit() throws {
        let work = try TemporaryFiles.folder("tracking")
        defer { TemporaryFiles.remove(work) }
        let sequences = ["0001", "0006", "0008", "0010"]
        try Self.writeDetections(sequences, to: work + "/detections")
        let seqmap = work + "/seqmap"
        let lines = try String(contentsOfFile: Self.folder + "/seqmap.val", encoding: .utf8).split(separator: "\n")
            .filter { sequences.contains(String($0.prefix(4))) }
        try lines.joined(separator: "\n").write(toFile: seqmap, atomically: true, encoding: .utf8)
        var reports: [String: [KITTITrackingEvaluation.Report]] = [:]
        for mode in ["offline", "online"] {
            let tracked = try ChildProcess.run(
                Self.executable,
                [
                    "track", "--detections", work + "/detections", "--seqmap", seqmap,
                    "--calib", Self.folder + "/calib", "--out", work + "/" + mode, "--" + mode, "--openlabel"
                ])
            #expect(tracked.status == 0, "\(tracked.errors)")
            #expect(tracked.errors.contains("track 4/4"))
            let evaluated = try ChildProcess.run(
                Self.executable,
                [
                    "evaluate", "tracking", "--results", work + "/" + mode, "--labels",
                    Self.folder + "/label_02", "--seqmap", seqmap, "--json"
                ])
            #expect(evaluated.status == 0, "\(evaluated.errors)")
            reports[mode] = try JSONDecoder().decode(
                [KITTITrackingEvaluation.Report].self, from: Data(evaluated.output.utf8))
        }
        let offline = try #require(reports["offline"])
        let online = try #require(reports["online"])
        // Measured on these four sequences, sAMOTA offline / online: car 99.6 / 86.4, pedestrian
        // 64.3 / 51.7, cyclist 27.5 / 20.0 (few cyclists: few recall levels are reached).
        #expect(offline.map(\.objectClass) == ["car", "pedestrian", "cyclist"])
        for (offlineReport, onlineReport) in zip(offline, online) {
            #expect(offlineReport.sAMOTA > onlineReport.sAMOTA, "\(offlineReport.objectClass)")
            #expect(offlineReport.best.mota > onlineReport.best.mota, "\(offlineReport.objectClass)")
        }
        #expect(offline[0].sAMOTA > 0.95)
        let document = try OpenLABELDocument.read(contentsOf: work + "/offline/0001.openlabel.json")
        let rows = try KITTITrackedObject.read(contentsOf: work + "/offline/0001.txt")
        #expect(document.objects.count == Set(rows.map(\.trackID)).count)
    }
}
