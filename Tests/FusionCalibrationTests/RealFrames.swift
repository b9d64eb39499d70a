import FusionCalibration
import FusionGeometry
import FusionIO
import FusionTestSupport
import Testing

/// A real LiDAR sweep with one calibrated camera and its image, from the shared scenes.
struct RealFrame: CustomTestStringConvertible, Sendable {
    enum Source: Sendable { case kitti, sustech }
    var source: Source
    var frame: String
    /// SUSTech camera name (front, left, right); KITTI uses image_2.
    var cameraName: String

    var testDescription: String { "\(source) \(frame) \(cameraName)" }

    static let kitti = ["000000", "000001", "000002"].map {
        RealFrame(source: .kitti, frame: $0, cameraName: "image_2")
    }
    static let sustech = ["front", "left", "right"].map { RealFrame(source: .sustech, frame: "000965", cameraName: $0) }
    static let all = kitti + sustech

    var imagePath: String {
        get throws {
            switch source {
            case .kitti: try SharedScenes.path("kitti-object/image_2/\(frame).png")
            case .sustech: try SharedScenes.path("sustechpoints-example/camera/\(cameraName)/\(frame).jpg")
            }
        }
    }

    func image() throws -> RGBImage { try RGBImage.read(contentsOf: try imagePath) }

    func camera(imageSize: ImageSize) throws -> Camera {
        switch source {
        case .kitti:
            let calibration = try KITTICalibration.read(
                contentsOf: try SharedScenes.path("kitti-object/calib/\(frame).txt"))
            return try Camera(kitti: calibration, imageSize: imageSize)
        case .sustech:
            let calibration = try SUSTechPOINTS.readCameraCalibration(
                contentsOf: try SharedScenes.path("sustechpoints-example/calib/camera/\(cameraName).json"))
            return try Camera(sustech: calibration, name: cameraName, imageSize: imageSize)
        }
    }

    /// The camera, sized by its image.
    func camera() throws -> Camera { try camera(imageSize: try image().size) }

    func cloud() throws -> PointCloud {
        switch source {
        case .kitti: try KITTIVelodyne.read(contentsOf: try SharedScenes.path("kitti-object/velodyne/\(frame).bin"))
        case .sustech:
            try SUSTechPOINTS.readLidar(contentsOf: try SharedScenes.path("sustechpoints-example/lidar/\(frame).pcd"))
                .cloud
        }
    }
}
