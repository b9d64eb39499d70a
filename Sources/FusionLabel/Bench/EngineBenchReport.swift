import Foundation

/// What `EngineBench` measured on one scene: each stage of the pipeline, how the whole pipeline
/// scales with threads, and the machine's ceilings from the same run.
public struct EngineBenchReport: Codable, Sendable {
    /// One stage of the pipeline, run one frame at a time on one thread (whole-scene stages, such as
    /// tracking and the checks, run once over the scene).
    public struct Stage: Codable, Sendable {
        public var name: String
        /// Whether the stage ran once over the whole scene rather than once per frame.
        var wholeScene: Bool
        /// Timed runs: frames (times `repeats`), or `repeats` for a whole-scene stage.
        public var samples: Int
        var framesPerSecond: Double
        var pointsPerSecond: Double
        /// Latency of one sample (a frame, or the whole scene), milliseconds.
        var p50Milliseconds: Double
        var p99Milliseconds: Double
        /// The process's peak resident memory while the stage ran, bytes (nil where the OS does not tell).
        var peakResidentBytes: Int?
        /// Time a core takes to move the sweep's x y z columns once (12 bytes a point, at the copy
        /// ceiling), over the stage's time: the stage's share of the memory limit if reading its
        /// input once were all it had to do. A projection reads 12 and writes 13 bytes a point, so
        /// for it the share is of 25 bytes. For a whole-scene stage, which works on labels rather
        /// than returns, it is per return of the scene's sweeps (the table leaves it out).
        var memoryShare: Double
        /// The stage's time per point in multiply-adds at one core's ceiling: how much arithmetic
        /// the machine could have done in the time the stage spends on one point (for a whole-scene
        /// stage, per return of the scene's sweeps; the table leaves it out).
        var multiplyAddsPerPoint: Double
    }

    /// The whole pipeline (`SceneAnnotator.annotate`, files not written) at one thread count.
    public struct Scaling: Codable, Sendable {
        public var threads: Int
        var framesPerSecond: Double
        /// Frames per second over those of one thread.
        var speedup: Double
        var peakResidentBytes: Int?
    }

    public var scene: String
    public var frames: Int
    /// Mean returns per sweep.
    var pointsPerFrame: Double
    public var cameras: [String]
    public var repeats: Int
    public var stages: [Stage]
    public var scaling: [Scaling]
    public var machine: MachineCeilings
    /// The engine's version and whether this build fuses multiply-adds (README, "Building for AVX2").
    public var engineVersion: String
    var fusedMultiplyAdd: Bool

    /// The report as a text table for a terminal.
    public func table() -> String {
        func number(_ value: Double) -> String {
            switch value {
            case 1e9...: return String(format: "%.2f G", value / 1e9)
            case 1e6...: return String(format: "%.1f M", value / 1e6)
            case 1e3...: return String(format: "%.1f k", value / 1e3)
            default: return String(format: "%.1f", value)
            }
        }
        func megabytes(_ bytes: Int?) -> String { bytes.map { String(format: "%.0f MB", Double($0) / 1e6) } ?? "n/a" }
        func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
            let padding = String(repeating: " ", count: max(0, width - text.count))
            return left ? text + padding : padding + text
        }
        var lines = [
            "\(scene): \(frames) frames, \(Int(pointsPerFrame.rounded())) points a sweep, cameras \(cameras.joined(separator: ", "))"
                + (repeats > 1 ? ", \(repeats) repeats" : ""),
            "",
            pad("stage (one thread)", 34, left: true) + pad("frames/s", 10) + pad("points/s", 11) + pad("p50 ms", 9)
                + pad("p99 ms", 9)
                + pad("peak", 8) + pad("memory", 8) + pad("mul-add/pt", 12)
        ]
        for stage in stages {
            lines.append(
                pad(stage.name + (stage.wholeScene ? " (scene)" : ""), 34, left: true)
                    + pad(number(stage.framesPerSecond), 10)
                    + pad(number(stage.pointsPerSecond), 11) + pad(String(format: "%.3f", stage.p50Milliseconds), 9)
                    + pad(String(format: "%.3f", stage.p99Milliseconds), 9) + pad(megabytes(stage.peakResidentBytes), 8)
                    + pad(stage.wholeScene ? "-" : String(format: "%.0f %%", stage.memoryShare * 100), 8)
                    + pad(stage.wholeScene ? "-" : number(stage.multiplyAddsPerPoint), 12))
        }
        lines.append("")
        lines.append("whole pipeline (annotate, files not written):")
        for run in scaling {
            lines.append(
                "  \(run.threads) thread\(run.threads == 1 ? "" : "s"): \(String(format: "%.1f", run.framesPerSecond)) frames/s"
                    + String(format: " (%.2fx)", run.speedup) + ", peak \(megabytes(run.peakResidentBytes))")
        }
        lines.append("")
        lines.append(
            "machine: copy \(number(machine.copyBytesPerSecond))B/s (one thread), multiply-adds \(number(machine.multiplyAddsPerSecond))/s"
                + " (one core), \(number(machine.multiplyAddsPerSecondAllCores))/s on \(machine.cores) cores"
                + String(format: " (parallel ceiling %.2fx)", machine.parallelCeiling))
        lines.append(
            "memory: the share of one core's copy bandwidth that reading x y z once (12 B a point; projection: 25 B) takes;"
                + " mul-add/pt: the stage's time per point in one core's multiply-adds")
        lines.append("engine \(engineVersion)" + (fusedMultiplyAdd ? ", FusedMultiplyAdd build" : ""))
        return lines.joined(separator: "\n")
    }
}
