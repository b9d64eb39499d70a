import Foundation
import FusionGeometry

/// What an annotation tool calls when a person clicks: grow the object from a seed point and
/// return a tight cuboid, or refit a rough box to the returns it holds. Works on a neighbourhood
/// of the click only, so a call costs milliseconds on a whole sweep.
public struct OneClickFit: Sendable {
    public var prelabeler: Prelabeler
    /// Metres around the seed (horizontally) that an object may reach.
    var searchRadius = 10.0
    /// Metres added around a rough box on every side when gathering its returns.
    public var margin = 0.5

    public init(prelabeler: Prelabeler = Prelabeler()) {
        self.prelabeler = prelabeler
    }

    /// The object under a click: the returns connected (within the clustering tolerance, ground
    /// left out) to the return nearest `seed`, fitted and classed as pre-labelling does.
    /// - Parameters:
    ///   - seed: sensor frame, metres; a clicked return, or a point on the object.
    ///   - ground: the sweep's ground when the caller has it (computed otherwise).
    /// - Returns: nil when no return standing on the ground lies within the tolerance of `seed`.
    public func fit(seed: SIMD3<Double>, in cloud: PointCloud, ground: GroundSegmentation.Ground? = nil) -> Proposal? {
        let ground = ground ?? prelabeler.groundSegmentation.ground(of: cloud)
        let nearby = standingIndices(in: cloud, ground: ground) { point in
            let dx = Double(point.x) - seed.x
            let dy = Double(point.y) - seed.y
            return dx * dx + dy * dy <= searchRadius * searchRadius
        }
        let tolerance = prelabeler.clustering.tolerance
        guard let nearest = nearby.min(by: { distanceSquared(cloud[$0], seed) < distanceSquared(cloud[$1], seed) }),
            distanceSquared(cloud[nearest], seed) <= tolerance * tolerance
        else { return nil }
        let labels = EuclideanClustering(tolerance: tolerance).labels(of: cloud.subset(nearby)).labels
        let target = labels[nearby.firstIndex(of: nearest)!]
        let members = nearby.indices.filter { labels[$0] == target }.map { nearby[$0] }
        return propose(members, in: cloud, ground: ground, kind: nil, roughBox: nil)
    }

    /// A rough box made tight: the returns inside it (widened by `margin`), ground left out, and
    /// the clusters the rough box holds fitted together. Extents the returns do not show come from
    /// the rough box; the class given replaces the engine's guess; the rough box's heading is kept
    /// (front stays front) when the fit's axes allow.
    /// - Returns: nil when the box holds no return standing on the ground.
    public func refit(
        _ box: Cuboid, kind: PrelabelClass? = nil, in cloud: PointCloud, ground: GroundSegmentation.Ground? = nil
    ) -> Proposal? {
        let ground = ground ?? prelabeler.groundSegmentation.ground(of: cloud)
        var widened = box
        widened.size = Size3(
            length: box.size.length + 2 * margin, width: box.size.width + 2 * margin,
            height: box.size.height + 2 * margin)
        let gathered = standingIndices(in: cloud, ground: ground) { widened.contains(SIMD3<Double>($0)) }
        guard !gathered.isEmpty else { return nil }
        let labels = EuclideanClustering(tolerance: prelabeler.clustering.tolerance).labels(of: cloud.subset(gathered))
            .labels
        // The clusters the rough box holds (a car seen through a gap is two): each with at least a
        // tenth of the best one's returns inside the rough box, and three.
        var inside: [Int32: Int] = [:]
        for (position, index) in gathered.enumerated()
        where labels[position] >= 0 && box.contains(SIMD3<Double>(cloud[index])) {
            inside[labels[position], default: 0] += 1
        }
        guard let most = inside.values.max() else { return nil }
        let targets = Set(inside.filter { $0.value >= max(3, most / 10) }.keys)
        let members = gathered.indices.filter { targets.contains(labels[$0]) }.map { gathered[$0] }
        return propose(members, in: cloud, ground: ground, kind: kind, roughBox: box)
    }

    private func standingIndices(
        in cloud: PointCloud, ground: GroundSegmentation.Ground?, where isNear: (SIMD3<Float>) -> Bool
    ) -> [Int] {
        (0..<cloud.count).filter { index in
            let point = cloud[index]
            return point.x.isFinite && point.y.isFinite && point.z.isFinite && !(ground?.mask[index] ?? false)
                && isNear(point)
        }
    }

    private func distanceSquared(_ point: SIMD3<Float>, _ seed: SIMD3<Double>) -> Double {
        let offset = SIMD3<Double>(point) - seed
        return (offset * offset).sum()
    }

    private func propose(
        _ members: [Int], in cloud: PointCloud, ground: GroundSegmentation.Ground?, kind: PrelabelClass?,
        roughBox: Cuboid?
    ) -> Proposal? {
        let groundHeight: (Double, Double) -> Double = { x, y in ground?.height(x: x, y: y) ?? -.infinity }
        guard var fit = prelabeler.fitter.fit(members.map { cloud[$0] }, groundHeight: groundHeight) else { return nil }
        if let roughBox { fit.cuboid = Self.aligned(fit.cuboid, with: roughBox) }
        var proposal = prelabeler.proposal(for: fit, indices: members)
        // What the rough box says about the extents the returns do not show beats the class mean.
        if let roughBox {
            let growsAway = (kind ?? proposal.kind).map { $0 != .pedestrian && $0 != .cyclist } ?? true
            let slack = Size3(length: 0.1, width: 0.1, height: 0.1)
            let none = Size3(length: 0, width: 0, height: 0)
            proposal.cuboid = prelabeler.fitter.completed(
                fit, expecting: roughBox.size, deviation: slack, correction: none, growsAway: growsAway)
        }
        // The person's class wins over the engine's guess.
        if let kind, kind != .other, let prior = prelabeler.priors.classes[kind] {
            if roughBox == nil { proposal.cuboid = prelabeler.fitter.completed(fit, as: kind, prior: prior) }
            proposal.kind = kind
            proposal.confidence = proposal.classProbabilities[kind] ?? 0
            proposal.flags.removeAll { $0 == .ambiguousClass }
        }
        if let roughBox { proposal.cuboid = Self.aligned(proposal.cuboid, with: roughBox) }
        return proposal
    }

    /// `box` turned to the rough box's heading: by a quarter turn when the rough box's length lies
    /// along its width and the returns allow it (its sides nearly equal, or its long side no longer
    /// than the rough box's width: one face seen, the front of a car rather than its side), and by
    /// a half turn when it faces backwards.
    static func aligned(_ box: Cuboid, with rough: Cuboid) -> Cuboid {
        var result = box
        var difference = rough.yaw - box.yaw
        let fitsAcross = box.size.length <= rough.size.width + 0.3 && box.size.width <= rough.size.length + 0.3
        if abs(sin(difference)) > sin(Double.pi / 4) && (box.size.length < 1.3 * box.size.width || fitsAcross) {
            result = Cuboid(
                center: box.center,
                size: Size3(length: box.size.width, width: box.size.length, height: box.size.height),
                yaw: box.yaw + .pi / 2)
            difference = rough.yaw - result.yaw
        }
        if cos(difference) < 0 { result = Cuboid(center: result.center, size: result.size, yaw: result.yaw + .pi) }
        return result
    }
}
