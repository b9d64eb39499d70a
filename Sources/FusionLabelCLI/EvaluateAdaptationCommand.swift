import ArgumentParser
import Foundation
import FusionLabel
import FusionPrelabel

struct EvaluateAdaptationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adaptation",
        abstract: "What correcting a few frames of a dataset does to the pre-labels of its other frames.",
        discussion: """
            Pre-labels the --learn-from frames of the --labels dataset, replays an annotator
            correcting them from their labels (each labelled object matched to a proposal, one to
            one by bird's-eye overlap, and kept as labelled), teaches the prior model those
            corrections and the scorer which proposals were kept and which deleted (as
            `learn-priors --scorer` does), and scores the dataset's other frames before and after,
            as `evaluate prelabel` does, with the share of objects whose proposal still needs a
            fix. With --train-on, the scorer is first trained and calibrated on those datasets
            only (as `evaluate leave-one-out` does), so nothing but the corrections has seen the
            evaluated dataset; otherwise the scorer options apply (the built-in scorer was trained
            on the shared development datasets).
            """)

    @Option(name: .customLong("labels"), help: "The labelled dataset folder whose frames are corrected and scored.")
    var dataset: String

    @Option(
        name: .customLong("learn-from"),
        help: "A frame id of --labels to correct and learn from; repeat for more. Every other frame is scored.")
    var learningFrames: [String]

    @Option(
        name: .customLong("train-on"),
        help: "Train and calibrate the starting scorer on this labelled dataset folder; repeat for each.")
    var trainingSets: [String] = []

    @Option(
        name: .customLong("always"),
        help: "With --train-on: a dataset trained on but never calibrated on (e.g. a simulated scene); repeat for more."
    )
    var extra: [String] = []

    @OptionGroup var scorerOptions: ScorerOptions

    @Flag(help: "Teach the prior model only; the scorer keeps what it knew.")
    var priorsOnly = false

    @Option(help: "Worker threads for finding candidates (default: processor count).")
    var threads: Int?

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        guard !learningFrames.isEmpty else { throw ValidationError("give at least one --learn-from frame") }
        if !trainingSets.isEmpty
            && (scorerOptions.scorer != nil || scorerOptions.noScorer || scorerOptions.minimumObjectProbability != nil)
        {
            throw ValidationError("--train-on trains its own scorer: it goes with no other scorer option")
        }
        if trainingSets.isEmpty && !extra.isEmpty { throw ValidationError("--always goes with --train-on") }
    }

    func run() throws {
        let report: CorrectionAdaptation.Report
        let operatingPoint: String
        do {
            var prelabeler = Prelabeler()
            let evaluated = try ScorerTraining.Dataset.load(dataset, maximumConcurrency: threads)
            if trainingSets.isEmpty {
                try scorerOptions.configure(&prelabeler)
            } else {
                let others = try trainingSets.map { try ScorerTraining.Dataset.load($0, maximumConcurrency: threads) }
                let always = try extra.map { try ScorerTraining.Dataset.load($0, maximumConcurrency: threads) }
                prelabeler = ScorerTraining.calibratedJudge(trainedOn: others, alwaysTrainedOn: always).judge
            }
            operatingPoint =
                prelabeler.scorer == nil
                ? "no scorer" : String(format: "minimum object probability %.2f", prelabeler.minimumObjectProbability)
            report = try CorrectionAdaptation.evaluate(
                evaluated, learningFrom: learningFrames, prelabeler: prelabeler, updatesScorer: !priorsOnly)
        } catch {
            throw CommandFailure(error)
        }
        if json {
            try printJSON(report)
            return
        }
        let partialView =
            report.pedestrianPartialView.map {
                String(format: "%.2f x %.2f x %.2f m", $0.length, $0.width, $0.height)
            } ?? "none learned"
        print(
            """
            learned from \(report.learnedFrom.joined(separator: ", ")): \(report.corrections) corrected boxes, \
            \(report.scorerExamples) judged proposals (\(report.deletedProposals) deleted); \
            a partly seen person drawn \(partialView)
            scored on \(report.scoredOn.joined(separator: ", ")) (\(operatingPoint))
            -- before
            \(report.before.table)
            \(fixes(report.fixesBefore))
            -- after
            \(report.after.table)
            \(fixes(report.fixesAfter))
            """)
    }

    func fixes(_ tally: CorrectionReview.Tally) -> String {
        String(
            format: "needing a fix: %d of %d objects (%.2f), %d drawn from nothing; mean correction %.2f m",
            tally.needingFix, tally.objects, tally.shareNeedingFix, tally.drawnFromNothing, tally.meanCorrection)
    }
}
