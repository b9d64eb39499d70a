import Foundation
import FusionGeometry

/// A detected box in one frame: LiDAR (or ego) frame, with its detector score and class.
public struct Detection: Sendable, Equatable {
    public var box: Cuboid
    /// Detector confidence, higher is surer.
    public var score: Double
    /// Class name (tracks never change class; association is within a class).
    public var objectClass: String

    public init(box: Cuboid, score: Double, objectClass: String) {
        self.box = box
        self.score = score
        self.objectClass = objectClass
    }
}

/// A track's box in one frame, as the tracker reports it.
public struct TrackedBox: Sendable, Equatable {
    /// Stable over the track's life, from 1, unique within a tracker.
    public var trackID: Int
    public var objectClass: String
    /// The filtered box.
    public var box: Cuboid
    /// Score of the detection matched in this frame.
    public var score: Double
    /// Mean score of the detections matched so far (the track-level confidence).
    public var meanScore: Double
}

/// How detections are matched to predicted tracks.
enum TrackAffinity: Sendable, Equatable {
    /// 3D IoU of the boxes, at least `minimum`.
    case iou3D(minimum: Double)
    /// 3D generalized IoU, at least `minimum` (it can be negative for disjoint boxes).
    case giou3D(minimum: Double)
    /// Distance between centres, metres, at most `maximum`.
    case centerDistance(maximum: Double)
    /// Mahalanobis distance of the detection from the track's predicted measurement (all seven
    /// measured quantities, weighted by the filter's uncertainty), at most `maximum`.
    case mahalanobis(maximum: Double)

    /// The assignment cost of a pair (lower is better) and the gate on it.
    /// - Parameter track: `filter.box`, computed once per track by the caller.
    func cost(_ filter: BoxKalmanFilter, _ track: Cuboid, _ detection: Cuboid) -> Double {
        switch self {
        case .iou3D:
            // Boxes whose footprints' circles are apart cannot overlap: skip the polygon clipping.
            track.footprintMayMeet(detection) ? -track.iou3D(with: detection) : 0
        case .giou3D: -track.giou3D(with: detection)
        case .centerDistance: (track.center - detection.center).length
        case .mahalanobis: filter.mahalanobisDistance(to: detection)
        }
    }

    var gate: Double {
        switch self {
        case .iou3D(let minimum), .giou3D(let minimum): -minimum
        case .centerDistance(let maximum), .mahalanobis(let maximum): maximum
        }
    }
}

/// Online 3D multi-object tracking in the manner of AB3DMOT: per class, a constant-velocity Kalman
/// filter per track, Hungarian assignment of detections to predicted tracks, birth of a track for
/// every unmatched detection, confirmation after `hitsToConfirm` matches, deletion after more
/// than `maximumMisses` frames without one. Feed frames in increasing order; gaps are predicted
/// through.
public struct OnlineTracker: Sendable {
    public struct Configuration: Sendable, Equatable {
        /// Per class name; `defaultAffinity` for the others.
        var affinities: [String: TrackAffinity] = [:]
        var defaultAffinity = TrackAffinity.iou3D(minimum: 0.01)
        var hitsToConfirm = 3
        public var maximumMisses = 2

        public init() {}

        func affinity(for objectClass: String) -> TrackAffinity { affinities[objectClass] ?? defaultAffinity }
    }

    struct Track: Sendable {
        var id: Int
        var objectClass: String
        var filter: BoxKalmanFilter
        var hits: Int
        var misses: Int
        var lastScore: Double
        var scoreSum: Double
    }

    /// Every step of one track's filter, kept when the tracker records history (offline mode).
    struct TrackHistory: Sendable {
        var frames: [Int] = []
        /// Steps predicted since the previous step (0 at birth).
        var steps: [Int] = []
        /// The matched detection's score, nil when the track coasted.
        var scores: [Double?] = []
        var predicted: [BoxKalmanFilter] = []
        var filtered: [BoxKalmanFilter] = []

        mutating func appendPredicted(_ filter: BoxKalmanFilter, frame: Int, steps: Int) {
            frames.append(frame)
            self.steps.append(steps)
            predicted.append(filter)
        }

        mutating func appendFiltered(_ filter: BoxKalmanFilter, score: Double?) {
            scores.append(score)
            filtered.append(filter)
        }
    }

