import Foundation
import FusionGeometry
import FusionIO

/// The KITTI tracking benchmark's protocol as extended to 3D by AB3DMOT: CLEAR MOT with boxes
/// matched by 3D IoU, KITTI's ignore rules, and the averages over recall (sAMOTA, AMOTA, AMOTP).
///
/// What it reproduces, per class (`Car`, `Pedestrian`, `Cyclist`):
/// - ground truth of the class and its neighbour (`Van` for cars, `Person_sitting` for
///   pedestrians) is loaded, and results of those classes too; other classes are left out;
/// - each result track's score is replaced by its mean over the track, and a score threshold
///   removes whole tracks whose mean is below it;
/// - per frame, ground truth and results are matched by the Hungarian method on `1 − IoU3D`,
///   pairs below `minimumOverlap` excluded;
/// - ground truth of the neighbouring class, more truncated than `maximumTruncation` or more
///   occluded than `maximumOcclusion` is ignored (neither a miss nor a hit); an unmatched result
///   is ignored when it is of the neighbouring class, its 2D box is at most `minimumHeight`
///   pixels tall, or it lies in a DontCare box (3D overlap over its own volume above
///   `minimumOverlap`: DontCare rows carry no 3D box in KITTI, so this never fires on real labels);
/// - identity switches, fragmentations and mostly tracked / lost from each ground-truth
///   trajectory, with the reference's rules;
/// - MOTA = 1 − (FN + FP + IDS) / GT, MOTP = mean IoU of the matches (ignored ones included, as
///   in the reference), sMOTA_r = clip(1 − (FN + FP + IDS − (1 − r) GT) / (r GT), 0, 1);
/// - 40 recall levels from the scores of the matched results, as `getThresholds`; sAMOTA, AMOTA
///   and AMOTP are sums over the levels reached divided by 40; the single-threshold figures are
///   at the threshold of best MOTA.
///
/// One quirk is kept on purpose: the reference marks a result "matched" on its data objects and
/// never clears the mark between thresholds, so a result matched at any earlier threshold is never
/// ignored later. The passes run in the reference's order and carry the marks the same way.
public struct KITTITrackingEvaluation: Sendable {
    /// `Car`, `Pedestrian` or `Cyclist` (case does not matter).
    public var objectClass: String
    public var minimumOverlap = 0.25
    var maximumTruncation = 0.0
    var maximumOcclusion = 2
    /// Pixels.
    public var minimumHeight = 25.0
    var recallLevels = 40

    public init(objectClass: String, minimumOverlap: Double = 0.25) {
        self.objectClass = objectClass.lowercased()
        self.minimumOverlap = minimumOverlap
    }

    /// One sequence: its ground-truth rows (DontCare included) and a tracker's result rows (with scores).
    public struct Sequence: Sendable {
        public var groundTruth: [KITTITrackedObject]
        public var results: [KITTITrackedObject]

        public init(groundTruth: [KITTITrackedObject], results: [KITTITrackedObject]) {
            self.groundTruth = groundTruth
            self.results = results
        }
    }

    /// CLEAR MOT and trajectory figures at one score threshold.
    public struct Counts: Sendable, Codable, Equatable {
        public var mota = 0.0, motp = 0.0, recall = 0.0, precision = 0.0
        public var truePositives = 0, falsePositives = 0, falseNegatives = 0
        public var identitySwitches = 0, fragmentations = 0
        /// Ground-truth boxes that count (ignored ones left out).
        var groundTruthBoxes = 0
        var mostlyTracked = 0.0, partlyTracked = 0.0, mostlyLost = 0.0
        /// Identity F1 (Ristani et al. 2016): each ground-truth trajectory is paired with at most
        /// one result trajectory for the whole sequence (the pairing that agrees on the most
        /// frames, by the Hungarian method), and `IDF1 = 2 IDTP / (2 IDTP + IDFP + IDFN)`. Counted
        /// over the non-ignored ground truth and the results that are neither ignored nor matched
        /// to ignored ground truth.
        public var idf1 = 0.0
    }

