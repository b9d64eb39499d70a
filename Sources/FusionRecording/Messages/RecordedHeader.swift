/// A ROS `std_msgs/Header`: when the data was taken and in which frame.
public struct RecordedHeader: Equatable, Sendable {
    /// Nanoseconds since the epoch (the sensor's stamp, not the recorder's), exact as recorded.
    public var stampNanoseconds: Int64
    public var frameID: String

    public init(stampNanoseconds: Int64, frameID: String) {
        self.stampNanoseconds = stampNanoseconds
        self.frameID = frameID
    }

    /// The stamp in seconds (a `Double` near 1.7e9 s resolves about 0.24 µs: compare and interpolate in
    /// `stampNanoseconds`).
    public var stamp: Double { Double(stampNanoseconds) / 1e9 }

    /// The `header` field of `message`.
    public init(of message: MessageRecord) throws(MessageDecodingError) {
        let header = try message.field("header").record()
        self.init(
            stampNanoseconds: try header.field("stamp").nanoseconds(), frameID: try header.field("frame_id").text())
    }
}
