import ArgumentParser
import Foundation
import FusionIO
import FusionLabel
import FusionQA

struct ReviewPageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review-page",
        abstract: "Write a static, offline HTML page to review a scene's labels in a browser.",
        discussion: """
            Writes <out>/index.html with its data (review-data.js), the scene's camera images (images/) and, when
            Debian's libjs-three is installed, three.js for a 3D view. Open index.html from disk: no server, no
            network. It shows a bird's-eye view and every camera with the cuboids drawn, a frame slider, the
            labels with their track ids and flags, and the guideline findings (from --report, a qa-report.json
            of `annotate` or `qa`); click a label or a finding to select it everywhere.
            """)

    @Argument(help: "A scene folder (scene.json).")
    var scene: String

    @Option(help: "The labels to review: an OpenLABEL file with cuboids in the scene's LiDAR frame.")
    var labels: String

    @Option(help: "A QA report (qa-report.json) whose findings the page lists.")
    var report: String?

    @Option(help: "Output folder (created if needed).")
    var out: String

    @Option(help: "LiDAR points per frame on the page, at most.")
    var maximumPoints = 30_000

    func validate() throws {
        if maximumPoints < 0 { throw ValidationError("--maximum-points must be 0 or more") }
    }

    func run() throws {
        do {
            let document = try OpenLABELDocument.read(contentsOf: labels)
            let findings =
                try report.map { path throws -> [Finding] in try QAReport.read(contentsOf: path).findings } ?? []
            var page = ReviewPage()
            page.maximumPointsPerFrame = maximumPoints
            let summary = try page.write(scene: scene, labels: document, findings: findings, to: out)
            print(
                "review page: \(summary.frames) frames, \(summary.labels) labels, \(summary.findings) findings"
                    + (summary.has3DView ? ", 3D view" : ", no 3D view (libjs-three not installed)")
                    + ": \(out)/index.html")
        } catch {
            throw CommandFailure(error)
        }
    }
}
