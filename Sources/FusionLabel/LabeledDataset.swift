import Foundation
import FusionGeometry
import FusionIO
import FusionQA

/// A folder of labelled recordings, reduced to one `BoxSample` per labelled box for sim-to-real
/// validation. Recognised layouts:
/// - a FusionLabel scene folder (`scene.json`): OpenLABEL labels, PCD sweeps; FusionSim's
///   `occlusion` and `truncation_<camera>` attributes when present;
/// - a KITTI tracking folder (`label_02/`, `calib/`): labels only (no LiDAR in that split);
/// - a KITTI object folder (`label_2/`, `calib/`, `velodyne/`);
/// - a SUSTech POINTS scene (`label/`, `lidar/`).
public enum LabeledDataset {
    public enum Kind: String, Sendable {
        case scene, kittiTracking, kittiObject, sustechPOINTS
    }

    /// The layout of `folder`.
    /// - Throws: `ReadError` when the folder is none of the recognised layouts.
    public static func kind(of folder: String) throws(ReadError) -> Kind {
        func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: folder + "/" + name) }
        if exists(SceneManifest.fileName) { return .scene }
        if exists("label_02") { return .kittiTracking }
        if exists("label_2") && exists("velodyne") { return .kittiObject }
        if exists("label") && exists("lidar") { return .sustechPOINTS }
        throw ReadError(
            file: folder, location: .file,
            message:
                "not a labelled dataset: expected scene.json, label_02/, label_2/ with velodyne/, or label/ with lidar/"
        )
    }

    /// Every labelled box of the folder (DontCare left out).
    /// - Throws: `ReadError` for unreadable files.
    public static func boxSamples(in folder: String) throws -> [BoxSample] {
        switch try kind(of: folder) {
        case .scene: try sceneSamples(folder)
        case .kittiTracking: try kittiTrackingSamples(folder)
        case .kittiObject: try kittiObjectSamples(folder)
        case .sustechPOINTS: try sustechSamples(folder)
        }
    }

    /// Returns in the box and their mean intensity on a 0...1 scale (a sweep whose intensities
    /// exceed 1.5 is taken to be on a 0...255 scale).
    static func pointStatistics(_ sweep: PointCloud, in box: Cuboid, intensityScale: Float) -> (
        points: Int, meanIntensity: Double?
    ) {
        let inside = sweep.indicesOfPoints(inside: box)
        guard let intensity = sweep.attributes.intensity, !inside.isEmpty else { return (inside.count, nil) }
        let sum = inside.reduce(0.0) { $0 + Double(intensity[$1] * intensityScale) }
        return (inside.count, sum / Double(inside.count))
    }

    static func intensityScale(of sweep: PointCloud) -> Float {
        (sweep.attributes.intensity?.max() ?? 0) > 1.5 ? 1 / 255 : 1
    }

    private static func files(in folder: String, suffix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(suffix) }.sorted()
    }

    private static func sceneSamples(_ folder: String) throws -> [BoxSample] {
        let scene = try Scene.open(folder)
        let documents = try scene.labelDocuments()
        var samples: [BoxSample] = []
        for frame in scene.manifest.frames {
            let sweep = try scene.lidarSweep(of: frame)
            let scale = intensityScale(of: sweep)
            for document in documents {
                for (uid, labels) in (document.frames[frame.index]?.objects ?? [:]).sorted(by: { $0.key < $1.key }) {
                    guard let type = document.objects[uid]?.type, let objectClass = ComparedClass(labelName: type)
                    else { continue }
                    for label in labels {
                        let statistics = pointStatistics(sweep, in: label.cuboid, intensityScale: scale)
                        let truncations = label.attributes.numbers.filter { $0.key.hasPrefix("truncation_") }.map(
                            \.value)
                        samples.append(
                            BoxSample(
                                source: "\(scene.manifest.name) frame \(frame.index) object \(uid)",
                                object: "\(folder) \(uid)", objectClass: objectClass,
                                origin: LabelOrigin(attributes: label.attributes),
                                box: label.cuboid, points: statistics.points, meanIntensity: statistics.meanIntensity,
                                occlusionLevel: label.attributes.numbers["occlusion"].map(
                                    BoxSample.occlusionLevel(hiddenShare:)),
                                truncation: truncations.min()))
                    }
                }
            }
        }
        return samples
    }

    /// KITTI's occlusion field: 0, 1, 2 are levels; 3 means unknown.
    private static func occlusionLevel(_ object: KITTIObject) -> Int? {
        (0...2).contains(object.occluded) ? object.occluded : nil
    }

    private static func kittiTrackingSamples(_ folder: String) throws -> [BoxSample] {
        var samples: [BoxSample] = []
        for file in files(in: folder + "/label_02", suffix: ".txt") {
            let sequence = String(file.dropLast(4))
            let calibration = try KITTICalibration.read(contentsOf: "\(folder)/calib/\(sequence).txt")
            let lidarFromCamera = calibration.rectifiedCameraFromLidar.inverse
            for row in try KITTITrackedObject.read(contentsOf: "\(folder)/label_02/\(file)") {
                guard let objectClass = ComparedClass(labelName: row.object.type) else { continue }
                samples.append(
                    BoxSample(
                        source: "KITTI tracking \(sequence) frame \(row.frame) track \(row.trackID)",
                        object: "KITTI tracking \(sequence) \(row.trackID)", objectClass: objectClass,
                        box: row.object.box.cuboid(lidarFromRectifiedCamera: lidarFromCamera),
                        occlusionLevel: occlusionLevel(row.object), truncation: row.object.truncated))
            }
        }
        return samples
    }

    private static func kittiObjectSamples(_ folder: String) throws -> [BoxSample] {
        var samples: [BoxSample] = []
        for file in files(in: folder + "/label_2", suffix: ".txt") {
            let frame = String(file.dropLast(4))
            let calibration = try KITTICalibration.read(contentsOf: "\(folder)/calib/\(frame).txt")
            let lidarFromCamera = calibration.rectifiedCameraFromLidar.inverse
            let sweep = try KITTIVelodyne.read(contentsOf: "\(folder)/velodyne/\(frame).bin")
            let scale = intensityScale(of: sweep)
            for (index, object) in try KITTIObject.read(contentsOf: "\(folder)/label_2/\(file)").enumerated() {
                guard let objectClass = ComparedClass(labelName: object.type) else { continue }
                let box = object.box.cuboid(lidarFromRectifiedCamera: lidarFromCamera)
                let statistics = pointStatistics(sweep, in: box, intensityScale: scale)
                samples.append(
                    BoxSample(
                        source: "KITTI \(frame) object \(index)", objectClass: objectClass, box: box,
                        points: statistics.points, meanIntensity: statistics.meanIntensity,
                        occlusionLevel: occlusionLevel(object), truncation: object.truncated))
            }
        }
        return samples
    }

    private static func sustechSamples(_ folder: String) throws -> [BoxSample] {
        var samples: [BoxSample] = []
        for file in files(in: folder + "/label", suffix: ".json") {
            let frame = String(file.dropLast(5))
            let sweep = try SUSTechPOINTS.readLidar(contentsOf: "\(folder)/lidar/\(frame).pcd").cloud
            let scale = intensityScale(of: sweep)
            for label in try SUSTechPOINTS.readLabels(contentsOf: "\(folder)/label/\(file)") {
                guard let objectClass = ComparedClass(labelName: label.type) else { continue }
                let statistics = pointStatistics(sweep, in: label.cuboid, intensityScale: scale)
                samples.append(
                    BoxSample(
                        source: "SUSTech \(frame) object \(label.id)", object: "SUSTech \(folder) \(label.id)",
                        objectClass: objectClass, origin: label.origin, box: label.cuboid,
                        points: statistics.points, meanIntensity: statistics.meanIntensity))
            }
        }
        return samples
    }
}
