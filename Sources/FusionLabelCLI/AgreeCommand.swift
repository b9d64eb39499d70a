import ArgumentParser
import Foundation
import FusionLabel
import FusionQA

struct AgreeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agree",
        abstract: "Measure how far annotators agree in 3D, and their consensus.",
        discussion: """
            Each argument is one annotator's labels: an OpenLABEL file, a KITTI tracking label file, a
            folder of KITTI object labels or of SUSTech POINTS labels. Boxes are paired per frame by 3D
            IoU (centre distance for small classes). With two annotators: F1, IoU, centre, size and yaw
            errors, Cohen's kappa on classes, per class. With more: Krippendorff's alpha and the
            consensus boxes. Disagreements are listed.
            """)

    @Argument(help: "Two or more annotators' label sets.")
    var annotators: [String]

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        guard annotators.count >= 2 else { throw ValidationError("give at least two annotators' labels") }
    }

    struct Output: Encodable {
        var pairs: [String: AnnotatorAgreement.PairReport]
        var consensus: AnnotatorAgreement.ConsensusReport
    }

    func run() throws {
        let sets: [[Int: [AnnotatedBox]]]
        do { sets = try annotators.map(AnnotationSet.read) } catch { throw CommandFailure(error) }
        let agreement = AnnotatorAgreement()
        var pairs: [String: AnnotatorAgreement.PairReport] = [:]
        for second in 1..<sets.count { pairs["1-\(second + 1)"] = agreement.compare(sets[0], sets[second]) }
        let consensus = agreement.consensus(sets)
        if json {
            try printJSON(Output(pairs: pairs, consensus: consensus))
            return
        }
        for second in 1..<sets.count {
            let summary = pairs["1-\(second + 1)"]!.overall
            print("annotator \(second + 1) against annotator 1 (\(annotators[second]) vs \(annotators[0])):")
            print(
                String(
                    format: "  matched %d, only first %d, only second %d, F1 %.3f", summary.matched, summary.onlyFirst,
                    summary.onlySecond, summary.f1))
            print(
                String(
                    format: "  mean 3D IoU %.3f, BEV IoU %.3f; centre error %.3f m (median %.3f)", summary.meanIoU3D,
                    summary.meanBEVIoU,
                    summary.meanCenterError, summary.medianCenterError))
            print(
                String(
                    format:
                        "  size error length %+.2f%%, width %+.2f%%, height %+.2f%%; yaw error %.2f° (median %.2f°)",
                    100 * summary.meanLengthError, 100 * summary.meanWidthError, 100 * summary.meanHeightError,
                    summary.meanYawError, summary.medianYawError)
                    + (summary.classKappa.map { String(format: "; class kappa %.3f", $0) } ?? ""))
        }
        print(
            "consensus: \(consensus.boxes.count) objects"
                + (consensus.classAlpha.map { String(format: ", class alpha %.3f", $0) } ?? "")
                + ", \(consensus.disagreements.count) with disagreements")
        for disagreement in consensus.disagreements.prefix(20) {
            print(
                "  frame \(disagreement.frame) \(disagreement.first ?? "-")/\(disagreement.second ?? "-"): \(disagreement.reason)"
            )
        }
    }
}
