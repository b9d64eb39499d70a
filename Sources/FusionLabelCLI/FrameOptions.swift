import ArgumentParser
import Foundation
import FusionLabel

/// Which recorded frame a command works on: a FusionLabel scene, a KITTI object folder or a SUSTech
/// POINTS scene, told apart by what the folder holds.
struct FrameOptions: ParsableArguments {
    @Argument(
        help:
            "A scene folder (scene.json), a KITTI object folder (calib/, velodyne/, image_2/) or a SUSTech POINTS scene (lidar/, calib/camera/)."
    )
    var folder: String

    @Option(
        help:
            "The frame: an index for scene folders (default: the first), a file id such as 000001 for KITTI and SUSTech (default: the first)."
    )
    var frame: String?

    @Option(help: "Only this camera (default: every camera of the frame).")
    var camera: String?

    /// Every frame id of the folder, in order.
    func frameIDs() throws -> [String] {
        do { return try RecordingFolder(path: folder).frameIDs() } catch { throw CommandFailure(error) }
    }

    func source(frame id: String) throws -> SensorFrame.Source {
        do { return try RecordingFolder(path: folder).source(frame: id) } catch { throw CommandFailure(error) }
    }

    /// The selected frame, loaded.
    func load(frame id: String? = nil) throws -> SensorFrame {
        guard let id = try id ?? frame ?? frameIDs().first else {
            throw CommandFailure(message: "\(folder) holds no frames")
        }
        do {
            return try SensorFrame.load(try source(frame: id))
        } catch {
            throw CommandFailure(error)
        }
    }

    /// Indices of the cameras to work on.
    func cameraIndices(of frame: SensorFrame) throws -> [Int] {
        guard let name = camera else { return Array(frame.rig.cameras.indices) }
        guard let index = frame.rig.cameras.firstIndex(where: { $0.name == name }) else {
            throw CommandFailure(
                message: "no camera \(name); the frame has \(frame.rig.cameras.map(\.name).joined(separator: ", "))")
        }
        return [index]
    }
}
