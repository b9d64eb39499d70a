/// A camera image from a recording: `sensor_msgs/Image` (raw pixels) or `sensor_msgs/CompressedImage`
/// (an encoded file's bytes, kept as they are).
public struct RecordedImage: Sendable {
    public enum Pixels: Sendable {
        /// 8-bit RGB, row-major, 3 bytes a pixel (from rgb8, bgr8, rgba8, bgra8).
        case rgb8([UInt8])
        /// 8-bit grey (mono8, 8UC1).
        case mono8([UInt8])
        /// 16-bit grey (mono16, 16UC1), host byte order.
        case mono16([UInt16])
        /// 8-bit Bayer mosaic (bayer_rggb8 and the other three orders), one byte a pixel, as recorded.
        case bayer8(pattern: String, [UInt8])
        /// An encoded image (`jpeg`, `png`), its bytes as recorded.
        case encoded(format: String, ByteSlice)
    }

    public var header: RecordedHeader
    /// Pixels; 0 for an encoded image (its size is in its own header).
    public var width: Int
    public var height: Int
    public var pixels: Pixels

    /// A `sensor_msgs/Image`, its rows repacked without `step` padding.
    public init(image message: MessageRecord) throws(MessageDecodingError) {
        header = try RecordedHeader(of: message)
        let width = try message.field("width").int()
        let height = try message.field("height").int()
        (self.width, self.height) = (width, height)
        let encoding = try message.field("encoding").text()
        let step = try message.field("step").int()
        let bigEndian = try message.field("is_bigendian").int() != 0
        let data = try message.field("data").byteSlice()
        let (channels, bytesPerChannel) = try Self.layout(of: encoding)
        let rowBytes = width.multipliedReportingOverflow(by: channels * bytesPerChannel)
        guard !rowBytes.overflow, height >= 0, step >= rowBytes.partialValue,
            height == 0
                || step.multipliedReportingOverflow(by: height - 1).partialValue + rowBytes.partialValue <= data.count
        else {
            throw MessageDecodingError(
                message:
                    "Image \(width) × \(height) \(encoding) with step \(step) needs more than its \(data.count) bytes")
        }
        guard width > 0 && height > 0 else {
            throw MessageDecodingError(message: "Image \(width) × \(height): an image needs pixels")
        }
        let bytes = data.bytes
        func rows() -> [UInt8] {
            var packed: [UInt8] = []
            packed.reserveCapacity(rowBytes.partialValue * height)
            for row in 0..<height {
                packed += UnsafeRawBufferPointer(rebasing: bytes[(row * step)..<(row * step + rowBytes.partialValue)])
            }
            return packed
        }
        switch encoding {
        case "rgb8": pixels = .rgb8(rows())
        case "bgr8", "rgba8", "bgra8":
            let packed = rows()
            let (red, blue) = encoding.hasPrefix("bgr") ? (2, 0) : (0, 2)
            var rgb = [UInt8](repeating: 0, count: width * height * 3)
            for pixel in 0..<(width * height) {
                rgb[pixel * 3] = packed[pixel * channels + red]
                rgb[pixel * 3 + 1] = packed[pixel * channels + 1]
                rgb[pixel * 3 + 2] = packed[pixel * channels + blue]
            }
            pixels = .rgb8(rgb)
        case "mono8", "8UC1": pixels = .mono8(rows())
        case "mono16", "16UC1":
            let packed = rows()
            pixels = .mono16(
                (0..<(width * height)).map { pixel in
                    let (first, second) = (UInt16(packed[pixel * 2]), UInt16(packed[pixel * 2 + 1]))
                    return bigEndian ? first << 8 | second : second << 8 | first
                })
        default: pixels = .bayer8(pattern: String(encoding.dropFirst("bayer_".count).dropLast()), rows())
        }
    }

    /// A `sensor_msgs/CompressedImage`: `format` says `jpeg` or `png` (also as `rgb8; jpeg compressed bgr8`).
    public init(compressedImage message: MessageRecord) throws(MessageDecodingError) {
        header = try RecordedHeader(of: message)
        width = 0
        height = 0
        let format = try message.field("format").text().lowercased()
        let data = try message.field("data").byteSlice()
        let kind: String
        if format.contains("png") {
            kind = "png"
        } else if format.contains("jpeg") || format.contains("jpg") {
            kind = "jpeg"
        } else {
            throw MessageDecodingError(message: "CompressedImage format \"\(format)\": expected jpeg or png")
        }
        pixels = .encoded(format: kind, data)
    }

    /// Channels and bytes per channel of a raw encoding.
    private static func layout(of encoding: String) throws(MessageDecodingError) -> (
        channels: Int, bytesPerChannel: Int
    ) {
        switch encoding {
        case "rgb8", "bgr8": return (3, 1)
        case "rgba8", "bgra8": return (4, 1)
        case "mono8", "8UC1": return (1, 1)
        case "mono16", "16UC1": return (1, 2)
        case "bayer_rggb8", "bayer_bggr8", "bayer_gbrg8", "bayer_grbg8": return (1, 1)
        default:
            throw MessageDecodingError(
                message:
                    "Image encoding \"\(encoding)\" is not read (rgb8, bgr8, rgba8, bgra8, mono8, mono16, bayer_*8 are)"
            )
        }
    }
}