    public struct Report: Sendable, Codable, Equatable {
        public var objectClass: String
        public var minimumOverlap: Double
        public var sAMOTA: Double
        public var AMOTA: Double
        public var AMOTP: Double
        /// The mean-score threshold of best MOTA, nil when no threshold beat MOTA 0 (then no filter).
        var bestThreshold: Double?
        /// At `bestThreshold`.
        public var best: Counts
        /// Result trajectories of the class.
        var resultTrajectories: Int
    }

    public func evaluate(_ sequences: [Sequence]) -> Report {
        let prepared = sequences.map(prepare)
        var everMatched = prepared.map { [Bool](repeating: false, count: $0.results.count) }
        func pass(_ threshold: Double?, recall: Double) -> (counts: Counts, sMOTA: Double, scores: [Double]) {
            var total = PassTotals()
            for index in prepared.indices {
                run(prepared[index], threshold: threshold, everMatched: &everMatched[index], into: &total)
            }
            return total.finish(recallLevel: recall)
        }
        let full = pass(nil, recall: 1)
        let groundTruthForRecall = full.counts.truePositives + full.counts.falseNegatives
        let resultTrajectories = prepared.reduce(0) { $0 + Set($1.results.map(\.trackID)).count }
        guard groundTruthForRecall > 0, resultTrajectories > 0 else {
            return Report(
                objectClass: objectClass, minimumOverlap: minimumOverlap, sAMOTA: 0, AMOTA: 0, AMOTP: 0,
                bestThreshold: nil,
                best: full.counts, resultTrajectories: resultTrajectories)
        }
        var sumSMOTA = 0.0
        var sumMOTA = 0.0
        var sumMOTP = 0.0
        var bestMOTA = 0.0
        var bestThreshold: Double?
        for (threshold, recall) in thresholds(scores: full.scores, groundTruth: groundTruthForRecall) {
            let result = pass(threshold, recall: recall)
            sumSMOTA += result.sMOTA
            sumMOTA += result.counts.mota
            sumMOTP += result.counts.motp
            if result.counts.mota > bestMOTA {
                bestMOTA = result.counts.mota
                bestThreshold = threshold
            }
        }
        let best = pass(bestThreshold, recall: 1).counts
        let levels = Double(recallLevels)
        return Report(
            objectClass: objectClass, minimumOverlap: minimumOverlap, sAMOTA: sumSMOTA / levels,
            AMOTA: sumMOTA / levels,
            AMOTP: sumMOTP / levels, bestThreshold: bestThreshold, best: best, resultTrajectories: resultTrajectories)
    }

    /// The score thresholds whose recall comes nearest to 1/40, 2/40, ...: `getThresholds`.
    func thresholds(scores: [Double], groundTruth: Int) -> [(threshold: Double, recall: Double)] {
        let sorted = scores.sorted(by: >)
        var current = 0.0
        var chosen: [(Double, Double)] = []
        for (index, score) in sorted.enumerated() {
            let left = Double(index + 1) / Double(groundTruth)
            let right = index < sorted.count - 1 ? Double(index + 2) / Double(groundTruth) : left
            if right - current < current - left, index < sorted.count - 1 { continue }
            chosen.append((score, current))
            current += 1 / Double(recallLevels)
        }
        return Array(chosen.dropFirst())
    }

    // MARK: Preparation

    struct GroundTruthBox {
        var trackID: Int
        var box: Cuboid
        var isIgnoredByRule: Bool
    }

    struct ResultBox {
        var trackID: Int
        var box: Cuboid
        var meanScore: Double
        var isNeighbourOrSmall: Bool
        var isInDontCare: Bool
    }

