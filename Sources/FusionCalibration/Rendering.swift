internal import CFusionNative
import Foundation
import FusionGeometry

/// A colour map for depths and heights: a perceptually ordered ramp (close = red-yellow, far = blue-purple,
/// an approximation of matplotlib's "turbo").
enum DepthColorMap {
    /// The colour of `value` on a ramp from `range.lowerBound` to `range.upperBound` (clamped).
    public static func color(for value: Double, in range: ClosedRange<Double>) -> SIMD3<UInt8> {
        let t = max(0, min(1, (value - range.lowerBound) / max(1e-9, range.upperBound - range.lowerBound)))
        // Turbo's polynomial fit (Mikhailov 2019), reversed so that near is warm.
        let x = 1 - t
        let r =
            0.13572138 + x
            * (4.61539260 + x * (-42.66032258 + x * (132.13108234 + x * (-152.94239396 + x * 59.28637943))))
        let g =
            0.09140261 + x * (2.19418839 + x * (4.84296658 + x * (-14.18503333 + x * (4.27729857 + x * 2.82956604))))
        let b =
            0.10667330 + x
            * (12.64194608 + x * (-60.58204836 + x * (110.36276771 + x * (-89.90310912 + x * 27.34824973))))
        func byte(_ value: Double) -> UInt8 { UInt8(max(0, min(255, (value * 255).rounded()))) }
        return SIMD3(byte(r), byte(g), byte(b))
    }
}

/// A box to draw, with its caption (class and track id).
public struct LabeledBox: Sendable {
    public var box: Cuboid
    public var caption: String
    public var color: SIMD3<UInt8>

    public init(box: Cuboid, caption: String, color: SIMD3<UInt8>) {
        self.box = box
        self.caption = caption
        self.color = color
    }

    /// A stable colour per class name, so the same class looks the same in every render: fixed,
    /// distinct colours for the classes pre-labelling proposes (KITTI, SUSTech and OpenLABEL
    /// spellings), a hash of the name into a palette for any other.
    public static func color(forClass name: String) -> SIMD3<UInt8> {
        switch name.lowercased() {
        case "car": return SIMD3(64, 200, 255)
        case "van", "truck", "van_truck", "pickup": return SIMD3(255, 200, 0)
        case "bus", "tram": return SIMD3(255, 140, 40)
        case "pedestrian", "person", "person_sitting": return SIMD3(255, 96, 220)
        case "cyclist", "rider", "bicycle": return SIMD3(80, 255, 120)
        case "unknown", "misc", "other", "unsure": return SIMD3(200, 200, 200)
        default: break
        }
        let palette: [SIMD3<UInt8>] = [
            SIMD3(255, 64, 64), SIMD3(64, 200, 255), SIMD3(255, 200, 0), SIMD3(80, 255, 120),
            SIMD3(255, 96, 220), SIMD3(255, 140, 40), SIMD3(160, 120, 255), SIMD3(220, 220, 220)
        ]
        var hash: UInt32 = 2_166_136_261  // FNV-1a: stable across runs, unlike Hasher
        for byte in name.lowercased().utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return palette[Int(hash % UInt32(palette.count))]
    }
}

extension Camera {
    /// A render for review: `image` (a dark canvas of the camera's size when nil) with the sweep's
    /// points coloured by depth and the boxes' wireframes and captions drawn over it.
    /// - Parameter sweep: LiDAR frame, as the boxes.
    public func render(_ sweep: PointCloud, boxes: [LabeledBox], over image: RGBImage?) -> RGBImage {
        var canvas = image ?? RGBImage(size: imageSize, filledWith: SIMD3(20, 20, 24))
        canvas.drawPoints(project(sweep), radius: max(1, imageSize.width / 800))
        canvas.drawBoxes(boxes, camera: self)
        return canvas
    }
}

extension RGBImage {
    /// Draws LiDAR points that land on the image as small discs coloured by depth (camera z).
    /// - Parameter depthRange: metres mapped onto the colour ramp.
    mutating func drawPoints(
        _ projected: ProjectedPoints, depthRange: ClosedRange<Double> = 0...60, radius: Int = 1
    ) {
        let inside = projected.indicesInsideImage
        // Far points first, so near ones end on top.
        let ordered = inside.sorted { projected.depth[$0] > projected.depth[$1] }
        var centers: [Float] = []
        var colors: [UInt8] = []
        centers.reserveCapacity(2 * ordered.count)
        colors.reserveCapacity(3 * ordered.count)
        for index in ordered {
            centers += [projected.u[index], projected.v[index]]
            let color = DepthColorMap.color(for: Double(projected.depth[index]), in: depthRange)
            colors += [color.x, color.y, color.z]
        }
        let size = self.size
        _ = pixels.withUnsafeMutableBufferPointer { rgb in
            fusion_native_cv_draw_discs(
                rgb.baseAddress!, Int32(size.width), Int32(size.height), centers, colors, ordered.count, Int32(radius))
        }
    }

