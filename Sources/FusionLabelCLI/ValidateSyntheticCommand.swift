import ArgumentParser
import Foundation
import FusionLabel
import FusionQA

struct ValidateSyntheticCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate-synthetic",
        abstract: "Compare a synthetic labelled dataset with real recordings, class by class.",
        discussion: """
            Per class: box sizes, LiDAR returns against range (points x range^2), mean intensity in the
            box, occlusion and truncation, and heading, compared by the Kolmogorov-Smirnov statistic
            (the gap score) and the 1-Wasserstein distance (how far, in the feature's unit). A feature
            is a gap when the difference is significant (p < 0.01) and large (KS >= 0.3). Each
            synthetic box outside the real envelope of its class is listed with the reason.
            Folders: FusionLabel scenes (scene.json), KITTI object or tracking folders, SUSTech POINTS
            scenes. A hybrid folder (--hybrid) is split by each label's recorded origin: synthetic
            labels on one side, real or unrecorded ones on the other. Exit status 2 when a gap or an
            out-of-envelope box is found.
            """)

    @Option(help: "A synthetic dataset's folder (repeat for several; they are pooled).")
    var synthetic: [String] = []

    @Option(help: "A real dataset's folder (repeat for several; they are pooled).")
    var real: [String] = []

    @Option(help: "A hybrid dataset's folder, split by each label's recorded origin (repeatable).")
    var hybrid: [String] = []

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        guard !(synthetic.isEmpty && hybrid.isEmpty), !(real.isEmpty && hybrid.isEmpty) else {
            throw ValidationError(
                "give a synthetic and a real side: --synthetic and --real folders, or --hybrid folders")
        }
    }

    func run() throws {
        let report: SimToRealReport
        do {
            var syntheticSamples: [BoxSample] = []
            var realSamples: [BoxSample] = []
            for folder in synthetic { syntheticSamples += try LabeledDataset.boxSamples(in: folder) }
            for folder in real { realSamples += try LabeledDataset.boxSamples(in: folder) }
            for folder in hybrid {
                let samples = try LabeledDataset.boxSamples(in: folder)
                syntheticSamples += samples.filter { $0.origin?.isSynthetic == true }
                realSamples += samples.filter { $0.origin?.isSynthetic != true }
            }
            report = SimToRealValidation().compare(synthetic: syntheticSamples, real: realSamples)
        } catch {
            throw CommandFailure(error)
        }
        if json {
            try printJSON(report)
        } else {
            print(report.text())
        }
        if report.isFlagged { throw ExitCode(2) }
    }
}
