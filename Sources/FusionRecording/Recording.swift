import Foundation
import FusionIO

/// A ROS recording on disk: one MCAP file, one ROS 1 bag (`.bag`), or a rosbag2 folder
/// (`metadata.yaml` and its `.mcap` or SQLite `.db3` files, read in the order the metadata lists them).
public struct Recording: Sendable {
    /// The path given.
    public let path: String
    /// The files (MCAP, or one ROS 1 bag), in recording order.
    public let files: [String]

    /// What one topic holds.
    public struct Topic: Equatable, Sendable, Codable {
        public var topic: String
        public var type: String
        /// `cdr`, `ros1`, `json`, ...
        public var messageEncoding: String
        public var messageCount: Int
        /// Log times of the first and last message, nanoseconds since the epoch.
        public var startLogTime: UInt64
        public var endLogTime: UInt64

        /// Messages per second over the topic's span (0 with fewer than two messages).
        public var rate: Double {
            messageCount > 1 && endLogTime > startLogTime
                ? Double(messageCount - 1) * 1e9 / Double(endLogTime - startLogTime) : 0
        }
    }

    /// Opens an `.mcap` file, a `.bag` file or a rosbag2 folder.
    /// - Throws: `ReadError` when the path is neither, or a file it names is missing.
    public static func open(_ path: String) throws(ReadError) -> Recording {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw ReadError(file: path, location: .file, message: "no such recording")
        }
        guard isFolder.boolValue else { return Recording(path: path, files: [path]) }
        let metadataPath = path + "/metadata.yaml"
        guard let metadata = try? FileAccess.text(of: metadataPath) else {
            throw ReadError(file: path, location: .file, message: "not a rosbag2 folder: expected metadata.yaml")
        }
        let listed = Self.relativeFilePaths(inMetadata: metadata)
        guard !listed.isEmpty else {
            throw ReadError(file: metadataPath, location: .file, message: "metadata.yaml lists no relative_file_paths")
        }
        var files: [String] = []
        for name in listed {
            guard !name.contains(".."), !name.hasPrefix("/") else {
                throw ReadError(file: metadataPath, location: .file, message: "\(name) leads outside the bag folder")
            }
            guard name.hasSuffix(".mcap") || name.hasSuffix(".db3") else {
                throw ReadError(
                    file: metadataPath, location: .file,
                    message:
                        "\(name): expected rosbag2's MCAP (.mcap) or SQLite (.db3) storage (a compressed file? decompress it first)"
                )
            }
            files.append(path + "/" + name)
        }
        return Recording(path: path, files: files)
    }

    /// The items of `relative_file_paths:` in rosbag2's metadata.yaml.
    static func relativeFilePaths(inMetadata text: String) -> [String] {
        var paths: [String] = []
        var inList = false
        var listIndent = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let indent = line.prefix { $0 == " " }.count
            let content = line.trimmingWhitespace()
            if content.hasPrefix("relative_file_paths:") {
                inList = true
                listIndent = indent
                continue
            }
            guard inList else { continue }
            if content.hasPrefix("- ") && indent >= listIndent {
                paths.append(
                    String(content.dropFirst(2)).trimmingWhitespace().trimmingCharacters(
                        in: CharacterSet(charactersIn: "\"'")))
            } else if !content.isEmpty {
                inList = false
            }
        }
        return paths
    }

    /// Messages of `topics` (all when nil), decoded, file by file in file order.
    public func messages(on topics: Set<String>? = nil, limits: MCAPReader.Limits = .init()) -> RecordingMessages {
        RecordingMessages(recording: self, topics: topics, limits: limits)
    }

    /// Every topic with its type, count and time span, from a scan of the whole recording (no
    /// message is decoded).
    /// - Throws: `ReadError` for a malformed file.
    public func topics() throws(ReadError) -> [Topic] {
        var messages = messages(on: [])
        while try messages.next() != nil {}
        return messages.topicsSeen.values.sorted { $0.topic < $1.topic }
    }

    /// The messages of one file, by its extension: a ROS 1 bag, a rosbag2 SQLite file, MCAP otherwise.
    static func stream(_ file: String, limits: MCAPReader.Limits) throws(ReadError) -> any MessageStream {
        let name = file.lowercased()
        if name.hasSuffix(".bag") { return try ROS1Bag(path: file, limits: limits).messages() }
        if name.hasSuffix(".db3") { return try SQLiteBag(path: file).messages() }
        return try MCAPReader(path: file, limits: limits).messages()
    }
}
