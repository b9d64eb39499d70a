import Foundation
import FusionRecording

/// Seeds for the recording targets: the first points of a real sweep as a ROS 2 PointCloud2 (CDR,
/// encoded here from the specification) in an MCAP file, uncompressed and zstd, and alone with its
/// definition.
enum RecordingSeeds {
    static let definition = """
        std_msgs/Header header
        uint32 height
        uint32 width
        PointField[] fields
        bool is_bigendian
        uint32 point_step
        uint32 row_step
        uint8[] data
        bool is_dense
        ================================================================================
        MSG: std_msgs/Header
        builtin_interfaces/Time stamp
        string frame_id
        ================================================================================
        MSG: builtin_interfaces/Time
        int32 sec
        uint32 nanosec
        ================================================================================
        MSG: sensor_msgs/PointField
        uint8 FLOAT32 = 7
        string name
        uint32 offset
        uint8 datatype
        uint32 count
        """

    /// x y z intensity records of 16 bytes (a KITTI `.bin`'s layout) as a CDR PointCloud2.
    static func pointCloud2(points: Data) -> [UInt8] {
        var bytes: [UInt8] = [0x00, 0x01, 0x00, 0x00]
        func align(_ size: Int) { while (bytes.count - 4) % size != 0 { bytes.append(0) } }
        func put<Value: FixedWidthInteger>(_ value: Value) {
            align(MemoryLayout<Value>.size)
            withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
        }
        func string(_ text: String) {
            put(UInt32(text.utf8.count + 1))
            bytes += text.utf8
            bytes.append(0)
        }
        put(Int32(1_700_000_000))
        put(UInt32(0))
        string("velodyne")
        put(UInt32(1))
        put(UInt32(points.count / 16))
        put(UInt32(4))
        for (index, name) in ["x", "y", "z", "intensity"].enumerated() {
            string(name)
            put(UInt32(index * 4))
            put(UInt8(7))
            put(UInt32(1))
        }
        put(UInt8(0))
        put(UInt32(16))
        put(UInt32(points.count))
        put(UInt32(points.count))
        bytes += points
        put(UInt8(1))
        return bytes
    }

    static func write(sweep: Data, seed: (ReaderFuzzTarget, String, Data) throws -> Void) throws {
        let message = pointCloud2(points: sweep)
        for (name, compression) in [("kitti-none.mcap", MCAPWriter.Compression.none), ("kitti-zstd.mcap", .zstd(level: 3))] {
            var writer = MCAPWriter(profile: "ros2", compression: compression)
            let schema = writer.addSchema(name: "sensor_msgs/msg/PointCloud2", encoding: "ros2msg", data: Array(definition.utf8))
            let channel = writer.addChannel(topic: "/velodyne_points", messageEncoding: "cdr", schemaID: schema)
            writer.addMessage(channelID: channel, logTime: 1_700_000_000_000_000_000, publishTime: 1_700_000_000_000_000_000, data: message)
            try seed(.mcap, name, Data(writer.finish()))
        }
        try seed(.rosMessage, "kitti-pointcloud2.bin", Data(definition.utf8) + Data([0x1E]) + Data(message))
    }
}
