import Foundation
import FusionGeometry
import FusionIO

extension PointCloud {
    /// The cloud with an RGB colour per point, sampled from the camera images of a rig.
    ///
    /// A point takes the colour of the pixel it projects to in the first camera (rig order) that sees
    /// it unhidden: a point more than `occlusionMargin` (metres, plus 2 % of its depth) behind the
    /// nearest point projected within `cellSize` pixels of it is hidden by it and takes no colour from
    /// that camera. Points no camera sees get alpha 0 (colour black).
    /// - Precondition: one image per camera, each of its camera's size.
    public func colored(by rig: CameraRig, images: [RGBImage], cellSize: Int = 4, occlusionMargin: Float = 0.5)
        -> PointCloud
    {
        precondition(images.count == rig.cameras.count, "one image per camera")
        var colors = [PointColor](repeating: PointColor(red: 0, green: 0, blue: 0, alpha: 0), count: count)
        var isColored = [Bool](repeating: false, count: count)
        for (camera, image) in zip(rig.cameras, images) {
            precondition(
                image.size == camera.imageSize,
                "camera \(camera.name): the image is \(image.size), the camera \(camera.imageSize)")
            let projected = camera.project(self)
            let nearest = NearestDepthGrid(projected, imageSize: camera.imageSize, cellSize: cellSize)
            for index in projected.indicesInsideImage where !isColored[index] {
                let (u, v, depth) = (projected.u[index], projected.v[index], projected.depth[index])
                guard depth <= nearest.depth(u: u, v: v) + occlusionMargin + 0.02 * depth else { continue }
                let (column, row) = camera.imageSize.nearestPixel(u: u, v: v)
                let pixel = image[column, row]
                colors[index] = PointColor(red: pixel.x, green: pixel.y, blue: pixel.z)
                isColored[index] = true
            }
        }
        var attributes = self.attributes
        attributes.color = colors
        var result = self
        result.setAttributes(attributes)
        return result
    }
}

/// A sparse depth image: for each pixel, the camera depth (metres) of the nearest LiDAR point that
/// projects onto it, or 0 where none does (KITTI depth-completion convention).
struct SparseDepthImage: Sendable {
    public let size: ImageSize
    /// Row-major, metres, 0 = no measurement.
    public private(set) var depths: [Float]

    /// Rasterises the points that land on the image, nearest first.
    public init(_ projected: ProjectedPoints, imageSize: ImageSize) {
        size = imageSize
        var depths = [Float](repeating: 0, count: imageSize.pixelCount)
        for index in projected.indicesInsideImage {
            let (column, row) = imageSize.nearestPixel(u: projected.u[index], v: projected.v[index])
            let depth = projected.depth[index]
            let pixel = row * imageSize.width + column
            if depths[pixel] == 0 || depth < depths[pixel] { depths[pixel] = depth }
        }
        self.depths = depths
    }

    public func depth(column: Int, row: Int) -> Float { depths[row * size.width + column] }

    /// How many pixels hold a depth.
    var measuredPixelCount: Int { depths.reduce(0) { $0 + ($1 > 0 ? 1 : 0) } }

    /// The KITTI depth-map encoding: 16-bit PNG, value = depth × 256 (0 = none; depths beyond 255.99 m clamp).
    func kittiPNGData() throws(NativeError) -> [UInt8] {
        let samples = depths.map { UInt16(min(65_535, max(0, ($0 * 256).rounded()))) }
        return [UInt8](try PNGEncoding.encode(samples, size: size, channels: 1))
    }

    /// Writes the KITTI 16-bit PNG atomically.
    public func writeKITTIPNG(to path: String) throws(WriteError) {
        let data: [UInt8]
        do { data = try kittiPNGData() } catch { throw WriteError(file: path, message: error.description) }
        try FileAccess.writeAtomically(Data(data), to: path)
    }
}
