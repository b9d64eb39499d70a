import FusionGeometry

/// The pinhole part of a camera model, in pixels: `u = fx · x + cx`, `v = fy · y + cy` for normalised
/// (and distorted) image coordinates x = X/Z, y = Y/Z in the camera frame (x right, y down, z forward).
/// Pixel (0, 0) is the centre of the top-left pixel, as in OpenCV. Skew is not modelled (OpenCV's
/// `projectPoints` ignores it too).
public struct PinholeIntrinsics: Hashable, Sendable {
    public var fx: Double
    public var fy: Double
    public var cx: Double
    public var cy: Double

    public init(fx: Double, fy: Double, cx: Double, cy: Double) {
        self.fx = fx
        self.fy = fy
        self.cx = cx
        self.cy = cy
    }

    /// Reads K (fx 0 cx / 0 fy cy / 0 0 1). Returns nil unless K has that shape with positive, finite
    /// focal lengths (a skewed or projective K is not a pinhole camera this library models).
    public init?(cameraMatrix k: Matrix3x3, tolerance: Double = 1e-9) {
        let rows = [k.row0, k.row1, k.row2]
        guard rows.allSatisfy({ $0.x.isFinite && $0.y.isFinite && $0.z.isFinite }),
            k.row0.x > 0, k.row1.y > 0,
            abs(k.row0.y) <= tolerance * k.row0.x, abs(k.row1.x) <= tolerance * k.row1.y,
            abs(k.row2.x) <= tolerance, abs(k.row2.y) <= tolerance, abs(k.row2.z - 1) <= tolerance
        else { return nil }
        self.init(fx: k.row0.x, fy: k.row1.y, cx: k.row0.z, cy: k.row1.z)
    }

    /// The pixel of normalised image coordinates (x = X/Z, y = Y/Z, after any lens distortion).
    public func pixel(ofNormalised point: SIMD2<Double>) -> SIMD2<Double> {
        SIMD2(fx * point.x + cx, fy * point.y + cy)
    }

    /// K, row-major rows.
    public var cameraMatrix: Matrix3x3 {
        Matrix3x3(rows: SIMD3(fx, 0, cx), SIMD3(0, fy, cy), SIMD3(0, 0, 1))
    }
}

/// An image's size in pixels.
public struct ImageSize: Hashable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        precondition(width > 0 && height > 0, "an image has at least one pixel")
        self.width = width
        self.height = height
    }

    public var pixelCount: Int { width * height }

    /// Whether a pixel position lies on the image: `-0.5 ≤ u < width - 0.5` and the same for v
    /// (pixel centres are at integers, so the image covers half a pixel more on every side).
    @inlinable
    public func contains(u: Double, v: Double) -> Bool {
        u >= -0.5 && u < Double(width) - 0.5 && v >= -0.5 && v < Double(height) - 0.5
    }

    /// The pixel (column, row) whose square holds position (u, v), clamped to the image.
    @inlinable
    func nearestPixel(u: Float, v: Float) -> (column: Int, row: Int) {
        (min(width - 1, max(0, Int((u + 0.5).rounded(.down)))), min(height - 1, max(0, Int((v + 0.5).rounded(.down)))))
    }

    public var description: String { "\(width)×\(height)" }
}
