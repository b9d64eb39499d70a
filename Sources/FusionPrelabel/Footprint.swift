import Foundation

/// A rectangle on the ground plane (sensor frame x-y, metres): the bird's-eye view of a cuboid.
public struct Footprint: Hashable, Sendable {
    public var center: SIMD2<Double>
    /// Along the heading axis, metres; `length >= width` once `normalized()`.
    public var length: Double
    public var width: Double
    /// Heading of the length axis, radians counter-clockwise from +x.
    public var yaw: Double

    public init(center: SIMD2<Double>, length: Double, width: Double, yaw: Double) {
        self.center = center
        self.length = length
        self.width = width
        self.yaw = yaw
    }

    /// Unit vectors along the length and the width.
    public var axes: (length: SIMD2<Double>, width: SIMD2<Double>) {
        (SIMD2(cos(yaw), sin(yaw)), SIMD2(-sin(yaw), cos(yaw)))
    }

    /// The same rectangle with the longer side as its length and the yaw folded into (−π/2, π/2]
    /// (a footprint alone cannot tell front from back).
    func normalized() -> Footprint {
        var result = self
        if width > length {
            swap(&result.length, &result.width)
            result.yaw += .pi / 2
        }
        result.yaw = Self.foldedToHalfTurn(result.yaw)
        return result
    }

    /// `angle` modulo π, in (−π/2, π/2].
    static func foldedToHalfTurn(_ angle: Double) -> Double {
        var folded = angle.truncatingRemainder(dividingBy: .pi)
        if folded > .pi / 2 { folded -= .pi } else if folded <= -.pi / 2 { folded += .pi }
        return folded
    }

    /// The tightest rectangle with axes at `angle` around `points`.
    static func bounding(_ points: [SIMD2<Double>], angle: Double) -> Footprint {
        let (first, second, low, high) = extents(of: points, angle: angle)
        let middle = (low + high) / 2
        return Footprint(
            center: first * middle.x + second * middle.y, length: high.x - low.x, width: high.y - low.y, yaw: angle)
    }

    /// The axes at `angle` (heading, then 90° left of it) and the smallest and largest coordinate
    /// of `points` along each.
    static func extents(of points: [SIMD2<Double>], angle: Double)
        -> (first: SIMD2<Double>, second: SIMD2<Double>, low: SIMD2<Double>, high: SIMD2<Double>)
    {
        let first = SIMD2(cos(angle), sin(angle))
        let second = SIMD2(-sin(angle), cos(angle))
        var low = SIMD2<Double>(repeating: .infinity)
        var high = -low
        for point in points {
            let projected = SIMD2((point * first).sum(), (point * second).sum())
            low = pointwiseMin(low, projected)
            high = pointwiseMax(high, projected)
        }
        return (first, second, low, high)
    }

    /// The root mean square distance from `points` to the nearest side: how well they lie on the
    /// outline (a LiDAR sees surfaces, so a good fit puts them on the sides), metres.
    func outlineResidual(_ points: [SIMD2<Double>]) -> Double {
        guard !points.isEmpty else { return 0 }
        let (first, second) = axes
        var sum = 0.0
        for point in points {
            let offset = point - center
            let along = abs((offset * first).sum())
            let across = abs((offset * second).sum())
            let distance = min(abs(length / 2 - along), abs(width / 2 - across))
            sum += distance * distance
        }
        return (sum / Double(points.count)).squareRoot()
    }
}

/// Finds the footprint of an object from the bird's-eye view of its points: the model the cuboid
/// fitter uses, kept apart from it so the criterion is a choice (as PCL keeps its sample-consensus
/// models apart from the estimators).
/// Its `description` names it and every parameter: provenance records it and hashes it.
public protocol FootprintEstimator: Sendable, CustomStringConvertible {
    /// `points`: sensor frame x-y, metres; nil when there are fewer than two distinct points or a
    /// point is not finite.
    func footprint(of points: [SIMD2<Double>]) -> Footprint?
}

extension FootprintEstimator {
    static func allFinite(_ points: [SIMD2<Double>]) -> Bool {
        points.allSatisfy { $0.x.isFinite && $0.y.isFinite }
    }
}

/// Search-based L-shape fitting (Zhang et al., "Efficient L-Shape Fitting for Vehicle Detection
/// Using Laser Scanners", 2017; Autoware's shape estimator): every heading in a quarter turn is
/// tried at `coarseStep`, the best refined at `fineStep` around it, and scored by `criterion`.
public struct LShapeFitting: FootprintEstimator, CustomStringConvertible {
    public enum Criterion: String, Sendable, Codable, CaseIterable {
        /// The smallest bounding rectangle.
        case area
        /// Points closest to the two nearest sides (sum of 1 / max(distance, 1 cm)).
        case closeness
        /// Smallest variance of the distances to the side each point is nearest.
        case variance
    }

    public var criterion: Criterion
    /// Radians.
    var coarseStep = 3 * Double.pi / 180
    var fineStep = 0.25 * Double.pi / 180
    /// The heading is searched on at most this many returns (evenly spaced in the cluster's
    /// order); the rectangle then bounds them all.
    var searchSampleSize = 256

    public init(criterion: Criterion = .variance) {
        self.criterion = criterion
    }

    public var description: String {
        "L-shape search (\(criterion.rawValue), \(coarseStep * 180 / .pi)° then \(fineStep * 180 / .pi)°, on \(searchSampleSize) returns)"
    }

