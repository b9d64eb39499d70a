import CSQLite
import FusionIO

/// One file of rosbag2's SQLite storage (`.db3`): topics, message definitions (the
/// `message_definitions` table of Iron and later; `ROS2Definitions` for the common sensor types when a
/// bag from Humble or before has none) and messages in timestamp order, presented as a
/// `MessageStream` (a topic is a channel, its type's definition a `ros2msg` schema).
///
/// The database is opened read-only and immutable; SQLite checks its own structure, so a damaged
/// file is an error from SQLite naming the file.
final class SQLiteBag: @unchecked Sendable {
    public let path: String
    private let database: OpaquePointer

    /// Opens `path` read-only.
    /// - Throws: `ReadError` when it is not an SQLite database with rosbag2's `topics` and `messages`.
    public init(path: String) throws(ReadError) {
        var handle: OpaquePointer?
        let uri = "file:" + path.addingPercentEncodingForURI + "?immutable=1"
        let status = sqlite3_open_v2(uri, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nil)
        guard status == SQLITE_OK, let handle else {
            sqlite3_close(handle)
            throw ReadError(
                file: path, location: .file,
                message: "cannot open as SQLite: \(String(cString: sqlite3_errstr(status)))")
        }
        self.path = path
        database = handle
        for table in ["topics", "messages"] where try !hasTable(table) {
            throw ReadError(file: path, location: .file, message: "not a rosbag2 SQLite file: no \(table) table")
        }
    }

    deinit { sqlite3_close(database) }

    /// The messages in timestamp order (ties by row id), as rosbag2 plays them.
    public func messages() throws(ReadError) -> SQLiteBagMessageIterator {
        var definitions: [String: (encoding: String, text: String)] = [:]
        if try hasTable("message_definitions") {
            let rows = try prepare("SELECT topic_type, encoding, encoded_message_definition FROM message_definitions")
            while try rows.step() { definitions[rows.text(0)] = (rows.text(1), rows.text(2)) }
        }
        var schemas: [UInt16: MCAP.Schema] = [:]
        var channels: [UInt16: MCAP.Channel] = [:]
        var channelOfTopic: [Int64: UInt16] = [:]
        let topics = try prepare("SELECT id, name, type, serialization_format FROM topics ORDER BY id")
        while try topics.step() {
            guard channels.count < Int(UInt16.max) else { throw error("more topics than this reader numbers (65535)") }
            let id = UInt16(channels.count)
            let type = topics.text(2)
            let definition =
                definitions[type]
                ?? ROS2Definitions.builtIn[MessageDefinition.normalisedName(type)].map { ("ros2msg", $0) }
            let schemaID = id + 1
            schemas[schemaID] = MCAP.Schema(
                id: schemaID, name: type, encoding: definition?.encoding ?? "none",
                data: ByteSlice(ByteBuffer.copying(Array((definition?.text ?? "").utf8))))
            channels[id] = MCAP.Channel(
                id: id, schemaID: schemaID, topic: topics.text(1), messageEncoding: topics.text(3), metadata: [:])
            channelOfTopic[topics.integer(0)] = id
        }
        let rows = try prepare("SELECT id, topic_id, timestamp, data FROM messages ORDER BY timestamp, id")
        return SQLiteBagMessageIterator(
            bag: self, rows: rows, schemas: schemas, channels: channels, channelOfTopic: channelOfTopic)
    }

    func error(_ message: String, row: Int64? = nil) -> ReadError {
        ReadError(file: path, location: row.map { .row(table: "messages", id: $0) } ?? .file, message: message)
    }

    private func hasTable(_ name: String) throws(ReadError) -> Bool {
        let statement = try prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '\(name)'")
        return try statement.step()
    }

    func prepare(_ sql: String) throws(ReadError) -> Statement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(database, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw error("SQLite: \(String(cString: sqlite3_errmsg(database)))")
        }
        return Statement(bag: self, statement: statement)
    }

    /// A prepared statement, finalized when released.
    final class Statement {
        let bag: SQLiteBag
        let statement: OpaquePointer

        init(bag: SQLiteBag, statement: OpaquePointer) {
            self.bag = bag
            self.statement = statement
        }

        deinit { sqlite3_finalize(statement) }

        /// Moves to the next row; false after the last.
        func step() throws(ReadError) -> Bool {
            switch sqlite3_step(statement) {
            case SQLITE_ROW: return true
            case SQLITE_DONE: return false
            default: throw bag.error("SQLite: \(String(cString: sqlite3_errmsg(sqlite3_db_handle(statement))))")
            }
        }

        func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

        func text(_ column: Int32) -> String {
            guard let text = sqlite3_column_text(statement, column) else { return "" }
            return String(cString: text)
        }

        /// The column's bytes, copied (SQLite's pointer lasts only until the next step).
        func blob(_ column: Int32) -> ByteBuffer {
            let count = Int(sqlite3_column_bytes(statement, column))
            guard count > 0, let start = sqlite3_column_blob(statement, column) else {
                return ByteBuffer.copying([UInt8]())
            }
            return ByteBuffer.copying(UnsafeRawBufferPointer(start: start, count: count))
        }
    }
}

/// Streams a rosbag2 SQLite file's messages (see `SQLiteBag`).
struct SQLiteBagMessageIterator: MessageStream {
    private let bag: SQLiteBag
    private let rows: SQLiteBag.Statement
    private let channelOfTopic: [Int64: UInt16]
    public let schemas: [UInt16: MCAP.Schema]
    public let channels: [UInt16: MCAP.Channel]

    init(
        bag: SQLiteBag, rows: SQLiteBag.Statement, schemas: [UInt16: MCAP.Schema], channels: [UInt16: MCAP.Channel],
        channelOfTopic: [Int64: UInt16]
    ) {
        self.bag = bag
        self.rows = rows
        self.schemas = schemas
        self.channels = channels
        self.channelOfTopic = channelOfTopic
    }

    public mutating func next() throws(ReadError) -> MCAP.Message? {
        guard try rows.step() else { return nil }
        let row = rows.integer(0)
        let topic = rows.integer(1)
        let timestamp = rows.integer(2)
        guard let channel = channelOfTopic[topic] else {
            throw bag.error("a message on topic id \(topic), which the topics table lacks", row: row)
        }
        guard timestamp >= 0 else { throw bag.error("a negative timestamp \(timestamp)", row: row) }
        return MCAP.Message(
            channelID: channel, sequence: 0, logTime: UInt64(timestamp), publishTime: UInt64(timestamp),
            data: ByteSlice(rows.blob(3)), location: .row(table: "messages", id: row))
    }
}

extension String {
    /// The path made safe inside an SQLite `file:` URI.
    var addingPercentEncodingForURI: String {
        var result = ""
        for character in self {
            switch character {
            case "?": result += "%3F"
            case "#": result += "%23"
            case "%": result += "%25"
            default: result.append(character)
            }
        }
        return result
    }
}
