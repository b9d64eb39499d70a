import ArgumentParser
import Foundation
import FusionIO
import FusionLabel
import FusionQA

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Apply review actions to a scene's labels, with an audit trail.",
        discussion: """
            The board (--board) keeps each label's state; it is created from the scene's labels, all
            pre-labelled, the first time. Actions come from --actions (JSON Lines of {"labelID", "kind",
            and optionally "reason", "flag", "objectClass", "box"}, all by --actor in --role) or from
            --label and --kind. Kinds: annotate, edit, leadAccept, validate, reject (needs a reason),
            flag. Every accepted action is appended to --log. --spot-check SHARE prints the labels a
            lead should check (risk first, then a --seed random share). --export writes the labels as
            OpenLABEL with each label's review state and who annotated, reviewed and validated it.
            """)

    @Argument(help: "A scene folder (scene.json).")
    var scene: String

    @Option(help: "The review board file (created if missing).")
    var board: String

    @Option(help: "The audit log (created if missing).")
    var log: String

    @Option(help: "Who acts.")
    var actor: String?

    @Option(help: "Their role: annotator, lead, validator.")
    var role: String?

    @Option(help: "JSON Lines file of actions.")
    var actions: String?

    @Option(help: "One label's id (frame/object uid).")
    var label: String?

    @Option(help: "One action's kind.")
    var kind: String?

    @Option(help: "Why (a rejection needs it).")
    var reason: String?

    @Option(help: "Print the labels to spot-check: this share of the annotated ones.")
    var spotCheck: Double?

    @Option(help: "Seed of the spot check's random share.")
    var seed: UInt64 = 1

    @Option(help: "Guideline version recorded with every action (for a new board).")
    var guideline = RuleSet.standard.guidelineVersion

    @Option(help: "Write the labels with their review provenance as OpenLABEL.")
    var export: String?

    struct ActionLine: Decodable {
        var labelID: String
        var kind: ReviewAction.Kind
        var reason: String?
        var flag: AmbiguityFlag?
        var objectClass: String?
        var box: AuditEntry.RecordedBox?
    }

    func run() throws {
        do {
            var reviewBoard = try loadBoard()
            let audit = try AuditLog(path: log)
            var applied = 0
            var refused: [String] = []
            for action in try pendingActions() {
                do {
                    try reviewBoard.apply(action, log: audit)
                    applied += 1
                } catch let error as ReviewError {
                    refused.append(error.description)
                }
            }
            try audit.flush()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try FileAccess.writeAtomically(try encoder.encode(reviewBoard), to: board)
            if applied + refused.count > 0 {
                print("applied \(applied) actions" + (refused.isEmpty ? "" : ", refused \(refused.count):"))
            }
            for message in refused { print("  " + message) }
            if let share = spotCheck {
                print("spot check (\(Int((share * 100).rounded())) %):")
                for id in reviewBoard.spotCheck(share: share, seed: seed) { print("  " + id) }
            }
            if let export { try ReviewExport.openLABEL(scene: scene, board: reviewBoard, log: log).write(to: export) }
            if !refused.isEmpty { throw ExitCode(2) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw CommandFailure(error)
        }
    }

    private func loadBoard() throws -> ReviewBoard {
        if FileManager.default.fileExists(atPath: board) {
            return try JSONDecoder().decode(ReviewBoard.self, from: FileAccess.contents(of: board))
        }
        return try ReviewExport.board(scene: scene, guidelineVersion: guideline)
    }

    private func pendingActions() throws -> [ReviewAction] {
        var lines: [ActionLine] = []
        if let actions {
            for (number, text) in try FileAccess.text(of: actions).split(whereSeparator: \.isNewline).enumerated()
            where !text.allSatisfy(\.isWhitespace) {
                do { lines.append(try JSONDecoder().decode(ActionLine.self, from: Data(text.utf8))) } catch {
                    throw CommandFailure(message: "\(actions):\(number + 1): not an action: \(error)")
                }
            }
        }
        if let label, let kind {
            guard let parsed = ReviewAction.Kind(rawValue: kind) else {
                throw CommandFailure(message: "unknown action kind \(kind)")
            }
            lines.append(ActionLine(labelID: label, kind: parsed, reason: reason))
        }
        guard !lines.isEmpty else { return [] }
        guard let actor, let role, let parsedRole = AuditEntry.Role(rawValue: role) else {
            throw CommandFailure(message: "actions need --actor and --role (annotator, lead, validator)")
        }
        return lines.map { line in
            var action = ReviewAction(
                labelID: line.labelID, kind: line.kind, actor: actor, role: parsedRole, objectClass: line.objectClass,
                reason: line.reason, flag: line.flag)
            action.box = line.box
            return action
        }
    }
}
