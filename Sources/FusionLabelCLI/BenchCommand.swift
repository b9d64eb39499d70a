import ArgumentParser
import Foundation
import FusionLabel

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the engine on your own scene and machine: every stage, scaling, the machine's ceilings.",
        discussion: """
            Runs each stage of `annotate` alone over the scene, one frame at a time on one thread (read, ground,
            clustering, fitting and classes, tracking, projection into each camera, camera views, checks, write),
            and prints per stage: frames/s, points/s, latency p50 and p99, the process's peak resident memory, and
            the stage against this machine's ceilings measured in the same run (the share of one core's copy
            bandwidth that reading the sweep's x y z once would take, and its time per point in one core's
            multiply-adds). Then it runs the whole pipeline (files not written) at 1, 2, 4, ... threads up to every
            core. Nothing is written but a temporary folder, removed again. A configuration file (as for `annotate`)
            sets the pipeline measured.
            """)

    @Argument(help: "A scene folder (scene.json).")
    var scene: String

    @Option(help: "A configuration file (JSON, as for annotate).")
    var config: String?

    @Option(help: "How many times the stages run over the scene (their samples add up).")
    var repeats = 1

    @Option(
        parsing: .upToNextOption, help: "Thread counts for the whole pipeline (default: 1, 2, 4, ... and every core).")
    var threads: [Int] = []

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        if repeats < 1 { throw ValidationError("--repeats must be at least 1") }
        if threads.contains(where: { $0 < 1 }) { throw ValidationError("--threads must be at least 1") }
    }

    func run() async throws {
        do {
            let configuration =
                try config.map { path throws in try AnnotationConfiguration.read(contentsOf: path) }
                ?? AnnotationConfiguration()
            var bench = EngineBench(annotator: try SceneAnnotator(configuration: configuration))
            bench.repeats = repeats
            bench.threadCounts = threads.isEmpty ? nil : threads
            let isTerminal = isatty(STDERR_FILENO) != 0
            let report = try await bench.run(scene: scene) { phase in
                if isTerminal { FileHandle.standardError.write(Data("bench: \(phase)\n".utf8)) }
            }
            if json {
                try printJSON(report)
            } else {
                print(report.table())
            }
        } catch {
            throw CommandFailure(error)
        }
    }
}
