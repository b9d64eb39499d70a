import ArgumentParser
import Foundation
import FusionIO
import FusionLabel
import FusionQA

struct AnnotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate",
        abstract: "Annotate a whole scene: pre-label, track, project into every camera, check, flag.",
        discussion: """
            Runs the whole pipeline over every frame of a scene folder (frames in parallel, streamed) and writes
            into <out>: labels.openlabel.json (tracked cuboids in the LiDAR frame with confidence, flags, 2D
            boxes, truncation and visibility per camera, provenance), qa-report.json and qa-report.md, the audit
            trail audit.jsonl (one `prelabel` entry per label, appended), renders/<frame>-<camera>.png and
            renders/<frame>-bev.png, and with --kitti <camera> kitti/<camera>.txt (KITTI tracking rows).
            With --predictions (an OpenLABEL file, frame numbers = the scene's frame indices) a detector's boxes
            are refitted and merged into the pre-labels, with --detections 2D detections (<frame index>.json) are
            lifted through their cameras' frustums, and --priors replaces the prior model, as in `prelabel`
            (a configuration file's `priors` is overridden by --priors). Every file is written
            atomically. A configuration file (JSON) changes the defaults that --print-config shows.
            """)

    @Argument(help: "A scene folder (scene.json).")
    var scene: String?

    @Option(help: "Output folder (created if needed).")
    var out: String?

    @Option(help: "A configuration file (JSON; see --print-config for the keys and defaults).")
    var config: String?

    @Option(help: "Frames processed at once (overrides the configuration; default: the processor count).")
    var threads: Int?

    @OptionGroup var inputs: PrelabelInputOptions

    @Option(help: "Also write KITTI tracking rows for this camera.")
    var kitti: String?

    @Flag(help: "Skip the PNG renders.")
    var noRenders = false

    @Flag(help: "Print the summary as JSON.")
    var json = false

    @Flag(help: "Print the configuration in effect (the defaults, or --config's) and exit.")
    var printConfig = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if !printConfig && scene == nil { throw ValidationError("Missing expected argument '<scene>'") }
        if !printConfig && out == nil { throw ValidationError("Missing expected argument '--out <out>'") }
    }

    func run() async throws {
        do {
            var configuration =
                try config.map { path throws in try AnnotationConfiguration.read(contentsOf: path) }
                ?? AnnotationConfiguration()
            if let threads { configuration.maximumConcurrency = threads }
            if let priors = inputs.priors { configuration.priors = priors }
            if printConfig {
                print(String(decoding: try configuration.json(), as: UTF8.self))
                return
            }
            guard let scene, let out else { return }
            let cameras = try Scene.open(scene).manifest.cameras.map(\.name)
            if let kitti, !cameras.contains(kitti) {
                throw CommandFailure(
                    message:
                        "--kitti \(kitti): the scene has no such camera (it has \(cameras.joined(separator: ", ")))")
            }
            let started = Date()
            let prelabeling = try inputs.configured(PrelabelRun())
            let annotator = try SceneAnnotator(configuration: configuration, prelabeling: prelabeling)
            let progress = ProgressLine(total: 1, label: "annotate")
            let annotated = try await annotator.annotate(scene: scene) { step in
                progress.update(step.done, of: step.total, stage: step.stage.rawValue)
            }
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try annotated.openLABEL().write(to: out + "/labels.openlabel.json")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try FileAccess.writeAtomically(try encoder.encode(annotated.report), to: out + "/qa-report.json")
            try FileAccess.writeAtomically(Data(annotated.report.markdown().utf8), to: out + "/qa-report.md")
            let log = try AuditLog(path: out + "/audit.jsonl", durability: .batched(entries: 10_000))
            for draft in annotated.auditDrafts() { try log.append(draft) }
            try log.flush()
            // Read back from disk: a trail that does not verify right after writing is a failed run.
            let audit = try AuditVerification.verify(logAt: out + "/audit.jsonl")
            guard audit.isIntact else {
                throw CommandFailure(
                    message: "\(out)/audit.jsonl does not verify after writing: "
                        + audit.problems.map { "line \($0.line): \($0.message)" }.joined(separator: "; "))
            }
            if let kitti {
                try FileManager.default.createDirectory(atPath: out + "/kitti", withIntermediateDirectories: true)
                try FileAccess.writeAtomically(
                    Data(KITTITrackedObject.text(for: annotated.kittiTracking(camera: kitti)).utf8),
                    to: "\(out)/kitti/\(kitti).txt")
            }
            if !noRenders {
                try FileManager.default.createDirectory(atPath: out + "/renders", withIntermediateDirectories: true)
                try await annotated.writeRenders(
                    to: out + "/renders", maximumConcurrency: configuration.maximumConcurrency
                ) { done in
                    progress.update(done, of: annotated.frames.count, stage: "render")
                }
            }
            try printSummary(annotated, audit: audit, seconds: Date().timeIntervalSince(started), out: out)
        } catch {
            throw CommandFailure(error)
        }
    }

    private func printSummary(_ annotated: AnnotatedScene, audit: AuditVerification, seconds: Double, out: String)
        throws
    {
        let objects = annotated.frames.flatMap(\.objects)
        var byClass: [String: Int] = [:]
        var byFlag: [String: Int] = [:]
        var byNote: [String: Int] = [:]
        for object in objects {
            byClass[object.kind?.rawValue ?? "unsure", default: 0] += 1
            for flag in object.flags {
                if flag.asksForReview {
                    byFlag[flag.rawValue, default: 0] += 1
                } else {
                    byNote[flag.rawValue, default: 0] += 1
                }
            }
        }
        let needingReview = objects.filter(\.needsReview).count
        if json {
            let summary: [String: Any] = [
                "scene": annotated.name, "frames": annotated.frames.count, "labels": objects.count,
                "tracks": annotated.trackCount, "classes": byClass, "flags": byFlag, "notes": byNote,
                "labels_needing_review": needingReview,
                "findings": annotated.findings.count, "dropped_proposals": annotated.droppedProposals,
                "audit": [
                    "entries": audit.entries, "anchored_entries": audit.anchoredEntries ?? 0, "intact": audit.isIntact
                ],
                "seconds": (seconds * 1000).rounded() / 1000, "out": out
            ]
            print(
                String(
                    decoding: try JSONSerialization.data(
                        withJSONObject: summary, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self))
        } else {
            func list(_ counts: [String: Int]) -> String {
                counts.isEmpty
                    ? "none" : counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            }
            print(
                "annotated \(annotated.name): \(annotated.frames.count) frames, \(objects.count) labels in \(annotated.trackCount) tracks ("
                    + list(byClass) + "); flagged for review: \(needingReview) (" + list(byFlag) + "); noted: "
                    + list(byNote)
                    + "; \(annotated.findings.count) guideline findings; "
                    + String(format: "%.1f s; written to %@", seconds, out))
        }
    }
}
