/// A LiDAR sweep or any other set of 3D points, stored as a structure of arrays.
///
/// Positions are `x`, `y`, `z` in metres in the frame the cloud was recorded or transformed into
/// (for a sweep: the LiDAR frame, x forward, y left, z up). Per-point attributes are optional and,
/// when present, have exactly one value per point. Invalid points (NaN or infinite coordinates) are
/// kept where the source has them, because organized clouds use them as placeholders; ask
/// `nonFiniteCount` and filter with `finitePoints()`.
///
/// Storage is three `[Float]` columns so hot loops run over contiguous lanes the compiler vectorises.
public struct PointCloud: Equatable, Sendable {
    /// How the points are arranged.
    public enum Layout: Hashable, Sendable {
        /// A plain list of points.
        case unorganized
        /// An image-like grid stored row by row: `count == width * height`.
        case organized(width: Int, height: Int)
    }

    public internal(set) var x: [Float]
    public internal(set) var y: [Float]
    public internal(set) var z: [Float]
    public internal(set) var attributes: PointAttributes
    public internal(set) var layout: Layout

    /// A cloud from coordinate columns of equal length and matching attributes.
    public init(
        x: [Float], y: [Float], z: [Float], attributes: PointAttributes = PointAttributes(),
        layout: Layout = .unorganized
    ) {
        precondition(x.count == y.count && y.count == z.count, "x, y and z must have one value per point")
        precondition(attributes.allCounts(equal: x.count), "every attribute must have one value per point")
        if case .organized(let width, let height) = layout {
            precondition(
                width >= 0 && height >= 0 && width * height == x.count, "an organized layout must cover every point")
        }
        self.x = x
        self.y = y
        self.z = z
        self.attributes = attributes
        self.layout = layout
    }

    /// A cloud from positions (metres), without attributes.
    public init(points: [SIMD3<Float>]) {
        self.init(x: points.map(\.x), y: points.map(\.y), z: points.map(\.z))
    }

    /// An empty cloud.
    public init() {
        self.init(x: [], y: [], z: [])
    }

    /// The number of points.
    @inlinable
    public var count: Int { x.count }

    @inlinable
    public var isEmpty: Bool { x.isEmpty }

    /// The position of point `index`, in metres.
    @inlinable
    public subscript(index: Int) -> SIMD3<Float> {
        SIMD3(x[index], y[index], z[index])
    }

    /// Replaces the attributes; they must have one value per point.
    public mutating func setAttributes(_ newAttributes: PointAttributes) {
        precondition(newAttributes.allCounts(equal: count), "every attribute must have one value per point")
        attributes = newAttributes
    }

    /// The points at `indices`, in that order, with their attributes. The result is unorganized.
    public func subset(_ indices: some Collection<Int>) -> PointCloud {
        PointCloud(
            x: indices.map { x[$0] }, y: indices.map { y[$0] }, z: indices.map { z[$0] },
            attributes: attributes.subset(indices))
    }
}
