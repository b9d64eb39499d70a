import FusionGeometry

/// A ray from `origin` along the unit vector `direction` (metres, world frame).
struct Ray {
    var origin: SIMD3<Double>
    var direction: SIMD3<Double>
}

/// Where a ray first meets a surface: distance along the ray and the outward surface normal.
struct RayHit {
    var distance: Double
    var normal: SIMD3<Double>
}

enum RayCasting {
    /// The ray's first hit with the horizontal plane z = `height`, seen from above.
    static func hitGround(_ ray: Ray, height: Double = 0) -> RayHit? {
        guard ray.direction.z < -1e-12 else { return nil }
        let distance = (height - ray.origin.z) / ray.direction.z
        return distance > 0 ? RayHit(distance: distance, normal: SIMD3(0, 0, 1)) : nil
    }

    /// The ray's entry into `box` (slab method in the box frame); nil when it misses or starts inside.
    static func hit(_ ray: Ray, box: Cuboid) -> RayHit? {
        let boxFromParent = box.rotation.inverse
        let origin = boxFromParent.act(on: ray.origin - box.center)
        let direction = boxFromParent.act(on: ray.direction)
        let half = box.size.halfExtents
        var entry = -Double.infinity, exit = Double.infinity
        var entryAxis = 0
        for axis in 0..<3 {
            if abs(direction[axis]) < 1e-15 {
                if abs(origin[axis]) > half[axis] { return nil }
                continue
            }
            let t1 = (-half[axis] - origin[axis]) / direction[axis]
            let t2 = (half[axis] - origin[axis]) / direction[axis]
            let near = min(t1, t2), far = max(t1, t2)
            if near > entry { entry = near; entryAxis = axis }
            exit = min(exit, far)
        }
        guard entry <= exit, entry > 0 else { return nil }
        var localNormal = SIMD3<Double>.zero
        localNormal[entryAxis] = direction[entryAxis] > 0 ? -1 : 1
        return RayHit(distance: entry, normal: box.rotation.act(on: localNormal))
    }
}
