import Foundation
import FusionIO

/// Annotated scenes in the nuScenes table layout, so that training pipelines and the official
/// `nuscenes-devkit` read them as they read nuScenes: `DATAROOT/<version>/*.json` tables,
/// `samples/LIDAR_TOP/*.pcd.bin` (float32 x y z intensity ring, in the LiDAR frame) and
/// `samples/CAM_<NAME>/*` (the scene's images, copied).
///
/// - One log and one scene per exported scene, one sample per frame (keyframes: every frame),
///   one instance per track (OpenLABEL object), annotations in the global frame
///   (`worldFromEgo · egoFromLidar · cuboid`; the ego frame when the scene has no ego poses).
/// - Tokens are derived from the scene name and each record's key: the same export gives the same
///   tokens on every run.
/// - Attributes come from each box's speed along its track (centres of the neighbouring annotations,
///   as the devkit's `box_velocity` takes them): vehicles `vehicle.moving` above 0.5 m/s, else
///   `vehicle.stopped` (parked is not told apart); people `pedestrian.moving` above 0.5 m/s, else
///   `pedestrian.standing` (`pedestrian.sitting_lying_down` for KITTI's sitting persons); bicycles and
///   motorcycles `cycle.with_rider`. A box seen once has no attribute. Visibility comes from the
///   label's `occlusion` (the nuScenes bins of the visible share); without a camera it is the extra
///   level "0", unknown. `num_lidar_pts` is the label's `points`.
/// - nuScenes has no lens distortion and no maps: cameras keep their K only, and the one map record
///   points to a blank 1 × 1 semantic prior (`maps/fusionlabel-blank.png`) so that the devkit loads.
/// - Only nuScenes' own categories are written (the devkit and training pipelines know no others):
///   boxes of a class nuScenes does not have (trams, other vehicles, riders drawn apart from their
///   bicycles, static obstacles, `Misc`) or that the taxonomy does not know (the engine's `Unknown`)
///   are left out and counted by their label type.
/// - `<version>/splits.json` names one custom split, `fusionlabel`, holding every exported scene: the
///   devkit evaluates it by that name.
public enum NuScenesExport {
    /// The custom split of every exported scene.
    public static let split = "fusionlabel"

    public struct Options: Sendable {
        /// The version folder, such as `v1.0-trainval`; the devkit's evaluation checks its suffix.
        public var version: String
        public var location: String
        public var vehicle: String

        public init(version: String = "v1.0-fusionlabel", location: String = "unknown", vehicle: String = "fusionlabel")
        {
            self.version = version
            self.location = location
            self.vehicle = vehicle
        }
    }

    public struct Summary: Codable, Equatable, Sendable {
        public var scenes = 0
        public var samples = 0
        public var annotations = 0
        public var instances = 0
        /// Annotations by nuScenes category name.
        public var categories: [String: Int] = [:]
        /// Boxes left out, by their label type: classes nuScenes does not have, or no known class.
        public var leftOut: [String: Int] = [:]
    }

    public enum Failure: Error, CustomStringConvertible, Sendable {
        case read(ReadError)
        case write(WriteError)
        case invalid(String)

        public var description: String {
            switch self {
            case .read(let error): error.description
            case .write(let error): error.description
            case .invalid(let message): message
            }
        }
    }

    /// Exports `scenes` with their labels (OpenLABEL as `annotate` writes it: frame numbers are scene
    /// frame indices, cuboids in the LiDAR frame) into a new folder `dataroot`, written under a
    /// temporary name and renamed when complete.
    public static func export(
        _ scenes: [(scene: Scene, labels: OpenLABELDocument)], options: Options = Options(),
        to dataroot: String
    ) throws(Failure) -> Summary {
        let names = scenes.map(\.scene.manifest.name)
        guard Set(names).count == names.count else {
            throw .invalid("two scenes share a name: \(names.joined(separator: ", "))")
        }
        guard !options.version.isEmpty, !options.version.contains("/"), options.version != ".", options.version != ".."
        else {
            throw .invalid("a version is a plain folder name, not \"\(options.version)\"")
        }
        do {
            return try FileAccess.createFolderAtomically(at: dataroot) { temporary in
                var builder = NuScenesExportBuilder(options: options, root: temporary)
                for (scene, labels) in scenes { try builder.add(scene, labels) }
                try builder.finish()
                return builder.summary
            }
        } catch {
            throw .wrapping(error, file: dataroot)
        }
    }

    /// The nuScenes category of a taxonomy category, or nil where nuScenes has none (vans are
    /// `vehicle.car` and KITTI's sitting persons `human.pedestrian.adult`, as nuScenes labels them).
    static func categoryName(_ category: ObjectCategory) -> String? {
        switch category {
        case .car, .van: "vehicle.car"
        case .truck: "vehicle.truck"
        case .bus: "vehicle.bus.rigid"
        case .trailer: "vehicle.trailer"
        case .pedestrian, .personSitting: "human.pedestrian.adult"
        case .bicycle: "vehicle.bicycle"
        case .motorcycle: "vehicle.motorcycle"
        case .personalMobility: "human.pedestrian.personal_mobility"
        case .animal: "animal"
        case .tram, .otherVehicle, .rider, .staticObstacle, .misc: nil
        }
    }
}
