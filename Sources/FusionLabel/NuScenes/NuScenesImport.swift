import Foundation
import FusionIO

/// A scene of a dataset in the nuScenes table layout, turned into a scene folder: one frame per
/// sample (keyframe), the LiDAR sweep (`LIDAR_TOP`, `.pcd.bin`) as binary PCD (x y z intensity
/// ring), each camera's keyframe image copied, the ego pose of each sweep, and the annotations as
/// OpenLABEL in the LiDAR frame of each frame (`labels/nuscenes.openlabel.json`: one object per
/// instance, its category as the type; `points`, `visibility`, `attributes` and the instance and
/// annotation tokens kept).
///
/// A scene holds one fixed extrinsic per camera: `cameraFromLidar` is taken through the ego frame
/// (`cameraFromEgo · egoFromLidar`), as nuScenes calibrates them; the ego motion between a camera's
/// and the LiDAR's stamps (a few tens of milliseconds) is not applied. Sensors whose calibration
/// changes within the scene are refused.
public enum NuScenesImport {
    public struct Summary: Codable, Equatable, Sendable {
        public var scene: String
        public var frames: Int
        public var cameras: [String]
        public var annotations: Int
        /// The largest gap between a frame's LiDAR stamp and one of its images, milliseconds.
        public var largestCameraOffsetMilliseconds: Double
    }

    /// Imports scene `name` (all scenes when nil: one folder each, under `out`) from `dataroot/version`.
    public static func run(dataroot: String, version: String, scene name: String?, to out: String) throws(NuScenesExport
        .Failure) -> [Summary]
    {
        let tables: NuScenesTableSet
        do {
            tables = try NuScenesTableSet.read(dataroot: dataroot, version: version)
        } catch {
            throw .read(error)
        }
        let scenes = name.map { wanted in tables.scenes.filter { $0.name == wanted } } ?? tables.scenes
        guard !scenes.isEmpty else {
            throw .invalid(
                "\(dataroot)/\(version) has no scene \(name ?? "at all") (it has \(tables.scenes.map(\.name).joined(separator: ", ")))"
            )
        }
        var summaries: [Summary] = []
        do {
            if name == nil { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) }
            for scene in scenes {
                let folder = name == nil ? "\(out)/\(scene.name)" : out
                summaries.append(
                    try FileAccess.createFolderAtomically(at: folder) { temporary in
                        try NuScenesSceneWriter(tables: tables, dataroot: dataroot, scene: scene).write(into: temporary)
                    })
            }
        } catch {
            throw .wrapping(error, file: out)
        }
        return summaries
    }
}
