import Foundation
import FusionGeometry

/// Fits an upright cuboid to one object's returns (sensor frame, metres, the sensor at the
/// origin): the footprint from `estimator`, the bottom on the ground, the top at the highest return.
public struct CuboidFitter: Sendable {
    var estimator: any FootprintEstimator
    /// Metres: returns this close to a side of the footprint count for that side.
    var sideDistance = 0.15
    /// Standard deviations below the class's mean size that a pedestrian's box grows to at least
    /// (see `completed(_:as:prior:)`), until the prior model has learned how big its annotators
    /// draw partly seen people (`PriorModel.ClassPrior.partialViews`). Datasets differ: KITTI's
    /// boxes average 0.84 × 0.66 m, SUSTech POINTS draws far people as tight as their returns
    /// (0.4–0.5 m). At one deviation (0.61 × 0.52 m from KITTI's statistics) a box nested in either
    /// kind of label overlaps it by more than half; at 1.5 a KITTI-sized person's box would overlap
    /// 0.4 of it, at 0.5 a tight far label 0.45.
    var pedestrianDeviations = 1.0

    public init(estimator: any FootprintEstimator = ShapeAwareFitting()) {
        self.estimator = estimator
    }

    private enum CodingKeys: String, CodingKey { case estimator, sideDistance, pedestrianDeviations }

    /// A cuboid around the returns, before any completion from class priors.
    public struct Fit: Sendable {
        /// Bottom on the ground under its centre (or at the lowest return when that is lower).
        public var cuboid: Cuboid
        /// Root mean square distance of the returns to the nearest side, metres.
        public var residual: Double
        public var pointCount: Int
        /// Sides of the footprint with returns along them: 2 for an L seen on a corner, 1 for a
        /// single face (the other extent is unknown), 0 when too sparse to tell.
        var seenSides: Int
    }

    /// - Parameter groundHeight: the ground's height under a point (x, y), metres; not finite where
    ///   there is no ground.
    /// - Returns: nil for fewer than two distinct returns.
    public func fit(_ points: [SIMD3<Float>], groundHeight: (Double, Double) -> Double) -> Fit? {
        let flat = points.map { SIMD2<Double>(Double($0.x), Double($0.y)) }
        guard var footprint = estimator.footprint(of: flat) else { return nil }
        // A single face gives a sliver; keep a thickness so the box has a volume.
        footprint.width = max(footprint.width, 0.05)
        footprint.length = max(footprint.length, 0.05)
        var top = -Double.infinity
        var lowest = Double.infinity
        for point in points {
            top = max(top, Double(point.z))
            lowest = min(lowest, Double(point.z))
        }
        // Without a ground (a non-finite height), the box stands on its lowest return.
        let ground = groundHeight(footprint.center.x, footprint.center.y)
        let bottom = ground.isFinite ? min(lowest, ground) : lowest
        let height = max(top - bottom, 0.05)
        let cuboid = Cuboid(
            center: SIMD3(footprint.center.x, footprint.center.y, bottom + height / 2),
            size: Size3(length: footprint.length, width: footprint.width, height: height), yaw: footprint.yaw)
        return Fit(
            cuboid: cuboid, residual: footprint.outlineResidual(flat), pointCount: points.count,
            seenSides: seenSides(of: footprint, flat))
    }

    func seenSides(of footprint: Footprint, _ points: [SIMD2<Double>]) -> Int {
        let needed = max(3, points.count / 5)
        guard points.count >= 3 else { return 0 }
        if footprint.width < 2 * sideDistance { return 1 }
        let (first, second) = footprint.axes
        var along = (low: 0, high: 0)
        var across = (low: 0, high: 0)
        for point in points {
            let offset = point - footprint.center
            let u = (offset * first).sum()
            let v = (offset * second).sum()
            if u > footprint.length / 2 - sideDistance { along.high += 1 }
            if u < -footprint.length / 2 + sideDistance { along.low += 1 }
            if v > footprint.width / 2 - sideDistance { across.high += 1 }
            if v < -footprint.width / 2 + sideDistance { across.low += 1 }
        }
        let ends = (along.low >= needed ? 1 : 0) + (along.high >= needed ? 1 : 0)
        let sides = (across.low >= needed ? 1 : 0) + (across.high >= needed ? 1 : 0)
        return min(ends, 1) + min(sides, 1)
    }

