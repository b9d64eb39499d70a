import Foundation
import FusionCalibration
import FusionGeometry
import FusionIO
import FusionRecording

/// The first pass of a bag import: stamps, camera infos and transforms read, sweeps paired with
/// images, the scene manifest decided. Nothing is written.
struct BagImportPlan {
    var lidarTopic: String
    var manifest: SceneManifest
    var report: BagImport.Report
    /// Frame index of each sweep, by its position on the LiDAR topic.
    var frameOfSweep: [Int]
    /// For each image topic: by the image's position on its topic, the frames it is paired with.
    var framesOfImage: [String: [Int: [Int]]]
    /// Camera name by image topic.
    var cameraOfTopic: [String: String]

    private typealias Failure = BagImport.Failure

    static func make(_ recording: Recording, options: BagImport.Options, sceneName: String) throws(BagImport.Failure)
        -> BagImportPlan
    {
        var gathered = Gathered()
        try gathered.read(recording, options)
        guard !gathered.sweeps.isEmpty else {
            throw .incomplete("\(recording.path) has no sweep on \(options.lidarTopic) (inspect it to list its topics)")
        }
        let lidarFrame = gathered.sweeps[0].frameID
        if let other = gathered.sweeps.first(where: { $0.frameID != lidarFrame }) {
            throw .incomplete(
                "sweeps on \(options.lidarTopic) come in two frames, \"\(lidarFrame)\" and \"\(other.frameID)\"")
        }
        // Frames in stamp order.
        let order = gathered.sweeps.indices.sorted { gathered.sweeps[$0].stamp < gathered.sweeps[$1].stamp }
        var frameOfSweep = [Int](repeating: 0, count: order.count)
        for (frame, sweep) in order.enumerated() { frameOfSweep[sweep] = frame }
        let stamps = order.map { gathered.sweeps[$0].stamp }
        for (earlier, later) in zip(stamps, stamps.dropFirst()) where earlier == later {
            throw .incomplete("two sweeps on \(options.lidarTopic) share the stamp \(earlier) ns")
        }

        let transforms = gathered.transforms
        func rigidTransform(to target: String, from source: String, what: String) throws(Failure) -> RigidTransform {
            func lookup(_ stamp: Int64) throws(Failure) -> RigidTransform {
                do { return try transforms.transform(to: target, from: source, at: stamp) } catch {
                    throw .incomplete("\(what): \(error)")
                }
            }
            let first = try lookup(stamps[0])
            for stamp in stamps.dropFirst() {
                let later = try lookup(stamp)
                let moved = later.translation - first.translation
                guard (moved * moved).sum() < 1e-12, later.rotation.angle(to: first.rotation) < 1e-6 else {
                    throw .incomplete(
                        "\(what) (\"\(target)\" from \"\(source)\") moves during the recording; a scene holds one fixed transform"
                    )
                }
            }
            return first
        }

        let egoFromLidar =
            try options.egoFrame.map { ego throws(Failure) in
                try rigidTransform(to: ego, from: lidarFrame, what: "the LiDAR's mounting")
            } ?? .identity
        var frames: [SceneManifest.Frame] = []
        for (index, stamp) in stamps.enumerated() {
            var worldFromEgo: RigidTransform?
            if let world = options.worldFrame {
                do {
                    worldFromEgo = try transforms.transform(to: world, from: options.egoFrame ?? lidarFrame, at: stamp)
                } catch {
                    throw .incomplete("the ego pose of frame \(index): \(error)")
                }
            }
            frames.append(
                SceneManifest.Frame(
                    index: index, timestamp: Double(stamp) / 1e9, lidar: String(format: "lidar/%06d.pcd", index),
                    worldFromEgo: worldFromEgo))
        }

        var cameras: [SceneManifest.Camera] = []
        var pairs: [BagImport.Report.Pair] = []
        var unpaired: [String: Int] = [:]
        var framesOfImage: [String: [Int: [Int]]] = [:]
        var cameraOfTopic: [String: String] = [:]
        for topics in options.cameras {
            let name = topics.cameraName
            guard !name.isEmpty, !cameras.contains(where: { $0.name == name }) else {
                throw .incomplete(
                    "camera topic \(topics.image) gives the camera name \"\(name)\", empty or already used")
            }
            guard let infoTopic = topics.info, let info = gathered.cameraInfos[infoTopic] else {
                throw .incomplete(
                    "camera \(name) needs its CameraInfo: give --camera \(topics.image):INFO_TOPIC with a topic that has messages"
                )
            }
            let images = gathered.images[topics.image] ?? []
            guard let cameraFrame = images.first?.frameID ?? Optional(info.header.frameID), !cameraFrame.isEmpty else {
                throw .incomplete("camera \(name): its images and CameraInfo name no frame")
            }
            let cameraFromLidar = try rigidTransform(
                to: cameraFrame, from: lidarFrame, what: "camera \(name)'s extrinsic")
            cameras.append(info.sceneCamera(name: name, cameraFromLidar: cameraFromLidar))
            cameraOfTopic[topics.image] = name
            let imageOrder = images.indices.sorted { images[$0].stamp < images[$1].stamp }
            let imageStamps = imageOrder.map { images[$0].stamp }
            var uses: [Int: [Int]] = [:]
            let tolerance = Int64((options.tolerance * 1e9).rounded())
            for (frame, stamp) in stamps.enumerated() {
                guard let nearest = Self.nearest(stamp, in: imageStamps), abs(imageStamps[nearest] - stamp) <= tolerance
                else {
                    unpaired[name, default: 0] += 1
                    continue
                }
                let extensionName = images[imageOrder[nearest]].fileExtension
                frames[frame].images[name] = String(format: "images/%@/%06d.%@", name, frame, extensionName)
                uses[imageOrder[nearest], default: []].append(frame)
                pairs.append(
                    .init(frame: frame, camera: name, offsetMilliseconds: Double(imageStamps[nearest] - stamp) / 1e6))
            }
            framesOfImage[topics.image] = uses
        }

        let manifest = SceneManifest(
            name: sceneName,
            description:
                "Imported from \(URL(fileURLWithPath: recording.path).lastPathComponent) by fusionlabel import-bag (LiDAR \(options.lidarTopic)).",
            lidar: SceneManifest.Lidar(name: lidarFrame, egoFromLidar: egoFromLidar),
            cameras: cameras, frames: frames)
        let report = BagImport.Report(
            scene: sceneName, frames: frames.count, cameras: cameras.map(\.name), pairs: pairs,
            unpaired: unpaired, droppedPoints: 0, notes: gathered.notes)
        return BagImportPlan(
            lidarTopic: options.lidarTopic, manifest: manifest, report: report, frameOfSweep: frameOfSweep,
            framesOfImage: framesOfImage,
            cameraOfTopic: cameraOfTopic)
    }

