import Foundation
import FusionCalibration
import FusionGeometry
import FusionIO

/// Writes one nuScenes scene as a scene folder (see `NuScenesImport`).
struct NuScenesSceneWriter {
    let tables: NuScenesTableSet
    let dataroot: String
    let scene: NuScenesTables.Scene

    private func invalid(_ message: String) -> NuScenesExport.Failure { .invalid("scene \(scene.name): \(message)") }

    func write(into folder: String) throws -> NuScenesImport.Summary {
        let samples = try orderedSamples()
        // Each sample's keyframe data by channel; the mounting of each channel, which must not change.
        var data: [[String: NuScenesTables.SampleData]] = []
        var mountings: [String: NuScenesTables.CalibratedSensor] = [:]
        var modalities: [String: String] = [:]
        for sample in samples {
            var byChannel: [String: NuScenesTables.SampleData] = [:]
            for entry in tables.keyframes[sample.token] ?? [] {
                guard let calibrated = tables.calibratedSensors[entry.calibrated_sensor_token],
                    let sensor = tables.sensors[calibrated.sensor_token]
                else {
                    throw invalid("sample data \(entry.token) names a calibrated sensor or sensor the tables lack")
                }
                if let earlier = mountings[sensor.channel],
                    earlier.translation != calibrated.translation || earlier.rotation != calibrated.rotation
                        || earlier.camera_intrinsic != calibrated.camera_intrinsic
                {
                    throw invalid("the calibration of \(sensor.channel) changes within the scene; a scene holds one")
                }
                mountings[sensor.channel] = calibrated
                modalities[sensor.channel] = sensor.modality
                byChannel[sensor.channel] = entry
            }
            guard byChannel["LIDAR_TOP"] != nil else {
                throw invalid("sample \(sample.token) has no LIDAR_TOP keyframe")
            }
            data.append(byChannel)
        }
        let egoFromLidar = try transform(
            mountings["LIDAR_TOP"]!.translation, mountings["LIDAR_TOP"]!.rotation, "LIDAR_TOP's calibration")
        let cameraChannels = modalities.filter { $0.value == "camera" }.keys.sorted()
        var cameras: [SceneManifest.Camera] = []
        for channel in cameraChannels {
            let mounting = mountings[channel]!
            let k = mounting.camera_intrinsic
            guard k.count == 3, k.allSatisfy({ $0.count == 3 }), k[0][0] > 0, k[1][1] > 0 else {
                throw invalid("\(channel) has no valid camera_intrinsic")
            }
            let sample = data.lazy.compactMap { $0[channel] }.first!
            let egoFromCamera = try transform(mounting.translation, mounting.rotation, "\(channel)'s calibration")
            cameras.append(
                SceneManifest.Camera(
                    name: channel, width: sample.width, height: sample.height, fx: k[0][0], fy: k[1][1],
                    cx: k[0][2], cy: k[1][2], cameraFromLidar: egoFromCamera.inverse * egoFromLidar))
        }
        let manager = FileManager.default
        for directory in ["lidar", "labels"] + cameraChannels.map({ "images/\($0)" }) {
            try manager.createDirectory(atPath: "\(folder)/\(directory)", withIntermediateDirectories: true)
        }
        var frames: [SceneManifest.Frame] = []
        var labels = OpenLABELDocument(
            metadata: .init(
                name: "nuScenes annotations of \(scene.name)", annotator: "nuScenes (imported by FusionLabel)"),
            coordinateSystems: ["lidar": .init(type: "sensor_cs")])
        var uids: [String: String] = [:]
        var largestOffset = 0.0
        for (index, byChannel) in data.enumerated() {
            let lidar = byChannel["LIDAR_TOP"]!
            guard let pose = tables.egoPoses[lidar.ego_pose_token] else {
                throw invalid("no ego pose \(lidar.ego_pose_token)")
            }
            let worldFromEgo = try transform(pose.translation, pose.rotation, "ego pose \(pose.token)")
            var frame = SceneManifest.Frame(
                index: index, timestamp: Double(lidar.timestamp) / 1e6, lidar: String(format: "lidar/%06d.pcd", index),
                worldFromEgo: worldFromEgo)
            try PCDWriter.write(
                try Self.sweep(at: try resolve(lidar.filename)), to: "\(folder)/\(frame.lidar)", encoding: .binary)
            for channel in cameraChannels {
                guard let image = byChannel[channel] else { continue }
                let suffix = URL(fileURLWithPath: image.filename).pathExtension.lowercased()
                let relative = String(format: "images/%@/%06d.%@", channel, index, suffix)
                try FileAccess.writeAtomically(
                    try FileAccess.contents(of: try resolve(image.filename)), to: "\(folder)/\(relative)")
                frame.images[channel] = relative
                largestOffset = max(largestOffset, abs(Double(image.timestamp - lidar.timestamp)) / 1000)
            }
            frames.append(frame)
            let lidarFromGlobal = (worldFromEgo * egoFromLidar).inverse
            var labelled = OpenLABELDocument.Frame(timestamp: frame.timestamp)
            for annotation in tables.annotations[samples[index].token] ?? [] {
                guard let instance = tables.instances[annotation.instance_token],
                    let category = tables.categories[instance.category_token]
                else {
                    throw invalid("annotation \(annotation.token) names an instance or category the tables lack")
                }
                let uid = uids[instance.token] ?? String(uids.count)
                uids[instance.token] = uid
                labels.objects[uid] = .init(name: "\(category.name)-\(uid)", type: category.name)
                let size = annotation.size
                guard size.count == 3, annotation.translation.count == 3 else {
                    throw invalid("annotation \(annotation.token) has no 3 sizes and 3 coordinates")
                }
                let global = Cuboid(
                    center: SIMD3(annotation.translation[0], annotation.translation[1], annotation.translation[2]),
                    size: Size3(length: size[1], width: size[0], height: size[2]),
                    rotation: try transform([0, 0, 0], annotation.rotation, "annotation \(annotation.token)").rotation)
                var attributes = OpenLABELDocument.Attributes(
                    numbers: ["points": Double(annotation.num_lidar_pts)],
                    texts: ["instance_token": instance.token, "annotation_token": annotation.token])
                if let visibility = tables.visibilities[annotation.visibility_token] {
                    attributes.texts["visibility"] = visibility.level
                }
                let names = annotation.attribute_tokens.compactMap { tables.attributes[$0]?.name }
                if !names.isEmpty { attributes.texts["attributes"] = names.joined(separator: ",") }
                labelled.objects[uid] = [
                    .init(
                        coordinateSystem: "lidar", cuboid: global.transformed(by: lidarFromGlobal),
                        attributes: attributes)
                ]
            }
            labels.frames[index] = labelled
        }
        try labels.write(to: "\(folder)/labels/nuscenes.openlabel.json")
        let manifest = SceneManifest(
            name: scene.name, description: scene.description,
            lidar: .init(name: "LIDAR_TOP", egoFromLidar: egoFromLidar),
            cameras: cameras, frames: frames, labels: ["labels/nuscenes.openlabel.json"])
        try FileAccess.writeAtomically(try manifest.data(), to: "\(folder)/\(SceneManifest.fileName)")
        _ = try Scene.open(folder)
        return NuScenesImport.Summary(
            scene: scene.name, frames: frames.count, cameras: cameraChannels,
            annotations: labels.frames.values.reduce(0) { $0 + $1.objects.count },
            largestCameraOffsetMilliseconds: largestOffset)
    }

