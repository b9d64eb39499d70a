import Foundation
import FusionCalibration
import FusionGeometry
import FusionIO
import FusionQA
import FusionSupport

/// Measures the engine on a team's own scene and machine: what `fusionlabel bench` runs.
///
/// Each stage of the pipeline runs alone, one frame at a time on one thread, on the same code
/// path as `SceneAnnotator.annotate`: reading the sweep, the pre-labeller's three stages (ground,
/// clustering, fitting and classes), offline tracking over the scene, projecting the sweep into
/// each camera, measuring what each camera sees of the boxes, the guideline checks, and writing the
/// labels and QA report. Then the whole pipeline runs at 1, 2, 4, … threads up to every core, and
/// the machine's ceilings (copy bandwidth, multiply-add rate) are measured in the same run, so that
/// each figure reads against what this machine can do.
public struct EngineBench: Sendable {
    /// The pipeline measured: its configuration and pre-labeller (predictions and 2D detections,
    /// when set, are merged in the scaling runs only).
    public var annotator: SceneAnnotator
    /// How many times the stages run over the scene (their samples add up).
    public var repeats = 1
    /// Thread counts for the whole pipeline; nil: 1, 2, 4, … and every core.
    public var threadCounts: [Int]?

    public init(annotator: SceneAnnotator) {
        self.annotator = annotator
    }

    /// The thread counts used when `threadCounts` is nil: powers of two below `cores`, then `cores`.
    static func defaultThreadCounts(cores: Int) -> [Int] {
        var counts: [Int] = []
        var threads = 1
        while threads < cores {
            counts.append(threads)
            threads *= 2
        }
        return counts + [max(1, cores)]
    }

    /// Runs the bench on a scene folder (`scene.json`).
    /// - Parameter progress: hears what is being measured (a short phrase), from any thread.
    /// - Throws: `ReadError` for unreadable scene files or a scene without frames, `CalibrationError`
    ///   for unusable cameras.
    public func run(scene folder: String, progress: @escaping @Sendable (String) -> Void = { _ in }) async throws
        -> EngineBenchReport
    {
        let scene = try Scene.open(folder)
        let rig = try CameraRig(scene: scene.manifest)
        let frames = scene.manifest.frames
        guard !frames.isEmpty else {
            throw ReadError(
                file: folder + "/" + SceneManifest.fileName, location: .jsonPath("frames"),
                message: "the scene has no frames to measure")
        }
        let configuration = annotator.configuration
        let rules =
            try configuration.rules.map { path throws(ReadError) in try RuleSet.read(contentsOf: path) } ?? .standard
        let worldFromLidar = frames.map { $0.worldFromEgo.map { $0 * scene.manifest.lidar.egoFromLidar } }
        let prelabeler = annotator.prelabeling.prelabeler
        let stamp = prelabeler.provenanceStamp

        var clock = StageClock()
        var points = 0
        for round in 0..<max(1, repeats) {
            progress("stages, round \(round + 1) of \(max(1, repeats))")
            var prelabelled: [SceneAnnotator.PrelabelledFrame] = []
            for frame in frames {
                let source = SensorFrame.Source.scene(folder: scene.folder, frameIndex: frame.index)
                let file = try scene.resolve(frame.lidar)
                let (sweep, bytes) = try clock.time("read", points: 0) { try PrelabelRun.readSweep(file: file) }
                clock.count(sweep.count, pointsFor: "read")
                points += sweep.count
                let ground = clock.time("ground", points: sweep.count) { prelabeler.ground(of: sweep) }
                let clusters = clock.time("clustering", points: sweep.count) {
                    prelabeler.clusters(of: sweep, ground: ground)
                }
                let result = clock.time("fitting and classes", points: sweep.count) {
                    PrelabelRun.FrameResult(
                        frame: String(frame.index), source: source,
                        proposals: prelabeler.proposals(in: sweep, ground: ground, clusters: clusters),
                        provenance: stamp.provenance(inputBytes: bytes))
                }
                prelabelled.append(
                    SceneAnnotator.keepingReturns(result, of: sweep, forRefinement: configuration.refinesTracks))
            }
            let sweepPoints = points / (round + 1)
            let tracked = clock.time("tracking", points: sweepPoints, wholeScene: true) {
                annotator.tracked(prelabelled, worldFromLidar: worldFromLidar)
            }
            var measured: [[AnnotatedScene.Object]] = []
            var projected = ProjectedPoints()
            for (position, frame) in frames.enumerated() {
                let sweep = try scene.lidarSweep(of: frame)
                for camera in rig.cameras {
                    // A projection reads x y z and writes u v depth and flags: 25 bytes a point.
                    clock.time("projection into \(camera.name)", points: sweep.count, bytesPerPoint: 25) {
                        camera.project(sweep, into: &projected, concurrency: .singleThread)
                    }
                }
                measured.append(
                    clock.time("camera views", points: sweep.count) {
                        SceneAnnotator.measured(
                            tracked.objects[position], sweep: sweep, rig: rig,
                            sampleSpacing: configuration.visibilitySampleSpacing)
                    })
            }
            let annotated = clock.time("checks", points: sweepPoints, wholeScene: true) {
                annotator.checked(
                    measured, scene: scene, rig: rig, rules: rules, prelabelled: prelabelled,
                    worldFromLidar: worldFromLidar, droppedProposals: tracked.droppedProposals)
            }
            try clock.time("write", points: sweepPoints, wholeScene: true) { try Self.write(annotated) }
        }

        progress("machine ceilings")
        let machine = MachineCeilings.measure()
        let frameCount = frames.count
        let stages = clock.stages.map { $0.report(frames: frameCount, repeats: max(1, repeats), machine: machine) }

        var scaling: [EngineBenchReport.Scaling] = []
        for threads in threadCounts ?? Self.defaultThreadCounts(cores: machine.cores) {
            progress("whole pipeline on \(threads) thread\(threads == 1 ? "" : "s")")
            var run = annotator
            run.configuration.maximumConcurrency = threads
            ProcessMemory.resetPeak()
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try await run.annotate(scene: folder)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let framesPerSecond = Double(frameCount) / elapsed
            scaling.append(
                EngineBenchReport.Scaling(
                    threads: threads, framesPerSecond: framesPerSecond,
                    speedup: framesPerSecond / (scaling.first?.framesPerSecond ?? framesPerSecond),
                    peakResidentBytes: ProcessMemory.peakResidentBytes()))
        }

        #if FusedMultiplyAdd
            let fused = true
        #else
            let fused = false
        #endif
        return EngineBenchReport(
            scene: scene.manifest.name, frames: frameCount,
            pointsPerFrame: Double(points) / Double(frameCount * max(1, repeats)),
            cameras: rig.cameras.map(\.name), repeats: max(1, repeats), stages: stages, scaling: scaling,
            machine: machine, engineVersion: FusionLabelVersion.current, fusedMultiplyAdd: fused)
    }

