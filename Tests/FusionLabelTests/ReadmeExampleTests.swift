import Foundation
import FusionLabel
import FusionTestSupport
import Testing

/// The Swift example in README.md is this function's body, compiled and run here.
@Suite struct ReadmeExampleTests {
    /// Returns what the example prints, one line per labelled box of the first frame.
    func readmeExample(sceneFolder: String) throws -> [String] {
        var printed: [String] = []
        func print(_ items: Any...) { printed.append(items.map { "\($0)" }.joined(separator: " ")) }
        // BEGIN README EXAMPLE
        let scene = try Scene.open(sceneFolder)
        let frame = scene.manifest.frames[0]
        let sweep = try scene.lidarSweep(of: frame)          // PointCloud, LiDAR frame (x forward, y left, z up)
        let labels = try scene.labelDocuments()[0]            // OpenLABEL ground truth
        for (uid, boxes) in labels.frames[frame.index]?.objects ?? [:] {
            let box = boxes[0].cuboid                          // centre, Size3(length:width:height:), rotation
            let type = labels.objects[uid]!.type
            print(type, uid, sweep.countPoints(inside: box), "points,", box.size.length, "m long")
        }
        // END README EXAMPLE
        return printed
    }

    @Test func theExampleRunsOnTheSampleScene() throws {
        let folder = SharedScenes.repositoryRoot + "/SampleScenes/urban"
        let lines = try readmeExample(sceneFolder: folder)
        let labels = try OpenLABELDocument.read(contentsOf: folder + "/labels/ground_truth.openlabel.json")
        #expect(lines.count == labels.frames[0]?.objects.count)
        #expect(lines.contains { $0.hasPrefix("Car ") && !$0.contains(" 0 points") })
    }

    @Test func theReadmeShowsExactlyThisCode() throws {
        let source = try String(contentsOfFile: #filePath, encoding: .utf8)
        let start = try #require(source.range(of: "// BEGIN README EXAMPLE\n")), end = try #require(source.range(of: "        // END README EXAMPLE"))
        let body = source[start.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.dropFirst(8) }.joined(separator: "\n")
        let readme = try String(contentsOfFile: SharedScenes.repositoryRoot + "/README.md", encoding: .utf8)
        let expected = "import FusionLabel\n\n" + body
        #expect(readme.contains("```swift\n" + expected + "```"), "README.md's Swift example differs from ReadmeExampleTests")
    }
}
