import Foundation
import FusionCalibration
import FusionGeometry
import FusionIO
import FusionPrelabel
import FusionQA

/// A scene as `SceneAnnotator` leaves it: tracked pre-labels in every frame, what each camera
/// sees of them, and the quality checks' findings and report. Boxes are in the LiDAR frame
/// (x forward, y left, z up; DESIGN.md).
public struct AnnotatedScene: Sendable {
    /// How one camera sees one box.
    public struct CameraView: Sendable, Equatable {
        public var camera: String
        /// The box's outline clipped to the image, pixels; nil when the camera does not see it.
        public var imageBox: PixelRectangle?
        /// Share of the projected outline's area outside the image, 0...1 (1 behind the camera).
        public var truncation: Double
        /// Share of the box's image that is not hidden by nearer boxes or LiDAR returns, 0...1
        /// (0 when out of view).
        public var visibleFraction: Double
        /// KITTI's `occluded`: 0 fully visible, 1 partly, 2 largely hidden, 3 unknown (out of view).
        public var kittiOcclusion: Int
    }

    /// Why a label deserves a person's look: the pre-label's own reasons, then the pipeline's.
    public enum Flag: String, Sendable, Codable, CaseIterable, Comparable {
        // From the pre-labeler (`ProposalFlag`), for the frame's matched proposal.
        case tooFewPoints = "too_few_points", ambiguousClass = "ambiguous_class", partialView = "partial_view",
            mergedCluster = "merged_cluster"
        case lowModelScore = "low_model_score", poorlySupported = "poorly_supported"
        /// No proposal in this frame: the tracker filled the box in (coasting, smoothing, stitching).
        case interpolated
        /// The proposal joined no track (kept because `keepUntracked` is set).
        case untracked
        /// The track's confidence is below `uncertainConfidence`, or its class vote found no class.
        case classUncertain = "class_uncertain"
        /// More than half the box is hidden in every camera that has it in view.
        case occluded
        /// More than half its outline is outside every camera that has it in view.
        case truncated
        /// Fewer LiDAR returns than the guideline asks of its class.
        case sparse
        /// Another guideline rule found something (see the findings).
        case ruleFinding = "rule_finding"

        /// Whether the flag asks a person to look (the class or the box may be wrong: an ambiguous
        /// or uncertain class, a merged cluster, a doubtful detector box, a proposal no track took,
        /// a guideline finding), or only describes the view (seen in part, hidden, cut off by the
        /// image, sparse, filled in between frames): most labels of a LiDAR sweep are seen in part,
        /// so those are notes, not reasons to stop.
        public var asksForReview: Bool {
            switch self {
            case .ambiguousClass, .mergedCluster, .lowModelScore, .poorlySupported, .untracked, .classUncertain,
                .ruleFinding:
                true
            case .tooFewPoints, .partialView, .interpolated, .occluded, .truncated, .sparse: false
            }
        }

        public static func < (lhs: Flag, rhs: Flag) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// One object in one frame.
    public struct Object: Sendable {
        /// The object's id over the scene: its track id; untracked proposals are numbered after the
        /// last track, one id each.
        public var uid: String
        /// Track id (from 1), nil for an untracked proposal.
        public var trackID: Int?
        /// The track's class (a confidence-weighted vote over its proposals); nil when unsure.
        public var kind: PrelabelClass?
        /// LiDAR frame; the tracker's smoothed box (one size for the whole track).
        public var cuboid: Cuboid
        /// The track's confidence, 0...1: the summed confidence of its proposals that voted for its
        /// class over the frames it was matched in.
        public var confidence: Double
        /// This frame's proposal, when one matched (nil for interpolated boxes).
        public var proposal: Proposal?
        /// LiDAR returns inside the box in this frame.
        public var points: Int
        /// The ground height under the box (LiDAR frame, metres), nil where too few returns say.
        public var groundHeight: Double?
        /// One per camera of the scene, in its order.
        public var views: [CameraView]
        public var flags: [Flag]

        /// Whether any flag asks a person to look (`Flag.asksForReview`).
        public var needsReview: Bool { flags.contains(where: \.asksForReview) }
    }

    public struct Frame: Sendable {
        /// The scene manifest's frame index.
        public var index: Int
        /// Seconds.
        public var timestamp: Double
        /// The LiDAR frame in the world, when the scene has ego poses.
        public var worldFromLidar: RigidTransform?
        public var objects: [Object]
        /// The pre-labeler's provenance for this frame (algorithm, version, parameters, input hash).
        public var provenance: PrelabelProvenance
    }

    public var name: String
    /// The scene folder.
    public var folder: String
    /// The scene's cameras; every object has one view per camera, in this order.
    public var rig: CameraRig
    public var frames: [Frame]
    /// Guideline findings over all labels; label ids are "<frame index>/<uid>".
    public var findings: [Finding]
    public var report: QAReport
    public var configuration: AnnotationConfiguration
    /// Proposals no track took, dropped (0 when `keepUntracked` is set).
    public var droppedProposals: Int

    /// The cameras' names, in the rig's order.
    public var cameras: [String] { rig.cameras.map(\.name) }

    /// Number of distinct tracks.
    public var trackCount: Int {
        Set(frames.flatMap { $0.objects.compactMap(\.trackID) }).count
    }
}

extension AnnotatedScene.Flag {
    /// The pre-labeller's flag (a switch, so a new `ProposalFlag` cannot compile without its flag here).
    init(_ flag: ProposalFlag) {
        switch flag {
        case .tooFewPoints: self = .tooFewPoints
        case .ambiguousClass: self = .ambiguousClass
        case .partialView: self = .partialView
        case .mergedCluster: self = .mergedCluster
        case .lowModelScore: self = .lowModelScore
        case .poorlySupported: self = .poorlySupported
        }
    }
}
