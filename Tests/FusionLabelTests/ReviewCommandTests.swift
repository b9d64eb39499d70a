import Foundation
import FusionIO
import FusionLabel
import FusionQA
import FusionTestSupport
import Testing

/// `review` and `qa` as real processes on the bundled scene.
@Suite struct ReviewCommandTests {
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("fusionlabel").path
    static let scene = SharedScenes.repositoryRoot + "/SampleScenes/urban"

    /// The three review layers through the command line, the audit trail verified, and the
    /// provenance exported into OpenLABEL.
    @Test func aBatchGoesThroughReviewWithItsTrail() throws {
        let folder = try TemporaryFiles.folder("review")
        defer { TemporaryFiles.remove(folder) }
        let common = [Self.scene, "--board", folder + "/board.json", "--log", folder + "/audit.jsonl"]
        let ids = ["0/1", "0/2", "0/3"]
        try ids.map { "{\"labelID\":\"\($0)\",\"kind\":\"annotate\"}" }.joined(separator: "\n").write(
            toFile: folder + "/annotate.jsonl", atomically: true, encoding: .utf8)
        #expect(
            try ChildProcess.run(
                Self.executable,
                ["review"] + common + ["--actions", folder + "/annotate.jsonl", "--actor", "ann", "--role", "annotator"]
            ).status == 0)
        try ids.map { "{\"labelID\":\"\($0)\",\"kind\":\"leadAccept\"}" }.joined(separator: "\n").write(
            toFile: folder + "/lead.jsonl", atomically: true, encoding: .utf8)
        #expect(
            try ChildProcess.run(
                Self.executable,
                ["review"] + common + ["--actions", folder + "/lead.jsonl", "--actor", "lead", "--role", "lead"]
            ).status == 0)
        let validated = try ChildProcess.run(
            Self.executable,
            ["review"] + common + ["--label", "0/1", "--kind", "validate", "--actor", "val", "--role", "validator"])
        #expect(validated.status == 0, "\(validated.output)\(validated.errors)")
        // The annotator may not validate their own label: refused, exit status 2, nothing logged.
        let own = try ChildProcess.run(
            Self.executable,
            ["review"] + common + ["--label", "0/2", "--kind", "validate", "--actor", "ann", "--role", "validator"])
        #expect(own.status == 2 && own.output.contains("cannot validate"))
        let rejected = try ChildProcess.run(
            Self.executable,
            ["review"] + common + [
                "--label", "0/3", "--kind", "reject", "--reason", "too short",
                "--actor", "val", "--role", "validator", "--export", folder + "/reviewed.json"
            ])
        #expect(rejected.status == 0, "\(rejected.errors)")
        let audit = try AuditVerification.verify(logAt: folder + "/audit.jsonl")
        #expect(audit.isIntact && audit.entries == 8)
        let exported = try OpenLABELDocument.read(contentsOf: folder + "/reviewed.json")
        let first = try #require(exported.frames[0]?.objects["1"]?.first?.attributes.texts)
        #expect(
            first["review_state"] == "validated" && first["annotated_by"] == "ann"
                && first["lead_reviewed_by"] == "lead" && first["validated_by"] == "val")
        #expect(exported.frames[0]?.objects["3"]?.first?.attributes.texts["review_state"] == "rejected")
        let qa = try ChildProcess.run(
            Self.executable, ["qa", Self.scene, "--board", folder + "/board.json", "--out", folder + "/qa"])
        #expect(qa.status == 0, "\(qa.errors)")
        let report = try JSONDecoder().decode(
            QAReport.self, from: try FileAccess.contents(of: folder + "/qa/qa-report.json"))
        #expect(
            report.states?["validated"] == 1 && report.states?["rejected"] == 1 && report.states?["leadReviewed"] == 1)
        // 0/1 and 0/2 were accepted without a correction; 0/3 was rejected (not accepted, so not counted).
        #expect(report.firstPassAccuracy?["annotator ann"] == 1 && report.firstPassAccuracy?["scene urban-seed7"] == 1)
    }

    /// The QA report counts what the labels independently show: boxes beyond the range limit,
    /// classes, and a stricter guideline finds more.
    @Test func theQAReportMatchesTheLabels() throws {
        let labels = try OpenLABELDocument.read(contentsOf: Self.scene + "/labels/ground_truth.openlabel.json")
        let boxes = labels.frames.values.flatMap {
            $0.objects.flatMap { uid, cuboids in cuboids.map { (uid, $0.cuboid) } }
        }
        let beyond = boxes.filter { ($0.1.center.x * $0.1.center.x + $0.1.center.y * $0.1.center.y).squareRoot() > 100 }
            .count
        let report = try SceneQA.report(scene: Self.scene)
        #expect(report.labels == boxes.count && report.findingsByRule["range.maximum"] == beyond && beyond > 0)
        #expect(report.classBalance["Car"] == boxes.filter { labels.objects[$0.0]?.type == "Car" }.count)
        var strict = RuleSet.standard
        strict.maximumRange = 50
        let stricter = try SceneQA.report(scene: Self.scene, rules: strict)
        #expect((stricter.findingsByRule["range.maximum"] ?? 0) > beyond)
        #expect(report.markdown().contains("| Car |"))
    }

    /// A second annotator's labels: agreement in the report, and the labels they changed flagged.
    @Test func aSecondAnnotatorsDisagreementsAreFlagged() throws {
        let folder = try TemporaryFiles.folder("second")
        defer { TemporaryFiles.remove(folder) }
        var labels = try OpenLABELDocument.read(contentsOf: Self.scene + "/labels/ground_truth.openlabel.json")
        labels.frames[0]!.objects["1"]![0].cuboid.center.x += 2
        try labels.write(to: folder + "/second.json")
        let report = try SceneQA.report(scene: Self.scene, secondAnnotator: folder + "/second.json")
        let agreement = try #require(report.agreement)
        #expect(agreement.matched == report.labels - 1 && agreement.onlyFirst == 1 && agreement.onlySecond == 1)
        #expect(report.flags["annotatorsDisagree"] == 1)
    }
}
