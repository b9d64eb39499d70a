// The whole annotation pipeline (`SceneAnnotator`: pre-label, offline tracking, projection into
// both cameras with visibility, guideline checks), and its stages next to PCL and OpenCV in the
// same run. Data: the urban street simulated at full resolution (HDL-64E, ~130k points a sweep,
// two 1024×576 cameras), 10 and 100 frames, made by `scripts/bench-scenes` (`make bench` runs it)
// into .build/bench-scenes, or FUSIONLABEL_BENCH_SCENES. Each benchmark runs in its own process, so
// the peak resident memory of the 10- and 100-frame runs can be compared.
// Run from Benchmarks/: `swift package benchmark --target EndToEnd`.
import Benchmark
import Foundation
import FusionCalibration
import FusionGeometry
import FusionIO
import FusionLabel
import FusionPrelabel
import FusionReference

/// Runs tasks on Dispatch's global queue. package-benchmark's runner is itself async and blocks a
/// thread of Swift's cooperative pool (two threads on two cores) while a benchmark runs, which
/// would leave the pipeline's task group one thread; child tasks inherit this executor instead.
final class DispatchTaskExecutor: TaskExecutor {
    static let shared = DispatchTaskExecutor()

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        DispatchQueue.global(qos: .userInitiated).async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

enum Fixture {
    static let scenes =
        ProcessInfo.processInfo.environment["FUSIONLABEL_BENCH_SCENES"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/bench-scenes").path

    static func scene(frames: Int) -> String {
        let folder = "\(scenes)/urban-\(frames)"
        guard FileManager.default.fileExists(atPath: folder + "/.complete") else {
            fatalError("\(folder) is missing: run scripts/bench-scenes first (make bench does)")
        }
        return folder
    }

    /// Runs the pipeline in a detached task on `DispatchTaskExecutor` and waits for it.
    static func annotate(frames: Int, threads: Int? = nil) -> Int {
        var configuration = AnnotationConfiguration()
        configuration.maximumConcurrency = threads
        let folder = scene(frames: frames)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var count = 0
        Task.detached(executorPreference: DispatchTaskExecutor.shared) {
            do {
                count = try await SceneAnnotator(configuration: configuration).annotate(scene: folder).frames.count
            } catch { fatalError("\(error)") }
            done.signal()
        }
        done.wait()
        return count
    }

    /// Frame 0 of the 10-frame scene: its sweep, cameras and the labels the pipeline gives it.
    static let frame: (sweep: PointCloud, rig: CameraRig, boxes: [Cuboid]) = {
        do {
            let scene = try Scene.open(scene(frames: 10))
            let boxes = try scene.labelDocuments()[0].frames[0]!.objects.values.map { $0[0].cuboid }
            return (try scene.lidarSweep(of: scene.manifest.frames[0]), try CameraRig(scene: scene.manifest), boxes)
        } catch { fatalError("\(error)") }
    }()
    nonisolated(unsafe) static let pclSweep = try! PCLPointCloud(frame.sweep)
    nonisolated(unsafe) static var openCV = frame.rig.cameras.map {
        OpenCVReference.PreparedProjection(frame.sweep, camera: $0)
    }
    nonisolated(unsafe) static var projected = ProjectedPoints()
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .peakMemoryResident],
        warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 5)

    Benchmark("Annotate 100 frames (130k points, 2 cameras): all cores") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(Fixture.annotate(frames: 100)) }
    }
    Benchmark("Annotate 100 frames (130k points, 2 cameras): one thread") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(Fixture.annotate(frames: 100, threads: 1)) }
    }
    Benchmark("Annotate 10 frames (130k points, 2 cameras): all cores") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(Fixture.annotate(frames: 10)) }
    }

    // Stages on one frame, next to the native libraries doing the same job.
    let stage = Benchmark.Configuration(
        metrics: [.wallClock, .throughput], warmupIterations: 3, maxDuration: .seconds(4), maxIterations: 500)
    Benchmark("Stage pre-label: FusionPrelabel (one thread)", configuration: stage) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(Prelabeler().prelabel(Fixture.frame.sweep).proposals.count) }
    }
    Benchmark(
        "Stage pre-label: PCL SACSegmentation + EuclideanClusterExtraction + MomentOfInertiaEstimation",
        configuration: stage
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(
                try! Fixture.pclSweep.prelabel(
                    planeThreshold: 0.2, planeIterations: 100, tolerance: 0.5, sizes: 3...50_000
                ).boxes.count)
        }
    }
    Benchmark("Stage projection into 2 cameras: FusionCalibration (one thread)", configuration: stage) { benchmark in
        for _ in benchmark.scaledIterations {
            for camera in Fixture.frame.rig.cameras {
                camera.project(Fixture.frame.sweep, into: &Fixture.projected, concurrency: .singleThread)
                blackHole(Fixture.projected.u[0])
            }
        }
    }
    Benchmark("Stage projection into 2 cameras: OpenCV cv::projectPoints", configuration: stage) { benchmark in
        for _ in benchmark.scaledIterations {
            for index in Fixture.openCV.indices {
                try! Fixture.openCV[index].run()
                blackHole(Fixture.openCV[index].pixels[0])
            }
        }
    }
    Benchmark("Stage points in the frame's boxes: FusionGeometry (bird's-eye grid)", configuration: stage) {
        benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Fixture.frame.sweep.countPoints(inside: Fixture.frame.boxes).reduce(0, +))
        }
    }
    Benchmark("Stage points in the frame's boxes: PCL CropBox per box", configuration: stage) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Fixture.frame.boxes.map { try! Fixture.pclSweep.countPoints(inside: $0) }.reduce(0, +))
        }
    }
}
