import Foundation
import FuzzTargets
import FusionRecording

/// Seeds for the recording targets: the first points of a real sweep as a PointCloud2, encoded here
/// from the specifications: ROS 2 CDR in an MCAP file (uncompressed and zstd) and alone with its
/// definition, and ROS 1 serialization in a bag of one uncompressed chunk.
enum RecordingSeeds {
    static let definition = ROS2Definitions.builtIn["sensor_msgs/PointCloud2"]!

    /// x y z intensity records of 16 bytes (a KITTI `.bin`'s layout) as a PointCloud2: CDR (aligned,
    /// strings with their NUL, after the encapsulation header) or ROS 1 (packed, a header `seq`).
    static func pointCloud2(points: Data, ros1: Bool = false) -> [UInt8] {
        var bytes: [UInt8] = ros1 ? [] : [0x00, 0x01, 0x00, 0x00]
        func align(_ size: Int) { while !ros1 && (bytes.count - 4) % size != 0 { bytes.append(0) } }
        func put<Value: FixedWidthInteger>(_ value: Value) {
            align(MemoryLayout<Value>.size)
            withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
        }
        func string(_ text: String) {
            put(UInt32(text.utf8.count + (ros1 ? 0 : 1)))
            bytes += text.utf8
            if !ros1 { bytes.append(0) }
        }
        if ros1 { put(UInt32(0)) }
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
        try seed(.ros1Bag, "kitti-none.bag", Data(ros1Bag(message: pointCloud2(points: sweep, ros1: true))))
    }

    /// A bag (format 2.0) of one connection and one message in an uncompressed chunk.
    static func ros1Bag(message: [UInt8]) -> [UInt8] {
        func le<Value: FixedWidthInteger>(_ value: Value) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
        func field(_ name: String, _ value: [UInt8]) -> [UInt8] {
            let bytes = Array((name + "=").utf8) + value
            return le(UInt32(bytes.count)) + bytes
        }
        func record(_ fields: [[UInt8]], data: [UInt8]) -> [UInt8] {
            let header = fields.flatMap { $0 }
            return le(UInt32(header.count)) + header + le(UInt32(data.count)) + data
        }
        let ros1Definition = definition.replacingOccurrences(of: "builtin_interfaces/Time stamp", with: "uint32 seq\ntime stamp")
        let connection = field("topic", Array("/velodyne_points".utf8)) + field("type", Array("sensor_msgs/PointCloud2".utf8))
            + field("md5sum", Array("1158d486dd51d683ce2f1be655c3c181".utf8)) + field("message_definition", Array(ros1Definition.utf8))
        let records = record([field("op", [0x07]), field("conn", le(UInt32(0))), field("topic", Array("/velodyne_points".utf8))], data: connection)
            + record([field("op", [0x02]), field("conn", le(UInt32(0))), field("time", le(UInt32(1_700_000_000)) + le(UInt32(0)))], data: message)
        let chunk = record([field("op", [0x05]), field("compression", Array("none".utf8)), field("size", le(UInt32(records.count)))], data: records)
        let header = record([field("op", [0x03]), field("index_pos", le(UInt64(0))), field("conn_count", le(UInt32(1))),
                             field("chunk_count", le(UInt32(1)))], data: [UInt8](repeating: 0x20, count: 32))
        return ROS1Bag.magic + header + chunk
    }
}
