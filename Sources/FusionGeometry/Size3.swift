/// The extent of a cuboid along its own axes, in metres.
///
/// `length` runs along the box's x axis (its heading), `width` along y (to its left), `height` along
/// z (up). Always named, never a bare triple: other tools order these differently (KITTI h w l,
/// nuScenes w l h), and the conversions live in FusionIO.
@frozen
public struct Size3: Hashable, Sendable, Codable {
    public var length: Double
    public var width: Double
    public var height: Double

    @inlinable
    public init(length: Double, width: Double, height: Double) {
        self.length = length
        self.width = width
        self.height = height
    }

    /// Half the extent along the box's x, y and z axes.
    @inlinable
    public var halfExtents: SIMD3<Double> { SIMD3(length, width, height) / 2 }

    /// length × width × height, in cubic metres.
    @inlinable
    public var volume: Double { length * width * height }

    /// Whether every side is finite and strictly positive.
    @inlinable
    public var isValid: Bool {
        [length, width, height].allSatisfy { $0.isFinite && $0 > 0 }
    }
}