    struct PreparedSequence {
        /// Per frame.
        var groundTruth: [[GroundTruthBox]]
        /// Per frame, indices into `results`.
        var resultsByFrame: [[Int]]
        var results: [ResultBox]
        /// Per frame, row-major ground truth × that frame's results.
        var overlaps: [[Double]]
        var groundTruthTrajectories: Int
    }

    var neighbour: String? {
        switch objectClass {
        case "car": "van"
        case "pedestrian": "person_sitting"
        default: nil
        }
    }

    /// The reference loads a row when a wanted class name occurs in its type.
    func isLoaded(_ type: String) -> Bool {
        let lowered = type.lowercased()
        return lowered.contains(objectClass) || neighbour.map { lowered.contains($0) } ?? false
    }

    func prepare(_ sequence: Sequence) -> PreparedSequence {
        let frameCount =
            max(sequence.groundTruth.map(\.frame).max() ?? -1, sequence.results.map(\.frame).max() ?? -1) + 1
        var groundTruth = [[GroundTruthBox]](repeating: [], count: frameCount)
        var dontCare = [[Cuboid]](repeating: [], count: frameCount)
        var trajectories = Set<Int>()
        for row in sequence.groundTruth {
            if row.object.isDontCare {
                if row.object.box.size.isValid { dontCare[row.frame].append(Self.upright(row.object.box)) }
                continue
            }
            guard isLoaded(row.object.type), row.trackID != -1 else { continue }
            let isNeighbour = neighbour.map { row.object.type.lowercased() == $0 } ?? false
            groundTruth[row.frame].append(
                GroundTruthBox(
                    trackID: row.trackID, box: Self.upright(row.object.box),
                    isIgnoredByRule: row.object.occluded > maximumOcclusion || row.object.truncated > maximumTruncation
                        || isNeighbour))
            trajectories.insert(row.trackID)
        }
        let loaded = sequence.results.filter {
            isLoaded($0.object.type) && $0.trackID != -1 && $0.object.box.size.isValid
        }
        var scoresByTrack: [Int: (sum: Double, count: Int)] = [:]
        for row in loaded {
            scoresByTrack[row.trackID, default: (0, 0)].sum += row.object.score ?? -1
            scoresByTrack[row.trackID]!.count += 1
        }
        var results: [ResultBox] = []
        var resultsByFrame = [[Int]](repeating: [], count: frameCount)
        for row in loaded {
            let box = Self.upright(row.object.box)
            let isNeighbour = neighbour.map { row.object.type.lowercased() == $0 } ?? false
            let isSmall = abs(row.object.imageBox.bottom - row.object.imageBox.top) <= minimumHeight
            let inDontCare = dontCare[row.frame].contains {
                box.intersectionVolume(with: $0) / box.size.volume - minimumOverlap > 0
            }
            let scores = scoresByTrack[row.trackID]!
            resultsByFrame[row.frame].append(results.count)
            results.append(
                ResultBox(
                    trackID: row.trackID, box: box, meanScore: scores.sum / Double(scores.count),
                    isNeighbourOrSmall: isNeighbour || isSmall, isInDontCare: inDontCare))
        }
        let overlaps = (0..<frameCount).map { frame in
            groundTruth[frame].flatMap { truth in resultsByFrame[frame].map { truth.box.iou3D(with: results[$0].box) } }
        }
        return PreparedSequence(
            groundTruth: groundTruth, resultsByFrame: resultsByFrame, results: results, overlaps: overlaps,
            groundTruthTrajectories: trajectories.count)
    }

    /// IoU does not depend on the frame: boxes are compared upright in the camera's forward-left-up axes.
    static func upright(_ box: KITTIBox3D) -> Cuboid { box.cuboidInForwardLeftUpAxes }

    // MARK: One pass

