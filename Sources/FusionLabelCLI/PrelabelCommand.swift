import ArgumentParser
import Foundation
import FusionIO
import FusionLabel

struct PrelabelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prelabel",
        abstract: "Propose first-pass cuboids for the frames of a recording.",
        discussion: """
            Finds the ground, clusters what stands on it, fits a cuboid to each cluster and gives it a
            class with its probability; unsure proposals keep no class and say why (too_few_points,
            ambiguous_class, partial_view, merged_cluster). Writes <out>/prelabels.openlabel.json
            (cuboids in the LiDAR frame, with provenance: algorithm, engine version, parameter hash,
            input file SHA-256), and with --kitti <out>/label_2/<frame>.txt (KITTI object folders).
            With --predictions, a detector's boxes are refitted to their returns and merged with the
            engine's (duplicates keep the better-supported box); low scores and boxes with few returns
            are flagged. With --detections, each 2D detection's frustum is clustered and fitted, and
            the camera's class replaces the size priors' guess where the sizes allow it.
            Frames run in parallel; the same input and parameters give the same bytes.
            """)

    @Argument(
        help:
            "A scene folder (scene.json), a KITTI object folder (velodyne/, calib/) or a SUSTech POINTS scene (lidar/)."
    )
    var folder: String

    @Option(name: .customLong("frame"), help: "A frame to pre-label (repeat for several; default: all).")
    var frames: [String] = []

    @Option(help: "Output folder (created if needed).")
    var out: String

    @Flag(help: "Also write KITTI label files (needs a KITTI object folder's calibration).")
    var kitti = false

    @OptionGroup var inputs: PrelabelInputOptions

    @Option(help: "Frames processed at once (default: the processor count).")
    var threads: Int?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        do {
            let recording = RecordingFolder(path: folder)
            let ids = frames.isEmpty ? try recording.frameIDs() : frames
            guard !ids.isEmpty else { throw CommandFailure(message: "\(folder) holds no frames") }
            let sources = try ids.map { (id: $0, source: try recording.source(frame: $0)) }
            if kitti, case .kittiObject = sources[0].source {
            } else if kitti {
                throw CommandFailure(
                    message:
                        "--kitti needs a KITTI object folder (its calib/ gives the camera frame KITTI labels live in)")
            }
            let run = try inputs.configured(PrelabelRun())
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let progress = ProgressLine(total: ids.count, label: "prelabel")
            let results = try run.prelabel(frames: sources, maximumConcurrency: threads) { progress.update($0) }
            try run.openLABEL(results, name: "pre-labels of \(URL(fileURLWithPath: folder).lastPathComponent)")
                .write(to: out + "/prelabels.openlabel.json")
            if kitti { try writeKITTI(results) }
            try printSummary(results)
        } catch {
            throw CommandFailure(error)
        }
    }

    private func writeKITTI(_ results: [PrelabelRun.FrameResult]) throws {
        try FileManager.default.createDirectory(atPath: out + "/label_2", withIntermediateDirectories: true)
        for result in results {
            let calibration = try KITTICalibration.read(contentsOf: "\(folder)/calib/\(result.frame).txt")
            let rows = PrelabelRun.kittiObjects(
                result.proposals, calibration: calibration, imageSize: SensorFrame.kittiImageSize)
            try FileAccess.writeAtomically(
                Data(KITTIObject.text(for: rows).utf8), to: "\(out)/label_2/\(result.frame).txt")
        }
    }

    private func printSummary(_ results: [PrelabelRun.FrameResult]) throws {
        let proposals = results.flatMap(\.proposals)
        var byClass: [String: Int] = [:]
        var byFlag: [String: Int] = [:]
        for proposal in proposals {
            byClass[proposal.kind?.rawValue ?? "unsure", default: 0] += 1
            for flag in proposal.flags { byFlag[flag.rawValue, default: 0] += 1 }
        }
        if json {
            let summary: [String: Any] = [
                "frames": results.count, "proposals": proposals.count, "classes": byClass, "flags": byFlag,
                "parameter_hash": results.first?.provenance.parameterHash ?? "", "out": out
            ]
            print(
                String(
                    decoding: try JSONSerialization.data(
                        withJSONObject: summary, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self))
        } else {
            print(
                "pre-labelled \(results.count) frames: \(proposals.count) proposals ("
                    + byClass.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                    + "), flagged: "
                    + (byFlag.isEmpty
                        ? "none"
                        : byFlag.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
                    + "; written to \(out)")
        }
    }
}
