import FusionIO

/// Messages of one recording file in file order, with the schemas and channels seen so far: what an
/// MCAP file holds, and what a ROS 1 bag's connections become (MCAP's `ros1` profile: a connection is
/// a channel, its message definition a `ros1msg` schema).
public protocol MessageStream {
    /// The next message, or nil after the last.
    mutating func next() throws(ReadError) -> MCAP.Message?
    var schemas: [UInt16: MCAP.Schema] { get }
    var channels: [UInt16: MCAP.Channel] { get }
}

extension MCAPMessageIterator: MessageStream {}
