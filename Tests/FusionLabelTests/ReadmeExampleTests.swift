import Foundation
import FusionIO
import FusionLabel
import FusionTestSupport
import Testing

/// The Swift examples in README.md are these functions' bodies, compiled and run here.
@Suite struct ReadmeExampleTests {
    /// Returns what the example prints, one line per labelled box of the first frame.
    func readmeExample(sceneFolder: String) throws -> [String] {
        var printed: [String] = []
        func print(_ items: Any...) { printed.append(items.map { "\($0)" }.joined(separator: " ")) }
        // BEGIN README EXAMPLE
        let scene = try Scene.open(sceneFolder)
        let frame = scene.manifest.frames[0]
        let sweep = try scene.lidarSweep(of: frame)  // PointCloud, LiDAR frame (x forward, y left, z up)
        let labels = try scene.labelDocuments()[0]  // OpenLABEL ground truth
        for (uid, boxes) in labels.frames[frame.index]?.objects ?? [:] {
            let box = boxes[0].cuboid  // centre, Size3(length:width:height:), rotation
            let type = labels.objects[uid]!.type
            print(type, uid, sweep.countPoints(inside: box), "points,", box.size.length, "m long")
        }
        // END README EXAMPLE
        return printed
    }

    /// Returns what the example prints: progress lines, then the flagged labels of the first frame.
    func readmeAnnotateExample(sceneFolder: String, outputFolder: String) async throws -> [String] {
        let printed = Printed()
        @Sendable func print(_ items: Any...) { printed.append(items.map { "\($0)" }.joined(separator: " ")) }
        // BEGIN README ANNOTATE EXAMPLE
        var configuration = AnnotationConfiguration()  // the documented defaults
        configuration.maximumConcurrency = 2  // frames in flight at once
        let annotator = try SceneAnnotator(configuration: configuration)
        let annotated = try await annotator.annotate(scene: sceneFolder) { progress in
            print(progress.stage, progress.done, "of", progress.total)  // from any thread
        }
        for object in annotated.frames[0].objects where object.needsReview {  // flags that ask a person to look
            print(object.uid, object.kind?.rawValue ?? "unsure", object.confidence, object.flags.map(\.rawValue))
        }
        try annotated.openLABEL().write(to: outputFolder + "/labels.openlabel.json")
        // END README ANNOTATE EXAMPLE
        return printed.lines
    }

    final class Printed: @unchecked Sendable {
        private var stored: [String] = []
        private let lock = NSLock()
        func append(_ line: String) { lock.withLock { stored.append(line) } }
        var lines: [String] { lock.withLock { stored } }
    }

    @Test func theAnnotateExampleRunsOnTheSampleScene() async throws {
        let folder = try TemporaryFiles.folder("readme")
        defer { TemporaryFiles.remove(folder) }
        let lines = try await readmeAnnotateExample(
            sceneFolder: SharedScenes.repositoryRoot + "/SampleScenes/urban", outputFolder: folder)
        #expect(lines.contains("prelabel 10 of 10") && lines.contains("check 10 of 10"))
        let written = try OpenLABELDocument.read(contentsOf: folder + "/labels.openlabel.json")
        let flaggedInFirstFrame = written.frames[0]!.objects.values.filter { $0[0].attributes.texts["flags"] != nil }
            .count
        #expect(lines.filter { !$0.contains(" of ") }.count == flaggedInFirstFrame && flaggedInFirstFrame > 0)
    }

    @Test func theExampleRunsOnTheSampleScene() throws {
        let folder = SharedScenes.repositoryRoot + "/SampleScenes/urban"
        let lines = try readmeExample(sceneFolder: folder)
        let labels = try OpenLABELDocument.read(contentsOf: folder + "/labels/ground_truth.openlabel.json")
        #expect(lines.count == labels.frames[0]?.objects.count)
        #expect(lines.contains { $0.hasPrefix("Car ") && !$0.contains(" 0 points") })
    }

    @Test(arguments: ["README EXAMPLE", "README ANNOTATE EXAMPLE"]) func theReadmeShowsExactlyThisCode(marker: String)
        throws
    {
        let source = try String(contentsOfFile: #filePath, encoding: .utf8)
        let start = try #require(source.range(of: "// BEGIN \(marker)\n"))
        let end = try #require(source.range(of: "        // END \(marker)"))
        let body = source[start.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.dropFirst(8) }.joined(separator: "\n")
        let readme = try String(contentsOfFile: SharedScenes.repositoryRoot + "/README.md", encoding: .utf8)
        // The modules each example spells a type of (no module re-exports another's names).
        let imports = ["README EXAMPLE": "import FusionIO\n", "README ANNOTATE EXAMPLE": "import FusionLabel\n"]
        let expected = try #require(imports[marker]) + "\n" + body
        #expect(
            readme.contains("```swift\n" + expected + "```"),
            "README.md's Swift example (\(marker)) differs from ReadmeExampleTests")
    }
}
