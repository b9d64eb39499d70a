import Foundation
import FusionGeometry
import FusionSupport
import FusionTracking

/// One annotator's box in one frame.
public struct AnnotatedBox: Sendable, Equatable {
    public var id: String
    public var objectClass: String
    public var box: Cuboid

    public init(id: String, objectClass: String, box: Cuboid) {
        self.id = id
        self.objectClass = objectClass
        self.box = box
    }
}

/// Agreement between annotators on the same frames, in 3D.
///
/// Per frame, two annotators' boxes are paired by the Hungarian method on their similarity: 3D IoU
/// (at least `minimumIoU`), or for small classes (`smallClasses`: a box a few tens of centimetres
/// wide barely overlaps another after a small shift) `1 − distance / maximumCenterDistance`
/// between centres. Boxes are paired across classes, so class disagreement is measured too.
/// Errors are those of the second annotator's boxes against the first's; yaw error is taken
/// modulo 180° for `symmetricClasses` (whose front and back look alike) and modulo 360° otherwise.
/// Frames are matched in parallel; the report does not depend on it.
public struct AnnotatorAgreement: Sendable {
    public var minimumIoU = 0.3
    var maximumCenterDistance = 1.0
    var smallClasses: Set<String> = [
        "Pedestrian", "Person_sitting", "Person", "Cyclist", "Rider", "Bicycle", "Cone", "TrafficCone"
    ]
    var symmetricClasses: Set<String> = [
        "Pedestrian", "Person_sitting", "Person", "Cone", "TrafficCone", "Barrier"
    ]
    /// Matched pairs with less IoU than this, or more yaw error, are listed as disagreements.
    var disagreementIoU = 0.7
    var disagreementYawDegrees = 10.0

    public init() {}

    /// Error statistics over a set of matched pairs.
    public struct Summary: Sendable, Codable, Equatable {
        public var matched = 0, onlyFirst = 0, onlySecond = 0
        /// `2 · matched / (first + second)`.
        public var f1 = 0.0
        public var meanIoU3D = 0.0, meanBEVIoU = 0.0
        /// Metres.
        public var meanCenterError = 0.0, medianCenterError = 0.0
        /// Relative: `second / first − 1`, signed mean and mean of absolute values.
        public var meanLengthError = 0.0, meanWidthError = 0.0, meanHeightError = 0.0
        var meanAbsoluteSizeError = 0.0
        /// Degrees, absolute.
        public var meanYawError = 0.0, medianYawError = 0.0
        /// Cohen's kappa on the classes of the matched pairs (nil when undefined).
        public var classKappa: Double?
    }

    /// A pair that disagrees, or a box only one annotator drew.
    public struct Disagreement: Sendable, Codable, Equatable {
        public var frame: Int
        public var first: String?
        public var second: String?
        public var reason: String
    }

    public struct PairReport: Sendable, Codable, Equatable {
        public var overall: Summary
        public var byClass: [String: Summary]
        public var byFrame: [Int: Summary]
        public var disagreements: [Disagreement]

        /// The first annotator's labels the annotators disagree on, by frame and id: each deserves
        /// an `annotatorsDisagree` flag (a second look, not a silent choice of one version).
        public var disputedLabels: Set<String> {
            Set(disagreements.compactMap { disagreement in disagreement.first.map { "\(disagreement.frame)/\($0)" } })
        }
    }

    /// A matched pair with its errors, computed once.
    struct Pair {
        var frame: Int
        var first: AnnotatedBox
        var second: AnnotatedBox
        var iou3D: Double
        var bevIoU: Double
        var centerError: Double
        /// Degrees.
        var yawError: Double
    }

    /// Agreement of `second` with `first`, frame by frame (frame number → boxes).
    public func compare(_ first: [Int: [AnnotatedBox]], _ second: [Int: [AnnotatedBox]]) -> PairReport {
        // Frames are matched in parallel (each on its own); results are joined in frame order.
        let frames = Set(first.keys).union(second.keys).sorted()
        let results = parallelMap(count: frames.count) { position in
            let frame = frames[position]
            let a = first[frame] ?? []
            let b = second[frame] ?? []
            let matches = match(a, b)
            let usedA = Set(matches.map(\.row))
            let usedB = Set(matches.map(\.column))
            return (
                pairs: matches.map { pair(frame: frame, a[$0.row], b[$0.column], iou3D: $0.iou3D) },
                onlyFirst: a.indices.filter { !usedA.contains($0) }.map { (frame, a[$0]) },
                onlySecond: b.indices.filter { !usedB.contains($0) }.map { (frame, b[$0]) }
            )
        }
        let pairs = results.flatMap(\.pairs)
        let onlyFirst = results.flatMap(\.onlyFirst)
        let onlySecond = results.flatMap(\.onlySecond)
        var disagreements: [Disagreement] = []
        for pair in pairs {
            var reasons: [String] = []
            if pair.first.objectClass != pair.second.objectClass {
                reasons.append("class \(pair.first.objectClass) vs \(pair.second.objectClass)")
            }
            if pair.iou3D < disagreementIoU { reasons.append(String(format: "3D IoU %.2f", pair.iou3D)) }
            if pair.yawError > disagreementYawDegrees {
                reasons.append(String(format: "yaw differs by %.1f°", pair.yawError))
            }
            if !reasons.isEmpty {
                disagreements.append(
                    Disagreement(
                        frame: pair.frame, first: pair.first.id, second: pair.second.id,
                        reason: reasons.joined(separator: ", ")))
            }
        }
        disagreements += onlyFirst.map {
            Disagreement(frame: $0.0, first: $0.1.id, second: nil, reason: "only the first annotator drew it")
        }
        disagreements += onlySecond.map {
            Disagreement(frame: $0.0, first: nil, second: $0.1.id, reason: "only the second annotator drew it")
        }

        let pairsByClass = Dictionary(grouping: pairs, by: \.first.objectClass)
        let pairsByFrame = Dictionary(grouping: pairs, by: \.frame)
        let onlyFirstByClass = Dictionary(grouping: onlyFirst, by: \.1.objectClass)
        let onlySecondByClass = Dictionary(grouping: onlySecond, by: \.1.objectClass)
        let onlyFirstByFrame = Dictionary(grouping: onlyFirst, by: \.0)
        let onlySecondByFrame = Dictionary(grouping: onlySecond, by: \.0)
        var byClass: [String: Summary] = [:]
        for objectClass in Set(pairsByClass.keys).union(onlyFirstByClass.keys).union(onlySecondByClass.keys) {
            byClass[objectClass] = summary(
                pairsByClass[objectClass] ?? [], onlyFirst: onlyFirstByClass[objectClass]?.count ?? 0,
                onlySecond: onlySecondByClass[objectClass]?.count ?? 0)
        }
        var byFrame: [Int: Summary] = [:]
        for frame in Set(first.keys).union(second.keys) {
            byFrame[frame] = summary(
                pairsByFrame[frame] ?? [], onlyFirst: onlyFirstByFrame[frame]?.count ?? 0,
                onlySecond: onlySecondByFrame[frame]?.count ?? 0)
        }
        return PairReport(
            overall: summary(pairs, onlyFirst: onlyFirst.count, onlySecond: onlySecond.count), byClass: byClass,
            byFrame: byFrame, disagreements: disagreements)
    }

