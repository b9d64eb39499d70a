import Foundation
import FusionGeometry
import FusionIO
import FusionPrelabel
import FusionSupport
import FusionTracking

/// Trains the proposal scorer on labelled datasets (from the candidates found in their sweeps)
/// and judges it honestly: leave one dataset out.
public enum ScorerTraining {
    /// A labelled dataset with the candidates a pre-labeller without a scorer finds in each sweep.
    public struct Dataset: Sendable {
        public var name: String
        public let sweeps: [LabelledSweep]
        /// Per sweep, every candidate (with its features).
        public let candidates: [[Proposal]]
        /// The candidates as training examples, each weighted 1: those where the dataset labels,
        /// with the outcome of the label holding most of their returns (at least half; otherwise
        /// background). Candidates mostly on a road user of no group (a motorbike, a pram) are
        /// left out: they are neither objects to find nor background to reject.
        public let examples: [ProposalScorer.Example]

        /// Loads a dataset folder (see `LabelledSweep.load`) and finds its candidates with
        /// `prelabeler` less its scorer, sweeps in parallel (at most `maximumConcurrency` at once).
        /// - Throws: `ReadError` for unreadable files, and for a folder with nothing to learn from
        ///   (no labelled sweep, or no candidate where it labels).
        public static func load(
            _ folder: String, name: String? = nil, prelabeler: Prelabeler = Prelabeler(),
            maximumConcurrency: Int? = nil
        ) throws -> Dataset {
            let sweeps = try LabelledSweep.load(folder)
            var finder = prelabeler
            finder.scorer = nil
            let candidates = finder.prelabel(frames: sweeps.map(\.sweep), maximumConcurrency: maximumConcurrency).map(
                \.proposals)
            var examples: [ProposalScorer.Example] = []
            for (sweep, found) in zip(sweeps, candidates) {
                examples += found.compactMap { ScorerTraining.example(of: $0, in: sweep) }
            }
            guard !examples.isEmpty else {
                throw ReadError(
                    file: folder, location: .file,
                    message:
                        "nothing to learn from: \(sweeps.count) labelled sweeps and no candidate where they are labelled"
                )
            }
            return Dataset(
                name: name ?? URL(fileURLWithPath: folder).lastPathComponent, sweeps: sweeps, candidates: candidates,
                examples: examples)
        }
    }

    /// A candidate as a training example (weight 1), judged by the labels of its sweep: nil where
    /// the sweep is not labelled, without features, or mostly on a road user that no group scores.
    static func example(of candidate: Proposal, in sweep: LabelledSweep) -> ProposalScorer.Example? {
        guard sweep.isLabelled(candidate.cuboid), let features = candidate.features,
            let (outcome, label) = judged(candidate, in: sweep)
        else { return nil }
        return .init(
            features: features, outcome: outcome, labelSize: label?.size,
            fitSize: label.map { _ in candidate.fit.cuboid.size })
    }

    /// What a candidate is by the labels of its sweep, or nil when it lies mostly on a road user
    /// that no group scores.
    static func outcome(of candidate: Proposal, in sweep: LabelledSweep) -> ProposalScorer.Outcome? {
        judged(candidate, in: sweep)?.outcome
    }

    /// As `outcome(of:in:)`, with the labelled box of a road user of a group.
    static func judged(_ candidate: Proposal, in sweep: LabelledSweep) -> (
        outcome: ProposalScorer.Outcome, label: Cuboid?
    )? {
        var best: (returns: Int, label: Int)?
        for (index, label) in sweep.labels.enumerated() where label.box.footprintMayMeet(candidate.cuboid) {
            let inside = candidate.pointIndices.reduce(0) { count, index in
                let point = sweep.sweep[index]
                return count + (label.box.contains(SIMD3(Double(point.x), Double(point.y), Double(point.z))) ? 1 : 0)
            }
            if inside > (best?.returns ?? 0) { best = (inside, index) }
        }
        guard let best, 2 * best.returns >= candidate.pointIndices.count else { return (.background, nil) }
        let label = sweep.labels[best.label]
        if let group = label.category.group { return (ProposalScorer.Outcome(group), label.box) }
        return label.category.isRoadUser ? nil : (.background, nil)
    }

