import Foundation
import FusionCalibration
import FusionGeometry
import FusionIO

/// Fills the nuScenes tables scene by scene and writes the sensor files (see `NuScenesExport`).
struct NuScenesExportBuilder {
    let options: NuScenesExport.Options
    /// The dataroot being written.
    let root: String
    var tables = NuScenesTables()
    var summary = NuScenesExport.Summary()
    private var sensors: Set<String> = []
    private var categories: [String: String] = [:]

    init(options: NuScenesExport.Options, root: String) {
        self.options = options
        self.root = root
    }

    private typealias Token = NuScenesTables

    /// One box of an instance, before its chain and attributes are known.
    private struct Box {
        var sample: String
        var time: Double
        var global: Cuboid
        var category: ObjectCategory
        var visibility: String
        var points: Int
    }

    mutating func add(_ scene: Scene, _ labels: OpenLABELDocument) throws {
        let manifest = scene.manifest
        let name = manifest.name
        let frames = manifest.frames.sorted { $0.index < $1.index }
        guard !frames.isEmpty else { throw NuScenesExport.Failure.invalid("scene \(name) has no frames") }
        let logToken = Token.token("log", name)
        let sceneToken = Token.token("scene", name)
        tables.log.append(
            .init(
                token: logToken, logfile: name, vehicle: options.vehicle, date_captured: Self.date(frames[0].timestamp),
                location: options.location))

        // Sensors and their mountings on the ego vehicle.
        var channels = [("LIDAR_TOP", "lidar", manifest.lidar.egoFromLidar, [[Double]]())]
        for camera in manifest.cameras {
            let egoFromCamera = manifest.lidar.egoFromLidar * camera.cameraFromLidar.inverse
            channels.append(
                (
                    Self.channel(camera.name), "camera", egoFromCamera,
                    [[camera.fx, 0, camera.cx], [0, camera.fy, camera.cy], [0, 0, 1]]
                ))
        }
        var calibrated: [String: String] = [:]
        for (channel, modality, egoFromSensor, intrinsic) in channels {
            let sensorToken = Token.token("sensor", channel)
            if sensors.insert(channel).inserted {
                tables.sensor.append(.init(token: sensorToken, channel: channel, modality: modality))
            }
            calibrated[channel] = Token.token("calibrated_sensor", "\(name)/\(channel)")
            tables.calibratedSensor.append(
                .init(
                    token: calibrated[channel]!, sensor_token: sensorToken,
                    translation: Self.vector(egoFromSensor.translation),
                    rotation: Self.quaternion(egoFromSensor.rotation), camera_intrinsic: intrinsic))
            try FileManager.default.createDirectory(
                atPath: "\(root)/samples/\(channel)", withIntermediateDirectories: true)
        }

        var boxes: [String: [Box]] = [:]
        var previousData: [String: Int] = [:]
        for (position, frame) in frames.enumerated() {
            let sampleToken = Token.token("sample", "\(name)/\(frame.index)")
            let microseconds = Int64((frame.timestamp * 1e6).rounded())
            let neighbour = { (offset: Int) -> String in
                frames.indices.contains(position + offset)
                    ? Token.token("sample", "\(name)/\(frames[position + offset].index)") : ""
            }
            tables.sample.append(
                .init(
                    token: sampleToken, timestamp: microseconds, prev: neighbour(-1), next: neighbour(1),
                    scene_token: sceneToken))
            let worldFromEgo = frame.worldFromEgo ?? .identity

            // Sensor data: the sweep as .pcd.bin, each image copied.
            var files: [(channel: String, file: String, format: String, width: Int, height: Int)] = []
            let sweepFile = "samples/LIDAR_TOP/\(name)__LIDAR_TOP__\(microseconds).pcd.bin"
            try FileAccess.writeAtomically(Self.pcdBin(try scene.lidarSweep(of: frame)), to: "\(root)/\(sweepFile)")
            files.append(("LIDAR_TOP", sweepFile, "pcd", 0, 0))
            for camera in manifest.cameras {
                guard let relative = frame.images[camera.name] else { continue }
                let channel = Self.channel(camera.name)
                let suffix = URL(fileURLWithPath: relative).pathExtension.lowercased()
                let file = "samples/\(channel)/\(name)__\(channel)__\(microseconds).\(suffix)"
                try FileAccess.writeAtomically(
                    try FileAccess.contents(of: try scene.resolve(relative)), to: "\(root)/\(file)")
                files.append((channel, file, suffix == "jpg" ? "jpg" : suffix, camera.width, camera.height))
            }
            for entry in files {
                let dataToken = Token.token("sample_data", "\(name)/\(frame.index)/\(entry.channel)")
                let poseToken = Token.token("ego_pose", "\(name)/\(frame.index)/\(entry.channel)")
                tables.egoPose.append(
                    .init(
                        token: poseToken, timestamp: microseconds, rotation: Self.quaternion(worldFromEgo.rotation),
                        translation: Self.vector(worldFromEgo.translation)))
                var previous = ""
                if let index = previousData[entry.channel] {
                    previous = tables.sampleData[index].token
                    tables.sampleData[index].next = dataToken
                }
                previousData[entry.channel] = tables.sampleData.count
                tables.sampleData.append(
                    .init(
                        token: dataToken, sample_token: sampleToken, ego_pose_token: poseToken,
                        calibrated_sensor_token: calibrated[entry.channel]!, timestamp: microseconds,
                        fileformat: entry.format, is_key_frame: true, height: entry.height, width: entry.width,
                        filename: entry.file, prev: previous, next: ""))
            }

            // Labels in the global frame.
            let globalFromLidar = worldFromEgo * manifest.lidar.egoFromLidar
            for (uid, cuboids) in (labels.frames[frame.index]?.objects ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let label = cuboids.first else { continue }
                let type = labels.objects[uid]?.type ?? "no type"
                guard let category = ObjectCategory(datasetName: type), NuScenesExport.categoryName(category) != nil
                else {
                    summary.leftOut[type, default: 0] += 1
                    continue
                }
                boxes["\(name)/\(uid)", default: []].append(
                    Box(
                        sample: sampleToken, time: frame.timestamp,
                        global: label.cuboid.transformed(by: globalFromLidar), category: category,
                        visibility: Self.visibility(label.attributes.numbers["occlusion"]),
                        points: Int(label.attributes.numbers["points"] ?? 0)))
            }
        }
        for (key, track) in boxes.sorted(by: { $0.key < $1.key }) { addInstance(key, track) }
        tables.scene.append(
            .init(
                token: sceneToken, log_token: logToken, nbr_samples: frames.count,
                first_sample_token: Token.token("sample", "\(name)/\(frames.first!.index)"),
                last_sample_token: Token.token("sample", "\(name)/\(frames.last!.index)"), name: name,
                description: manifest.description ?? "exported by FusionLabel"))
        summary.scenes += 1
        summary.samples += frames.count
    }

