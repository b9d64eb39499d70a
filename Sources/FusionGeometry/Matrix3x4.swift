/// A 3×4 matrix of doubles stored as three rows: a camera projection matrix (`P = K [R | t]`) or
/// the top of a homogeneous 4×4 transform, as KITTI calibration files write them.
@frozen
public struct Matrix3x4: Hashable, Sendable {
    public var row0: SIMD4<Double>
    public var row1: SIMD4<Double>
    public var row2: SIMD4<Double>

    @inlinable
    public init(rows row0: SIMD4<Double>, _ row1: SIMD4<Double>, _ row2: SIMD4<Double>) {
        self.row0 = row0
        self.row1 = row1
        self.row2 = row2
    }

    /// A matrix from 12 numbers in row-major order.
    public init(rowMajor values: [Double]) {
        precondition(values.count == 12, "a 3×4 matrix needs 12 values, got \(values.count)")
        self.init(
            rows: SIMD4(values[0], values[1], values[2], values[3]),
            SIMD4(values[4], values[5], values[6], values[7]),
            SIMD4(values[8], values[9], values[10], values[11]))
    }

    /// The 12 values in row-major order.
    public var rowMajor: [Double] {
        [row0, row1, row2].flatMap { [$0.x, $0.y, $0.z, $0.w] }
    }

    /// The left 3×3 block.
    public var linearPart: Matrix3x3 {
        Matrix3x3(rows: SIMD3(row0.x, row0.y, row0.z), SIMD3(row1.x, row1.y, row1.z), SIMD3(row2.x, row2.y, row2.z))
    }

    /// The last column.
    public var lastColumn: SIMD3<Double> { SIMD3(row0.w, row1.w, row2.w) }

    /// `self · [point; 1]`: for a projection matrix, homogeneous image coordinates (u·s, v·s, s).
    @inlinable
    public func applied(to point: SIMD3<Double>) -> SIMD3<Double> {
        let homogeneous = SIMD4(point, 1)
        return SIMD3((row0 * homogeneous).sum(), (row1 * homogeneous).sum(), (row2 * homogeneous).sum())
    }
}
