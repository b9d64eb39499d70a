import Foundation
import FusionCalibration
import FusionGeometry
import FusionIO
import FusionPrelabel
import FusionTracking

/// The labelled sweeps of a dataset folder, as `PrelabelBenchmark` scores them and as the proposal
/// scorer learns from them: a KITTI object folder, a SUSTech POINTS-layout folder (SUSTech POINTS,
/// and the Argoverse 2 and PandaSet extracts) or a FusionLabel scene folder.
public struct LabelledSweep: Sendable {
    /// The frame id in its folder.
    public var id: String
    public var source: SensorFrame.Source
    /// Sensor frame (x forward, y left, z up, metres).
    public var sweep: PointCloud
    /// Every labelled box (KITTI's DontCare left out), with its returns counted.
    public var labels: [PrelabelBenchmark.Label]
    /// Boxes of the label file left out as unreadable (a non-positive size: some dataset
    /// conversions leave a few).
    public var skippedLabels: [ReadError] = []
    /// The cameras whose view holds every label when the dataset labels only what they see
    /// (KITTI's camera 2); nil when it labels all round.
    var labelledView: CameraRig?

    /// Whether a box's centre is where the dataset labels: in front of one of `labelledView`'s
    /// cameras and inside its image horizontally, or anywhere when the dataset labels all round.
    func isLabelled(_ box: Cuboid) -> Bool {
        guard let labelledView else { return true }
        return labelledView.cameras.contains { camera in
            guard let pixel = camera.pixel(ofLidarPoint: box.center) else { return false }
            return pixel.x >= 0 && pixel.x < Double(camera.imageSize.width)
        }
    }

    /// Every labelled frame of a folder, in frame order (frames without a label file are left out).
    /// - Throws: `ReadError` for a folder that holds no recording, and missing or malformed files.
    public static func load(_ folder: String) throws -> [LabelledSweep] {
        let recording = RecordingFolder(path: folder)
        return try recording.frameIDs().compactMap { id in try load(id: id, source: try recording.source(frame: id)) }
    }

    /// One frame, or nil when it has no labels file.
    public static func load(id: String, source: SensorFrame.Source) throws -> LabelledSweep? {
        let sweep: PointCloud
        var labels: [(type: String, box: Cuboid)] = []
        var view: CameraRig?
        var skipped: [ReadError] = []
        switch source {
        case .kittiObject(let folder, let frame):
            let labelPath = "\(folder)/label_2/\(frame).txt"
            guard FileManager.default.fileExists(atPath: labelPath) else { return nil }
            let calibration = try KITTICalibration.read(contentsOf: "\(folder)/calib/\(frame).txt")
            let lidarFromCamera = calibration.rectifiedCameraFromLidar.inverse
            labels = try KITTIObject.read(contentsOf: labelPath).map {
                ($0.type, $0.box.cuboid(lidarFromRectifiedCamera: lidarFromCamera))
            }
            sweep = try KITTIVelodyne.read(contentsOf: "\(folder)/velodyne/\(frame).bin")
            view = try SensorFrame.cameraRig(of: source)
        case .sustechPOINTS(let folder, let frame):
            let labelPath = "\(folder)/label/\(frame).json"
            guard FileManager.default.fileExists(atPath: labelPath) else { return nil }
            labels = try SUSTechPOINTS.readLabels(contentsOf: labelPath, skipped: &skipped).map { ($0.type, $0.cuboid) }
            sweep = try SensorFrame.readSweep(try PrelabelRun.lidarFile(of: source))
        case .scene(let folder, let index):
            let scene = try Scene.open(folder)
            guard let frame = scene.manifest.frames.first(where: { $0.index == index }) else { return nil }
            for document in try scene.labelDocuments() {
                for (uid, objectLabels) in (document.frames[index]?.objects ?? [:]).sorted(by: { $0.key < $1.key }) {
                    labels += objectLabels.map { (document.objects[uid]?.type ?? "unknown", $0.cuboid) }
                }
            }
            sweep = try scene.lidarSweep(of: frame)
        case .lidarFile:
            return nil
        }
        let counted = labels.compactMap { label -> PrelabelBenchmark.Label? in
            guard let category = ObjectCategory(datasetName: label.type) else { return nil }
            return PrelabelBenchmark.Label(
                category: category, box: label.box, points: sweep.countPoints(inside: label.box))
        }
        return LabelledSweep(
            id: id, source: source, sweep: sweep, labels: counted, skippedLabels: skipped, labelledView: view)
    }

    /// The benchmark's view of this frame with `proposals` (sensor frame): only those where the
    /// dataset labels.
    public func benchmarkFrame(_ proposals: [PrelabelBenchmark.Detection], name: String? = nil)
        -> PrelabelBenchmark.Frame
    {
        PrelabelBenchmark.Frame(name: name ?? id, labels: labels, detections: proposals.filter { isLabelled($0.box) })
    }
}

extension PrelabelBenchmark.Detection {
    /// How the benchmark sees a proposal: its class's group (its likeliest class's when unsure),
    /// scored by its confidence.
    public init(_ proposal: Proposal) {
        // With a scorer, `.other` holds the probability of background: an unsure proposal counts as its likeliest road user.
        let guesses = proposal.classProbabilities.filter { proposal.objectProbability == nil || $0.key != .other }
        let kind = proposal.kind ?? guesses.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? .other
        self.init(
            group: kind.group, score: proposal.confidence, box: proposal.cuboid,
            isFlagged: proposal.flags.contains(where: \.asksForReview))
    }
}

extension PrelabelBenchmark.Detection {
    /// The pre-labels of a document as `PrelabelRun.openLABEL(_:name:)` writes them, by the frame id
    /// each cuboid names (`source_frame`; the frame number when it names none): the group of its
    /// type, or of its likeliest class (`p_<class>`) when unsure, scored by its `confidence` (1
    /// when it has none), flagged when it carries `flags` (those that ask for review).
    public static func byFrame(in document: OpenLABELDocument) -> [String: [PrelabelBenchmark.Detection]] {
        var frames: [String: [PrelabelBenchmark.Detection]] = [:]
        for number in document.frames.keys.sorted() {
            for (uid, cuboids) in document.frames[number]!.objects.sorted(by: { $0.key < $1.key }) {
                for cuboid in cuboids {
                    let attributes = cuboid.attributes
                    var kind = document.objects[uid].flatMap { PrelabelClass(labelName: $0.type) } ?? .other
                    let guesses = attributes.numbers.compactMap { key, value in
                        key.hasPrefix("p_")
                            ? PrelabelClass(rawValue: String(key.dropFirst(2))).map { ($0, value) } : nil
                    }
                    if kind == .other, let likeliest = guesses.max(by: { ($0.1, $1.0) < ($1.1, $0.0) }) {
                        kind = likeliest.0
                    }
                    let frame = attributes.texts["source_frame"] ?? String(number)
                    frames[frame, default: []].append(
                        .init(
                            group: kind.group, score: attributes.numbers["confidence"] ?? 1, box: cuboid.cuboid,
                            isFlagged: attributes.texts["flags"] != nil))
                }
            }
        }
        return frames
    }
}
