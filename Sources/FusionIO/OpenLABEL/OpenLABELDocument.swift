import Foundation
import FusionGeometry

/// An ASAM OpenLABEL 1.0 annotation file: the parts FusionLabel reads and writes.
///
/// Covered: metadata, coordinate systems with `pose_wrt_parent`, streams (camera
/// `intrinsics_pinhole`, lidar, radar), objects, and frames holding cuboids (with numeric, text and
/// boolean attributes), a timestamp and per-frame transforms (ego poses). What is written validates
/// against the OpenLABEL 1.0.0 JSON schema.
///
/// OpenLABEL conventions, converted at the file boundary: a cuboid is `(x, y, z, qx, qy, qz, qw,
/// sx, sy, sz)`: centre, quaternion **scalar last**, sizes along the box's x y z (= length, width,
/// height). Nine-value cuboids `(x, y, z, rx, ry, rz, sx, sy, sz)` are read with
/// `R = Rz(rz) · Ry(ry) · Rx(rx)`; this writer always writes ten. `pose_wrt_parent` is the pose of
/// a coordinate system in its parent, i.e. `parentFromChild`.
public struct OpenLABELDocument: Equatable, Sendable {
    public struct Metadata: Equatable, Sendable {
        public var name: String?
        public var annotator: String?
        public var comment: String?
        var fileVersion: String?

        public init(name: String? = nil, annotator: String? = nil, comment: String? = nil, fileVersion: String? = nil) {
            self.name = name
            self.annotator = annotator
            self.comment = comment
            self.fileVersion = fileVersion
        }
    }

    public struct CoordinateSystem: Equatable, Sendable {
        /// `scene_cs`, `local_cs`, `sensor_cs`, `geo`, ... (free text in OpenLABEL).
        public var type: String
        /// The parent's name, empty for a root.
        public var parent: String
        public var children: [String]
        /// `parentFromThis`: maps coordinates in this system into the parent's. Nil at a root.
        public var poseInParent: RigidTransform?

        public init(type: String, parent: String = "", children: [String] = [], poseInParent: RigidTransform? = nil) {
            self.type = type
            self.parent = parent
            self.children = children
            self.poseInParent = poseInParent
        }
    }

    public enum StreamType: String, Sendable {
        case camera, lidar, radar, gpsIMU = "gps_imu", other
    }

    /// Pinhole camera intrinsics as OpenLABEL stores them.
    public struct PinholeIntrinsics: Equatable, Sendable {
        /// 3×4 `[K | 0]`, camera frame x right, y down, z forward → pixels.
        public var cameraMatrix: Matrix3x4
        /// OpenCV order: k1 k2 p1 p2 [k3 [k4 k5 k6 ...]]; empty for none.
        public var distortion: [Double]
        public var width: Int
        public var height: Int

        public init(cameraMatrix: Matrix3x4, distortion: [Double] = [], width: Int, height: Int) {
            self.cameraMatrix = cameraMatrix
            self.distortion = distortion
            self.width = width
            self.height = height
        }
    }

    public struct Stream: Equatable, Sendable {
        public var type: StreamType
        public var uri: String?
        public var description: String?
        public var intrinsics: PinholeIntrinsics?

        public init(
            type: StreamType, uri: String? = nil, description: String? = nil, intrinsics: PinholeIntrinsics? = nil
        ) {
            self.type = type
            self.uri = uri
            self.description = description
            self.intrinsics = intrinsics
        }
    }

    /// A labelled thing across frames; its uid (the key in `objects`) is its track identity.
    public struct Object: Equatable, Sendable {
        public var name: String
        /// The class, e.g. `Car`.
        public var type: String

        public init(name: String, type: String) {
            self.name = name
            self.type = type
        }
    }

    /// Named scalar attributes attached to a cuboid (scores, point counts, flags, provenance).
    public struct Attributes: Equatable, Sendable {
        public var numbers: [String: Double]
        public var texts: [String: String]
        var booleans: [String: Bool]

        public init(numbers: [String: Double] = [:], texts: [String: String] = [:], booleans: [String: Bool] = [:]) {
            self.numbers = numbers
            self.texts = texts
            self.booleans = booleans
        }

        public var isEmpty: Bool { numbers.isEmpty && texts.isEmpty && booleans.isEmpty }
    }

    /// One cuboid of an object in one frame.
    public struct CuboidLabel: Equatable, Sendable {
        /// The object-data name, e.g. `box3d`.
        public var name: String
        /// The coordinate system the box is expressed in.
        public var coordinateSystem: String?
        public var cuboid: Cuboid
        public var attributes: Attributes

        public init(
            name: String = "box3d", coordinateSystem: String? = nil, cuboid: Cuboid,
            attributes: Attributes = Attributes()
        ) {
            self.name = name
            self.coordinateSystem = coordinateSystem
            self.cuboid = cuboid
            self.attributes = attributes
        }
    }

    /// A transform valid in one frame, such as an ego pose.
    public struct FrameTransform: Equatable, Sendable {
        public var source: String
        var destination: String
        /// `destinationFromSource`.
        public var transform: RigidTransform

        public init(source: String, destination: String, transform: RigidTransform) {
            self.source = source
            self.destination = destination
            self.transform = transform
        }
    }

    public struct Frame: Equatable, Sendable {
        /// Seconds.
        public var timestamp: Double?
        /// Cuboids by object uid.
        public var objects: [String: [CuboidLabel]]
        public var transforms: [String: FrameTransform]

        public init(
            timestamp: Double? = nil, objects: [String: [CuboidLabel]] = [:], transforms: [String: FrameTransform] = [:]
        ) {
            self.timestamp = timestamp
            self.objects = objects
            self.transforms = transforms
        }
    }

    public var metadata: Metadata
    public var coordinateSystems: [String: CoordinateSystem]
    public var streams: [String: Stream]
    /// By uid: a non-negative integer or a UUID, as text.
    public var objects: [String: Object]
    /// By frame number.
    public var frames: [Int: Frame]

    public init(
        metadata: Metadata = Metadata(), coordinateSystems: [String: CoordinateSystem] = [:],
        streams: [String: Stream] = [:], objects: [String: Object] = [:], frames: [Int: Frame] = [:]
    ) {
        self.metadata = metadata
        self.coordinateSystems = coordinateSystems
        self.streams = streams
        self.objects = objects
        self.frames = frames
    }

    /// The frames in which object `uid` has data, as closed intervals (OpenLABEL's `frame_intervals`).
    func frameIntervals(of uid: String) -> [ClosedRange<Int>] {
        let frameNumbers = frames.keys.sorted().filter { frames[$0]!.objects[uid] != nil }
        var intervals: [ClosedRange<Int>] = []
        for number in frameNumbers {
            if let last = intervals.last, last.upperBound + 1 == number {
                intervals[intervals.count - 1] = last.lowerBound...number
            } else {
                intervals.append(number...number)
            }
        }
        return intervals
    }
}
