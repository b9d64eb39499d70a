import Foundation

/// Uniquely named paths in the system's temporary folder for a test's files, and their removal.
public enum TemporaryFiles {
    /// A new, empty folder `<temporary>/<prefix>-<UUID>`, created (with intermediate folders).
    /// - Throws: what `FileManager.createDirectory` throws.
    public static func folder(_ prefix: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID())").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A path `<temporary>/<prefix>-<UUID><suffix>` for a file (`suffix` e.g. ".pcd"); nothing is created.
    public static func file(_ prefix: String, suffix: String = "") -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID())\(suffix)").path
    }

    /// Removes what `folder` or `file` returned (a folder with its contents); a missing path is not an error.
    public static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}
