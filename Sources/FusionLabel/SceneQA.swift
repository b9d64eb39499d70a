import Foundation
import FusionGeometry
import FusionIO
import FusionQA
import FusionSupport

/// Quality checks over a FusionLabel scene folder: its labels checked against a guideline, with
/// LiDAR returns and ground height measured from each frame's sweep, tracks followed in the world
/// through the ego poses, flags raised, and the report.
public enum SceneQA {
    /// Checks every label of the scene's label files.
    /// - Parameters:
    ///   - reference: a labelled dataset folder to measure drift against (`LabeledDataset` layouts).
    ///   - board: a review board for states and first-pass accuracy.
    ///   - secondAnnotator: another annotator's labels of the same frames (`AnnotationSet` layouts):
    ///     their agreement is reported and the labels they disagree on are flagged.
    /// - Throws: `ReadError` for unreadable scene files.
    public static func report(
        scene folder: String, rules: RuleSet = .standard, reference: String? = nil, board: ReviewBoard? = nil,
        secondAnnotator: String? = nil
    ) throws -> QAReport {
        let scene = try Scene.open(folder)
        let documents = try scene.labelDocuments()
        var frames: [CheckedFrame] = []
        var summaries: [(objectClass: String, range: Double, occlusionLevel: Int?, flags: Set<AmbiguityFlag>)] = []
        var labelFlags: [String: Set<AmbiguityFlag>] = [:]
        var occlusion: [String: Int] = [:]
        let egoFromLidar = scene.manifest.lidar.egoFromLidar
        let trajectory = PoseTrajectory(
            scene.manifest.frames.compactMap { frame in
                frame.worldFromEgo.map { .init(time: frame.timestamp, pose: $0) }
            })
        for frame in scene.manifest.frames {
            let sweep = try scene.lidarSweep(of: frame)
            let grid = BirdsEyePointGrid(sweep)
            var labels: [CheckedLabel] = []
            for document in documents {
                for (uid, objectLabels) in (document.frames[frame.index]?.objects ?? [:]).sorted(by: { $0.key < $1.key }
                ) {
                    for label in objectLabels {
                        let id = "\(frame.index)/\(uid)"
                        // Boxes placed at their own capture time are followed in the world at that time.
                        let captured = label.attributes.numbers["capture_time"]
                        var pose: RigidTransform?
                        if let captured, let trajectory {
                            pose = egoPose(trajectory, at: captured).map { $0 * egoFromLidar }
                        }
                        labels.append(
                            CheckedLabel(
                                id: id, trackID: uid, objectClass: document.objects[uid]?.type ?? "unknown",
                                box: label.cuboid,
                                points: sweep.countPoints(inside: [label.cuboid], grid: grid)[0],
                                groundHeight: groundHeight(around: label.cuboid, in: sweep, grid: grid),
                                time: pose == nil ? nil : captured, worldFromSensor: pose))
                        let hidden = label.attributes.numbers["occlusion"]
                        if let hidden { occlusion[id] = BoxSample.occlusionLevel(hiddenShare: hidden) }
                        let truncations = label.attributes.numbers.filter { $0.key.hasPrefix("truncation_") }.map(
                            \.value)
                        var flags = AmbiguityFlag.viewFlags(hiddenShare: hidden, truncation: truncations.min())
                        if let score = label.attributes.numbers["score"], score < 0.5 { flags.insert(.classUncertain) }
                        labelFlags[id] = flags
                    }
                }
            }
            let worldFromLidar = frame.worldFromEgo.map { $0 * scene.manifest.lidar.egoFromLidar }
            frames.append(
                CheckedFrame(index: frame.index, time: frame.timestamp, worldFromSensor: worldFromLidar, labels: labels)
            )
        }
        let findings = RuleChecker(rules: rules).check(frames)
        for finding in findings {
            labelFlags[finding.labelID, default: []].insert(finding.rule == .pointsMinimum ? .sparse : .ruleFinding)
        }
        var agreement: AnnotatorAgreement.PairReport?
        if let secondAnnotator {
            let mine = Dictionary(
                uniqueKeysWithValues: frames.map { frame in
                    (
                        frame.index,
                        frame.labels.map {
                            AnnotatedBox(id: $0.trackID ?? $0.id, objectClass: $0.objectClass, box: $0.box)
                        }
                    )
                })
            let report = AnnotatorAgreement().compare(mine, try AnnotationSet.read(secondAnnotator))
            for id in report.disputedLabels { labelFlags[id, default: []].insert(.annotatorsDisagree) }
            agreement = report
        }
        for frame in frames {
            for label in frame.labels {
                let range = (label.box.center.x * label.box.center.x + label.box.center.y * label.box.center.y)
                    .squareRoot()
                summaries.append((label.objectClass, range, occlusion[label.id], labelFlags[label.id] ?? []))
            }
        }
        var report = QAReport(
            scene: scene.manifest.name, guidelineVersion: rules.guidelineVersion, labels: summaries, findings: findings)
        report.agreement = agreement?.overall
        if let reference {
            report.drift = SimToRealValidation().compare(
                synthetic: try LabeledDataset.boxSamples(in: folder),
                real: try LabeledDataset.boxSamples(in: reference))
        }
        if let board {
            report.states = Dictionary(board.labels.values.map { ($0.state.rawValue, 1) }, uniquingKeysWith: +)
            var accuracy: [String: Double] = [:]
            for (key, value) in board.firstPassAccuracy(by: { $0.annotator ?? "unassigned" }) {
                accuracy["annotator " + key] = value
            }
            for (key, value) in board.firstPassAccuracy(by: \.objectClass) { accuracy["class " + key] = value }
            for (key, value) in board.firstPassAccuracy(by: \.scene) { accuracy["scene " + key] = value }
            report.firstPassAccuracy = accuracy
        }
        return report
    }

