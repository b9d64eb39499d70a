import Foundation
import FusionCalibration
import FusionGeometry
import FusionIO
import FusionPrelabel
import FusionQA

/// A whole scene from recording to review-ready labels in one call: pre-labels every frame, tracks
/// them offline over the scene (in the world when it has ego poses), measures what every camera
/// sees of each box (2D box, truncation, visibility), and runs the guideline's checks and flags.
///
/// Two passes stream over the frames, each with at most `configuration.maximumConcurrency` frames
/// in flight in a task group: the first pre-labels, the second projects and measures. Only the
/// proposals (without their point indices) stay between the passes, so memory grows with the
/// number of labels, not with the sweeps. Cancelling the calling task stops both passes at the
/// next frame boundary with `CancellationError`. The same scene and configuration give the same
/// result, whatever the concurrency.
public struct SceneAnnotator: Sendable {
    /// Where the run is, for progress reports.
    public struct Progress: Sendable, Equatable {
        public enum Stage: String, Sendable, CaseIterable {
            case prelabel, track, project, check
        }

        public var stage: Stage
        /// Frames finished in this stage (tracking and checking report 0, then all).
        public var done: Int
        public var total: Int
    }

    public var configuration: AnnotationConfiguration

    /// One frame as the first pass leaves it: its pre-labels without point indices, and each
    /// proposal's own returns (empty unless the whole-track refinement needs them).
    typealias PrelabelledFrame = (result: PrelabelRun.FrameResult, returns: [[SIMD3<Float>]])
    /// The pre-labelling pass: its `prelabeler` (priors replaced by `configuration.priors`), and
    /// optionally a detector's `predictions` and a folder of 2D `detections` to fuse.
    public var prelabeling: PrelabelRun

    /// - Throws: `ReadError` when the configuration's prior model cannot be read or is out of range.
    public init(
        configuration: AnnotationConfiguration = AnnotationConfiguration(), prelabeling: PrelabelRun = PrelabelRun()
    ) throws(ReadError) {
        try configuration.validate()
        self.configuration = configuration
        self.prelabeling = prelabeling
        if let priors = configuration.priors {
            self.prelabeling.prelabeler.priors = try PriorModel.read(contentsOf: priors)
        }
    }

    /// Annotates the scene folder (`scene.json`).
    /// - Parameter progress: called after each frame of each pass, and at the start and end of
    ///   tracking and checking, from any thread.
    /// - Throws: `ReadError` for unreadable scene files (the first frame that fails stops the
    ///   run), `CalibrationError` for unusable cameras, `CancellationError` when cancelled.
    public func annotate(scene folder: String, progress: @escaping @Sendable (Progress) -> Void = { _ in }) async throws
        -> AnnotatedScene
    {
        let scene = try Scene.open(folder)
        let rig = try CameraRig(scene: scene.manifest)
        let rules =
            try configuration.rules.map { path throws(ReadError) in try RuleSet.read(contentsOf: path) } ?? .standard
        let frames = scene.manifest.frames
        let worldFromLidar = frames.map { $0.worldFromEgo.map { $0 * scene.manifest.lidar.egoFromLidar } }
        let concurrency = configuration.maximumConcurrency ?? ProcessInfo.processInfo.activeProcessorCount

        let prelabeling = prelabeling
        let stamp = prelabeling.prelabeler.provenanceStamp
        let refinesTracks = configuration.refinesTracks
        let prelabelled = try await Self.forEachFrame(
            frames.count, concurrency: concurrency,
            progress: { progress(Progress(stage: .prelabel, done: $0, total: frames.count)) }
        ) { position in
            let (result, sweep) = try prelabeling.prelabelKeepingSweep(
                frame: String(frames[position].index),
                source: .scene(folder: scene.folder, frameIndex: frames[position].index),
                file: try scene.resolve(frames[position].lidar), stamp: stamp)
            return Self.keepingReturns(result, of: sweep, forRefinement: refinesTracks)
        }

        progress(Progress(stage: .track, done: 0, total: frames.count))
        let tracked = tracked(prelabelled, worldFromLidar: worldFromLidar)
        progress(Progress(stage: .track, done: frames.count, total: frames.count))

        let spacing = configuration.visibilitySampleSpacing
        let measured = try await Self.forEachFrame(
            frames.count, concurrency: concurrency,
            progress: { progress(Progress(stage: .project, done: $0, total: frames.count)) }
        ) { position in
            let sweep = try scene.lidarSweep(of: frames[position])
            return Self.measured(tracked.objects[position], sweep: sweep, rig: rig, sampleSpacing: spacing)
        }

        progress(Progress(stage: .check, done: 0, total: frames.count))
        let annotated = checked(
            measured, scene: scene, rig: rig, rules: rules, prelabelled: prelabelled,
            worldFromLidar: worldFromLidar, droppedProposals: tracked.droppedProposals)
        progress(Progress(stage: .check, done: frames.count, total: frames.count))
        return annotated
    }

