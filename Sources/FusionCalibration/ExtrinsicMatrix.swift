import FusionGeometry

/// A 4×4 homogeneous matrix exactly as a calibration file holds it (row-major), before anyone decides
/// what it means. Calibration checks score the readings of it that the classic mistakes would give.
public struct ExtrinsicMatrix: Hashable, Sendable {
    /// The rows, top to bottom.
    public var rows: [SIMD4<Double>]

    /// 16 numbers, row-major.
    public init(rowMajor values: [Double]) {
        precondition(values.count == 16, "a 4×4 matrix has 16 entries")
        rows = (0..<4).map { SIMD4(values[4 * $0], values[4 * $0 + 1], values[4 * $0 + 2], values[4 * $0 + 3]) }
    }

    /// The matrix of a rigid transform (bottom row 0 0 0 1).
    public init(_ transform: RigidTransform) {
        let m = transform.matrix
        rows = [m.row0, m.row1, m.row2, SIMD4(0, 0, 0, 1)]
    }

    public var rowMajor: [Double] { rows.flatMap { [$0.x, $0.y, $0.z, $0.w] } }

    public var transposed: ExtrinsicMatrix {
        ExtrinsicMatrix(rowMajor: (0..<16).map { rows[$0 % 4][$0 / 4] })
    }

    /// The upper-left 3×3.
    public var linearPart: Matrix3x3 {
        Matrix3x3(
            rows: SIMD3(rows[0].x, rows[0].y, rows[0].z), SIMD3(rows[1].x, rows[1].y, rows[1].z),
            SIMD3(rows[2].x, rows[2].y, rows[2].z))
    }

    /// Whether the bottom row is 0 0 0 1 within `tolerance` (what every rigid transform has).
    func hasAffineBottomRow(tolerance: Double = 1e-6) -> Bool {
        let difference = rows[3] - SIMD4(0, 0, 0, 1)
        return (difference * difference).sum().squareRoot() <= tolerance
    }

    /// The rigid transform this matrix is, or nil when its bottom row is not 0 0 0 1 or its 3×3 is
    /// not a proper rotation (orthonormal within `tolerance`, determinant +1).
    public func rigidTransform(tolerance: Double = 1e-3) -> RigidTransform? {
        guard hasAffineBottomRow(tolerance: tolerance), linearPart.isRotation(tolerance: tolerance) else { return nil }
        return RigidTransform(matrix: Matrix3x4(rows: rows[0], rows[1], rows[2]))
    }
}
