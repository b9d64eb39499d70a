import ArgumentParser
import Foundation
import FusionIO
import FusionLabel
import FusionTracking

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score results against ground truth.",
        subcommands: [
            EvaluateTrackingCommand.self, EvaluatePrelabelCommand.self, EvaluateMissesCommand.self,
            EvaluateLeaveOneOutCommand.self, EvaluateAdaptationCommand.self
        ])
}

struct EvaluateTrackingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracking",
        abstract:
            "KITTI 3D MOT evaluation (AB3DMOT's protocol): sAMOTA, AMOTA, AMOTP, MOTA, MOTP, IDS, FRAG, and IDF1.",
        discussion: """
            Matches by 3D IoU (--iou, 0.25 by default; 0.5 and 0.7 are the stricter variants), with
            KITTI's ignore rules, over 40 recall levels of the tracks' mean scores. The single-threshold
            figures are at the threshold of best MOTA.
            """)

    @Option(help: "Folder of result files, <name>.txt in KITTI tracking format with scores.")
    var results: String

    @Option(help: "Folder of ground-truth label files, <name>.txt (label_02).")
    var labels: String

    @Option(help: "Sequence map: one `name kind first last` line per sequence.")
    var seqmap: String

    @Option(help: "Least 3D IoU of a match.")
    var iou = 0.25

    @Option(help: "Classes, comma-separated.")
    var classes = "Car,Pedestrian,Cyclist"

    @Flag(help: "Print the reports as JSON.")
    var json = false

    func validate() throws {
        guard iou > 0, iou <= 1 else { throw ValidationError("--iou must be in (0, 1]") }
    }

    func run() throws {
        var reports: [KITTITrackingEvaluation.Report] = []
        do {
            var sequences: [KITTITrackingEvaluation.Sequence] = []
            for sequence in try KITTITrackingRun.readSequenceMap(contentsOf: seqmap) {
                let resultPath = "\(results)/\(sequence.name).txt"
                let rows =
                    FileManager.default.fileExists(atPath: resultPath)
                    ? try KITTITrackedObject.read(contentsOf: resultPath) : []
                sequences.append(
                    .init(
                        groundTruth: try KITTITrackedObject.read(contentsOf: "\(labels)/\(sequence.name).txt"),
                        results: rows))
            }
            for objectClass in classes.split(separator: ",").map(String.init) {
                reports.append(
                    KITTITrackingEvaluation(objectClass: objectClass, minimumOverlap: iou).evaluate(sequences))
            }
        } catch {
            throw CommandFailure(error)
        }
        if json {
            try printJSON(reports)
            return
        }
        print("class        sAMOTA  AMOTA  AMOTP   MOTA   MOTP   IDF1    IDS   FRAG      FP      FN   (3D IoU \(iou))")
        for report in reports {
            let best = report.best
            print(
                report.objectClass.padding(toLength: 11, withPad: " ", startingAt: 0)
                    + String(
                        format: " %6.2f %6.2f %6.2f %6.2f %6.2f %6.2f %6d %6d %7d %7d", 100 * report.sAMOTA,
                        100 * report.AMOTA, 100 * report.AMOTP,
                        100 * best.mota, 100 * best.motp, 100 * best.idf1, best.identitySwitches, best.fragmentations,
                        best.falsePositives,
                        best.falseNegatives))
        }
    }
}
