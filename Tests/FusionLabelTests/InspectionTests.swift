import Foundation
import FusionIO
import FusionTestSupport
import Testing

@testable import FusionLabel

@Suite struct InspectionTests {
    static let sample = SharedScenes.repositoryRoot + "/SampleScenes/urban"

    @Test func theSampleSceneReportMatchesItsFiles() throws {
        let report = try Inspection.inspect(Self.sample)
        let scene = try Scene.open(Self.sample)
        let firstSweep = try PCDReader.read(contentsOf: Self.sample + "/lidar/000000.pcd").cloud
        let labels = try OpenLABELDocument.read(contentsOf: Self.sample + "/labels/ground_truth.openlabel.json")
        #expect(report.kind == .scene)
        #expect(report.scene?.frames == scene.manifest.frames.count)
        #expect(report.points?.count == firstSweep.count)
        #expect(report.points?.attributes == ["intensity", "ring", "time"])
        #expect(report.labels?.boxes == labels.frames.values.reduce(0) { $0 + $1.objects.count })
        #expect(report.labels?.tracks == labels.objects.count)
        #expect(report.cameras?.map(\.name) == ["front", "left"])
    }

    @Test func unknownKindsAndMissingFilesAreErrors() throws {
        #expect(throws: ReadError.self) { _ = try Inspection.inspect("/no/such/file.pcd") }
        let text = TemporaryFiles.file("note", suffix: ".md")
        try Data("hello".utf8).write(to: URL(fileURLWithPath: text))
        defer { TemporaryFiles.remove(text) }
        #expect(throws: ReadError.self) { _ = try Inspection.inspect(text) }
    }
}

/// The real scenes through `inspect`, against their SOURCE.md facts.
@Suite(SharedScenes.required)
struct InspectionSharedSceneTests {
    @Test func organizedCloudsAndLabelFilesAreSummarised() throws {
        let table = try Inspection.inspect(try SharedScenes.path("pcl/table_scene_mug_stereo_textured.pcd"))
        #expect(
            table.points?.organized == [640, 480] && table.points?.nonFinite == 97_920
                && table.points?.encoding == "binary_compressed")
        let labels = try Inspection.inspect(try SharedScenes.path("kitti-object/label_2/000001.txt"))
        #expect(labels.kind == .kittiLabels && labels.labels?.byClass == ["Truck": 1, "Car": 1, "Cyclist": 1])
        let sustech = try Inspection.inspect(try SharedScenes.path("sustechpoints-example/label/000975.json"))
        #expect(sustech.labels?.byClass == ["Car": 10, "Pedestrian": 7, "Rider": 4, "Bus": 1, "Truck": 1, "Motor": 1])
        let tracking = try Inspection.inspect(try SharedScenes.path("kitti-tracking-val/label_02/0001.txt"))
        #expect(tracking.kind == .kittiTracking && tracking.labels?.frames ?? 0 > 0)
    }
}

@Suite(SharedScenes.required)
struct InspectionQuirkTests {
    /// The SUSTech sweep's misdescribed header is corrected: 40 rings and a 0.1 s sweep, where the
    /// header's own offsets give one constant ring and garbage times.
    @Test func theSUSTechSweepIsReadWithItsRealLayout() throws {
        let report = try Inspection.inspect(try SharedScenes.path("sustechpoints-example/lidar/000965.pcd"))
        let ranges = try #require(report.points?.attributeRanges)
        #expect(ranges["ring"] == [0, 39])
        let time = try #require(ranges["time"])
        #expect((0.09...0.11).contains(time[1] - time[0]))
    }
}
