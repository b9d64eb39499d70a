import Foundation
import FusionGeometry

/// A scene folder opened through its manifest: every file it names exists and lies inside the folder.
public struct Scene: Sendable {
    /// The folder, absolute, with symbolic links resolved.
    public let folder: String
    public let manifest: SceneManifest

    /// Opens the scene in `folder` by reading its `scene.json`.
    /// - Throws: `ReadError` for a missing or malformed manifest, a path that leaves the folder
    ///   (also through a symbolic link), or a file the manifest names that does not exist.
    public static func open(_ folder: String) throws(ReadError) -> Scene {
        guard let resolvedFolder = realPath(folder) else {
            throw ReadError(file: folder, location: .file, message: "no such scene folder")
        }
        let manifestPath = resolvedFolder + "/" + SceneManifest.fileName
        let manifest = try SceneManifest.parse(try FileAccess.contents(of: manifestPath), file: manifestPath)
        let scene = Scene(folder: resolvedFolder, manifest: manifest)
        for (jsonPath, relative) in manifest.referencedFiles {
            do {
                _ = try scene.resolve(relative)
            } catch {
                throw ReadError(file: manifestPath, location: .jsonPath(jsonPath), message: error.message)
            }
        }
        return scene
    }

    /// The absolute path of `relative`, after checking that it exists and that, with symbolic
    /// links followed, it is still inside the scene folder.
    public func resolve(_ relative: String) throws(ReadError) -> String {
        let path: ScenePath
        do {
            path = try ScenePath(relative)
        } catch {
            throw ReadError(file: folder, location: .file, message: error.message)
        }
        let joined = folder + "/" + path.description
        guard let resolved = Self.realPath(joined) else {
            throw ReadError(
                file: joined, location: .file, message: "no such file (named \(relative) in the scene manifest)")
        }
        guard resolved.hasPrefix(folder + "/") else {
            throw ReadError(
                file: joined, location: .file, message: "\(relative) leads outside the scene folder (to \(resolved))")
        }
        return resolved
    }

    /// The LiDAR sweep of `frame`, read by its extension: `.pcd`, or KITTI `.bin`.
    public func lidarSweep(of frame: SceneManifest.Frame) throws(ReadError) -> PointCloud {
        let path = try resolve(frame.lidar)
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "pcd": return try PCDReader.read(contentsOf: path).cloud
        case "bin": return try KITTIVelodyne.read(contentsOf: path)
        default: throw ReadError(file: path, location: .file, message: "expected a .pcd or KITTI .bin LiDAR sweep")
        }
    }

    /// The scan of radar `name` in `frame` (PCD), in the radar's frame.
    /// - Throws: `ReadError` when the frame has no scan of that radar or the file is unreadable.
    public func radarScan(of frame: SceneManifest.Frame, radar name: String) throws(ReadError) -> PointCloud {
        guard let relative = frame.radar[name] else {
            throw ReadError(
                file: folder + "/" + SceneManifest.fileName, location: .jsonPath("frames[\(frame.index)].radar"),
                message: "frame \(frame.index) has no scan of radar \"\(name)\"")
        }
        return try PCDReader.read(contentsOf: try resolve(relative)).cloud
    }

    /// The label files, parsed.
    public func labelDocuments() throws(ReadError) -> [OpenLABELDocument] {
        var documents: [OpenLABELDocument] = []
        for relative in manifest.labels {
            documents.append(try OpenLABELDocument.read(contentsOf: try resolve(relative)))
        }
        return documents
    }

    /// `path` made absolute with every symbolic link resolved, or nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
