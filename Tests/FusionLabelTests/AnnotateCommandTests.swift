import Foundation
import FusionCalibration
import FusionGeometry
import FusionIO
import FusionLabel
import FusionPrelabel
import FusionQA
import FusionTestSupport
import Testing

/// `fusionlabel annotate` and `review-page` as real processes (the release build `make test`
/// makes) on SampleScenes/urban, and the page in a real browser: headless Chromium.
@Suite(.serialized) struct AnnotateCommandTests {
    /// The release CLI (`ReleaseCLI`: there and newer than the code, or the test fails).
    static var executable: String { get throws { try ReleaseCLI.executable() } }
    static let scene = SharedScenes.repositoryRoot + "/SampleScenes/urban"
    static let chromium = "/usr/bin/chromium"

    /// One annotation and page of the sample scene, shared by the tests (made once).
    static let work: Result<String, Error> = Result {
        let folder = TemporaryFiles.file("annotate")
        let annotated = try ChildProcess.run(
            executable, ["annotate", scene, "--out", folder + "/out", "--kitti", "front", "--json"])
        try #require(annotated.status == 0, "\(annotated.errors)")
        try annotated.output.write(toFile: folder + "/summary.json", atomically: true, encoding: .utf8)
        let page = try ChildProcess.run(
            executable,
            [
                "review-page", scene, "--labels", folder + "/out/labels.openlabel.json",
                "--report", folder + "/out/qa-report.json", "--out", folder + "/page"
            ])
        try #require(page.status == 0, "\(page.errors)")
        return folder
    }

