import Foundation
import FusionIO
import FusionLabel
import FusionPrelabel
import FusionQA
import FusionTestSupport
import Testing

/// The hostile inputs of the README's table that are not a single format's malformed-input test:
/// JSON nested a hundred thousand deep, numbers JSON cannot hold, and scene folders whose files
/// are not regular files. Each must end in a `ReadError` that names the file, never a crash, a
/// hang or a huge allocation.
@Suite struct HostileInputTests {
    /// Every JSON reader, by name, on bytes.
    static let jsonReaders: [(name: String, read: @Sendable (Data) throws -> Void)] = [
        ("OpenLABEL", { _ = try OpenLABELDocument.parse($0, file: "hostile.json") }),
        ("SUSTech labels", { _ = try SUSTechPOINTS.parseLabels($0, file: "hostile.json") }),
        ("SUSTech calibration", { _ = try SUSTechPOINTS.parseCameraCalibration($0, file: "hostile.json") }),
        ("scene manifest", { _ = try SceneManifest.parse($0, file: "hostile.json") }),
        ("rule set", { _ = try RuleSet.parse($0, file: "hostile.json") }),
        ("prior model", { _ = try PriorModel.parse($0, file: "hostile.json") }),
        ("camera detections", { _ = try CameraDetection.parse($0, file: "hostile.json") })
    ]

    static func expectReadError(
        _ reader: (name: String, read: @Sendable (Data) throws -> Void), _ data: Data,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            try reader.read(data)
            Issue.record("\(reader.name): expected an error", sourceLocation: sourceLocation)
        } catch let error as ReadError {
            #expect(error.file == "hostile.json", "\(reader.name): \(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(reader.name): expected a ReadError, got \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: jsonReaders.indices)
    func jsonNestedAHundredThousandDeepIsRefused(index: Int) {
        let depth = 100_000
        Self.expectReadError(
            Self.jsonReaders[index],
            Data((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8))
        Self.expectReadError(
            Self.jsonReaders[index],
            Data((String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)).utf8))
    }

    /// Documents that read with a plain number, and must not with one JSON cannot hold as a
    /// finite double (or with the words some writers use for NaN and infinity).
    static let numberTemplates: [(reader: Int, json: String)] = [
        (
            0,
            #"{"openlabel":{"metadata":{"schema_version":"1.0.0"},"objects":{"0":{"name":"a","type":"Car"}},"frames":{"0":{"objects":{"0":{"object_data":{"cuboid":[{"name":"box","val":[NUMBER,0,0,0,0,0,1,4,2,1.5]}]}}}}}}}"#
        ),
        (
            1,
            #"[{"obj_type":"Car","obj_id":"1","psr":{"position":{"x":NUMBER,"y":2,"z":0},"rotation":{"x":0,"y":0,"z":0},"scale":{"x":4,"y":2,"z":1.5}}}]"#
        ),
        (6, #"[{"camera":"front","label":"car","score":0.9,"left":NUMBER,"top":10,"right":50,"bottom":40}]"#)
    ]

    @Test(arguments: numberTemplates.indices)
    func numbersBeyondDoubleAndNaNWordsAreRefused(index: Int) throws {
        let (reader, template) = Self.numberTemplates[index]
        try Self.jsonReaders[reader].read(Data(template.replacingOccurrences(of: "NUMBER", with: "1").utf8))
        for number in ["1e999", "-1e999", "NaN", "Infinity", "\"nan\""] {
            Self.expectReadError(
                Self.jsonReaders[reader], Data(template.replacingOccurrences(of: "NUMBER", with: number).utf8))
        }
    }

    @Test func auditLogsNestedDeepAreNotEntries() {
        let depth = 100_000
        let line = Data((String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n").utf8)
        let verification = AuditVerification.verify(log: line, head: line)
        #expect(!verification.isIntact)
        #expect(verification.problems.contains { $0.message.contains("not an audit entry") })
    }

    @Test func aSceneFileThatIsAFIFOIsRefusedWithoutWaiting() throws {
        let folder = try TemporaryFiles.folder("fifo")
        defer { TemporaryFiles.remove(folder) }
        try #require(mkfifo(folder + "/sweep.pcd", 0o644) == 0)
        do {
            _ = try PCDReader.read(contentsOf: folder + "/sweep.pcd")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("not a regular file"), "\(error)")
        }
    }

    @Test func aSceneFileThatIsADeviceIsRefused() {
        do {
            _ = try KITTIVelodyne.read(contentsOf: "/dev/zero")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("not a regular file"), "\(error)")
        }
    }
}

/// Files written on Windows end their lines with "\r\n", which a Swift string holds as one
/// character: every line-based reader must still see separate lines.
@Suite struct WindowsLineEndingTests {
    @Test func sequenceMapsWithCRLFReadAsWithLF() throws {
        let map = "0001 empty 000000 000446\n0006 empty 000000 000269\n"
        let windows = try KITTITrackingRun.parseSequenceMap(map.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(windows == (try KITTITrackingRun.parseSequenceMap(map)))
        #expect(windows.count == 2)
    }
}
