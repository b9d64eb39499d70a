import FusionIO

/// One decoded message of a recording.
public struct RecordedMessage: Sendable {
    public var topic: String
    /// The normalised type name, `package/Type`.
    public var type: String
    /// When the recorder logged it, seconds.
    public var logTime: Double
    public var message: MessageRecord
    /// The file holding the message and where in it (the byte offset of its record or chunk, or its
    /// row): where to point an error about it.
    public var file: String
    public var location: ReadError.Location

    /// An error about this message: it does not make the sensor message its type names.
    public func error(_ problem: some Error) -> ReadError {
        ReadError(
            file: file, location: location,
            message: "a \(type) message on \(topic) (logged at \(logTime) s): \(problem)")
    }
}

/// Streams a recording's messages, decoded by the schemas the files carry.
///
/// A topic whose schema cannot be used (another encoding such as `ros2idl` or JSON, or a definition
/// that does not parse) is skipped, and a note says so once (`notes`); a message that does not decode
/// by its own schema is an error at its record.
public struct RecordingMessages {
    private let recording: Recording
    private let topics: Set<String>?
    private let limits: MCAPReader.Limits
    private var fileIndex = 0
    private var current: (any MessageStream)?
    /// Decoders by channel id of the current file (nil: the channel is skipped).
    private var decoders: [UInt16: MessageDecoder?] = [:]

    /// Why topics were skipped, one line each.
    public private(set) var notes: [String] = []
    /// Every topic met so far, decoded or not, by name: type, count and time span.
    public private(set) var topicsSeen: [String: Recording.Topic] = [:]

    init(recording: Recording, topics: Set<String>?, limits: MCAPReader.Limits) {
        self.recording = recording
        self.topics = topics
        self.limits = limits
    }

    public mutating func next() throws(ReadError) -> RecordedMessage? {
        while true {
            if current == nil {
                guard fileIndex < recording.files.count else { return nil }
                current = try Recording.stream(recording.files[fileIndex], limits: limits)
                decoders = [:]
                fileIndex += 1
            }
            guard let message = try current!.next() else {
                current = nil
                continue
            }
            let channel = current!.channels[message.channelID]!
            count(message, on: channel)
            if let topics, !topics.contains(channel.topic) { continue }
            guard let decoder = decoder(for: channel) else { continue }
            do {
                let record = try decoder.decode(message.data)
                return RecordedMessage(
                    topic: channel.topic, type: decoder.schema.root.name, logTime: Double(message.logTime) * 1e-9,
                    message: record, file: recording.files[fileIndex - 1], location: message.location)
            } catch {
                throw ReadError(
                    file: recording.files[fileIndex - 1], location: message.location,
                    message:
                        "a \(decoder.schema.root.name) message on \(channel.topic) (log time \(message.logTime) ns) does not decode: \(error)"
                )
            }
        }
    }

    private mutating func count(_ message: MCAP.Message, on channel: MCAP.Channel) {
        let time = message.logTime
        if var topic = topicsSeen[channel.topic] {
            topic.messageCount += 1
            topic.startLogTime = min(topic.startLogTime, time)
            topic.endLogTime = max(topic.endLogTime, time)
            topicsSeen[channel.topic] = topic
        } else {
            topicsSeen[channel.topic] = Recording.Topic(
                topic: channel.topic, type: current!.schemas[channel.schemaID]?.name ?? "",
                messageEncoding: channel.messageEncoding, messageCount: 1,
                startLogTime: time, endLogTime: time)
        }
    }

    /// The channel's decoder, made on first use; nil (with a note) when its schema cannot be used.
    private mutating func decoder(for channel: MCAP.Channel) -> MessageDecoder? {
        if let known = decoders[channel.id] { return known }
        let decoder = makeDecoder(for: channel)
        decoders[channel.id] = .some(decoder)
        return decoder
    }

    private mutating func makeDecoder(for channel: MCAP.Channel) -> MessageDecoder? {
        do {
            return try MessageDecoder(
                channel: channel, schema: channel.schemaID == 0 ? nil : current!.schemas[channel.schemaID])
        } catch {
            let note = "\(channel.topic): skipped, \(error.message)"
            if !notes.contains(note) { notes.append(note) }
            return nil
        }
    }
}

extension MessageDecoder {
    /// The decoder for an MCAP channel's messages: `ros2msg` schemas with `cdr` messages, `ros1msg`
    /// schemas with `ros1` messages.
    /// - Throws: `MessageDecodingError` saying why the channel cannot be decoded (no schema, another
    ///   encoding, a definition that does not parse).
    public init(channel: MCAP.Channel, schema: MCAP.Schema?) throws(MessageDecodingError) {
        guard let schema else { throw MessageDecodingError(message: "it has no schema") }
        let wire: Wire
        let dialect: MessageSchema.Dialect
        switch (schema.encoding, channel.messageEncoding) {
        case ("ros2msg", "cdr"): (wire, dialect) = (.cdr, .ros2)
        case ("ros1msg", "ros1"): (wire, dialect) = (.ros1, .ros1)
        default:
            throw MessageDecodingError(
                message:
                    "its \(schema.encoding) schema with \(channel.messageEncoding) messages is not decoded (ros2msg/cdr and ros1msg/ros1 are)"
            )
        }
        do {
            let parsed = try MessageSchema.parse(
                name: schema.name, text: String(decoding: schema.data.bytes, as: UTF8.self), dialect: dialect)
            self.init(schema: parsed, wire: wire)
        } catch {
            throw MessageDecodingError(message: "its schema \(schema.name) does not parse: \(error)")
        }
    }
}
