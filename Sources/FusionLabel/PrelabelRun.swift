import Foundation
import FusionCalibration
import FusionGeometry
import FusionIO
import FusionPrelabel
import FusionSupport

/// Pre-labels the frames of a recording and turns the proposals into label files: what
/// `fusionlabel prelabel` does. Frames are read, pre-labelled and dropped one at a time per
/// worker, so memory holds a few sweeps whatever the recording's length.
public struct PrelabelRun: Sendable {
    public var prelabeler: Prelabeler

    public init(prelabeler: Prelabeler = Prelabeler()) {
        self.prelabeler = prelabeler
    }

    /// One frame's proposals and where they come from.
    public struct FrameResult: Sendable {
        /// The frame's id in its source (a scene frame index, a KITTI or SUSTech file id).
        public var frame: String
        public var source: SensorFrame.Source
        /// Sensor (LiDAR) frame.
        public var proposals: [Proposal]
        public var provenance: PrelabelProvenance
    }

    /// The LiDAR file of a frame.
    static func lidarFile(of source: SensorFrame.Source) throws -> String {
        switch source {
        case .scene: return try lidarFiles(of: [source])[0]
        case .kittiObject(let folder, let frame): return "\(folder)/velodyne/\(frame).bin"
        case .sustechPOINTS(let folder, let frame): return "\(folder)/lidar/\(frame).pcd"
        case .lidarFile(let path): return path
        }
    }

    /// The LiDAR files of many frames, each scene folder opened once (opening one checks every file
    /// its manifest names, which per frame cost more than reading the sweep). Other sources go to
    /// `lidarFile(of:)`.
    static func lidarFiles(of sources: [SensorFrame.Source]) throws -> [String] {
        var scenes: [String: (scene: Scene, files: [Int: String])] = [:]
        return try sources.map { source in
            guard case .scene(let folder, let frameIndex) = source else { return try lidarFile(of: source) }
            if scenes[folder] == nil {
                let scene = try Scene.open(folder)
                scenes[folder] = (
                    scene,
                    Dictionary(
                        scene.manifest.frames.map { ($0.index, $0.lidar) }, uniquingKeysWith: { first, _ in first })
                )
            }
            guard let (scene, files) = scenes[folder], let relative = files[frameIndex] else {
                throw ReadError(
                    file: folder + "/" + SceneManifest.fileName, location: .jsonPath("frames"),
                    message: "no frame with index \(frameIndex)")
            }
            return try scene.resolve(relative)
        }
    }

    /// A detector's predictions to merge into the proposals (see `PredictionImport`).
    public enum Predictions: Sendable {
        /// `<folder>/<frame>.txt` in KITTI object format with scores (KITTI object folders only:
        /// the frame's calibration moves them into the LiDAR frame).
        case kittiFolder(String)
        /// One OpenLABEL document, cuboids in the LiDAR frame, frame numbers the frame ids (scene
        /// frame indices, or KITTI and SUSTech ids read as numbers).
        case openLABEL(OpenLABELDocument)
    }

    /// Merged into every frame's proposals when set, under the model's name.
    public var predictions: (source: Predictions, modelName: String)?

    /// A folder of 2D detections to fuse, per frame: `<frame>.json` (`CameraDetection` JSON) or
    /// `<frame>.txt` (KITTI rows: type, 2D box, score; in the frame's first camera).
    public var detections: String?

    /// Pre-labels one frame: reads its sweep (the bytes hashed for the provenance), proposes, and
    /// merges the detector's predictions for the frame when there are any.
    public func prelabel(frame: String, source: SensorFrame.Source) throws -> FrameResult {
        try prelabelKeepingSweep(frame: frame, source: source, stamp: prelabeler.provenanceStamp).result
    }

    /// As `prelabel(frame:source:)`, with the sweep it read (for what needs the proposals' returns),
    /// the provenance stamped with `stamp` (the prelabeler's, made once per run). `file` is the
    /// source's LiDAR file when the caller knows it already (a scene's is found by reading scene.json).
    func prelabelKeepingSweep(
        frame: String, source: SensorFrame.Source, file: String? = nil, stamp: PrelabelProvenance.Stamp
    ) throws
        -> (result: FrameResult, sweep: PointCloud)
    {
        let (sweep, bytes) = try Self.readSweep(file: file ?? Self.lidarFile(of: source))
        let (proposals, ground) = prelabeler.prelabel(sweep)
        return (
            try merged(
                proposals, frame: frame, source: source, sweep: sweep, ground: ground, bytes: bytes, stamp: stamp),
            sweep
        )
    }

