import FusionTestSupport
import Testing

@testable import FusionCalibration

@Suite struct DemosaicingTests {
    /// The colour a Bayer pattern keeps at (column, row): 0 red, 1 green, 2 blue.
    static func channel(_ pattern: Demosaicing.Pattern, column: Int, row: Int) -> Int {
        let letters = Array(pattern.rawValue)
        let letter = letters[(row % 2) * 2 + column % 2]
        return letter == "r" ? 0 : letter == "g" ? 1 : 2
    }

    static func mosaic(of image: RGBImage, _ pattern: Demosaicing.Pattern) -> [UInt8] {
        var mosaic = [UInt8](repeating: 0, count: image.size.pixelCount)
        for row in 0..<image.size.height {
            for column in 0..<image.size.width {
                mosaic[row * image.size.width + column] =
                    image.pixels[(row * image.size.width + column) * 3 + channel(pattern, column: column, row: row)]
            }
        }
        return mosaic
    }

    /// Mean absolute difference per channel, over the image without a 2-pixel border.
    static func meanError(_ a: [UInt8], _ b: RGBImage) -> SIMD3<Double> {
        var total = SIMD3<Double>.zero
        var count = 0.0
        for row in 2..<(b.size.height - 2) {
            for column in 2..<(b.size.width - 2) {
                let index = (row * b.size.width + column) * 3
                for channel in 0..<3 {
                    total[channel] += abs(Double(a[index + channel]) - Double(b.pixels[index + channel]))
                }
                count += 1
            }
        }
        return total / count
    }

    /// A real camera image sampled into each Bayer pattern comes back close to itself, with the colours
    /// in place (reading the mosaic with the wrong pattern swaps red and blue, far off).
    @Test(SharedScenes.required, arguments: Demosaicing.Pattern.allCases) func aRealImageSurvivesEachPattern(
        pattern: Demosaicing.Pattern
    ) throws {
        let image = try RGBImage.read(contentsOf: try SharedScenes.path("kitti-object/image_2/000001.png"))
        let mosaic = Self.mosaic(of: image, pattern)
        let error = Self.meanError(try Demosaicing.rgb(fromMosaic: mosaic, size: image.size, pattern: pattern), image)
        // Measured on KITTI 000001: 1.4 (green) to 4.1 (red) grey levels; the bar of 6 leaves 1.9 of margin.
        #expect(error.max() < 6, "\(pattern): \(error)")
        let swapped: Demosaicing.Pattern =
            switch pattern {
            case .rggb: .bggr
            case .bggr: .rggb
            case .gbrg: .grbg
            case .grbg: .gbrg
            }
        let wrong = Self.meanError(try Demosaicing.rgb(fromMosaic: mosaic, size: image.size, pattern: swapped), image)
        #expect(wrong.x > 2 * error.x && wrong.z > 2 * error.z, "\(pattern) read as \(swapped): \(wrong)")
    }
}
