import Foundation
import FusionIO
import FusionTestSupport
import Testing

@testable import FusionLabel

/// `fusionlabel bench` as a real process (the release build `make test` makes) on SampleScenes/urban.
@Suite(.serialized) struct BenchCommandTests {
    /// The release CLI (`ReleaseCLI`: there and newer than the code, or the test fails).
    static var executable: String { get throws { try ReleaseCLI.executable() } }
    static let scene = SharedScenes.repositoryRoot + "/SampleScenes/urban"

    static func bench(_ arguments: [String]) throws -> ChildProcess.Result {
        return try ChildProcess.run(executable, ["bench", scene] + arguments)
    }

    @Test func theJSONHasEveryStageAndEveryFigureIsPositive() throws {
        let run = try Self.bench(["--json", "--threads", "1", "2"])
        try #require(run.status == 0, "\(run.errors)")
        let report = try JSONDecoder().decode(EngineBenchReport.self, from: Data(run.output.utf8))

        let manifest = try Scene.open(Self.scene).manifest
        #expect(report.frames == manifest.frames.count && report.cameras == manifest.cameras.map(\.name))
        let scene = try Scene.open(Self.scene)
        let points = try manifest.frames.map { try scene.lidarSweep(of: $0).count }.reduce(0, +)
        #expect(report.pointsPerFrame == Double(points) / Double(manifest.frames.count))

        let expected =
            ["read", "ground", "clustering", "fitting and classes", "tracking"]
            + manifest.cameras.map { "projection into \($0.name)" } + ["camera views", "checks", "write"]
        #expect(report.stages.map(\.name) == expected)
        for stage in report.stages {
            #expect(stage.samples == (stage.wholeScene ? 1 : manifest.frames.count), "\(stage.name)")
            let figures = [
                stage.framesPerSecond, stage.pointsPerSecond, stage.p50Milliseconds, stage.p99Milliseconds,
                stage.memoryShare, stage.multiplyAddsPerPoint, Double(stage.peakResidentBytes ?? 0)
            ]
            #expect(figures.allSatisfy { $0 > 0 && $0.isFinite }, "\(stage.name): \(figures)")
            #expect(stage.p50Milliseconds <= stage.p99Milliseconds, "\(stage.name)")
        }
        #expect(report.stages.filter(\.wholeScene).map(\.name) == ["tracking", "checks", "write"])

        #expect(report.scaling.map(\.threads) == [1, 2])
        #expect(report.scaling.allSatisfy { $0.framesPerSecond > 0 && ($0.peakResidentBytes ?? 0) > 0 })
        #expect(report.scaling[0].speedup == 1)
        let machine = report.machine
        #expect(
            machine.copyBytesPerSecond > 0 && machine.multiplyAddsPerSecond > 0
                && machine.multiplyAddsPerSecondAllCores > 0)
        #expect(machine.cores == ProcessInfo.processInfo.activeProcessorCount)
    }

    @Test func theTableNamesEveryStage() throws {
        let run = try Self.bench(["--threads", "1"])
        try #require(run.status == 0, "\(run.errors)")
        for stage in [
            "read", "ground", "clustering", "fitting and classes", "tracking (scene)", "projection into front",
            "projection into left", "camera views", "checks (scene)", "write (scene)", "1 thread:", "machine: copy"
        ] {
            #expect(run.output.contains(stage), "\(stage)")
        }
    }

    @Test func aSceneWithoutFramesIsAClearError() throws {
        let folder = try TemporaryFiles.folder("bench-empty")
        defer { TemporaryFiles.remove(folder) }
        var manifest = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: Self.scene + "/scene.json"))) as? [String: Any])
        manifest["frames"] = [Any]()
        manifest["labels"] = [Any]()
        try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: folder + "/scene.json"))
        let run = try ChildProcess.run(Self.executable, ["bench", folder])
        #expect(run.status != 0)
        #expect(run.errors.contains("no frames to measure"), "\(run.errors)")
    }

    @Test func aMissingSceneIsAClearError() throws {
        let run = try ChildProcess.run(Self.executable, ["bench", "/nonexistent/scene"])
        #expect(run.status != 0)
        #expect(run.errors.contains("/nonexistent/scene"), "\(run.errors)")
    }
}