    /// A scorer trained on `datasets`, each weighted to count as much as the others whatever its
    /// size (a dataset of many frames must not decide alone).
    /// - Precondition: `datasets` is not empty (each loaded dataset has examples).
    public static func train(on datasets: [Dataset], parameters: ProposalScorer.TrainingParameters = .init())
        -> ProposalScorer
    {
        var examples: [ProposalScorer.Example] = []
        var sets: [ProposalScorer.Provenance.TrainingSet] = []
        let mean = Double(datasets.reduce(0) { $0 + $1.examples.count }) / Double(max(1, datasets.count))
        for dataset in datasets {
            let own = dataset.examples
            let weight = mean / Double(own.count)
            examples += own.map {
                ProposalScorer.Example(
                    features: $0.features, outcome: $0.outcome, weight: weight, labelSize: $0.labelSize,
                    fitSize: $0.fitSize)
            }
            sets.append(.init(name: dataset.name, sha256: ProposalScorer.hash(own), examples: own.count))
        }
        return ProposalScorer.train(examples, sets: sets, parameters: parameters)
    }

    /// The benchmark of a dataset's candidates as `prelabeler` (with its scorer and operating
    /// point) turns them into proposals, or as they are when `prelabeler` is nil.
    public static func benchmark(_ dataset: Dataset, prelabeler: Prelabeler?, benchmark: PrelabelBenchmark = .init())
        -> PrelabelBenchmark.Report
    {
        let frames = zip(dataset.sweeps, dataset.candidates).map { sweep, candidates in
            sweep.benchmarkFrame(
                (prelabeler.map { judge in candidates.compactMap { judge.rescored($0) } } ?? candidates)
                    .map(PrelabelBenchmark.Detection.init))
        }
        return benchmark.evaluate(frames)
    }

    /// How a scorer trained on some datasets is turned into decisions, chosen on them.
    public struct Calibration: Sendable, Equatable {
        /// `ProposalScorer.temperature`.
        public var temperature: Double
        /// `Prelabeler.minimumObjectProbability`.
        public var minimumObjectProbability: Double
    }

    /// The calibration of a scorer trained on `datasets`, chosen on them without letting any
    /// dataset judge a scorer that saw it: each dataset's candidates are scored by a scorer trained
    /// on the others (and on `extra`). The temperature minimises the log loss of those
    /// predictions (each dataset weighted alike); then the operating point is the lowest
    /// `minimumObjectProbability` among `thresholds` at which the median dataset has at most
    /// `proposalBudget` proposals per labelled object (the median, so that neither a dataset with
    /// many objects nor one with a handful decides; the highest threshold when none qualifies).
    public static func calibration(
        for datasets: [Dataset], alwaysTrainedOn extra: [Dataset] = [], prelabeler: Prelabeler = Prelabeler(),
        parameters: ProposalScorer.TrainingParameters = .init(), proposalBudget: Double = 2,
        thresholds: [Double] = stride(from: 0.05, through: 0.6, by: 0.05).map { $0 },
        benchmark: PrelabelBenchmark = .init()
    ) -> Calibration {
        guard datasets.count >= 2 else {
            return Calibration(temperature: 1, minimumObjectProbability: prelabeler.minimumObjectProbability)
        }
        var judges = datasets.indices.map { heldOut -> Prelabeler in
            var judge = prelabeler
            judge.scorer = train(
                on: datasets.indices.filter { $0 != heldOut }.map { datasets[$0] } + extra, parameters: parameters)
            return judge
        }
        let heldOutExamples = datasets.map(\.examples)
        func logLoss(_ temperature: Double) -> Double {
            var total = 0.0
            for (examples, judge) in zip(heldOutExamples, judges) where !examples.isEmpty {
                var scorer = judge.scorer!
                scorer.temperature = temperature
                let loss = examples.reduce(0.0) {
                    $0 - log(max(scorer.probabilities($1.features)[$1.outcome.rawValue], 1e-12))
                }
                total += loss / Double(examples.count)
            }
            return total
        }
        // Golden-section search on ln(temperature) in [ln 0.25, ln 8]: the loss is smooth and unimodal in it.
        var low = log(0.25)
        var high = log(8.0)
        let ratio = (5.0.squareRoot() - 1) / 2
        for _ in 0..<40 {
            let a = high - ratio * (high - low)
            let b = low + ratio * (high - low)
            if logLoss(exp(a)) <= logLoss(exp(b)) { high = b } else { low = a }
        }
        let temperature = exp((low + high) / 2)
        for index in judges.indices { judges[index].scorer?.temperature = temperature }
        for threshold in thresholds.sorted() {
            let ratios = zip(datasets, judges).compactMap { dataset, judge -> Double? in
                var atThreshold = judge
                atThreshold.minimumObjectProbability = threshold
                return Self.benchmark(dataset, prelabeler: atThreshold, benchmark: benchmark).proposalsPerLabel
            }.sorted()
            guard !ratios.isEmpty else { break }
            if OrderStatistics.median(ratios) <= proposalBudget {
                return Calibration(temperature: temperature, minimumObjectProbability: threshold)
            }
        }
        return Calibration(
            temperature: temperature, minimumObjectProbability: thresholds.max() ?? prelabeler.minimumObjectProbability)
    }

