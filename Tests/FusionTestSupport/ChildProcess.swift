import Foundation

/// Runs a program to completion and collects what it printed.
public enum ChildProcess {
    public struct Result {
        public var status: Int32
        public var output: String
        public var errors: String
    }

    /// Runs `executable` and waits for it. Standard output and standard error are drained at the
    /// same time (stderr on another thread): a child that fills one pipe while the other is read
    /// to its end would otherwise block forever.
    public static func run(_ executable: String, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let complained = Drained()
        let done = DispatchGroup()
        DispatchQueue.global().async(group: done) {
            complained.data = errors.fileHandleForReading.readDataToEndOfFile()
        }
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, output: String(decoding: printed, as: UTF8.self),
            errors: String(decoding: complained.data, as: UTF8.self))
    }

    /// What one pipe held, written by the thread that drained it before `done` is signalled.
    private final class Drained: @unchecked Sendable {
        var data = Data()
    }
}
