import FusionGeometry
import FusionIO

extension Camera {
    /// A rectified KITTI camera (2 = left colour) looking from the Velodyne:
    /// `P_i · R0_rect · Tr_velo_to_cam` factored as `K · [I | b] · rectifiedCameraFromLidar`, where the
    /// baseline `b = K⁻¹ · P_i[:, 3]` (metres) moves the rectified camera 0 frame to camera i.
    /// KITTI images are rectified: no distortion.
    /// - Parameter imageSize: KITTI's calibration files do not hold it (it differs between drives).
    /// - Throws: `CalibrationError` when `P_i`'s left 3×3 is not a pinhole K.
    public init(kitti calibration: KITTICalibration, cameraIndex: Int = 2, imageSize: ImageSize)
        throws(CalibrationError)
    {
        precondition((0..<4).contains(cameraIndex), "KITTI has cameras 0...3")
        let projection = calibration.projections[cameraIndex]
        guard let intrinsics = PinholeIntrinsics(cameraMatrix: projection.linearPart, tolerance: 1e-6) else {
            throw CalibrationError(
                source: "KITTI P\(cameraIndex)",
                message: "the left 3×3 of the projection matrix is not a pinhole camera matrix K")
        }
        // K⁻¹ · p for an upper-triangular K without skew.
        let p = projection.lastColumn
        let bz = p.z
        let baseline = SIMD3((p.x - intrinsics.cx * bz) / intrinsics.fx, (p.y - intrinsics.cy * bz) / intrinsics.fy, bz)
        self.init(
            name: "image_\(cameraIndex)", intrinsics: intrinsics, imageSize: imageSize,
            cameraFromLidar: RigidTransform(translation: baseline) * calibration.rectifiedCameraFromLidar)
    }

    /// A SUSTech POINTS camera (`calib/camera/<name>.json`): K and the LiDAR → camera extrinsic; the
    /// dataset gives no distortion.
    public init(sustech calibration: SUSTechPOINTS.CameraCalibration, name: String, imageSize: ImageSize)
        throws(CalibrationError)
    {
        guard let intrinsics = PinholeIntrinsics(cameraMatrix: calibration.cameraMatrix, tolerance: 1e-6) else {
            throw CalibrationError(
                source: "SUSTech camera \(name)", message: "the intrinsic matrix is not a pinhole camera matrix K")
        }
        self.init(
            name: name, intrinsics: intrinsics, imageSize: imageSize, cameraFromLidar: calibration.cameraFromLidar)
    }

    /// A camera of a FusionLabel scene manifest.
    public init(manifest camera: SceneManifest.Camera) throws(CalibrationError) {
        let source = "scene camera \(camera.name)"
        guard camera.fx > 0, camera.fy > 0, camera.fx.isFinite, camera.fy.isFinite, camera.cx.isFinite,
            camera.cy.isFinite
        else {
            throw CalibrationError(
                source: source, message: "focal lengths must be positive and finite, the principal point finite")
        }
        guard camera.width > 0, camera.height > 0 else {
            throw CalibrationError(source: source, message: "the image size \(camera.width)×\(camera.height) is empty")
        }
        let distortion = try LensDistortion(model: camera.lens, coefficients: camera.distortion, source: source)
        self.init(
            name: camera.name,
            intrinsics: PinholeIntrinsics(fx: camera.fx, fy: camera.fy, cx: camera.cx, cy: camera.cy),
            distortion: distortion, imageSize: ImageSize(width: camera.width, height: camera.height),
            cameraFromLidar: camera.cameraFromLidar)
    }
}

