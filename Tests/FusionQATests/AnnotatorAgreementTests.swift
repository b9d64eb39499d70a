import Foundation
import FusionGeometry
import FusionIO
import FusionTestSupport
import Testing

@testable import FusionQA

/// Real labels against copies perturbed by known amounts: the reported errors recover them.
@Suite(SharedScenes.required)
struct AnnotatorAgreementTests {
    /// SUSTech POINTS (3 frames) and KITTI tracking val sequence 0001 (447 frames), as annotators' boxes.
    static func realLabels() throws -> [(name: String, frames: [Int: [AnnotatedBox]])] {
        var sustech: [Int: [AnnotatedBox]] = [:]
        for frame in [965, 970, 975] {
            sustech[frame] = try SUSTechPOINTS.readLabels(
                contentsOf: try SharedScenes.path("sustechpoints-example/label/000\(frame).json")
            )
            .map { AnnotatedBox(id: $0.id, objectClass: $0.type, box: $0.cuboid) }
        }
        var kitti: [Int: [AnnotatedBox]] = [:]
        for row in try KITTITrackedObject.read(
            contentsOf: try SharedScenes.path("kitti-tracking-val/label_02/0001.txt")) where !row.object.isDontCare
        {
            kitti[row.frame, default: []].append(
                AnnotatedBox(
                    id: String(row.trackID), objectClass: row.object.type, box: row.object.box.cuboidInForwardLeftUpAxes
                ))
        }
        return [("SUSTech", sustech), ("KITTI 0001", kitti)]
    }

    /// Each box moved by (0.12, −0.05, 0.03) m in its own frame, scaled by 1.03 / 0.98 / 1.05, and
    /// turned by 2°; every tenth box given another class.
    static func perturbed(_ frames: [Int: [AnnotatedBox]]) -> [Int: [AnnotatedBox]] {
        var counter = 0
        return frames.mapValues { boxes in
            boxes.map { original in
                var copy = original
                copy.box.center = original.box.parentFromBox.apply(to: SIMD3(0.12, -0.05, 0.03))
                copy.box.size = Size3(
                    length: original.box.size.length * 1.03, width: original.box.size.width * 0.98,
                    height: original.box.size.height * 1.05)
                copy.box.rotation = UnitQuaternion(yaw: 2 * .pi / 180) * original.box.rotation
                if counter % 10 == 0 { copy.objectClass = original.objectClass == "Car" ? "Van" : "Car" }
                counter += 1
                return copy
            }
        }
    }

    @Test func knownPerturbationsAreRecovered() throws {
        for (name, frames) in try Self.realLabels() {
            let report = AnnotatorAgreement().compare(frames, Self.perturbed(frames))
            let overall = report.overall
            let total = frames.values.reduce(0) { $0 + $1.count }
            #expect(overall.matched == total && overall.f1 == 1, "\(name): \(overall.matched) of \(total) matched")
            #expect(
                abs(overall.meanLengthError - 0.03) < 0.01 && abs(overall.meanWidthError + 0.02) < 0.01
                    && abs(overall.meanHeightError - 0.05) < 0.01, "\(name) sizes")
            #expect(
                abs(overall.meanYawError - 2) < 0.5 && abs(overall.medianYawError - 2) < 0.5,
                "\(name) yaw \(overall.meanYawError)")
            let shift = SIMD3(0.12, -0.05, 0.03).length
            #expect(abs(overall.meanCenterError - shift) < 1e-6, "\(name) centre \(overall.meanCenterError)")
            #expect((overall.classKappa ?? 1) < 1)
            let classDisagreements = report.disagreements.filter { $0.reason.contains("class") }.count
            #expect(classDisagreements == (total + 9) / 10, "\(name): every tenth box changed class")
        }
    }

    /// Three annotators (the labels and two opposite perturbations): the consensus is the original
    /// box, and with the same classes Krippendorff's alpha is 1.
    @Test func theConsensusOfOppositePerturbationsIsTheOriginal() throws {
        let frames = try Self.realLabels()[0].frames
        func shifted(_ amount: Double) -> [Int: [AnnotatedBox]] {
            frames.mapValues {
                $0.map {
                    var copy = $0
                    copy.box.center.x += amount
                    copy.box.size.length *= 1 + amount
                    return copy
                }
            }
        }
        let report = AnnotatorAgreement().consensus([frames, shifted(0.1), shifted(-0.1)])
        #expect(report.boxes.count == frames.values.reduce(0) { $0 + $1.count } && report.disagreements.isEmpty)
        #expect(report.classAlpha == 1 || report.classAlpha == nil)
        for consensus in report.boxes {
            let original = try #require(frames[consensus.frame]?.first { $0.id == consensus.members[0] })
            #expect(
                abs(consensus.box.center[0] - original.box.center.x) < 1e-9
                    && abs(consensus.box.size[0] - original.box.size.length) < 1e-9)
        }
    }
}
