import Foundation
import FusionGeometry
import FusionPrelabel
import FusionTracking

/// Pre-labels tracked over a scene for `SceneAnnotator`: every frame's proposals go to the
/// offline tracker class-blind (a proposal's class may flicker from frame to frame, the object's
/// does not), in the world when the scene has ego poses so parked cars stand still. Each track's
/// box in a frame takes that frame's proposal it overlaps most (bird's-eye IoU), and the track's
/// class is the confidence-weighted vote of the proposals it took.
struct AnnotationTracking {
    var configuration: AnnotationConfiguration

    /// The class-blind name every proposal is tracked under.
    static let trackedClass = "object"

    /// Objects per frame (points, views and ground not yet measured) and how many proposals were
    /// dropped for joining no track.
    /// - Parameters:
    ///   - proposals: per frame, LiDAR frame.
    ///   - worldFromLidar: one per frame, or nil to track in the LiDAR frame.
    /// Each object comes with the index of the proposal it took in its frame (nil for interpolated boxes).
    func objects(proposals: [[Proposal]], worldFromLidar: [RigidTransform]?)
        -> (objects: [[AnnotatedScene.Object]], proposalIndices: [[Int?]], droppedProposals: Int)
    {
        var tracker = OfflineTracker.Configuration()
        tracker.minimumHits = configuration.minimumTrackHits
        tracker.association.maximumMisses = configuration.maximumMisses
        tracker.stitchGap = configuration.stitchGap
        let detections = proposals.indices.map { frame in
            proposals[frame].map { proposal in
                Detection(
                    box: worldFromLidar.map { proposal.cuboid.transformed(by: $0[frame]) } ?? proposal.cuboid,
                    score: proposal.confidence,
                    objectClass: Self.trackedClass)
            }
        }
        let tracks = OfflineTracker(configuration: tracker).track(detections)

        // Each track box in the LiDAR frame, with the proposal it takes.
        var taken: [[(box: TrackedBox, proposal: Int?)]] = []
        var votes: [Int: [PrelabelClass?: Double]] = [:]
        var matchedFrames: [Int: Int] = [:]
        var dropped = 0
        var untracked: [[Int]] = []
        for frame in proposals.indices {
            let boxes = tracks[frame].map { tracked in
                var local = tracked
                if let worldFromLidar { local.box = tracked.box.transformed(by: worldFromLidar[frame].inverse) }
                return local
            }
            let (match, proposalTaken) = BEVMatching.match(
                labels: boxes.map(\.box), proposals: proposals[frame].map(\.cuboid),
                minimumIoU: configuration.proposalMatchIoU)
            taken.append(zip(boxes, match).map { ($0, $1) })
            for (box, proposal) in zip(boxes, match) {
                guard let proposal else { continue }
                votes[box.trackID, default: [:]][proposals[frame][proposal].kind, default: 0] +=
                    proposals[frame][proposal].confidence
                matchedFrames[box.trackID, default: 0] += 1
            }
            let left = proposalTaken.indices.filter { !proposalTaken[$0] }
            untracked.append(configuration.keepUntracked ? left : [])
            if !configuration.keepUntracked { dropped += left.count }
        }

        var trackClass: [Int: (kind: PrelabelClass?, confidence: Double)] = [:]
        for (id, ballot) in votes {
            // Fixed order (classes, then unsure) so ties always fall the same way.
            let candidates: [PrelabelClass?] = PrelabelClass.allCases.map { $0 } + [nil]
            let winner = candidates.max { (ballot[$0] ?? 0) < (ballot[$1] ?? 0) }!
            trackClass[id] = (winner, (ballot[winner] ?? 0) / Double(matchedFrames[id] ?? 1))
        }

        // Untracked proposals are numbered after the last track (OpenLABEL uids are integers or UUIDs).
        var nextUID = (tracks.flatMap { $0.map(\.trackID) }.max() ?? 0) + 1
        var objects: [[AnnotatedScene.Object]] = []
        var proposalIndices: [[Int?]] = []
        for frame in proposals.indices {
            proposalIndices.append(taken[frame].map(\.proposal) + untracked[frame].map { Optional($0) })
            var frameObjects = taken[frame].map { entry in
                let proposal = entry.proposal.map { proposals[frame][$0] }
                let decided = trackClass[entry.box.trackID] ?? (nil, 0)
                return AnnotatedScene.Object(
                    uid: String(entry.box.trackID), trackID: entry.box.trackID, kind: decided.kind,
                    cuboid: entry.box.box,
                    confidence: decided.confidence, proposal: proposal, points: 0, groundHeight: nil, views: [],
                    flags: proposal.map { $0.flags.map(AnnotatedScene.Flag.init) } ?? [.interpolated])
            }
            for index in untracked[frame] {
                let proposal = proposals[frame][index]
                defer { nextUID += 1 }
                frameObjects.append(
                    AnnotatedScene.Object(
                        uid: String(nextUID), trackID: nil, kind: proposal.kind, cuboid: proposal.cuboid,
                        confidence: proposal.confidence, proposal: proposal, points: 0, groundHeight: nil, views: [],
                        flags: proposal.flags.map(AnnotatedScene.Flag.init) + [.untracked]))
            }
            objects.append(frameObjects)
        }
        return (objects, proposalIndices, dropped)
    }
}
