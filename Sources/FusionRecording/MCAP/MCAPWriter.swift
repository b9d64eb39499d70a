import CZstd
import Foundation
import FusionGeometry
import FusionIO
import FusionSupport

/// Writes an MCAP file (https://mcap.dev/spec): chunked messages (uncompressed or zstd), then a
/// summary with the schemas, channels, statistics and chunk indexes, so that indexed readers (the
/// `mcap` CLI, Foxglove, PyPI's `mcap`) open it without scanning.
///
/// The file is built in memory and written atomically by `write(to:)`: meant for what the engine
/// produces (labels, test recordings), not for re-recording a fleet's sensor data.
public struct MCAPWriter {
    public enum Compression: Sendable {
        case none
        /// zstd at `level` (1–19; 3 is zstd's default).
        case zstd(level: Int32)

        var name: String {
            switch self {
            case .none: ""
            case .zstd: "zstd"
            }
        }
    }

    private let compression: Compression
    private let chunkSize: Int
    private var output: [UInt8] = MCAP.magic
    private var chunk = RecordBuffer()
    private var chunkTimes: ClosedRange<UInt64>?
    private var schemas: [(id: UInt16, record: [UInt8])] = []
    private var channels: [(id: UInt16, record: [UInt8])] = []
    private var chunkIndexes: [[UInt8]] = []
    private var messageCounts: [UInt16: UInt64] = [:]
    private var messageTimes: ClosedRange<UInt64>?

    /// - Parameters:
    ///   - profile: `ros2`, `ros1` or empty.
    ///   - chunkSize: uncompressed bytes gathered before a chunk is closed.
    public init(profile: String, compression: Compression = .zstd(level: 3), chunkSize: Int = 1 << 20) {
        self.compression = compression
        self.chunkSize = chunkSize
        var header = RecordBuffer()
        header.string(profile)
        header.string("fusionlabel \(FusionLabelVersion.current)")
        output += header.record(.header)
    }

    /// Registers a schema; returns its id (from 1).
    public mutating func addSchema(name: String, encoding: String, data: [UInt8]) -> UInt16 {
        let id = UInt16(schemas.count + 1)
        var record = RecordBuffer()
        record.integer(id)
        record.string(name)
        record.string(encoding)
        record.integer(UInt32(data.count))
        record.bytes += data
        schemas.append((id, record.record(.schema)))
        chunk.bytes += schemas.last!.record
        return id
    }

    /// Registers a channel on `schemaID` (0: none); returns its id (from 0).
    public mutating func addChannel(
        topic: String, messageEncoding: String, schemaID: UInt16, metadata: [String: String] = [:]
    ) -> UInt16 {
        let id = UInt16(channels.count)
        var record = RecordBuffer()
        record.integer(id)
        record.integer(schemaID)
        record.string(topic)
        record.string(messageEncoding)
        record.lengthPrefixed { map in
            for key in metadata.keys.sorted() {
                map.string(key)
                map.string(metadata[key]!)
            }
        }
        channels.append((id, record.record(.channel)))
        chunk.bytes += channels.last!.record
        return id
    }

    /// Adds a message; times in nanoseconds.
    public mutating func addMessage(
        channelID: UInt16, sequence: UInt32 = 0, logTime: UInt64, publishTime: UInt64, data: [UInt8]
    ) {
        precondition(Int(channelID) < channels.count, "register the channel first")
        var record = RecordBuffer()
        record.integer(channelID)
        record.integer(sequence)
        record.integer(logTime)
        record.integer(publishTime)
        record.bytes += data
        chunk.bytes += record.record(.message)
        chunkTimes = chunkTimes.map { min($0.lowerBound, logTime)...max($0.upperBound, logTime) } ?? logTime...logTime
        messageTimes =
            messageTimes.map { min($0.lowerBound, logTime)...max($0.upperBound, logTime) } ?? logTime...logTime
        messageCounts[channelID, default: 0] += 1
        if chunk.bytes.count >= chunkSize { closeChunk() }
    }

