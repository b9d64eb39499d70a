import Foundation
import FusionIO
import FusionLabel
import FusionPrelabel
import FusionTestSupport
import Testing

/// `fusionlabel prelabel` as a real process on the shared KITTI and SUSTech frames.
@Suite(SharedScenes.required)
struct PrelabelCommandTests {
    static let kitti = SharedScenes.root + "/kitti-object"

    @Test func writesOpenLABELAndKITTIWithProvenanceAndSameBytesTwice() throws {
        let work = TemporaryFiles.file("prelabel")
        defer { TemporaryFiles.remove(work) }
        let first = try CommandLineTests.run(["prelabel", Self.kitti, "--out", work + "/a", "--kitti", "--json"])
        #expect(first.status == 0, "\(first.errors)")
        #expect(first.errors.contains("prelabel 6/6"))
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(first.output.utf8)) as? [String: Any])
        let document = try OpenLABELDocument.read(contentsOf: work + "/a/prelabels.openlabel.json")
        #expect(summary["proposals"] as? Int == document.objects.count && document.frames.count == 6)

        // The same proposals as the library gives in-process, frame by frame.
        let library = try PrelabelRun().prelabel(
            frame: "000001", source: .kittiObject(folder: Self.kitti, frame: "000001"))
        let written = document.frames[1]!.objects.sorted { Int($0.key)! < Int($1.key)! }.map { $0.value[0] }
        #expect(written.map(\.cuboid) == library.proposals.map(\.cuboid))
        // Provenance: the input hash is the file's SHA-256 as sha256sum computes it.
        let checksum = try ChildProcess.run("/usr/bin/sha256sum", [Self.kitti + "/velodyne/000001.bin"])
        #expect(written.allSatisfy { $0.attributes.texts["input_sha256"] == String(checksum.output.prefix(64)) })
        #expect(
            written.allSatisfy {
                $0.attributes.texts["parameter_hash"]?.count == 64 && $0.attributes.texts["origin"] == "prelabel"
            })

        // KITTI rows: only what camera 2 sees, and back in the LiDAR frame they are proposals (KITTI
        // boxes are upright in the camera frame, a few hundredths of a radian from the LiDAR's, so
        // the centre moves by up to a few centimetres; the sizes are exact).
        let calibration = try KITTICalibration.read(contentsOf: Self.kitti + "/calib/000001.txt")
        let rows = try KITTIObject.read(contentsOf: work + "/a/label_2/000001.txt")
        #expect(!rows.isEmpty && rows.count < library.proposals.count)
        for row in rows {
            let box = row.box.cuboid(lidarFromRectifiedCamera: calibration.rectifiedCameraFromLidar.inverse)
            #expect(
                library.proposals.contains {
                    ($0.cuboid.center - box.center).length < 0.05 && $0.cuboid.size == box.size
                })
            #expect(row.imageBox.right > row.imageBox.left && (row.score ?? -1) > 0)
        }

        // One thread or many, the same bytes.
        let second = try CommandLineTests.run(["prelabel", Self.kitti, "--out", work + "/b", "--threads", "1"])
        #expect(second.status == 0, "\(second.errors)")
        #expect(
            FileManager.default.contents(atPath: work + "/a/prelabels.openlabel.json")
                == FileManager.default.contents(atPath: work + "/b/prelabels.openlabel.json"))
    }

    /// KITTI's labels written as a detector's output (score 0.8) come back refitted under the model's name.
    @Test func predictionsAreMergedUnderTheModelsName() throws {
        let work = try TemporaryFiles.folder("prelabel")
        defer { TemporaryFiles.remove(work) }
        try FileManager.default.createDirectory(atPath: work + "/detections", withIntermediateDirectories: true)
        var objects = 0
        for frame in ["000000", "000001", "000002"] {
            let rows = try KITTIObject.read(contentsOf: "\(Self.kitti)/label_2/\(frame).txt").filter { !$0.isDontCare }
                .map { row -> KITTIObject in
                    var detection = row
                    detection.score = 0.8
                    return detection
                }
            objects += rows.count
            try FileAccess.writeAtomically(
                Data(KITTIObject.text(for: rows).utf8), to: "\(work)/detections/\(frame).txt")
        }
        let result = try CommandLineTests.run([
            "prelabel", Self.kitti, "--out", work + "/out", "--predictions", work + "/detections", "--model",
            "labels-as-detector"
        ])
        #expect(result.status == 0, "\(result.errors)")
        let document = try OpenLABELDocument.read(contentsOf: work + "/out/prelabels.openlabel.json")
        let fromModel = document.frames.values.flatMap { $0.objects.values.flatMap { $0 } }.filter {
            $0.attributes.texts["model"] == "labels-as-detector"
        }
        #expect(fromModel.count >= objects / 2 && fromModel.count <= objects, "\(fromModel.count) of \(objects)")
        #expect(
            fromModel.allSatisfy {
                $0.attributes.numbers["model_score"] == 0.8 && $0.attributes.numbers["confidence"] == 0.8
            })
    }

    /// Annotators keep SUSTech's labels: those over a proposal keep its uid, the rest are new.
    /// `learn-priors` learns what the library learns from the same documents, and the next
    /// `prelabel --priors` records different parameters.
    @Test func correctedLabelsTeachThePriors() throws {
        let work = TemporaryFiles.file("prelabel")
        defer { TemporaryFiles.remove(work) }
        let scene = SharedScenes.root + "/sustechpoints-example"
        let first = try CommandLineTests.run(["prelabel", scene, "--out", work + "/first"])
        #expect(first.status == 0, "\(first.errors)")
        let prelabels = try OpenLABELDocument.read(contentsOf: work + "/first/prelabels.openlabel.json")
        var corrected = OpenLABELDocument()
        var newUID = 100_000
        var kept = 0
        for (number, frame) in ["000965", "000970", "000975"].enumerated() {
            var correctedFrame = OpenLABELDocument.Frame()
            for label in try SUSTechPOINTS.readLabels(contentsOf: "\(scene)/label/\(frame).json") {
                let over = prelabels.frames[number]?.objects.sorted { $0.key < $1.key }.first {
                    correctedFrame.objects[$0.key] == nil && $0.value[0].cuboid.footprintMayMeet(label.cuboid)
                        && $0.value[0].cuboid.bevIoU(with: label.cuboid) >= 0.3
                }?.key
                let uid = over ?? String(newUID)
                if over == nil { newUID += 1 } else { kept += 1 }
                corrected.objects[uid] = .init(name: label.id, type: label.type)
                correctedFrame.objects[uid] = [.init(coordinateSystem: "lidar", cuboid: label.cuboid)]
            }
            corrected.frames[number] = correctedFrame
        }
        try corrected.write(to: work + "/corrected.openlabel.json")
        // Kept objects carry their kept box's size and their fit's, for a scorer's size models.
        let examples = PrelabelRun.scorerExamples(prelabels: prelabels, corrected: corrected)
        let sized = examples.filter { $0.labelSize != nil }
        #expect(sized.count == examples.filter { $0.outcome != .background }.count && sized.count >= 30)
        let keptSizes = Set(corrected.frames.values.flatMap { $0.objects.values.map { "\($0[0].cuboid.size)" } })
        #expect(
            sized.allSatisfy {
                keptSizes.contains("\($0.labelSize!)") && $0.fitSize!.length == Double($0.features[.length])
            })
        let learned = try CommandLineTests.run([
            "learn-priors", "--prelabels", work + "/first/prelabels.openlabel.json",
            "--corrected", work + "/corrected.openlabel.json", "--priors", work + "/priors.json"
        ])
        #expect(learned.status == 0, "\(learned.errors)")
        #expect(learned.output.contains("\(kept) corrected proposals"))
        var expected = PriorModel.standard
        expected.learn(from: PrelabelRun.corrections(prelabels: prelabels, corrected: corrected))
        let written = try PriorModel.read(contentsOf: work + "/priors.json")
        #expect(
            written == expected
                && written.classes[.car]!.meanSize.length > PriorModel.standard.classes[.car]!.meanSize.length)
        let second = try CommandLineTests.run([
            "prelabel", scene, "--out", work + "/second", "--priors", work + "/priors.json"
        ])
        #expect(second.status == 0, "\(second.errors)")
        let hash = { (path: String) in
            try OpenLABELDocument.read(contentsOf: path).frames[0]?.objects.values.first?.first?.attributes.texts[
                "parameter_hash"]
        }
        #expect(try hash(work + "/first/prelabels.openlabel.json") != hash(work + "/second/prelabels.openlabel.json"))
    }

    /// Every candidate of SUSTech's frames pre-labelled, those over a label kept and the rest
    /// deleted: `learn-priors --scorer` teaches the built-in scorer, which then gives the deleted
    /// ones a lower probability of being objects and the kept ones a higher one, on average.
    @Test func correctionsTeachTheScorer() throws {
        let work = TemporaryFiles.file("prelabel")
        defer { TemporaryFiles.remove(work) }
        let scene = SharedScenes.root + "/sustechpoints-example"
        let first = try CommandLineTests.run(["prelabel", scene, "--out", work + "/first", "--no-scorer"])
        #expect(first.status == 0, "\(first.errors)")
        let prelabels = try OpenLABELDocument.read(contentsOf: work + "/first/prelabels.openlabel.json")
        var corrected = OpenLABELDocument()
        var keptUIDs: Set<String> = []
        var deletedUIDs: Set<String> = []
        for (number, frame) in ["000965", "000970", "000975"].enumerated() {
            var correctedFrame = OpenLABELDocument.Frame()
            let labels = try SUSTechPOINTS.readLabels(contentsOf: "\(scene)/label/\(frame).json")
            for (uid, boxes) in prelabels.frames[number]!.objects {
                if let label = labels.first(where: {
                    $0.cuboid.footprintMayMeet(boxes[0].cuboid) && $0.cuboid.bevIoU(with: boxes[0].cuboid) >= 0.3
                }) {
                    corrected.objects[uid] = .init(name: label.id, type: label.type)
                    correctedFrame.objects[uid] = [.init(coordinateSystem: "lidar", cuboid: label.cuboid)]
                    keptUIDs.insert(uid)
                } else {
                    deletedUIDs.insert(uid)
                }
            }
            corrected.frames[number] = correctedFrame
        }
        try corrected.write(to: work + "/corrected.openlabel.json")
        // Kept objects carry their kept box's size and their fit's, for a scorer's size models.
        let examples = PrelabelRun.scorerExamples(prelabels: prelabels, corrected: corrected)
        let sized = examples.filter { $0.labelSize != nil }
        #expect(sized.count == examples.filter { $0.outcome != .background }.count && sized.count >= 30)
        let keptSizes = Set(corrected.frames.values.flatMap { $0.objects.values.map { "\($0[0].cuboid.size)" } })
        #expect(
            sized.allSatisfy {
                keptSizes.contains("\($0.labelSize!)") && $0.fitSize!.length == Double($0.features[.length])
            })
        let learned = try CommandLineTests.run([
            "learn-priors", "--prelabels", work + "/first/prelabels.openlabel.json", "--corrected",
            work + "/corrected.openlabel.json", "--priors", work + "/priors.json", "--scorer", work + "/scorer.json"
        ])
        #expect(learned.status == 0, "\(learned.errors)")
        let updated = try ProposalScorer.read(contentsOf: work + "/scorer.json")
        #expect(updated.provenance.updates.map(\.name) == ["corrected.openlabel.json"])
        func meanObjectProbability(_ model: ProposalScorer, _ uids: Set<String>) -> Double {
            let values = prelabels.frames.values.flatMap { frame in
                frame.objects.filter { uids.contains($0.key) }.compactMap { _, boxes -> Double? in
                    guard let text = boxes[0].attributes.texts["features"] else { return nil }
                    return 1
                        - model.probabilities(ProposalFeatures(values: text.split(separator: ",").map { Float($0)! }))[
                            0]
                }
            }
            return values.reduce(0, +) / Double(max(values.count, 1))
        }
        #expect(keptUIDs.count >= 30 && deletedUIDs.count >= 100)
        #expect(meanObjectProbability(updated, deletedUIDs) < meanObjectProbability(.builtIn, deletedUIDs))
        #expect(meanObjectProbability(updated, keptUIDs) > meanObjectProbability(.builtIn, keptUIDs))
    }

    /// KITTI's label rows as 2D detections: the far cyclist of 000001 is proposed as a cyclist.
    @Test func twoDimensionalDetectionsAreFused() throws {
        let work = TemporaryFiles.file("prelabel")
        defer { TemporaryFiles.remove(work) }
        // By the size priors alone (the built-in scorer calls it a cyclist from its returns already).
        let plain = try CommandLineTests.run([
            "prelabel", Self.kitti, "--frame", "000001", "--out", work + "/plain", "--no-scorer"
        ])
        let fused = try CommandLineTests.run([
            "prelabel", Self.kitti, "--frame", "000001", "--out", work + "/fused", "--detections",
            Self.kitti + "/label_2",
            "--no-scorer"
        ])
        #expect(plain.status == 0 && fused.status == 0, "\(fused.errors)")
        let calibration = try KITTICalibration.read(contentsOf: Self.kitti + "/calib/000001.txt")
        let cyclist = try #require(
            try KITTIObject.read(contentsOf: Self.kitti + "/label_2/000001.txt").first { $0.type == "Cyclist" }
        )
        .box.cuboid(lidarFromRectifiedCamera: calibration.rectifiedCameraFromLidar.inverse)
        func typeOverCyclist(_ path: String) throws -> String? {
            let document = try OpenLABELDocument.read(contentsOf: path)
            return document.frames[0]?.objects.first { $0.value[0].cuboid.bevIoU(with: cyclist) > 0.1 }.flatMap {
                document.objects[$0.key]?.type
            }
        }
        #expect(try typeOverCyclist(work + "/plain/prelabels.openlabel.json") != "Cyclist")
        #expect(try typeOverCyclist(work + "/fused/prelabels.openlabel.json") == "Cyclist")
    }

    @Test func badRequestsSayWhat() throws {
        let work = TemporaryFiles.file("prelabel")
        defer { TemporaryFiles.remove(work) }
        let missing = try CommandLineTests.run(["prelabel", "/no/such/folder", "--out", work])
        #expect(missing.status == 1 && missing.errors.contains("/no/such/folder"))
        let kittiFromSUSTech = try CommandLineTests.run([
            "prelabel", SharedScenes.root + "/sustechpoints-example", "--out", work, "--kitti"
        ])
        #expect(kittiFromSUSTech.status == 1 && kittiFromSUSTech.errors.contains("--kitti needs a KITTI object folder"))
        let noFrame = try CommandLineTests.run(["prelabel", Self.kitti, "--frame", "999999", "--out", work])
        #expect(noFrame.status == 1 && noFrame.errors.contains("999999.bin"))
        try "{\"classes\": {\"car\": {\"count\": -1}}}".write(
            toFile: work + "-priors.json", atomically: true, encoding: .utf8)
        defer { TemporaryFiles.remove(work + "-priors.json") }
        let badPriors = try CommandLineTests.run([
            "prelabel", Self.kitti, "--out", work, "--priors", work + "-priors.json"
        ])
        #expect(badPriors.status == 1 && badPriors.errors.contains("priors.json"))
        // The scorer options mean the same to every command that pre-labels.
        for command in [["prelabel", Self.kitti, "--out", work], ["evaluate", "misses", "--labels", Self.kitti]] {
            let both = try CommandLineTests.run(command + ["--no-scorer", "--scorer", work + "-scorer.json"])
            #expect(both.status == 1 && both.errors.contains("--no-scorer goes with neither"), "\(both.errors)")
            let outOfRange = try CommandLineTests.run(command + ["--minimum-object-probability", "1.5"])
            #expect(outOfRange.status == 1 && outOfRange.errors.contains("must be in 0...1"), "\(outOfRange.errors)")
        }
    }
}
