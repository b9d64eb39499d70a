import ArgumentParser
import Foundation
import FusionIO
import FusionLabel
import FusionPrelabel
import FusionTracking

struct EvaluatePrelabelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prelabel",
        abstract: "Score pre-labels against a labelled dataset, per class group and range.",
        discussion: """
            Reports, for vehicles, pedestrians and cyclists (each dataset's classes mapped by the
            engine's one taxonomy), recall at bird's-eye IoU 0.5 and 0.7, average precision over the
            confidence ranking (KITTI's 40 recall points), proposals per labelled object and the
            median yaw error, overall and in the range bins 0-20, 20-40 and 40+ m. Labelled objects
            count when they hold at least --minimum-points returns; a proposal on a labelled road
            user that no group scores (a motorbike, a pram) or on a group's object with fewer returns
            is neither found nor false. KITTI object folders are scored in camera 2's view only.
            """)

    @Option(
        help:
            "The labelled dataset: a KITTI object folder, a SUSTech POINTS-layout folder (lidar/, label/) or a scene folder."
    )
    var labels: String

    @Option(help: "The pre-labels, as `fusionlabel prelabel` writes them (prelabels.openlabel.json).")
    var prelabels: String

    @Option(help: "Least returns inside a labelled object for it to count.")
    var minimumPoints = 20

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        guard minimumPoints >= 0 else { throw ValidationError("--minimum-points must not be negative") }
    }

    func run() throws {
        let report: PrelabelBenchmark.Report
        do {
            let document = try OpenLABELDocument.read(contentsOf: prelabels)
            let detections = PrelabelBenchmark.Detection.byFrame(in: document)
            let sweeps = try LabelledSweep.load(labels)
            for skipped in sweeps.flatMap(\.skippedLabels) {
                FileHandle.standardError.write(Data("note: label left out: \(skipped)\n".utf8))
            }
            let frames = sweeps.map { sweep in sweep.benchmarkFrame(detections[sweep.id] ?? []) }
            guard !frames.isEmpty else { throw CommandFailure(message: "\(labels) holds no labelled frames") }
            let unknown = Set(detections.keys).subtracting(frames.map(\.name))
            if !unknown.isEmpty {
                throw CommandFailure(
                    message:
                        "\(prelabels) has pre-labels for frames \(unknown.sorted().joined(separator: ", ")) that \(labels) does not label"
                )
            }
            report = PrelabelBenchmark(minimumPoints: minimumPoints).evaluate(frames)
        } catch {
            throw CommandFailure(error)
        }
        if json {
            try printJSON(report)
        } else {
            print(report.table)
        }
    }
}
