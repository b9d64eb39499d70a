import FusionGeometry
import Testing

@testable import FusionRecording

@Suite struct MessageDecodingTests {
    @Test func parsesADefinitionWithItsDependencies() throws {
        let schema = try TestDefinitions.schema("sensor_msgs/msg/PointCloud2", TestDefinitions.pointCloud2)
        #expect(schema.root.name == "sensor_msgs/PointCloud2")
        #expect(
            schema.root.fields.map(\.name) == [
                "header", "height", "width", "fields", "is_bigendian", "point_step", "row_step", "data", "is_dense"
            ])
        #expect(schema.root.fields[3].type == .message("sensor_msgs/PointField"))
        #expect(schema.root.fields[3].multiplicity == .sequence)
        // Constants are not fields.
        #expect(
            schema.definitions["sensor_msgs/PointField"]!.fields.map(\.name) == ["name", "offset", "datatype", "count"])
    }

    @Test func arraysBoundsAndDefaults() throws {
        let schema = try TestDefinitions.schema(
            "a/B", "float64[9] k\nint32[<=5] bounded\nstring<=10 name\nuint8 level 3\nstring[] names\n")
        #expect(schema.root.fields.map(\.multiplicity) == [.fixed(9), .sequence, .single, .single, .sequence])
        #expect(schema.root.fields[2].type == .primitive(.string))
    }

    @Test func malformedDefinitionsAreErrorsWithTheirLine() {
        #expect(
            throws: MessageSchema.ParseError(
                line: 1, message: "a/B.x is of type a/Missing, which the schema does not define")
        ) {
            try TestDefinitions.schema("a/B", "Missing x\n")
        }
        #expect(throws: MessageSchema.ParseError(line: 2, message: "expected an array size in int32[x]")) {
            try TestDefinitions.schema("a/B", "int32 ok\nint32[x] bad\n")
        }
        #expect {
            try TestDefinitions.schema("a/B", "C c\n" + TestDefinitions.separator + "MSG: a/C\nB b\n")
        } throws: { error in
            "\(error)".contains("contain themselves")
        }
        #expect(throws: MessageSchema.ParseError.self) { try TestDefinitions.schema("a/B", "time t\n") }
    }

    /// A cloud of 3 points with x y z float32, intensity float64, ring uint16 and 2 padding bytes a point.
    static func cloudPayload(bigEndian: Bool) -> CDRTestEncoder {
        var cdr = CDRTestEncoder(bigEndian: bigEndian)
        cdr.header(stamp: (1_700_000_000, 250_000_000), frame: "velodyne")
        cdr.put(UInt32(1))  // height
        cdr.put(UInt32(3))  // width
        let fields: [(String, UInt32, UInt8)] = [
            ("x", 0, 7), ("y", 4, 7), ("z", 8, 7), ("intensity", 12, 8), ("ring", 20, 4)
        ]
        cdr.put(UInt32(fields.count))
        for (name, offset, datatype) in fields {
            cdr.string(name)
            cdr.put(offset)
            cdr.put(datatype)
            cdr.put(UInt32(1))
        }
        cdr.put(bigEndian)
        cdr.put(UInt32(24))  // point_step
        cdr.put(UInt32(72))  // row_step
        var data: [UInt8] = []
        func append<Value: FixedWidthInteger>(_ value: Value) {
            withUnsafeBytes(of: bigEndian ? value.bigEndian : value.littleEndian) { data += $0 }
        }
        for point in 0..<3 {
            append(Float(point).bitPattern)
            append(Float(-2 * point).bitPattern)
            append((point == 1 ? Float.nan : Float(0.5)).bitPattern)
            append((Double(point) * 0.25).bitPattern)
            append(UInt16(point + 60))
            data += [0xAB, 0xAB]
        }
        cdr.byteSequence(data)
        cdr.put(false)
        return cdr
    }

    @Test(arguments: [false, true]) func decodesAPointCloud2InEitherByteOrder(bigEndian: Bool) throws {
        let schema = try TestDefinitions.schema("sensor_msgs/msg/PointCloud2", TestDefinitions.pointCloud2)
        let record = try MessageDecoder(schema: schema, wire: .cdr).decode(
            Self.cloudPayload(bigEndian: bigEndian).payload)
        let message = try PointCloud2(record)
        #expect(message.header == RecordedHeader(stampNanoseconds: 1_700_000_000_250_000_000, frameID: "velodyne"))
        #expect(message.isBigEndian == bigEndian)
        let cloud = try message.pointCloud()
        // The point with a NaN coordinate is dropped.
        #expect(cloud.x == [0, 2])
        #expect(cloud.y == [0, -4])
        #expect(cloud.z == [0.5, 0.5])
        #expect(cloud.attributes.intensity == [0, 0.5])
        #expect(cloud.attributes.ring == [60, 62])
    }

    /// 20 points (the eight-lane finite check and its tail), a NaN at 5 and an infinity at 13 dropped.
    @Test func dropsEveryPointWithANonFiniteCoordinate() throws {
        var cdr = CDRTestEncoder()
        cdr.header(stamp: (1, 0), frame: "lidar")
        cdr.put(UInt32(1))
        cdr.put(UInt32(20))
        cdr.put(UInt32(3))
        for (index, name) in ["x", "y", "z"].enumerated() {
            cdr.string(name)
            cdr.put(UInt32(index * 4))
            cdr.put(UInt8(7))
            cdr.put(UInt32(1))
        }
        cdr.put(false)
        cdr.put(UInt32(12))
        cdr.put(UInt32(240))
        var data: [UInt8] = []
        for point in 0..<20 {
            let values: [Float] = [Float(point), point == 5 ? .nan : 1, point == 13 ? -.infinity : 2]
            for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data += $0 } }
        }
        cdr.byteSequence(data)
        cdr.put(false)
        let schema = try TestDefinitions.schema("sensor_msgs/msg/PointCloud2", TestDefinitions.pointCloud2)
        let cloud = try PointCloud2(MessageDecoder(schema: schema, wire: .cdr).decode(cdr.payload)).pointCloud()
        #expect(cloud.x == (0..<20).filter { $0 != 5 && $0 != 13 }.map(Float.init))
    }

    /// Found by the ros1-bag fuzzer: a cloud 0 points wide and 2³⁰ + 1 rows high passed the layout
    /// check (no bytes needed) and then walked a billion empty rows.
    @Test func aCloudOfNoPointsIsEmptyHoweverManyRowsItClaims() throws {
        var bytes = Self.cloudPayload(bigEndian: false).bytes
        let heightOffset = 4 + 8 + 4 + 9 + 3  // after the header: stamp, frame id (length, "velodyne\0", padding)
        #expect(bytes[heightOffset] == 1 && bytes[heightOffset + 4] == 3)
        bytes.replaceSubrange(heightOffset..<(heightOffset + 8), with: [0x01, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00])
        let schema = try TestDefinitions.schema("sensor_msgs/msg/PointCloud2", TestDefinitions.pointCloud2)
        let message = try PointCloud2(
            MessageDecoder(schema: schema, wire: .cdr).decode(ByteSlice(ByteBuffer.copying(bytes))))
        #expect((message.width, message.height) == (0, 1 << 30 + 1))
        #expect(try message.pointCloud().isEmpty)
    }

    @Test func aCloudWhoseLayoutDoesNotFitItsDataIsRefused() throws {
        let schema = try TestDefinitions.schema("sensor_msgs/msg/PointCloud2", TestDefinitions.pointCloud2)
        var bytes = Self.cloudPayload(bigEndian: false).bytes
        // width 3 → 3000: the data holds 3 points.
        let widthOffset = 4 + 8 + 4 + 9 + 3 + 4  // header: stamp, frame id (length, "velodyne\0", padding), height
        #expect(bytes[widthOffset] == 3)
        bytes[widthOffset + 1] = 0x0B
        let record = try MessageDecoder(schema: schema, wire: .cdr).decode(ByteSlice(ByteBuffer.copying(bytes)))
        #expect {
            try PointCloud2(record)
        } throws: { error in
            "\(error)".contains("does not fit in row_step")
        }
    }

    @Test func aLyingSequenceCountStopsAtItsOffset() throws {
        let schema = try TestDefinitions.schema("a/B", "float64[] values\n")
        var cdr = CDRTestEncoder()
        cdr.put(UInt32(0x7FFF_FFFF))
        cdr.put(1.5)
        #expect(
            throws: MessageDecodingError(
                message: "a/B.values claims 2147483647 elements, more than the 12 bytes left can hold", payloadOffset: 8
            )
        ) {
            try MessageDecoder(schema: schema, wire: .cdr).decode(cdr.payload)
        }
    }

    @Test func alignsEachPrimitiveFromAfterTheEncapsulationHeader() throws {
        let schema = try TestDefinitions.schema("a/B", "uint8 a\nfloat64 b\nuint16 c\nint32 d\nstring e\nbool f\n")
        var cdr = CDRTestEncoder()
        cdr.put(UInt8(7))
        cdr.put(-2.5)
        cdr.put(UInt16(9))
        cdr.put(Int32(-3))
        cdr.string("héllo")
        cdr.put(true)
        #expect(cdr.bytes.count == 4 + 8 + 8 + 2 + 2 + 4 + 4 + 7 + 1)
        let record = try MessageDecoder(schema: schema, wire: .cdr).decode(cdr.payload)
        #expect(try record.field("a").int() == 7)
        #expect(try record.field("b").double() == -2.5)
        #expect(try record.field("c").int() == 9)
        #expect(try record.field("d").int() == -3)
        #expect(try record.field("e").text() == "héllo")
        #expect(try record.field("f").bool())
    }

    @Test func decodesROS1SerializationWithTimeAndHeader() throws {
        // ROS 1: std_msgs/Header is uint32 seq, time stamp, string frame_id; little-endian, no alignment,
        // strings without a terminator.
        let text =
            "Header header\nfloat32 range\n" + TestDefinitions.separator
            + "MSG: std_msgs/Header\nuint32 seq\ntime stamp\nstring frame_id\n"
        let schema = try MessageSchema.parse(name: "sensor_msgs/Range", text: text, dialect: .ros1)
        var bytes: [UInt8] = []
        func append<Value: FixedWidthInteger>(_ value: Value) {
            withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
        }
        append(UInt32(42))
        append(UInt32(1_600_000_000))
        append(UInt32(500_000_000))
        append(UInt32(4))
        bytes += Array("base".utf8)
        append(Float(3.25).bitPattern)
        let record = try MessageDecoder(schema: schema, wire: .ros1).decode(ByteSlice(ByteBuffer.copying(bytes)))
        #expect(
            try RecordedHeader(of: record)
                == RecordedHeader(stampNanoseconds: 1_600_000_000_500_000_000, frameID: "base"))
        #expect(try record.field("range").double() == 3.25)
    }

    @Test func unsupportedEncapsulationIsNamed() throws {
        let schema = try TestDefinitions.schema("a/B", "uint8 a\n")
        #expect {
            try MessageDecoder(schema: schema, wire: .cdr).decode(ByteSlice(ByteBuffer.copying([0x00, 0x07, 0, 0, 1])))
        } throws: { error in
            "\(error)".contains("unsupported CDR encapsulation 0x07")
        }
    }
}
