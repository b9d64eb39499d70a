import Foundation
import FusionGeometry
import FusionIO
import FusionSupport
import Testing

@testable import FusionRecording

/// The MCAP reader on files our writer made and on hand-broken ones. Files made by independent
/// writers (PyPI's `mcap`, `rosbags`) are read in python/tests/test_recordings.py.
@Suite struct MCAPReaderTests {
    struct Written: Equatable {
        var channel: UInt16
        var logTime: UInt64
        var data: [UInt8]
    }

    /// A file of three channels and `count` messages of 0–300 bytes, in chunks of about 2 KB.
    static func file(compression: MCAPWriter.Compression, count: Int = 500) -> (bytes: [UInt8], messages: [Written]) {
        var writer = MCAPWriter(profile: "ros2", compression: compression, chunkSize: 2048)
        let schema = writer.addSchema(name: "test_msgs/Blob", encoding: "ros2msg", data: Array("uint8[] data\n".utf8))
        let channels = ["/a", "/b", "/c"].map {
            writer.addChannel(topic: $0, messageEncoding: "cdr", schemaID: schema, metadata: ["k": $0])
        }
        var messages: [Written] = []
        for index in 0..<count {
            let data = DecompressionTests.sample(count: (index * 37) % 301).map {
                $0 &+ UInt8(truncatingIfNeeded: index)
            }
            let message = Written(channel: channels[index % 3], logTime: 1_000_000 * UInt64(index), data: data)
            writer.addMessage(
                channelID: message.channel, logTime: message.logTime, publishTime: message.logTime, data: data)
            messages.append(message)
        }
        return (writer.finish(), messages)
    }

    static func reader(_ bytes: [UInt8], limits: MCAPReader.Limits = .init()) throws(ReadError) -> MCAPReader {
        try MCAPReader(bytes: ByteBuffer.copying(bytes), name: "<test>", limits: limits)
    }

    static func readAll(_ reader: MCAPReader) throws(ReadError) -> [Written] {
        var iterator = reader.messages()
        var result: [Written] = []
        while let message = try iterator.next() {
            result.append(Written(channel: message.channelID, logTime: message.logTime, data: message.data.array))
        }
        return result
    }

    @Test(arguments: [MCAPWriter.Compression.none, .zstd(level: 3)]) func readsBackEveryMessageAndTheSummary(
        compression: MCAPWriter.Compression
    ) throws {
        let (bytes, written) = Self.file(compression: compression)
        let reader = try Self.reader(bytes)
        #expect(reader.header == MCAP.Header(profile: "ros2", library: "fusionlabel \(FusionLabelVersion.current)"))
        #expect(try Self.readAll(reader) == written)
        let summary = try #require(try reader.summary())
        #expect(summary.channels.values.map(\.topic).sorted() == ["/a", "/b", "/c"])
        #expect(summary.channels.values.allSatisfy { $0.metadata == ["k": $0.topic] })
        #expect(summary.schemas.values.map(\.name) == ["test_msgs/Blob"])
        let statistics = try #require(summary.statistics)
        #expect(statistics.messageCount == UInt64(written.count))
        #expect(statistics.channelMessageCounts == [0: 167, 1: 167, 2: 166])
        #expect(statistics.messageEndTime == written.last!.logTime)
        #expect(summary.chunkIndexes.count == Int(statistics.chunkCount))
        #expect(summary.chunkIndexes.count > 10)
        // Each index points at a chunk record.
        #expect(summary.chunkIndexes.allSatisfy { bytes[Int($0.chunkStartOffset)] == MCAP.Opcode.chunk.rawValue })
    }

    @Test func everyTruncationIsAnErrorOrAShorterRead() throws {
        let (bytes, written) = Self.file(compression: .zstd(level: 1), count: 40)
        for length in 0..<bytes.count {
            let prefix = Array(bytes[..<length])
            do {
                let reader = try Self.reader(prefix)
                #expect(throws: ReadError.self) { try reader.summary() }
                do {
                    let read = try Self.readAll(reader)
                    #expect(read == Array(written.prefix(read.count)), "prefix of \(length) bytes")
                } catch {}
            } catch {}
        }
    }

    @Test func aFlippedByteFailsTheChunkCRC() throws {
        var (bytes, _) = Self.file(compression: .none, count: 20)
        // A byte inside the first message's payload: the first chunk starts after the magic and header.
        let chunk = bytes.indices.first { bytes[$0] == MCAP.Opcode.chunk.rawValue && $0 > 8 }!
        bytes[chunk + 200] ^= 0x40
        #expect {
            try Self.readAll(try Self.reader(bytes))
        } throws: { error in
            let error = error as! ReadError
            return error.message.contains("CRC") && error.location == .byteOffset(chunk + 9)
        }
    }

    @Test func aLyingRecordLengthIsAnErrorAtItsOffset() throws {
        var (bytes, _) = Self.file(compression: .none, count: 5)
        let chunk = bytes.indices.first { bytes[$0] == MCAP.Opcode.chunk.rawValue && $0 > 8 }!
        for index in 1...8 { bytes[chunk + index] = 0x7F }
        #expect {
            try Self.readAll(try Self.reader(bytes))
        } throws: { error in
            "\(error)".contains("claims") && (error as! ReadError).location == .byteOffset(chunk + 1)
        }
    }

    @Test func aChunkLargerThanTheLimitIsRefusedBeforeDecompressing() throws {
        let (bytes, _) = Self.file(compression: .zstd(level: 3), count: 100)
        #expect {
            try Self.readAll(try Self.reader(bytes, limits: .init(maximumChunkSize: 1000)))
        } throws: { error in
            "\(error)".contains("more than the 1000 accepted")
        }
    }

    @Test func notMCAPIsSaidSo() {
        #expect {
            try Self.reader(Array("#.PCD v0.7 - Point Cloud Data\n".utf8))
        } throws: { error in
            "\(error)".contains("not an MCAP file")
        }
    }

    @Test func aMessageOnAnUndefinedChannelIsAnError() throws {
        var writer = MCAPWriter(profile: "", compression: .none)
        let channel = writer.addChannel(topic: "/x", messageEncoding: "json", schemaID: 0)
        writer.addMessage(channelID: channel, logTime: 1, publishTime: 1, data: Array("{}".utf8))
        var bytes = writer.finish()
        // Renumber the message's channel (the first 0x05 record after the channel record) to 9.
        let message = bytes.indices.first { bytes[$0] == MCAP.Opcode.message.rawValue && bytes[$0 + 1] == 24 }!
        bytes[message + 9] = 9
        // A stored CRC of 0 means "not computed": the reader must still catch the channel.
        let chunk = bytes.indices.first { bytes[$0] == MCAP.Opcode.chunk.rawValue && $0 > 8 }!
        for index in 33..<37 { bytes[chunk + index] = 0 }
        #expect {
            try Self.readAll(try Self.reader(bytes))
        } throws: { error in
            "\(error)".contains("channel 9, which no record before it defines")
        }
    }
}
