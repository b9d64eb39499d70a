/// A 3×3 matrix of doubles stored as three rows (row-major, as calibration files write them).
@frozen
public struct Matrix3x3: Hashable, Sendable {
    public var row0: SIMD3<Double>
    public var row1: SIMD3<Double>
    public var row2: SIMD3<Double>

    @inlinable
    public init(rows row0: SIMD3<Double>, _ row1: SIMD3<Double>, _ row2: SIMD3<Double>) {
        self.row0 = row0
        self.row1 = row1
        self.row2 = row2
    }

    /// A matrix from 9 numbers in row-major order.
    public init(rowMajor values: [Double]) {
        precondition(values.count == 9, "a 3×3 matrix needs 9 values, got \(values.count)")
        self.init(
            rows: SIMD3(values[0], values[1], values[2]),
            SIMD3(values[3], values[4], values[5]),
            SIMD3(values[6], values[7], values[8]))
    }

    public static let identity = Matrix3x3(rows: SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1))

    /// The 9 values in row-major order.
    public var rowMajor: [Double] {
        [row0.x, row0.y, row0.z, row1.x, row1.y, row1.z, row2.x, row2.y, row2.z]
    }

    @inlinable
    public var transposed: Matrix3x3 {
        Matrix3x3(rows: SIMD3(row0.x, row1.x, row2.x), SIMD3(row0.y, row1.y, row2.y), SIMD3(row0.z, row1.z, row2.z))
    }

    @inlinable
    public var determinant: Double { row0.dot(row1.cross(row2)) }

    @inlinable
    public static func * (matrix: Matrix3x3, vector: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(matrix.row0.dot(vector), matrix.row1.dot(vector), matrix.row2.dot(vector))
    }

    @inlinable
    public static func * (lhs: Matrix3x3, rhs: Matrix3x3) -> Matrix3x3 {
        let columns = rhs.transposed
        return Matrix3x3(
            rows: SIMD3(lhs.row0.dot(columns.row0), lhs.row0.dot(columns.row1), lhs.row0.dot(columns.row2)),
            SIMD3(lhs.row1.dot(columns.row0), lhs.row1.dot(columns.row1), lhs.row1.dot(columns.row2)),
            SIMD3(lhs.row2.dot(columns.row0), lhs.row2.dot(columns.row1), lhs.row2.dot(columns.row2)))
    }

    /// The largest absolute entry of `self·selfᵀ − I`: 0 for an exact rotation or reflection.
    public var orthonormalityError: Double {
        let product = self * transposed
        let deviations = [product.row0 - SIMD3(1, 0, 0), product.row1 - SIMD3(0, 1, 0), product.row2 - SIMD3(0, 0, 1)]
        return deviations.map { max(abs($0.x), abs($0.y), abs($0.z)) }.max()!
    }

    /// Whether this is a proper rotation: orthonormal within `tolerance` and determinant +1.
    public func isRotation(tolerance: Double = 1e-4) -> Bool {
        orthonormalityError <= tolerance && abs(determinant - 1) <= tolerance
    }
}
