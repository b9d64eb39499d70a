import Foundation
import FusionIO
import FusionQA
import FusionTestSupport
import Testing

/// `audit append` and `audit verify` as real processes, killed in the middle of their work.
@Suite struct AuditCommandTests {
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("fusionlabel").path

    /// A running `audit append`, its standard output collected as it comes.
    final class Appender: @unchecked Sendable {
        let process = Process()
        private let output = Pipe()
        private var collected = Data()
        private let done = DispatchSemaphore(value: 0)

        init(log: String, actions: String) throws {
            process.executableURL = URL(fileURLWithPath: AuditCommandTests.executable)
            process.arguments = ["audit", "append", log, "--from", actions]
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            DispatchQueue.global().async {
                self.collected = self.output.fileHandleForReading.readDataToEndOfFile()
                self.done.signal()
            }
        }

        /// The sequences it reported committed, once its output is closed.
        func committed() -> [Int] {
            done.wait()
            process.waitUntilExit()
            return String(decoding: collected, as: UTF8.self).split(separator: "\n").compactMap {
                Int($0.dropFirst("committed ".count))
            }
        }
    }

    /// Two processes append durably to one log; one is killed with SIGKILL at a different moment in
    /// each trial. Every entry either process reported committed is in the log, and the log
    /// verifies (a torn last line is allowed: it is an interrupted write, set aside by the next append).
    @Test(arguments: [0.15, 0.3, 0.45, 0.6, 0.8])
    func killingAWriterLosesNoCommittedEntry(delay: Double) throws {
        let folder = try TemporaryFiles.folder("audit-kill")
        defer { TemporaryFiles.remove(folder) }
        let actions = (0..<3_000).map { index in
            "{\"actor\":\"annotator-\(index % 4)\",\"role\":\"annotator\",\"labelID\":\"frame-\(index / 20)/car-\(index % 20)\",\"action\":\"edit\",\"reason\":\"refit \(index)\"}"
        }.joined(separator: "\n")
        try actions.write(toFile: folder + "/actions.jsonl", atomically: true, encoding: .utf8)
        let log = folder + "/audit.jsonl"
        let victim = try Appender(log: log, actions: folder + "/actions.jsonl")
        let survivor = try Appender(log: log, actions: folder + "/actions.jsonl")
        Thread.sleep(forTimeInterval: delay)
        kill(victim.process.processIdentifier, SIGKILL)
        let committed = victim.committed() + survivor.committed()
        #expect(victim.process.terminationReason == .uncaughtSignal)
        #expect(survivor.process.terminationStatus == 0)
        let result = try AuditVerification.verify(logAt: log)
        #expect(result.isIntact, "\(result.problems.prefix(3))")
        #expect(Set(committed).count == committed.count, "no sequence number is given twice")
        #expect(committed.allSatisfy { $0 < result.entries }, "every committed entry is in the log")
        #expect(result.entries >= committed.count && committed.count >= 3_000)
    }

    @Test func verifyReportsWhereALogWasChanged() throws {
        let folder = try TemporaryFiles.folder("audit-edit")
        defer { TemporaryFiles.remove(folder) }
        let actions = (0..<5).map {
            "{\"actor\":\"lead-1\",\"role\":\"lead\",\"labelID\":\"car-\($0)\",\"action\":\"accept\"}"
        }.joined(separator: "\n")
        try actions.write(toFile: folder + "/actions.jsonl", atomically: true, encoding: .utf8)
        let appended = try ChildProcess.run(
            Self.executable, ["audit", "append", folder + "/log.jsonl", "--from", folder + "/actions.jsonl"])
        #expect(appended.status == 0 && appended.output.split(separator: "\n").count == 5)
        #expect(try ChildProcess.run(Self.executable, ["audit", "verify", folder + "/log.jsonl"]).status == 0)
        var text = try String(contentsOfFile: folder + "/log.jsonl", encoding: .utf8)
        text = text.replacingOccurrences(of: "\"car-2\"", with: "\"car-9\"")
        try text.write(toFile: folder + "/log.jsonl", atomically: true, encoding: .utf8)
        let verified = try ChildProcess.run(Self.executable, ["audit", "verify", folder + "/log.jsonl"])
        #expect(verified.status == 2)
        #expect(verified.output.contains("line 4: does not follow line 3"))
    }
}

/// `agree` as a real process on the KITTI tracking labels and a turned copy.
@Suite(SharedScenes.required)
struct AgreeCommandTests {
    @Test func agreeReportsATurnedCopy() throws {
        let folder = try TemporaryFiles.folder("agree")
        defer { TemporaryFiles.remove(folder) }
        let original = try SharedScenes.path("kitti-tracking-val/label_02/0006.txt")
        let rows = try KITTITrackedObject.read(contentsOf: original).map { row -> KITTITrackedObject in
            var turned = row
            turned.object.box.rotationY += 3 * .pi / 180
            return turned
        }
        try FileAccess.writeAtomically(Data(KITTITrackedObject.text(for: rows).utf8), to: folder + "/0006.txt")
        let result = try ChildProcess.run(AuditCommandTests.executable, ["agree", original, folder + "/0006.txt"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("F1 1.000") && result.output.contains("yaw error 3.00°"), "\(result.output)")
    }
}