    /// `prelabeler` with a scorer trained on `datasets` and `extra`, at the temperature and
    /// operating point `calibration(for:alwaysTrainedOn:...)` chooses on `datasets`: how the
    /// built-in scorer is made, and how a held-out dataset is judged.
    public static func calibratedJudge(
        trainedOn datasets: [Dataset], alwaysTrainedOn extra: [Dataset] = [], prelabeler: Prelabeler = Prelabeler(),
        parameters: ProposalScorer.TrainingParameters = .init(), benchmark: PrelabelBenchmark = .init()
    ) -> (judge: Prelabeler, calibration: Calibration) {
        let calibration = Self.calibration(
            for: datasets, alwaysTrainedOn: extra, prelabeler: prelabeler, parameters: parameters,
            benchmark: benchmark)
        var judge = prelabeler
        judge.scorer = train(on: datasets + extra, parameters: parameters)
        judge.scorer?.temperature = calibration.temperature
        judge.minimumObjectProbability = calibration.minimumObjectProbability
        return (judge, calibration)
    }

    /// One held-out dataset's figures, before (the pre-labeller without a scorer: every candidate,
    /// classes from the size priors) and after (with a scorer trained and calibrated on the other
    /// datasets and `alwaysTrainedOn`, as `make builtin-scorer` trains the built-in one on all).
    public struct HeldOut: Sendable {
        public var name: String
        /// The calibration chosen without this dataset.
        public var calibration: Calibration
        public var before: PrelabelBenchmark.Report
        public var after: PrelabelBenchmark.Report
        /// The scorer's probabilities for the held-out candidates, with whether each was an object
        /// of the group (for a reliability curve): (predicted probability of its likeliest group, correct).
        public var reliability: [(probability: Double, isCorrect: Bool)]
    }

    /// Leave-one-dataset-out: for each of `datasets`, a scorer trained and calibrated on the others
    /// (and on `alwaysTrainedOn`, such as simulated scenes, never held out) judges its candidates:
    /// the procedure that makes the built-in scorer, judged on a dataset it did not see.
    /// - Precondition: at least two datasets.
    public static func leaveOneOut(
        _ datasets: [Dataset], alwaysTrainedOn extra: [Dataset] = [], prelabeler: Prelabeler = Prelabeler(),
        parameters: ProposalScorer.TrainingParameters = .init(), benchmark: PrelabelBenchmark = .init()
    )
        -> [HeldOut]
    {
        precondition(datasets.count >= 2, "leaving one dataset out needs at least two")
        return datasets.indices.map { heldOut in
            let others = datasets.indices.filter { $0 != heldOut }.map { datasets[$0] }
            let (judge, calibration) = calibratedJudge(
                trainedOn: others, alwaysTrainedOn: extra, prelabeler: prelabeler, parameters: parameters,
                benchmark: benchmark)
            var reliability: [(probability: Double, isCorrect: Bool)] = []
            for (sweep, candidates) in zip(datasets[heldOut].sweeps, datasets[heldOut].candidates) {
                for candidate in candidates where sweep.isLabelled(candidate.cuboid) {
                    guard let features = candidate.features, let truth = outcome(of: candidate, in: sweep),
                        let probabilities = judge.scorer?.probabilities(features)
                    else { continue }
                    let best = probabilities.indices.dropFirst().max { probabilities[$0] < probabilities[$1] }!
                    reliability.append((probabilities[best], truth.rawValue == best))
                }
            }
            return HeldOut(
                name: datasets[heldOut].name, calibration: calibration,
                before: Self.benchmark(datasets[heldOut], prelabeler: nil, benchmark: benchmark),
                after: Self.benchmark(datasets[heldOut], prelabeler: judge, benchmark: benchmark),
                reliability: reliability)
        }
    }
}
