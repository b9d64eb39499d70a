internal import CFusionNative
import Foundation
import FusionIO

/// An 8-bit RGB image: row-major, 3 bytes per pixel (red, green, blue), no row padding.
public struct RGBImage: Hashable, Sendable {
    public let size: ImageSize
    /// `size.width × size.height × 3` bytes.
    public var pixels: [UInt8]

    /// A blank image of one colour.
    public init(size: ImageSize, filledWith color: SIMD3<UInt8> = .zero) {
        self.size = size
        var pixels = [UInt8](repeating: 0, count: size.pixelCount * 3)
        if color != .zero {
            for index in 0..<size.pixelCount {
                (pixels[3 * index], pixels[3 * index + 1], pixels[3 * index + 2]) = (color.x, color.y, color.z)
            }
        }
        self.pixels = pixels
    }

    public init(size: ImageSize, pixels: [UInt8]) {
        precondition(pixels.count == size.pixelCount * 3, "an RGB image holds 3 bytes per pixel")
        self.size = size
        self.pixels = pixels
    }

    /// The colour of pixel (column, row).
    public subscript(column: Int, row: Int) -> SIMD3<UInt8> {
        let base = 3 * (row * size.width + column)
        return SIMD3(pixels[base], pixels[base + 1], pixels[base + 2])
    }

    /// The most pixels `read(contentsOf:)` accepts: 2^28 (a 16k × 16k image, 768 MB decoded).
    static let maximumPixelCount = 1 << 28

    /// Reads a PNG or JPEG file (through OpenCV's codecs).
    /// - Throws: `ReadError` for a missing or unreadable file, an unknown format, a header claiming
    ///   more than `maximumPixelCount` pixels (checked before decoding), or data that does not decode.
    public static func read(contentsOf path: String) throws(ReadError) -> RGBImage {
        let data = try FileAccess.contents(of: path)
        let claimed = try ImageFileHeader.claimedSize(of: data, file: path)
        guard claimed.pixelCount <= maximumPixelCount else {
            throw ReadError(
                file: path, location: .file,
                message: "the header claims \(claimed) pixels, more than the \(maximumPixelCount) accepted")
        }
        var rgb: UnsafeMutablePointer<UInt8>?
        var width: Int32 = 0
        var height: Int32 = 0
        let status = data.withUnsafeBytes { bytes in
            fusion_native_image_decode(
                bytes.bindMemory(to: UInt8.self).baseAddress!, bytes.count, maximumPixelCount, &rgb, &width, &height)
        }
        defer { fusion_native_free(rgb) }
        do {
            try checked(status, "cv::imdecode")
        } catch {
            throw ReadError(file: path, location: .file, message: error.description)
        }
        let size = ImageSize(width: Int(width), height: Int(height))
        guard size == claimed else {
            throw ReadError(
                file: path, location: .file, message: "the header claims \(claimed) but the image decodes to \(size)")
        }
        return RGBImage(size: size, pixels: [UInt8](UnsafeBufferPointer(start: rgb!, count: size.pixelCount * 3)))
    }

    /// The image as PNG bytes.
    func pngData() throws(NativeError) -> Data {
        try PNGEncoding.encode(pixels, size: size, channels: 3)
    }

    /// Writes the image as a PNG file, atomically (a temporary file renamed over `path`).
    public func writePNG(to path: String) throws(WriteError) {
        let data: Data
        do { data = try pngData() } catch { throw WriteError(file: path, message: error.description) }
        try FileAccess.writeAtomically(data, to: path)
    }
}

/// PNG encoding of 8- or 16-bit images through OpenCV.
public enum PNGEncoding {
    /// The PNG bytes of `samples`: row-major, `channels` 1 (grey) or 3 (RGB), 8- or 16-bit samples.
    public static func encode<Sample: FixedWidthInteger & UnsignedInteger>(
        _ samples: [Sample], size: ImageSize, channels: Int
    ) throws(NativeError) -> Data {
        precondition(samples.count == size.pixelCount * channels && Sample.bitWidth <= 16)
        var png: UnsafeMutablePointer<UInt8>?
        var count = 0
        let status = samples.withUnsafeBytes { bytes in
            fusion_native_image_encode_png(
                bytes.baseAddress!, Int32(size.width), Int32(size.height), Int32(channels),
                Int32(Sample.bitWidth / 8), &png, &count)
        }
        defer { fusion_native_free(png) }
        try checked(status, "cv::imencode PNG")
        return Data(bytes: png!, count: count)
    }
}

/// Bayer mosaics to RGB, through OpenCV's edge-aware demosaicing.
public enum Demosaicing {
    /// The colours of a mosaic's top-left 2 × 2 block, as ROS image encodings name them.
    public enum Pattern: String, Sendable, CaseIterable {
        case rggb, bggr, gbrg, grbg
    }

    /// 8-bit RGB pixels (row-major, 3 bytes a pixel) of an 8-bit mosaic of `size`.
    public static func rgb(fromMosaic mosaic: [UInt8], size: ImageSize, pattern: Pattern) throws(NativeError) -> [UInt8]
    {
        precondition(mosaic.count == size.pixelCount, "one byte per pixel")
        var rgb = [UInt8](repeating: 0, count: size.pixelCount * 3)
        let code: Int32 =
            switch pattern {
            case .rggb: 0
            case .bggr: 1
            case .gbrg: 2
            case .grbg: 3
            }
        let status = rgb.withUnsafeMutableBufferPointer { output in
            fusion_native_demosaic(mosaic, Int32(size.width), Int32(size.height), code, output.baseAddress!)
        }
        try checked(status, "cv::cvtColor demosaic")
        return rgb
    }
}
