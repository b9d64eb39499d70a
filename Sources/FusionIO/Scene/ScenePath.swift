/// A path inside a scene folder, as a manifest names its files: relative, `/`-separated, and never
/// leaving the folder (`../x`, `a/../../x` and absolute paths are refused). Symbolic links that
/// lead out are caught when the path is resolved against the folder (`Scene.resolve`).
struct ScenePath: Hashable, Sendable, CustomStringConvertible {
    /// The path's components after removing `.` and empty components and applying `..`.
    public let components: [String]

    /// A path that is not a valid scene path.
    struct Invalid: Error, Equatable, Sendable {
        public var message: String
    }

    public init(_ text: String) throws(Invalid) {
        guard !text.isEmpty else { throw Invalid(message: "expected a file path, found an empty string") }
        guard !text.contains("\0") else { throw Invalid(message: "a path cannot contain a NUL character") }
        guard !text.hasPrefix("/") else {
            throw Invalid(message: "expected a path relative to the scene folder, found the absolute path \(text)")
        }
        var components: [String] = []
        for component in text.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..":
                guard !components.isEmpty else { throw Invalid(message: "path \(text) leads outside the scene folder") }
                components.removeLast()
            default: components.append(String(component))
            }
        }
        guard !components.isEmpty else {
            throw Invalid(message: "path \(text) names the scene folder itself, not a file")
        }
        self.components = components
    }

    /// The normalised relative path.
    public var description: String { components.joined(separator: "/") }
}
