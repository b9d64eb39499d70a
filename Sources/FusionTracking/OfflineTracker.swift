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
        public var stitchDistance = 1.5
        public var stitchDistancePerFrame = 0.3

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
        for (id, steps) in (online.history ?? [:]).sorted(by: { $0.key < $1.key }) {
            let matched = steps.filter { $0.score != nil }
            guard matched.count >= configuration.minimumHits, let lastMatch = steps.lastIndex(where: { $0.score != nil }) else { continue }
            let kept = Array(steps[...lastMatch])
            let states = Self.smoothed(kept)
            let sizes = kept.indices.filter { kept[$0].score != nil }.map { SIMD3(states[$0][4], states[$0][5], states[$0][6]) }
            let size = sizes.reduce(SIMD3<Double>.zero, +) / Double(sizes.count)
            let boxes = states.map {
                Cuboid(center: SIMD3($0[0], $0[1], $0[2]), size: Size3(length: size.x, width: size.y, height: size.z), yaw: $0[3])
            }
            segments.append(Segment(id: id, objectClass: online.classOfTrack[id]!, firstFrame: kept[0].frame, boxes: boxes,
                                    lastVelocity: SIMD3(states.last![7], states.last![8], states.last![9]),
                                    scoreSum: matched.reduce(0) { $0 + $1.score! }, hits: matched.count))
        }
        segments = stitched(segments)
        var output = [[TrackedBox]](repeating: [], count: frames.count)
        for segment in segments {
            let confidence = segment.scoreSum / Double(segment.hits)
            for (offset, box) in segment.boxes.enumerated() where segment.firstFrame + offset < frames.count {
                output[segment.firstFrame + offset].append(TrackedBox(trackID: segment.id, objectClass: segment.objectClass, box: box,
                                                                      score: confidence, meanScore: confidence))
            }
        }
        return output
    }

    /// Rauch–Tung–Striebel smoothing of one track's filter steps (consecutive frames).
    static func smoothed(_ steps: [OnlineTracker.Step]) -> [[Double]] {
        let n = BoxKalmanFilter.stateSize
        var states = steps.map(\.filteredState)
        guard steps.count > 1 else { return states }
        for k in stride(from: steps.count - 2, through: 0, by: -1) {
            let next = steps[k + 1]
            guard let factor = Cholesky(next.predictedCovariance, size: n) else { continue }
            // F P_f for F advancing `next.steps` steps: rows 0–2 gain `steps` times rows 7–9.
            var fp = steps[k].filteredCovariance
            for axis in 0..<3 {
                for column in 0..<n { fp[axis * n + column] += Double(next.steps) * steps[k].filteredCovariance[(7 + axis) * n + column] }
            }
            // Cᵀ = P_p⁻¹ (F P_f), column by column; then the correction C d = (Cᵀ)ᵀ d.
            var transposedGain = [Double](repeating: 0, count: n * n)
            for column in 0..<n {
                let solved = factor.solve((0..<n).map { fp[$0 * n + column] })
                for row in 0..<n { transposedGain[row * n + column] = solved[row] }
            }
            var difference = (0..<n).map { states[k + 1][$0] - next.predictedState[$0] }
            difference[3] = BoxKalmanFilter.wrapped(difference[3])
            for row in 0..<n {
                var correction = 0.0
                for inner in 0..<n { correction += transposedGain[inner * n + row] * difference[inner] }
                states[k][row] += correction
            }
        }
        return states
    }

    /// Joins fragments whose gap and positions fit (Hungarian on the distance between where a
    /// track was heading and where the next began), repeatedly until nothing more joins.
    func stitched(_ input: [Segment]) -> [Segment] {
        var segments = input
        while true {
            let ends = segments.indices, starts = segments.indices
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
            for pair in pairs.sorted(by: { costs[$0.row * segments.count + $0.column] < costs[$1.row * segments.count + $1.column] }) {
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
        let from = first.boxes.last!, to = second.boxes[0]
        let gap = second.firstFrame - first.lastFrame
        let hitsTotal = Double(first.hits + second.hits)
        let size = Size3(length: (from.size.length * Double(first.hits) + to.size.length * Double(second.hits)) / hitsTotal,
                         width: (from.size.width * Double(first.hits) + to.size.width * Double(second.hits)) / hitsTotal,
                         height: (from.size.height * Double(first.hits) + to.size.height * Double(second.hits)) / hitsTotal)
        let turn = BoxKalmanFilter.wrapped(BoxKalmanFilter.alignedYaw(to.yaw, to: from.yaw) - from.yaw)
        for step in 1..<gap {
            let t = Double(step) / Double(gap)
            result.boxes.append(Cuboid(center: from.center + (to.center - from.center) * t, size: size, yaw: from.yaw + turn * t))
        }
        result.boxes += second.boxes
        result.boxes = result.boxes.map { Cuboid(center: $0.center, size: size, yaw: $0.yaw) }
        result.lastVelocity = second.lastVelocity
        result.scoreSum += second.scoreSum
        result.hits += second.hits
        return result
    }
}
