import FusionIO

/// Streams an MCAP file's messages in file order, decompressing one chunk at a time.
///
/// Schemas and channels are collected as they appear (the spec puts each before its first use);
/// a message on a channel not yet defined, a chunk that fails its CRC or decompresses to another size
/// than declared, and a record that runs past its container are errors at their byte offset.
public struct MCAPMessageIterator {
    private let reader: MCAPReader
    private var cursor: ByteCursor
    /// The chunk being read: its records and the file offset of the chunk record.
    private var chunk: (records: ByteCursor, buffer: ByteBuffer, recordOffset: Int)?
    private var reachedDataEnd = false

    /// Schemas by id, as far as the file has been read.
    public private(set) var schemas: [UInt16: MCAP.Schema] = [:]
    /// Channels by id, as far as the file has been read.
    public private(set) var channels: [UInt16: MCAP.Channel] = [:]

    init(reader: MCAPReader) {
        self.reader = reader
        var cursor = ByteCursor(reader.file.bytes, origin: .init(file: reader.path, fileOffset: 0))
        cursor.seek(to: reader.dataStart)
        self.cursor = cursor
    }

    /// The next message, or nil after the last.
    public mutating func next() throws(ReadError) -> MCAP.Message? {
        while true {
            if var records = chunk?.records, let current = chunk {
                if records.isAtEnd {
                    chunk = nil
                    continue
                }
                let record = try MCAPReader.nextRecord(&records)
                chunk?.records = records
                if let message = try take(
                    record, in: records, buffer: current.buffer, recordOffset: current.recordOffset)
                {
                    return message
                }
                continue
            }
            guard !reachedDataEnd, !cursor.isAtEnd else { return nil }
            let record = try MCAPReader.nextRecord(&cursor)
            switch MCAP.Opcode(rawValue: record.opcode) {
            case .chunk:
                chunk = try openChunk(cursor.sub(record.content), recordOffset: record.start)
            case .dataEnd, .footer:
                reachedDataEnd = true
            default:
                if let message = try take(record, in: cursor, buffer: reader.file, recordOffset: record.start) {
                    return message
                }
            }
        }
    }

    /// Registers a schema or channel, returns a message, steps over anything else.
    private mutating func take(
        _ record: (opcode: UInt8, start: Int, content: Range<Int>), in container: ByteCursor,
        buffer: ByteBuffer, recordOffset: Int
    ) throws(ReadError) -> MCAP.Message? {
        var content = container.sub(record.content)
        switch MCAP.Opcode(rawValue: record.opcode) {
        case .schema:
            let schema = try MCAP.Schema.parse(&content, in: buffer)
            guard schema.id != 0 else {
                throw container.error("schema id 0 is reserved for \"no schema\"", at: record.start)
            }
            schemas[schema.id] = schema
        case .channel:
            let channel = try MCAP.Channel.parse(&content)
            guard channel.schemaID == 0 || schemas[channel.schemaID] != nil else {
                throw container.error(
                    "channel \(channel.id) (\(channel.topic)) names schema \(channel.schemaID), which no record before it defines",
                    at: record.start)
            }
            channels[channel.id] = channel
        case .message:
            let channelID = try content.read(UInt16.self, "the message's channel id")
            let sequence = try content.read(UInt32.self, "the message sequence")
            let logTime = try content.read(UInt64.self, "the message log time")
            let publishTime = try content.read(UInt64.self, "the message publish time")
            guard channels[channelID] != nil else {
                throw container.error(
                    "a message on channel \(channelID), which no record before it defines", at: record.start)
            }
            let payload = try content.bytes(content.remaining, "the message data")
            let data = ByteSlice(buffer, (content.base + payload.lowerBound)..<(content.base + payload.upperBound))
            return MCAP.Message(
                channelID: channelID, sequence: sequence, logTime: logTime, publishTime: publishTime,
                data: data, location: .byteOffset(recordOffset))
        default:
            break  // indexes, attachments, metadata, statistics and unknown records: not needed to read messages
        }
        return nil
    }

    /// Decompresses a chunk record's content and checks its CRC.
    private func openChunk(_ content: ByteCursor, recordOffset: Int) throws(ReadError) -> (
        records: ByteCursor, buffer: ByteBuffer, recordOffset: Int
    ) {
        var content = content
        _ = try content.read(UInt64.self, "the chunk's message start time")
        _ = try content.read(UInt64.self, "the chunk's message end time")
        let declared = try content.read(UInt64.self, "the chunk's uncompressed size")
        let crc = try content.read(UInt32.self, "the chunk's uncompressed CRC")
        let compression = try content.string("the chunk's compression")
        let recordsRange = try content.bytes(
            try content.readLength(UInt64.self, "the chunk's records"), "the chunk's records")
        let compressed = UnsafeRawBufferPointer(rebasing: content.bytes[recordsRange])
        guard declared <= UInt64(reader.limits.maximumChunkSize) else {
            throw content.error(
                "the chunk declares \(declared) uncompressed bytes, more than the \(reader.limits.maximumChunkSize) accepted",
                at: 0)
        }
        let buffer: ByteBuffer
        if compression.isEmpty {
            guard declared == UInt64(compressed.count) else {
                throw content.error(
                    "an uncompressed chunk declares \(declared) bytes but holds \(compressed.count)", at: 0)
            }
            buffer = reader.file
        } else {
            do {
                buffer = try Decompression.decompress(compressed, compression: compression, declaredSize: Int(declared))
            } catch {
                switch error {
                case .malformed(let reason): throw content.error("chunk: \(reason)", at: 0)
                }
            }
        }
        let origin = ByteCursor.Origin(
            file: reader.path, fileOffset: recordOffset,
            decompressed: compression.isEmpty ? nil : "the chunk's decompressed records")
        let records =
            compression.isEmpty
            ? content.sub(recordsRange)
            : ByteCursor(buffer.bytes, origin: origin)
        if crc != 0 {
            let actual = CRC32.checksum(records.bytes)
            guard actual == crc else {
                throw content.error(
                    "the chunk's records fail their CRC (computed \(hex(actual)), stored \(hex(crc)))", at: 0)
            }
        }
        return (records, buffer, recordOffset)
    }

    private func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }
}