    /// Pairs of indices into `a` and `b` by the Hungarian method on similarity, with the pair's
    /// 3D IoU when it was matched on it.
    func match(_ a: [AnnotatedBox], _ b: [AnnotatedBox]) -> [(row: Int, column: Int, iou3D: Double?)] {
        var costs = [Double](repeating: .infinity, count: a.count * b.count)
        var ious = [Double?](repeating: nil, count: a.count * b.count)
        for (row, first) in a.enumerated() {
            for (column, second) in b.enumerated() {
                if smallClasses.contains(first.objectClass) || smallClasses.contains(second.objectClass) {
                    let distance = (first.box.center - second.box.center).length
                    if distance <= maximumCenterDistance {
                        costs[row * b.count + column] = -(1 - distance / maximumCenterDistance)
                    }
                } else if first.box.footprintMayMeet(second.box) {
                    let iou = first.box.iou3D(with: second.box)
                    ious[row * b.count + column] = iou
                    if iou >= minimumIoU { costs[row * b.count + column] = -iou }
                }
            }
        }
        return HungarianAssignment.solve(costs: costs, rows: a.count, columns: b.count).map {
            ($0.row, $0.column, ious[$0.row * b.count + $0.column])
        }
    }

    func pair(frame: Int, _ first: AnnotatedBox, _ second: AnnotatedBox, iou3D: Double?) -> Pair {
        Pair(
            frame: frame, first: first, second: second, iou3D: iou3D ?? first.box.iou3D(with: second.box),
            bevIoU: first.box.bevIoU(with: second.box),
            centerError: (first.box.center - second.box.center).length, yawError: yawError(first, second))
    }

    /// Degrees in 0...180 (0...90 for symmetric classes).
    func yawError(_ first: AnnotatedBox, _ second: AnnotatedBox) -> Double {
        let forward = first.box.rotation.act(on: SIMD3(1, 0, 0))
        let other = second.box.rotation.act(on: SIMD3(1, 0, 0))
        var angle =
            abs(atan2(forward.x * other.y - forward.y * other.x, forward.x * other.x + forward.y * other.y)) * 180 / .pi
        if symmetricClasses.contains(first.objectClass), angle > 90 { angle = 180 - angle }
        return angle
    }

    func summary(_ pairs: [Pair], onlyFirst: Int, onlySecond: Int) -> Summary {
        var summary = Summary()
        summary.matched = pairs.count
        summary.onlyFirst = onlyFirst
        summary.onlySecond = onlySecond
        let boxes = 2 * pairs.count + onlyFirst + onlySecond
        summary.f1 = boxes > 0 ? 2 * Double(pairs.count) / Double(boxes) : 0
        guard !pairs.isEmpty else { return summary }
        let count = Double(pairs.count)
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / count }
        summary.meanIoU3D = mean(pairs.map(\.iou3D))
        summary.meanBEVIoU = mean(pairs.map(\.bevIoU))
        let centers = pairs.map(\.centerError)
        summary.meanCenterError = mean(centers)
        summary.medianCenterError = OrderStatistics.median(centers.sorted())
        summary.meanLengthError = mean(pairs.map { $0.second.box.size.length / $0.first.box.size.length - 1 })
        summary.meanWidthError = mean(pairs.map { $0.second.box.size.width / $0.first.box.size.width - 1 })
        summary.meanHeightError = mean(pairs.map { $0.second.box.size.height / $0.first.box.size.height - 1 })
        summary.meanAbsoluteSizeError = mean(
            pairs.map {
                (abs($0.second.box.size.length / $0.first.box.size.length - 1)
                    + abs($0.second.box.size.width / $0.first.box.size.width - 1)
                    + abs($0.second.box.size.height / $0.first.box.size.height - 1)) / 3
            })
        let yaws = pairs.map(\.yawError)
        summary.meanYawError = mean(yaws)
        summary.medianYawError = OrderStatistics.median(yaws.sorted())
        summary.classKappa = AgreementStatistics.cohensKappa(
            pairs.map { ($0.first.objectClass, $0.second.objectClass) })
        return summary
    }
}
