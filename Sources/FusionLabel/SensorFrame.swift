import Foundation
import FusionCalibration
import FusionGeometry
import FusionIO

/// One moment of a recording, whatever dataset it comes from: the LiDAR sweep, the calibrated cameras
/// with their images (when the dataset has them), and the labelled boxes, all in the LiDAR frame.
public struct SensorFrame: Sendable {
    /// A labelled box with what identifies it.
    public struct Label: Sendable {
        /// Class name as the source spells it (Car, Pedestrian, ...).
        public var type: String
        /// Track or object id, when the source has one.
        public var id: String?
        /// LiDAR frame.
        public var box: Cuboid
    }

    /// Where the frame comes from and which one it is.
    public enum Source: Sendable {
        /// A FusionLabel scene folder (scene.json) and a frame index.
        case scene(folder: String, frameIndex: Int)
        /// A KITTI object folder (calib/, velodyne/, image_2/, label_2/) and a frame id ("000001").
        case kittiObject(folder: String, frame: String)
        /// A SUSTech POINTS scene folder (lidar/, camera/<name>/, calib/camera/, label/) and a frame id.
        case sustechPOINTS(folder: String, frame: String)
        /// One sweep file with no cameras or labels: a PCD file, or a `.bin` in KITTI's Velodyne
        /// layout (x y z reflectance, float32).
        case lidarFile(path: String)
    }

    public var name: String
    public var sweep: PointCloud
    public var rig: CameraRig
    /// One per camera of `rig`, nil where the dataset has no image for it.
    public var images: [RGBImage?]
    /// One per camera: the extrinsic matrix as the dataset's file holds it, and what the dataset's
    /// convention chains after it to reach the camera (`cameraFromLidar = outer · matrix`). What a
    /// calibration check examines.
    public var extrinsicMatrices: [(matrix: ExtrinsicMatrix, outer: RigidTransform)]
    public var labels: [Label]

    /// Loads a frame.
    /// - Throws: `ReadError` for missing or malformed files, `CalibrationError` for unusable calibrations.
    public static func load(_ source: Source) throws -> SensorFrame {
        switch source {
        case .scene(let folder, let frameIndex): return try loadScene(folder: folder, frameIndex: frameIndex)
        case .kittiObject(let folder, let frame): return try loadKITTI(folder: folder, frame: frame)
        case .sustechPOINTS(let folder, let frame): return try loadSUSTech(folder: folder, frame: frame)
        case .lidarFile(let path):
            return SensorFrame(
                name: URL(fileURLWithPath: path).lastPathComponent, sweep: try readSweep(path), rig: CameraRig([]),
                images: [],
                extrinsicMatrices: [], labels: [])
        }
    }

    /// A sweep file: KITTI's Velodyne layout for `.bin`, else PCD (with SUSTech POINTS' misdescribed
    /// header corrected; other headers are left alone).
    /// - Throws: `ReadError` for a missing or malformed file.
    static func readSweep(_ path: String) throws(ReadError) -> PointCloud {
        try readSweep(try FileAccess.contents(of: path), file: path)
    }

    /// As `readSweep(_:)`, from the file's bytes.
    static func readSweep(_ bytes: Data, file path: String) throws(ReadError) -> PointCloud {
        if path.hasSuffix(".bin") { return try KITTIVelodyne.read(bytes, file: path) }
        return try PCDReader.read(bytes, file: path, adjustingHeader: SUSTechPOINTS.correctMisdescribedHeader).cloud
    }

    private static func loadScene(folder: String, frameIndex: Int) throws -> SensorFrame {
        let scene = try Scene.open(folder)
        guard let frame = scene.manifest.frames.first(where: { $0.index == frameIndex }) else {
            throw ReadError(
                file: folder + "/" + SceneManifest.fileName, location: .jsonPath("frames"),
                message: "no frame with index \(frameIndex) (the scene has \(scene.manifest.frames.map(\.index)))")
        }
        let rig = try CameraRig(scene: scene.manifest)
        var images: [RGBImage?] = []
        for camera in rig.cameras {
            images.append(try frame.images[camera.name].map { try RGBImage.read(contentsOf: try scene.resolve($0)) })
        }
        var labels: [Label] = []
        for document in try scene.labelDocuments() {
            for (uid, objectLabels) in (document.frames[frameIndex]?.objects ?? [:]).sorted(by: { $0.key < $1.key }) {
                let type = document.objects[uid]?.type ?? "unknown"
                labels += objectLabels.map { Label(type: type, id: uid, box: $0.cuboid) }
            }
        }
        return SensorFrame(
            name: "\(scene.manifest.name) frame \(frameIndex)", sweep: try scene.lidarSweep(of: frame),
            rig: rig, images: images,
            extrinsicMatrices: rig.cameras.map { (ExtrinsicMatrix($0.cameraFromLidar), .identity) },
            labels: labels)
    }

