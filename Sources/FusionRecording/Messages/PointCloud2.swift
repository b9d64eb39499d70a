import FusionGeometry

/// `sensor_msgs/PointCloud2` into a `PointCloud`.
///
/// Every `PointField` datatype is read, in either byte order, with any `point_step` and `row_step`
/// padding. Fields map to columns by name: `x`, `y`, `z` (required), `intensity` (or `i`,
/// `reflectance`), `ring`, and the per-point time `time`, `t`, `timestamp` or `time_offset`
/// (floating-point values are seconds, integer values nanoseconds, as the Velodyne, Hesai and Ouster
/// drivers write them); any other field becomes a named scalar. Points with a non-finite coordinate
/// (an organized cloud's missing returns) are dropped, so the cloud is unorganized.
public struct PointCloud2: Sendable {
    /// The `PointField` datatypes, by their constants.
    public enum Datatype: UInt8, Sendable {
        case int8 = 1, uint8 = 2, int16 = 3, uint16 = 4, int32 = 5, uint32 = 6, float32 = 7, float64 = 8

        var size: Int {
            switch self {
            case .int8, .uint8: 1
            case .int16, .uint16: 2
            case .int32, .uint32, .float32: 4
            case .float64: 8
            }
        }

        var isFloatingPoint: Bool { self == .float32 || self == .float64 }
    }

    public struct Field: Equatable, Sendable {
        public var name: String
        public var offset: Int
        public var datatype: Datatype
        public var count: Int
    }

    public var header: RecordedHeader
    public var width: Int
    public var height: Int
    public var fields: [Field]
    public var pointStep: Int
    var rowStep: Int
    var isBigEndian: Bool
    public var data: ByteSlice

    /// Reads the message's fields and checks that its layout fits its data.
    public init(_ message: MessageRecord) throws(MessageDecodingError) {
        header = try RecordedHeader(of: message)
        width = try message.field("width").int()
        height = try message.field("height").int()
        pointStep = try message.field("point_step").int()
        rowStep = try message.field("row_step").int()
        isBigEndian = try message.field("is_bigendian").bool()
        data = try message.field("data").byteSlice()
        var fields: [Field] = []
        for value in try message.field("fields").list() {
            let field = try value.record()
            let name = try field.field("name").text()
            let code = try field.field("datatype").int()
            guard let datatype = Datatype(rawValue: UInt8(clamping: code)) else {
                throw MessageDecodingError(
                    message: "PointCloud2 field \"\(name)\" has datatype \(code), not one of 1–8")
            }
            fields.append(
                Field(
                    name: name, offset: try field.field("offset").int(), datatype: datatype,
                    count: max(1, try field.field("count").int())))
        }
        self.fields = fields
        try checkLayout()
    }

