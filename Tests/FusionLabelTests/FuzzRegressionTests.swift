import Foundation
import FusionFuzzing
import FusionTestSupport
import Testing

/// Replays the hand-made edge cases (`Fuzz/Seeds/<target>`) and every input a fuzzer ever crashed
/// on (`Fuzz/Regressions/<target>`) through the readers, the same way `scripts/fuzz` drives them:
/// a regression brings this test process down. The corpora themselves grow from the licensed
/// recordings and stay out of the repository (README, "Hardening").
@Suite struct FuzzRegressionTests {
    static func inputs(of target: ReaderFuzzTarget) -> [String] {
        ["Fuzz/Seeds", "Fuzz/Regressions"].flatMap { folder -> [String] in
            let directory = "\(SharedScenes.repositoryRoot)/\(folder)/\(target.rawValue)"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            return names.sorted().map { "\(directory)/\($0)" }
        }
    }

    /// Every target replays something: a target with no folder would pass while testing nothing.
    @Test(arguments: ReaderFuzzTarget.allCases)
    func everyKeptInputIsReadWithoutCrashing(target: ReaderFuzzTarget) throws {
        let inputs = Self.inputs(of: target)
        #expect(!inputs.isEmpty, "Fuzz/Seeds/\(target.rawValue) holds no hand-made input")
        for path in inputs {
            target.consume(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
    }
}