    /// A frame's pre-labels as the tracking pass keeps them: the proposals without their point
    /// indices, and (for the whole-track refinement) each proposal's own returns.
    static func keepingReturns(_ result: PrelabelRun.FrameResult, of sweep: PointCloud, forRefinement: Bool)
        -> PrelabelledFrame
    {
        var result = result
        let returns = forRefinement ? result.proposals.map { proposal in proposal.pointIndices.map { sweep[$0] } } : []
        for index in result.proposals.indices { result.proposals[index].pointIndices = [] }
        return (result, returns)
    }

    /// Offline tracking over the scene's pre-labels (in the world when every frame has a pose),
    /// then the whole-track refinement when configured: objects per frame, LiDAR frame.
    func tracked(_ prelabelled: [PrelabelledFrame], worldFromLidar: [RigidTransform?])
        -> (objects: [[AnnotatedScene.Object]], droppedProposals: Int)
    {
        let tracking = AnnotationTracking(configuration: configuration)
            .objects(
                proposals: prelabelled.map(\.result.proposals),
                worldFromLidar: worldFromLidar.contains(nil) ? nil : worldFromLidar.map { $0! })
        var objects = tracking.objects
        if configuration.refinesTracks {
            let returns = tracking.proposalIndices.indices.map { frame in
                tracking.proposalIndices[frame].map { index in index.map { prelabelled[frame].returns[$0] } }
            }
            objects = TrackRefinement().refined(objects, returns: returns)
        }
        return (objects, tracking.droppedProposals)
    }

    /// The annotated scene from its measured frames, with the guideline's checks and flags run.
    func checked(
        _ measured: [[AnnotatedScene.Object]], scene: Scene, rig: CameraRig, rules: RuleSet,
        prelabelled: [PrelabelledFrame], worldFromLidar: [RigidTransform?],
        droppedProposals: Int
    ) -> AnnotatedScene {
        let frames = scene.manifest.frames
        var annotated = frames.indices.map { position in
            AnnotatedScene.Frame(
                index: frames[position].index, timestamp: frames[position].timestamp,
                worldFromLidar: worldFromLidar[position],
                objects: measured[position], provenance: prelabelled[position].result.provenance)
        }
        let (findings, report) = AnnotationChecks(rules: rules, uncertainConfidence: configuration.uncertainConfidence)
            .check(&annotated, sceneName: scene.manifest.name)
        return AnnotatedScene(
            name: scene.manifest.name, folder: scene.folder, rig: rig, frames: annotated,
            findings: findings, report: report, configuration: configuration, droppedProposals: droppedProposals)
    }

    /// Points, ground and camera views of one frame's objects, measured in its sweep.
    static func measured(_ objects: [AnnotatedScene.Object], sweep: PointCloud, rig: CameraRig, sampleSpacing: Double)
        -> [AnnotatedScene.Object]
    {
        var objects = objects
        let boxes = objects.map(\.cuboid)
        var options = VisibilityOptions()
        options.sampleSpacing = sampleSpacing
        let grid = BirdsEyePointGrid(sweep)
        let inBoxes = sweep.insideAnyMask(of: boxes, grid: grid)
        let visibilities = rig.cameras.map {
            $0.visibility(of: boxes, points: sweep, options: options, pointsInBoxes: inBoxes)
        }
        let points = sweep.countPoints(inside: boxes, grid: grid)
        for index in objects.indices {
            objects[index].points = points[index]
            objects[index].groundHeight = SceneQA.groundHeight(around: boxes[index], in: sweep, grid: grid)
            objects[index].views = rig.cameras.indices.map { cameraIndex in
                let projected = rig.cameras[cameraIndex].project(boxes[index])
                let visibility = visibilities[cameraIndex][index]
                return AnnotatedScene.CameraView(
                    camera: rig.cameras[cameraIndex].name, imageBox: projected.boxInImage,
                    truncation: projected.truncation,
                    visibleFraction: projected.isInImage ? visibility.visibleFraction : 0,
                    kittiOcclusion: projected.isInImage ? visibility.kittiOcclusion : 3)
            }
        }
        return objects
    }

    /// Runs `work` for positions `0..<count` in a task group with at most `concurrency` at once
    /// and returns the results in position order; `progress` hears how many are done after each.
    static func forEachFrame<Value: Sendable>(
        _ count: Int, concurrency: Int, progress: @escaping @Sendable (Int) -> Void,
        work: @escaping @Sendable (Int) throws -> Value
    ) async throws -> [Value] {
        try await withThrowingTaskGroup(of: (Int, Value).self) { group in
            var results = [Value?](repeating: nil, count: count)
            var next = 0
            var done = 0
            func start(_ position: Int) {
                group.addTask {
                    try Task.checkCancellation()
                    return (position, try work(position))
                }
            }
            while next < min(count, max(1, concurrency)) {
                start(next)
                next += 1
            }
            while let (position, value) = try await group.next() {
                results[position] = value
                done += 1
                progress(done)
                if next < count {
                    try Task.checkCancellation()
                    start(next)
                    next += 1
                }
            }
            return results.map { $0! }
        }
    }
}
