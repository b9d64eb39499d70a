/// The volume of the convex hull of a few points (box corners), by an incremental hull.
///
/// Faces are triangles with outward right-hand normals. A point on or behind every face (within a
/// tolerance scaled to the points' spread) changes nothing; a point beyond some faces replaces
/// them with a fan from their horizon. Meant for tens of points, not clouds: O(n²).
enum ConvexHullVolume {
    static func of(_ points: [SIMD3<Double>]) -> Double {
        guard let start = initialTetrahedron(points) else { return 0 }
        let interior = start.map { points[$0] }.reduce(.zero, +) / 4
        let spread = points.map { ($0 - interior).length }.max() ?? 0
        let tolerance = 1e-10 * max(spread, 1e-300)

        var faces: [SIMD3<Int>] = [
            SIMD3(start[0], start[1], start[2]), SIMD3(start[0], start[1], start[3]),
            SIMD3(start[0], start[2], start[3]), SIMD3(start[1], start[2], start[3])
        ].map { face in
            signedDistance(of: interior, from: face, in: points) < 0 ? face : SIMD3(face.x, face.z, face.y)
        }
        for index in points.indices where !start.contains(index) {
            let visible = faces.filter { signedDistance(of: points[index], from: $0, in: points) > tolerance }
            guard !visible.isEmpty else { continue }
            let visibleEdges = Set(visible.flatMap(directedEdges))
            let horizon = visibleEdges.filter { !visibleEdges.contains(Edge(from: $0.to, to: $0.from)) }
            faces.removeAll { visible.contains($0) }
            faces += horizon.map { SIMD3($0.from, $0.to, index) }
        }
        let sixTimesVolume = faces.reduce(0.0) { total, face in
            let a = points[face.x] - interior
            let b = points[face.y] - interior
            let c = points[face.z] - interior
            return total + a.dot(b.cross(c))
        }
        return sixTimesVolume / 6
    }

    private struct Edge: Hashable {
        var from: Int
        var to: Int
    }

    private static func directedEdges(_ face: SIMD3<Int>) -> [Edge] {
        [Edge(from: face.x, to: face.y), Edge(from: face.y, to: face.z), Edge(from: face.z, to: face.x)]
    }

    /// Positive in front of the face (the side its right-hand normal points to), in metres.
    private static func signedDistance(of point: SIMD3<Double>, from face: SIMD3<Int>, in points: [SIMD3<Double>])
        -> Double
    {
        let a = points[face.x]
        let normal = (points[face.y] - a).cross(points[face.z] - a)
        return normal.dot(point - a) / normal.length
    }

    /// Four indices spanning a tetrahedron of non-zero volume, or nil when the points are flat.
    private static func initialTetrahedron(_ points: [SIMD3<Double>]) -> [Int]? {
        guard let first = points.indices.min(by: { points[$0].x < points[$1].x }) else { return nil }
        let second = points.indices.max { (points[$0] - points[first]).length < (points[$1] - points[first]).length }!
        let axis = points[second] - points[first]
        guard axis.length > 0 else { return nil }
        func distanceFromLine(_ i: Int) -> Double { axis.cross(points[i] - points[first]).length }
        let third = points.indices.max { distanceFromLine($0) < distanceFromLine($1) }!
        let normal = axis.cross(points[third] - points[first])
        guard normal.length > 1e-12 * axis.length * axis.length else { return nil }
        func distanceFromPlane(_ i: Int) -> Double { abs(normal.dot(points[i] - points[first])) }
        let fourth = points.indices.max { distanceFromPlane($0) < distanceFromPlane($1) }!
        guard distanceFromPlane(fourth) > 1e-12 * normal.length * axis.length else { return nil }
        return [first, second, third, fourth]
    }
}