    /// A LiDAR file's sweep and its bytes (which the provenance hashes).
    static func readSweep(file path: String) throws -> (sweep: PointCloud, bytes: Data) {
        let bytes = try FileAccess.contents(of: path)
        return (try SensorFrame.readSweep(bytes, file: path), bytes)
    }

    /// The frame's result from the pre-labeller's proposals: the detector's predictions and the 2D
    /// detections for the frame merged in when there are any, and the provenance.
    func merged(
        _ proposals: [Proposal], frame: String, source: SensorFrame.Source, sweep: PointCloud,
        ground: GroundSegmentation.Ground?, bytes: Data, stamp: PrelabelProvenance.Stamp
    ) throws -> FrameResult {
        var proposals = proposals
        if let predictions {
            let boxes = try Self.predictions(predictions.source, frame: frame, source: source)
            proposals = PredictionImport(
                modelName: predictions.modelName, refitter: OneClickFit(prelabeler: prelabeler)
            )
            .merge(boxes, with: proposals, in: sweep, ground: ground)
        }
        if let folder = detections, let found = try Self.detections(in: folder, frame: frame) {
            let rig = try SensorFrame.cameraRig(of: source)
            // Detections that name no camera are in the first one.
            let named = found.map { detection in
                var named = detection
                named.camera = detection.camera ?? rig.cameras.first?.name
                return named
            }
            proposals = FrustumLifting(prelabeler: prelabeler).fuse(
                named, rig: rig, own: proposals, cloud: sweep, ground: ground)
        }
        return FrameResult(
            frame: frame, source: source, proposals: proposals, provenance: stamp.provenance(inputBytes: bytes))
    }

    /// A frame's 2D detections, or nil when the folder has no file for it.
    static func detections(in folder: String, frame: String) throws -> [CameraDetection]? {
        let json = "\(folder)/\(frame).json"
        let kitti = "\(folder)/\(frame).txt"
        if FileManager.default.fileExists(atPath: json) { return try CameraDetection.read(contentsOf: json) }
        if FileManager.default.fileExists(atPath: kitti) {
            return CameraDetection.kitti(try KITTIObject.read(contentsOf: kitti), camera: nil)
        }
        return nil
    }

    static func predictions(_ predictions: Predictions, frame: String, source: SensorFrame.Source) throws
        -> [ModelPrediction]
    {
        switch predictions {
        case .kittiFolder(let folder):
            guard case .kittiObject(let kittiFolder, _) = source else {
                throw ReadError(
                    file: folder, location: .file, message: "KITTI predictions need a KITTI object folder's calibration"
                )
            }
            let path = "\(folder)/\(frame).txt"
            guard FileManager.default.fileExists(atPath: path) else { return [] }
            return ModelPrediction.kitti(
                try KITTIObject.read(contentsOf: path),
                calibration: try KITTICalibration.read(contentsOf: "\(kittiFolder)/calib/\(frame).txt"))
        case .openLABEL(let document):
            guard let number = Int(frame) else { return [] }
            return ModelPrediction.openLABEL(document, frame: number)
        }
    }

    /// Pre-labels frames in parallel (at most `maximumConcurrency` at once, default the processor
    /// count), results in the order given; `progress` hears the number finished after each frame.
    /// The first frame that cannot be read stops the run with its error.
    public func prelabel(
        frames: [(id: String, source: SensorFrame.Source)], maximumConcurrency: Int? = nil,
        progress: @escaping @Sendable (Int) -> Void = { _ in }
    ) throws -> [FrameResult] {
        let stamp = prelabeler.provenanceStamp
        let files = try Self.lidarFiles(of: frames.map(\.source))
        return try parallelMap(count: frames.count, maximumConcurrency: maximumConcurrency, progress: progress) {
            (slot: Int) throws(any Error) in
            try prelabelKeepingSweep(
                frame: frames[slot].id, source: frames[slot].source, file: files[slot], stamp: stamp
            ).result
        }
    }

