import Foundation
import FusionGeometry
import FusionIO
import FusionPrelabel
import FusionTracking

/// The correction loop judged on a dataset: what a team's corrections of a few frames do to the
/// next pass over its other frames.
///
/// A pre-labeller (typically with a scorer trained on other datasets only) pre-labels the
/// learning frames; an annotator corrects them, replayed from the frames' labels as
/// `CorrectionReview` replays one (each labelled object matched to a proposal one to one, by
/// bird's-eye overlap, and kept as labelled); the prior model learns those corrections
/// (`PriorModel.learn(from:)`: class sizes, size corrections, how big the dataset draws partly seen
/// objects) and the scorer which of the shown proposals were kept (`ProposalScorer.updated`: a
/// proposal mostly on a labelled road user is kept as its group, any other is deleted). The
/// remaining frames are then scored before and after, as `evaluate prelabel` scores them, with
/// the work their proposals leave an annotator.
public enum CorrectionAdaptation {
    /// What the corrections changed on the frames they were not learned from.
    public struct Report: Sendable, Encodable {
        /// Frame ids corrected and learned from, and those scored.
        public var learnedFrom: [String]
        public var scoredOn: [String]
        /// Boxes the prior model learned from (corrected proposals and boxes drawn anew).
        public var corrections: Int
        /// Shown proposals the scorer learned from (0 without a scorer or with `updatesScorer` off),
        /// and how many of them the annotator deleted.
        public var scorerExamples: Int
        public var deletedProposals: Int
        /// Learned from the corrections: how big the dataset draws a partly seen person
        /// (footprint's longer side as length), nil when no pedestrian was seen in part.
        public var pedestrianPartialView: Size3?
        /// The scored frames' pre-labels before and after learning.
        public var before: PrelabelBenchmark.Report
        public var after: PrelabelBenchmark.Report
        /// The work the scored frames' proposals leave (`CorrectionReview`), before and after.
        public var fixesBefore: CorrectionReview.Tally
        public var fixesAfter: CorrectionReview.Tally
    }

    /// Replays the correction loop on `dataset` (its candidates found without a scorer, as
    /// `ScorerTraining.Dataset.load` finds them).
    /// - Parameters:
    ///   - learningFrames: ids of the frames corrected and learned from; every other frame is scored.
    ///   - prelabeler: the pre-labeller before learning (its priors, scorer and operating point).
    ///   - updatesScorer: whether the scorer (when there is one) learns the kept and deleted proposals.
    /// - Throws: `ReadError` naming a learning frame the dataset does not have, or when no frame is
    ///   left to score.
    public static func evaluate(
        _ dataset: ScorerTraining.Dataset, learningFrom learningFrames: [String], prelabeler: Prelabeler,
        updatesScorer: Bool = true, review: CorrectionReview = .init(), benchmark: PrelabelBenchmark = .init()
    ) throws(ReadError) -> Report {
        let ids = dataset.sweeps.map(\.id)
        for frame in learningFrames where !ids.contains(frame) {
            throw ReadError(
                file: dataset.name, location: .file,
                message: "no labelled frame \(frame) to learn from (frames: \(ids.joined(separator: ", ")))")
        }
        let learning = Set(learningFrames)
        let learned = dataset.sweeps.indices.filter { learning.contains(dataset.sweeps[$0].id) }
        let scored = dataset.sweeps.indices.filter { !learning.contains(dataset.sweeps[$0].id) }
        guard !scored.isEmpty else {
            throw ReadError(
                file: dataset.name, location: .file, message: "every frame is learned from: none is left to score")
        }

        var corrections: [PriorModel.Correction] = []
        var examples: [ProposalScorer.Example] = []
        for index in learned {
            let sweep = dataset.sweeps[index]
            var shown: [Proposal] = []
            for candidate in dataset.candidates[index] {
                guard let proposal = prelabeler.rescored(candidate) else { continue }
                shown.append(proposal)
                if let example = ScorerTraining.example(of: candidate, in: sweep) { examples.append(example) }
            }
            corrections += review.review(shown, truth: truth(of: sweep)).corrections
        }

        var adapted = prelabeler
        adapted.priors.learn(from: corrections)
        if updatesScorer, let scorer = prelabeler.scorer {
            adapted.scorer = scorer.updated(
                with: examples, name: "\(dataset.name) \(learningFrames.joined(separator: ","))")
        } else {
            examples = []
        }

        func outcome(of judge: Prelabeler) -> (PrelabelBenchmark.Report, CorrectionReview.Tally) {
            var frames: [PrelabelBenchmark.Frame] = []
            var tally = CorrectionReview.Tally()
            for index in scored {
                let sweep = dataset.sweeps[index]
                let proposals = dataset.candidates[index].compactMap { judge.rescored($0) }
                frames.append(sweep.benchmarkFrame(proposals.map(PrelabelBenchmark.Detection.init)))
                tally = tally + review.review(proposals, truth: truth(of: sweep)).tally
            }
            return (benchmark.evaluate(frames), tally)
        }
        let (before, fixesBefore) = outcome(of: prelabeler)
        let (after, fixesAfter) = outcome(of: adapted)
        return Report(
            learnedFrom: learned.map { dataset.sweeps[$0].id }, scoredOn: scored.map { dataset.sweeps[$0].id },
            corrections: corrections.count, scorerExamples: examples.count,
            deletedProposals: examples.filter { $0.outcome == .background }.count,
            pedestrianPartialView: adapted.priors.classes[.pedestrian]?.partialViews?.meanSize,
            before: before, after: after, fixesBefore: fixesBefore, fixesAfter: fixesAfter)
    }

    /// A sweep's labels of the benchmark's groups as an annotator keeps them (class, box, returns).
    static func truth(of sweep: LabelledSweep) -> [(kind: PrelabelClass, box: Cuboid, points: Int)] {
        sweep.labels.compactMap { label in
            label.category.group == nil ? nil : (PrelabelClass(label.category), label.box, label.points)
        }
    }
}
