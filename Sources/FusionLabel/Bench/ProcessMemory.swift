import Foundation

/// The process's resident memory as the kernel counts it (Linux `/proc/self/status`).
enum ProcessMemory {
    /// The peak resident set size since the process started or since the last `resetPeak()`, in
    /// bytes (`VmHWM`); nil where `/proc` does not tell.
    static func peakResidentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 3, let kibibytes = Int(fields[1]), fields[2] == "kB" else { return nil }
            return kibibytes * 1024
        }
        return nil
    }

    /// Starts a new peak at the current resident size (writing 5 to `/proc/self/clear_refs`, Linux
    /// 4.0 and later), so that `peakResidentBytes()` tells the peak of what runs next. Returns false
    /// where the kernel does not allow it; the peak then counts from the start of the process.
    @discardableResult
    static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }
}
