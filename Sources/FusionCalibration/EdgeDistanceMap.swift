internal import CFusionNative

/// For every pixel of an image, the distance to the nearest Canny edge.
///
/// Images wider than `maximumWidth` are first shrunk by an integer factor (box filter): at full
/// resolution a 2048-pixel camera finds edges in every bit of texture, which drowns the object outlines
/// that LiDAR depth edges are compared with. Distances are in pixels of the shrunk image.
struct EdgeDistanceMap: Sendable {
    static let maximumWidth = 1280
    let size: ImageSize
    /// Original pixels per map pixel.
    let factor: Int
    /// Row-major, `size.pixelCount` values.
    let distances: [Float]
    let edgeCount: Int

    /// Canny (on the grey image after a 5×5 Gaussian) and the exact Euclidean distance transform, in OpenCV.
    init(image original: RGBImage, lowThreshold: Double = 50, highThreshold: Double = 150) throws(NativeError) {
        factor = (original.size.width + Self.maximumWidth - 1) / Self.maximumWidth
        let image = original.shrunk(by: factor)
        var distances = [Float](repeating: 0, count: image.size.pixelCount)
        var edges = 0
        let status = image.pixels.withUnsafeBufferPointer { rgb in
            distances.withUnsafeMutableBufferPointer { output in
                fusion_native_cv_edge_distance(
                    rgb.baseAddress!, Int32(image.size.width), Int32(image.size.height),
                    lowThreshold, highThreshold, output.baseAddress!, &edges)
            }
        }
        try checked(status, "cv::Canny + cv::distanceTransform")
        self.size = image.size
        self.distances = distances
        self.edgeCount = edges
    }

    /// The distance at the map pixel under original pixel (u, v), which must lie on the image.
    func distance(u: Float, v: Float) -> Float {
        let scale = Float(factor)
        let (column, row) = size.nearestPixel(u: (u + 0.5) / scale - 0.5, v: (v + 0.5) / scale - 0.5)
        return distances[row * size.width + column]
    }
}

extension RGBImage {
    /// The image averaged over blocks of `factor` × `factor` pixels (edge blocks cut short are dropped).
    func shrunk(by factor: Int) -> RGBImage {
        guard factor > 1 else { return self }
        let size = ImageSize(width: max(1, self.size.width / factor), height: max(1, self.size.height / factor))
        var pixels = [UInt8](repeating: 0, count: size.pixelCount * 3)
        let area = factor * factor
        for row in 0..<size.height {
            for column in 0..<size.width {
                var sums = SIMD3<Int>.zero
                for y in row * factor..<(row + 1) * factor {
                    for x in column * factor..<(column + 1) * factor {
                        let base = 3 * (y * self.size.width + x)
                        sums &+= SIMD3(Int(self.pixels[base]), Int(self.pixels[base + 1]), Int(self.pixels[base + 2]))
                    }
                }
                let base = 3 * (row * size.width + column)
                (pixels[base], pixels[base + 1], pixels[base + 2]) = (
                    UInt8(sums.x / area), UInt8(sums.y / area), UInt8(sums.z / area)
                )
            }
        }
        return RGBImage(size: size, pixels: pixels)
    }
}
