import Foundation
import FusionGeometry
import FusionSupport

/// What the proposal scorer sees of a candidate: its fitted box, how its returns are spread,
/// how dense they are for their range, how bright against the rest of the sweep, and what the
/// sweep's rays say about the space around it. Every feature is a property of the cluster and
/// the sweep, none of a dataset's conventions (no absolute heights: the sensor's mounting
/// height differs between rigs, so heights are taken from the ground found under the object).
public enum ProposalFeature: String, CaseIterable, Codable, Sendable {
    /// The fit's longer and shorter footprint extent and its height, metres (before completion).
    case length, width, height
    /// Footprint area, m², and width over length.
    case area, aspect
    /// ln(returns).
    case logPoints = "log_points"
    /// Horizontal distance from the sensor, metres.
    case range
    /// ln(returns · range²): the spinning LiDAR's 1/r² fall-off taken out.
    case logDensity = "log_density"
    /// Footprint sides with returns along them (0, 1, 2).
    case seenSides = "seen_sides"
    /// RMS distance of the returns to the nearest footprint side, metres.
    case residual
    /// Lowest return above the ground under the object, metres.
    case clearance
    /// Quantiles of the returns' heights above the ground, over the box's height (0 bottom, 1 top).
    case heightQuantile25 = "height_q25", heightQuantile50 = "height_q50", heightQuantile90 = "height_q90"
    /// Share of the returns in the upper half of the box, and the footprint's fill: returns in
    /// the inner half of the footprint (a solid object's inside is hidden, a bush's is not).
    case upperShare = "upper_share", innerShare = "inner_share"
    /// Mean intensity of the returns over the sweep's 90th percentile (scale-free across sensors).
    case relativeIntensity = "relative_intensity"
    /// Rays that crossed the smallest car the returns allow and came back from beyond it, over
    /// the returns (`SweepRays.raysThrough`).
    case seenThroughShare = "seen_through_share"
    /// 1 when the sweep could not see under the object (`SweepRays.hidesBelow`), else 0.
    case hiddenBelow = "hidden_below"
    /// The size priors' class probabilities (`PriorModel.classProbabilities`), grouped.
    case priorVehicle = "prior_vehicle", priorPedestrian = "prior_pedestrian", priorCyclist = "prior_cyclist"
}

/// One candidate's features, indexed by `ProposalFeature` in `allCases` order.
public struct ProposalFeatures: Sendable, Equatable, Codable {
    public var values: [Float]

    public init(values: [Float]) {
        precondition(values.count == ProposalFeature.allCases.count, "one value per feature")
        self.values = values
    }

    public subscript(feature: ProposalFeature) -> Float {
        get { values[Self.index[feature]!] }
        set { values[Self.index[feature]!] = newValue }
    }

    static let index: [ProposalFeature: Int] = Dictionary(
        uniqueKeysWithValues: ProposalFeature.allCases.enumerated().map { ($1, $0) })
}

/// What the features need of the whole sweep, computed once per sweep.
struct SweepContext {
    var rays: SweepRays?
    /// Intensity per return, when the sweep has it, and its 90th percentile (> 0).
    var intensity: [Float]?
    var intensityScale: Float = 1

    init(_ cloud: PointCloud, rays: SweepRays?) {
        self.rays = rays
        guard let values = cloud.attributes.intensity, !values.isEmpty else { return }
        // A strided sample is enough for a percentile, and keeps this O(n) in time and small in memory.
        let stride = max(1, values.count / 8192)
        var sample: [Float] = []
        sample.reserveCapacity(values.count / stride + 1)
        for index in Swift.stride(from: 0, to: values.count, by: stride) where values[index].isFinite {
            sample.append(values[index])
        }
        sample.sort()
        guard let high = sample.isEmpty ? nil : sample[min(sample.count - 1, sample.count * 9 / 10)], high > 0 else {
            return
        }
        intensity = values
        intensityScale = 1 / high
    }
}

