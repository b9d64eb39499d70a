import Foundation
import Testing

/// The real recorded scenes in `../shared/scenes` (next to the repository), read in place.
///
/// Tests that replay them use `SharedScenes.required` as a trait: on a developer machine without
/// the folder they are skipped with a note, but when `CI` is set they always run, and a missing
/// scene fails them instead of skipping them.
public enum SharedScenes {
    /// The scenes folder: `$FUSIONLABEL_SCENES` if set, else `<repository>/../shared/scenes`.
    public static let root: String = {
        if let override = ProcessInfo.processInfo.environment["FUSIONLABEL_SCENES"], !override.isEmpty {
            return override
        }
        return URL(fileURLWithPath: repositoryRoot).deletingLastPathComponent().appendingPathComponent("shared/scenes")
            .path
    }()

    /// The package's own folder (the one holding Package.swift).
    public static let repositoryRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    public static var isAvailable: Bool { FileManager.default.fileExists(atPath: root + "/README.md") }

    public static var isContinuousIntegration: Bool {
        let value = ProcessInfo.processInfo.environment["CI"] ?? ""
        return !value.isEmpty && value != "0" && value.lowercased() != "false"
    }

    /// Runs the test when the scenes are here, and always under CI (where their absence fails it).
    public static var required: ConditionTrait {
        .enabled(if: isAvailable || isContinuousIntegration, "the shared scenes are not at \(root)")
    }

    /// The absolute path of `relative` inside the scenes folder.
    /// - Throws: `MissingScene` when it does not exist (a test failure, never a skip).
    public static func path(_ relative: String) throws -> String {
        let path = root + "/" + relative
        guard FileManager.default.fileExists(atPath: path) else { throw MissingScene(path: path) }
        return path
    }
}

/// A shared scene file a test needs is not there.
public struct MissingScene: Error, CustomStringConvertible {
    public var path: String
    public var description: String { "missing shared scene file \(path): see README (shared scenes)" }
}
