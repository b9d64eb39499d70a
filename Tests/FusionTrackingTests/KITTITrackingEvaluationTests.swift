import FusionGeometry
import FusionIO
import FusionTestSupport
import Testing

@testable import FusionTracking

@Suite struct KITTITrackingEvaluationTests {
    static func row(
        _ frame: Int, _ id: Int, _ type: String, z: Double, x: Double = 0, truncated: Double = 0, height: Double = 100,
        score: Double? = nil
    ) -> KITTITrackedObject {
        KITTITrackedObject(
            frame: frame, trackID: id,
            object: KITTIObject(
                type: type, truncated: truncated, occluded: 0, alpha: 0,
                imageBox: PixelRectangle(left: 100, top: 100, right: 200, bottom: 100 + height),
                box: KITTIBox3D(
                    size: Size3(length: 4, width: 1.7, height: 1.5), bottomCenter: SIMD3(x, 1.6, z), rotationY: 0),
                score: score))
    }

    /// A case worked by hand through the reference's rules (see the comments for each count).
    @Test func aHandWorkedSequence() throws {
        let groundTruth = [
            Self.row(0, 1, "Car", z: 10), Self.row(0, 2, "Car", z: 20, x: 3, truncated: 1),  // B is truncated: ignored
            Self.row(1, 1, "Car", z: 10), Self.row(2, 1, "Car", z: 10)
        ]
        let results = [
            Self.row(0, 5, "Car", z: 10, score: 0.9), Self.row(0, 7, "Car", z: 20, x: 3, score: 0.8),
            // 9: an unmatched van, ignored.
            Self.row(0, 8, "Car", z: 40, height: 40, score: 0.3), Self.row(0, 9, "Van", z: 50, score: 0.95),
            // 5 → 6: an identity switch.
            Self.row(1, 6, "Car", z: 10, score: 0.7), Self.row(1, 8, "Car", z: 40, height: 40, score: 0.3),
            // 10: too small, ignored.
            Self.row(2, 6, "Car", z: 10, score: 0.7), Self.row(2, 10, "Car", z: 60, height: 20, score: 0.2)
        ]
        let report = KITTITrackingEvaluation(objectClass: "Car").evaluate([
            .init(groundTruth: groundTruth, results: results)
        ])
        // Thresholds (TP scores 0.9, 0.8, 0.7, 0.7 over 4 matched boxes) at recalls 0.025, 0.05, 0.075:
        // MOTA 1/3 (tracks 6, 8, 10 removed: two misses), 2/3, 2/3; sMOTA 1 each; MOTP 1 each.
        #expect(abs(report.sAMOTA - 3.0 / 40) < 1e-12)
        #expect(abs(report.AMOTA - (1.0 / 3 + 2.0 / 3 + 2.0 / 3) / 40) < 1e-12)
        #expect(abs(report.AMOTP - 3.0 / 40) < 1e-12)
        #expect(report.bestThreshold == 0.7)
        let best = report.best
        #expect(
            best.truePositives == 4 && best.falsePositives == 0 && best.falseNegatives == 0
                && best.groundTruthBoxes == 3)
        #expect(best.identitySwitches == 1 && best.fragmentations == 1 && abs(best.mota - 2.0 / 3) < 1e-12)
        #expect(best.mostlyTracked == 1 && best.mostlyLost == 0)
        // IDF1: A is best paired with track 6 (2 frames of 3); 3 counted results (7 sits on the ignored B).
        #expect(abs(best.idf1 - 2.0 * 2 / (3 + 3)) < 1e-12)
    }

    @Test func thresholdsFollowTheReferenceRecallSteps() {
        let evaluation = KITTITrackingEvaluation(objectClass: "Car")
        let chosen = evaluation.thresholds(scores: [0.7, 0.9, 0.8, 0.7], groundTruth: 4)
        #expect(chosen.map(\.threshold) == [0.8, 0.7, 0.7])
        #expect(zip(chosen.map(\.recall), [0.025, 0.05, 0.075]).allSatisfy { abs($0 - $1) < 1e-12 })
    }
}

/// The protocol on the real KITTI tracking val labels.
@Suite(SharedScenes.required)
struct KITTITrackingEvaluationReplayTests {
    static let folder = SharedScenes.root + "/kitti-tracking-val"

    static func sequences() throws -> [(name: String, rows: [KITTITrackedObject])] {
        try ["0001", "0006", "0008", "0010", "0012", "0013", "0014", "0015", "0016", "0018", "0019"].map {
            ($0, try KITTITrackedObject.read(contentsOf: "\(folder)/label_02/\($0).txt"))
        }
    }

    @Test(arguments: ["Car", "Pedestrian", "Cyclist"])
    func groundTruthAgainstItselfScoresOneAndNothingScoresZero(objectClass: String) throws {
        let sequences = try Self.sequences()
        let perfect = sequences.map { sequence in
            KITTITrackingEvaluation.Sequence(
                groundTruth: sequence.rows,
                results: sequence.rows.filter { !$0.object.isDontCare }.map {
                    var row = $0
                    row.object.score = 1
                    return row
                })
        }
        let report = KITTITrackingEvaluation(objectClass: objectClass).evaluate(perfect)
        #expect(
            abs(report.sAMOTA - 1) < 1e-9 && abs(report.AMOTA - 1) < 1e-9 && abs(report.AMOTP - 1) < 1e-9, "\(report)")
        #expect(
            report.best.mota == 1 && report.best.identitySwitches == 0 && report.best.falsePositives == 0
                && report.best.idf1 == 1)
        let empty = KITTITrackingEvaluation(objectClass: objectClass).evaluate(
            sequences.map { .init(groundTruth: $0.rows, results: []) })
        #expect(empty.sAMOTA == 0 && empty.AMOTA == 0 && empty.best.truePositives == 0)
    }
}