extension Prelabeler {
    /// The scorer's features of a fitted candidate.
    func features(
        of fit: CuboidFitter.Fit, points: [SIMD3<Float>], indices: [Int], groundHeight: (Double, Double) -> Double,
        context: SweepContext, hiddenBelow: Bool
    ) -> ProposalFeatures {
        let box = fit.cuboid
        let size = box.size
        let range = (box.center.x * box.center.x + box.center.y * box.center.y).squareRoot()
        let bottom = box.center.z - size.height / 2
        let found = groundHeight(box.center.x, box.center.y)
        let ground = found.isFinite ? min(found, bottom) : bottom
        var heights = points.map { Double($0.z) - ground }
        heights.sort()
        let top = max(heights.last ?? 0, 0.05)
        func quantile(_ q: Double) -> Double {
            heights.isEmpty ? 0 : OrderStatistics.quantile(heights, q, .truncatedRank) / top
        }
        let upper = heights.isEmpty ? 0 : Double(heights.filter { $0 > top / 2 }.count) / Double(heights.count)
        let axisX = SIMD2(cos(box.yaw), sin(box.yaw))
        let axisY = SIMD2(-sin(box.yaw), cos(box.yaw))
        var inner = 0
        for point in points {
            let offset = SIMD2(Double(point.x) - box.center.x, Double(point.y) - box.center.y)
            if abs((offset * axisX).sum()) < size.length / 4 && abs((offset * axisY).sum()) < size.width / 4 {
                inner += 1
            }
        }
        var relativeIntensity = 0.0
        if let intensity = context.intensity, !indices.isEmpty {
            let sum = indices.reduce(0.0) { $0 + Double(intensity[$1].isFinite ? intensity[$1] : 0) }
            relativeIntensity = min(4, sum / Double(indices.count) * Double(context.intensityScale))
        }
        var seenThrough = 0.0
        if let rays = context.rays, let prior = priors.classes[.car] {
            let completed = fitter.completed(
                fit, expecting: prior.meanSize, deviation: prior.sizeDeviation, correction: prior.sizeCorrection,
                growsAway: true, growth: .toAtLeast(deviations: 1.5))
            if completed != fit.cuboid {
                seenThrough =
                    Double(rays.raysThrough(completed, outside: fit.cuboid, band: seenThroughBand, margin: 0.2))
                    / Double(max(1, fit.pointCount))
            }
        }
        let prior = priors.classProbabilities(observed: size, seenSides: fit.seenSides)
        let longer = max(size.length, size.width)
        let shorter = min(size.length, size.width)
        var features = ProposalFeatures(values: [Float](repeating: 0, count: ProposalFeature.allCases.count))
        features[.length] = Float(longer)
        features[.width] = Float(shorter)
        features[.height] = Float(size.height)
        features[.area] = Float(longer * shorter)
        features[.aspect] = Float(shorter / max(longer, 1e-3))
        features[.logPoints] = Float(log(Double(max(fit.pointCount, 1))))
        features[.range] = Float(range)
        features[.logDensity] = Float(log(Double(max(fit.pointCount, 1)) * max(range, 1) * max(range, 1)))
        features[.seenSides] = Float(fit.seenSides)
        features[.residual] = Float(fit.residual)
        features[.clearance] = Float(heights.first ?? 0)
        features[.heightQuantile25] = Float(quantile(0.25))
        features[.heightQuantile50] = Float(quantile(0.5))
        features[.heightQuantile90] = Float(quantile(0.9))
        features[.upperShare] = Float(upper)
        features[.innerShare] = Float(points.isEmpty ? 0 : Double(inner) / Double(points.count))
        features[.relativeIntensity] = Float(relativeIntensity)
        features[.seenThroughShare] = Float(min(seenThrough, 10))
        features[.hiddenBelow] = hiddenBelow ? 1 : 0
        features[.priorVehicle] = Float((prior[.car] ?? 0) + (prior[.vanTruck] ?? 0) + (prior[.bus] ?? 0))
        features[.priorPedestrian] = Float(prior[.pedestrian] ?? 0)
        features[.priorCyclist] = Float(prior[.cyclist] ?? 0)
        features.values = features.values.map { $0.isFinite ? $0 : 0 }
        return features
    }
}
