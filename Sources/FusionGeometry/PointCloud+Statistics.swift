extension PointCloud {
    /// The number of points with a NaN or infinite coordinate.
    /// - Complexity: O(n).
    public var nonFiniteCount: Int {
        var total = 0
        for i in 0..<count where !(x[i].isFinite && y[i].isFinite && z[i].isFinite) { total += 1 }
        return total
    }

    /// The smallest axis-aligned box holding every finite point, or nil when there is none.
    public var bounds: (min: SIMD3<Float>, max: SIMD3<Float>)? {
        var lower = SIMD3<Float>(repeating: .infinity)
        var upper = SIMD3<Float>(repeating: -.infinity)
        var found = false
        for i in 0..<count {
            let point = self[i]
            guard point.x.isFinite && point.y.isFinite && point.z.isFinite else { continue }
            lower = pointwiseMin(lower, point)
            upper = pointwiseMax(upper, point)
            found = true
        }
        return found ? (lower, upper) : nil
    }

    /// The finite points only, with their attributes (unorganized).
    func finitePoints() -> PointCloud {
        subset((0..<count).filter { x[$0].isFinite && y[$0].isFinite && z[$0].isFinite })
    }
}