extension LensDistortion {
    /// A lens from a model name and OpenCV's coefficient list.
    init(model: SceneManifest.LensModel, coefficients: [Double], source: String) throws(CalibrationError) {
        switch model {
        case .pinhole:
            guard let distortion = LensDistortion(openCVPinholeCoefficients: coefficients) else {
                throw CalibrationError(
                    source: source,
                    message:
                        "a pinhole lens takes 0, 4, 5 or 8 finite coefficients (k1 k2 p1 p2 [k3 [k4 k5 k6]]), not \(coefficients.count)"
                )
            }
            self = distortion
        case .fisheye:
            guard coefficients.count == 4, coefficients.allSatisfy(\.isFinite) else {
                throw CalibrationError(
                    source: source,
                    message:
                        "a fisheye lens takes exactly 4 finite coefficients (k1 k2 k3 k4), not \(coefficients.count)")
            }
            self = .fisheye(
                FisheyeCoefficients(k1: coefficients[0], k2: coefficients[1], k3: coefficients[2], k4: coefficients[3]))
        }
    }
}

extension CameraRig {
    /// The cameras of a FusionLabel scene, in manifest order.
    public init(scene manifest: SceneManifest) throws(CalibrationError) {
        var cameras: [Camera] = []
        for camera in manifest.cameras { cameras.append(try Camera(manifest: camera)) }
        self.init(cameras)
    }

    /// The camera streams of an OpenLABEL document that carry `intrinsics_pinhole`, each placed by the
    /// coordinate system of the same name (OpenLABEL's convention for sensor frames), relative to
    /// `lidarCoordinateSystem`. Streams are taken in name order.
    /// - Throws: `CalibrationError` when a camera has no coordinate system or no chain of poses joins
    ///   it to the LiDAR's.
    public init(openLABEL document: OpenLABELDocument, lidarCoordinateSystem: String = "lidar") throws(CalibrationError)
    {
        let rootFromLidar = try Self.rootPose(of: lidarCoordinateSystem, in: document)
        var cameras: [Camera] = []
        for (name, stream) in document.streams.sorted(by: { $0.key < $1.key }) {
            guard stream.type == .camera, let pinhole = stream.intrinsics else { continue }
            let source = "OpenLABEL stream \(name)"
            guard let intrinsics = PinholeIntrinsics(cameraMatrix: pinhole.cameraMatrix.linearPart, tolerance: 1e-6),
                pinhole.cameraMatrix.lastColumn == .zero
            else {
                throw CalibrationError(source: source, message: "camera_matrix is not K with a zero fourth column")
            }
            let distortion = try LensDistortion(model: .pinhole, coefficients: pinhole.distortion, source: source)
            let rootFromCamera = try Self.rootPose(of: name, in: document)
            guard rootFromCamera.root == rootFromLidar.root else {
                throw CalibrationError(
                    source: source, message: "no chain of coordinate systems joins \(name) to \(lidarCoordinateSystem)")
            }
            cameras.append(
                Camera(
                    name: name, intrinsics: intrinsics, distortion: distortion,
                    imageSize: ImageSize(width: pinhole.width, height: pinhole.height),
                    cameraFromLidar: rootFromCamera.pose.inverse * rootFromLidar.pose))
        }
        self.init(cameras)
    }

    /// `rootFromSystem` by walking `poseInParent` (parentFromChild) up to a root.
    private static func rootPose(of system: String, in document: OpenLABELDocument) throws(CalibrationError) -> (
        root: String, pose: RigidTransform
    ) {
        var pose = RigidTransform.identity
        var current = system
        var visited: Set<String> = []
        while true {
            guard let coordinateSystem = document.coordinateSystems[current] else {
                throw CalibrationError(
                    source: "OpenLABEL coordinate system \(current)", message: "not declared in coordinate_systems")
            }
            guard visited.insert(current).inserted else {
                throw CalibrationError(
                    source: "OpenLABEL coordinate system \(system)", message: "its parents form a cycle")
            }
            guard !coordinateSystem.parent.isEmpty else { return (current, pose) }
            guard let parentFromCurrent = coordinateSystem.poseInParent else {
                throw CalibrationError(
                    source: "OpenLABEL coordinate system \(current)", message: "has a parent but no pose_wrt_parent")
            }
            pose = parentFromCurrent * pose
            current = coordinateSystem.parent
        }
    }
}
