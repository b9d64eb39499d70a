import Foundation

/// A convex polyhedron as a list of faces, used for the exact overlap of boxes with any rotation.
///
/// Each face is a convex polygon whose vertices run counter-clockwise seen from outside, so its
/// right-hand normal points out of the solid.
struct ConvexPolyhedron {
    var faces: [[SIMD3<Double>]]

    /// The solid of `box`, with outward-oriented faces.
    init(_ box: Cuboid) {
        let corners = box.corners
        let faceCorners = [[0, 1, 2, 3], [4, 5, 6, 7], [0, 1, 5, 4], [1, 2, 6, 5], [2, 3, 7, 6], [3, 0, 4, 7]]
        faces = faceCorners.map { indices in
            let face = indices.map { corners[$0] }
            let faceCenter = face.reduce(.zero, +) / 4
            let normal = (face[1] - face[0]).cross(face[2] - face[1])
            return normal.dot(faceCenter - box.center) >= 0 ? face : face.reversed()
        }
    }

    /// The part of the solid where `normal · p <= offset`. `normal` must be a unit vector.
    func clipped(normal: SIMD3<Double>, offset: Double, tolerance: Double) -> ConvexPolyhedron {
        let distances = faces.joined().map { normal.dot($0) - offset }
        // Nothing strictly outside: unchanged (this also keeps a face lying in the plane single).
        guard distances.contains(where: { $0 > tolerance }) else { return self }
        // Nothing strictly inside: at most a face or an edge is left, no volume.
        guard distances.contains(where: { $0 < -tolerance }) else { return ConvexPolyhedron(faces: []) }
        var result: [[SIMD3<Double>]] = []
        var capVertices: [SIMD3<Double>] = []
        for face in faces {
            var kept: [SIMD3<Double>] = []
            for i in face.indices {
                let p = face[i]
                let q = face[(i + 1) % face.count]
                let dp = normal.dot(p) - offset
                let dq = normal.dot(q) - offset
                if dp <= tolerance {
                    kept.append(p)
                    if dp >= -tolerance { capVertices.append(p) }
                }
                if (dp > tolerance && dq < -tolerance) || (dp < -tolerance && dq > tolerance) {
                    let crossing = p + (q - p) * (dp / (dp - dq))
                    kept.append(crossing)
                    capVertices.append(crossing)
                }
            }
            if kept.count >= 3 { result.append(kept) }
        }
        let cap = Self.orderedCap(Self.merged(capVertices, tolerance: tolerance), normal: normal)
        if cap.count >= 3 { result.append(cap) }
        return ConvexPolyhedron(faces: result)
    }

    /// The enclosed volume (divergence theorem over a fan of each face).
    var volume: Double {
        guard let reference = faces.first?.first else { return 0 }
        var sixTimesVolume = 0.0
        for face in faces where face.count >= 3 {
            let origin = face[0] - reference
            for i in 1..<(face.count - 1) {
                sixTimesVolume += origin.dot((face[i] - reference).cross(face[i + 1] - reference))
            }
        }
        return max(0, sixTimesVolume / 6)
    }

    private init(faces: [[SIMD3<Double>]]) {
        self.faces = faces
    }

    /// `vertices` with near-duplicates (closer than `tolerance` in every coordinate) removed: a vertex
    /// on the cutting plane is reported by each face that meets it.
    private static func merged(_ vertices: [SIMD3<Double>], tolerance: Double) -> [SIMD3<Double>] {
        var unique: [SIMD3<Double>] = []
        for vertex in vertices
        where !unique.contains(where: { (($0 - vertex) * ($0 - vertex)).max() <= tolerance * tolerance }) {
            unique.append(vertex)
        }
        return unique
    }

    /// The vertices of a planar convex cap, counter-clockwise around `normal`.
    private static func orderedCap(_ vertices: [SIMD3<Double>], normal: SIMD3<Double>) -> [SIMD3<Double>] {
        guard vertices.count >= 3 else { return [] }
        let centroid = vertices.reduce(.zero, +) / Double(vertices.count)
        let helper: SIMD3<Double> = abs(normal.x) < 0.9 ? SIMD3(1, 0, 0) : SIMD3(0, 1, 0)
        let u = normal.cross(helper) / normal.cross(helper).length
        let v = normal.cross(u)
        return
            vertices
            .map { vertex -> (angle: Double, vertex: SIMD3<Double>) in
                let offset = vertex - centroid
                return (atan2(offset.dot(v), offset.dot(u)), vertex)
            }
            .sorted { $0.angle < $1.angle }
            .map(\.vertex)
    }
}
