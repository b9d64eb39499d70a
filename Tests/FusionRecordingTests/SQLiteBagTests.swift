import CSQLite
import Foundation
import FusionIO
import Testing

@testable import FusionRecording

/// The rosbag2 SQLite reader on databases made here; rosbags' bags are read in python/tests.
@Suite struct SQLiteBagTests {
    /// A .db3 with rosbag2's tables (no message_definitions, as before Iron) and the statements given.
    static func database(_ statements: [String]) throws -> String {
        let path = NSTemporaryDirectory() + "fusionlabel-sqlite-\(UUID().uuidString).db3"
        var handle: OpaquePointer?
        #expect(sqlite3_open(path, &handle) == SQLITE_OK)
        defer { sqlite3_close(handle) }
        let schema = [
            "CREATE TABLE topics(id INTEGER PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, serialization_format TEXT NOT NULL, offered_qos_profiles TEXT NOT NULL)",
            "CREATE TABLE messages(id INTEGER PRIMARY KEY, topic_id INTEGER NOT NULL, timestamp INTEGER NOT NULL, data BLOB NOT NULL)"
        ]
        for statement in schema + statements {
            #expect(sqlite3_exec(handle, statement, nil, nil, nil) == SQLITE_OK, "\(statement)")
        }
        return path
    }

    static func readAll(_ path: String) throws(ReadError) -> [(topic: String, logTime: UInt64, x: Double)] {
        var messages = try SQLiteBag(path: path).messages()
        var result: [(String, UInt64, Double)] = []
        while let message = try messages.next() {
            let channel = messages.channels[message.channelID]!
            let decoder = try! MessageDecoder(channel: channel, schema: messages.schemas[channel.schemaID])
            let vector = try! decoder.decode(message.data)
            result.append((channel.topic, message.logTime, try! vector.field("x").double()))
        }
        return result
    }

    /// A CDR geometry_msgs/Vector3 (x, 0, 0) as an SQL blob literal.
    static func vector(_ x: Double) -> String {
        let bytes: [UInt8] =
            [0, 1, 0, 0] + withUnsafeBytes(of: x.bitPattern.littleEndian, Array.init) + [UInt8](repeating: 0, count: 16)
        return "X'" + bytes.map { String(format: "%02X", $0) }.joined() + "'"
    }

    /// Rows written out of time order come back in time order, decoded by the stored definition.
    @Test func readsInTimestampOrderByTheStoredDefinitions() throws {
        let path = try Self.database([
            "CREATE TABLE message_definitions(id INTEGER PRIMARY KEY, topic_type TEXT, encoding TEXT, encoded_message_definition TEXT)",
            "INSERT INTO message_definitions VALUES (1, 'geometry_msgs/msg/Vector3', 'ros2msg', 'float64 x\nfloat64 y\nfloat64 z')",
            "INSERT INTO topics VALUES (7, '/v', 'geometry_msgs/msg/Vector3', 'cdr', '')",
            "INSERT INTO messages VALUES (1, 7, 300, \(Self.vector(3)))",
            "INSERT INTO messages VALUES (2, 7, 100, \(Self.vector(1)))",
            "INSERT INTO messages VALUES (3, 7, 200, \(Self.vector(2)))"
        ])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let messages = try Self.readAll(path)
        #expect(messages.map(\.logTime) == [100, 200, 300])
        #expect(messages.map(\.x) == [1, 2, 3])
    }

    @Test func aBagWithoutDefinitionsUsesTheBuiltInSensorTypes() throws {
        let path = try Self.database(["INSERT INTO topics VALUES (1, '/tf', 'tf2_msgs/msg/TFMessage', 'cdr', '')"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let messages = try SQLiteBag(path: path).messages()
        let schema = try #require(messages.schemas[messages.channels[0]!.schemaID])
        #expect(schema.encoding == "ros2msg")
        let parsed = try MessageSchema.parse(
            name: schema.name, text: String(decoding: schema.data.bytes, as: UTF8.self), dialect: .ros2)
        #expect(parsed.definitions["geometry_msgs/Quaternion"]?.fields.map(\.name) == ["x", "y", "z", "w"])
    }

    @Test func brokenDatabasesAreNamed() throws {
        let orphan = try Self.database(["INSERT INTO messages VALUES (5, 99, 1, X'00')"])
        defer { try? FileManager.default.removeItem(atPath: orphan) }
        #expect {
            try Self.readAll(orphan)
        } throws: { error in
            (error as! ReadError).location == .row(table: "messages", id: 5) && "\(error)".contains("topic id 99")
        }
        let text = NSTemporaryDirectory() + "fusionlabel-not-sqlite-\(UUID().uuidString).db3"
        try Data("#ROSBAG V2.0\nnot a database".utf8).write(to: URL(fileURLWithPath: text))
        defer { try? FileManager.default.removeItem(atPath: text) }
        #expect(throws: ReadError.self) { try SQLiteBag(path: text).messages() }
    }
}
