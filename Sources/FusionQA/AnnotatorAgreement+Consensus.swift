import Foundation
import FusionGeometry
import FusionSupport

extension AnnotatorAgreement {
    /// One object as the annotators drew it, and the box they agree on.
    public struct ConsensusBox: Sendable, Codable, Equatable {
        public var frame: Int
        /// The robust mean: median centre and sizes, headings averaged on the circle after turning
        /// each within 90° of the first annotator's (a box drawn back to front counts as the same).
        public var box: AuditEntry.RecordedBox
        /// The majority class (the earliest annotator's among ties).
        public var objectClass: String
        /// Per annotator, the id of their box, or nil when they did not draw it.
        public var members: [String?]
    }

    public struct ConsensusReport: Sendable, Codable, Equatable {
        public var boxes: [ConsensusBox]
        /// Krippendorff's alpha on the classes of objects drawn by at least two annotators.
        public var classAlpha: Double?
        /// Objects not drawn by every annotator, or drawn with different classes.
        public var disagreements: [Disagreement]
    }

    /// Groups two or more annotators' boxes into objects (each annotator's boxes are matched in
    /// turn against the objects found so far, by the first box of each) and takes the consensus.
    public func consensus(_ annotators: [[Int: [AnnotatedBox]]]) -> ConsensusReport {
        precondition(annotators.count >= 2, "consensus needs at least two annotators")
        var boxes: [ConsensusBox] = []
        var units: [[String]] = []
        var disagreements: [Disagreement] = []
        for frame in Set(annotators.flatMap(\.keys)).sorted() {
            // Each unit: per annotator, the box it drew (or nil).
            var groups: [[AnnotatedBox?]] = []
            for (index, annotator) in annotators.enumerated() {
                let drawn = annotator[frame] ?? []
                let representatives = groups.map { $0.compactMap { $0 }.first! }
                let pairs = match(representatives, drawn)
                var used = Set<Int>()
                for pair in pairs {
                    groups[pair.row][index] = drawn[pair.column]
                    used.insert(pair.column)
                }
                for (position, box) in drawn.enumerated() where !used.contains(position) {
                    var group = [AnnotatedBox?](repeating: nil, count: annotators.count)
                    group[index] = box
                    groups.append(group)
                }
            }
            for group in groups {
                let drawn = group.compactMap { $0 }
                let classes = drawn.map(\.objectClass)
                units.append(classes)
                let counts = Dictionary(classes.map { ($0, 1) }, uniquingKeysWith: +)
                let majority = classes.first { counts[$0] == counts.values.max() }!
                boxes.append(
                    ConsensusBox(
                        frame: frame, box: AuditEntry.RecordedBox(Self.robustMean(drawn.map(\.box))),
                        objectClass: majority,
                        members: group.map { $0?.id }))
                var reasons: [String] = []
                if drawn.count < annotators.count {
                    reasons.append("drawn by \(drawn.count) of \(annotators.count) annotators")
                }
                if Set(classes).count > 1 { reasons.append("classes " + classes.joined(separator: " / ")) }
                if !reasons.isEmpty {
                    disagreements.append(
                        Disagreement(
                            frame: frame, first: group[0]?.id, second: group.dropFirst().compactMap { $0?.id }.first,
                            reason: reasons.joined(separator: ", ")))
                }
            }
        }
        return ConsensusReport(
            boxes: boxes, classAlpha: AgreementStatistics.krippendorffsAlpha(units), disagreements: disagreements)
    }

    /// Median centre and sizes; the mean heading of the boxes turned within 90° of the first.
    static func robustMean(_ boxes: [Cuboid]) -> Cuboid {
        func median(_ values: [Double]) -> Double { OrderStatistics.median(values.sorted()) }
        let reference = boxes[0].yaw
        var sine = 0.0
        var cosine = 0.0
        for box in boxes {
            var yaw = box.yaw
            let difference = remainder(yaw - reference, 2 * .pi)
            if abs(difference) > .pi / 2 { yaw += .pi }
            sine += sin(yaw)
            cosine += cos(yaw)
        }
        return Cuboid(
            center: SIMD3(median(boxes.map(\.center.x)), median(boxes.map(\.center.y)), median(boxes.map(\.center.z))),
            size: Size3(
                length: median(boxes.map(\.size.length)), width: median(boxes.map(\.size.width)),
                height: median(boxes.map(\.size.height))),
            yaw: atan2(sine, cosine))
    }
}
