/// One row of a KITTI tracking label or result file (`label_02/<sequence>.txt`):
/// `frame track_id type truncated occluded alpha left top right bottom h w l x y z rotation_y [score]`.
/// DontCare rows have track id -1.
public struct KITTITrackedObject: Equatable, Sendable {
    public var frame: Int
    public var trackID: Int
    public var object: KITTIObject

    public init(frame: Int, trackID: Int, object: KITTIObject) {
        self.frame = frame
        self.trackID = trackID
        self.object = object
    }

    /// Reads a tracking label or result file.
    public static func read(contentsOf path: String) throws(ReadError) -> [KITTITrackedObject] {
        try parse(try FileAccess.text(of: path), file: path)
    }

    /// Parses tracking rows: 17 columns, or 18 with a score.
    public static func parse(_ text: String, file: String = "<memory>") throws(ReadError) -> [KITTITrackedObject] {
        var rows: [KITTITrackedObject] = []
        for record in TextRecord.records(in: text, file: file) {
            try record.expectCount([17, 18], format: "a KITTI tracking row")
            let frame = try record.integer(0, "frame")
            guard frame >= 0 else { throw record.error("expected a non-negative frame number, found \(frame)") }
            rows.append(
                KITTITrackedObject(
                    frame: frame, trackID: try record.integer(1, "track_id"),
                    object: try KITTIObject(record, firstColumn: 2)))
        }
        return rows
    }

    /// Tracking text, one row per object, numbers written so that they read back exactly.
    public static func text(for rows: [KITTITrackedObject]) -> String {
        rows.map { ([String($0.frame), String($0.trackID)] + $0.object.columns).joined(separator: " ") + "\n" }.joined()
    }
}