    /// The proposals as one OpenLABEL document: frame numbers in the order given, one object per
    /// proposal (uids counted from 0), cuboids in the `lidar` coordinate system. Each cuboid
    /// carries its confidence, class probabilities, returns, the fit before completion (size and
    /// residual), flags and provenance.
    public func openLABEL(_ results: [FrameResult], name: String) -> OpenLABELDocument {
        var document = OpenLABELDocument(
            metadata: .init(
                name: name, annotator: "FusionLabel pre-label \(FusionLabelVersion.current)",
                comment:
                    "Model-assisted pre-labels: judge and correct. Cuboids in the LiDAR frame (x forward, y left, z up)."
            ),
            coordinateSystems: ["lidar": .init(type: "sensor_cs")])
        var uid = 0
        for (number, result) in results.enumerated() {
            var frame = OpenLABELDocument.Frame()
            for proposal in result.proposals {
                let key = String(uid)
                uid += 1
                document.objects[key] = .init(
                    name: "\(proposal.kind?.rawValue ?? "unsure")-\(key)",
                    type: proposal.kind?.openLABELName ?? "Unknown")
                var attributes = OpenLABELDocument.Attributes(
                    numbers: [
                        "confidence": proposal.confidence, "points": Double(proposal.fit.pointCount),
                        "fit_residual": proposal.fit.residual,
                        "fit_length": proposal.fit.cuboid.size.length, "fit_width": proposal.fit.cuboid.size.width,
                        "fit_height": proposal.fit.cuboid.size.height
                    ],
                    texts: [
                        "origin": "prelabel", "source_frame": result.frame, "algorithm": result.provenance.algorithm,
                        "engine_version": result.provenance.engineVersion,
                        "parameter_hash": result.provenance.parameterHash,
                        "input_sha256": result.provenance.inputHash
                    ])
                for (kind, probability) in proposal.classProbabilities {
                    attributes.numbers["p_\(kind.rawValue)"] = probability
                }
                // `flags` ask a reviewer to look; `notes` describe the view (`ProposalFlag.asksForReview`).
                let review = proposal.flags.filter(\.asksForReview)
                let notes = proposal.flags.filter { !$0.asksForReview }
                if !review.isEmpty { attributes.texts["flags"] = review.map(\.rawValue).joined(separator: ",") }
                if !notes.isEmpty { attributes.texts["notes"] = notes.map(\.rawValue).joined(separator: ",") }
                if let features = proposal.features {
                    // What the scorer saw, so that corrections can teach it (`scorerExamples`).
                    attributes.texts["features"] = features.values.map { String($0) }.joined(separator: ",")
                }
                if let objectProbability = proposal.objectProbability {
                    attributes.numbers["object_probability"] = objectProbability
                }
                switch proposal.origin {
                case .lidarClusters: break
                case .model(let model, let score):
                    attributes.texts["model"] = model
                    attributes.numbers["model_score"] = score
                case .camera(let camera, let label, let score):
                    attributes.texts["camera"] = camera
                    attributes.texts["camera_label"] = label
                    attributes.numbers["camera_score"] = score
                }
                frame.objects[key] = [.init(coordinateSystem: "lidar", cuboid: proposal.cuboid, attributes: attributes)]
            }
            document.frames[number] = frame
        }
        return document
    }

    /// The proposals camera 2 sees, as KITTI label rows of one frame (KITTI labels only what the
    /// camera sees): in the rectified camera frame of a KITTI object folder, with the 2D box
    /// projected through P2 and the confidence as the score. Unsure proposals are written as
    /// `Misc`, scored with their likeliest class's probability.
    public static func kittiObjects(_ proposals: [Proposal], calibration: KITTICalibration, imageSize: ImageSize)
        -> [KITTIObject]
    {
        proposals.compactMap { proposal in
            let center = proposal.cuboid.transformed(by: calibration.rectifiedCameraFromLidar).center
            guard center.z > 0.5 else { return nil }
            let box = KITTIBox3D(
                cuboid: proposal.cuboid, rectifiedCameraFromLidar: calibration.rectifiedCameraFromLidar)
            let imageBox = KITTITrackingRun.imageBox(
                of: box, projection: calibration.leftColorProjection, imageSize: imageSize)
            guard imageBox.right > imageBox.left, imageBox.bottom > imageBox.top else { return nil }
            let alpha = box.rotationY - atan2(center.x, center.z)
            return KITTIObject(
                type: proposal.kind?.kittiName ?? "Misc", alpha: atan2(sin(alpha), cos(alpha)), imageBox: imageBox,
                box: box,
                score: proposal.confidence)
        }
    }

