import Foundation
import FusionTestSupport
import Testing

/// SampleScenes/urban is exactly what its documented command writes.
@Suite struct SampleSceneTests {
    /// The command in the Makefile's `sample-scenes` target and in SampleScenes/README.md.
    static let arguments = ["simulate", "--preset", "urban", "--frames", "10", "--azimuth-steps", "1042", "--seed", "7"]

    /// Runs the release build of the CLI (`scripts/run-tests` builds it first): simulating ten
    /// 64-beam frames and their images in a debug build would take minutes.
    @Test func theBundledSceneRegeneratesBitForBit() throws {
        let executable = try ReleaseCLI.executable()
        let bundled = SharedScenes.repositoryRoot + "/SampleScenes/urban"
        let folder = TemporaryFiles.file("urban")
        defer { TemporaryFiles.remove(folder) }
        let result = try ChildProcess.run(executable, Self.arguments + ["--out", folder])
        #expect(result.status == 0, "\(result.errors)")
        let files = try FileManager.default.subpathsOfDirectory(atPath: bundled).sorted()
        #expect(files == (try FileManager.default.subpathsOfDirectory(atPath: folder).sorted()))
        for file in files {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: bundled + "/" + file, isDirectory: &isDirectory),
                !isDirectory.boolValue
            else { continue }
            #expect(
                FileManager.default.contentsEqual(atPath: bundled + "/" + file, andPath: folder + "/" + file),
                "\(file) differs")
        }
    }

    @Test func theMakefileRegeneratesWithTheSameCommand() throws {
        let makefile = try String(contentsOfFile: SharedScenes.repositoryRoot + "/Makefile", encoding: .utf8)
        #expect(makefile.contains("fusionlabel " + Self.arguments.joined(separator: " ") + " --out SampleScenes/urban"))
    }
}
