import FusionIO
import FusionRecording

/// Decodes a whole recording the way an import reads it: what `inspect --decode` reports.
enum RecordingDecodeCheck {
    struct Counts {
        var messages = 0
        /// Nil for topics that are not point clouds.
        var points: Int?
    }

    /// Every topic met, and per topic the messages decoded and, for point clouds, their finite points:
    /// one pass over the recording.
    /// - Throws: `ReadError` at the first message that does not decode or is not a valid sensor message.
    static func run(_ recording: Recording) throws(ReadError) -> (topics: [Recording.Topic], counts: [String: Counts]) {
        var counts: [String: Counts] = [:]
        var messages = recording.messages()
        while let recorded = try messages.next() {
            var topic = counts[recorded.topic] ?? Counts()
            topic.messages += 1
            do {
                switch recorded.type {
                case "sensor_msgs/PointCloud2":
                    topic.points = (topic.points ?? 0) + (try PointCloud2(recorded.message).pointCloud().count)
                case "sensor_msgs/Image": _ = try RecordedImage(image: recorded.message)
                case "sensor_msgs/CompressedImage": _ = try RecordedImage(compressedImage: recorded.message)
                case "sensor_msgs/CameraInfo": _ = try RecordedCameraInfo(recorded.message)
                case "tf2_msgs/TFMessage": _ = try RecordedTransform.transforms(ofTFMessage: recorded.message)
                case "nav_msgs/Odometry": _ = try RecordedTransform(odometry: recorded.message)
                default: break
                }
            } catch {
                throw recorded.error(error)
            }
            counts[recorded.topic] = topic
        }
        return (messages.topicsSeen.values.sorted { $0.topic < $1.topic }, counts)
    }
}
