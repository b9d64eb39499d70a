// Online and offline 3D multi-object tracking over the whole KITTI tracking val split (11 sequences,
// 3,908 frames; cars, pedestrians and cyclists), on detections made from the labels by the
// documented noise model (seed 5). No PCL/OpenCV equivalent exists; the bar is absolute
// (50,000 frames/s online on one core; offline at most twice the online cost).
// Run from Benchmarks/: `swift package benchmark --target Tracking` (release, baseline x86-64).
import Benchmark
import Foundation
import FusionTracking

enum Fixture {
    static let scenes =
        ProcessInfo.processInfo.environment["FUSIONLABEL_SCENES"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/scenes").path

    static let detections: [[[Detection]]] = {
        ["0001", "0006", "0008", "0010", "0012", "0013", "0014", "0015", "0016", "0018", "0019"].map { name in
            do {
                let sequence = try TrackingSequence.kitti(folder: scenes + "/kitti-tracking-val", sequence: name)
                return DetectionNoiseModel(seed: 5).detections(for: sequence, classes: ["Car", "Pedestrian", "Cyclist"])
            } catch {
                fatalError("benchmark data unavailable (set FUSIONLABEL_SCENES to the shared scenes folder): \(error)")
            }
        }
    }()
    static let frameCount = detections.reduce(0) { $0 + $1.count }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 1, maxDuration: .seconds(5), maxIterations: 100)

    Benchmark(
        "Track the KITTI val split online (3,908 frames, 3 classes, one thread)",
        configuration: .init(setup: { blackHole(Fixture.frameCount) })
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            for sequence in Fixture.detections {
                var tracker = OnlineTracker()
                for (frame, detections) in sequence.enumerated() {
                    blackHole(tracker.update(frame: frame, detections: detections).count)
                }
            }
        }
    }
    Benchmark(
        "Track the KITTI val split offline (3,908 frames, 3 classes, one thread)",
        configuration: .init(setup: { blackHole(Fixture.frameCount) })
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            for sequence in Fixture.detections { blackHole(OfflineTracker().track(sequence).count) }
        }
    }
}
