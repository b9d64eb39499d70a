import Foundation
import FusionIO

/// Where recorded frames are, told apart by what the path holds:
/// - a FusionLabel scene folder (`scene.json`);
/// - a KITTI object folder (`velodyne/`, with `calib/`, `image_2/`, `label_2/` when it has them);
/// - a SUSTech POINTS scene (`lidar/`, with `calib/camera/`, `camera/`, `label/` when it has them;
///   the layout Argoverse 2 and PandaSet extracts use too);
/// - a folder of sweeps (`*.pcd`, or `*.bin` in KITTI's Velodyne layout) and nothing else;
/// - a single sweep file.
public struct RecordingFolder: Sendable {
    public var path: String

    public init(path: String) {
        self.path = path
    }

    /// Every frame id, in order: scene frame indices, or file names without their extension.
    /// - Throws: `ReadError` when the path holds no recording.
    public func frameIDs() throws(ReadError) -> [String] {
        let manager = FileManager.default
        if isSweepFile(path) { return [Self.stem(of: path)] }
        if manager.fileExists(atPath: path + "/" + SceneManifest.fileName) {
            return try Scene.open(path).manifest.frames.map { String($0.index) }
        }
        let listing =
            manager.fileExists(atPath: path + "/velodyne")
            ? path + "/velodyne"
            : manager.fileExists(atPath: path + "/lidar") ? path + "/lidar" : path
        guard let names = try? manager.contentsOfDirectory(atPath: listing) else { throw notARecording }
        return names.filter(isSweepFile).map(Self.stem).sorted()
    }

    /// The source of one frame.
    /// - Throws: `ReadError` when the path holds no recording, or a scene frame id is not a number.
    public func source(frame id: String) throws(ReadError) -> SensorFrame.Source {
        let manager = FileManager.default
        if isSweepFile(path) { return .lidarFile(path: path) }
        if manager.fileExists(atPath: path + "/" + SceneManifest.fileName) {
            guard let index = Int(id) else {
                throw ReadError(
                    file: path + "/" + SceneManifest.fileName, location: .file,
                    message: "a scene frame is an index, not \(id)")
            }
            return .scene(folder: path, frameIndex: index)
        }
        if manager.fileExists(atPath: path + "/velodyne") { return .kittiObject(folder: path, frame: id) }
        if manager.fileExists(atPath: path + "/lidar") { return .sustechPOINTS(folder: path, frame: id) }
        for suffix in [".pcd", ".bin"] where manager.fileExists(atPath: "\(path)/\(id)\(suffix)") {
            return .lidarFile(path: "\(path)/\(id)\(suffix)")
        }
        throw notARecording
    }

    private var notARecording: ReadError {
        ReadError(
            file: path, location: .file,
            message:
                "not a recording: expected a .pcd or .bin sweep, or a folder with scene.json, velodyne/, lidar/ or sweep files"
        )
    }

    private func isSweepFile(_ name: String) -> Bool { name.hasSuffix(".pcd") || name.hasSuffix(".bin") }

    private static func stem(of name: String) -> String {
        let file = URL(fileURLWithPath: name).lastPathComponent
        return String(file.prefix { $0 != "." })
    }
}
