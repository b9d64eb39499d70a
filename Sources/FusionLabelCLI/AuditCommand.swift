import ArgumentParser
import Foundation
import FusionIO
import FusionQA

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The hash-chained audit trail: append actions, verify a log.",
        subcommands: [AuditVerifyCommand.self, AuditAppendCommand.self])
}

struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an audit log for edited, removed, inserted or reordered entries.",
        discussion:
            "Exit status 2 when the log is not intact. A torn last line (an interrupted write) is reported but is not tampering."
    )

    @Argument(help: "The log (JSON Lines; its head record is <log>.head).")
    var log: String

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        let result: AuditVerification
        do { result = try AuditVerification.verify(logAt: log) } catch { throw CommandFailure(error) }
        if json {
            try printJSON(result)
        } else {
            print(
                "\(log): \(result.entries) entries, \(result.anchoredEntries.map { "\($0) anchored" } ?? "no head record"): "
                    + (result.isIntact ? "intact" : "NOT intact"))
            for problem in result.problems {
                print("  " + (problem.line == 0 ? "head" : "line \(problem.line)") + ": " + problem.message)
            }
            if let offset = result.tornTailOffset {
                print("  torn last line at byte \(offset) (an interrupted write; the next append sets it aside)")
            }
        }
        if !result.isIntact { throw ExitCode(2) }
    }
}

struct AuditAppendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Append actions to an audit log, one JSON object per line of --from.",
        discussion: """
            Each action: {"actor", "role" (annotator, lead, validator, system), "labelID", "action",
            optional "before"/"after" boxes ({"center", "size", "rotation"}), "reason", "guidelineVersion"}.
            Prints `committed <sequence>` once each entry is written with the chosen durability.
            """)

    @Argument(help: "The log (created if needed).")
    var log: String

    @Option(help: "JSON Lines file of actions ('-' for standard input).")
    var from: String

    @Option(help: "Entries between fsyncs: 1 makes every append durable before it is reported.")
    var fsyncEvery = 1

    func validate() throws {
        guard fsyncEvery >= 1 else { throw ValidationError("--fsync-every must be at least 1") }
    }

    func run() throws {
        let text: String
        do {
            text =
                from == "-"
                ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                : try FileAccess.text(of: from)
        } catch { throw CommandFailure(error) }
        let decoder = JSONDecoder()
        var drafts: [AuditEntry.Draft] = []
        for (number, line) in text.split(whereSeparator: \.isNewline).enumerated()
        where !line.allSatisfy(\.isWhitespace) {
            do { drafts.append(try decoder.decode(AuditEntry.Draft.self, from: Data(line.utf8))) } catch {
                throw CommandFailure(message: "\(from):\(number + 1): not an action: \(error)")
            }
        }
        do {
            let audit = try AuditLog(
                path: log, durability: fsyncEvery == 1 ? .everyAppend : .batched(entries: fsyncEvery))
            for draft in drafts {
                let entry = try audit.append(draft)
                // Written at once, unbuffered: a reader sees each commit as it happens.
                FileHandle.standardOutput.write(Data("committed \(entry.sequence)\n".utf8))
            }
            try audit.flush()
        } catch { throw CommandFailure(error) }
    }
}
