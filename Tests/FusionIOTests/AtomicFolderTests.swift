import Foundation
import Testing

@testable import FusionIO

@Suite struct AtomicFolderTests {
    static func scratch() throws -> String {
        let folder = NSTemporaryDirectory() + "fusionlabel-atomic-folder-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    struct Interrupted: Error {}

    @Test func theFolderAppearsOnlyWhenFilledAndNothingIsLeftWhenFillingFails() throws {
        let parent = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let target = parent + "/scene"
        // Filling fails half-way: no target, no temporary folder left behind.
        #expect(throws: Interrupted.self) {
            try FileAccess.createFolderAtomically(at: target) { temporary in
                #expect(!FileManager.default.fileExists(atPath: target))
                try Data("half".utf8).write(to: URL(fileURLWithPath: temporary + "/a.txt"))
                throw Interrupted()
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).isEmpty)
        // Filling succeeds: the folder has what was written, and nothing else is in the parent.
        let count = try FileAccess.createFolderAtomically(at: target) { temporary in
            try Data("whole".utf8).write(to: URL(fileURLWithPath: temporary + "/a.txt"))
            return 1
        }
        #expect(count == 1)
        #expect(try String(contentsOfFile: target + "/a.txt", encoding: .utf8) == "whole")
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["scene"])
        // An existing folder is refused and left as it is.
        #expect {
            try FileAccess.createFolderAtomically(at: target) { _ in 0 }
        } throws: { error in
            "\(error)".contains("already exists")
        }
        #expect(try String(contentsOfFile: target + "/a.txt", encoding: .utf8) == "whole")
    }
}
