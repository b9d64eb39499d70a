import Foundation
import FusionGeometry

/// The rays of one sweep (sensor frame, the sensor at the origin), sorted by bearing, to ask where
/// the sensor saw through: a solid object cannot stand where returns came from beyond it. A box
/// completed from a class's size priors (a car grown from the face it showed) is contradicted
/// when many rays crossed the grown part at body height and returned from farther away.
struct SweepRays: Sendable {
    private let cloud: PointCloud
    /// Point indices ordered by bearing bin, and where each bin starts in `order`.
    private let order: [Int32]
    private let binStarts: [Int32]
    static let binCount = 2048

    init(_ cloud: PointCloud) {
        self.cloud = cloud
        // A counting sort by bin; a point with no bearing (the origin, not finite) gets none.
        let none = UInt16.max
        var binOfPoint = [UInt16](repeating: none, count: cloud.count)
        var starts = [Int32](repeating: 0, count: Self.binCount + 1)
        cloud.x.withUnsafeBufferPointer { xs in
            cloud.y.withUnsafeBufferPointer { ys in
                for index in 0..<xs.count {
                    guard let bin = Self.bin(xs[index], ys[index]) else { continue }
                    binOfPoint[index] = UInt16(bin)
                    starts[bin + 1] &+= 1
                }
            }
        }
        for bin in 0..<Self.binCount { starts[bin + 1] &+= starts[bin] }
        var next = starts
        var order = [Int32](repeating: 0, count: Int(starts[Self.binCount]))
        for (index, bin) in binOfPoint.enumerated() where bin != none {
            order[Int(next[Int(bin)])] = Int32(index)
            next[Int(bin)] &+= 1
        }
        self.order = order
        binStarts = starts
    }

    /// The bearing bin of (x, y): its `pseudoAngle` in `binCount` equal steps; nil at the origin or
    /// for a non-finite point.
    @inline(__always)
    static func bin(_ x: Float, _ y: Float) -> Int? {
        guard let angle = pseudoAngle(x, y) else { return nil }
        return min(binCount - 1, Int(angle * Float(binCount / 4)))
    }

    /// How many returns came from beyond `box` along rays that crossed it outside `seen` (grown by
    /// `margin` metres: the returns the box was fitted to, and their noise) at a height between
    /// `band` metres above the box's bottom. Rays ending within `margin` of the crossing are not
    /// counted (they hit something there).
    func raysThrough(_ box: Cuboid, outside seen: Cuboid, band: ClosedRange<Double>, margin: Double) -> Int {
        let boxSlab = Slab(box, grow: 0)
        let seenSlab = Slab(seen, grow: margin)
        guard !boxSlab.contains(.zero) else { return 0 }
        let bottom = box.center.z - box.size.height / 2
        let low = bottom + band.lowerBound
        let high = bottom + band.upperBound
        // Distances from the sensor at which a ray can be inside the box.
        let centerDistance = (box.center.x * box.center.x + box.center.y * box.center.y).squareRoot()
        let halfDiagonal = (boxSlab.half * boxSlab.half).sum().squareRoot()
        let nearest = max(0, centerDistance - halfDiagonal)
        let farthest = centerDistance + halfDiagonal
        var count = 0
        for bins in binRanges(of: boxSlab.corners) {
            for slot in Int(binStarts[bins.lowerBound])..<Int(binStarts[bins.upperBound + 1]) {
                let index = Int(order[slot])
                let x = Double(cloud.x[index])
                let y = Double(cloud.y[index])
                // A return short of the box did not cross it.
                let rangeSquared = x * x + y * y
                guard rangeSquared > (nearest + margin) * (nearest + margin) else { continue }
                let range = rangeSquared.squareRoot()
                let slope = Double(cloud.z[index]) / range
                // Nor did a ray above or below the band all the way past the box.
                let last = min(farthest, range - margin)
                guard max(slope * nearest, slope * last) >= low, min(slope * nearest, slope * last) <= high else {
                    continue
                }
                let direction = SIMD2(x, y) / range
                guard let (enter, leave) = boxSlab.crossing(direction), enter < range - margin else { continue }
                let end = min(leave, range - margin)
                // The crossing outside the seen part: before it and after it (or all of it).
                var before = (enter, end)
                var after = (end, end)
                if let (seenEnter, seenLeave) = seenSlab.crossing(direction) {
                    before = (enter, min(end, seenEnter))
                    after = (max(enter, seenLeave), end)
                }
                func meetsBand(_ part: (Double, Double)) -> Bool {
                    part.0 < part.1 && max(slope * part.0, slope * part.1) >= low
                        && min(slope * part.0, slope * part.1) <= high
                }
                if meetsBand(before) || meetsBand(after) { count += 1 }
            }
        }
        return count
    }

