import FusionGeometry

/// An annotation tool's "next frame" for one box: predict where the object went, then pull the
/// box onto the next sweep's points.
///
/// Prediction moves the box by its world-frame velocity over the elapsed time and carries it
/// through the ego motion into the next sensor frame. The refit keeps size and heading and slides
/// the box along its own length and width: the points above its bottom (ground excluded) within
/// `searchMargin` of it are gathered in the box frame; on each axis the run of points without a
/// gap wider than 0.4 m that overlaps the box most is taken as the object (a neighbour beyond a gap
/// is not), and the box is centred on that run when it spans the box, or else aligned with its
/// side facing the sensor (the side a LiDAR sees; the far side is often hidden). The slide is at
/// most `searchMargin`, and it is made only when the slid box holds more points than the
/// predicted one (an occluded end makes a run look short without the box being wrong). With fewer than `minimumPoints` points the prediction is kept. The full
/// one-click fit (re-estimating size and heading) belongs to pre-labelling.
struct BoxPropagation: Sendable {
    /// Metres.
    var searchMargin = 1.0
    public var minimumPoints = 5
    /// Points closer than this to the box bottom are taken as ground, metres.
    var groundClearance = 0.2

    /// A gap between points wider than this separates two objects, metres.
    static let separation = 0.4

    public init() {}

    public struct Result: Sendable, Equatable {
        /// In the next frame's sensor frame.
        public var box: Cuboid
        /// Points the refit used; 0 when it kept the prediction.
        var supportingPoints: Int
    }

    /// - Parameters:
    ///   - box: the box in the current frame's sensor frame.
    ///   - velocity: the object's velocity, world frame, metres per second.
    ///   - elapsed: seconds from the current frame to the next.
    ///   - nextSweep: the next frame's points, in its sensor frame.
    func propagate(
        _ box: Cuboid, velocity: SIMD3<Double>, elapsed: Double, worldFromCurrent: RigidTransform,
        worldFromNext: RigidTransform, nextSweep: PointCloud
    ) -> Result {
        var predicted = box.transformed(by: worldFromCurrent)
        predicted.center += velocity * elapsed
        predicted = predicted.transformed(by: worldFromNext.inverse)
        // Gather points near the box, in the box frame.
        let boxFromSensor = predicted.parentFromBox.inverse
        let half = predicted.size.halfExtents
        var near: [SIMD2<Double>] = []
        for index in 0..<nextSweep.count {
            let local = boxFromSensor.apply(to: SIMD3<Double>(nextSweep[index]))
            guard abs(local.x) <= half.x + searchMargin, abs(local.y) <= half.y + searchMargin,
                local.z >= -half.z + groundClearance, local.z <= half.z
            else { continue }
            near.append(SIMD2(local.x, local.y))
        }
        guard near.count >= minimumPoints else { return Result(box: predicted, supportingPoints: 0) }
        let sensor = boxFromSensor.apply(to: .zero)
        var shift = SIMD2<Double>.zero
        var supporting = near.count
        for axis in 0..<2 {
            // The run of points (no gap wider than `separation`) that overlaps the box most: a
            // neighbouring object beyond a gap is not this one.
            let values = near.map { $0[axis] }.sorted()
            var best = (start: values[0], end: values[0], overlap: -Double.infinity, count: 0)
            var start = 0
            for index in 1...values.count {
                guard index == values.count || values[index] - values[index - 1] > Self.separation else { continue }
                let low = values[start]
                let high = values[index - 1]
                let overlap = min(high, half[axis]) - max(low, -half[axis])
                if overlap > best.overlap { best = (low, high, overlap, index - start) }
                start = index
            }
            supporting = min(supporting, best.count)
            let size = 2 * half[axis]
            if best.end - best.start >= size - Self.separation {
                shift[axis] = (best.start + best.end) / 2
            } else if sensor[axis] < 0 {
                shift[axis] = best.start + half[axis]
            } else {
                shift[axis] = best.end - half[axis]
            }
            shift[axis] = min(searchMargin, max(-searchMargin, shift[axis]))
        }
        // Slide only when the slid box holds more of the points: an occluded end makes a run look
        // short without the box being wrong.
        func inside(_ offset: SIMD2<Double>) -> Int {
            near.filter { abs($0.x - offset.x) <= half.x && abs($0.y - offset.y) <= half.y }.count
        }
        guard inside(shift) > inside(.zero) else { return Result(box: predicted, supportingPoints: supporting) }
        var fitted = predicted
        fitted.center = predicted.parentFromBox.apply(to: SIMD3(shift.x, shift.y, 0))
        return Result(box: fitted, supportingPoints: supporting)
    }
}
