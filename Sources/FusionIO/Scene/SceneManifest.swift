import Foundation
import FusionGeometry

/// The description of a recorded scene: its sensors and their calibration, its frames (timestamps,
/// ego poses, data files) and its label files. Stored as `scene.json` in the scene folder; every
/// file is named by a path relative to that folder, and a path that leaves the folder is refused.
///
/// Frames: the LiDAR frame is x forward, y left, z up; the ego (vehicle) frame likewise; cameras
/// are x right, y down, z forward. Transforms are written as a unit quaternion `{w, x, y, z}` and a
/// translation `{x, y, z}` in metres, named `targetFromSource`.
public struct SceneManifest: Equatable, Sendable {
    /// The manifest's file name inside a scene folder.
    public static let fileName = "scene.json"
    public static let formatName = "fusionlabel.scene"
    static let formatVersion = 1

    public struct Lidar: Equatable, Sendable {
        public var name: String
        public var egoFromLidar: RigidTransform

        public init(name: String, egoFromLidar: RigidTransform = .identity) {
            self.name = name
            self.egoFromLidar = egoFromLidar
        }
    }

    /// Lens models of a camera.
    public enum LensModel: String, Codable, Sendable {
        /// Pinhole with OpenCV's Brown–Conrady coefficients k1 k2 p1 p2 [k3 [k4 k5 k6]] (or none).
        case pinhole
        /// OpenCV's equidistant fisheye model, k1 k2 k3 k4.
        case fisheye
    }

    public struct Camera: Equatable, Sendable {
        public var name: String
        /// Image size in pixels.
        public var width: Int
        public var height: Int
        /// Focal lengths and principal point, pixels.
        public var fx: Double
        public var fy: Double
        public var cx: Double
        public var cy: Double
        public var lens: LensModel
        public var distortion: [Double]
        public var cameraFromLidar: RigidTransform

        public init(
            name: String, width: Int, height: Int, fx: Double, fy: Double, cx: Double, cy: Double,
            lens: LensModel = .pinhole, distortion: [Double] = [], cameraFromLidar: RigidTransform
        ) {
            self.name = name
            self.width = width
            self.height = height
            self.fx = fx
            self.fy = fy
            self.cx = cx
            self.cy = cy
            self.lens = lens
            self.distortion = distortion
            self.cameraFromLidar = cameraFromLidar
        }

        /// K as a 3×3 matrix.
        public var cameraMatrix: Matrix3x3 {
            Matrix3x3(rows: SIMD3(fx, 0, cx), SIMD3(0, fy, cy), SIMD3(0, 0, 1))
        }
    }

    /// A radar: its name and its mounting. Its frame is x forward (boresight), y left, z up.
    public struct Radar: Equatable, Sendable {
        public var name: String
        public var radarFromLidar: RigidTransform

        public init(name: String, radarFromLidar: RigidTransform) {
            self.name = name
            self.radarFromLidar = radarFromLidar
        }
    }

    public struct Frame: Equatable, Sendable {
        /// Position in the scene, from 0.
        public var index: Int
        /// Seconds (any epoch; strictly increasing across frames).
        public var timestamp: Double
        /// The sweep, relative to the scene folder (`.pcd` or KITTI `.bin`).
        public var lidar: String
        /// Images by camera name, relative to the scene folder.
        public var images: [String: String]
        /// Radar scans (PCD) by radar name, relative to the scene folder.
        public var radar: [String: String]
        /// The ego pose, when known.
        public var worldFromEgo: RigidTransform?

        public init(
            index: Int, timestamp: Double, lidar: String, images: [String: String] = [:], radar: [String: String] = [:],
            worldFromEgo: RigidTransform? = nil
        ) {
            self.index = index
            self.timestamp = timestamp
            self.lidar = lidar
            self.images = images
            self.radar = radar
            self.worldFromEgo = worldFromEgo
        }
    }

    public var name: String
    public var description: String?
    public var lidar: Lidar
    public var cameras: [Camera]
    public var radars: [Radar]
    public var frames: [Frame]
    /// Label files (OpenLABEL), relative to the scene folder.
    public var labels: [String]

    public init(
        name: String, description: String? = nil, lidar: Lidar, cameras: [Camera] = [], radars: [Radar] = [],
        frames: [Frame],
        labels: [String] = []
    ) {
        self.name = name
        self.description = description
        self.lidar = lidar
        self.cameras = cameras
        self.radars = radars
        self.frames = frames
        self.labels = labels
    }

    /// Every file the manifest names, with the JSON path that names it.
    var referencedFiles: [(jsonPath: String, relativePath: String)] {
        var files: [(String, String)] = []
        for (position, frame) in frames.enumerated() {
            files.append(("frames[\(position)].lidar", frame.lidar))
            for camera in frame.images.keys.sorted() {
                files.append(("frames[\(position)].images.\(camera)", frame.images[camera]!))
            }
            for radar in frame.radar.keys.sorted() {
                files.append(("frames[\(position)].radar.\(radar)", frame.radar[radar]!))
            }
        }
        for (position, label) in labels.enumerated() { files.append(("labels[\(position)]", label)) }
        return files
    }
}
