import Foundation
import FusionGeometry
import FusionSupport

/// Whole-track box refinement for `SceneAnnotator`: annotation sees the whole sequence, so a
/// track's box is fitted to the returns of every frame it was seen in, not to one partial view.
///
/// Each frame's returns of the track's proposal are taken into the object's own frame (the
/// track's smoothed box in that frame: origin at its centre on its bottom, x along its heading),
/// so a static object's returns pile up in place and a moving one's follow its smoothed path.
/// Only returns within `margin` of the box count (a merged neighbour's do not). Each frame shows
/// where the object's sides are along the box's axes (its trimmed extremes); over the frames, the
/// sides are taken where most frames put them at most (`sideQuantile`): a side seen in a minority
/// of frames (from another angle) still counts, one frame whose cluster held a neighbour does not.
/// From them the track gets one size and one offset of its centre, applied in every frame:
/// - an extent the frames span beyond the box grows to them, and the box moves to cover them;
/// - an extent the box holds beyond them (completed from the class's priors) stays, moved only
///   as far as covering them needs;
/// - the height reaches the highest return; the bottom stays on the ground.
/// The heading stays the smoothed track's. Tracks seen in fewer than `minimumFrames` frames stay.
struct TrackRefinement {
    /// Least frames with returns for a refit.
    var minimumFrames = 3
    /// Metres around the box within which returns count.
    var margin = 0.3
    /// Share of a frame's returns left out at each end of an extent (stray returns).
    var trimmedShare = 0.05
    /// Over the frames, a side is where this share of the frames put it at most.
    var sideQuantile = 0.75

    /// One frame's sides along the box's axes, relative to its centre (metres), and its top above its bottom.
    private struct Sides {
        var back: Double, front: Double, right: Double, left: Double, top: Double
    }

    /// The objects with their tracks' boxes refitted; `returns[frame][object]` are the returns
    /// (LiDAR frame) of the proposal the object took, nil when it took none.
    func refined(_ objects: [[AnnotatedScene.Object]], returns: [[[SIMD3<Float>]?]]) -> [[AnnotatedScene.Object]] {
        var seen: [Int: (size: Size3, sides: [Sides])] = [:]
        for frame in objects.indices {
            for (index, object) in objects[frame].enumerated() {
                guard let track = object.trackID, let points = returns[frame][index],
                    let sides = sides(of: points, in: object.cuboid)
                else { continue }
                seen[track, default: (object.cuboid.size, [])].sides.append(sides)
            }
        }
        var refits: [Int: (size: Size3, offset: SIMD2<Double>)] = [:]
        for (track, entry) in seen where entry.sides.count >= minimumFrames {
            let back = quantile(entry.sides.map(\.back), 1 - sideQuantile)
            let front = quantile(entry.sides.map(\.front), sideQuantile)
            let right = quantile(entry.sides.map(\.right), 1 - sideQuantile)
            let left = quantile(entry.sides.map(\.left), sideQuantile)
            let (length, alongLength) = refit(lower: back, upper: front, extent: entry.size.length)
            let (width, alongWidth) = refit(lower: right, upper: left, extent: entry.size.width)
            let top = quantile(entry.sides.map(\.top), sideQuantile)
            refits[track] = (
                Size3(length: length, width: width, height: max(entry.size.height, top)), SIMD2(alongLength, alongWidth)
            )
        }
        return objects.map { frameObjects in
            frameObjects.map { object in
                guard let track = object.trackID, let refit = refits[track] else { return object }
                var refined = object
                let box = object.cuboid
                let shift = SIMD2(
                    cos(box.yaw) * refit.offset.x - sin(box.yaw) * refit.offset.y,
                    sin(box.yaw) * refit.offset.x + cos(box.yaw) * refit.offset.y)
                let bottom = box.center.z - box.size.height / 2
                refined.cuboid = Cuboid(
                    center: SIMD3(box.center.x + shift.x, box.center.y + shift.y, bottom + refit.size.height / 2),
                    size: refit.size, rotation: box.rotation)
                return refined
            }
        }
    }

    /// One frame's sides of the returns within `margin` of `box`, or nil for fewer than 3 of them.
    private func sides(of points: [SIMD3<Float>], in box: Cuboid) -> Sides? {
        let cosine = cos(box.yaw)
        let sine = sin(box.yaw)
        let bottom = box.center.z - box.size.height / 2
        var along: [Double] = []
        var across: [Double] = []
        var up: [Double] = []
        for point in points {
            let dx = Double(point.x) - box.center.x
            let dy = Double(point.y) - box.center.y
            let x = cosine * dx + sine * dy
            let y = -sine * dx + cosine * dy
            guard abs(x) <= box.size.length / 2 + margin, abs(y) <= box.size.width / 2 + margin else { continue }
            along.append(x)
            across.append(y)
            up.append(Double(point.z) - bottom)
        }
        guard along.count >= 3 else { return nil }
        let x = trimmedRange(along)
        let y = trimmedRange(across)
        return Sides(back: x.lower, front: x.upper, right: y.lower, left: y.upper, top: trimmedRange(up).upper)
    }

    /// An extent and the offset of its middle from the box's centre, from where the sides are.
    private func refit(lower: Double, upper: Double, extent: Double) -> (extent: Double, offset: Double) {
        let spanned = upper - lower
        if spanned >= extent { return (spanned, (lower + upper) / 2) }
        // The box holds more than the returns show: keep it, moved only as far as covering them needs.
        return (extent, min(max(0, upper - extent / 2), lower + extent / 2))
    }

    /// The values at ranks `cut` and `count - 1 - cut` of the ascending order, found by selection
    /// (linear time; sorting every side of every box of a track took a twentieth of `annotate`).
    private func trimmedRange(_ values: [Double]) -> (lower: Double, upper: Double) {
        var values = values
        let lowerRank = Int(trimmedShare * Double(values.count))
        let upperRank = max(lowerRank, values.count - 1 - lowerRank)
        let lower = selectRank(lowerRank, in: &values[...])
        guard upperRank > lowerRank else { return (lower, lower) }
        // Selection left the larger values after rank `lowerRank`.
        return (lower, selectRank(upperRank - lowerRank - 1, in: &values[(lowerRank + 1)...]))
    }

    /// The `q` quantile of `values`: the value closest to position q·(n − 1).
    private func quantile(_ values: [Double], _ q: Double) -> Double {
        OrderStatistics.quantile(values.sorted(), q, .roundedPosition)
    }
}

/// The value of rank `rank` (0 = smallest) of `values` (finite, not NaN), which it reorders so that
/// everything before that index is no larger and everything after no smaller (Hoare's selection,
/// median-of-three pivots). The same value as `values.sorted()[rank]`, in linear expected time.
func selectRank(_ rank: Int, in values: inout ArraySlice<Double>) -> Double {
    var low = values.startIndex
    var high = values.endIndex - 1
    let target = values.startIndex + rank
    while low < high {
        let middle = low + (high - low) / 2
        // Median of three as the pivot.
        if values[middle] < values[low] { values.swapAt(middle, low) }
        if values[high] < values[low] { values.swapAt(high, low) }
        if values[high] < values[middle] { values.swapAt(high, middle) }
        let pivot = values[middle]
        var i = low
        var j = high
        while i <= j {
            while values[i] < pivot { i += 1 }
            while pivot < values[j] { j -= 1 }
            if i <= j {
                values.swapAt(i, j)
                i += 1
                j -= 1
            }
        }
        if target <= j {
            high = j
        } else if target >= i {
            low = i
        } else {
            return values[target]
        }
    }
    return values[target]
}
