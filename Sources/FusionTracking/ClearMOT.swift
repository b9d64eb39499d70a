import FusionGeometry

/// CLEAR MOT counts for one class of one or more sequences, matching tracker boxes to ground
/// truth frame by frame with the Hungarian method on 3D IoU (at least `iouThreshold`).
///
/// An identity switch is a ground-truth track matched to a different tracker id than at its
/// previous match; a fragmentation is a ground-truth track whose matching resumes after an
/// interruption. DontCare boxes are left out of the ground truth and nothing else is ignored: a
/// plain count for any labelled sequence. The KITTI benchmark's protocol, with its ignore rules
/// and recall-averaged scores, is `KITTITrackingEvaluation`.
struct ClearMOT: Sendable, Equatable, Codable {
    var groundTruthBoxes = 0
    public var truePositives = 0
    public var falsePositives = 0
    public var falseNegatives = 0
    public var identitySwitches = 0
    public var fragmentations = 0
    /// Sum of the matched pairs' 3D IoU.
    var overlapSum = 0.0

    public init() {}

    /// `1 − (FN + FP + IDS) / GT`; 0 when there is no ground truth.
    public var mota: Double {
        groundTruthBoxes > 0
            ? 1 - Double(falseNegatives + falsePositives + identitySwitches) / Double(groundTruthBoxes) : 0
    }

    /// Mean 3D IoU of the matched pairs; 0 when none.
    public var motp: Double { truePositives > 0 ? overlapSum / Double(truePositives) : 0 }

    /// Adds the counts of one sequence.
    /// - Parameter results: per frame of `sequence`, the tracker's boxes (missing frames count as empty).
    public mutating func add(
        sequence: TrackingSequence, results: [[TrackedBox]], objectClass: String, iouThreshold: Double
    ) {
        var lastTrackerID: [Int: Int] = [:]
        var wasMatched: [Int: Bool] = [:]
        for (frame, objects) in sequence.frames.enumerated() {
            let truth = objects.filter { !$0.isDontCare && $0.objectClass == objectClass }
            let boxes = frame < results.count ? results[frame].filter { $0.objectClass == objectClass } : []
            groundTruthBoxes += truth.count
            var costs: [Double] = []
            for object in truth {
                for box in boxes { costs.append(-object.box.iou3D(with: box.box)) }
            }
            let pairs = HungarianAssignment.solve(
                costs: costs, rows: truth.count, columns: boxes.count, gate: -iouThreshold)
            truePositives += pairs.count
            falseNegatives += truth.count - pairs.count
            falsePositives += boxes.count - pairs.count
            var matchedNow = Set<Int>()
            for pair in pairs {
                let object = truth[pair.row]
                let trackerID = boxes[pair.column].trackID
                overlapSum -= costs[pair.row * boxes.count + pair.column]
                if let last = lastTrackerID[object.trackID], last != trackerID { identitySwitches += 1 }
                if wasMatched[object.trackID] == false { fragmentations += 1 }
                lastTrackerID[object.trackID] = trackerID
                wasMatched[object.trackID] = true
                matchedNow.insert(object.trackID)
            }
            for object in truth where !matchedNow.contains(object.trackID) && wasMatched[object.trackID] == true {
                wasMatched[object.trackID] = false
            }
        }
    }
}