    public func footprint(of points: [SIMD2<Double>]) -> Footprint? {
        guard points.count >= 2, let first = points.first, points.contains(where: { $0 != first }),
            Self.allFinite(points)
        else { return nil }
        let stride = max(1, (points.count + searchSampleSize - 1) / searchSampleSize)
        let sample = stride == 1 ? points : Swift.stride(from: 0, to: points.count, by: stride).map { points[$0] }
        var best = (angle: 0.0, score: -Double.infinity)
        for step in 0..<Int((Double.pi / 2 / coarseStep).rounded(.up)) {
            let angle = Double(step) * coarseStep
            let score = self.score(sample, angle: angle)
            if score > best.score { best = (angle, score) }
        }
        let coarse = best.angle
        for step in -Int(coarseStep / fineStep)...Int(coarseStep / fineStep) {
            let angle = coarse + Double(step) * fineStep
            let score = self.score(sample, angle: angle)
            if score > best.score { best = (angle, score) }
        }
        return Footprint.bounding(points, angle: best.angle).normalized()
    }

    /// Higher is better.
    func score(_ points: [SIMD2<Double>], angle: Double) -> Double {
        let (first, second, low, high) = Footprint.extents(of: points, angle: angle)
        switch criterion {
        case .area:
            return -(high.x - low.x) * (high.y - low.y)
        case .closeness:
            var score = 0.0
            for point in points {
                let projected = SIMD2((point * first).sum(), (point * second).sum())
                let toSides = pointwiseMin(high - projected, projected - low)
                score += 1 / max(min(toSides.x, toSides.y), 0.01)
            }
            return score
        case .variance:
            // Each point belongs to the side it is nearest; the spread of those distances, per side.
            var sums = SIMD2<Double>.zero
            var squares = SIMD2<Double>.zero
            var counts = SIMD2<Double>.zero
            for point in points {
                let projected = SIMD2((point * first).sum(), (point * second).sum())
                let toSides = pointwiseMin(high - projected, projected - low)
                let side = toSides.x <= toSides.y ? SIMD2<Double>(1, 0) : SIMD2<Double>(0, 1)
                let distance = min(toSides.x, toSides.y)
                sums += side * distance
                squares += side * distance * distance
                counts += side
            }
            let means = sums / pointwiseMax(counts, SIMD2(repeating: 1))
            let variances = squares / pointwiseMax(counts, SIMD2(repeating: 1)) - means * means
            return -variances.sum()
        }
    }
}

/// The rectangle along the principal axes of the points (the eigenvectors of their 2D covariance,
/// as PCL's `MomentOfInertiaEstimation` orients its oriented bounding box).
public struct PrincipalAxesFitting: FootprintEstimator, CustomStringConvertible {
    public init() {}

    public var description: String { "principal axes" }

    public func footprint(of points: [SIMD2<Double>]) -> Footprint? {
        guard points.count >= 2, let first = points.first, points.contains(where: { $0 != first }),
            Self.allFinite(points)
        else { return nil }
        let mean = points.reduce(SIMD2<Double>.zero, +) / Double(points.count)
        var xx = 0.0
        var xy = 0.0
        var yy = 0.0
        for point in points {
            let d = point - mean
            xx += d.x * d.x
            xy += d.x * d.y
            yy += d.y * d.y
        }
        // The major axis of a symmetric 2×2 matrix.
        let angle = 0.5 * atan2(2 * xy, xx - yy)
        return Footprint.bounding(points, angle: angle).normalized()
    }
}

/// The minimum-area enclosing rectangle: one side lies on an edge of the convex hull (rotating
/// calipers, O(n log n) for the hull then one pass per hull edge).
struct MinimumAreaRectangle: FootprintEstimator, CustomStringConvertible {
    public init() {}

    public var description: String { "minimum-area rectangle" }

    public func footprint(of points: [SIMD2<Double>]) -> Footprint? {
        guard Self.allFinite(points) else { return nil }
        let hull = Self.convexHull(points)
        guard hull.count >= 2 else { return nil }
        var best: (footprint: Footprint, area: Double)?
        for index in hull.indices {
            let edge = hull[(index + 1) % hull.count] - hull[index]
            guard edge != .zero else { continue }
            let candidate = Footprint.bounding(hull, angle: atan2(edge.y, edge.x))
            let area = candidate.length * candidate.width
            if area < best?.area ?? .infinity { best = (candidate, area) }
        }
        return best?.footprint.normalized()
    }

    /// Andrew's monotone chain, counter-clockwise, collinear points dropped.
    static func convexHull(_ points: [SIMD2<Double>]) -> [SIMD2<Double>] {
        let sorted = points.sorted { ($0.x, $0.y) < ($1.x, $1.y) }
        guard sorted.count >= 3 else { return sorted.count == 2 && sorted[0] == sorted[1] ? [sorted[0]] : sorted }
        func cross(_ o: SIMD2<Double>, _ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Double {
            (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
        }
        var lower: [SIMD2<Double>] = []
        var upper: [SIMD2<Double>] = []
        for point in sorted {
            while lower.count >= 2 && cross(lower[lower.count - 2], lower[lower.count - 1], point) <= 0 {
                lower.removeLast()
            }
            lower.append(point)
        }
        for point in sorted.reversed() {
            while upper.count >= 2 && cross(upper[upper.count - 2], upper[upper.count - 1], point) <= 0 {
                upper.removeLast()
            }
            upper.append(point)
        }
        return Array(lower.dropLast() + upper.dropLast())
    }
}
