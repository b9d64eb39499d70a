import Foundation
import FusionGeometry
import FusionIO
import FusionSupport

/// Scores pre-labels against labelled frames per benchmark group (vehicle, pedestrian, cyclist;
/// see `ObjectCategory.Group`), as detection benchmarks do, and by range.
///
/// The protocol, frame by frame (all boxes in one frame, the sensor at the origin):
/// - A label **counts** when its category has a group and at least `minimumPoints` returns lie in
///   it. Labels of a group with fewer returns, and road users in no group (motorbikes, prams,
///   people sitting, ...), are **ignored**: a proposal on one is neither found nor false. A
///   proposal on a static obstacle (a sign, a bollard) or on nothing is false.
/// - **Recall** at an IoU: counted labels that some proposal overlaps by that bird's-eye IoU, with
///   every label and proposal matched one to one from the highest IoU (`BEVMatching`), whatever
///   the proposal's class: an annotator changes a class in one click, but draws a missed box.
/// - **Average precision** per group at an IoU: the proposals of that group (their class's, or
///   when unsure their likeliest class's group), ranked by `score`, each taking the unmatched
///   label of its group it overlaps most; on a counted label it is a true positive, on an ignored
///   label or one of another group it is left out, otherwise it is false. AP is KITTI's R40: the
///   mean over the recall points 1/40 … 1 of the best precision at that recall or more.
/// - **Proposals per labelled object**: every proposal against the counted labels.
/// - **Yaw error**: of each counted label found at the lower IoU, modulo π (a box's front is
///   not its back, but labels of symmetric objects disagree on it).
/// - **Range bins** by the horizontal distance of a box's centre from the origin: a bin keeps
///   the labels and proposals whose centres lie in it.
public struct PrelabelBenchmark: Sendable {
    /// A labelled box.
    public struct Label: Sendable {
        public var category: ObjectCategory
        /// Sensor frame, metres.
        public var box: Cuboid
        /// Returns of the sweep inside the box.
        public var points: Int

        public init(category: ObjectCategory, box: Cuboid, points: Int) {
            self.category = category
            self.box = box
            self.points = points
        }
    }

    /// A pre-label as the benchmark sees it.
    public struct Detection: Sendable {
        /// The group it is proposed as, nil for a proposal in no group (an "other" road user).
        public var group: ObjectCategory.Group?
        /// Ranking score, higher is surer (a probability for the engine's proposals).
        public var score: Double
        /// Sensor frame, metres.
        public var box: Cuboid
        /// Whether it carries a flag that asks a reviewer to look (`ProposalFlag.asksForReview`).
        public var isFlagged: Bool

        public init(group: ObjectCategory.Group?, score: Double, box: Cuboid, isFlagged: Bool = false) {
            self.group = group
            self.score = score
            self.box = box
            self.isFlagged = isFlagged
        }
    }

    /// Horizontal distance bins, metres: a bin holds `lower ..< upper`.
    static let rangeBins: [(name: String, lower: Double, upper: Double)] = [
        ("0-20m", 0, 20), ("20-40m", 20, 40), ("40m+", 40, .infinity)
    ]

    public var minimumPoints: Int
    /// The IoUs recall and AP are reported at, lower first; yaw errors are taken at the first.
    public var iouThresholds: [Double]

    public init(minimumPoints: Int = 20, iouThresholds: [Double] = [0.5, 0.7]) {
        precondition(
            !iouThresholds.isEmpty && iouThresholds.allSatisfy { $0 > 0 && $0 <= 1 }, "IoU thresholds in (0, 1]")
        self.minimumPoints = minimumPoints
        self.iouThresholds = iouThresholds
    }

    /// One frame's labels and pre-labels.
    public struct Frame: Sendable {
        public var name: String
        public var labels: [Label]
        public var detections: [Detection]

        public init(name: String, labels: [Label], detections: [Detection]) {
            self.name = name
            self.labels = labels
            self.detections = detections
        }
    }

    /// Figures for one group (and range bin).
    public struct GroupScore: Codable, Sendable, Equatable {
        /// Counted labels.
        public var labels: Int
        /// Per IoU threshold (as `iouThresholds`): counted labels found, recall, and AP (R40).
        public var found: [Int]
        public var recall: [Double?]
        public var averagePrecision: [Double?]
        /// Proposals of the group (as ranked for AP).
        public var detections: Int
        /// Median yaw error of the labels found at the first threshold, degrees (nil when none).
        var medianYawErrorDegrees: Double?
    }

