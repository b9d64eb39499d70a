import Foundation
import FusionGeometry

/// Tracking for annotation, where the whole sequence is known: the online tracker's association,
/// then, per track, forward–backward (Rauch–Tung–Striebel) smoothing, one size for the whole
/// track, boxes through the frames it coasted, its first frames before it was confirmed, and
/// fragments of one object stitched together.
///
/// - Tracks with fewer than `minimumHits` matched detections are dropped (a detector's flicker).
/// - Fragments: a track that ends and another of the same class that starts at most `stitchGap`
///   frames later are joined when the second starts within `stitchDistance` metres (plus
///   `stitchDistancePerFrame` per frame of gap) of where the first was heading; the gap is filled
///   by interpolation (position linear, yaw by the shorter arc).
/// - Every box of a track carries the track's mean detection score (its confidence).
public struct OfflineTracker: Sendable {
    public struct Configuration: Sendable, Equatable {
        public var association = OnlineTracker.Configuration()
        public var minimumHits = 3
        public var stitchGap = 10
        var stitchDistance = 1.5
        var stitchDistancePerFrame = 0.3

        public init() {
            // Coast longer than online: the smoother and the stitching handle what coasting costs.
            association.maximumMisses = 4
        }
    }

    public let configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// A smoothed track: its boxes on consecutive frames from `firstFrame`.
    struct Segment {
        var id: Int
        var objectClass: String
        var firstFrame: Int
        var boxes: [Cuboid]
        /// Per step of the last box, from the smoothed state.
        var lastVelocity: SIMD3<Double>
        var scoreSum: Double
        var hits: Int
        var lastFrame: Int { firstFrame + boxes.count - 1 }
    }

    /// Tracks the detections of frames `0..<frames.count` and returns the boxes per frame.
    public func track(_ frames: [[Detection]]) -> [[TrackedBox]] {
        var online = OnlineTracker(configuration: configuration.association, recordsHistory: true)
        for (frame, detections) in frames.enumerated() { _ = online.update(frame: frame, detections: detections) }
        var segments: [Segment] = []
        for (id, history) in (online.history ?? [:]).sorted(by: { $0.key < $1.key }) {
            let matched = history.scores.compactMap { $0 }
            guard matched.count >= configuration.minimumHits,
                let lastMatch = history.scores.lastIndex(where: { $0 != nil })
            else { continue }
            let states = Self.smoothed(history, through: lastMatch)
            let sizes = (0...lastMatch).filter { history.scores[$0] != nil }.map { states[$0].box.size }
            let size = Size3(
                length: sizes.map(\.length).reduce(0, +) / Double(sizes.count),
                width: sizes.map(\.width).reduce(0, +) / Double(sizes.count),
                height: sizes.map(\.height).reduce(0, +) / Double(sizes.count))
            let boxes = states.map { Cuboid(center: $0.box.center, size: size, yaw: $0.box.yaw) }
            segments.append(
                Segment(
                    id: id, objectClass: online.classOfTrack[id]!, firstFrame: history.frames[0], boxes: boxes,
                    lastVelocity: states.last!.velocity, scoreSum: matched.reduce(0, +), hits: matched.count))
        }
        segments = stitched(segments)
        var output = [[TrackedBox]](repeating: [], count: frames.count)
        for segment in segments {
            let confidence = segment.scoreSum / Double(segment.hits)
            for (offset, box) in segment.boxes.enumerated() where segment.firstFrame + offset < frames.count {
                output[segment.firstFrame + offset].append(
                    TrackedBox(
                        trackID: segment.id, objectClass: segment.objectClass, box: box,
                        score: confidence, meanScore: confidence))
            }
        }
        return output
    }

    /// Rauch–Tung–Striebel smoothing of a track's steps `0...last` (consecutive frames).
    static func smoothed(_ history: OnlineTracker.TrackHistory, through last: Int) -> [BoxKalmanFilter] {
        var states = Array(history.filtered[0...last])
        for k in stride(from: last - 1, through: 0, by: -1) {
            states[k] = history.filtered[k].smoothed(
                predicted: history.predicted[k + 1], smoothedNext: states[k + 1], steps: history.steps[k + 1])
        }
        return states
    }

    /// Joins fragments whose gap and positions fit (Hungarian on the distance between where a
    /// track was heading and where the next began), repeatedly until nothing more joins.
    func stitched(_ input: [Segment]) -> [Segment] {
        var segments = input
        while true {
            let ends = segments.indices
            let starts = segments.indices
            var costs = [Double](repeating: .infinity, count: segments.count * segments.count)
            for a in ends {
                for b in starts where a != b && segments[a].objectClass == segments[b].objectClass {
                    let gap = segments[b].firstFrame - segments[a].lastFrame
                    guard gap > 0, gap <= configuration.stitchGap else { continue }
                    let heading = segments[a].boxes.last!.center + segments[a].lastVelocity * Double(gap)
                    let distance = (segments[b].boxes[0].center - heading).length
                    if distance <= configuration.stitchDistance + configuration.stitchDistancePerFrame * Double(gap) {
                        costs[a * segments.count + b] = distance
                    }
                }
            }
            let pairs = HungarianAssignment.solve(costs: costs, rows: segments.count, columns: segments.count)
            guard !pairs.isEmpty else { return segments }
            var absorbed = Set<Int>()
            var merged = segments
            // Join chains one link per round: skip pairs touching a segment already changed this round.
            var touched = Set<Int>()
            for pair in pairs.sorted(by: {
                costs[$0.row * segments.count + $0.column] < costs[$1.row * segments.count + $1.column]
            }) {
                guard !touched.contains(pair.row), !touched.contains(pair.column) else { continue }
                touched.formUnion([pair.row, pair.column])
                merged[pair.row] = Self.joined(segments[pair.row], segments[pair.column])
                absorbed.insert(pair.column)
            }
            segments = merged.indices.filter { !absorbed.contains($0) }.map { merged[$0] }
        }
    }

    /// `first` followed by `second`, the frames between them interpolated.
    static func joined(_ first: Segment, _ second: Segment) -> Segment {
        var result = first
        let from = first.boxes.last!
        let to = second.boxes[0]
        let gap = second.firstFrame - first.lastFrame
        let hitsTotal = Double(first.hits + second.hits)
        let size = Size3(
            length: (from.size.length * Double(first.hits) + to.size.length * Double(second.hits)) / hitsTotal,
            width: (from.size.width * Double(first.hits) + to.size.width * Double(second.hits)) / hitsTotal,
            height: (from.size.height * Double(first.hits) + to.size.height * Double(second.hits)) / hitsTotal)
        let turn = BoxKalmanFilter.wrapped(BoxKalmanFilter.alignedYaw(to.yaw, to: from.yaw) - from.yaw)
        for step in 1..<gap {
            let t = Double(step) / Double(gap)
            result.boxes.append(
                Cuboid(center: from.center + (to.center - from.center) * t, size: size, yaw: from.yaw + turn * t))
        }
        result.boxes += second.boxes
        result.boxes = result.boxes.map { Cuboid(center: $0.center, size: size, yaw: $0.yaw) }
        result.lastVelocity = second.lastVelocity
        result.scoreSum += second.scoreSum
        result.hits += second.hits
        return result
    }
}
