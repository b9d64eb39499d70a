import Foundation
import FusionIO

/// An append-only, hash-chained audit trail in JSON Lines: one `AuditEntry` per line, each
/// carrying the SHA-256 of the line before it, and a head record `<log>.head` (entry count and
/// last line's hash) that anchors the end of the chain.
///
/// Appends take an exclusive `flock` on the log, read the last line (another process may have
/// appended), and write one line; two processes can append at once. Durability:
/// - `.everyAppend`: each append is `fsync`ed and the head rewritten atomically before it
///   returns; a crash or power loss loses nothing that returned.
/// - `.batched(entries:)`: lines are written at once (a process crash, even `kill -9`, loses
///   nothing that returned, since the kernel holds them) but `fsync`ed and anchored in the head
///   only every `entries` appends and on `flush()`/close: a power loss can lose up to
///   `entries − 1` returned entries, and entries past the head are not yet tamper-evident.
///
/// A crash in the middle of a write leaves a torn last line. The next append moves those bytes
/// to `<log>.torn` (kept for inspection, never silently dropped) and truncates the log back to
/// its last complete line; `verify` reports it too. No earlier entry is touched.
public final class AuditLog {
    public enum Durability: Sendable, Equatable {
        case everyAppend
        case batched(entries: Int)
    }

    public let path: String
    public let durability: Durability
    private let descriptor: Int32
    private var unflushed = 0
    /// The end of the log as this writer last left it: size in bytes, the next sequence and the
    /// last line's hash. When the file still has that size under the lock, no one else appended
    /// and the last line need not be read again.
    private var knownEnd: (size: Int, sequence: Int, lastHash: String)?
    /// Torn tails moved aside by this log's appends.
    public private(set) var recoveredTornTails = 0

    /// Opens (creating if needed) the log at `path`.
    /// - Throws: `WriteError` when the file cannot be opened.
    public init(path: String, durability: Durability = .everyAppend) throws(WriteError) {
        self.path = path
        self.durability = durability
        descriptor = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw WriteError(file: path, message: "cannot open the audit log: \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        try? flush()
        close(descriptor)
    }

    var headPath: String { path + ".head" }

    /// Appends `draft` and returns the entry as written.
    /// - Throws: `WriteError` when the log cannot be locked, read or written, or its last line is
    ///   not an entry (the log was damaged: run `verify`).
    @discardableResult
    public func append(_ draft: AuditEntry.Draft, at time: Date = Date()) throws(WriteError) -> AuditEntry {
        try locked { () throws(WriteError) -> AuditEntry in
            var previousHash = AuditEntry.firstPreviousHash
            var sequence = 0
            if let known = knownEnd, try currentSize() == known.size {
                previousHash = known.lastHash
                sequence = known.sequence
            } else if let last = try lastLine() {
                guard let entry = try? JSONDecoder().decode(AuditEntry.self, from: last) else {
                    throw WriteError(
                        file: path,
                        message:
                            "the last line is not an audit entry; the log is damaged (run `fusionlabel audit verify`)")
                }
                previousHash = AuditEntry.hash(last)
                sequence = entry.sequence + 1
            }
            let entry = AuditEntry(
                sequence: sequence, time: Self.timestamp(time), actor: draft.actor, role: draft.role,
                labelID: draft.labelID,
                action: draft.action, before: draft.before, after: draft.after, reason: draft.reason,
                guidelineVersion: draft.guidelineVersion, previousHash: previousHash)
            let line: Data
            do { line = try entry.line() } catch {
                throw WriteError(file: path, message: "cannot encode the entry: \(error)")
            }
            try writeAll(line + Data([0x0A]))
            unflushed += 1
            let lineHash = AuditEntry.hash(line)
            knownEnd = (try currentSize(), sequence + 1, lineHash)
            switch durability {
            case .everyAppend:
                try anchor(entries: sequence + 1, lastHash: lineHash)
            case .batched(let entries):
                if unflushed >= max(1, entries) { try anchor(entries: sequence + 1, lastHash: lineHash) }
            }
            return entry
        }
    }

    /// Makes every returned append durable and anchors the head at the current end.
    public func flush() throws(WriteError) {
        guard unflushed > 0 else { return }
        try locked { () throws(WriteError) in
            guard let last = try lastLine(), let entry = try? JSONDecoder().decode(AuditEntry.self, from: last) else {
                return
            }
            try anchor(entries: entry.sequence + 1, lastHash: AuditEntry.hash(last))
        }
    }

    // MARK: Internals (called with the lock held)

    private func locked<Value>(_ body: () throws(WriteError) -> Value) throws(WriteError) -> Value {
        guard flock(descriptor, LOCK_EX) == 0 else {
            throw WriteError(file: path, message: "cannot lock the audit log: \(String(cString: strerror(errno)))")
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    /// `fsync`s the log and rewrites the head atomically.
    private func anchor(entries: Int, lastHash: String) throws(WriteError) {
        guard fsync(descriptor) == 0 else {
            throw WriteError(file: path, message: "fsync failed: \(String(cString: strerror(errno)))")
        }
        let head = AuditHead(entries: entries, lastHash: lastHash)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do { data = try encoder.encode(head) } catch { throw WriteError(file: headPath, message: "\(error)") }
        try FileAccess.writeAtomically(data, to: headPath)
        unflushed = 0
    }

    private func writeAll(_ data: Data) throws(WriteError) {
        var failure: String?
        data.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let result = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                written += result
            }
        }
        if let failure { throw WriteError(file: path, message: "cannot append: \(failure)") }
    }

    private func currentSize() throws(WriteError) -> Int {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw WriteError(file: path, message: "cannot stat the audit log")
        }
        return Int(status.st_size)
    }