    /// The whole file.
    public mutating func finish() -> [UInt8] {
        closeChunk()
        var dataEnd = RecordBuffer()
        dataEnd.integer(output.withUnsafeBytes { CRC32.checksum($0) })
        output += dataEnd.record(.dataEnd)
        let summaryStart = UInt64(output.count)
        for schema in schemas { output += schema.record }
        for channel in channels { output += channel.record }
        var statistics = RecordBuffer()
        statistics.integer(messageCounts.values.reduce(0, +))
        statistics.integer(UInt16(schemas.count))
        statistics.integer(UInt32(channels.count))
        statistics.integer(UInt32(0))
        statistics.integer(UInt32(0))
        statistics.integer(UInt32(chunkIndexes.count))
        statistics.integer(messageTimes?.lowerBound ?? 0)
        statistics.integer(messageTimes?.upperBound ?? 0)
        statistics.lengthPrefixed { counts in
            for channel in messageCounts.keys.sorted() {
                counts.integer(channel)
                counts.integer(messageCounts[channel]!)
            }
        }
        output += statistics.record(.statistics)
        for index in chunkIndexes { output += index }
        var footer = RecordBuffer()
        footer.integer(summaryStart)
        footer.integer(UInt64(0))
        output += footer.record(.footer, extraLength: 4)
        let crc = output.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[Int(summaryStart)...])) }
        var crcBytes = RecordBuffer()
        crcBytes.integer(crc)
        output += crcBytes.bytes
        output += MCAP.magic
        return output
    }

    /// Finishes and writes the file atomically.
    public mutating func write(to path: String) throws(WriteError) {
        try FileAccess.writeAtomically(Data(finish()), to: path)
    }

    private mutating func closeChunk() {
        guard !chunk.bytes.isEmpty else { return }
        let records = chunk.bytes
        chunk = RecordBuffer()
        let compressed: [UInt8]
        switch compression {
        case .none: compressed = records
        case .zstd(let level): compressed = Self.zstd(records, level: level)
        }
        let chunkStart = UInt64(output.count)
        var record = RecordBuffer()
        record.integer(chunkTimes?.lowerBound ?? 0)
        record.integer(chunkTimes?.upperBound ?? 0)
        record.integer(UInt64(records.count))
        record.integer(records.withUnsafeBytes { CRC32.checksum($0) })
        record.string(compression.name)
        record.integer(UInt64(compressed.count))
        record.bytes += compressed
        let bytes = record.record(.chunk)
        output += bytes
        var index = RecordBuffer()
        index.integer(chunkTimes?.lowerBound ?? 0)
        index.integer(chunkTimes?.upperBound ?? 0)
        index.integer(chunkStart)
        index.integer(UInt64(bytes.count))
        index.integer(UInt32(0))  // no message index records
        index.integer(UInt64(0))
        index.string(compression.name)
        index.integer(UInt64(compressed.count))
        index.integer(UInt64(records.count))
        chunkIndexes.append(index.record(.chunkIndex))
        chunkTimes = nil
    }

    private static func zstd(_ input: [UInt8], level: Int32) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: ZSTD_compressBound(input.count))
        let written = input.withUnsafeBytes { source in
            output.withUnsafeMutableBytes {
                ZSTD_compress($0.baseAddress, $0.count, source.baseAddress, source.count, level)
            }
        }
        precondition(ZSTD_isError(written) == 0, "zstd cannot fail with an output of compressBound bytes")
        output.removeSubrange(written...)
        return output
    }
}

/// Little-endian serialization of record fields.
private struct RecordBuffer {
    var bytes: [UInt8] = []

    mutating func integer<Value: FixedWidthInteger>(_ value: Value) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }

    mutating func string(_ text: String) {
        integer(UInt32(text.utf8.count))
        bytes += text.utf8
    }

    /// A `UInt32` byte length, then what `fill` writes (MCAP's maps).
    mutating func lengthPrefixed(_ fill: (inout RecordBuffer) -> Void) {
        var inner = RecordBuffer()
        fill(&inner)
        integer(UInt32(inner.bytes.count))
        bytes += inner.bytes
    }

    /// The record: opcode, length (plus `extraLength` bytes the caller appends), content.
    func record(_ opcode: MCAP.Opcode, extraLength: Int = 0) -> [UInt8] {
        var result: [UInt8] = [opcode.rawValue]
        withUnsafeBytes(of: UInt64(bytes.count + extraLength).littleEndian) { result += $0 }
        return result + bytes
    }
}
