import FusionGeometry
import FusionIO

/// The labelled objects of one sequence, frame by frame, with boxes in the LiDAR frame.
public struct TrackingSequence: Sendable {
    /// One labelled box.
    public struct Object: Sendable, Equatable {
        public var trackID: Int
        public var objectClass: String
        public var box: Cuboid
        /// KITTI's fields, kept for the evaluation's ignore rules.
        public var truncation: Double
        public var occlusion: Int
        public var isDontCare: Bool
    }

    public var name: String
    /// Indexed by frame number, from 0 to the last labelled frame.
    public var frames: [[Object]]

    /// A KITTI tracking sequence: `label_02/<name>.txt` and `calib/<name>.txt` under `folder`.
    /// - Throws: `ReadError` for missing or malformed files.
    public static func kitti(folder: String, sequence name: String) throws(ReadError) -> TrackingSequence {
        let calibration = try KITTICalibration.read(contentsOf: "\(folder)/calib/\(name).txt")
        let lidarFromCamera = calibration.rectifiedCameraFromLidar.inverse
        let rows = try KITTITrackedObject.read(contentsOf: "\(folder)/label_02/\(name).txt")
        var frames = [[Object]](repeating: [], count: (rows.map(\.frame).max() ?? -1) + 1)
        for row in rows {
            frames[row.frame].append(
                Object(
                    trackID: row.trackID, objectClass: row.object.type,
                    box: row.object.box.cuboid(lidarFromRectifiedCamera: lidarFromCamera),
                    truncation: row.object.truncated, occlusion: row.object.occluded, isDontCare: row.object.isDontCare)
            )
        }
        return TrackingSequence(name: name, frames: frames)
    }
}
