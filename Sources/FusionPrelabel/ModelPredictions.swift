import Foundation
import FusionGeometry
import FusionIO

/// A box from a team's own 3D detector (OpenPCDet-style output), to be used as a pre-label.
public struct ModelPrediction: Sendable, Equatable {
    /// Sensor (LiDAR) frame.
    public var box: Cuboid
    /// Nil when the model's class name means nothing to pre-labelling (it then stays unsure).
    public var kind: PrelabelClass?
    /// The model's confidence, 0...1.
    public var score: Double

    public init(box: Cuboid, kind: PrelabelClass?, score: Double) {
        self.box = box
        self.kind = kind
        self.score = score
    }

    /// Predictions in KITTI object format (with the score column; a missing score counts as 1),
    /// DontCare rows skipped, moved into the LiDAR frame with the frame's calibration.
    public static func kitti(_ objects: [KITTIObject], calibration: KITTICalibration) -> [ModelPrediction] {
        let lidarFromCamera = calibration.rectifiedCameraFromLidar.inverse
        return objects.filter { !$0.isDontCare }.map {
            ModelPrediction(
                box: $0.box.cuboid(lidarFromRectifiedCamera: lidarFromCamera), kind: PrelabelClass(labelName: $0.type),
                score: $0.score ?? 1)
        }
    }

    /// Predictions of one frame of an OpenLABEL document (cuboids taken in the LiDAR frame), the
    /// score read from the cuboid's `score` or `confidence` number (1 when it has neither).
    public static func openLABEL(_ document: OpenLABELDocument, frame: Int) -> [ModelPrediction] {
        (document.frames[frame]?.objects ?? [:]).sorted { $0.key < $1.key }.flatMap { uid, labels in
            labels.map { label in
                ModelPrediction(
                    box: label.cuboid, kind: document.objects[uid].flatMap { PrelabelClass(labelName: $0.type) },
                    score: label.attributes.numbers["score"] ?? label.attributes.numbers["confidence"] ?? 1)
            }
        }
    }
}

/// Brings a detector's predictions into pre-labelling: each is refitted to its returns (one-click
/// refit with the model's class) unless the refit would leave out returns the predicted box holds
/// (a sparse far object, or a cluster run into its neighbour: the model's box is kept as it came),
/// then merged with the engine's own proposals: two boxes on one object (3D IoU at least
/// `duplicateIoU`, or most of one's returns inside the other) become one. A supported prediction
/// (score at least `minimumScore`, at least `minimumSupport` returns) wins over the engine's own
/// box, whose cluster may hold a neighbour too; otherwise, and between two predictions, the box
/// with more returns inside wins (the model's on a tie). Low scores and boxes with few returns are
/// flagged, not dropped.
public struct PredictionImport: Sendable {
    public var refitter: OneClickFit
    /// The model's name, kept in every proposal that comes from it.
    public var modelName: String
    var duplicateIoU = 0.3
    var minimumScore = 0.3
    /// Returns inside a box below which it is poorly supported.
    var minimumSupport = 5
    /// Share of the predicted box's standing returns (ground left out) the refitted box must keep.
    var minimumRefitCoverage = 0.8

    public init(modelName: String, refitter: OneClickFit = OneClickFit()) {
        self.modelName = modelName
        self.refitter = refitter
    }

    /// The merged proposals for one sweep: the engine's `own` and the model's `predictions`.
    public func merge(
        _ predictions: [ModelPrediction], with own: [Proposal], in cloud: PointCloud,
        ground: GroundSegmentation.Ground?
    ) -> [Proposal] {
        let imported: [Proposal] = predictions.map { prediction in
            var proposal: Proposal
            if let refitted = refitter.refit(prediction.box, kind: prediction.kind, in: cloud, ground: ground),
                refitted.cuboid.bevIoU(with: prediction.box) > 0.1,
                keepsReturns(of: prediction.box, in: refitted.cuboid, cloud: cloud, ground: ground)
            {
                proposal = refitted
            } else {
                // Nothing to refit to: the model's box as it came.
                let empty = CuboidFitter.Fit(cuboid: prediction.box, residual: 0, pointCount: 0, seenSides: 0)
                proposal = Proposal(
                    cuboid: prediction.box, kind: prediction.kind, confidence: prediction.score,
                    classProbabilities: prediction.kind.map { [$0: 1] } ?? [:], flags: [], fit: empty, pointIndices: [])
            }
            proposal.kind = prediction.kind
            proposal.confidence = prediction.score
            proposal.origin = .model(name: modelName, score: prediction.score)
            proposal.flags.removeAll { $0 == .ambiguousClass || $0 == .tooFewPoints }
            if prediction.score < minimumScore { proposal.flags.append(.lowModelScore) }
            if cloud.countPoints(inside: proposal.cuboid) < minimumSupport { proposal.flags.append(.poorlySupported) }
            return proposal
        }
        // Duplicates: supported predictions first, then best-supported first (the model's on a tie,
        // then the order given), each kept unless a kept box already covers its object: a 3D IoU
        // of `duplicateIoU`, or most of its returns inside the kept box (a partial view beside a
        // whole one).
        let candidates = (imported.map { ($0, 1) } + own.map { ($0, 0) }).enumerated()
            .map { entry in
                let returns = cloud.indicesOfPoints(inside: entry.element.0.cuboid)
                let isSupported =
                    entry.element.1 == 1 && !entry.element.0.flags.contains(.lowModelScore)
                    && returns.count >= minimumSupport
                return (
                    proposal: entry.element.0, returns: returns, isModel: entry.element.1, rank: isSupported ? 1 : 0,
                    order: entry.offset
                )
            }
            .sorted {
                ($0.rank, $0.returns.count, $0.isModel, -$0.order) > ($1.rank, $1.returns.count, $1.isModel, -$1.order)
            }
        var kept: [Proposal] = []
        for candidate in candidates {
            let box = candidate.proposal.cuboid
            let covered = kept.contains { other in
                guard other.cuboid.footprintMayMeet(box) else { return false }
                let shared = candidate.returns.filter { other.cuboid.contains(SIMD3<Double>(cloud[$0])) }.count
                return other.cuboid.iou3D(with: box) >= duplicateIoU
                    || (!candidate.returns.isEmpty && 2 * shared >= candidate.returns.count)
            }
            if !covered { kept.append(candidate.proposal) }
        }
        return kept.sorted {
            ($0.cuboid.center.x * $0.cuboid.center.x + $0.cuboid.center.y * $0.cuboid.center.y, $0.cuboid.center.z)
                < (
                    $1.cuboid.center.x * $1.cuboid.center.x + $1.cuboid.center.y * $1.cuboid.center.y,
                    $1.cuboid.center.z
                )
        }
    }

    /// Whether `refitted` keeps at least `minimumRefitCoverage` of the standing returns inside `predicted`.
    private func keepsReturns(
        of predicted: Cuboid, in refitted: Cuboid, cloud: PointCloud, ground: GroundSegmentation.Ground?
    ) -> Bool {
        let standing = cloud.indicesOfPoints(inside: predicted).filter { !(ground?.mask[$0] ?? false) }
        guard !standing.isEmpty else { return true }
        let kept = standing.filter { refitted.contains(SIMD3<Double>(cloud[$0])) }.count
        return Double(kept) >= minimumRefitCoverage * Double(standing.count)
    }
}
