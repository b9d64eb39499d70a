import Foundation
import FusionIO

/// What `verify` found in an audit log.
public struct AuditVerification: Codable, Sendable, Equatable {
    public struct Problem: Codable, Sendable, Equatable {
        /// 1-based line of the log, or 0 for the head record.
        public var line: Int
        public var message: String
    }

    /// Complete lines in the log.
    public var entries: Int
    /// Entries the head record anchors (nil without a head record).
    public var anchoredEntries: Int?
    /// Evidence of tampering or damage; empty when the log is intact.
    public var problems: [Problem]
    /// Byte offset of a torn last line (an interrupted write, not tampering), if there is one.
    public var tornTailOffset: Int?

    public var isIntact: Bool { problems.isEmpty }

    /// Checks every line's sequence number and its link to the line before it, and the end of the
    /// chain against the head record. Any edited byte, deleted, inserted or reordered entry, or
    /// truncation of anchored entries is reported with where it shows.
    /// - Throws: `ReadError` when the log cannot be read.
    public static func verify(logAt path: String) throws(ReadError) -> AuditVerification {
        let headPath = path + ".head"
        let head = FileManager.default.fileExists(atPath: headPath) ? try FileAccess.contents(of: headPath) : nil
        return verify(log: try FileAccess.contents(of: path), head: head, headFile: headPath)
    }

    /// Checks the bytes of a log against the bytes of its head record (nil when there is none);
    /// `headFile` names the head record in the problems found.
    public static func verify(log data: Data, head: Data?, headFile headPath: String = "<memory>.head")
        -> AuditVerification
    {
        var lines: [Data] = []
        var start = data.startIndex
        var tornTailOffset: Int?
        while start < data.endIndex {
            guard let newline = data[start...].firstIndex(of: 0x0A) else {
                tornTailOffset = start - data.startIndex
                break
            }
            lines.append(data[start..<newline])
            start = newline + 1
        }
        var problems: [Problem] = []
        var previousHash = AuditEntry.firstPreviousHash
        let decoder = JSONDecoder()
        for (index, line) in lines.enumerated() {
            let number = index + 1
            if let entry = try? decoder.decode(Link.self, from: line) {
                if entry.sequence != index {
                    problems.append(
                        Problem(
                            line: number,
                            message:
                                "holds entry \(entry.sequence) where entry \(index) belongs: entries were removed, inserted or moved"
                        ))
                }
                if entry.previousHash != previousHash {
                    problems.append(
                        Problem(
                            line: number,
                            message: number == 1
                                ? "does not start a chain"
                                : "does not follow line \(index): line \(index) was changed, or entries were removed, inserted or moved here"
                        ))
                }
            } else {
                problems.append(Problem(line: number, message: "is not an audit entry"))
            }
            previousHash = AuditEntry.hash(line)
        }
        var anchored: Int?
        if let head {
            if let head = try? JSONDecoder().decode(AuditHead.self, from: head) {
                anchored = head.entries
                if head.entries > lines.count {
                    problems.append(
                        Problem(
                            line: 0,
                            message:
                                "the head anchors \(head.entries) entries but the log has \(lines.count): entries were removed from the end"
                        ))
                } else if head.entries > 0, AuditEntry.hash(lines[head.entries - 1]) != head.lastHash {
                    problems.append(
                        Problem(line: head.entries, message: "differs from the entry the head anchors: it was changed"))
                }
            } else {
                problems.append(Problem(line: 0, message: "the head record \(headPath) is not readable"))
            }
        } else if !lines.isEmpty {
            problems.append(Problem(line: 0, message: "the head record \(headPath) is missing"))
        }
        return AuditVerification(
            entries: lines.count, anchoredEntries: anchored, problems: problems, tornTailOffset: tornTailOffset)
    }

    /// The fields the chain check reads; the line must still be a whole entry.
    private struct Link: Decodable {
        var sequence: Int
        var previousHash: String
        var actor: String
        var role: AuditEntry.Role
        var labelID: String
        var action: String
        var time: String
    }
}
