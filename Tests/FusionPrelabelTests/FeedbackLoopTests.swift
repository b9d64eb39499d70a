import Foundation
import FusionGeometry
import FusionIO
@testable import FusionPrelabel
import FusionTestSupport
import Testing

/// The correction loop replayed on the bundled simulated street (exact ground truth): pre-label
/// three frames, correct them from the truth, learn, go on to the next three.
@Suite struct FeedbackLoopTests {
    static func sampleFrames() throws -> [(cloud: PointCloud, truth: [(kind: PrelabelClass, box: Cuboid, points: Int)])] {
        let scene = try Scene.open(SharedScenes.repositoryRoot + "/SampleScenes/urban")
        let document = try #require(try scene.labelDocuments().first)
        return try scene.manifest.frames.map { frame in
            let truth = (document.frames[frame.index]?.objects ?? [:]).sorted { $0.key < $1.key }.compactMap { uid, labels -> (PrelabelClass, Cuboid, Int)? in
                guard let label = labels.first, let type = document.objects[uid]?.type, let kind = PrelabelClass(labelName: type) else { return nil }
                return (kind, label.cuboid, Int(label.attributes.numbers["points"] ?? 0))
            }
            return (try scene.lidarSweep(of: frame), truth)
        }
    }

    @Test func correctionsMakeTheNextPassNeedFewerFixes() throws {
        let frames = try Self.sampleFrames()
        let curve = try Self.curve(cycles: [frames[0..<3], frames[3..<6], frames[6..<9]].map(Array.init))
        // The simulated street's 44 objects come back in every frame, so the second and third
        // cycles need about as many fixes (0.63, 0.60, 0.60 of the objects) while the corrections
        // keep shrinking (1.40, 1.33, 1.31 m).
        let text = Self.describe(curve, name: "SampleScenes/urban")
        #expect(curve[1].shareNeedingFix < curve[0].shareNeedingFix && curve[2].shareNeedingFix < curve[0].shareNeedingFix, "\(text)")
        #expect(curve[1].meanCorrection < curve[0].meanCorrection && curve[2].meanCorrection < curve[1].meanCorrection, "\(text)")
    }

    /// Pre-labels each cycle's frames with the priors learned so far, reviews them against the
    /// truth, then learns from the cycle's corrections.
    static func curve(cycles: [[(cloud: PointCloud, truth: [(kind: PrelabelClass, box: Cuboid, points: Int)])]]) throws -> [CorrectionReview.Tally] {
        var prelabeler = Prelabeler()
        var curve: [CorrectionReview.Tally] = []
        for frames in cycles {
            var tally = CorrectionReview.Tally(), corrections: [PriorModel.Correction] = []
            for frame in frames {
                let reviewed = CorrectionReview().review(prelabeler.prelabel(frame.cloud).proposals, truth: frame.truth)
                tally = tally + reviewed.tally
                corrections += reviewed.corrections
            }
            curve.append(tally)
            prelabeler.priors.learn(from: corrections)
        }
        return curve
    }

    static func describe(_ curve: [CorrectionReview.Tally], name: String) -> String {
        name + "\n" + curve.enumerated().map {
            String(format: "cycle %d: %d of %d need a fix (%.2f), mean correction %.3f m", $0.offset + 1, $0.element.needingFix,
                   $0.element.objects, $0.element.shareNeedingFix, $0.element.meanCorrection)
        }.joined(separator: "\n")
    }
}

/// The same loop on the real SUSTech frames (one frame a cycle), whose labels are drawn larger than
/// KITTI's statistics: the priors learn the difference.
@Suite(SharedScenes.required)
struct FeedbackLoopReplayTests {
    @Test func correctionsOnRealFramesMakeTheNextPassNeedFewerFixes() throws {
        let frames = try ["000965", "000970", "000975"].map { try PrelabelAccuracyTests.sustechFrame($0) }.map { [(cloud: $0.cloud, truth: $0.labels)] }
        let curve = try FeedbackLoopTests.curve(cycles: frames)
        let text = FeedbackLoopTests.describe(curve, name: "SUSTech 000965, 000970, 000975")
        for (earlier, later) in zip(curve, curve.dropFirst()) {
            #expect(later.shareNeedingFix < earlier.shareNeedingFix, "\(text)")
            #expect(later.meanCorrection < earlier.meanCorrection, "\(text)")
        }
    }
}
