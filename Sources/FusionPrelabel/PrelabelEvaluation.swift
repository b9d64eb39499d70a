import Foundation
import FusionGeometry
import FusionSupport

/// How well proposals match labelled boxes in one or more frames, per class: labels with enough
/// returns count for recall when a proposal overlaps them in bird's-eye view by `iouThreshold`;
/// proposals count for precision when they overlap any label (also those with few returns, whose
/// proposals are not false) by `iouThreshold`.
public struct PrelabelEvaluation: Sendable, CustomStringConvertible {
    public struct ClassTally: Sendable {
        /// Labels with at least `minimumPoints` returns, and those a proposal found.
        public var labels = 0, found = 0
        /// Found labels whose proposal also has their class.
        var foundWithClass = 0
        /// Proposals of the class (by `kind`, or the likeliest class when unsure), and those on a label.
        public var proposals = 0, proposalsOnLabels = 0
        /// The same for the proposals the engine gave a class (not flagged unsure).
        var classedProposals = 0, classedProposalsOnLabels = 0
        /// Yaw errors of the found labels, radians, modulo π.
        var yawErrors: [Double] = []

        public var recall: Double { labels == 0 ? .nan : Double(found) / Double(labels) }
        public var precision: Double { proposals == 0 ? .nan : Double(proposalsOnLabels) / Double(proposals) }
        public var classedPrecision: Double {
            classedProposals == 0 ? .nan : Double(classedProposalsOnLabels) / Double(classedProposals)
        }
        public var medianYawError: Double {
            yawErrors.isEmpty ? .nan : OrderStatistics.median(yawErrors.sorted())
        }
    }

    public var iouThreshold: Double
    public var minimumPoints: Int
    public private(set) var classes: [PrelabelClass: ClassTally] = [:]

    public init(iouThreshold: Double = 0.5, minimumPoints: Int = 20) {
        self.iouThreshold = iouThreshold
        self.minimumPoints = minimumPoints
    }

    /// Adds one frame: its labels (class, box in the proposals' frame, returns inside) and proposals.
    /// Matching is one to one, best overlaps first.
    public mutating func add(labels: [(kind: PrelabelClass, box: Cuboid, points: Int)], proposals: [Proposal]) {
        add(
            labels: labels,
            boxes: proposals.map { proposal in
                (
                    proposal.kind,
                    proposal.kind ?? proposal.classProbabilities.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
                        ?? .other, proposal.cuboid
                )
            })
    }

    /// Adds one frame of boxes from anywhere (tracked labels, another tool's): each with its class
    /// (nil when unsure) and the class it counts under for precision (its likeliest when unsure).
    public mutating func add(
        labels: [(kind: PrelabelClass, box: Cuboid, points: Int)],
        boxes: [(kind: PrelabelClass?, countedAs: PrelabelClass, box: Cuboid)]
    ) {
        let (labelMatch, proposalMatched) = BEVMatching.match(
            labels: labels.map(\.box), proposals: boxes.map(\.box),
            minimumIoU: iouThreshold)
        for (labelIndex, label) in labels.enumerated() where label.points >= minimumPoints {
            var tally = classes[label.kind] ?? ClassTally()
            tally.labels += 1
            if let match = labelMatch[labelIndex] {
                let proposal = boxes[match]
                tally.found += 1
                if proposal.kind == label.kind { tally.foundWithClass += 1 }
                tally.yawErrors.append(PrelabelBenchmark.yawError(label.box, proposal.box))
            }
            classes[label.kind] = tally
        }
        for (proposalIndex, proposal) in boxes.enumerated() {
            var tally = classes[proposal.countedAs] ?? ClassTally()
            tally.proposals += 1
            if proposalMatched[proposalIndex] { tally.proposalsOnLabels += 1 }
            if proposal.kind != nil {
                tally.classedProposals += 1
                if proposalMatched[proposalIndex] { tally.classedProposalsOnLabels += 1 }
            }
            classes[proposal.countedAs] = tally
        }
    }

    public var description: String {
        classes.keys.sorted().map { kind in
            let tally = classes[kind]!
            return String(
                format:
                    "%@: recall %d/%d (%.2f, with class %d), precision %d/%d (%.2f; classed %d/%d), median yaw error %.1f deg",
                kind.rawValue, tally.found, tally.labels, tally.recall, tally.foundWithClass, tally.proposalsOnLabels,
                tally.proposals,
                tally.precision, tally.classedProposalsOnLabels, tally.classedProposals,
                tally.medianYawError * 180 / .pi)
        }.joined(separator: "\n")
    }
}
