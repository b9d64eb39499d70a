extension PointCloud {
    /// Whether each point lies inside or on the surface of `box` (same frame as the cloud).
    /// Non-finite points are never inside.
    /// - Complexity: O(n), one vectorised pass.
    func insideMask(of box: Cuboid) -> [Bool] {
        let flags = insideFlags(of: box)
        return flags.map { $0 != 0 }
    }

    /// The number of points inside or on the surface of `box`.
    /// - Complexity: O(n), one vectorised pass; no allocation.
    public func countPoints(inside box: Cuboid) -> Int {
        let test = BoxTest(box)
        var total = 0
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                z.withUnsafeBufferPointer { zs in
                    for index in 0..<xs.count {
                        total &+= test.flag(xs[index], ys[index], zs[index])
                    }
                }
            }
        }
        return total
    }

    /// The indices of the points inside or on the surface of `box`, ascending.
    public func indicesOfPoints(inside box: Cuboid) -> [Int] {
        let flags = insideFlags(of: box)
        var indices: [Int] = []
        indices.reserveCapacity(flags.reduce(0) { $0 + Int($1) })
        for (index, flag) in flags.enumerated() where flag != 0 { indices.append(index) }
        return indices
    }

    /// The points inside or on the surface of `box`, with their attributes.
    public func points(inside box: Cuboid) -> PointCloud {
        subset(indicesOfPoints(inside: box))
    }

    /// 1 for each point inside, 0 outside.
    private func insideFlags(of box: Cuboid) -> [UInt8] {
        let test = BoxTest(box)
        return [UInt8](unsafeUninitializedCapacity: count) { flags, initialized in
            x.withUnsafeBufferPointer { xs in
                y.withUnsafeBufferPointer { ys in
                    z.withUnsafeBufferPointer { zs in
                        for index in 0..<xs.count { flags[index] = UInt8(test.flag(xs[index], ys[index], zs[index])) }
                    }
                }
            }
            initialized = count
        }
    }
}

/// The inside test of one box, set up once: points are moved into the box frame in double
/// precision (the same answer as an exact test for points within a rounding of a face), relative to
/// the box centre so that far boxes keep their precision.
struct BoxTest {
    let r0, r1, r2: SIMD3<Double>
    let center: SIMD3<Double>
    let half: SIMD3<Double>

    init(_ box: Cuboid) {
        let boxFromParent = box.rotation.inverse.rotationMatrix
        (r0, r1, r2) = (boxFromParent.row0, boxFromParent.row1, boxFromParent.row2)
        center = box.center
        half = box.size.halfExtents
    }

    /// 1 when the point is inside or on the surface, else 0 (also for NaN), without branches.
    @inline(__always)
    func flag(_ x: Float, _ y: Float, _ z: Float) -> Int {
        let dx = Double(x) - center.x
        let dy = Double(y) - center.y
        let dz = Double(z) - center.z
        let localX = r0.x * dx + r0.y * dy + r0.z * dz
        let localY = r1.x * dx + r1.y * dy + r1.z * dz
        let localZ = r2.x * dx + r2.y * dy + r2.z * dz
        let inside = (abs(localX) <= half.x ? 1 : 0) & (abs(localY) <= half.y ? 1 : 0) & (abs(localZ) <= half.z ? 1 : 0)
        return inside
    }
}
