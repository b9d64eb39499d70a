import FusionGeometry

/// A ray from `origin` along the unit vector `direction` (metres).
struct Ray {
    var origin: SIMD3<Double>
    var direction: SIMD3<Double>
}

/// Where a ray first meets a surface: distance along the ray and the outward unit normal, in the
/// frame the ray was given in.
struct RayHit {
    var distance: Double
    var normal: SIMD3<Double>
}

/// A primitive surface in the frame of the body that owns it (x forward, y left, z up, metres).
/// Kept to shapes whose intersection is closed-form and cheap in that frame.
enum SimulatedShape: Sendable, Equatable {
    /// An axis-aligned box between two corners.
    case box(minimum: SIMD3<Double>, maximum: SIMD3<Double>)
    /// A vertical cylinder: axis through `(x, y)` of `base`, from `base.z` up `height` metres.
    case cylinder(base: SIMD3<Double>, radius: Double, height: Double)
    /// An axis-aligned ellipsoid.
    case ellipsoid(center: SIMD3<Double>, radii: SIMD3<Double>)

    /// The smallest axis-aligned box around the shape.
    var bounds: (minimum: SIMD3<Double>, maximum: SIMD3<Double>) {
        switch self {
        case .box(let minimum, let maximum): (minimum, maximum)
        case .cylinder(let base, let radius, let height):
            (base - SIMD3(radius, radius, 0), base + SIMD3(radius, radius, height))
        case .ellipsoid(let center, let radii): (center - radii, center + radii)
        }
    }

    /// The first entry of the ray into the shape, nearer than `limit`; nil when it misses, or
    /// starts inside.
    func hit(_ ray: Ray, limit: Double) -> RayHit? {
        switch self {
        case .box(let minimum, let maximum): Self.hitBox(ray, minimum: minimum, maximum: maximum, limit: limit)
        case .cylinder(let base, let radius, let height):
            Self.hitCylinder(ray, base: base, radius: radius, height: height, limit: limit)
        case .ellipsoid(let center, let radii): Self.hitEllipsoid(ray, center: center, radii: radii, limit: limit)
        }
    }

    /// Slab method, one axis after another so that a miss leaves early.
    private static func hitBox(_ ray: Ray, minimum: SIMD3<Double>, maximum: SIMD3<Double>, limit: Double) -> RayHit? {
        var entry = -Double.infinity
        var exit = limit
        var entryAxis = 0
        @inline(__always) func clip(_ axis: Int, _ origin: Double, _ direction: Double, _ low: Double, _ high: Double)
            -> Bool
        {
            if abs(direction) < 1e-15 { return origin >= low && origin <= high }
            let inverse = 1 / direction
            let t1 = (low - origin) * inverse
            let t2 = (high - origin) * inverse
            let near = min(t1, t2)
            let far = max(t1, t2)
            if near > entry {
                entry = near
                entryAxis = axis
            }
            if far < exit { exit = far }
            return entry <= exit
        }
        guard clip(0, ray.origin.x, ray.direction.x, minimum.x, maximum.x),
            clip(1, ray.origin.y, ray.direction.y, minimum.y, maximum.y),
            clip(2, ray.origin.z, ray.direction.z, minimum.z, maximum.z), entry > 0
        else { return nil }
        var normal = SIMD3<Double>.zero
        normal[entryAxis] = ray.direction[entryAxis] > 0 ? -1 : 1
        return RayHit(distance: entry, normal: normal)
    }

    private static func hitCylinder(_ ray: Ray, base: SIMD3<Double>, radius: Double, height: Double, limit: Double)
        -> RayHit?
    {
        let ox = ray.origin.x - base.x
        let oy = ray.origin.y - base.y
        let dx = ray.direction.x
        let dy = ray.direction.y
        let top = base.z + height
        var best: RayHit?
        // The side: |o + t d|² = r² in the horizontal plane.
        let a = dx * dx + dy * dy
        if a > 1e-15 {
            let b = ox * dx + oy * dy
            let c = ox * ox + oy * oy - radius * radius
            let discriminant = b * b - a * c
            if discriminant >= 0 {
                let t = (-b - discriminant.squareRoot()) / a
                let z = ray.origin.z + t * ray.direction.z
                if t > 0, t < limit, z >= base.z, z <= top {
                    best = RayHit(distance: t, normal: SIMD3((ox + t * dx) / radius, (oy + t * dy) / radius, 0))
                }
            }
        }
        // The caps.
        if abs(ray.direction.z) > 1e-15 {
            let capZ = ray.direction.z < 0 ? top : base.z
            let t = (capZ - ray.origin.z) / ray.direction.z
            let x = ox + t * dx
            let y = oy + t * dy
            if t > 0, t < (best?.distance ?? limit), x * x + y * y <= radius * radius {
                best = RayHit(distance: t, normal: SIMD3(0, 0, ray.direction.z < 0 ? 1 : -1))
            }
        }
        return best
    }

    private static func hitEllipsoid(_ ray: Ray, center: SIMD3<Double>, radii: SIMD3<Double>, limit: Double) -> RayHit?
    {
        // In the frame scaled to the unit sphere, t keeps its meaning along the (scaled) ray.
        let origin = (ray.origin - center) / radii
        let direction = ray.direction / radii
        let a = direction.dot(direction)
        let b = origin.dot(direction)
        let c = origin.dot(origin) - 1
        let discriminant = b * b - a * c
        guard discriminant >= 0 else { return nil }
        let t = (-b - discriminant.squareRoot()) / a
        guard t > 0, t < limit else { return nil }
        let normal = (origin + t * direction) / radii
        return RayHit(distance: t, normal: normal / normal.length)
    }
}
