import ArgumentParser
import Foundation
import FusionIO
import FusionLabel
import FusionQA

struct QACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qa",
        abstract: "Check a scene's labels against the labelling guideline and write the quality report.",
        discussion: """
            Rule checks (sizes, LiDAR returns, ground, overlaps, range; along tracks size constancy, yaw
            rate, acceleration, teleports and id reuse), flags, coverage (class balance, range and
            occlusion), and with --reference the drift from a reference dataset. With --board, review
            states and first-pass accuracy; with --second-annotator, agreement (labels in dispute are
            flagged). Writes <out>/qa-report.json and <out>/qa-report.md, or
            prints the Markdown without --out. Exit status 2 when a check finds an error.
            """)

    @Argument(help: "A scene folder (scene.json).")
    var scene: String

    @Option(help: "Rule set (JSON) of the guideline; default: the standard set.")
    var rules: String?

    @Option(help: "A labelled dataset to measure drift against.")
    var reference: String?

    @Option(help: "A review board file (from `fusionlabel review`).")
    var board: String?

    @Option(
        help: "Another annotator's labels of the scene (OpenLABEL file, ...): agreement, and flags where they differ.")
    var secondAnnotator: String?

    @Option(help: "Folder for the report files.")
    var out: String?

    func run() throws {
        let report: QAReport
        do {
            let ruleSet = try rules.map { path throws -> RuleSet in try RuleSet.read(contentsOf: path) } ?? .standard
            let reviewBoard = try board.map { path throws -> ReviewBoard in
                try JSONDecoder().decode(ReviewBoard.self, from: FileAccess.contents(of: path))
            }
            report = try SceneQA.report(
                scene: scene, rules: ruleSet, reference: reference, board: reviewBoard, secondAnnotator: secondAnnotator
            )
            if let out {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try FileAccess.writeAtomically(try encoder.encode(report), to: out + "/qa-report.json")
                try FileAccess.writeAtomically(Data(report.markdown().utf8), to: out + "/qa-report.md")
                print("\(report.labels) labels, \(report.findings.count) findings: \(out)/qa-report.md")
            } else {
                print(report.markdown(), terminator: "")
            }
        } catch {
            throw CommandFailure(error)
        }
        if report.findings.contains(where: { $0.severity == .error }) { throw ExitCode(2) }
    }
}
