import FusionIO
import Testing

@testable import FusionRecording

@Suite struct SensorMessageTests {
    static let imageDefinition =
        "std_msgs/Header header\nuint32 height\nuint32 width\nstring encoding\nuint8 is_bigendian\nuint32 step\nuint8[] data\n"
        + TestDefinitions.separator + TestDefinitions.header + TestDefinitions.separator + TestDefinitions.time

    static func image(encoding: String, width: Int, height: Int, step: Int, bigEndian: Bool = false, data: [UInt8])
        throws -> MessageRecord
    {
        var cdr = CDRTestEncoder()
        cdr.header(stamp: (10, 5), frame: "cam")
        cdr.put(UInt32(height))
        cdr.put(UInt32(width))
        cdr.string(encoding)
        cdr.put(UInt8(bigEndian ? 1 : 0))
        cdr.put(UInt32(step))
        cdr.byteSequence(data)
        let schema = try TestDefinitions.schema("sensor_msgs/msg/Image", imageDefinition)
        return try MessageDecoder(schema: schema, wire: .cdr).decode(cdr.payload)
    }

    @Test func bgrRowsWithPaddingBecomeRGB() throws {
        // 2 × 2 pixels, rows of 6 bytes padded to 8.
        let data: [UInt8] = [1, 2, 3, 4, 5, 6, 0xEE, 0xEE, 7, 8, 9, 10, 11, 12, 0xEE, 0xEE]
        let image = try RecordedImage(image: Self.image(encoding: "bgr8", width: 2, height: 2, step: 8, data: data))
        guard case .rgb8(let pixels) = image.pixels else {
            Issue.record("expected RGB")
            return
        }
        #expect(pixels == [3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10])
        #expect(image.header == RecordedHeader(stampNanoseconds: 10_000_000_005, frameID: "cam"))
    }

    @Test func mono16InEitherByteOrder() throws {
        let little = try RecordedImage(
            image: Self.image(encoding: "mono16", width: 2, height: 1, step: 4, data: [0x34, 0x12, 0xFF, 0x00]))
        let big = try RecordedImage(
            image: Self.image(
                encoding: "16UC1", width: 2, height: 1, step: 4, bigEndian: true, data: [0x12, 0x34, 0x00, 0xFF]))
        guard case .mono16(let a) = little.pixels, case .mono16(let b) = big.pixels else {
            Issue.record("expected mono16")
            return
        }
        #expect(a == [0x1234, 0x00FF])
        #expect(b == [0x1234, 0x00FF])
    }

    @Test func anImageLargerThanItsDataIsRefused() throws {
        #expect {
            try RecordedImage(
                image: Self.image(encoding: "rgb8", width: 100_000, height: 100_000, step: 300_000, data: [1, 2, 3]))
        } throws: { error in
            "\(error)".contains("needs more than its 3 bytes")
        }
        // No bytes needed for zero-width rows, but no image either (and no billion-row walk).
        #expect {
            try RecordedImage(image: Self.image(encoding: "mono8", width: 0, height: 1 << 30, step: 0, data: []))
        } throws: { error in
            "\(error)".contains("an image needs pixels")
        }
        #expect {
            try RecordedImage(image: Self.image(encoding: "yuv422", width: 1, height: 1, step: 2, data: [1, 2]))
        } throws: { error in
            "\(error)".contains("\"yuv422\" is not read")
        }
    }

    static let infoDefinition =
        "std_msgs/Header header\nuint32 height\nuint32 width\nstring distortion_model\nfloat64[] d\nfloat64[9] k\n"
        + TestDefinitions.separator + TestDefinitions.header + TestDefinitions.separator + TestDefinitions.time

    static func cameraInfo(model: String, d: [Double], k: [Double] = [700, 0, 600, 0, 710, 180, 0, 0, 1]) throws
        -> RecordedCameraInfo
    {
        var cdr = CDRTestEncoder()
        cdr.header(stamp: (1, 0), frame: "cam")
        cdr.put(UInt32(375))
        cdr.put(UInt32(1242))
        cdr.string(model)
        cdr.put(UInt32(d.count))
        for value in d { cdr.put(value) }
        for value in k { cdr.put(value) }
        let schema = try TestDefinitions.schema("sensor_msgs/CameraInfo", infoDefinition)
        return try RecordedCameraInfo(MessageDecoder(schema: schema, wire: .cdr).decode(cdr.payload))
    }

    @Test func cameraInfoModelsMapToTheEngineLenses() throws {
        let plumbBob = try Self.cameraInfo(model: "plumb_bob", d: [-0.1, 0.02, 0.001, -0.002, 0.003])
        #expect(plumbBob.lens == .pinhole)
        #expect(plumbBob.distortion == [-0.1, 0.02, 0.001, -0.002, 0.003])
        #expect([plumbBob.fx, plumbBob.fy, plumbBob.cx, plumbBob.cy] == [700, 710, 600, 180])
        #expect(try Self.cameraInfo(model: "rational_polynomial", d: [1, 2, 3, 4, 5, 6, 7, 8]).distortion.count == 8)
        let fisheye = try Self.cameraInfo(model: "equidistant", d: [0.1, 0.01, 0, 0])
        #expect(fisheye.lens == .fisheye)
        #expect(try Self.cameraInfo(model: "plumb_bob", d: [0, 0, 0, 0, 0]).distortion.isEmpty)
        #expect {
            try Self.cameraInfo(model: "plumb_bob", d: [1, 2, 3])
        } throws: { error in
            "\(error)".contains("\"plumb_bob\" with 3 coefficients")
        }
        #expect(throws: MessageDecodingError.self) {
            try Self.cameraInfo(model: "plumb_bob", d: [], k: [0, 0, 0, 0, 0, 0, 0, 0, 1])
        }
    }
}
