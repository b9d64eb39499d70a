import FusionIO

extension MCAPReader {
    /// The summary section (schemas, channels, chunk indexes, statistics), found through the footer at
    /// the end of the file; nil when the writer left no summary.
    /// - Throws: `ReadError` when the file does not end in a footer and the magic (a file cut short or
    ///   still being written: read it with `messages()`), or a summary record is malformed.
    public func summary() throws(ReadError) -> MCAP.Summary? {
        let footerSize = 1 + 8 + 8 + 8 + 4
        let bytes = file.bytes
        var cursor = ByteCursor(bytes, origin: .init(file: path, fileOffset: 0))
        let footerStart = bytes.count - MCAP.magic.count - footerSize
        guard footerStart >= dataStart, bytes.suffix(MCAP.magic.count).elementsEqual(MCAP.magic) else {
            throw cursor.error(
                "the file does not end in the MCAP magic: it was cut short or is still being written",
                at: max(bytes.count - 1, 0))
        }
        cursor.seek(to: footerStart)
        let footer = try Self.nextRecord(&cursor)
        guard footer.opcode == MCAP.Opcode.footer.rawValue, footer.content.count == footerSize - 9 else {
            throw cursor.error(
                "expected the footer record (opcode 0x02, 20 bytes) before the closing magic", at: footerStart)
        }
        var content = cursor.sub(footer.content)
        let summaryStart = try content.read(UInt64.self, "the summary start")
        _ = try content.read(UInt64.self, "the summary offset start")
        let summaryCRC = try content.read(UInt32.self, "the summary CRC")
        guard summaryStart != 0 else { return nil }
        guard summaryStart >= UInt64(dataStart), summaryStart <= UInt64(footerStart) else {
            throw cursor.error(
                "the footer puts the summary at byte \(summaryStart), outside the file's records", at: footerStart)
        }
        let summaryRange = Int(summaryStart)..<footerStart
        if summaryCRC != 0 {
            // The CRC covers the summary section and the footer up to (not including) the CRC itself.
            let covered = UnsafeRawBufferPointer(rebasing: bytes[Int(summaryStart)..<(footerStart + footerSize - 4)])
            guard CRC32.checksum(covered) == summaryCRC else {
                throw cursor.error("the summary section fails its CRC", at: Int(summaryStart))
            }
        }
        var records = cursor.sub(summaryRange)
        var summary = MCAP.Summary()
        while !records.isAtEnd {
            let record = try Self.nextRecord(&records)
            var content = records.sub(record.content)
            switch MCAP.Opcode(rawValue: record.opcode) {
            case .schema:
                let schema = try MCAP.Schema.parse(&content, in: file)
                summary.schemas[schema.id] = schema
            case .channel:
                let channel = try MCAP.Channel.parse(&content)
                summary.channels[channel.id] = channel
            case .chunkIndex:
                let start = try content.read(UInt64.self, "the chunk's message start time")
                let end = try content.read(UInt64.self, "the chunk's message end time")
                let offset = try content.read(UInt64.self, "the chunk offset")
                let length = try content.read(UInt64.self, "the chunk length")
                try content.skip(
                    try content.readLength(UInt32.self, "the message index offsets"), "the message index offsets")
                _ = try content.read(UInt64.self, "the message index length")
                let compression = try content.string("the compression")
                let compressedSize = try content.read(UInt64.self, "the compressed size")
                let uncompressedSize = try content.read(UInt64.self, "the uncompressed size")
                summary.chunkIndexes.append(
                    MCAP.ChunkIndex(
                        messageStartTime: start, messageEndTime: end, chunkStartOffset: offset,
                        chunkLength: length, compression: compression,
                        compressedSize: compressedSize, uncompressedSize: uncompressedSize))
            case .statistics:
                let messageCount = try content.read(UInt64.self, "the message count")
                _ = try content.read(UInt16.self, "the schema count")
                _ = try content.read(UInt32.self, "the channel count")
                _ = try content.read(UInt32.self, "the attachment count")
                _ = try content.read(UInt32.self, "the metadata count")
                let chunkCount = try content.read(UInt32.self, "the chunk count")
                let start = try content.read(UInt64.self, "the message start time")
                let end = try content.read(UInt64.self, "the message end time")
                var counts = content.sub(
                    try content.bytes(
                        try content.readLength(UInt32.self, "the channel message counts"),
                        "the channel message counts"))
                var perChannel: [UInt16: UInt64] = [:]
                while !counts.isAtEnd {
                    let channel = try counts.read(UInt16.self, "a channel id")
                    perChannel[channel] = try counts.read(UInt64.self, "channel \(channel)'s message count")
                }
                summary.statistics = MCAP.Statistics(
                    messageCount: messageCount, chunkCount: chunkCount, messageStartTime: start,
                    messageEndTime: end, channelMessageCounts: perChannel)
            default:
                break
            }
        }
        return summary
    }
}