    @Test func writesLabelsReportAuditTrailRendersAndKITTI() throws {
        let folder = try Self.work.get()
        let out = folder + "/out"
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/summary.json")))
                as? [String: Any])
        let document = try OpenLABELDocument.read(contentsOf: out + "/labels.openlabel.json")
        let labels = document.frames.values.map(\.objects.count).reduce(0, +)
        #expect(summary["frames"] as? Int == 10 && document.frames.count == 10)
        #expect(summary["labels"] as? Int == labels && labels > 100)
        #expect(summary["tracks"] as? Int == document.objects.count)
        // The summary tells the audit trail as the engine read it back after writing.
        let writtenAudit = try #require(summary["audit"] as? [String: Any])
        #expect(
            writtenAudit["entries"] as? Int == labels && writtenAudit["anchored_entries"] as? Int == labels
                && writtenAudit["intact"] as? Bool == true)

        // The audit trail: one intact, hash-chained `prelabel` entry per label.
        let audit = try AuditVerification.verify(logAt: out + "/audit.jsonl")
        #expect(audit.isIntact && audit.entries == labels && audit.anchoredEntries == labels)

        // The QA report counts the labels; its findings name labels that exist.
        let report = try JSONDecoder().decode(
            QAReport.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/qa-report.json")))
        #expect(report.labels == labels)
        for finding in report.findings.prefix(50) {
            let uid = String(finding.labelID.split(separator: "/").last!)
            #expect(document.frames[finding.frame]?.objects[uid] != nil, "\(finding.labelID)")
        }

        // A render per camera and frame, and a bird's-eye view.
        let renders = try FileManager.default.contentsOfDirectory(atPath: out + "/renders").filter {
            $0.hasSuffix(".png")
        }
        #expect(renders.count == 10 * 3)
        let render = try RGBImage.read(contentsOf: out + "/renders/000004-front.png")
        #expect(render.size == ImageSize(width: 1024, height: 576))

        // KITTI tracking rows for the front camera: back in the LiDAR frame they are the labels the
        // camera sees. KITTI boxes are upright in the camera frame and keep the bottom face's
        // centre; tracked boxes are upright in the world, tilted in the LiDAR frame by the ego's
        // pitch (up to 2°), so a 3 m tall box's centre moves by up to 5 cm.
        let rig = try CameraRig(scene: try Scene.open(Self.scene).manifest)
        let front = try #require(rig["front"])
        let rows = try KITTITrackedObject.read(contentsOf: out + "/kitti/front.txt")
        let inView = document.frames.values.flatMap { $0.objects.values.compactMap(\.first) }
            .filter { $0.attributes.numbers["image_box_front_left"] != nil }
        #expect(rows.count == inView.count)
        let frames = document.frames.keys.sorted()
        for row in rows.prefix(200) {
            let box = row.object.box.cuboid(lidarFromRectifiedCamera: front.cameraFromLidar.inverse)
            let label = try #require(document.frames[frames[row.frame]]?.objects[String(row.trackID)]?.first)
            #expect(
                (label.cuboid.center - box.center).length < 0.1
                    && abs(label.cuboid.size.length - box.size.length) < 1e-9)
        }
    }

    /// One frame at a time or two at once, the same bytes.
    @Test func sameLabelsWhateverTheConcurrency() throws {
        let folder = try Self.work.get()
        let single = try ChildProcess.run(
            Self.executable, ["annotate", Self.scene, "--out", folder + "/single", "--threads", "1", "--no-renders"])
        #expect(single.status == 0, "\(single.errors)")
        #expect(
            FileManager.default.contentsEqual(
                atPath: folder + "/out/labels.openlabel.json", andPath: folder + "/single/labels.openlabel.json"))
        #expect(
            FileManager.default.contentsEqual(
                atPath: folder + "/out/qa-report.json", andPath: folder + "/single/qa-report.json"))
    }

    /// The page in headless Chromium: loads from disk, draws every label of the frame in the
    /// bird's-eye view, in 3D, and in each camera that sees it, with no script error and nothing
    /// on the console.
    @Test(arguments: [0, 7]) func reviewPageRendersInABrowser(position: Int) throws {
        let folder = try Self.work.get()
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.chromium),
            "Chromium is missing: make test installs it (apt-get install chromium)")
        let document = try OpenLABELDocument.read(contentsOf: folder + "/out/labels.openlabel.json")
        let frame = try #require(document.frames[document.frames.keys.sorted()[position]])
        let page = "file://\(folder)/page/index.html#frame=\(position)"
        let browser = [
            "--headless", "--no-sandbox", "--enable-unsafe-swiftshader", "--use-angle=swiftshader",
            "--virtual-time-budget=10000",
            "--enable-logging=stderr", "--v=0", "--user-data-dir=\(folder)/chromium-\(position)"
        ]
        let loaded = try ChildProcess.run("/usr/bin/timeout", ["120", Self.chromium] + browser + ["--dump-dom", page])
        #expect(loaded.status == 0, "\(loaded.errors.suffix(2000))")
        let console = loaded.errors.split(separator: "\n").filter { $0.contains(":CONSOLE") }
        #expect(console.isEmpty, "\(console)")
        let attributes = try Self.bodyAttributes(loaded.output)
        #expect(attributes["data-ready"] == "1" && attributes["data-errors"] == "0")
        #expect(attributes["data-frame"] == String(position))
        #expect(attributes["data-bev-boxes"] == String(frame.objects.count))
        #expect(attributes["data-scene-boxes"] == String(frame.objects.count))
        let drawn = try #require(
            try JSONSerialization.jsonObject(with: Data((attributes["data-camera-boxes"] ?? "").utf8)) as? [String: Int]
        )
        for camera in ["front", "left"] {
            let seen = frame.objects.values.filter { $0.first?.attributes.numbers["image_box_\(camera)_left"] != nil }
                .count
            #expect(drawn[camera] == seen, "camera \(camera)")
        }

        // A screenshot: the page as a person sees it (kept next to the page for a look).
        let screenshot = "\(folder)/page/screenshot-\(position).png"
        let shot = try ChildProcess.run(
            "/usr/bin/timeout",
            ["120", Self.chromium] + browser + ["--window-size=1600,1100", "--screenshot=\(screenshot)", page])
        #expect(shot.status == 0, "\(shot.errors.suffix(2000))")
        let image = try RGBImage.read(contentsOf: screenshot)
        #expect(image.size == ImageSize(width: 1600, height: 1100))
        var colours = Set<SIMD3<UInt8>>()
        for row in Swift.stride(from: 0, to: image.size.height, by: 7) {
            for column in Swift.stride(from: 0, to: image.size.width, by: 7) { colours.insert(image[column, row]) }
        }
        #expect(colours.count > 500, "the screenshot looks blank: \(colours.count) colours")
    }

    /// Frames load when shown; a frame whose script is gone is reported on the page, not drawn blank.
    @Test func aMissingFrameIsReportedOnThePage() throws {
        let folder = try Self.work.get()
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.chromium),
            "Chromium is missing: make test installs it (apt-get install chromium)")
        let page = folder + "/page-missing"
        try? FileManager.default.removeItem(atPath: page)
        try FileManager.default.copyItem(atPath: folder + "/page", toPath: page)
        try FileManager.default.removeItem(atPath: page + "/frames/000003.js")
        let loaded = try ChildProcess.run(
            "/usr/bin/timeout",
            [
                "120", Self.chromium, "--headless", "--no-sandbox", "--enable-unsafe-swiftshader",
                "--use-angle=swiftshader", "--virtual-time-budget=10000", "--user-data-dir=\(folder)/chromium-missing",
                "--dump-dom", "file://\(page)/index.html#frame=3"
            ])
        let attributes = try Self.bodyAttributes(loaded.output)
        #expect(attributes["data-errors"] == "1" && attributes["data-ready"] == "0")
        #expect(loaded.output.contains("cannot load frames/000003.js"))
    }

    @Test func badInputGetsAClearErrorAndNoOutput() throws {
        let folder = try Self.work.get()
        let missing = try ChildProcess.run(
            Self.executable, ["annotate", folder + "/no-such-scene", "--out", folder + "/bad"])
        #expect(missing.status == 1 && missing.errors.contains("no such scene folder"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/bad"))
        try Data(#"{"minimumTrackHits": 2, "stitchGapp": 3}"#.utf8).write(
            to: URL(fileURLWithPath: folder + "/config.json"))
        let typo = try ChildProcess.run(
            Self.executable, ["annotate", Self.scene, "--config", folder + "/config.json", "--out", folder + "/bad"])
        #expect(typo.status == 1 && typo.errors.contains("stitchGapp") && typo.errors.contains("config.json"))
        let camera = try ChildProcess.run(
            Self.executable, ["annotate", Self.scene, "--kitti", "rear", "--no-renders", "--out", folder + "/bad"])
        #expect(camera.status == 1 && camera.errors.contains("rear") && camera.errors.contains("front, left"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/bad"))
    }

    /// A detector's boxes go through the whole pipeline: with the simulator's ground truth as the
    /// "detector", nearly every ground-truth car and pedestrian with 20 returns comes out as a
    /// tracked label, and the labels carry the model's name in their provenance.
    @Test func aDetectorsPredictionsAreMergedAndTracked() throws {
        let folder = try Self.work.get()
        let truthFile = Self.scene + "/labels/ground_truth.openlabel.json"
        let run = try ChildProcess.run(
            Self.executable,
            [
                "annotate", Self.scene, "--predictions", truthFile, "--model", "truth",
                "--no-renders", "--out", folder + "/predicted"
            ])
        #expect(run.status == 0, "\(run.errors)")
        let truth = try OpenLABELDocument.read(contentsOf: truthFile)
        let labels = try OpenLABELDocument.read(contentsOf: folder + "/predicted/labels.openlabel.json")
        let plain = try OpenLABELDocument.read(contentsOf: folder + "/out/labels.openlabel.json")
        func evaluation(_ document: OpenLABELDocument) -> PrelabelEvaluation {
            var evaluation = PrelabelEvaluation()
            for (number, frame) in truth.frames {
                let expected = frame.objects.compactMap {
                    uid, boxes -> (kind: PrelabelClass, box: Cuboid, points: Int)? in
                    guard let kind = truth.objects[uid].flatMap({ PrelabelClass(labelName: $0.type) }) else {
                        return nil
                    }
                    return (kind, boxes[0].cuboid, Int(boxes[0].attributes.numbers["points"] ?? 0))
                }
                let found = (document.frames[number]?.objects ?? [:]).map { uid, boxes in
                    let kind = PrelabelClass(labelName: document.objects[uid]?.type ?? "")
                    return (kind: kind, countedAs: kind ?? .other, box: boxes[0].cuboid)
                }
                evaluation.add(labels: expected, boxes: found)
            }
            return evaluation
        }
        let withTruth = evaluation(labels)
        let without = evaluation(plain)
        print("with the truth as predictions:\n\(withTruth)")
        let cars = try #require(withTruth.classes[.car])
        let pedestrians = try #require(withTruth.classes[.pedestrian])
        #expect(cars.recall >= 0.95 && cars.found > (without.classes[.car]?.found ?? 0))
        #expect(pedestrians.recall >= 0.9 && pedestrians.found > (without.classes[.pedestrian]?.found ?? 0))
    }

    /// `--print-config` lists every key with its default (no scene needed), and reads back as the defaults.
    @Test func printsTheDefaultConfiguration() throws {
        let printed = try ChildProcess.run(Self.executable, ["annotate", "--print-config"])
        #expect(printed.status == 0, "\(printed.errors)")
        #expect(try AnnotationConfiguration.parse(Data(printed.output.utf8)) == AnnotationConfiguration())
        for key in [
            "maximumConcurrency", "priors", "rules", "minimumTrackHits", "maximumMisses", "stitchGap", "keepUntracked",
            "proposalMatchIoU", "uncertainConfidence", "visibilitySampleSpacing"
        ] {
            #expect(printed.output.contains("\"\(key)\" : "), "\(key)")
        }
    }

    /// The attributes of the `<body>` tag of a dumped DOM.
    static func bodyAttributes(_ html: String) throws -> [String: String] {
        let tag = try #require(html.range(of: "<body[^>]*>", options: .regularExpression).map { String(html[$0]) })
        var attributes: [String: String] = [:]
        let pattern = try NSRegularExpression(pattern: #"([a-z-]+)="([^"]*)""#)
        for match in pattern.matches(in: tag, range: NSRange(tag.startIndex..., in: tag)) {
            let name = String(tag[Range(match.range(at: 1), in: tag)!])
            let value = String(tag[Range(match.range(at: 2), in: tag)!])
            attributes[name] = value.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(
                of: "&amp;", with: "&")
        }
        return attributes
    }
}
