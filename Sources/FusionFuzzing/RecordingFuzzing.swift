import Foundation
import FusionRecording

/// The recording readers as the fuzz targets drive them.
enum RecordingFuzzing {
    /// A chunk may claim at most 16 MiB here: the fuzzer's memory limit is the point, not the default.
    static let limits = MCAPReader.Limits(maximumChunkSize: 1 << 24)

    static func consumeMCAP(_ data: Data) {
        guard let reader = try? MCAPReader(bytes: ByteBuffer.copying(data), name: "<fuzz>", limits: limits) else {
            return
        }
        _ = try? reader.summary()
        consumeMessages(reader.messages())
    }

    static func consumeROS1Bag(_ data: Data) {
        guard let bag = try? ROS1Bag(bytes: ByteBuffer.copying(data), name: "<fuzz>", limits: limits) else { return }
        consumeMessages(bag.messages())
    }

    /// Every message decoded by its channel's schema and read as each sensor message.
    private static func consumeMessages(_ stream: some MessageStream) {
        var messages = stream
        var decoders: [UInt16: MessageDecoder?] = [:]
        while let message = try? messages.next() {
            guard let channel = messages.channels[message.channelID] else { continue }
            if decoders[channel.id] == nil {
                decoders[channel.id] = .some(
                    try? MessageDecoder(channel: channel, schema: messages.schemas[channel.schemaID]))
            }
            guard let decoder = decoders[channel.id] ?? nil, let record = try? decoder.decode(message.data) else {
                continue
            }
            readAsSensorMessages(record)
        }
    }

    static func consumeMessage(_ data: Data) {
        guard let separator = data.firstIndex(of: 0x1E),
            let schema = try? MessageSchema.parse(
                name: "fuzz/Root", text: String(decoding: data[..<separator], as: UTF8.self), dialect: .ros2),
            let record = try? MessageDecoder(schema: schema, wire: .cdr).decode(
                ByteSlice(ByteBuffer.copying(data[(separator + 1)...])))
        else { return }
        readAsSensorMessages(record)
    }

    /// Every conversion reads fields by name, so any schema can reach them.
    private static func readAsSensorMessages(_ record: MessageRecord) {
        if let cloud = try? PointCloud2(record) { _ = try? cloud.pointCloud() }
        _ = try? RecordedImage(image: record)
        _ = try? RecordedImage(compressedImage: record)
        _ = try? RecordedCameraInfo(record)
        _ = try? RecordedTransform.transforms(ofTFMessage: record)
        _ = try? RecordedTransform(odometry: record)
    }
}
