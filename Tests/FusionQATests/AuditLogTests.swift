import Foundation
import FusionGeometry
import FusionIO
import FusionTestSupport
import Testing

@testable import FusionQA

@Suite struct AuditLogTests {
    static func temporaryLog() -> String {
        TemporaryFiles.file("audit", suffix: ".jsonl")
    }

    static func draft(_ index: Int) -> AuditEntry.Draft {
        let box = Cuboid(
            center: SIMD3(Double(index % 50), 2, 0.8), size: Size3(length: 4.2, width: 1.8, height: 1.5), yaw: 0.1)
        var moved = box
        moved.center.x += 0.25
        return AuditEntry.Draft(
            actor: "annotator-\(index % 3)", role: .annotator, labelID: "scene-1/\(index % 400)", action: "edit",
            before: box, after: moved, reason: index % 7 == 0 ? "tighter fit" : nil, guidelineVersion: "2026.1")
    }

    /// A 10,000-entry log, written once for the tamper tests.
    static let tenThousand: (log: Data, head: Data) = {
        let path = temporaryLog()
        defer {
            TemporaryFiles.remove(path)
            TemporaryFiles.remove(path + ".head")
        }
        do {
            let log = try AuditLog(path: path, durability: .batched(entries: 2_000))
            for index in 0..<10_000 {
                try log.append(draft(index), at: Date(timeIntervalSince1970: 1_800_000_000 + Double(index)))
            }
            try log.flush()
            return (try FileAccess.contents(of: path), try FileAccess.contents(of: path + ".head"))
        } catch { fatalError("\(error)") }
    }()

    static func verify(_ log: Data, head: Data = tenThousand.head) throws -> AuditVerification {
        let path = temporaryLog()
        defer {
            TemporaryFiles.remove(path)
            TemporaryFiles.remove(path + ".head")
        }
        try log.write(to: URL(fileURLWithPath: path))
        try head.write(to: URL(fileURLWithPath: path + ".head"))
        return try AuditVerification.verify(logAt: path)
    }

    static func lines(_ data: Data) -> [Data] {
        data.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().map { Data($0) }
    }
    static func joined(_ lines: [Data]) -> Data { lines.reduce(into: Data()) { $0 += $1 + Data([0x0A]) } }

    @Test func timestampsAreISO8601InUTC() {
        #expect(AuditLog.timestamp(Date(timeIntervalSince1970: 1_800_000_000.25)) == "2027-01-15T08:00:00.250Z")
        #expect(AuditLog.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let now = Date(timeIntervalSince1970: 1_764_400_000.123)
        #expect(AuditLog.timestamp(now) == formatter.string(from: now))
    }

    @Test func anUntouchedLogVerifies() throws {
        let result = try Self.verify(Self.tenThousand.log)
        #expect(
            result.isIntact && result.entries == 10_000 && result.anchoredEntries == 10_000,
            "\(result.problems.prefix(3))")
    }

    /// One flipped byte anywhere (first, middle and last lines, newlines, hashes, the head) is found.
    @Test(arguments: [0, 17, 150, 1_500_000, 1_500_001, -1, -2, -30, -120])
    func aFlippedByteIsDetected(position: Int) throws {
        var log = Self.tenThousand.log
        let index = position >= 0 ? min(position, log.count - 1) : log.count + position
        log[index] ^= 0x01
        #expect(!(try Self.verify(log)).isIntact, "byte \(index) of \(log.count)")
    }

    @Test func aFlippedByteInTheHeadIsDetected() throws {
        var head = Self.tenThousand.head
        head[head.count - 5] ^= 0x01
        #expect(!(try Self.verify(Self.tenThousand.log, head: head)).isIntact)
    }

    @Test(arguments: [0, 4_999, 9_999])
    func deletingInsertingOrSwappingAnEntryIsDetected(index: Int) throws {
        let lines = Self.lines(Self.tenThousand.log)
        var deleted = lines
        deleted.remove(at: index)
        var inserted = lines
        inserted.insert(lines[index], at: index)
        var swapped = lines
        swapped.swapAt(index, index == 9_999 ? index - 1 : index + 1)
        for (name, edited) in [("deleted", deleted), ("inserted", inserted), ("swapped", swapped)] {
            let result = try Self.verify(Self.joined(edited))
            #expect(!result.isIntact, "\(name) at \(index)")
        }
        // Where it shows: deleting line 5,000 breaks the link and the numbering at that line.
        if index == 4_999 {
            #expect(try Self.verify(Self.joined(deleted)).problems.contains { $0.line == 5_000 })
        }
    }

    /// A write torn by a crash is reported by `verify`, moved aside by the next append, and no
    /// earlier entry is lost.
    @Test func aTornLastLineIsReportedAndSetAsideByTheNextAppend() throws {
        let path = Self.temporaryLog()
        defer { for suffix in ["", ".head", ".torn"] { TemporaryFiles.remove(path + suffix) } }
        do {
            let log = try AuditLog(path: path)
            for index in 0..<3 { try log.append(Self.draft(index)) }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"sequence\":3,\"ti".utf8))
        try handle.close()
        let torn = try AuditVerification.verify(logAt: path)
        #expect(torn.isIntact && torn.entries == 3 && torn.tornTailOffset != nil)
        let log = try AuditLog(path: path)
        let entry = try log.append(Self.draft(3))
        #expect(entry.sequence == 3 && log.recoveredTornTails == 1)
        let after = try AuditVerification.verify(logAt: path)
        #expect(after.isIntact && after.entries == 4 && after.tornTailOffset == nil)
        #expect(
            String(decoding: try FileAccess.contents(of: path + ".torn"), as: UTF8.self).hasPrefix(
                "{\"sequence\":3,\"ti"))
    }

    /// Two writers on one log (separate descriptors, as two processes have) never interleave.
    @Test func concurrentWritersKeepOneChain() throws {
        let path = Self.temporaryLog()
        defer { for suffix in ["", ".head"] { TemporaryFiles.remove(path + suffix) } }
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            let log = try! AuditLog(path: path, durability: .batched(entries: 50))
            for index in 0..<300 { try! log.append(Self.draft(writer * 1_000 + index)) }
        }
        let result = try AuditVerification.verify(logAt: path)
        #expect(result.isIntact && result.entries == 600, "\(result.problems.prefix(3))")
    }
}
