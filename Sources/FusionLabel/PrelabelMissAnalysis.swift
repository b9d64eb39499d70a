import Foundation
import FusionGeometry
import FusionIO
import FusionPrelabel
import FusionSupport

/// Why pre-labelling missed labelled objects: every label `PrelabelBenchmark` counts and no
/// candidate found (at the benchmark's first IoU, matched one to one as its recall is, with the
/// candidates where the dataset labels, as `LabelledSweep.benchmarkFrame` keeps them) is traced
/// through the pre-labeller's stages, and the first stage that lost it is named. A team runs it on
/// its own labelled sweeps to see what to change: the ground, the clustering, the rules that
/// reject clusters, the fit, or the scorer's operating point.
public struct PrelabelMissAnalysis: Sendable {
    /// The first stage that lost an object.
    public enum Cause: String, Codable, Sendable, CaseIterable, CodingKeyRepresentable {
        /// More than half of its returns were taken for ground.
        case ground
        /// Its returns above the ground fell in no cluster (clusters too small, or isolated returns).
        case unclustered
        /// Its returns above the ground are spread over clusters, none holding `splitShare` of them.
        case split
        /// Its cluster holds more returns outside the box than inside it: it was joined to a neighbour.
        case merged
        /// Its cluster made no candidate: the size, height or clearance rules turned it down.
        case rejected
        /// A candidate holds its returns, but its box overlaps the label by less than the IoU.
        case fit
        /// A candidate overlaps it enough, but the one-to-one matching gave that candidate to another label.
        case taken
        /// Found among the candidates, but the scorer's operating point left it out.
        case scoredOut = "scored_out"
    }

    /// One missed object.
    public struct Miss: Codable, Sendable, Equatable {
        public var frame: String
        /// The label's category and its group.
        public var category: ObjectCategory
        public var group: ObjectCategory.Group
        /// Horizontal distance of the box's centre from the origin, metres.
        public var range: Double
        /// Returns inside the labelled box.
        public var returns: Int
        public var cause: Cause
        /// Share of its returns taken for ground.
        public var groundShare: Double
        /// Share of its returns above the ground held by the cluster holding most of them (nil when none does).
        public var clusterShare: Double?
        /// Returns of that cluster outside the labelled box.
        public var clusterReturnsOutside: Int?
        /// The candidate holding most of its returns: its bird's-eye IoU with the label and its size, metres.
        public var candidateIoU: Double?
        public var candidateSize: Size3?
        public var labelSize: Size3
    }

    /// Per group and cause, how many counted labels were missed, with the labels counted.
    public struct Report: Codable, Sendable, Equatable {
        public var frames: Int
        public var minimumIoU: Double
        public var labels: [ObjectCategory.Group: Int]
        var causes: [ObjectCategory.Group: [Cause: Int]]
        public var misses: [Miss]
    }

    public var benchmark: PrelabelBenchmark
    /// A cluster holding less of an object's returns above the ground than this splits it.
    var splitShare: Double

    public init(benchmark: PrelabelBenchmark = .init(), splitShare: Double = 0.6) {
        self.benchmark = benchmark
        self.splitShare = splitShare
    }

    /// Traces every missed object of `sweeps` through `prelabeler`'s stages. The candidates are
    /// every cluster `prelabeler` fits, boxed and classed as it boxes them (with its scorer, at no
    /// operating point); with a scorer, an object the candidates found and the operating point
    /// left out is `scoredOut`. Sweeps in parallel (at most `maximumConcurrency` at once).
    public func analyse(_ sweeps: [LabelledSweep], prelabeler: Prelabeler, maximumConcurrency: Int? = nil) -> Report {
        let found = parallelMap(count: sweeps.count, maximumConcurrency: maximumConcurrency) {
            misses(in: sweeps[$0], prelabeler: prelabeler)
        }
        .flatMap { $0 }
        var labels: [ObjectCategory.Group: Int] = [:]
        for sweep in sweeps {
            for label in sweep.labels where benchmark.counts(label) { labels[label.category.group!, default: 0] += 1 }
        }
        var causes: [ObjectCategory.Group: [Cause: Int]] = [:]
        for miss in found { causes[miss.group, default: [:]][miss.cause, default: 0] += 1 }
        return Report(
            frames: sweeps.count, minimumIoU: benchmark.iouThresholds[0], labels: labels, causes: causes, misses: found)
    }