    /// The ego pose at `time`, extrapolated at the last motion past the trajectory's ends (the
    /// last sweep's objects are seen after its start).
    static func egoPose(_ trajectory: PoseTrajectory, at time: Double) -> RigidTransform? {
        if let pose = trajectory.pose(at: time) { return pose }
        let samples = trajectory.samples
        guard samples.count >= 2 else { return nil }
        let (a, b) = time > samples.last!.time ? (samples[samples.count - 2], samples.last!) : (samples[0], samples[1])
        return a.pose.interpolated(to: b.pose, fraction: (time - a.time) / (b.time - a.time))
    }

    /// The ground under a box: the 10th percentile of the heights of the returns around it (within
    /// 1.5 m of its footprint, outside it, and within a metre of its bottom, so walls and crowns do
    /// not count), nil when there are fewer than ten.
    /// - Parameter grid: the sweep bucketed once for many boxes (made here when nil).
    static func groundHeight(around box: Cuboid, in sweep: PointCloud, grid: BirdsEyePointGrid? = nil) -> Double? {
        let reach = 0.5 * (box.size.length * box.size.length + box.size.width * box.size.width).squareRoot() + 1.5
        guard reach.isFinite, box.center.x.isFinite, box.center.y.isFinite, box.center.z.isFinite else { return nil }
        var heights: [Double] = []
        let bottom = box.center.z - box.size.height / 2
        var grown = box
        grown.size = Size3(length: box.size.length + 0.2, width: box.size.width + 0.2, height: box.size.height + 0.4)
        let grid = grid ?? BirdsEyePointGrid(sweep)
        grid.forEachPoint(
            x: (box.center.x - reach)...(box.center.x + reach), y: (box.center.y - reach)...(box.center.y + reach)
        ) { index in
            let dx = Double(sweep.x[index]) - box.center.x
            let dy = Double(sweep.y[index]) - box.center.y
            guard dx * dx + dy * dy <= reach * reach else { return }
            let point = SIMD3<Double>(sweep[index])
            if !grown.contains(point), abs(point.z - bottom) <= 1 { heights.append(point.z) }
        }
        guard heights.count >= 10 else { return nil }
        return OrderStatistics.quantile(heights.sorted(), 0.1, .truncatedRank)
    }
}