    /// The index of the value in `sorted` nearest to `value` (the earlier on a tie).
    static func nearest(_ value: Int64, in sorted: [Int64]) -> Int? {
        guard !sorted.isEmpty else { return nil }
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        if low == sorted.count { return low - 1 }
        if low > 0, value - sorted[low - 1] <= sorted[low] - value { return low - 1 }
        return low
    }
}

/// What the first pass reads.
private struct Gathered {
    struct Stamped {
        /// Nanoseconds.
        var stamp: Int64
        var frameID: String
        /// For images: `png` for raw images (written as PNG), else the compressed format's extension.
        var fileExtension: String
    }

    var sweeps: [Stamped] = []
    var images: [String: [Stamped]] = [:]
    var cameraInfos: [String: RecordedCameraInfo] = [:]
    var transforms = TransformBuffer()
    var notes: [String] = []

    mutating func read(_ recording: Recording, _ options: BagImport.Options) throws(BagImport.Failure) {
        let imageTopics = Set(options.cameras.map(\.image))
        let infoTopics = Set(options.cameras.compactMap(\.info))
        var messages = recording.messages(
            on: Set([options.lidarTopic, "/tf", "/tf_static"]).union(imageTopics).union(infoTopics))
        do {
            while let recorded = try messages.next() {
                do {
                    try take(recorded, options: options, imageTopics: imageTopics, infoTopics: infoTopics)
                } catch let error as MessageDecodingError {
                    throw BagImport.Failure.read(recorded.error(error))
                }
            }
            try transforms.finish()
        } catch let error as ReadError {
            throw .read(error)
        } catch let error as BagImport.Failure {
            throw error
        } catch {
            throw .incomplete("\(error)")
        }
        notes = messages.notes
    }

    private mutating func take(
        _ recorded: RecordedMessage, options: BagImport.Options, imageTopics: Set<String>, infoTopics: Set<String>
    ) throws {
        let message = recorded.message
        switch recorded.topic {
        case options.lidarTopic:
            guard recorded.type == "sensor_msgs/PointCloud2" else {
                throw BagImport.Failure.incomplete(
                    "\(recorded.topic) carries \(recorded.type), not sensor_msgs/PointCloud2")
            }
            let header = try RecordedHeader(of: message)
            sweeps.append(Stamped(stamp: header.stampNanoseconds, frameID: header.frameID, fileExtension: "pcd"))
        case "/tf", "/tf_static":
            guard recorded.type == "tf2_msgs/TFMessage" else { return }
            for transform in try RecordedTransform.transforms(ofTFMessage: message) {
                try transforms.add(transform, isStatic: recorded.topic == "/tf_static")
            }
        case let topic where imageTopics.contains(topic):
            // Raw pixels are read in the second pass; here only the stamp and the file type.
            let header: RecordedHeader
            let fileExtension: String
            switch recorded.type {
            case "sensor_msgs/Image":
                (header, fileExtension) = (try RecordedHeader(of: message), "png")
            case "sensor_msgs/CompressedImage":
                let image = try RecordedImage(compressedImage: message)
                guard case .encoded(let format, _) = image.pixels else { return }
                (header, fileExtension) = (image.header, format == "jpeg" ? "jpg" : "png")
            default:
                throw BagImport.Failure.incomplete(
                    "\(topic) carries \(recorded.type), not sensor_msgs/Image or CompressedImage")
            }
            images[topic, default: []].append(
                Stamped(stamp: header.stampNanoseconds, frameID: header.frameID, fileExtension: fileExtension))
        case let topic where infoTopics.contains(topic):
            guard recorded.type == "sensor_msgs/CameraInfo" else {
                throw BagImport.Failure.incomplete("\(topic) carries \(recorded.type), not sensor_msgs/CameraInfo")
            }
            if cameraInfos[topic] == nil { cameraInfos[topic] = try RecordedCameraInfo(message) }
        default:
            break
        }
    }
}