    /// The most frames on which a one-to-one pairing of ground-truth and result tracks agrees.
    static func bestIdentityAgreement(_ agreements: [Int: [Int: Int]]) -> Int {
        let truths = agreements.keys.sorted()
        let results = Array(Set(agreements.values.flatMap(\.keys))).sorted()
        guard !truths.isEmpty, !results.isEmpty else { return 0 }
        let column = Dictionary(uniqueKeysWithValues: results.enumerated().map { ($1, $0) })
        var costs = [Double](repeating: .infinity, count: truths.count * results.count)
        for (row, truth) in truths.enumerated() {
            for (result, frames) in agreements[truth]! {
                costs[row * results.count + column[result]!] = -Double(frames)
            }
        }
        return HungarianAssignment.solve(costs: costs, rows: truths.count, columns: results.count, gate: 0)
            .reduce(0) { $0 - Int(costs[$1.row * results.count + $1.column]) }
    }

    struct PassTotals {
        var groundTruth = 0, truePositives = 0, falsePositives = 0, falseNegatives = 0
        var overlapSum = 0.0
        var identitySwitches = 0, fragmentations = 0
        var mostlyTracked = 0, partlyTracked = 0, mostlyLost = 0
        var trajectories = 0, ignoredTrajectories = 0
        var scores: [Double] = []
        var identityTruePositives = 0, identityGroundTruth = 0, identityResults = 0

        func finish(recallLevel r: Double) -> (counts: Counts, sMOTA: Double, scores: [Double]) {
            var counts = Counts()
            counts.truePositives = truePositives
            counts.falsePositives = falsePositives
            counts.falseNegatives = falseNegatives
            counts.identitySwitches = identitySwitches
            counts.fragmentations = fragmentations
            counts.groundTruthBoxes = groundTruth
            if truePositives + falsePositives > 0, truePositives + falseNegatives > 0 {
                counts.recall = Double(truePositives) / Double(truePositives + falseNegatives)
                counts.precision = Double(truePositives) / Double(truePositives + falsePositives)
            }
            let errors = Double(falseNegatives + falsePositives + identitySwitches)
            var sMOTA = 0.0
            if groundTruth > 0 {
                counts.mota = 1 - errors / Double(groundTruth)
                sMOTA = min(1, max(0, 1 - (errors - (1 - r) * Double(groundTruth)) / (r * Double(groundTruth))))
            }
            counts.motp = truePositives > 0 ? overlapSum / Double(truePositives) : 0
            let identityBoxes = identityGroundTruth + identityResults
            counts.idf1 = identityBoxes > 0 ? 2 * Double(identityTruePositives) / Double(identityBoxes) : 0
            let counted = Double(trajectories - ignoredTrajectories)
            if counted > 0 {
                counts.mostlyTracked = Double(mostlyTracked) / counted
                counts.partlyTracked = Double(partlyTracked) / counted
                counts.mostlyLost = Double(mostlyLost) / counted
            }
            return (counts, sMOTA, scores)
        }
    }

