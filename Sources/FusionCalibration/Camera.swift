import FusionGeometry

/// A calibrated camera: lens model, image size and where it sits relative to the LiDAR.
///
/// Camera frame (OpenCV): x right, y down, z forward (metres). `cameraFromLidar` takes LiDAR-frame points
/// (x forward, y left, z up) into it.
public struct Camera: Hashable, Sendable {
    /// The sensor's name in its scene ("front", "image_2", "CAM_FRONT").
    public var name: String
    public var intrinsics: PinholeIntrinsics
    public var distortion: LensDistortion
    public var imageSize: ImageSize
    public var cameraFromLidar: RigidTransform
    /// Points closer than this in front of the camera (camera z, metres) count as behind it: projection
    /// is numerically wild near the lens plane, and cuboid edges are clipped here.
    var nearPlane: Double

    public init(
        name: String, intrinsics: PinholeIntrinsics, distortion: LensDistortion = .none, imageSize: ImageSize,
        cameraFromLidar: RigidTransform, nearPlane: Double = 0.1
    ) {
        precondition(nearPlane > 0, "the near plane lies in front of the camera")
        self.name = name
        self.intrinsics = intrinsics
        self.distortion = distortion
        self.imageSize = imageSize
        self.cameraFromLidar = cameraFromLidar
        self.nearPlane = nearPlane
    }

    /// The camera's position in the LiDAR frame (metres).
    public var lidarPosition: SIMD3<Double> { cameraFromLidar.inverse.translation }
}

/// The cameras of one vehicle, in a fixed order.
public struct CameraRig: Hashable, Sendable {
    public var cameras: [Camera]

    public init(_ cameras: [Camera]) {
        self.cameras = cameras
    }

    /// The camera with this name, if any.
    public subscript(name: String) -> Camera? {
        cameras.first { $0.name == name }
    }
}
