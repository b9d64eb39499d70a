extension PointCloud {
    /// Whether each point lies inside or on the surface of `box` (same frame as the cloud).
    /// Non-finite points are never inside.
    /// - Complexity: O(n), one vectorised pass.
    public func insideMask(of box: Cuboid) -> [Bool] {
        var mask = [Bool](repeating: false, count: count)
        mask.withUnsafeMutableBufferPointer { output in
            forEachInsideFlag(of: box) { index, isInside in output[index] = isInside }
        }
        return mask
    }

    /// The number of points inside or on the surface of `box`.
    /// - Complexity: O(n), one vectorised pass, no allocation.
    public func countPoints(inside box: Cuboid) -> Int {
        var total = 0
        forEachInsideFlag(of: box) { _, isInside in total &+= isInside ? 1 : 0 }
        return total
    }

    /// The indices of the points inside or on the surface of `box`, ascending.
    public func indicesOfPoints(inside box: Cuboid) -> [Int] {
        var indices: [Int] = []
        forEachInsideFlag(of: box) { index, isInside in
            if isInside { indices.append(index) }
        }
        return indices
    }

    /// The points inside or on the surface of `box`, with their attributes.
    public func points(inside box: Cuboid) -> PointCloud {
        subset(indicesOfPoints(inside: box))
    }

    /// Calls `body(index, isInside)` for every point, in order. The test works in the box frame
    /// in `Float`, relative to the box centre so that far boxes keep their precision.
    @inline(__always)
    private func forEachInsideFlag(of box: Cuboid, _ body: (Int, Bool) -> Void) {
        let boxFromParent = box.rotation.inverse.rotationMatrix
        let (r0, r1, r2) = (SIMD3<Float>(boxFromParent.row0), SIMD3<Float>(boxFromParent.row1), SIMD3<Float>(boxFromParent.row2))
        let center = SIMD3<Float>(box.center)
        let half = SIMD3<Float>(box.size.halfExtents)
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                z.withUnsafeBufferPointer { zs in
                    for i in 0..<xs.count {
                        let dx = xs[i] - center.x, dy = ys[i] - center.y, dz = zs[i] - center.z
                        let localX = r0.x * dx + r0.y * dy + r0.z * dz
                        let localY = r1.x * dx + r1.y * dy + r1.z * dz
                        let localZ = r2.x * dx + r2.y * dy + r2.z * dz
                        body(i, abs(localX) <= half.x && abs(localY) <= half.y && abs(localZ) <= half.z)
                    }
                }
            }
        }
    }
}
