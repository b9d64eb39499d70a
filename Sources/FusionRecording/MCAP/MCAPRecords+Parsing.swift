import FusionIO

extension MCAP.Schema {
    /// A schema record's content; `data` points into `buffer`, which `content` reads.
    static func parse(_ content: inout ByteCursor, in buffer: ByteBuffer) throws(ReadError) -> MCAP.Schema {
        let id = try content.read(UInt16.self, "the schema id")
        let name = try content.string("the schema name")
        let encoding = try content.string("the schema encoding")
        let data = try content.bytes(try content.readLength(UInt32.self, "the schema data"), "the schema data")
        return MCAP.Schema(
            id: id, name: name, encoding: encoding,
            data: ByteSlice(buffer, (content.base + data.lowerBound)..<(content.base + data.upperBound)))
    }
}

extension MCAP.Channel {
    /// A channel record's content.
    static func parse(_ content: inout ByteCursor) throws(ReadError) -> MCAP.Channel {
        let id = try content.read(UInt16.self, "the channel id")
        let schemaID = try content.read(UInt16.self, "the channel's schema id")
        let topic = try content.string("the topic")
        let encoding = try content.string("the message encoding")
        return MCAP.Channel(
            id: id, schemaID: schemaID, topic: topic, messageEncoding: encoding,
            metadata: try content.stringMap("the channel metadata"))
    }
}

extension ByteCursor {
    /// An MCAP `Map<string, string>`: a `UInt32` byte length, then key/value strings.
    mutating func stringMap(_ what: @autoclosure () -> String) throws(ReadError) -> [String: String] {
        var entries = sub(try bytes(try readLength(UInt32.self, what()), what()))
        var map: [String: String] = [:]
        while !entries.isAtEnd {
            let key = try entries.string("a key of \(what())")
            map[key] = try entries.string("the value of \(key) in \(what())")
        }
        return map
    }
}