    /// What annotators did to a pre-label document, as examples for the proposal scorer
    /// (`ProposalScorer.updated(with:name:)`): each pre-label whose uid `corrected` kept is an
    /// object of its kept type's group (a static obstacle is background; a road user in no group
    /// teaches nothing), each one it dropped is background. A kept object also carries its kept
    /// box's size and its fit's (from the features), for the scorer's size models. Pre-labels without the `features`
    /// that `openLABEL(_:name:)` writes (a detector's boxes) are left out; so are frames
    /// `corrected` does not have (nobody judged them).
    public static func scorerExamples(prelabels: OpenLABELDocument, corrected: OpenLABELDocument) -> [ProposalScorer
        .Example]
    {
        var examples: [ProposalScorer.Example] = []
        for number in prelabels.frames.keys.sorted() {
            guard let kept = corrected.frames[number] else { continue }
            for (uid, labels) in prelabels.frames[number]!.objects.sorted(by: { $0.key < $1.key }) {
                guard let text = labels.first?.attributes.texts["features"] else { continue }
                let values = text.split(separator: ",").compactMap { Float($0) }
                guard values.count == ProposalFeature.allCases.count, values.allSatisfy(\.isFinite) else { continue }
                let outcome: ProposalScorer.Outcome?
                let features = ProposalFeatures(values: values)
                var sizes: (label: Size3, fit: Size3)?
                if let box = kept.objects[uid]?.first?.cuboid {
                    sizes = (
                        box.size,
                        Size3(
                            length: Double(features[.length]), width: Double(features[.width]),
                            height: Double(features[.height]))
                    )
                }
                if kept.objects[uid] != nil {
                    let category = corrected.objects[uid].flatMap { ObjectCategory(datasetName: $0.type) }
                    outcome = category.flatMap { category in
                        category.group.map(ProposalScorer.Outcome.init) ?? (category.isRoadUser ? nil : .background)
                    }
                } else {
                    outcome = .background
                }
                guard let outcome else { continue }
                let isObject = outcome != .background
                examples.append(
                    .init(
                        features: features, outcome: outcome, labelSize: isObject ? sizes?.label : nil,
                        fitSize: isObject ? sizes?.fit : nil))
            }
        }
        return examples
    }

    /// What annotators did to a pre-label document, as corrections to learn from: objects of
    /// `corrected` that keep a pre-label's uid were corrected from its fit (size from the
    /// `fit_length`, `fit_width`, `fit_height` numbers `openLABEL(_:name:)` writes), the others were
    /// drawn from nothing. Objects whose type names no pre-label class are skipped.
    public static func corrections(prelabels: OpenLABELDocument, corrected: OpenLABELDocument) -> [PriorModel
        .Correction]
    {
        var corrections: [PriorModel.Correction] = []
        for number in corrected.frames.keys.sorted() {
            for (uid, labels) in corrected.frames[number]!.objects.sorted(by: { $0.key < $1.key }) {
                guard let label = labels.first, let type = corrected.objects[uid]?.type,
                    let kind = PrelabelClass(labelName: type)
                else { continue }
                var fitted: Cuboid?
                if let proposal = prelabels.frames[number]?.objects[uid]?.first,
                    let length = proposal.attributes.numbers["fit_length"],
                    let width = proposal.attributes.numbers["fit_width"],
                    let height = proposal.attributes.numbers["fit_height"]
                {
                    fitted = Cuboid(
                        center: proposal.cuboid.center, size: Size3(length: length, width: width, height: height),
                        rotation: proposal.cuboid.rotation)
                }
                corrections.append(.init(kind: kind, fitted: fitted, corrected: label.cuboid))
            }
        }
        return corrections
    }
}
