import FusionGeometry

/// A 2D box in image pixels: left, top, right, bottom (u right, v down).
public struct PixelRectangle: Equatable, Hashable, Sendable {
    public var left: Double
    public var top: Double
    public var right: Double
    public var bottom: Double

    public init(left: Double, top: Double, right: Double, bottom: Double) {
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
    }

    public var width: Double { right - left }
    public var height: Double { bottom - top }

    /// The overlap of two rectangles, or nil when it is empty.
    public func intersection(_ other: PixelRectangle) -> PixelRectangle? {
        let result = PixelRectangle(
            left: max(left, other.left), top: max(top, other.top),
            right: min(right, other.right), bottom: min(bottom, other.bottom))
        return result.left < result.right && result.top < result.bottom ? result : nil
    }
}

/// A 3D box in KITTI's convention: the **bottom centre** in the rectified camera 0 frame (x right,
/// y down, z forward, metres), sizes along the box's axes, and `rotationY` (radians) about the
/// camera's y axis, 0 when the box's length points along camera x. Convert with
/// `cuboid(lidarFromRectifiedCamera:)` and `init(cuboid:rectifiedCameraFromLidar:)`.
public struct KITTIBox3D: Equatable, Sendable {
    /// KITTI writes these as `h w l`.
    public var size: Size3
    public var bottomCenter: SIMD3<Double>
    public var rotationY: Double

    public init(size: Size3, bottomCenter: SIMD3<Double>, rotationY: Double) {
        self.size = size
        self.bottomCenter = bottomCenter
        self.rotationY = rotationY
    }
}

/// One row of a KITTI object label file (`label_2/*.txt`) or detection result:
/// `type truncated occluded alpha left top right bottom h w l x y z rotation_y [score]`.
public struct KITTIObject: Equatable, Sendable {
    /// `Car`, `Van`, `Truck`, `Pedestrian`, `Person_sitting`, `Cyclist`, `Tram`, `Misc`, `DontCare`.
    public var type: String
    /// Share of the object outside the image, 0...1 (the tracking benchmark writes 0, 1, 2).
    public var truncated: Double
    /// 0 fully visible, 1 partly occluded, 2 largely occluded, 3 unknown (-1 on DontCare rows).
    public var occluded: Int
    /// Observation angle in radians, -π...π.
    public var alpha: Double
    public var imageBox: PixelRectangle
    public var box: KITTIBox3D
    /// Detection confidence, for result files.
    public var score: Double?

    public init(
        type: String, truncated: Double = 0, occluded: Int = 0, alpha: Double = -10,
        imageBox: PixelRectangle, box: KITTIBox3D, score: Double? = nil
    ) {
        self.type = type
        self.truncated = truncated
        self.occluded = occluded
        self.alpha = alpha
        self.imageBox = imageBox
        self.box = box
        self.score = score
    }

    /// Whether this row marks a region to ignore rather than an object.
    public var isDontCare: Bool { type == "DontCare" }

    /// Reads a label file; an empty file has no objects.
    public static func read(contentsOf path: String) throws(ReadError) -> [KITTIObject] {
        try parse(try FileAccess.text(of: path), file: path)
    }

    /// Parses label text: 15 columns per row, or 16 with a score.
    public static func parse(_ text: String, file: String = "<memory>") throws(ReadError) -> [KITTIObject] {
        var objects: [KITTIObject] = []
        for record in TextRecord.records(in: text, file: file) {
            try record.expectCount([15, 16], format: "a KITTI object row")
            objects.append(try KITTIObject(record, firstColumn: 0))
        }
        return objects
    }

    /// Label text, one row per object, numbers written so that they read back exactly.
    public static func text(for objects: [KITTIObject]) -> String {
        objects.map { $0.columns.joined(separator: " ") + "\n" }.joined()
    }

    /// Parses the 15 or 16 object columns of `record`, starting at `firstColumn`.
    init(_ record: TextRecord, firstColumn c: Int) throws(ReadError) {
        let size = Size3(
            length: try record.double(c + 10, "l"), width: try record.double(c + 9, "w"),
            height: try record.double(c + 8, "h"))
        self.init(
            type: String(record.fields[c]),
            truncated: try record.double(c + 1, "truncated"),
            occluded: try record.integer(c + 2, "occluded"),
            alpha: try record.double(c + 3, "alpha"),
            imageBox: PixelRectangle(
                left: try record.double(c + 4, "left"), top: try record.double(c + 5, "top"),
                right: try record.double(c + 6, "right"), bottom: try record.double(c + 7, "bottom")),
            box: KITTIBox3D(
                size: size, bottomCenter: SIMD3(try record.doubles((c + 11)..<(c + 14), "location")),
                rotationY: try record.double(c + 14, "rotation_y")),
            score: record.fields.count > c + 15 ? try record.double(c + 15, "score") : nil)
    }

    /// The object's columns as text, in KITTI order.
    var columns: [String] {
        var columns = [type, exactText(truncated), String(occluded), exactText(alpha)]
        columns += [imageBox.left, imageBox.top, imageBox.right, imageBox.bottom].map(exactText)
        columns += [box.size.height, box.size.width, box.size.length].map(exactText)
        columns += [box.bottomCenter.x, box.bottomCenter.y, box.bottomCenter.z, box.rotationY].map(exactText)
        if let score { columns.append(exactText(score)) }
        return columns
    }
}

extension SIMD3 where Scalar == Double {
    init(_ values: [Double]) {
        precondition(values.count == 3)
        self.init(values[0], values[1], values[2])
    }
}