    /// Draws cuboid wireframes (clipped at the camera's near plane) with their captions.
    mutating func drawBoxes(_ boxes: [LabeledBox], camera: Camera, thickness: Int = 2) {
        var segments: [Float] = []
        var colors: [UInt8] = []
        var captions: [(String, SIMD2<Double>, SIMD3<UInt8>)] = []
        for labeled in boxes {
            let projected = camera.project(labeled.box)
            guard let inImage = projected.boxInImage else { continue }
            for segment in projected.segments {
                segments += [Float(segment.start.x), Float(segment.start.y), Float(segment.end.x), Float(segment.end.y)]
                // The front face (edges 0, 4, 8, 9: corners 0, 1, 4, 5) is drawn brighter to show the heading.
                let front = [0, 4, 8, 9].contains(segment.edge)
                let color =
                    front
                    ? labeled.color
                    : SIMD3<UInt8>(truncatingIfNeeded: SIMD3<Int>(truncatingIfNeeded: labeled.color) &* 3 / 4)
                colors += [color.x, color.y, color.z]
            }
            captions.append((labeled.caption, SIMD2(inImage.left, inImage.top), labeled.color))
        }
        let size = self.size
        _ = pixels.withUnsafeMutableBufferPointer { rgb in
            fusion_native_cv_draw_segments(
                rgb.baseAddress!, Int32(size.width), Int32(size.height), segments, colors,
                segments.count / 4, Int32(thickness))
        }
        for (caption, corner, color) in captions where !caption.isEmpty {
            drawCaption(caption, at: SIMD2(Int(max(2, corner.x)), Int(max(14, corner.y - 3))), background: color)
        }
    }

    /// Writes `text` in black on a filled box of `background`, its bottom-left corner at `origin` (pixels).
    mutating func drawCaption(
        _ text: String, at origin: SIMD2<Int>, background: SIMD3<UInt8>, scale: Double = 0.45
    ) {
        let size = self.size
        let textColor: [UInt8] = [0, 0, 0]
        let backgroundColor = [background.x, background.y, background.z]
        _ = pixels.withUnsafeMutableBufferPointer { rgb in
            fusion_native_cv_draw_label(
                rgb.baseAddress!, Int32(size.width), Int32(size.height), text, Int32(origin.x),
                Int32(origin.y), scale, textColor, backgroundColor)
        }
    }

    /// Draws line segments (pixels) in one colour.
    mutating func drawSegments(_ segments: [(SIMD2<Double>, SIMD2<Double>)], color: SIMD3<UInt8>, thickness: Int = 1) {
        let flat = segments.flatMap { [Float($0.0.x), Float($0.0.y), Float($0.1.x), Float($0.1.y)] }
        let colors = Array(repeating: [color.x, color.y, color.z], count: segments.count).flatMap { $0 }
        let size = self.size
        _ = pixels.withUnsafeMutableBufferPointer { rgb in
            fusion_native_cv_draw_segments(
                rgb.baseAddress!, Int32(size.width), Int32(size.height), flat, colors, segments.count, Int32(thickness))
        }
    }
}

/// A top-down render of a sweep and its boxes, LiDAR frame: x forward is up the image, y left is left.
public struct BirdsEyeView: Sendable {
    /// Metres ahead of / behind / beside the sensor that the image covers.
    public var forward: Double = 60
    public var backward: Double = 20
    var sideways: Double = 40
    var pixelsPerMetre: Double = 10

    public init() {}

    public var imageSize: ImageSize {
        ImageSize(width: Int(2 * sideways * pixelsPerMetre), height: Int((forward + backward) * pixelsPerMetre))
    }

    /// The pixel of a LiDAR-frame position (x, y); z is ignored.
    public func pixel(of point: SIMD3<Double>) -> SIMD2<Double> {
        SIMD2((sideways - point.y) * pixelsPerMetre, (forward - point.x) * pixelsPerMetre)
    }

    /// Points coloured by height (z from -2 to +3 m), boxes as footprints with a heading tick, a 10 m grid.
    public func render(_ cloud: PointCloud, boxes: [LabeledBox]) -> RGBImage {
        var image = RGBImage(size: imageSize, filledWith: SIMD3(12, 12, 16))
        var grid: [(SIMD2<Double>, SIMD2<Double>)] = []
        for x in stride(from: -backward.rounded(.down), through: forward, by: 10) {
            grid.append((pixel(of: SIMD3(x, sideways, 0)), pixel(of: SIMD3(x, -sideways, 0))))
        }
        for y in stride(from: -sideways, through: sideways, by: 10) {
            grid.append((pixel(of: SIMD3(forward, y, 0)), pixel(of: SIMD3(-backward, y, 0))))
        }
        image.drawSegments(grid, color: SIMD3(40, 40, 48))
        let size = imageSize
        var pixels = image.pixels
        for index in 0..<cloud.count {
            let point = SIMD3<Double>(cloud[index])
            guard point.x.isFinite, point.y.isFinite, point.z.isFinite else { continue }
            let position = pixel(of: point)
            let (column, row) = (Int(position.x), Int(position.y))
            guard column >= 0, column < size.width, row >= 0, row < size.height else { continue }
            let color = DepthColorMap.color(for: point.z, in: -2...3)
            let base = 3 * (row * size.width + column)
            (pixels[base], pixels[base + 1], pixels[base + 2]) = (color.x, color.y, color.z)
        }
        image.pixels = pixels
        for labeled in boxes {
            let footprint = labeled.box.corners.prefix(4).map { pixel(of: $0) }
            var outline = (0..<4).map { (footprint[$0], footprint[($0 + 1) % 4]) }
            let front = (footprint[0] + footprint[1]) / 2
            outline.append((pixel(of: labeled.box.center), front))
            image.drawSegments(outline, color: labeled.color, thickness: 2)
            if !labeled.caption.isEmpty {
                let anchor = footprint.reduce(SIMD2(Double.infinity, .infinity)) { pointwiseMin($0, $1) }
                image.drawCaption(
                    labeled.caption, at: SIMD2(Int(anchor.x), Int(anchor.y) - 2), background: labeled.color, scale: 0.4)
            }
        }
        // The sensor.
        let origin = pixel(of: .zero)
        image.drawSegments(
            [(origin + SIMD2(-6, 6), origin + SIMD2(0, -10)), (origin + SIMD2(0, -10), origin + SIMD2(6, 6))],
            color: SIMD3(255, 255, 255), thickness: 2)
        return image
    }
}
