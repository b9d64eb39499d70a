import FusionIO

/// The MCAP records a reader of messages needs (https://mcap.dev/spec): the others (attachments,
/// metadata, indexes of them) are stepped over by their length.
public enum MCAP {
    /// The 8 bytes that open and close every MCAP file: `\x89MCAP0\r\n`.
    public static let magic: [UInt8] = [0x89, 0x4D, 0x43, 0x41, 0x50, 0x30, 0x0D, 0x0A]

    enum Opcode: UInt8 {
        case header = 0x01, footer = 0x02, schema = 0x03, channel = 0x04, message = 0x05, chunk = 0x06
        case messageIndex = 0x07, chunkIndex = 0x08, attachment = 0x09, attachmentIndex = 0x0A
        case statistics = 0x0B, metadata = 0x0C, metadataIndex = 0x0D, summaryOffset = 0x0E, dataEnd = 0x0F
    }

    /// The file's header record: who wrote it and for what.
    public struct Header: Equatable, Sendable {
        /// The profile, such as `ros2` or `ros1` (empty when none).
        public var profile: String
        /// The writing library, such as `python mcap 1.1.0`.
        public var library: String
    }

    /// How the messages of channels that name it are laid out (a message definition).
    public struct Schema: Sendable {
        public var id: UInt16
        /// The type name, such as `sensor_msgs/msg/PointCloud2`.
        public var name: String
        /// How `data` is written: `ros2msg`, `ros2idl`, `ros1msg`, `jsonschema`, ...
        public var encoding: String
        /// The definition itself.
        public var data: ByteSlice
    }

    /// A topic: its messages share a schema and an encoding.
    public struct Channel: Equatable, Sendable {
        public var id: UInt16
        /// 0 when the channel has no schema.
        public var schemaID: UInt16
        public var topic: String
        /// How each message is serialized: `cdr` (ROS 2), `ros1`, `json`, ...
        public var messageEncoding: String
        public var metadata: [String: String]
    }

    /// One message, its payload still serialized.
    public struct Message: Sendable {
        public var channelID: UInt16
        public var sequence: UInt32
        /// When it was recorded, nanoseconds since the epoch (the recorder's clock).
        public var logTime: UInt64
        /// When it was published, nanoseconds.
        public var publishTime: UInt64
        /// The serialized message.
        public var data: ByteSlice
        /// Where it is, for errors: the byte offset of the record that holds it (its chunk, when
        /// chunked), or its row in a rosbag2 SQLite file.
        public var location: ReadError.Location
    }

    /// What a chunk index says about one chunk.
    struct ChunkIndex: Equatable, Sendable {
        var messageStartTime: UInt64
        var messageEndTime: UInt64
        /// The file offset of the chunk record.
        var chunkStartOffset: UInt64
        var chunkLength: UInt64
        public var compression: String
        public var compressedSize: UInt64
        public var uncompressedSize: UInt64
    }

    /// Counts over the whole file, from the summary.
    public struct Statistics: Equatable, Sendable {
        public var messageCount: UInt64
        var chunkCount: UInt32
        var messageStartTime: UInt64
        var messageEndTime: UInt64
        /// Messages per channel id.
        var channelMessageCounts: [UInt16: UInt64]
    }

    /// The summary section: what an indexed reader needs without scanning the data.
    public struct Summary: Sendable {
        public var schemas: [UInt16: Schema] = [:]
        public var channels: [UInt16: Channel] = [:]
        var chunkIndexes: [ChunkIndex] = []
        public var statistics: Statistics?
    }
}
