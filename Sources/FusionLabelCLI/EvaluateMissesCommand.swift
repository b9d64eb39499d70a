import ArgumentParser
import Foundation
import FusionLabel
import FusionPrelabel

struct EvaluateMissesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "misses",
        abstract: "Why pre-labelling missed labelled objects: the first stage that lost each one.",
        discussion: """
            Pre-labels every sweep of a labelled dataset and traces each object that
            `evaluate prelabel` counts and no candidate found (bird's-eye IoU 0.5, matched one to
            one) through the stages: most of its returns taken for ground, its returns in no
            cluster, split over clusters, merged with a neighbour, its cluster rejected by the
            size and height rules, a box that fits badly, a candidate taken by another label, or
            (with the scorer) left out by the operating point.
            """)

    @Option(
        help:
            "The labelled dataset: a KITTI object folder, a SUSTech POINTS-layout folder (lidar/, label/) or a scene folder."
    )
    var labels: String

    @Option(help: "Least returns inside a labelled object for it to count.")
    var minimumPoints = 20

    @OptionGroup var scoring: ScorerOptions

    @Flag(help: "List every missed object, not only the counts.")
    var list = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        guard minimumPoints >= 0 else { throw ValidationError("--minimum-points must not be negative") }
    }

    func run() throws {
        let report: PrelabelMissAnalysis.Report
        do {
            var prelabeler = Prelabeler()
            try scoring.configure(&prelabeler)
            let sweeps = try LabelledSweep.load(labels)
            guard !sweeps.isEmpty else { throw CommandFailure(message: "\(labels) holds no labelled frames") }
            report = PrelabelMissAnalysis(benchmark: PrelabelBenchmark(minimumPoints: minimumPoints)).analyse(
                sweeps, prelabeler: prelabeler)
        } catch {
            throw CommandFailure(error)
        }
        if json {
            try printJSON(report)
            return
        }
        print(report.table)
        guard list else { return }
        for miss in report.misses {
            var line = String(
                format: "%@ %@ %.1f m %d returns: %@ (ground %.2f", miss.frame, miss.category.rawValue, miss.range,
                miss.returns,
                miss.cause.rawValue, miss.groundShare)
            if let share = miss.clusterShare, let outside = miss.clusterReturnsOutside {
                line += String(format: ", cluster share %.2f with %d returns outside", share, outside)
            }
            if let iou = miss.candidateIoU, let size = miss.candidateSize {
                line += String(
                    format: ", candidate IoU %.2f, %.2f x %.2f x %.2f m against %.2f x %.2f x %.2f m", iou, size.length,
                    size.width,
                    size.height, miss.labelSize.length, miss.labelSize.width, miss.labelSize.height)
            }
            print(line + ")")
        }
    }
}
