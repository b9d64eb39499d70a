import FusionCalibration

/// What `Inspection` found in a file or scene folder: the facts `fusionlabel inspect` prints.
/// Codable so the CLI can print it as JSON (`--json`); absent parts are omitted.
public struct InspectionReport: Codable, Equatable, Sendable {
    /// What the input turned out to be.
    public enum Kind: String, Codable, Sendable {
        case pcd, kittiVelodyne = "kitti-velodyne", kittiCalibration = "kitti-calibration"
        case kittiLabels = "kitti-labels", kittiTracking = "kitti-tracking", openLABEL = "openlabel"
        case sustechLabels = "sustech-labels", sustechCalibration = "sustech-calibration", scene
        case mcap, rosbag2, ros1Bag = "ros1-bag"
    }

    public struct Points: Codable, Equatable, Sendable {
        public var count: Int
        /// Attribute names besides x y z.
        public var attributes: [String]
        /// PCD encoding, for PCD files.
        public var encoding: String?
        /// Width × height of an organized cloud.
        public var organized: [Int]?
        public var nonFinite: Int
        /// Smallest and largest finite value of each numeric attribute (colours excluded).
        var attributeRanges: [String: [Double]]
        /// Axis-aligned bounds of the finite points: [x, y, z] each, metres.
        public var minimum: [Float]?
        public var maximum: [Float]?
    }

    public struct Labels: Codable, Equatable, Sendable {
        public var boxes: Int
        public var byClass: [String: Int]
        /// Distinct track (object) ids, where the format has them.
        public var tracks: Int?
        /// Frames holding labels, where the format has frames.
        public var frames: Int?
    }

    public struct Camera: Codable, Equatable, Sendable {
        public var name: String
        /// Pixels, where known.
        public var width: Int?
        public var height: Int?
        public var fx: Double
        public var fy: Double
        public var cx: Double
        public var cy: Double
    }

    public struct SceneSummary: Codable, Equatable, Sendable {
        public var name: String
        public var frames: Int
        /// Seconds from the first to the last frame.
        public var duration: Double
        var hasEgoPoses: Bool
        public var lidar: String
        var labelFiles: [String]
    }

    /// A ROS recording: its topics and time span.
    public struct RecordingSummary: Codable, Equatable, Sendable {
        public struct Topic: Codable, Equatable, Sendable {
            public var topic: String
            public var type: String
            public var messageEncoding: String
            public var messageCount: Int
            /// Log times of the first and last message, seconds.
            public var startTime: Double
            var endTime: Double
            /// Messages per second.
            public var rate: Double
            /// With `--decode`: messages decoded (0 for a topic whose schema is not read).
            public var decoded: Int?
            /// With `--decode`, for point clouds: points with finite coordinates, over all messages.
            public var points: Int?
        }

        /// The MCAP files, in recording order.
        public var files: [String]
        public var topics: [Topic]
        /// Log time of the first and last message, seconds.
        public var startTime: Double?
        var endTime: Double?
        /// With `--decode`: wall-clock seconds the decoding pass took (reading, decompressing, decoding).
        var decodeSeconds: Double?
    }

    public var path: String
    public var kind: Kind
    public var points: Points?
    public var labels: Labels?
    public var cameras: [Camera]?
    public var scene: SceneSummary?
    public var recording: RecordingSummary?
}