    /// The scene's samples, first to last along `next`.
    private func orderedSamples() throws -> [NuScenesTables.Sample] {
        var samples: [NuScenesTables.Sample] = []
        var token = scene.first_sample_token
        while !token.isEmpty {
            guard let sample = tables.samples[token] else { throw invalid("no sample \(token)") }
            guard samples.count < tables.samples.count else { throw invalid("its samples' next tokens run in a loop") }
            samples.append(sample)
            token = sample.next
        }
        guard !samples.isEmpty else { throw invalid("no samples") }
        return samples
    }

    /// `translation` and a `[w, x, y, z]` rotation as a transform, checked.
    private func transform(_ translation: [Double], _ rotation: [Double], _ what: String) throws -> RigidTransform {
        let norm = rotation.count == 4 ? rotation.reduce(0) { $0 + $1 * $1 }.squareRoot() : 0
        guard translation.count == 3, translation.allSatisfy(\.isFinite), abs(norm - 1) < 1e-3 else {
            throw invalid("\(what): expected 3 finite coordinates and a unit quaternion [w, x, y, z]")
        }
        return RigidTransform(
            rotation: UnitQuaternion(w: rotation[0], x: rotation[1], y: rotation[2], z: rotation[3]),
            translation: SIMD3(translation[0], translation[1], translation[2]))
    }

    /// A file the tables name, inside the dataroot.
    private func resolve(_ relative: String) throws -> String {
        guard !relative.hasPrefix("/"), !relative.split(separator: "/").contains("..") else {
            throw invalid("\(relative) leads outside the dataroot")
        }
        return "\(dataroot)/\(relative)"
    }

    /// A nuScenes LiDAR file: five little-endian float32 a point, x y z intensity ring.
    static func sweep(at path: String) throws -> PointCloud {
        let data = try FileAccess.contents(of: path)
        guard data.count % 20 == 0 else {
            throw ReadError(
                file: path, location: .file, message: "\(data.count) bytes: expected five float32 (20 bytes) a point")
        }
        let count = data.count / 20
        let values = data.withUnsafeBytes { bytes in
            (0..<(count * 5)).map {
                Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
            }
        }
        func column(_ field: Int) -> [Float] { (0..<count).map { values[$0 * 5 + field] } }
        let (x, y, z, intensity) = (column(0), column(1), column(2), column(3))
        let ring = column(4).map { $0 >= 0 && $0 < 65_536 ? UInt16($0) : 0 }
        return PointCloud(x: x, y: y, z: z, attributes: PointAttributes(intensity: intensity, ring: ring))
    }
}
