extension PointCloud {
    /// Moves every point by `transform` (`targetFromSource`, where the cloud is in the source frame).
    /// Attributes and layout are kept; non-finite points stay non-finite.
    ///
    /// The rotation and translation are rounded to `Float` once, then one pass over the three
    /// coordinate columns runs in place (vectorised, no allocation).
    /// - Complexity: O(n).
    public mutating func transform(by transform: RigidTransform) {
        let matrix = transform.matrix
        let (r0, r1, r2) = (SIMD4<Float>(matrix.row0), SIMD4<Float>(matrix.row1), SIMD4<Float>(matrix.row2))
        let n = count
        x.withUnsafeMutableBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
                z.withUnsafeMutableBufferPointer { zs in
                    for i in 0..<n {
                        let (px, py, pz) = (xs[i], ys[i], zs[i])
                        xs[i] = r0.x * px + r0.y * py + r0.z * pz + r0.w
                        ys[i] = r1.x * px + r1.y * py + r1.z * pz + r1.w
                        zs[i] = r2.x * px + r2.y * py + r2.z * pz + r2.w
                    }
                }
            }
        }
    }

    /// The cloud moved by `transform` (`targetFromSource`). See `transform(by:)`.
    public func transformed(by transform: RigidTransform) -> PointCloud {
        var result = self
        result.transform(by: transform)
        return result
    }
}
