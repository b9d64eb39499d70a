import ArgumentParser
import Foundation
import FusionLabel

/// Which recorded frame a command works on: a FusionLabel scene, a KITTI object folder or a SUSTech
/// POINTS scene, told apart by what the folder holds.
struct FrameOptions: ParsableArguments {
    @Argument(help: "A scene folder (scene.json), a KITTI object folder (calib/, velodyne/, image_2/) or a SUSTech POINTS scene (lidar/, calib/camera/).")
    var folder: String

    @Option(help: "The frame: an index for scene folders (default: the first), a file id such as 000001 for KITTI and SUSTech (default: the first).")
    var frame: String?

    @Option(help: "Only this camera (default: every camera of the frame).")
    var camera: String?

    /// Every frame id of the folder, in order.
    func frameIDs() throws -> [String] { try RecordingFolder(path: folder).frameIDs() }

    func source(frame id: String) throws -> SensorFrame.Source { try RecordingFolder(path: folder).source(frame: id) }

    /// The selected frame, loaded.
    func load(frame id: String? = nil) throws -> SensorFrame {
        guard let id = try id ?? frame ?? frameIDs().first else { throw CommandFailure(message: "\(folder) holds no frames") }
        do {
            return try SensorFrame.load(try source(frame: id))
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure(error)
        }
    }

    /// Indices of the cameras to work on.
    func cameraIndices(of frame: SensorFrame) throws -> [Int] {
        guard let name = camera else { return Array(frame.rig.cameras.indices) }
        guard let index = frame.rig.cameras.firstIndex(where: { $0.name == name }) else {
            throw CommandFailure(message: "no camera \(name); the frame has \(frame.rig.cameras.map(\.name).joined(separator: ", "))")
        }
        return [index]
    }
}

/// A folder of recorded frames: a FusionLabel scene (scene.json), a KITTI object folder
/// (velodyne/) or a SUSTech POINTS scene (lidar/, calib/camera/).
struct RecordingFolder {
    var path: String

    /// Every frame id of the folder, in order.
    func frameIDs() throws -> [String] {
        let manager = FileManager.default
        if manager.fileExists(atPath: path + "/" + SceneManifest.fileName) {
            return try Scene.open(path).manifest.frames.map { String($0.index) }
        }
        let listing = manager.fileExists(atPath: path + "/velodyne") ? path + "/velodyne" : path + "/lidar"
        guard let names = try? manager.contentsOfDirectory(atPath: listing) else {
            throw CommandFailure(message: "\(path) is not a scene folder, a KITTI object folder or a SUSTech POINTS scene")
        }
        return names.filter { $0.hasSuffix(".bin") || $0.hasSuffix(".pcd") }.map { String($0.prefix { $0 != "." }) }.sorted()
    }

    func source(frame id: String) throws -> SensorFrame.Source {
        let manager = FileManager.default
        if manager.fileExists(atPath: path + "/" + SceneManifest.fileName) {
            guard let index = Int(id) else { throw CommandFailure(message: "a scene frame is an index, not \(id)") }
            return .scene(folder: path, frameIndex: index)
        }
        if manager.fileExists(atPath: path + "/velodyne") { return .kittiObject(folder: path, frame: id) }
        if manager.fileExists(atPath: path + "/calib/camera") { return .sustechPOINTS(folder: path, frame: id) }
        throw CommandFailure(message: "\(path) is not a scene folder, a KITTI object folder or a SUSTech POINTS scene")
    }
}
