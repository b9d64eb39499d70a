import Foundation
import FusionCalibration
import FusionGeometry
import FusionIO
import FusionRecording

/// Reads any file or scene folder FusionLabel understands and summarises it.
///
/// Recognised by extension and content: `.pcd` (with the SUSTech POINTS header quirk corrected);
/// KITTI `.bin` scans; KITTI `.txt` calibration
/// (`P0:` first), object labels (15-16 columns) and tracking labels (17-18 columns); `.json`
/// holding OpenLABEL, a scene manifest, SUSTech POINTS labels or camera calibration; and a folder
/// with a `scene.json`.
public enum Inspection {
    /// - Parameter decodingMessages: for a recording, decode every message by its schema and read the
    ///   sensor messages (point clouds, images, camera infos, transforms) as an import would: counts
    ///   per topic, and the first message that does not decode is an error.
    public static func inspect(_ path: String, decodingMessages: Bool = false) throws(ReadError) -> InspectionReport {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ReadError(file: path, location: .file, message: "no such file or folder")
        }
        if isDirectory.boolValue {
            let isBag = FileManager.default.fileExists(atPath: path + "/metadata.yaml")
            return isBag
                ? try inspectRecording(path, kind: .rosbag2, decoding: decodingMessages) : try inspectScene(path)
        }
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "mcap":
            return try inspectRecording(path, kind: .mcap, decoding: decodingMessages)
        case "bag":
            return try inspectRecording(path, kind: .ros1Bag, decoding: decodingMessages)
        case "pcd":
            let file = try PCDReader.read(contentsOf: path, adjustingHeader: SUSTechPOINTS.correctMisdescribedHeader)
            return InspectionReport(
                path: path, kind: .pcd, points: summary(of: file.cloud, encoding: file.header.encoding.rawValue))
        case "bin":
            return InspectionReport(
                path: path, kind: .kittiVelodyne, points: summary(of: try KITTIVelodyne.read(contentsOf: path)))
        case "txt":
            return try inspectKITTIText(path)
        case "json":
            return try inspectJSON(path)
        default:
            throw ReadError(
                file: path, location: .file,
                message:
                    "expected a .pcd, .bin, .txt, .json, .mcap or .bag file, a scene folder with \(SceneManifest.fileName) or a rosbag2 folder"
            )
        }
    }

    private static func inspectRecording(_ path: String, kind: InspectionReport.Kind, decoding: Bool) throws(ReadError)
        -> InspectionReport
    {
        let recording = try Recording.open(path)
        let start = DispatchTime.now().uptimeNanoseconds
        let (seen, decoded) = decoding ? try RecordingDecodeCheck.run(recording) : (try recording.topics(), [:])
        let decodeSeconds = decoding ? Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 : nil
        let topics = seen.map { topic in
            InspectionReport.RecordingSummary.Topic(
                topic: topic.topic, type: topic.type, messageEncoding: topic.messageEncoding,
                messageCount: topic.messageCount, startTime: Double(topic.startLogTime) / 1e9,
                endTime: Double(topic.endLogTime) / 1e9, rate: topic.rate,
                decoded: decoding ? decoded[topic.topic]?.messages ?? 0 : nil,
                points: decoded[topic.topic]?.points)
        }
        let summary = InspectionReport.RecordingSummary(
            files: recording.files, topics: topics, startTime: topics.map(\.startTime).min(),
            endTime: topics.map(\.endTime).max(), decodeSeconds: decodeSeconds)
        return InspectionReport(path: path, kind: kind, recording: summary)
    }

    static func summary(of cloud: PointCloud, encoding: String? = nil) -> InspectionReport.Points {
        let bounds = cloud.bounds
        var organized: [Int]?
        if case .organized(let width, let height) = cloud.layout { organized = [width, height] }
        return InspectionReport.Points(
            count: cloud.count, attributes: cloud.attributes.names, encoding: encoding, organized: organized,
            nonFinite: cloud.nonFiniteCount, attributeRanges: attributeRanges(of: cloud.attributes),
            minimum: bounds.map { [$0.min.x, $0.min.y, $0.min.z] },
            maximum: bounds.map { [$0.max.x, $0.max.y, $0.max.z] })
    }

    /// [min, max] of the finite values of each numeric attribute; attributes with none are left out.
    static func attributeRanges(of attributes: PointAttributes) -> [String: [Double]] {
        var columns: [String: [Double]] = attributes.scalars.mapValues { $0.map(Double.init) }
        if let intensity = attributes.intensity { columns["intensity"] = intensity.map(Double.init) }
        if let ring = attributes.ring { columns["ring"] = ring.map(Double.init) }
        if let time = attributes.time { columns["time"] = time }
        return columns.compactMapValues { values in
            let finite = values.filter(\.isFinite)
            guard let lowest = finite.min(), let highest = finite.max() else { return nil }
            return [lowest, highest]
        }
    }

    static func labelSummary(types: [String], tracks: Int? = nil, frames: Int? = nil) -> InspectionReport.Labels {
        InspectionReport.Labels(
            boxes: types.count, byClass: types.reduce(into: [:]) { $0[$1, default: 0] += 1 },
            tracks: tracks, frames: frames)
    }

    private static func inspectKITTIText(_ path: String) throws(ReadError) -> InspectionReport {
        let text = try FileAccess.text(of: path)
        let firstFields =
            text.split(whereSeparator: \.isNewline).first { !$0.allSatisfy(\.isWhitespace) }?.split(separator: " ")
            ?? []
        if let key = firstFields.first, key.hasPrefix("P0") {
            let calibration = try KITTICalibration.parse(text, file: path)
            let cameras = calibration.projections.enumerated().map { index, p in
                InspectionReport.Camera(name: "P\(index)", fx: p.row0.x, fy: p.row1.y, cx: p.row0.z, cy: p.row1.z)
            }
            return InspectionReport(path: path, kind: .kittiCalibration, cameras: cameras)
        }
        if firstFields.count >= 17 {
            let rows = try KITTITrackedObject.parse(text, file: path).filter { !$0.object.isDontCare }
            return InspectionReport(
                path: path, kind: .kittiTracking,
                labels: labelSummary(
                    types: rows.map(\.object.type), tracks: Set(rows.map(\.trackID)).count,
                    frames: Set(rows.map(\.frame)).count))
        }
        let objects = try KITTIObject.parse(text, file: path).filter { !$0.isDontCare }
        return InspectionReport(path: path, kind: .kittiLabels, labels: labelSummary(types: objects.map(\.type)))
    }

    private static func inspectJSON(_ path: String) throws(ReadError) -> InspectionReport {
        let data = try FileAccess.contents(of: path)
        let topLevel = try? JSONSerialization.jsonObject(with: data)
        if let object = topLevel as? [String: Any] {
            if object["openlabel"] != nil {
                let document = try OpenLABELDocument.parse(data, file: path)
                let labels = document.frames.values.flatMap { frame in
                    frame.objects.flatMap { uid, cuboids in cuboids.map { _ in document.objects[uid]?.type ?? "?" } }
                }
                return InspectionReport(
                    path: path, kind: .openLABEL,
                    labels: labelSummary(types: labels, tracks: document.objects.count, frames: document.frames.count),
                    cameras: document.streams.sorted { $0.key < $1.key }.compactMap { name, stream in
                        stream.intrinsics.map { camera(name, $0) }
                    })
            }
            if object["format"] as? String == SceneManifest.formatName {
                let manifest = try SceneManifest.parse(data, file: path)
                return InspectionReport(
                    path: path, kind: .scene, cameras: manifest.cameras.map(camera), scene: sceneSummary(manifest))
            }
            if object["extrinsic"] != nil {
                let calibration = try SUSTechPOINTS.parseCameraCalibration(data, file: path)
                let k = calibration.cameraMatrix
                return InspectionReport(
                    path: path, kind: .sustechCalibration,
                    cameras: [
                        InspectionReport.Camera(
                            name: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent,
                            fx: k.row0.x, fy: k.row1.y, cx: k.row0.z, cy: k.row1.z)
                    ])
            }
        }
        if topLevel is [Any] {
            let boxes = try SUSTechPOINTS.parseLabels(data, file: path)
            return InspectionReport(
                path: path, kind: .sustechLabels,
                labels: labelSummary(types: boxes.map(\.type), tracks: Set(boxes.map(\.id)).count))
        }
        throw ReadError(
            file: path, location: .file,
            message: "expected OpenLABEL, a FusionLabel scene manifest, or SUSTech POINTS labels or calibration")
    }

    private static func inspectScene(_ folder: String) throws(ReadError) -> InspectionReport {
        let scene = try Scene.open(folder)
        let manifest = scene.manifest
        var report = InspectionReport(
            path: folder, kind: .scene, cameras: manifest.cameras.map(camera), scene: sceneSummary(manifest))
        if let first = manifest.frames.first {
            report.points = summary(of: try scene.lidarSweep(of: first))
        }
        let documents = try scene.labelDocuments()
        let types = documents.flatMap { document in
            document.frames.values.flatMap { frame in
                frame.objects.flatMap { uid, cuboids in cuboids.map { _ in document.objects[uid]?.type ?? "?" } }
            }
        }
        if !documents.isEmpty {
            report.labels = labelSummary(
                types: types, tracks: documents.reduce(0) { $0 + $1.objects.count },
                frames: Set(documents.flatMap { $0.frames.keys }).count)
        }
        return report
    }

    private static func sceneSummary(_ manifest: SceneManifest) -> InspectionReport.SceneSummary {
        InspectionReport.SceneSummary(
            name: manifest.name, frames: manifest.frames.count,
            duration: (manifest.frames.last?.timestamp ?? 0) - (manifest.frames.first?.timestamp ?? 0),
            hasEgoPoses: !manifest.frames.isEmpty && manifest.frames.allSatisfy { $0.worldFromEgo != nil },
            lidar: manifest.lidar.name, labelFiles: manifest.labels)
    }

    private static func camera(_ camera: SceneManifest.Camera) -> InspectionReport.Camera {
        InspectionReport.Camera(
            name: camera.name, width: camera.width, height: camera.height, fx: camera.fx, fy: camera.fy, cx: camera.cx,
            cy: camera.cy)
    }

    private static func camera(_ name: String, _ intrinsics: OpenLABELDocument.PinholeIntrinsics)
        -> InspectionReport.Camera
    {
        let k = intrinsics.cameraMatrix
        return InspectionReport.Camera(
            name: name, width: intrinsics.width, height: intrinsics.height,
            fx: k.row0.x, fy: k.row1.y, cx: k.row0.z, cy: k.row1.z)
    }
}