    public let configuration: Configuration
    private var tracks: [Track] = []
    private var nextID = 1
    private var lastFrame: Int?
    private var framesSeen = 0
    /// Per track id, every step of its filter; nil unless recording.
    private(set) var history: [Int: TrackHistory]?

    init(configuration: Configuration, recordsHistory: Bool) {
        self.configuration = configuration
        history = recordsHistory ? [:] : nil
    }

    /// The class of each track ever started, by id, when recording.
    private(set) var classOfTrack: [Int: String] = [:]

    public init(configuration: Configuration = Configuration()) {
        self.init(configuration: configuration, recordsHistory: false)
    }

    /// Consumes the detections of `frame` and returns the tracks that are confirmed (or still in
    /// the first `hitsToConfirm` frames of the sequence, as AB3DMOT reports them) and matched in it.
    /// - Precondition: frames come in increasing order.
    public mutating func update(frame: Int, detections: [Detection]) -> [TrackedBox] {
        precondition(lastFrame.map { frame > $0 } ?? true, "frames must come in increasing order")
        let steps = lastFrame.map { frame - $0 } ?? 1
        lastFrame = frame
        framesSeen += 1
        for index in tracks.indices { tracks[index].filter.predict(steps: steps) }
        if history != nil {
            for track in tracks { history![track.id]!.appendPredicted(track.filter, frame: frame, steps: steps) }
        }

        var matchedTracks = Set<Int>()
        var matchedDetections = Set<Int>()
        for objectClass in Set(detections.map(\.objectClass)).union(tracks.map(\.objectClass)).sorted() {
            let trackIndices = tracks.indices.filter { tracks[$0].objectClass == objectClass }
            let detectionIndices = detections.indices.filter { detections[$0].objectClass == objectClass }
            guard !trackIndices.isEmpty, !detectionIndices.isEmpty else { continue }
            let affinity = configuration.affinity(for: objectClass)
            var costs: [Double] = []
            costs.reserveCapacity(trackIndices.count * detectionIndices.count)
            for track in trackIndices {
                let predicted = tracks[track].filter.box
                for detection in detectionIndices {
                    costs.append(affinity.cost(tracks[track].filter, predicted, detections[detection].box))
                }
            }
            for pair in HungarianAssignment.solve(
                costs: costs, rows: trackIndices.count, columns: detectionIndices.count, gate: affinity.gate)
            {
                let track = trackIndices[pair.row]
                let detection = detections[detectionIndices[pair.column]]
                tracks[track].filter.update(with: detection.box)
                tracks[track].hits += 1
                tracks[track].misses = 0
                tracks[track].lastScore = detection.score
                tracks[track].scoreSum += detection.score
                matchedTracks.insert(track)
                matchedDetections.insert(detectionIndices[pair.column])
            }
        }
        for index in tracks.indices where !matchedTracks.contains(index) { tracks[index].misses += steps }
        if history != nil {
            for (index, track) in tracks.enumerated() {
                history![track.id]!.appendFiltered(
                    track.filter, score: matchedTracks.contains(index) ? track.lastScore : nil)
            }
        }
        tracks.removeAll { $0.misses > configuration.maximumMisses }
        for (index, detection) in detections.enumerated() where !matchedDetections.contains(index) {
            let filter = BoxKalmanFilter(box: detection.box)
            tracks.append(
                Track(
                    id: nextID, objectClass: detection.objectClass, filter: filter,
                    hits: 1, misses: 0, lastScore: detection.score, scoreSum: detection.score))
            if history != nil { classOfTrack[nextID] = detection.objectClass }
            if history != nil {
                var born = TrackHistory()
                born.appendPredicted(filter, frame: frame, steps: 0)
                born.appendFiltered(filter, score: detection.score)
                history![nextID] = born
            }
            nextID += 1
        }
        return tracks.filter {
            $0.misses == 0 && ($0.hits >= configuration.hitsToConfirm || framesSeen <= configuration.hitsToConfirm)
        }
        .map {
            TrackedBox(
                trackID: $0.id, objectClass: $0.objectClass, box: $0.filter.box, score: $0.lastScore,
                meanScore: $0.scoreSum / Double($0.hits))
        }
    }
}