    /// An instance and its annotations, chained in time, with attributes from the speed along the track.
    private mutating func addInstance(_ key: String, _ track: [Box]) {
        let categoryName = NuScenesExport.categoryName(track[0].category)!
        if categories[categoryName] == nil {
            categories[categoryName] = Token.token("category", categoryName)
            tables.category.append(
                .init(
                    token: categories[categoryName]!, name: categoryName,
                    description: "FusionLabel \(track[0].category.rawValue)"))
        }
        let tokens = track.indices.map { Token.token("sample_annotation", "\(key)/\($0)") }
        let instanceToken = Token.token("instance", key)
        for (position, box) in track.enumerated() {
            let before = track[max(position - 1, 0)]
            let after = track[min(position + 1, track.count - 1)]
            let speed: Double? =
                after.time > before.time
                ? Self.distance(after.global.center, before.global.center) / (after.time - before.time) : nil
            tables.sampleAnnotation.append(
                .init(
                    token: tokens[position], sample_token: box.sample, instance_token: instanceToken,
                    visibility_token: box.visibility, attribute_tokens: Self.attributes(box.category, speed: speed),
                    translation: Self.vector(box.global.center),
                    size: [box.global.size.width, box.global.size.length, box.global.size.height],
                    rotation: Self.quaternion(box.global.rotation), prev: position > 0 ? tokens[position - 1] : "",
                    next: position + 1 < track.count ? tokens[position + 1] : "", num_lidar_pts: box.points,
                    num_radar_pts: 0))
        }
        tables.instance.append(
            .init(
                token: instanceToken, category_token: categories[categoryName]!, nbr_annotations: track.count,
                first_annotation_token: tokens.first!, last_annotation_token: tokens.last!))
        summary.instances += 1
        summary.annotations += track.count
        summary.categories[categoryName, default: 0] += track.count
    }