    /// The points, as a cloud in the message's frame (`header.frameID`).
    public func pointCloud() throws(MessageDecodingError) -> PointCloud {
        // No points: nothing to read, however many rows of none the message claims.
        guard width > 0 && height > 0 else { return PointCloud() }
        func required(_ name: String) throws(MessageDecodingError) -> Field {
            guard let field = fields.first(where: { $0.name == name }) else {
                throw MessageDecodingError(
                    message:
                        "PointCloud2 has no \"\(name)\" field (it has \(fields.map(\.name).joined(separator: ", ")))")
            }
            return field
        }
        let (x, y, z) = positions(try required("x"), try required("y"), try required("z"))
        let finite = (0..<x.count).lazy.filter { x[$0].isFinite && y[$0].isFinite && z[$0].isFinite }
        let keepsAll = x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in z.withUnsafeBufferPointer { z in Self.allFinite(x, y, z) } }
        }
        let kept = keepsAll ? [] : Array(finite)
        func select<T>(_ values: [T]) -> [T] { keepsAll ? values : kept.map { values[$0] } }

        var attributes = PointAttributes()
        var named: Set<String> = ["x", "y", "z"]
        if let intensity = ["intensity", "i", "reflectance"].lazy.compactMap({ name in
            self.fields.first { $0.name == name }
        }).first {
            attributes.intensity = select(column(intensity, as: Float.self))
            named.insert(intensity.name)
        }
        if let ring = fields.first(where: { $0.name == "ring" }) {
            attributes.ring = select(
                column(ring, as: Double.self).map { UInt16(clamping: Int(exactly: $0.rounded()) ?? 0) })
            named.insert(ring.name)
        }
        if let time = ["time", "t", "timestamp", "time_offset"].lazy.compactMap({ name in
            self.fields.first { $0.name == name }
        }).first {
            let scale = time.datatype.isFloatingPoint ? 1 : 1e-9
            attributes.time = select(column(time, as: Double.self).map { $0 * scale })
            named.insert(time.name)
        }
        for field in fields where !named.contains(field.name) {
            for element in 0..<field.count {
                let name = field.count == 1 ? field.name : "\(field.name).\(element)"
                attributes.scalars[name] = select(column(field, element: element, as: Float.self))
            }
        }
        return PointCloud(x: select(x), y: select(y), z: select(z), attributes: attributes)
    }

    /// The x, y and z columns. When all three are little-endian `float32` (nearly every driver), one
    /// pass reads them together; otherwise each is converted by `column`.
    func positions(_ x: Field, _ y: Field, _ z: Field) -> ([Float], [Float], [Float]) {
        guard [x, y, z].allSatisfy({ $0.datatype == .float32 }), !isBigEndian, UInt32(littleEndian: 1) == 1 else {
            return (column(x, as: Float.self), column(y, as: Float.self), column(z, as: Float.self))
        }
        let count = width * height
        let bytes = data.bytes
        var columns = (
            [Float](repeating: 0, count: count), [Float](repeating: 0, count: count),
            [Float](repeating: 0, count: count)
        )
        columns.0.withUnsafeMutableBufferPointer { xs in
            columns.1.withUnsafeMutableBufferPointer { ys in
                columns.2.withUnsafeMutableBufferPointer { zs in
                    var index = 0
                    for row in 0..<height {
                        var offset = row * rowStep
                        for _ in 0..<width {
                            xs[index] = bytes.loadUnaligned(fromByteOffset: offset + x.offset, as: Float.self)
                            ys[index] = bytes.loadUnaligned(fromByteOffset: offset + y.offset, as: Float.self)
                            zs[index] = bytes.loadUnaligned(fromByteOffset: offset + z.offset, as: Float.self)
                            index += 1
                            offset += pointStep
                        }
                    }
                }
            }
        }
        return columns
    }

    /// Whether every point has finite coordinates, eight at a time: v·0 is 0 for a finite v and NaN
    /// otherwise, so the lanes' sum stays zero exactly when every value is finite.
    static func allFinite(
        _ x: UnsafeBufferPointer<Float>, _ y: UnsafeBufferPointer<Float>, _ z: UnsafeBufferPointer<Float>
    ) -> Bool {
        var sum = SIMD8<Float>.zero
        var index = 0
        func lanes(_ column: UnsafeBufferPointer<Float>) -> SIMD8<Float> {
            UnsafeRawPointer(column.baseAddress! + index).loadUnaligned(as: SIMD8<Float>.self)
        }
        while index + 8 <= x.count {
            sum += lanes(x) * 0 + lanes(y) * 0 + lanes(z) * 0
            index += 8
        }
        while index < x.count {
            guard x[index].isFinite && y[index].isFinite && z[index].isFinite else { return false }
            index += 1
        }
        return sum == .zero
    }

    /// One value per point of `field` (its `element`-th value when it has several), converted to `Value`.
    func column<Value: BinaryFloatingPoint>(_ field: Field, element: Int = 0, as _: Value.Type) -> [Value] {
        let count = width * height
        let base = field.offset + element * field.datatype.size
        let bytes = data.bytes
        let bigEndian = isBigEndian
        return [Value](unsafeUninitializedCapacity: count) { output, initialized in
            func fill<Raw: FixedWidthInteger>(_: Raw.Type, _ convert: (Raw) -> Value) {
                var index = 0
                for row in 0..<height {
                    var offset = row * rowStep + base
                    for _ in 0..<width {
                        let raw = bytes.loadUnaligned(fromByteOffset: offset, as: Raw.self)
                        output[index] = convert(bigEndian ? Raw(bigEndian: raw) : Raw(littleEndian: raw))
                        index += 1
                        offset += pointStep
                    }
                }
            }
            switch field.datatype {
            case .int8: fill(Int8.self) { Value($0) }
            case .uint8: fill(UInt8.self) { Value($0) }
            case .int16: fill(Int16.self) { Value($0) }
            case .uint16: fill(UInt16.self) { Value($0) }
            case .int32: fill(Int32.self) { Value($0) }
            case .uint32: fill(UInt32.self) { Value($0) }
            case .float32: fill(UInt32.self) { Value(Float(bitPattern: $0)) }
            case .float64: fill(UInt64.self) { Value(Double(bitPattern: $0)) }
            }
            initialized = count
        }
    }

    private func checkLayout() throws(MessageDecodingError) {
        func fail(_ message: String) -> MessageDecodingError {
            MessageDecodingError(message: "PointCloud2: \(message)")
        }
        guard width >= 0, height >= 0, pointStep >= 0, rowStep >= 0 else { throw fail("negative size") }
        for field in fields {
            let (size, overflow) = field.datatype.size.multipliedReportingOverflow(by: field.count)
            guard !overflow, field.offset >= 0, field.offset + size <= pointStep else {
                throw fail(
                    "field \"\(field.name)\" (offset \(field.offset), \(field.count) × \(field.datatype)) does not fit in a point of \(pointStep) bytes"
                )
            }
        }
        guard width == 0 || height == 0 || (pointStep > 0 && width <= rowStep / pointStep) else {
            throw fail("a row of \(width) points of \(pointStep) bytes does not fit in row_step \(rowStep)")
        }
        let (lastRow, overflow) = rowStep.multipliedReportingOverflow(by: max(height - 1, 0))
        let needed = height == 0 || width == 0 ? 0 : lastRow + width * pointStep
        guard !overflow, needed <= data.count else {
            throw fail("\(width) × \(height) points need \(needed) bytes of data, the message has \(data.count)")
        }
    }
}
