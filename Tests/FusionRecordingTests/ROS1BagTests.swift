import Foundation
import FusionIO
import Testing

@testable import FusionRecording

/// The ROS 1 bag reader on bags built here from the format's description (wiki.ros.org/Bags/Format/2.0).
/// Bags written by rosbags are read in python/tests/test_recordings.py.
@Suite struct ROS1BagTests {
    static func field(_ name: String, _ value: [UInt8]) -> [UInt8] {
        let bytes = Array((name + "=").utf8) + value
        return withUnsafeBytes(of: UInt32(bytes.count).littleEndian, Array.init) + bytes
    }

    static func le<Value: FixedWidthInteger>(_ value: Value) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian, Array.init)
    }

    static func record(_ fields: [[UInt8]], data: [UInt8]) -> [UInt8] {
        let header = fields.flatMap { $0 }
        return le(UInt32(header.count)) + header + le(UInt32(data.count)) + data
    }

    static let definition = "float64 range\n"

    /// A bag of one connection (/range, test_msgs/Range) and `count` messages, in one chunk.
    static func bag(count: Int, compression: String = "none") -> [UInt8] {
        let connectionHeader =
            field("topic", Array("/range".utf8)) + field("type", Array("test_msgs/Range".utf8))
            + field("md5sum", Array("0123".utf8)) + field("message_definition", Array(definition.utf8))
        var records = record(
            [field("op", [0x07]), field("conn", le(UInt32(0))), field("topic", Array("/range".utf8))],
            data: connectionHeader)
        for index in 0..<count {
            let time = le(UInt32(1_600_000_000 + index)) + le(UInt32(250_000_000))
            records += record(
                [field("op", [0x02]), field("conn", le(UInt32(0))), field("time", time)],
                data: le(Double(index).bitPattern))
        }
        let chunk = record(
            [
                field("op", [0x05]), field("compression", Array(compression.utf8)),
                field("size", le(UInt32(records.count)))
            ],
            data: records)
        let header = record(
            [
                field("op", [0x03]), field("index_pos", le(UInt64(0))), field("conn_count", le(UInt32(1))),
                field("chunk_count", le(UInt32(1)))
            ], data: [UInt8](repeating: 0x20, count: 64))
        return ROS1Bag.magic + header + chunk
    }

    static func readAll(_ bytes: [UInt8]) throws(ReadError) -> [(logTime: UInt64, value: Double)] {
        var iterator = try ROS1Bag(bytes: ByteBuffer.copying(bytes), name: "<test>").messages()
        var result: [(UInt64, Double)] = []
        while let message = try iterator.next() {
            let channel = iterator.channels[message.channelID]!
            let decoder = try! MessageDecoder(channel: channel, schema: iterator.schemas[channel.schemaID])
            let record = try! decoder.decode(message.data)
            result.append((message.logTime, try! record.field("range").double()))
        }
        return result
    }

    @Test func readsConnectionsAndMessagesInsideAChunk() throws {
        let messages = try Self.readAll(Self.bag(count: 5))
        #expect(messages.map(\.value) == [0, 1, 2, 3, 4])
        let expected: [UInt64] = (0..<5).map { index in UInt64(1_600_000_000 + index) * 1_000_000_000 + 250_000_000 }
        #expect(messages.map(\.logTime) == expected)
        var iterator = try ROS1Bag(bytes: ByteBuffer.copying(Self.bag(count: 1)), name: "<test>").messages()
        _ = try iterator.next()
        #expect(
            iterator.channels[0]
                == MCAP.Channel(
                    id: 0, schemaID: 1, topic: "/range", messageEncoding: "ros1", metadata: ["md5sum": "0123"]))
        #expect(iterator.schemas[1]?.name == "test_msgs/Range")
        #expect(iterator.schemas[1]?.encoding == "ros1msg")
    }

    @Test func everyTruncationIsAnErrorOrAShorterRead() throws {
        let bytes = Self.bag(count: 6)
        let all = try Self.readAll(bytes).map(\.value)
        for length in 0..<bytes.count {
            if let read = try? Self.readAll(Array(bytes.prefix(length))) {
                #expect(read.map(\.value) == Array(all.prefix(read.count)), "prefix of \(length) bytes")
            }
        }
    }

    @Test func aLyingChunkSizeAndAnUnknownCompressionAreNamed() {
        var lying = Self.bag(count: 3)
        // The chunk's size field: the last 4 bytes before the chunk's data length, after "size=".
        let size = lying.indices.first { lying[$0...].starts(with: Array("size=".utf8)) }! + 5
        lying[size] &+= 1
        #expect {
            try Self.readAll(lying)
        } throws: { error in
            "\(error)".contains("an uncompressed chunk declares")
        }
        #expect {
            try Self.readAll(Self.bag(count: 1, compression: "gzip"))
        } throws: { error in
            "\(error)".contains("unknown chunk compression \"gzip\"")
        }
        #expect {
            try Self.readAll(Array("#ROSBAG V1.2\n".utf8))
        } throws: { error in
            "\(error)".contains("not a ROS 1 bag")
        }
    }
}
