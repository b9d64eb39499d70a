import Foundation
import FusionIO
import FusionRecording

/// Turns a ROS recording (MCAP, rosbag2 folder) into a scene folder: one frame per LiDAR sweep, each
/// paired with the nearest image of every camera within a tolerance, cameras from `CameraInfo`,
/// extrinsics and ego poses from `/tf_static` and `/tf` looked up at the sweeps' own stamps.
///
/// Two passes over the recording keep memory bounded by one message: the first reads stamps,
/// camera infos and transforms; the second writes sweeps (binary PCD) and the paired images (PNG,
/// or the recorded JPEG/PNG bytes unchanged). The scene is written into a temporary folder next to
/// the target and renamed when complete.
public enum BagImport {
    /// A camera: its image topic and, optionally, its `CameraInfo` topic.
    public struct CameraTopics: Equatable, Sendable {
        public var image: String
        public var info: String?

        public init(image: String, info: String? = nil) {
            self.image = image
            self.info = info
        }

        /// The scene's name for the camera: the image topic without a trailing `compressed` and
        /// `image_raw`/`image_rect`/`image_color`/`image`, its parts joined by `_`
        /// (`/cam_front/image_raw/compressed` → `cam_front`).
        public var cameraName: String {
            var parts = image.split(separator: "/").map(String.init)
            if parts.last == "compressed" { parts.removeLast() }
            if let last = parts.last, parts.count > 1,
                ["image_raw", "image_rect", "image_rect_color", "image_color", "image"].contains(last)
            {
                parts.removeLast()
            }
            return parts.joined(separator: "_")
        }
    }

    public struct Options: Sendable {
        public var lidarTopic: String
        public var cameras: [CameraTopics]
        /// The largest gap between a sweep's stamp and its image's stamp, seconds.
        public var tolerance: Double
        /// The vehicle frame (`base_link`): `egoFromLidar` is looked up from it. Nil: the LiDAR's own frame.
        public var egoFrame: String?
        /// The world frame (`odom`, `map`): each frame's `worldFromEgo` is looked up at its stamp. Nil: no poses.
        public var worldFrame: String?

        public init(
            lidarTopic: String, cameras: [CameraTopics] = [], tolerance: Double = 0.05, egoFrame: String? = nil,
            worldFrame: String? = nil
        ) {
            self.lidarTopic = lidarTopic
            self.cameras = cameras
            self.tolerance = tolerance
            self.egoFrame = egoFrame
            self.worldFrame = worldFrame
        }
    }

    /// What the import did, pair by pair.
    public struct Report: Codable, Equatable, Sendable {
        public struct Pair: Codable, Equatable, Sendable {
            public var frame: Int
            public var camera: String
            /// Image stamp minus sweep stamp, milliseconds.
            public var offsetMilliseconds: Double
        }

        public var scene: String
        public var frames: Int
        public var cameras: [String]
        public var pairs: [Pair]
        /// Sweeps with no image within the tolerance, per camera.
        public var unpaired: [String: Int]
        /// Points dropped for a non-finite coordinate (an organized cloud's missing returns).
        public var droppedPoints: Int
        /// Topics skipped and why.
        public var notes: [String]
    }

    public enum Failure: Error, CustomStringConvertible, Sendable {
        case read(ReadError)
        case write(WriteError)
        /// The recording lacks what the scene needs (a topic, a transform, a camera info).
        case incomplete(String)

        public var description: String {
            switch self {
            case .read(let error): error.description
            case .write(let error): error.description
            case .incomplete(let message): message
            }
        }
    }

    /// Imports `recording` into a new scene folder at `folder` (which must not exist yet).
    public static func run(_ recording: Recording, options: Options, to folder: String) throws(Failure) -> Report {
        let plan = try BagImportPlan.make(
            recording, options: options, sceneName: URL(fileURLWithPath: folder).lastPathComponent)
        var report = plan.report
        report.droppedPoints = try BagImportWriter.write(plan, recording: recording, to: folder)
        return report
    }
}
