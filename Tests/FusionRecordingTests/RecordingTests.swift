import Foundation
import FusionIO
import Testing

@testable import FusionRecording

@Suite struct RecordingTests {
    /// An MCAP file of a CDR topic (/v, 3 messages) and a JSON topic without schema (/j, 2 messages).
    static func file() throws -> String {
        var writer = MCAPWriter(profile: "ros2", compression: .none)
        let schema = writer.addSchema(
            name: "geometry_msgs/msg/Vector3", encoding: "ros2msg",
            data: Array("float64 x\nfloat64 y\nfloat64 z\n".utf8))
        let vector = writer.addChannel(topic: "/v", messageEncoding: "cdr", schemaID: schema)
        let json = writer.addChannel(topic: "/j", messageEncoding: "json", schemaID: 0)
        for index in 0..<3 {
            let payload: [UInt8] =
                [0, 1, 0, 0] + withUnsafeBytes(of: Double(index).bitPattern.littleEndian, Array.init)
                + [UInt8](repeating: 0, count: 16)
            writer.addMessage(channelID: vector, logTime: UInt64(100 + index * 50), publishTime: 0, data: payload)
        }
        writer.addMessage(channelID: json, logTime: 90, publishTime: 0, data: Array("{}".utf8))
        writer.addMessage(channelID: json, logTime: 400, publishTime: 0, data: Array("{}".utf8))
        let path = NSTemporaryDirectory() + "fusionlabel-recording-\(UUID().uuidString).mcap"
        try writer.write(to: path)
        return path
    }

    /// One pass sees every topic, decoded or not; a topic that cannot be decoded is noted, not fatal.
    @Test func countsEveryTopicAndDecodesWhatItCan() throws {
        let path = try Self.file()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let recording = try Recording.open(path)
        let topics = try recording.topics()
        #expect(topics.map(\.topic) == ["/j", "/v"])
        #expect(topics.map(\.messageCount) == [2, 3])
        #expect(topics.map(\.startLogTime) == [90, 100])
        #expect(topics.map(\.endLogTime) == [400, 200])
        #expect(abs(topics[1].rate - 2 / 100e-9) < 1e-3)
        var messages = recording.messages()
        var decoded: [Double] = []
        while let message = try messages.next() { decoded.append(try message.message.field("x").double()) }
        #expect(decoded == [0, 1, 2])
        #expect(messages.notes == ["/j: skipped, it has no schema"])
        #expect(messages.topicsSeen.keys.sorted() == ["/j", "/v"])
    }
}
