import Foundation
import FusionGeometry
import FusionTestSupport
import Testing

/// Every file the engine writes goes to a temporary file in the same folder, is flushed and is
/// renamed over its target. These tests kill real writing processes with SIGKILL at random moments
/// and check that each target is always the old complete file or the new complete file.
@Suite(.serialized) struct CrashSafeOutputTests {
    /// Release builds (`scripts/run-tests` builds them): a debug writer spends its time generating
    /// its content rather than writing it.
    static let writer = SharedScenes.repositoryRoot + "/.build/release/KillTestWriter"
    /// The release CLI (`ReleaseCLI`: there and newer than the code, or the test fails).
    static var cli: String { get throws { try ReleaseCLI.executable() } }

    /// The files under `folder`, by path relative to it, without the temporary files a killed
    /// writer leaves behind.
    static func files(in folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for path in try FileManager.default.subpathsOfDirectory(atPath: folder)
        where !URL(fileURLWithPath: path).lastPathComponent.hasPrefix(".") {
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: "\(folder)/\(path)", isDirectory: &isFolder)
            if !isFolder.boolValue { files[path] = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(path)")) }
        }
        return files
    }

    static func temporaryFiles(in folder: String) throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: folder).filter { $0.hasSuffix(".tmp") }
    }

    /// Starts `arguments` and kills it with SIGKILL `delay` seconds after it printed its first
    /// bytes (or after it started, when `waitForOutput` is false).
    static func kill(_ executable: String, _ arguments: [String], after delay: Double, waitForOutput: Bool) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        if waitForOutput { _ = output.fileHandleForReading.availableData }
        usleep(useconds_t(delay * 1e6))
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    @Test func aWriterKilledAtRandomMomentsNeverLeavesATornFile() throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.writer),
            "\(Self.writer) is missing: `swift build -c release --product KillTestWriter`")
        let folder = TemporaryFiles.file("kill")
        defer { TemporaryFiles.remove(folder) }
        let reference = try ChildProcess.run(Self.writer, ["reference", "\(folder)/reference"])
        try #require(reference.status == 0, "\(reference.errors)")
        let old = try Self.files(in: "\(folder)/reference/a")
        let new = try Self.files(in: "\(folder)/reference/b")
        try #require(old.count == 3 && old.keys == new.keys && old != new)
        let target = "\(folder)/target"
        try FileManager.default.copyItem(atPath: "\(folder)/reference/a", toPath: target)

        var random = SeededRandomNumberGenerator(seed: 2026)
        var torn: [String] = []
        var seen = (old: 0, new: 0)
        var killedInsideAWrite = 0
        let trials = 500
        for trial in 0..<trials {
            try Self.kill(
                Self.writer, ["write", target], after: Double.random(in: 0...0.08, using: &random), waitForOutput: true)
            if try !Self.temporaryFiles(in: target).isEmpty { killedInsideAWrite += 1 }
            for (name, data) in try Self.files(in: target) {
                if data == old[name] {
                    seen.old += 1
                } else if data == new[name] {
                    seen.new += 1
                } else {
                    torn.append("trial \(trial): \(name), \(data.count) bytes")
                }
            }
            #expect(try Self.files(in: target).keys == old.keys, "trial \(trial)")
        }
        #expect(torn.isEmpty, "\(torn.prefix(10))")
        #expect(seen.old > 0 && seen.new > 0)
        // The kills did land inside writes (a temporary file was left behind), not only between them.
        #expect(
            killedInsideAWrite >= trials / 10, "only \(killedInsideAWrite) of \(trials) kills landed inside a write")
    }

    @Test func theCLIKilledWhileSimulatingLeavesEachFileOldOrNew() throws {
        let folder = TemporaryFiles.file("kill-cli")
        defer { TemporaryFiles.remove(folder) }
        let arguments = ["simulate", "--preset", "urban", "--frames", "2", "--azimuth-steps", "360"]
        for (name, seed) in [("a", "1"), ("b", "2")] {
            let run = try ChildProcess.run(Self.cli, arguments + ["--seed", seed, "--out", "\(folder)/\(name)"])
            try #require(run.status == 0, "\(run.errors)")
        }
        let old = try Self.files(in: "\(folder)/a")
        let new = try Self.files(in: "\(folder)/b")
        let target = "\(folder)/target"
        try FileManager.default.copyItem(atPath: "\(folder)/a", toPath: target)
        var random = SeededRandomNumberGenerator(seed: 11)
        var torn: [String] = []
        for trial in 0..<60 {
            try Self.kill(
                Self.cli, arguments + ["--seed", trial % 2 == 0 ? "2" : "1", "--out", target],
                after: Double.random(in: 0...1.2, using: &random), waitForOutput: false)
            for (name, data) in try Self.files(in: target) where data != old[name] && data != new[name] {
                torn.append("trial \(trial): \(name), \(data.count) bytes")
            }
        }
        #expect(torn.isEmpty, "\(torn.prefix(10))")
    }
}