    /// The missed objects of one sweep, in label order.
    func misses(in sweep: LabelledSweep, prelabeler: Prelabeler) -> [Miss] {
        var finder = prelabeler
        finder.scorer = nil
        var everyCandidate = prelabeler
        everyCandidate.minimumObjectProbability = 0
        let cloud = sweep.sweep
        let ground = finder.ground(of: cloud)
        let clusters = finder.clusters(of: cloud, ground: ground)
        // Without a scorer the candidates are as found (rescoring would drop the rays' judgement).
        let found = finder.proposals(in: cloud, ground: ground, clusters: clusters)
        let candidates = (prelabeler.scorer == nil ? found : found.compactMap { everyCandidate.rescored($0) }).filter {
            sweep.isLabelled($0.cuboid)
        }
        let minimumIoU = benchmark.iouThresholds[0]
        let foundByCandidates = BEVMatching.match(
            labels: sweep.labels.map(\.box), proposals: candidates.map(\.cuboid), minimumIoU: minimumIoU
        ).labelMatch
        let kept = candidates.filter { prelabeler.isKept($0) }
        let foundByKept = BEVMatching.match(
            labels: sweep.labels.map(\.box), proposals: kept.map(\.cuboid), minimumIoU: minimumIoU
        ).labelMatch
        var candidateOfPoint = [Int32](repeating: -1, count: cloud.count)
        for (number, candidate) in candidates.enumerated() {
            for index in candidate.pointIndices { candidateOfPoint[index] = Int32(number) }
        }
        var clusterSizes = [Int](repeating: 0, count: clusters.count)
        for label in clusters.labels where label >= 0 { clusterSizes[Int(label)] += 1 }

        var misses: [Miss] = []
        for (number, label) in sweep.labels.enumerated() where benchmark.counts(label) && foundByKept[number] == nil {
            let inside = cloud.indicesOfPoints(inside: label.box)
            guard !inside.isEmpty else { continue }
            let onGround = inside.filter { ground?.mask[$0] ?? false }.count
            var inCluster: [Int32: Int] = [:]
            var inCandidate: [Int32: Int] = [:]
            for index in inside {
                if clusters.labels[index] >= 0 { inCluster[clusters.labels[index], default: 0] += 1 }
                if candidateOfPoint[index] >= 0 { inCandidate[candidateOfPoint[index], default: 0] += 1 }
            }
            let standing = inside.count - onGround
            let mainCluster = inCluster.max { ($0.value, $1.key) < ($1.value, $0.key) }
            let mainCandidate = inCandidate.max { ($0.value, $1.key) < ($1.value, $0.key) }.map {
                candidates[Int($0.key)]
            }
            let outside = mainCluster.map { clusterSizes[Int($0.key)] - $0.value }
            let clusterShare = mainCluster.map { Double($0.value) / Double(max(1, standing)) }
            let cause: Cause
            if 2 * onGround > inside.count {
                cause = .ground
            } else if mainCluster == nil {
                cause = .unclustered
            } else if clusterShare! < splitShare {
                cause = .split
            } else if outside! > mainCluster!.value {
                cause = .merged
            } else if mainCandidate == nil {
                cause = .rejected
            } else if foundByCandidates[number] != nil {
                cause = .scoredOut
            } else if mainCandidate!.cuboid.bevIoU(with: label.box) >= minimumIoU {
                cause = .taken
            } else {
                cause = .fit
            }
            misses.append(
                Miss(
                    frame: sweep.id, category: label.category, group: label.category.group!,
                    range: PrelabelBenchmark.horizontalRange(label.box), returns: inside.count, cause: cause,
                    groundShare: Double(onGround) / Double(inside.count), clusterShare: clusterShare,
                    clusterReturnsOutside: outside,
                    candidateIoU: mainCandidate.map { $0.cuboid.bevIoU(with: label.box) },
                    candidateSize: mainCandidate?.cuboid.size,
                    labelSize: label.box.size))
        }
        return misses
    }
}

extension PrelabelMissAnalysis.Report {
    /// A plain-text table: per group, labels, misses, and the misses by cause.
    public var table: String {
        let causes = PrelabelMissAnalysis.Cause.allCases
        var lines = [
            String(
                format:
                    "%d frames; objects no candidate found at bird's-eye IoU %.1f, by the first stage that lost them",
                frames, minimumIoU)
        ]
        lines.append(
            (["group", "labels", "missed"] + causes.map(\.rawValue)).map {
                $0.padding(toLength: 12, withPad: " ", startingAt: 0)
            }.joined())
        for group in ObjectCategory.Group.allCases {
            guard let count = labels[group], count > 0 else { continue }
            let byCause = self.causes[group] ?? [:]
            let cells =
                [group.rawValue, String(count), String(byCause.values.reduce(0, +))]
                + causes.map { String(byCause[$0] ?? 0) }
            lines.append(cells.map { $0.padding(toLength: 12, withPad: " ", startingAt: 0) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
