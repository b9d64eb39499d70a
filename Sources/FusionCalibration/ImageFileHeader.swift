import Foundation
import FusionIO

/// The pixel size an image file claims in its header (PNG IHDR, JPEG SOF), read before decoding so
/// that a small file claiming a huge image is refused before anything is allocated for it.
enum ImageFileHeader {
    /// The claimed size, or a `ReadError` naming the byte where the header stops making sense.
    static func claimedSize(of data: Data, file: String) throws(ReadError) -> ImageSize {
        let bytes = [UInt8](data.prefix(8))
        if bytes == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] { return try pngSize(data, file: file) }
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xD8 { return try jpegSize(data, file: file) }
        throw ReadError(file: file, location: .byteOffset(0), message: "expected a PNG or JPEG signature")
    }

    private static func bigEndian(_ data: Data, _ offset: Int, _ width: Int) -> Int {
        var value = 0
        for index in 0..<width { value = value << 8 | Int(data[data.startIndex + offset + index]) }
        return value
    }

    private static func pngSize(_ data: Data, file: String) throws(ReadError) -> ImageSize {
        // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4).
        guard data.count >= 24, data[data.startIndex + 12..<data.startIndex + 16].elementsEqual("IHDR".utf8) else {
            throw ReadError(file: file, location: .byteOffset(12), message: "expected the PNG IHDR chunk")
        }
        return try size(width: bigEndian(data, 16, 4), height: bigEndian(data, 20, 4), at: 16, file: file)
    }

    private static func jpegSize(_ data: Data, file: String) throws(ReadError) -> ImageSize {
        var offset = 2
        while offset + 4 <= data.count {
            guard data[data.startIndex + offset] == 0xFF else {
                throw ReadError(file: file, location: .byteOffset(offset), message: "expected a JPEG marker (0xFF)")
            }
            let marker = data[data.startIndex + offset + 1]
            if marker == 0xFF {
                offset += 1
                continue
            }  // fill byte
            let length = bigEndian(data, offset + 2, 2)
            // SOF0...SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard offset + 9 <= data.count else { break }
                return try size(
                    width: bigEndian(data, offset + 7, 2), height: bigEndian(data, offset + 5, 2),
                    at: offset + 5, file: file)
            }
            guard length >= 2 else {
                throw ReadError(file: file, location: .byteOffset(offset + 2), message: "a JPEG segment length below 2")
            }
            offset += 2 + length
        }
        throw ReadError(
            file: file, location: .byteOffset(min(offset, data.count)),
            message: "no JPEG frame header (SOF) before the end of the file")
    }

    private static func size(width: Int, height: Int, at offset: Int, file: String) throws(ReadError) -> ImageSize {
        guard width > 0, height > 0 else {
            throw ReadError(
                file: file, location: .byteOffset(offset),
                message: "the header claims an empty image (\(width)×\(height))")
        }
        return ImageSize(width: width, height: height)
    }
}