    /// Image sizes assumed when a dataset's image is not there: KITTI's usual 1242×375 and
    /// SUSTech POINTS' 2048×1536.
    public static let kittiImageSize = ImageSize(width: 1242, height: 375)
    static let sustechImageSize = ImageSize(width: 2048, height: 1536)

    /// A frame's cameras from its calibration alone, without reading any image (sizes as the
    /// images would give them for scenes, the datasets' usual sizes for KITTI and SUSTech).
    static func cameraRig(of source: Source) throws -> CameraRig {
        switch source {
        case .scene(let folder, _):
            return try CameraRig(scene: try Scene.open(folder).manifest)
        case .kittiObject(let folder, let frame):
            return CameraRig([
                try Camera(
                    kitti: try KITTICalibration.read(contentsOf: "\(folder)/calib/\(frame).txt"),
                    imageSize: kittiImageSize)
            ])
        case .sustechPOINTS(let folder, _):
            return CameraRig(
                try sustechCameraNames(folder: folder).map { name in
                    try Camera(
                        sustech: try SUSTechPOINTS.readCameraCalibration(
                            contentsOf: "\(folder)/calib/camera/\(name).json"), name: name,
                        imageSize: sustechImageSize)
                })
        case .lidarFile:
            return CameraRig([])
        }
    }

    /// The cameras of a SUSTech POINTS scene: the names of `calib/camera/*.json`, sorted.
    private static func sustechCameraNames(folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(folder)/calib/camera")) ?? [])
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    private static func loadKITTI(folder: String, frame: String) throws -> SensorFrame {
        let calibration = try KITTICalibration.read(contentsOf: "\(folder)/calib/\(frame).txt")
        let imagePath = "\(folder)/image_2/\(frame).png"
        let image = FileManager.default.fileExists(atPath: imagePath) ? try RGBImage.read(contentsOf: imagePath) : nil
        let camera = try Camera(kitti: calibration, imageSize: image?.size ?? kittiImageSize)
        let labelPath = "\(folder)/label_2/\(frame).txt"
        var labels: [Label] = []
        if FileManager.default.fileExists(atPath: labelPath) {
            let lidarFromCamera = calibration.rectifiedCameraFromLidar.inverse
            labels = try KITTIObject.read(contentsOf: labelPath).filter { !$0.isDontCare }.map {
                Label(type: $0.type, id: nil, box: $0.box.cuboid(lidarFromRectifiedCamera: lidarFromCamera))
            }
        }
        // The file's Tr_velo_to_cam, followed by the rectification and camera 2's baseline.
        let velodyneToCamera = RigidTransform(matrix: calibration.cameraFromVelodyne)
        return SensorFrame(
            name: "KITTI \(frame)", sweep: try KITTIVelodyne.read(contentsOf: "\(folder)/velodyne/\(frame).bin"),
            rig: CameraRig([camera]), images: [image],
            extrinsicMatrices: [(ExtrinsicMatrix(velodyneToCamera), camera.cameraFromLidar * velodyneToCamera.inverse)],
            labels: labels)
    }

    private static func loadSUSTech(folder: String, frame: String) throws -> SensorFrame {
        let names = sustechCameraNames(folder: folder)
        var cameras: [Camera] = []
        var images: [RGBImage?] = []
        for name in names {
            let calibration = try SUSTechPOINTS.readCameraCalibration(contentsOf: "\(folder)/calib/camera/\(name).json")
            let imagePath = "\(folder)/camera/\(name)/\(frame).jpg"
            let image =
                FileManager.default.fileExists(atPath: imagePath) ? try RGBImage.read(contentsOf: imagePath) : nil
            cameras.append(try Camera(sustech: calibration, name: name, imageSize: image?.size ?? sustechImageSize))
            images.append(image)
        }
        let labelPath = "\(folder)/label/\(frame).json"
        let labels =
            FileManager.default.fileExists(atPath: labelPath)
            ? try SUSTechPOINTS.readLabels(contentsOf: labelPath).map {
                Label(type: $0.type, id: $0.id, box: $0.cuboid)
            } : []
        return SensorFrame(
            name: "SUSTech \(frame)",
            sweep: try SUSTechPOINTS.readLidar(contentsOf: "\(folder)/lidar/\(frame).pcd").cloud,
            rig: CameraRig(cameras), images: images,
            extrinsicMatrices: cameras.map { (ExtrinsicMatrix($0.cameraFromLidar), .identity) }, labels: labels)
    }
}
