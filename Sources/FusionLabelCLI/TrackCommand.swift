import ArgumentParser
import Foundation
import FusionIO
import FusionLabel

struct TrackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "track",
        abstract: "Track 3D detections over KITTI tracking sequences.",
        discussion: """
            Reads each sequence of the map from --detections: <name>.txt in KITTI tracking format, or
            <name>/<frame>.txt in KITTI object format, with scores. Writes <out>/<name>.txt in KITTI
            tracking format (the 2D boxes projected through the sequence's P2), and with --openlabel
            <out>/<name>.openlabel.json with persistent object ids. Offline (the default) smooths each
            track forward and backward, fills its gaps and joins its fragments; online tracks frame
            by frame as AB3DMOT does.
            """)

    @Option(help: "Folder of detection files.")
    var detections: String

    @Option(help: "Sequence map: one `name kind first last` line per sequence.")
    var seqmap: String

    @Option(help: "Folder of KITTI calibration files, <name>.txt (default: calib/ next to the sequence map).")
    var calib: String?

    @Option(help: "Output folder (created if needed).")
    var out: String

    @Flag(help: "offline (whole sequence, the default) or online (frame by frame).")
    var mode: KITTITrackingRun.Mode = .offline

    @Flag(help: "Also write OpenLABEL files with persistent object ids.")
    var openlabel = false

    func run() throws {
        do {
            let sequences = try KITTITrackingRun.readSequenceMap(contentsOf: seqmap)
            let calibrationFolder = calib ?? (URL(fileURLWithPath: seqmap).deletingLastPathComponent().path + "/calib")
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let progress = ProgressLine(total: sequences.count, label: "track")
            var boxes = 0
            var tracks = 0
            for (index, sequence) in sequences.enumerated() {
                let calibration = try KITTICalibration.read(contentsOf: "\(calibrationFolder)/\(sequence.name).txt")
                let rows = KITTITrackingRun.track(
                    try KITTITrackingRun.detections(in: detections, sequence: sequence),
                    calibration: calibration, mode: mode)
                try FileAccess.writeAtomically(
                    Data(KITTITrackedObject.text(for: rows).utf8), to: "\(out)/\(sequence.name).txt")
                if openlabel {
                    try KITTITrackingRun.openLABEL(rows, sequence: sequence.name).write(
                        to: "\(out)/\(sequence.name).openlabel.json")
                }
                boxes += rows.count
                tracks += Set(rows.map(\.trackID)).count
                progress.update(index + 1)
            }
            print(
                "tracked \(sequences.count) sequences (\(mode.rawValue)): \(tracks) tracks, \(boxes) boxes, written to \(out)"
            )
        } catch {
            throw CommandFailure(error)
        }
    }
}

extension KITTITrackingRun.Mode: EnumerableFlag {}
