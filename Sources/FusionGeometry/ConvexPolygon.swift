/// Convex polygons in the plane: the exact footprint overlaps behind bird's-eye-view IoU.
///
/// Polygons are vertex lists, counter-clockwise (positive orientation), without a repeated
/// closing vertex.
enum ConvexPolygon {
    /// The area of a simple polygon (shoelace formula): positive for counter-clockwise vertices.
    static func signedArea(_ polygon: [SIMD2<Double>]) -> Double {
        guard polygon.count >= 3 else { return 0 }
        var twiceArea = 0.0
        for i in polygon.indices {
            let p = polygon[i]
            let q = polygon[(i + 1) % polygon.count]
            twiceArea += p.x * q.y - q.x * p.y
        }
        return twiceArea / 2
    }

    /// The intersection of two convex counter-clockwise polygons, by Sutherland–Hodgman clipping
    /// of `subject` against each edge of `clip`. Empty when they do not overlap.
    /// - Complexity: O(n·m).
    public static func intersection(_ subject: [SIMD2<Double>], _ clip: [SIMD2<Double>]) -> [SIMD2<Double>] {
        var output = subject
        for edgeStart in clip.indices where !output.isEmpty {
            let a = clip[edgeStart]
            let b = clip[(edgeStart + 1) % clip.count]
            let input = output
            output.removeAll(keepingCapacity: true)
            // > 0 left of a→b (inside), < 0 right (outside).
            func side(_ p: SIMD2<Double>) -> Double { cross(b - a, p - a) }
            for i in input.indices {
                let p = input[i]
                let q = input[(i + 1) % input.count]
                let sp = side(p)
                let sq = side(q)
                if sp >= 0 { output.append(p) }
                if (sp > 0 && sq < 0) || (sp < 0 && sq > 0) {
                    output.append(p + (q - p) * (sp / (sp - sq)))
                }
            }
        }
        return output.count >= 3 ? output : []
    }

    /// The convex hull of `points`, counter-clockwise, by Andrew's monotone chain. Collinear points
    /// on the hull's edges are dropped.
    /// - Complexity: O(n log n).
    public static func convexHull(_ points: [SIMD2<Double>]) -> [SIMD2<Double>] {
        let sorted = points.sorted { ($0.x, $0.y) < ($1.x, $1.y) }
        guard sorted.count >= 3 else { return sorted }
        func halfHull(_ ordered: some Sequence<SIMD2<Double>>) -> [SIMD2<Double>] {
            var hull: [SIMD2<Double>] = []
            for p in ordered {
                while hull.count >= 2
                    && cross(hull[hull.count - 1] - hull[hull.count - 2], p - hull[hull.count - 2]) <= 0
                {
                    hull.removeLast()
                }
                hull.append(p)
            }
            return hull
        }
        let lower = halfHull(sorted)
        let upper = halfHull(sorted.reversed())
        return Array(lower.dropLast() + upper.dropLast())
    }

    /// The z component of the cross product of two plane vectors.
    @inlinable
    static func cross(_ u: SIMD2<Double>, _ v: SIMD2<Double>) -> Double { u.x * v.y - u.y * v.x }
}