    /// What `fusionlabel annotate` writes first (labels and QA report), into a temporary folder
    /// that is removed again.
    static func write(_ annotated: AnnotatedScene) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fusionlabel-bench-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try annotated.openLABEL().write(to: folder + "/labels.openlabel.json")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileAccess.writeAtomically(try encoder.encode(annotated.report), to: folder + "/qa-report.json")
        try FileAccess.writeAtomically(Data(annotated.report.markdown().utf8), to: folder + "/qa-report.md")
    }
}

/// The samples of each stage, in the order the stages first ran.
struct StageClock {
    struct Stage {
        var name: String
        var wholeScene: Bool
        /// The least memory traffic per point the stage can have (reading x y z once: 12 bytes).
        var bytesPerPoint: Double
        var seconds: [Double] = []
        var points = 0
        var peakResidentBytes: Int?

        func report(frames: Int, repeats: Int, machine: MachineCeilings) -> EngineBenchReport.Stage {
            let total = seconds.reduce(0, +)
            let sorted = seconds.sorted()
            let pointsPerSecond = Double(points) / total
            return EngineBenchReport.Stage(
                name: name, wholeScene: wholeScene, samples: seconds.count,
                framesPerSecond: Double(frames * repeats) / total, pointsPerSecond: pointsPerSecond,
                p50Milliseconds: 1000 * percentile(sorted, 0.5), p99Milliseconds: 1000 * percentile(sorted, 0.99),
                peakResidentBytes: peakResidentBytes,
                memoryShare: pointsPerSecond * bytesPerPoint / machine.copyBytesPerSecond,
                multiplyAddsPerPoint: machine.multiplyAddsPerSecond / pointsPerSecond)
        }
    }

    private(set) var stages: [Stage] = []

    /// Times `body` as one sample of the stage `name` that worked on `points` returns, moving at
    /// least `bytesPerPoint` bytes of memory for each.
    mutating func time<Value>(
        _ name: String, points: Int, bytesPerPoint: Double = 12, wholeScene: Bool = false,
        _ body: () throws -> Value
    ) rethrows -> Value {
        ProcessMemory.resetPeak()
        let start = DispatchTime.now().uptimeNanoseconds
        let value = try body()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let peak = ProcessMemory.peakResidentBytes()
        let index =
            stages.firstIndex { $0.name == name }
            ?? {
                stages.append(Stage(name: name, wholeScene: wholeScene, bytesPerPoint: bytesPerPoint))
                return stages.count - 1
            }()
        stages[index].seconds.append(elapsed)
        stages[index].points += points
        if let peak { stages[index].peakResidentBytes = max(stages[index].peakResidentBytes ?? 0, peak) }
        return value
    }

    /// Adds returns to a stage that learns its size only once it ran (reading a sweep).
    mutating func count(_ points: Int, pointsFor name: String) {
        guard let index = stages.firstIndex(where: { $0.name == name }) else { return }
        stages[index].points += points
    }
}

/// The `fraction` percentile of ascending `sorted` values (nearest rank); 0 for none.
func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    sorted.isEmpty ? 0 : OrderStatistics.quantile(sorted, fraction, .nearestRank)
}