    /// Whether the sensor could not see under an object: along the rays in the bearings of its
    /// footprint `box` that point at most `depth` (a slope, rise over run) below its lowest return,
    /// the returns came back at least `margin` metres short of it, from something nearer (a
    /// parked car before a person's legs), at least `minimumRays` of them and no more than
    /// `seenShare` reaching it or beyond. A sign or a branch hangs over space the sensor saw.
    /// - Parameter points: the object's returns, sensor frame.
    func hidesBelow(
        _ points: [SIMD3<Float>], box: Cuboid, depth: Double, margin: Double, minimumRays: Int, seenShare: Double
    ) -> Bool {
        var lowestSlope = Double.infinity
        var nearest = Double.infinity
        for point in points {
            let range = Double((point.x * point.x + point.y * point.y).squareRoot())
            guard range > 0 else { return false }
            lowestSlope = min(lowestSlope, Double(point.z) / range)
            nearest = min(nearest, range)
        }
        let slab = Slab(box, grow: 0)
        guard nearest.isFinite, !slab.contains(.zero) else { return false }
        // Rays of the object's own lowest row are not below it.
        let band = (lowestSlope - depth)...(lowestSlope - 1e-3)
        var hidden = 0
        var seen = 0
        for bins in binRanges(of: slab.corners) {
            for slot in Int(binStarts[bins.lowerBound])..<Int(binStarts[bins.upperBound + 1]) {
                let index = Int(order[slot])
                let x = Double(cloud.x[index])
                let y = Double(cloud.y[index])
                let range = (x * x + y * y).squareRoot()
                guard band.contains(Double(cloud.z[index]) / range), slab.crossing(SIMD2(x, y) / range) != nil else {
                    continue
                }
                if range < nearest - margin { hidden += 1 } else { seen += 1 }
            }
        }
        return hidden >= minimumRays && Double(seen) <= seenShare * Double(hidden + seen)
    }

    /// The bearing bins between a box's corners (as seen from outside it), as one or two ranges:
    /// two where the span crosses the +x axis, at which the bins wrap.
    private func binRanges(of corners: [SIMD2<Double>]) -> [ClosedRange<Int>] {
        let bins = corners.compactMap { Self.bin(Float($0.x), Float($0.y)) }
        guard bins.count == corners.count, let first = bins.min(), let last = bins.max() else { return [] }
        // A box not around the sensor spans less than half a turn.
        let half = Self.binCount / 2
        guard last - first > half else { return [first...last] }
        guard let wrapStart = bins.filter({ $0 > half }).min(), let wrapEnd = bins.filter({ $0 <= half }).max() else {
            return []
        }
        return [wrapStart...(Self.binCount - 1), 0...wrapEnd]
    }

    /// A box's footprint in its own axes, for ray crossings from the origin.
    private struct Slab {
        let center: SIMD2<Double>, axis: SIMD2<Double>, half: SIMD2<Double>

        init(_ box: Cuboid, grow: Double) {
            center = SIMD2(box.center.x, box.center.y)
            axis = SIMD2(cos(box.yaw), sin(box.yaw))
            half = SIMD2(box.size.length / 2 + grow, box.size.width / 2 + grow)
        }

        var corners: [SIMD2<Double>] {
            let across = SIMD2(-axis.y, axis.x)
            return [(-1.0, -1.0), (-1.0, 1.0), (1.0, -1.0), (1.0, 1.0)].map {
                center + axis * $0.0 * half.x + across * $0.1 * half.y
            }
        }

        func contains(_ point: SIMD2<Double>) -> Bool {
            let offset = point - center
            return abs((offset * axis).sum()) <= half.x && abs(offset.x * -axis.y + offset.y * axis.x) <= half.y
        }

        /// Where the ray from the origin along the unit `direction` enters and leaves the
        /// footprint (distances along it, metres), or nil when it misses.
        func crossing(_ direction: SIMD2<Double>) -> (Double, Double)? {
            // In the box's axes: origin at -center, direction rotated.
            let origin = SIMD2((-center * axis).sum(), -center.x * -axis.y + -center.y * axis.x)
            let heading = SIMD2((direction * axis).sum(), direction.x * -axis.y + direction.y * axis.x)
            var enter = 0.0
            var leave = Double.infinity
            for dimension in 0..<2 {
                if abs(heading[dimension]) < 1e-12 {
                    if abs(origin[dimension]) > half[dimension] { return nil }
                    continue
                }
                var near = (-half[dimension] - origin[dimension]) / heading[dimension]
                var far = (half[dimension] - origin[dimension]) / heading[dimension]
                if near > far { swap(&near, &far) }
                enter = max(enter, near)
                leave = min(leave, far)
            }
            return enter < leave ? (enter, leave) : nil
        }
    }
}
