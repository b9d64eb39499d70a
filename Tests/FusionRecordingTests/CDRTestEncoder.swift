@testable import FusionRecording

/// A minimal CDR (XCDR1) encoder written from the specification for tests: the encapsulation header,
/// then every primitive aligned to its size counted from after the header.
struct CDRTestEncoder {
    private(set) var bytes: [UInt8]
    let bigEndian: Bool

    init(bigEndian: Bool = false) {
        self.bigEndian = bigEndian
        bytes = [0x00, bigEndian ? 0x00 : 0x01, 0x00, 0x00]
    }

    mutating func align(_ size: Int) {
        while (bytes.count - 4) % size != 0 { bytes.append(0) }
    }

    mutating func put<Value: FixedWidthInteger>(_ value: Value) {
        align(MemoryLayout<Value>.size)
        withUnsafeBytes(of: bigEndian ? value.bigEndian : value.littleEndian) { bytes += $0 }
    }

    mutating func put(_ value: Float) { put(value.bitPattern) }
    mutating func put(_ value: Double) { put(value.bitPattern) }
    mutating func put(_ value: Bool) { put(UInt8(value ? 1 : 0)) }

    mutating func string(_ text: String) {
        put(UInt32(text.utf8.count + 1))
        bytes += text.utf8
        bytes.append(0)
    }

    mutating func byteSequence(_ data: [UInt8]) {
        put(UInt32(data.count))
        bytes += data
    }

    mutating func header(stamp: (sec: Int32, nanosec: UInt32), frame: String) {
        put(stamp.sec)
        put(stamp.nanosec)
        string(frame)
    }

    var payload: ByteSlice { ByteSlice(ByteBuffer.copying(bytes)) }
}

/// ROS 2 definitions as `ros2 bag record` stores them (the root, then each dependency after a line of '=').
enum TestDefinitions {
    static let separator = "\n" + String(repeating: "=", count: 80) + "\n"
    static let header = "MSG: std_msgs/Header\nbuiltin_interfaces/Time stamp\nstring frame_id\n"
    static let time = "MSG: builtin_interfaces/Time\nint32 sec\nuint32 nanosec\n"

    static let pointCloud2 = """
        # This message holds a collection of N-dimensional points.
        std_msgs/Header header
        uint32 height
        uint32 width
        PointField[] fields
        bool    is_bigendian # Is this data bigendian?
        uint32  point_step   # Length of a point in bytes
        uint32  row_step
        uint8[] data
        bool is_dense
        """ + separator + header + separator + time + separator + """
            MSG: sensor_msgs/PointField
            uint8 INT8    = 1
            uint8 FLOAT32 = 7
            uint8 FLOAT64=8
            string name
            uint32 offset
            uint8  datatype
            uint32 count
            """

    static func schema(_ name: String, _ text: String) throws -> MessageSchema {
        try MessageSchema.parse(name: name, text: text, dialect: .ros2)
    }
}
