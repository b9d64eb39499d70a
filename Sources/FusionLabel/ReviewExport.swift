import Foundation
import FusionGeometry
import FusionIO
import FusionQA

/// A scene's labels under review: the board they start on, and the labels written back with who
/// did what to them.
public enum ReviewExport {
    /// A board holding every label of the scene's label files, pre-labelled; ids are
    /// `<frame>/<object uid>`, confidence the label's `score` attribute (1 without one), points its
    /// returns in the frame's sweep. Labels start flagged (so spot checks take them first) when they
    /// are sparse (fewer returns than the standard guideline wants), more than half occluded or
    /// truncated (FusionSim's `occlusion` and `truncation_<camera>` attributes), or scored below 0.5.
    public static func board(scene folder: String, guidelineVersion: String) throws -> ReviewBoard {
        let scene = try Scene.open(folder)
        var labels: [ReviewBoard.Label] = []
        for document in try scene.labelDocuments() {
            for frame in scene.manifest.frames {
                let objects = document.frames[frame.index]?.objects ?? [:]
                guard !objects.isEmpty else { continue }
                let sweep = try scene.lidarSweep(of: frame)
                for (uid, cuboids) in objects.sorted(by: { $0.key < $1.key }) {
                    guard let cuboid = cuboids.first else { continue }
                    let objectClass = document.objects[uid]?.type ?? "unknown"
                    var label = ReviewBoard.Label(
                        id: "\(frame.index)/\(uid)", scene: scene.manifest.name, objectClass: objectClass,
                        box: cuboid.cuboid,
                        confidence: cuboid.attributes.numbers["score"] ?? 1,
                        points: sweep.countPoints(inside: cuboid.cuboid))
                    let numbers = cuboid.attributes.numbers
                    if label.points < RuleSet.standard.minimumPoints[objectClass]
                        ?? RuleSet.standard.defaultMinimumPoints
                    {
                        label.flags.insert(.sparse)
                    }
                    label.flags.formUnion(
                        AmbiguityFlag.viewFlags(
                            hiddenShare: numbers["occlusion"],
                            truncation: numbers.filter { $0.key.hasPrefix("truncation_") }.map(\.value).min()))
                    if label.confidence < 0.5 { label.flags.insert(.classUncertain) }
                    labels.append(label)
                }
            }
        }
        return ReviewBoard(labels: labels, guidelineVersion: guidelineVersion)
    }

    /// The scene's first label file with each reviewed label's box and class from the board, and
    /// its provenance as text attributes: `review_state`, `annotated_by`, `lead_reviewed_by`,
    /// `validated_by` (from the audit log), `audit_entries` and `audit_head` (the hash of the log's
    /// last line, which anchors the record).
    public static func openLABEL(scene folder: String, board: ReviewBoard, log: String) throws -> OpenLABELDocument {
        let scene = try Scene.open(folder)
        guard var document = try scene.labelDocuments().first else {
            throw ReadError(file: folder, location: .file, message: "the scene has no label file to export into")
        }
        let text = (try? FileAccess.text(of: log)) ?? ""
        var actors: [String: [String: [String]]] = [:]
        var lastHash = ""
        for line in text.split(whereSeparator: \.isNewline) {
            guard let entry = try? JSONDecoder().decode(AuditEntry.self, from: Data(line.utf8)) else { continue }
            actors[entry.labelID, default: [:]][entry.action, default: []].append(entry.actor)
            lastHash = AuditEntry.hash(Data(line.utf8))
        }
        for label in board.labels.values {
            let parts = label.id.split(separator: "/")
            guard parts.count == 2, let frame = Int(parts[0]),
                var cuboids = document.frames[frame]?.objects[String(parts[1])], !cuboids.isEmpty
            else { continue }
            var attributes = cuboids[0].attributes
            attributes.texts["review_state"] = label.state.rawValue
            let history = actors[label.id] ?? [:]
            func names(_ actions: [String]) -> String? {
                var seen: Set<String> = []
                let found = actions.flatMap { history[$0] ?? [] }.filter { seen.insert($0).inserted }
                return found.isEmpty ? nil : found.joined(separator: ",")
            }
            attributes.texts["annotated_by"] = names(["annotate", "edit"])
            attributes.texts["lead_reviewed_by"] = names(["leadAccept"])
            attributes.texts["validated_by"] = names(["validate"])
            attributes.numbers["audit_entries"] = Double(history.values.reduce(0) { $0 + $1.count })
            attributes.texts["audit_head"] = lastHash.isEmpty ? nil : lastHash
            cuboids[0].attributes = attributes
            cuboids[0].cuboid = Cuboid(
                center: SIMD3(label.box.center[0], label.box.center[1], label.box.center[2]),
                size: Size3(length: label.box.size[0], width: label.box.size[1], height: label.box.size[2]),
                rotation: UnitQuaternion(
                    w: label.box.rotation[0], x: label.box.rotation[1], y: label.box.rotation[2],
                    z: label.box.rotation[3]))
            document.frames[frame]!.objects[String(parts[1])] = cuboids
            document.objects[String(parts[1])]?.type = label.objectClass
        }
        return document
    }
}