    /// The figures of a set of frames.
    public struct Report: Codable, Sendable, Equatable {
        public var frames: Int
        public var minimumPoints: Int
        public var iouThresholds: [Double]
        /// Counted labels over all groups, every proposal, and their ratio.
        public var labels: Int
        public var proposals: Int
        public var proposalsPerLabel: Double?
        /// Proposals flagged for a reviewer (`Detection.isFlagged`).
        public var flaggedProposals: Int
        public var groups: [ObjectCategory.Group: GroupScore]
        /// Per range bin name (`PrelabelBenchmark.rangeBins`), per group.
        public var ranges: [String: [ObjectCategory.Group: GroupScore]]
    }

    /// Scores the frames.
    /// - Complexity: O(L·D) box overlaps per frame for L labels and D detections (with a cheap
    ///   footprint test first), and a sort of the detections per group.
    public func evaluate(_ frames: [Frame]) -> Report {
        let groups = evaluateGroups(frames, in: nil)
        var ranges: [String: [ObjectCategory.Group: GroupScore]] = [:]
        for bin in Self.rangeBins { ranges[bin.name] = evaluateGroups(frames, in: bin.lower..<bin.upper) }
        let labels = frames.reduce(0) { sum, frame in sum + frame.labels.filter(counts).count }
        let proposals = frames.reduce(0) { $0 + $1.detections.count }
        return Report(
            frames: frames.count, minimumPoints: minimumPoints, iouThresholds: iouThresholds, labels: labels,
            proposals: proposals, proposalsPerLabel: labels == 0 ? nil : Double(proposals) / Double(labels),
            flaggedProposals: frames.reduce(0) { $0 + $1.detections.filter(\.isFlagged).count },
            groups: groups, ranges: ranges)
    }

    /// Whether a label counts: its category has a group and it holds at least `minimumPoints` returns.
    package func counts(_ label: Label) -> Bool { label.category.group != nil && label.points >= minimumPoints }

    package static func horizontalRange(_ box: Cuboid) -> Double {
        (box.center.x * box.center.x + box.center.y * box.center.y).squareRoot()
    }

    /// What each threshold's matching of one frame found: per threshold, per counted label index,
    /// whether found, and the yaw errors at the first threshold.
    private func evaluateGroups(_ allFrames: [Frame], in range: Range<Double>?) -> [ObjectCategory.Group: GroupScore] {
        let frames = allFrames.map { frame in
            guard let range else { return frame }
            return Frame(
                name: frame.name, labels: frame.labels.filter { range.contains(Self.horizontalRange($0.box)) },
                detections: frame.detections.filter { range.contains(Self.horizontalRange($0.box)) })
        }
        // The class-blind one-to-one matching recall counts: per frame, per threshold, the same for every group.
        let matches = frames.map { frame in
            iouThresholds.map { threshold in
                BEVMatching.match(
                    labels: frame.labels.map(\.box), proposals: frame.detections.map(\.box), minimumIoU: threshold
                ).labelMatch
            }
        }
        var scores: [ObjectCategory.Group: GroupScore] = [:]
        for group in ObjectCategory.Group.allCases {
            var labelCount = 0
            var found = [Int](repeating: 0, count: iouThresholds.count)
            var yawErrors: [Double] = []
            var ranked: [[(score: Double, isTrue: Bool)]] = Array(repeating: [], count: iouThresholds.count)
            var detectionCount = 0
            for (frame, frameMatches) in zip(frames, matches) {
                let counted = frame.labels.indices.filter {
                    counts(frame.labels[$0]) && frame.labels[$0].category.group == group
                }
                labelCount += counted.count
                detectionCount += frame.detections.filter { $0.group == group }.count
                for (thresholdIndex, threshold) in iouThresholds.enumerated() {
                    for index in counted {
                        guard let match = frameMatches[thresholdIndex][index] else { continue }
                        found[thresholdIndex] += 1
                        if thresholdIndex == 0 {
                            yawErrors.append(Self.yawError(frame.labels[index].box, frame.detections[match].box))
                        }
                    }
                    ranked[thresholdIndex] += rankedOutcomes(frame, group: group, minimumIoU: threshold)
                }
            }
            let sortedErrors = yawErrors.sorted()
            scores[group] = GroupScore(
                labels: labelCount, found: found,
                recall: found.map { labelCount == 0 ? nil : Double($0) / Double(labelCount) },
                averagePrecision: ranked.map { Self.averagePrecisionR40($0, positives: labelCount) },
                detections: detectionCount,
                medianYawErrorDegrees: sortedErrors.isEmpty ? nil : OrderStatistics.median(sortedErrors) * 180 / .pi)
        }
        return scores
    }

