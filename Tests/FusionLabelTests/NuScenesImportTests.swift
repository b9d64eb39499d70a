import Foundation
import FusionIO
import FusionLabel
import FusionTestSupport
import Testing

/// import-nuscenes on broken datasets: an export of the sample scene, then damaged.
/// (Reading an export back, checked against nuscenes-devkit, is python/tests/test_nuscenes_export.py.)
@Suite struct NuScenesImportTests {
    static let version = "v1.0-test-fusionlabel"

    /// A dataroot of the sample scene and its ground-truth labels.
    static func dataroot() throws -> String {
        let scene = try Scene.open(SharedScenes.repositoryRoot + "/SampleScenes/urban")
        let labels = try scene.labelDocuments()[0]
        let root = NSTemporaryDirectory() + "fusionlabel-nuscenes-\(UUID().uuidString)"
        _ = try NuScenesExport.export([(scene, labels)], options: .init(version: version), to: root)
        return root
    }

    /// Rewrites one table as JSON objects, changed by `edit`.
    static func edit(_ root: String, _ table: String, _ edit: (inout [[String: Any]]) -> Void) throws {
        let path = "\(root)/\(version)/\(table).json"
        var records =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [[String: Any]]
        edit(&records)
        try JSONSerialization.data(withJSONObject: records).write(to: URL(fileURLWithPath: path))
    }

    static func importing(_ root: String) -> String {
        do {
            _ = try NuScenesImport.run(dataroot: root, version: version, scene: nil, to: root + "/imported")
            return "no error"
        } catch {
            #expect(!FileManager.default.fileExists(atPath: root + "/imported/urban-seed7"), "nothing half-written")
            return "\(error)"
        }
    }

    @Test func aCleanExportImports() throws {
        let root = try Self.dataroot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(Self.importing(root) == "no error")
        #expect(try Scene.open(root + "/imported/urban-seed7").manifest.frames.count == 10)
    }

    @Test func aFileOutsideTheDatarootIsRefused() throws {
        let root = try Self.dataroot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.edit(root, "sample_data") { records in records[0]["filename"] = "../../etc/passwd" }
        #expect(Self.importing(root).contains("leads outside the dataroot"))
    }

    @Test func samplesThatLoopAreRefused() throws {
        let root = try Self.dataroot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.edit(root, "sample") { records in records[1]["next"] = records[0]["token"] }
        #expect(Self.importing(root).contains("run in a loop"))
    }

    @Test func aSweepThatIsNotFiveFloatsAPointIsRefused() throws {
        let root = try Self.dataroot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let sweep = try FileManager.default.contentsOfDirectory(atPath: root + "/samples/LIDAR_TOP").sorted()[0]
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: root + "/samples/LIDAR_TOP/" + sweep))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([1, 2, 3]))
        try handle.close()
        #expect(Self.importing(root).contains("expected five float32 (20 bytes) a point"))
    }
}
