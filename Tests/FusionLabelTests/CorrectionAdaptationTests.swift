import Foundation
import FusionGeometry
import FusionLabel
import FusionPrelabel
import FusionTestSupport
import Testing

/// `evaluate adaptation` on the shared datasets, through the release CLI: corrections of one
/// frame teach the pre-labeller the dataset's own way of drawing people, and the dataset's other
/// frames are scored before and after.
@Suite(SharedScenes.required)
struct CorrectionAdaptationTests {
    struct Report: Decodable {
        var learnedFrom: [String]
        var scoredOn: [String]
        var corrections: Int
        var scorerExamples: Int
        var pedestrianPartialView: Size3?
        var before: PrelabelBenchmark.Report
        var after: PrelabelBenchmark.Report
        var fixesBefore: CorrectionReview.Tally
        var fixesAfter: CorrectionReview.Tally
    }

    static func adaptation(_ dataset: String, learningFrom frame: String, _ options: [String] = ["--no-scorer"])
        throws -> (status: Int32, output: String, errors: String)
    {
        let result = try ChildProcess.run(
            try ReleaseCLI.executable(),
            ["evaluate", "adaptation", "--labels", try SharedScenes.path(dataset), "--learn-from", frame, "--json"]
                + options)
        return (result.status, result.output, result.errors)
    }

    /// SUSTech POINTS draws people about as tight as their returns, PandaSet a good deal wider
    /// (the label files say so: median longer side 0.71 m against 0.98 m in the frames learned
    /// from). What one frame of corrections teaches follows each dataset's own labels (0.60 and
    /// 0.93 m today), and on PandaSet's eight other frames, with the size priors alone deciding (no
    /// scorer), pedestrian recall at bird's-eye IoU 0.5 goes from 13 to 54 of 128 (0.10 → 0.42)
    /// and the mean correction of a matched proposal from 1.30 to 0.89 m. Floors: recall ≥ 0.30
    /// and at least twice the recall before; mean correction at least 0.2 m smaller.
    @Test func learnsHowEachDatasetDrawsPeople() throws {
        var learned: [String: (lengths: [Double], report: Report)] = [:]
        for (dataset, frame) in [("sustechpoints-example", "000965"), ("pandaset-scans", "000000")] {
            let result = try Self.adaptation(dataset, learningFrom: frame)
            #expect(result.status == 0, "\(result.errors)")
            let report = try JSONDecoder().decode(Report.self, from: Data(result.output.utf8))
            let sweeps = try LabelledSweep.load(try SharedScenes.path(dataset))
            #expect(report.learnedFrom == [frame])
            #expect(report.scoredOn == sweeps.map(\.id).filter { $0 != frame })
            #expect(report.corrections > 0 && report.scorerExamples == 0)
            // Both passes score the same labels: those of the other frames, counted independently.
            let counted = sweeps.filter { $0.id != frame }.flatMap(\.labels).filter {
                $0.category.group != nil && $0.points >= 20
            }.count
            #expect(report.before.labels == counted && report.after.labels == counted)
            // The longer footprint sides of the learning frame's pedestrian labels with ≥ 20 returns.
            let lengths = sweeps.filter { $0.id == frame }.flatMap(\.labels).filter {
                $0.category.group == .pedestrian && $0.points >= 20
            }.map { max($0.box.size.length, $0.box.size.width) }.sorted()
            let partialView = try #require(report.pedestrianPartialView, "\(dataset)")
            #expect(lengths.first! <= partialView.length && partialView.length <= lengths.last!, "\(dataset)")
            learned[dataset] = (lengths, report)
        }
        let tight = try #require(learned["sustechpoints-example"])
        let wide = try #require(learned["pandaset-scans"])
        #expect(tight.lengths[tight.lengths.count / 2] < wide.lengths[wide.lengths.count / 2])
        #expect(tight.report.pedestrianPartialView!.length < wide.report.pedestrianPartialView!.length)

        let recall = { (report: PrelabelBenchmark.Report) in report.groups[.pedestrian]?.recall[0] ?? nil }
        let before = try #require(recall(wide.report.before))
        let after = try #require(recall(wide.report.after))
        #expect(after >= 0.30 && after >= 2 * before, "pedestrian recall \(before) → \(after)")
        #expect(wide.report.fixesAfter.meanCorrection <= wide.report.fixesBefore.meanCorrection - 0.2)
    }

    /// A frame the dataset does not have, or nothing left to score, is a clear error; a scorer
    /// trained with --train-on goes with no other scorer option.
    @Test func refusesWhatItCannotScore() throws {
        let missing = try Self.adaptation("sustechpoints-example", learningFrom: "000999")
        #expect(missing.status != 0 && missing.errors.contains("000999") && missing.errors.contains("000965"))
        let everything = try ChildProcess.run(
            try ReleaseCLI.executable(),
            [
                "evaluate", "adaptation", "--labels", try SharedScenes.path("sustechpoints-example"),
                "--learn-from", "000965", "--learn-from", "000970", "--learn-from", "000975", "--no-scorer"
            ])
        #expect(everything.status != 0 && everything.errors.contains("none is left to score"), "\(everything.errors)")
        let contradicting = try Self.adaptation(
            "sustechpoints-example", learningFrom: "000965",
            ["--no-scorer", "--train-on", try SharedScenes.path("kitti-object")])
        #expect(contradicting.status != 0 && contradicting.errors.contains("--train-on"), "\(contradicting.errors)")
    }
}