    /// The group's detections of one frame with whether each is a true positive; ignored ones left out.
    private func rankedOutcomes(_ frame: Frame, group: ObjectCategory.Group, minimumIoU: Double) -> [(
        score: Double, isTrue: Bool
    )] {
        let order = frame.detections.indices.filter { frame.detections[$0].group == group }
            .sorted { (frame.detections[$0].score, $1) > (frame.detections[$1].score, $0) }
        var taken = [Bool](repeating: false, count: frame.labels.count)
        var outcomes: [(score: Double, isTrue: Bool)] = []
        for index in order {
            let detection = frame.detections[index]
            var best: (iou: Double, label: Int)?
            for (labelIndex, label) in frame.labels.enumerated()
            where !taken[labelIndex] && label.category.group == group
                && label.box.footprintMayMeet(detection.box)
            {
                let iou = label.box.bevIoU(with: detection.box)
                if iou >= minimumIoU, iou > (best?.iou ?? 0) { best = (iou, labelIndex) }
            }
            if let best {
                taken[best.label] = true
                if counts(frame.labels[best.label]) { outcomes.append((detection.score, true)) }
                continue
            }
            // On a road user of no group, or of another group: neither found nor false.
            let onIgnored = frame.labels.contains { label in
                label.category.isRoadUser && label.category.group != group && label.box.footprintMayMeet(detection.box)
                    && label.box.bevIoU(with: detection.box) >= minimumIoU
            }
            if !onIgnored { outcomes.append((detection.score, false)) }
        }
        return outcomes
    }

    /// KITTI's R40 average precision of outcomes pooled over frames.
    static func averagePrecisionR40(_ outcomes: [(score: Double, isTrue: Bool)], positives: Int) -> Double? {
        guard positives > 0 else { return nil }
        let sorted = outcomes.enumerated().sorted { ($0.element.score, $1.offset) > ($1.element.score, $0.offset) }.map(
            \.element)
        var precisionAtRecall: [(recall: Double, precision: Double)] = []
        var truePositives = 0
        for (rank, outcome) in sorted.enumerated() {
            if outcome.isTrue { truePositives += 1 }
            precisionAtRecall.append(
                (Double(truePositives) / Double(positives), Double(truePositives) / Double(rank + 1)))
        }
        // Best precision at each recall or beyond, from the end.
        var best = 0.0
        var envelope = [Double](repeating: 0, count: precisionAtRecall.count)
        for index in precisionAtRecall.indices.reversed() {
            best = max(best, precisionAtRecall[index].precision)
            envelope[index] = best
        }
        var sum = 0.0
        for step in 1...40 {
            let recall = Double(step) / 40
            if let index = precisionAtRecall.firstIndex(where: { $0.recall >= recall - 1e-12 }) {
                sum += envelope[index]
            }
        }
        return sum / 40
    }

    /// Yaw difference modulo π, radians in 0...π/2.
    static func yawError(_ label: Cuboid, _ detection: Cuboid) -> Double {
        var error = abs(detection.yaw - label.yaw).truncatingRemainder(dividingBy: .pi)
        error = min(error, .pi - error)
        return error
    }
}

extension PrelabelBenchmark.Report {
    /// A plain-text table: per group and range bin, labels, recall and AP at each IoU, proposals
    /// of the group and the median yaw error.
    public var table: String {
        let thresholds = iouThresholds.map { String(format: "%.1f", $0) }
        var lines = [
            String(
                format:
                    "%d frames, %d labelled objects with >= %d returns, %d proposals (%@ per object, %d flagged for review)",
                frames, labels, minimumPoints, proposals, proposalsPerLabel.map { String(format: "%.2f", $0) } ?? "-",
                flaggedProposals)
        ]
        let header =
            ["group", "range", "labels"] + thresholds.map { "recall@\($0)" } + thresholds.map { "AP@\($0)" } + [
                "proposals", "yaw err"
            ]
        lines.append(header.map { $0.padding(toLength: 11, withPad: " ", startingAt: 0) }.joined())
        func row(_ group: ObjectCategory.Group, _ range: String, _ score: PrelabelBenchmark.GroupScore) -> String {
            let cells =
                [group.rawValue, range, String(score.labels)]
                + zip(score.found, score.recall).map { found, recall in
                    recall.map { String(format: "%d (%.2f)", found, $0) } ?? "-"
                }
                + score.averagePrecision.map { $0.map { String(format: "%.2f", $0) } ?? "-" }
                + [String(score.detections), score.medianYawErrorDegrees.map { String(format: "%.1f deg", $0) } ?? "-"]
            return cells.map { $0.padding(toLength: 11, withPad: " ", startingAt: 0) }.joined()
        }
        for group in ObjectCategory.Group.allCases {
            if let score = groups[group] { lines.append(row(group, "all", score)) }
            for bin in PrelabelBenchmark.rangeBins {
                if let score = ranges[bin.name]?[group], score.labels > 0 { lines.append(row(group, bin.name, score)) }
            }
        }
        return lines.joined(separator: "\n")
    }
}
