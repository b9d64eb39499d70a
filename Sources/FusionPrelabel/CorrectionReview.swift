import Foundation
import FusionGeometry

/// What an annotator does to a frame's proposals, replayed from the frame's true labels: each
/// labelled object is matched to a proposal (one to one, best bird's-eye overlap first) and kept
/// as labelled. The corrections feed `PriorModel.learn(from:)`; the tally says how much work the
/// proposals left.
public struct CorrectionReview: Sendable {
    /// A match at or above this bird's-eye IoU with the right class needs no fix.
    var acceptedIoU = 0.7
    /// Below this bird's-eye IoU a proposal is no starting point: the object is drawn anew.
    var startingIoU = 0.3
    /// Labels with fewer returns are not counted (nobody can check them against the sweep).
    public var minimumPoints = 10

    public init() {}

    /// How much correcting took.
    public struct Tally: Sendable, Equatable {
        /// Labelled objects reviewed, and those whose proposal had to be fixed (moved, resized,
        /// turned or re-classed) or drawn from nothing (no proposal overlapped by `startingIoU`).
        public var objects = 0, needingFix = 0, drawnFromNothing = 0
        /// Over the objects that had a proposal: sums of centre distance (bird's eye), size change
        /// (|Δlength| + |Δwidth| + |Δheight|) and yaw change (mod π), metres and radians.
        public var matched = 0
        var centerChange = 0.0, sizeChange = 0.0, yawChange = 0.0

        public var shareNeedingFix: Double { objects == 0 ? 0 : Double(needingFix) / Double(objects) }
        /// Mean centre plus size change of a matched proposal, metres.
        public var meanCorrection: Double { matched == 0 ? 0 : (centerChange + sizeChange) / Double(matched) }

        /// Nothing reviewed yet.
        public init() {}

        public static func + (lhs: Tally, rhs: Tally) -> Tally {
            var sum = lhs
            sum.objects += rhs.objects
            sum.needingFix += rhs.needingFix
            sum.drawnFromNothing += rhs.drawnFromNothing
            sum.matched += rhs.matched
            sum.centerChange += rhs.centerChange
            sum.sizeChange += rhs.sizeChange
            sum.yawChange += rhs.yawChange
            return sum
        }
    }

    /// Reviews one frame: `truth` holds the labels (class, box in the proposals' frame, returns inside).
    public func review(_ proposals: [Proposal], truth: [(kind: PrelabelClass, box: Cuboid, points: Int)]) -> (
        corrections: [PriorModel.Correction], tally: Tally
    ) {
        let (match, _) = BEVMatching.match(
            labels: truth.map(\.box), proposals: proposals.map(\.cuboid), minimumIoU: startingIoU
        ) {
            truth[$0].points >= minimumPoints
        }
        var corrections: [PriorModel.Correction] = []
        var tally = Tally()
        for (labelIndex, label) in truth.enumerated() where label.points >= minimumPoints {
            tally.objects += 1
            guard let proposalIndex = match[labelIndex] else {
                tally.needingFix += 1
                tally.drawnFromNothing += 1
                corrections.append(.init(kind: label.kind, fitted: nil, corrected: label.box))
                continue
            }
            let proposal = proposals[proposalIndex]
            let box = proposal.cuboid
            let offset = SIMD2(box.center.x - label.box.center.x, box.center.y - label.box.center.y)
            var yaw = abs(box.yaw - label.box.yaw).truncatingRemainder(dividingBy: .pi)
            yaw = min(yaw, .pi - yaw)
            tally.matched += 1
            tally.centerChange += (offset * offset).sum().squareRoot()
            tally.sizeChange +=
                abs(box.size.length - label.box.size.length) + abs(box.size.width - label.box.size.width)
                + abs(box.size.height - label.box.size.height)
            tally.yawChange += yaw
            if proposal.kind != label.kind || box.bevIoU(with: label.box) < acceptedIoU { tally.needingFix += 1 }
            corrections.append(.init(kind: label.kind, fitted: proposal.fit.cuboid, corrected: label.box))
        }
        return (corrections, tally)
    }
}

extension CorrectionReview.Tally: Codable {}