    /// The last complete line (without its newline), nil for an empty log. A torn tail (bytes
    /// after the last newline) is moved to `<log>.torn` and cut off first.
    private func lastLine() throws(WriteError) -> Data? {
        var size = try currentSize()
        guard size > 0 else { return nil }
        if try bytes(at: size - 1, count: 1) != Data([0x0A]) {
            // A torn tail: keep it aside, cut it off.
            let cut = (try newline(before: size)).map { $0 + 1 } ?? 0
            let torn = try bytes(at: cut, count: size - cut)
            let earlier =
                FileManager.default.fileExists(atPath: path + ".torn")
                ? ((try? FileAccess.contents(of: path + ".torn")) ?? Data()) : Data()
            try FileAccess.writeAtomically(earlier + torn + Data([0x0A]), to: path + ".torn")
            guard ftruncate(descriptor, off_t(cut)) == 0 else {
                throw WriteError(file: path, message: "cannot cut the torn last line")
            }
            recoveredTornTails += 1
            size = cut
            guard size > 0 else { return nil }
        }
        let start = (try newline(before: size - 1)).map { $0 + 1 } ?? 0
        return try bytes(at: start, count: size - 1 - start)
    }

    /// The offset of the last newline before `end`, reading backwards in 4 KiB chunks.
    private func newline(before end: Int) throws(WriteError) -> Int? {
        var chunkEnd = end
        while chunkEnd > 0 {
            let chunkStart = max(0, chunkEnd - 4096)
            let chunk = try bytes(at: chunkStart, count: chunkEnd - chunkStart)
            if let index = chunk.lastIndex(of: 0x0A) { return chunkStart + (index - chunk.startIndex) }
            chunkEnd = chunkStart
        }
        return nil
    }

    private func bytes(at offset: Int, count: Int) throws(WriteError) -> Data {
        var data = Data(count: count)
        guard count > 0 else { return data }
        let read = data.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, count, off_t(offset)) }
        guard read == count else {
            throw WriteError(file: path, message: "cannot read the audit log at byte \(offset)")
        }
        return data
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC), without a date formatter: creating one costs more than
    /// the rest of an append.
    static func timestamp(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int32, _ count: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, count - text.count)) + text
        }
        let millisecond = Int32(((milliseconds % 1000) + 1000) % 1000)
        return "\(digits(parts.tm_year + 1900, 4))-\(digits(parts.tm_mon + 1, 2))-\(digits(parts.tm_mday, 2))T"
            + "\(digits(parts.tm_hour, 2)):\(digits(parts.tm_min, 2)):\(digits(parts.tm_sec, 2)).\(digits(millisecond, 3))Z"
    }
}

/// The anchor of a log's end.
struct AuditHead: Codable, Equatable {
    var entries: Int
    var lastHash: String
}