    /// The tables, the map record and its blank prior.
    mutating func finish() throws {
        let mapFile = "maps/fusionlabel-blank.png"
        try FileManager.default.createDirectory(atPath: "\(root)/maps", withIntermediateDirectories: true)
        try FileAccess.writeAtomically(
            try PNGEncoding.encode([UInt8(255)], size: ImageSize(width: 1, height: 1), channels: 1),
            to: "\(root)/\(mapFile)")
        tables.map = [
            .init(
                token: Token.token("map", "blank"), log_tokens: tables.log.map(\.token), category: "semantic_prior",
                filename: mapFile)
        ]
        let folder = "\(root)/\(options.version)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (file, data) in try tables.files() { try FileAccess.writeAtomically(data, to: "\(folder)/\(file)") }
        // The devkit's custom split: `fusionlabel`, every exported scene (evaluate with eval_set="fusionlabel").
        let splits = try JSONEncoder().encode([NuScenesExport.split: tables.scene.map(\.name)])
        try FileAccess.writeAtomically(splits, to: "\(folder)/splits.json")
    }

    // MARK: Conventions

    /// `CAM_` and the camera's name in capitals (a name starting with CAM is kept as it is).
    static func channel(_ camera: String) -> String {
        let upper = camera.uppercased()
        return upper.hasPrefix("CAM") ? upper : "CAM_" + upper
    }

    /// nuScenes' LiDAR file: five float32 per point, x y z intensity ring.
    static func pcdBin(_ cloud: PointCloud) -> Data {
        var values = [Float](repeating: 0, count: cloud.count * 5)
        for index in 0..<cloud.count {
            values[index * 5] = cloud.x[index]
            values[index * 5 + 1] = cloud.y[index]
            values[index * 5 + 2] = cloud.z[index]
            values[index * 5 + 3] = cloud.attributes.intensity?[index] ?? 0
            values[index * 5 + 4] = Float(cloud.attributes.ring?[index] ?? 0)
        }
        return values.withUnsafeBytes { Data($0) }
    }

    static func visibility(_ occlusion: Double?) -> String {
        guard let occlusion, occlusion.isFinite else { return "0" }
        let visible = 1 - occlusion
        return visible < 0.4 ? "1" : visible < 0.6 ? "2" : visible < 0.8 ? "3" : "4"
    }

    static func attributes(_ category: ObjectCategory, speed: Double?) -> [String] {
        let name: String?
        switch category {
        case .car, .van, .truck, .bus, .trailer: name = speed.map { $0 > 0.5 ? "vehicle.moving" : "vehicle.stopped" }
        case .pedestrian: name = speed.map { $0 > 0.5 ? "pedestrian.moving" : "pedestrian.standing" }
        case .personSitting: name = "pedestrian.sitting_lying_down"
        case .bicycle, .motorcycle: name = "cycle.with_rider"
        default: name = nil
        }
        return name.map { [Token.token("attribute", $0)] } ?? []
    }

    static func vector(_ value: SIMD3<Double>) -> [Double] { [value.x, value.y, value.z] }
    static func quaternion(_ rotation: UnitQuaternion) -> [Double] { [rotation.w, rotation.x, rotation.y, rotation.z] }

    static func distance(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
        let difference = a - b
        return (difference * difference).sum().squareRoot()
    }

    static func date(_ seconds: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}