    /// The fit completed to what a class's labels look like: each size gets the class's learned
    /// correction, and an extent still short of the class's mean by more than 1.5 standard
    /// deviations (a partial view) grows: to the mean, away from the sensor for vehicles (their
    /// near sides are the ones seen), about the centre for cyclists. A pedestrian's extents grow
    /// about the centre to at least the size learned for partly seen people, or before any was
    /// learned `pedestrianDeviations` below the mean, no further (a person's
    /// returns cover most of the body, and how far a stride or an arm reaches is anybody's guess:
    /// a box grown to the mean is mostly air).
    ///
    /// A vehicle seen on one face only is turned first when that face crosses the line of sight
    /// (more than 45°) and is no wider than the class: it is the vehicle's back or front, so its
    /// length runs away from the sensor.
    public func completed(_ fit: Fit, as kind: PrelabelClass, prior: PriorModel.ClassPrior) -> Cuboid {
        completed(
            fit, expecting: prior.meanSize, deviation: prior.sizeDeviation, correction: prior.sizeCorrection,
            growsAway: kind != .pedestrian && kind != .cyclist,
            growth: kind == .pedestrian ? pedestrianGrowth(prior) : .toMean)
    }

    /// A person's growth: to at least the size learned for partly seen people, as a square of its
    /// area (a person's heading is seldom seen), or before any was learned to `pedestrianDeviations`
    /// below the mean.
    func pedestrianGrowth(_ prior: PriorModel.ClassPrior) -> Growth {
        guard let learned = prior.partialViews?.meanSize else { return .toAtLeast(deviations: pedestrianDeviations) }
        let side = (learned.length * learned.width).squareRoot()
        return .toAtLeastSize(Size3(length: side, width: side, height: learned.height))
    }

    /// How far a completion grows an extent.
    public enum Growth: Sendable, Equatable {
        /// An extent short of the mean by more than 1.5 deviations (a partial view) grows to the mean.
        case toMean
        /// Every extent grows to at least `mean − deviations × deviation`, no further.
        case toAtLeast(deviations: Double)
        /// Every extent grows to at least the given size, no further.
        case toAtLeastSize(Size3)
    }

    /// The fit completed to an expected size (a class's mean, or the size of a box a person or a
    /// detector drew), as `completed(_:as:prior:)` describes, each extent grown as `growth` says.
    public func completed(
        _ fit: Fit, expecting mean: Size3, deviation: Size3, correction: Size3, growsAway: Bool,
        growth: Growth = .toMean
    ) -> Cuboid {
        var box = fit.cuboid
        if growsAway && fit.seenSides <= 1 && box.size.length <= mean.width + 2 * deviation.width + 0.2 {
            let sight =
                SIMD2(box.center.x, box.center.y)
                / max(1e-9, (box.center.x * box.center.x + box.center.y * box.center.y).squareRoot())
            let crossing = abs(sight.x * cos(box.yaw) + sight.y * sin(box.yaw)) < cos(Double.pi / 4)
            if crossing {
                box = Cuboid(
                    center: box.center,
                    size: Size3(length: box.size.width, width: box.size.length, height: box.size.height),
                    yaw: Footprint.foldedToHalfTurn(box.yaw + .pi / 2))
            }
        }
        let floor: Size3? =
            switch growth {
            case .toMean: nil
            case .toAtLeast(let deviations):
                Size3(
                    length: mean.length - deviations * deviation.length,
                    width: mean.width - deviations * deviation.width,
                    height: mean.height - deviations * deviation.height)
            case .toAtLeastSize(let size): size
            }
        func target(_ observed: Double, _ correction: Double, _ mean: Double, _ deviation: Double, _ floor: Double?)
            -> Double
        {
            let corrected = max(0.05, observed + correction)
            guard let floor else { return corrected < mean - 1.5 * deviation ? mean : corrected }
            return max(corrected, floor)
        }
        let length = target(box.size.length, correction.length, mean.length, deviation.length, floor?.length)
        let width = target(box.size.width, correction.width, mean.width, deviation.width, floor?.width)
        let height = target(box.size.height, correction.height, mean.height, deviation.height, floor?.height)
        let lengthAxis = SIMD3(cos(box.yaw), sin(box.yaw), 0)
        let widthAxis = SIMD3(-sin(box.yaw), cos(box.yaw), 0)
        if growsAway {
            let awayAlongLength: Double = (box.center * lengthAxis).sum() >= 0 ? 1 : -1
            let awayAlongWidth: Double = (box.center * widthAxis).sum() >= 0 ? 1 : -1
            box.center += lengthAxis * awayAlongLength * (length - box.size.length) / 2
            box.center += widthAxis * awayAlongWidth * (width - box.size.width) / 2
        }
        // The bottom stays on the ground.
        box.center.z += (height - box.size.height) / 2
        box.size = Size3(length: length, width: width, height: height)
        return box
    }
}

extension CuboidFitter: Encodable {
    /// The numbers as they are; the estimator, which is code rather than data, as its description
    /// (its name and every parameter, e.g. `L-shape search (closeness, 1.0° then 0.1°, ...)`), so
    /// two fitters encode alike exactly when they fit alike.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(estimator.description, forKey: .estimator)
        try container.encode(sideDistance, forKey: .sideDistance)
        try container.encode(pedestrianDeviations, forKey: .pedestrianDeviations)
    }
}