    func run(_ sequence: PreparedSequence, threshold: Double?, everMatched: inout [Bool], into total: inout PassTotals)
    {
        // Per ground-truth track: the matched result id (-1 none) and the ignore flag, frame by frame.
        var matchedIDs: [Int: [Int]] = [:]
        var ignored: [Int: [Bool]] = [:]
        // For IDF1: frames in which a ground-truth track and a result track could be matched.
        var agreements: [Int: [Int: Int]] = [:]
        for frame in sequence.groundTruth.indices {
            let truth = sequence.groundTruth[frame]
            let all = sequence.resultsByFrame[frame]
            let kept = all.indices.filter { column in
                threshold.map { sequence.results[all[column]].meanScore >= $0 } ?? true
            }
            var costs = [Double](repeating: .infinity, count: truth.count * kept.count)
            for row in truth.indices {
                for (column, index) in kept.enumerated() {
                    let overlap = sequence.overlaps[frame][row * all.count + index]
                    if 1 - overlap <= 1 - minimumOverlap { costs[row * kept.count + column] = 1 - overlap }
                }
            }
            let pairs = HungarianAssignment.solve(costs: costs, rows: truth.count, columns: kept.count)
            var resultOfTruth = [Int?](repeating: nil, count: truth.count)
            for pair in pairs {
                let result = all[kept[pair.column]]
                resultOfTruth[pair.row] = result
                everMatched[result] = true
                total.overlapSum += 1 - costs[pair.row * kept.count + pair.column]
                total.scores.append(sequence.results[result].meanScore)
            }
            total.groundTruth += truth.count
            total.truePositives += pairs.count
            var ignoredResults = Set<Int>()
            for column in kept.indices {
                let result = all[kept[column]]
                let box = sequence.results[result]
                if !everMatched[result], box.isNeighbourOrSmall || box.isInDontCare { ignoredResults.insert(result) }
            }
            var ignoredMisses = 0
            var ignoredHits = 0
            var ignoredPairs = 0
            for (row, object) in truth.enumerated() {
                matchedIDs[object.trackID, default: []].append(
                    resultOfTruth[row].map { sequence.results[$0].trackID } ?? -1)
                ignored[object.trackID, default: []].append(object.isIgnoredByRule)
                guard object.isIgnoredByRule else { continue }
                if let result = resultOfTruth[row] {
                    ignoredHits += 1
                    if ignoredResults.contains(result) { ignoredPairs += 1 }
                } else {
                    ignoredMisses += 1
                }
            }
            total.groundTruth -= ignoredMisses + ignoredHits
            total.falseNegatives += truth.count - pairs.count - ignoredMisses
            total.falsePositives += kept.count - pairs.count - ignoredResults.count + ignoredPairs
            // Results on ignored ground truth are neither right nor wrong, as in the CLEAR MOT counts.
            let onIgnoredTruth = Set(
                truth.indices.filter { truth[$0].isIgnoredByRule }.compactMap { resultOfTruth[$0] })
            let countedResults = kept.filter { !ignoredResults.contains(all[$0]) && !onIgnoredTruth.contains(all[$0]) }
            total.identityGroundTruth += truth.filter { !$0.isIgnoredByRule }.count
            total.identityResults += countedResults.count
            for (row, object) in truth.enumerated() where !object.isIgnoredByRule {
                for column in countedResults where sequence.overlaps[frame][row * all.count + column] >= minimumOverlap
                {
                    agreements[object.trackID, default: [:]][sequence.results[all[column]].trackID, default: 0] += 1
                }
            }
        }
        total.identityTruePositives += Self.bestIdentityAgreement(agreements)
        total.trajectories += sequence.groundTruthTrajectories
        for (trackID, ids) in matchedIDs {
            let flags = ignored[trackID]!
            if flags.allSatisfy({ $0 }) {
                total.ignoredTrajectories += 1
                continue
            }
            if ids.allSatisfy({ $0 == -1 }) {
                total.mostlyLost += 1
                continue
            }
            var lastID = ids[0]
            var tracked = ids[0] >= 0 ? 1 : 0
            for f in 1..<max(1, ids.count) {
                if flags[f] {
                    lastID = -1
                    continue
                }
                if lastID != ids[f], lastID != -1, ids[f] != -1, ids[f - 1] != -1 { total.identitySwitches += 1 }
                if f < ids.count - 1, ids[f - 1] != ids[f], lastID != -1, ids[f] != -1, ids[f + 1] != -1 {
                    total.fragmentations += 1
                }
                if ids[f] != -1 {
                    tracked += 1
                    lastID = ids[f]
                }
            }
            let last = ids.count - 1
            if ids.count > 1, ids[last - 1] != ids[last], lastID != -1, ids[last] != -1, !flags[last] {
                total.fragmentations += 1
            }
            let ratio = Double(tracked) / Double(ids.count - flags.filter { $0 }.count)
            if ratio > 0.8 {
                total.mostlyTracked += 1
            } else if ratio < 0.2 {
                total.mostlyLost += 1
            } else {
                total.partlyTracked += 1
            }
        }
    }
}
