import Foundation
import FusionPrelabel
import FusionQA

/// The quality pass of `SceneAnnotator`: the guideline's rules over the tracked pre-labels (sizes,
/// returns, ground contact, overlaps, track motion in the world), and the flags that send a label
/// to a person: sparse, rule findings, uncertain class, occluded or truncated in every camera.
struct AnnotationChecks {
    var rules: RuleSet
    var uncertainConfidence: Double

    /// The class name the guideline knows an object by: OpenLABEL's, "Unknown" when unsure.
    static func className(_ kind: PrelabelClass?) -> String {
        kind?.openLABELName ?? "Unknown"
    }

    /// Label id in findings: "<frame index>/<uid>".
    static func labelID(frame: Int, uid: String) -> String { "\(frame)/\(uid)" }

    /// Checks the frames, adds the flags to their objects, and returns the findings and the report.
    func check(_ frames: inout [AnnotatedScene.Frame], sceneName: String) -> (findings: [Finding], report: QAReport) {
        let checked = frames.map { frame in
            CheckedFrame(
                index: frame.index, time: frame.timestamp, worldFromSensor: frame.worldFromLidar,
                labels: frame.objects.map { object in
                    CheckedLabel(
                        id: Self.labelID(frame: frame.index, uid: object.uid), trackID: object.trackID.map(String.init),
                        objectClass: Self.className(object.kind), box: object.cuboid, points: object.points,
                        groundHeight: object.groundHeight,
                        time: frame.worldFromLidar == nil ? nil : frame.timestamp, worldFromSensor: frame.worldFromLidar
                    )
                })
        }
        let findings = RuleChecker(rules: rules).check(checked)
        var found: [String: Set<AnnotatedScene.Flag>] = [:]
        for finding in findings {
            found[finding.labelID, default: []].insert(finding.rule == .pointsMinimum ? .sparse : .ruleFinding)
        }
        var summaries: [(objectClass: String, range: Double, occlusionLevel: Int?, flags: Set<AmbiguityFlag>)] = []
        for position in frames.indices {
            for index in frames[position].objects.indices {
                var object = frames[position].objects[index]
                var flags = Set(object.flags).union(
                    found[Self.labelID(frame: frames[position].index, uid: object.uid)] ?? [])
                if object.kind == nil || object.confidence < uncertainConfidence { flags.insert(.classUncertain) }
                let inView = object.views.filter { $0.imageBox != nil }
                let hidden = inView.map { 1 - $0.visibleFraction }.min()
                let viewFlags = AmbiguityFlag.viewFlags(hiddenShare: hidden, truncation: inView.map(\.truncation).min())
                if viewFlags.contains(.occluded) { flags.insert(.occluded) }
                if viewFlags.contains(.truncated) { flags.insert(.truncated) }
                object.flags = flags.sorted()
                frames[position].objects[index] = object
                let range =
                    (object.cuboid.center.x * object.cuboid.center.x + object.cuboid.center.y * object.cuboid.center.y)
                    .squareRoot()
                summaries.append(
                    (
                        Self.className(object.kind), range, hidden.map(BoxSample.occlusionLevel(hiddenShare:)),
                        Self.reviewFlags(flags)
                    ))
            }
        }
        return (
            findings,
            QAReport(scene: sceneName, guidelineVersion: rules.guidelineVersion, labels: summaries, findings: findings)
        )
    }

    /// The review board's flags for a label's annotation flags.
    static func reviewFlags(_ flags: Set<AnnotatedScene.Flag>) -> Set<AmbiguityFlag> {
        var review: Set<AmbiguityFlag> = []
        for flag in flags {
            switch flag {
            case .sparse, .tooFewPoints: review.insert(.sparse)
            case .occluded: review.insert(.occluded)
            case .truncated: review.insert(.truncated)
            case .classUncertain, .ambiguousClass: review.insert(.classUncertain)
            case .ruleFinding: review.insert(.ruleFinding)
            case .partialView, .mergedCluster, .lowModelScore, .poorlySupported, .interpolated, .untracked: break
            }
        }
        return review
    }
}
