/// A file that could not be read as what it claims to be: says which file, where, and what was
/// expected there.
public struct ReadError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Where in the file the problem is.
    public enum Location: Equatable, Sendable, CustomStringConvertible {
        /// The file as a whole (missing, unreadable, too short).
        case file
        /// A 1-based line of a text file.
        case line(Int)
        /// A 0-based byte offset of a binary file.
        case byteOffset(Int)
        /// A path of keys and indices inside a JSON document, such as `frames[3].lidar`.
        case jsonPath(String)
        /// A row of a database table, by its id (rosbag2's SQLite storage).
        case row(table: String, id: Int64)

        public var description: String {
            switch self {
            case .file: "whole file"
            case .line(let line): "line \(line)"
            case .byteOffset(let offset): "byte \(offset)"
            case .jsonPath(let path): path.isEmpty ? "document root" : path
            case .row(let table, let id): "table \(table), row \(id)"
            }
        }
    }

    /// The path of the file, or a name such as `<memory>` for data that did not come from a file.
    public var file: String
    public var location: Location
    /// What was expected and what was found.
    public var message: String

    public init(file: String, location: Location, message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    public var description: String {
        "\(file) (\(location)): \(message)"
    }
}
