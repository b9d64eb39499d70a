import ArgumentParser
import Foundation
import FusionLabel
import FusionPrelabel

struct EvaluateLeaveOneOutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leave-one-out",
        abstract: "Leave-one-dataset-out: score each dataset with a proposal scorer trained on the others.",
        discussion: """
            For every --labels dataset, trains a scorer on the other ones (and on every --always
            dataset, such as simulated scenes, which are never held out) and reports the held-out
            dataset's pre-labels before (size priors alone, every candidate kept) and after (the
            scorer and its operating point), as `evaluate prelabel` reports them, with the scorer's
            reliability on it (predicted probability against the share that was right, in bins).
            """)

    @Option(name: .customLong("labels"), help: "A labelled dataset folder; repeat for each (at least two).")
    var datasets: [String]

    @Option(
        name: .customLong("always"),
        help: "A labelled dataset always trained on and never held out (e.g. a simulated scene); repeat for more.")
    var extra: [String] = []

    @Option(help: "Worker threads for finding candidates (default: processor count).")
    var threads: Int?

    @Flag(help: "Train the scorers with size models (`train-scorer --learn-sizes`).")
    var learnSizes = false

    @Flag(help: "Print the reports as JSON.")
    var json = false

    func validate() throws {
        guard datasets.count >= 2 else { throw ValidationError("give at least two --labels folders") }
    }

    struct Output: Encodable {
        var dataset: String
        var temperature: Double
        var operatingPoint: Double
        var before: PrelabelBenchmark.Report
        var after: PrelabelBenchmark.Report
        var reliability: [ReliabilityBin]
    }

    struct ReliabilityBin: Encodable {
        var lower: Double, upper: Double
        var candidates: Int
        var meanProbability: Double?
        var shareCorrect: Double?
    }

    func run() throws {
        let results: [ScorerTraining.HeldOut]
        do {
            let loaded = try datasets.map { try ScorerTraining.Dataset.load($0, maximumConcurrency: threads) }
            let always = try extra.map { try ScorerTraining.Dataset.load($0, maximumConcurrency: threads) }
            var parameters = ProposalScorer.TrainingParameters()
            if learnSizes { parameters.sizeRounds = 60 }
            results = ScorerTraining.leaveOneOut(loaded, alwaysTrainedOn: always, parameters: parameters)
        } catch {
            throw CommandFailure(error)
        }
        let outputs = results.map { result in
            Output(
                dataset: result.name, temperature: result.calibration.temperature,
                operatingPoint: result.calibration.minimumObjectProbability, before: result.before, after: result.after,
                reliability: (0..<10).map { bin in
                    let lower = Double(bin) / 10
                    let upper = Double(bin + 1) / 10
                    let members = result.reliability.filter {
                        $0.probability >= lower && ($0.probability < upper || bin == 9)
                    }
                    return ReliabilityBin(
                        lower: lower, upper: upper, candidates: members.count,
                        meanProbability: members.isEmpty
                            ? nil : members.reduce(0) { $0 + $1.probability } / Double(members.count),
                        shareCorrect: members.isEmpty
                            ? nil : Double(members.filter(\.isCorrect).count) / Double(members.count))
                })
        }
        if json {
            try printJSON(outputs)
            return
        }
        for output in outputs {
            print(
                "== \(output.dataset) held out\n-- before (size priors, every candidate)\n\(output.before.table)\n-- after (a scorer trained on the others: temperature \(String(format: "%.2f", output.temperature)), minimum object probability \(String(format: "%.2f", output.operatingPoint)))\n\(output.after.table)"
            )
            print(
                "reliability: "
                    + output.reliability.filter { $0.candidates > 0 }.map {
                        String(
                            format: "%.1f-%.1f: %d at %.2f, right %.2f", $0.lower, $0.upper, $0.candidates,
                            $0.meanProbability ?? 0, $0.shareCorrect ?? 0)
                    }.joined(separator: "; "))
        }
    }
}
