import ArgumentParser
import Foundation
import FusionLabel
import FusionPrelabel

struct TrainScorerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-scorer",
        abstract: "Train the proposal scorer (object or background, and which group) on labelled datasets.",
        discussion: """
            Finds every candidate in each labelled sweep (ground, clusters, fits, as `prelabel` does
            without a scorer), labels it by the labelled box that holds most of its returns, and
            trains gradient-boosted trees on the candidates' features, each dataset weighted alike.
            The model file records the engine version, each dataset's example hash and the training
            parameters; the same datasets give the same file. Pass it to `prelabel --scorer`.

            With --learn-sizes the model also learns, per group, how big the labelled boxes are for
            candidates seen like each one, and pre-labels are completed to that size: for a team
            training on its own labels, whose conventions (tight or generous boxes) it then follows.
            """)

    @Option(
        name: .customLong("labels"),
        help: "A labelled dataset folder (KITTI object, SUSTech POINTS layout, or a scene); repeat for more.")
    var datasets: [String]

    @Option(
        name: .customLong("always"),
        help:
            "A labelled dataset trained on but never held out when the operating point is chosen (e.g. a simulated scene); repeat for more."
    )
    var extra: [String] = []

    @Option(help: "Where to write the model (JSON, written atomically).")
    var out: String

    @Option(help: "Boosting rounds.")
    var rounds = ProposalScorer.TrainingParameters().rounds

    @Option(help: "Worker threads for finding candidates (default: processor count).")
    var threads: Int?

    @Flag(help: "Also learn each group's labelled box sizes (a size model), to complete pre-labels to them.")
    var learnSizes = false

    @Option(help: "Boosting rounds of each size model (with --learn-sizes).")
    var sizeRounds = 60

    func validate() throws {
        guard !datasets.isEmpty else { throw ValidationError("give at least one --labels folder") }
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
        guard sizeRounds >= 1 else { throw ValidationError("--size-rounds must be at least 1") }
    }

    func run() throws {
        do {
            let loaded = try datasets.map { try ScorerTraining.Dataset.load($0, maximumConcurrency: threads) }
            let always = try extra.map { try ScorerTraining.Dataset.load($0, maximumConcurrency: threads) }
            var parameters = ProposalScorer.TrainingParameters()
            parameters.rounds = rounds
            if learnSizes { parameters.sizeRounds = sizeRounds }
            var model = ScorerTraining.train(on: loaded + always, parameters: parameters)
            if loaded.count >= 2 {
                let calibration = ScorerTraining.calibration(
                    for: loaded, alwaysTrainedOn: always, parameters: parameters)
                model.temperature = calibration.temperature
                model.minimumObjectProbability = calibration.minimumObjectProbability
            }
            try FileManager.default.createDirectory(
                atPath: URL(fileURLWithPath: out).deletingLastPathComponent().path,
                withIntermediateDirectories: true)
            try model.write(to: out)
            let summary = model.provenance.trainingData.map { "\($0.name) \($0.examples)" }.joined(separator: ", ")
            let point = model.minimumObjectProbability.map { String(format: "%.2f", $0) } ?? "not chosen (one dataset)"
            let temperature = model.temperature.map { String(format: "%.2f", $0) } ?? "1 (one dataset)"
            let sizes =
                model.sizeModels.map { "; size models for " + $0.keys.sorted().map(\.rawValue).joined(separator: ", ") }
                ?? ""
            print(
                "trained on \(summary) candidates: \(model.trees.count) rounds; temperature \(temperature), operating point \(point)\(sizes); written to \(out)"
            )
        } catch {
            throw CommandFailure(error)
        }
    }
}
