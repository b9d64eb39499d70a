import Foundation
import FusionGeometry

/// One surface of a body: a shape in the body's frame and what it is made of.
public struct BodyPart: Sendable, Equatable {
    var shape: SimulatedShape
    var material: SurfaceMaterial
}

/// A body's pose on the ground: position of its frame's origin (world frame, metres) and yaw about
/// world z (radians). Bodies in FusionSim stay upright.
struct PlanarPose: Sendable {
    var position: SIMD3<Double>
    var yaw: Double
    private var cosine: Double
    private var sine: Double

    init(position: SIMD3<Double>, yaw: Double) {
        self.position = position
        self.yaw = yaw
        cosine = cos(yaw)
        sine = sin(yaw)
    }

    /// World → body for a ray.
    func bodyRay(_ ray: Ray) -> Ray {
        let offset = ray.origin - position
        return Ray(
            origin: SIMD3(cosine * offset.x + sine * offset.y, -sine * offset.x + cosine * offset.y, offset.z),
            direction: SIMD3(
                cosine * ray.direction.x + sine * ray.direction.y,
                -sine * ray.direction.x + cosine * ray.direction.y, ray.direction.z))
    }

    /// Body → world for a direction.
    func worldDirection(_ vector: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(cosine * vector.x - sine * vector.y, sine * vector.x + cosine * vector.y, vector.z)
    }

    /// Body → world for a point.
    func worldPoint(_ point: SIMD3<Double>) -> SIMD3<Double> { position + worldDirection(point) }
}

/// A rigid collection of parts (a building, a tree, a car) and the sphere around them in the
/// body's frame, used to skip it cheaply.
public struct SimulatedBody: Sendable, Equatable {
    public var parts: [BodyPart]
    /// Bounding sphere and box in the body frame.
    var sphereCenter: SIMD3<Double>
    var sphereRadius: Double
    var bounds: SimulatedShape

    init(parts: [BodyPart]) {
        precondition(!parts.isEmpty, "a body needs at least one part")
        self.parts = parts
        var minimum = SIMD3<Double>(repeating: .infinity)
        var maximum = -minimum
        for part in parts {
            let bounds = part.shape.bounds
            minimum = pointwiseMin(minimum, bounds.minimum)
            maximum = pointwiseMax(maximum, bounds.maximum)
        }
        sphereCenter = (minimum + maximum) / 2
        sphereRadius = ((maximum - minimum) / 2).length
        bounds = .box(minimum: minimum, maximum: maximum)
    }

}

/// Bodies flattened for ray casting: bounding spheres and parts in contiguous arrays, read in
/// place (no copies or reference counting per ray).
struct BodyTable: Sendable {
    struct Entry {
        var sphereCenter: SIMD3<Double>
        var sphereRadius: Double
        var parts: Range<Int>
    }

    private var entries: [Entry] = []
    private var shapes: [SimulatedShape] = []
    private var materials: [SurfaceMaterial] = []

    init(_ bodies: [SimulatedBody]) {
        for body in bodies {
            entries.append(
                Entry(
                    sphereCenter: body.sphereCenter, sphereRadius: body.sphereRadius,
                    parts: shapes.count..<(shapes.count + body.parts.count)))
            shapes += body.parts.map(\.shape)
            materials += body.parts.map(\.material)
        }
    }

    /// The nearest part of body `index` that `ray` (in the body's frame) enters before `limit`.
    func hit(_ index: Int, _ ray: Ray, limit: Double) -> (hit: RayHit, material: SurfaceMaterial)? {
        entries.withUnsafeBufferPointer { entries in
            let entry = entries[index]
            let offset = entry.sphereCenter - ray.origin
            let along = offset.dot(ray.direction)
            let missDistanceSquared = offset.dot(offset) - along * along
            guard missDistanceSquared <= entry.sphereRadius * entry.sphereRadius, along + entry.sphereRadius > 0,
                along - entry.sphereRadius < limit
            else { return nil }
            var best: (hit: RayHit, part: Int)?
            var nearest = limit
            shapes.withUnsafeBufferPointer { shapes in
                for part in entry.parts {
                    if let hit = shapes[part].hit(ray, limit: nearest) {
                        best = (hit, part)
                        nearest = hit.distance
                    }
                }
            }
            return best.map { ($0.hit, materials[$0.part]) }
        }
    }
}
