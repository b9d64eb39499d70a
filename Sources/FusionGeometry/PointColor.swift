/// An 8-bit colour of a point, as PCL packs it in `rgb` / `rgba` fields.
@frozen
public struct PointColor: Hashable, Sendable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8
    /// 255 when the source has no alpha.
    public var alpha: UInt8

    @inlinable
    public init(red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8 = 255) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// A colour from PCL's packed form `0xAARRGGBB`.
    @inlinable
    public init(packed: UInt32) {
        self.init(
            red: UInt8(truncatingIfNeeded: packed >> 16), green: UInt8(truncatingIfNeeded: packed >> 8),
            blue: UInt8(truncatingIfNeeded: packed), alpha: UInt8(truncatingIfNeeded: packed >> 24))
    }

    /// PCL's packed form `0xAARRGGBB`.
    @inlinable
    public var packed: UInt32 {
        UInt32(alpha) << 24 | UInt32(red) << 16 | UInt32(green) << 8 | UInt32(blue)
    }
}
