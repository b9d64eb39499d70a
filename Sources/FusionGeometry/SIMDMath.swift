// Small vector helpers for SIMD3<Double>. Linux has no `simd` module.

extension SIMD3 where Scalar: FloatingPoint {
    /// The dot product.
    @inlinable
    public func dot(_ other: SIMD3) -> Scalar {
        (self * other).sum()
    }

    /// The cross product `self × other` (right-handed).
    @inlinable
    public func cross(_ other: SIMD3) -> SIMD3 {
        SIMD3(y * other.z - z * other.y, z * other.x - x * other.z, x * other.y - y * other.x)
    }

    /// The Euclidean length.
    @inlinable
    public var length: Scalar { dot(self).squareRoot() }

    /// Whether all three components are finite.
    @inlinable
    public var isFinite: Bool { x.isFinite && y.isFinite && z.isFinite }
}
