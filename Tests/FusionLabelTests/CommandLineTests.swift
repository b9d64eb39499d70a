import Foundation
import FusionLabel
import FusionTestSupport
import Testing

/// The `fusionlabel` executable, run as a real process.
@Suite struct CommandLineTests {
    /// The executable sits next to the test bundle in the build folder.
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("fusionlabel").path

    static func run(_ arguments: [String]) throws -> ChildProcess.Result {
        try ChildProcess.run(executable, arguments)
    }

    /// A child that writes a megabyte to stderr before anything to stdout: reading stdout to its end
    /// first would leave it blocked on a full stderr pipe, and the test waiting forever.
    @Test(.timeLimit(.minutes(1))) func bothStreamsOfAChildAreDrainedAtOnce() throws {
        let result = try ChildProcess.run("/bin/sh", ["-c", "head -c 1048576 /dev/zero | tr '\\0' e >&2; echo done"])
        #expect(result.status == 0 && result.output == "done\n" && result.errors.utf8.count == 1_048_576)
    }

    @Test func inspectPrintsJSONThatDecodesToTheLibraryReport() throws {
        let sample = SharedScenes.repositoryRoot + "/SampleScenes/urban"
        let result = try Self.run(["inspect", sample, "--json"])
        #expect(result.status == 0, "\(result.errors)")
        let printed = try JSONDecoder().decode(InspectionReport.self, from: Data(result.output.utf8))
        #expect(printed == (try Inspection.inspect(sample)))
    }

    @Test func inspectPrintsTextForPeople() throws {
        let result = try Self.run(["inspect", SharedScenes.repositoryRoot + "/SampleScenes/urban"])
        #expect(result.status == 0)
        #expect(result.output.contains("10 frames") && result.output.contains("fields: x y z intensity ring time"))
    }

    @Test func failuresExitNonZeroWithAMessage() throws {
        let missing = try Self.run(["inspect", "/no/such/scene"])
        #expect(missing.status == 1)
        #expect(missing.errors.contains("/no/such/scene") && missing.errors.contains("no such file"))
        let badFlag = try Self.run(["inspect", "--frobnicate"])
        #expect(badFlag.status == 64)
    }

    @Test func simulateWritesASceneThatInspectReads() throws {
        let folder = TemporaryFiles.file("simulated")
        defer { TemporaryFiles.remove(folder) }
        let result = try Self.run([
            "simulate", "--lidar", "hdl32e", "--azimuth-steps", "180", "--without-images", "--seed", "3", "--frames",
            "2", "--out", folder
        ])
        #expect(result.status == 0, "\(result.errors)")
        #expect(try Inspection.inspect(folder).scene?.frames == 2)
        #expect(try Self.run(["simulate", "--frames", "0", "--out", folder]).status == 64)
    }
}
