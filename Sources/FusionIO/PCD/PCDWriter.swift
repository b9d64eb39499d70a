import Foundation
import FusionGeometry

/// Writes a `PointCloud` as a PCD v0.7 file that PCL and this reader load back unchanged.
///
/// Fields, in order: `x y z` (F4), then whichever attributes are present: `intensity` (F4),
/// `ring` (U2), `time` (F8, seconds), `rgba` (U4, packed 0xAARRGGBB), then the named scalars
/// sorted by name (F4). Organized clouds keep their WIDTH and HEIGHT.
public enum PCDWriter {
    /// The encodings this writer produces.
    public enum Encoding: Sendable {
        case ascii, binary, binaryCompressed

        var headerEncoding: PCDHeader.Encoding {
            switch self {
            case .ascii: .ascii
            case .binary: .binary
            case .binaryCompressed: .binaryCompressed
            }
        }
    }

    /// Writes `cloud` to `path` atomically (temporary file, flush, rename).
    public static func write(_ cloud: PointCloud, to path: String, encoding: Encoding = .binaryCompressed)
        throws(WriteError)
    {
        try FileAccess.writeAtomically(data(for: cloud, encoding: encoding), to: path)
    }

    /// The bytes of the PCD file for `cloud`.
    public static func data(for cloud: PointCloud, encoding: Encoding = .binaryCompressed) -> Data {
        let columns = Self.columns(of: cloud)
        let (width, height): (Int, Int) =
            switch cloud.layout {
            case .unorganized: (cloud.count, 1)
            case .organized(let width, let height): (width, height)
            }
        let header = PCDHeader(
            fields: columns.map(\.field), width: width, height: height,
            encoding: encoding.headerEncoding)
        var data = Data(header.text.utf8)
        switch encoding {
        case .ascii:
            var text = ""
            for index in 0..<cloud.count {
                text += columns.map { $0.text(index) }.joined(separator: " ")
                text += "\n"
            }
            data.append(contentsOf: text.utf8)
        case .binary:
            var payload = [UInt8](repeating: 0, count: header.pointStep * cloud.count)
            payload.withUnsafeMutableBytes { bytes in
                var offset = 0
                for column in columns {
                    column.store(into: bytes, start: offset, stride: header.pointStep)
                    offset += column.field.byteCount
                }
            }
            data.append(contentsOf: payload)
        case .binaryCompressed:
            // Field-major before compression: every x, then every y, ...
            var payload = [UInt8](repeating: 0, count: header.pointStep * cloud.count)
            payload.withUnsafeMutableBytes { bytes in
                var offset = 0
                for column in columns {
                    column.store(into: bytes, start: offset, stride: column.field.byteCount)
                    offset += column.field.byteCount * cloud.count
                }
            }
            let compressed = payload.withUnsafeBytes { LZF.compress($0) }
            withUnsafeBytes(of: UInt32(compressed.count).littleEndian) { data.append(contentsOf: $0) }
            withUnsafeBytes(of: UInt32(payload.count).littleEndian) { data.append(contentsOf: $0) }
            data.append(contentsOf: compressed)
        }
        return data
    }

    /// One output field and how to write its values.
    private struct Column {
        var field: PCDHeader.Field
        var text: (Int) -> String
        var store: (UnsafeMutableRawBufferPointer, _ start: Int, _ stride: Int) -> Void

        func store(into bytes: UnsafeMutableRawBufferPointer, start: Int, stride: Int) {
            store(bytes, start, stride)
        }

        init<Value: BitwiseCopyable>(
            name: String, type: PCDHeader.ScalarType, values: [Value], text: @escaping (Value) -> String
        ) {
            field = PCDHeader.Field(name: name, type: type)
            self.text = { text(values[$0]) }
            self.store = { bytes, start, stride in
                var offset = start
                for value in values {
                    bytes.storeBytes(of: value, toByteOffset: offset, as: Value.self)
                    offset += stride
                }
            }
        }
    }

    private static func columns(of cloud: PointCloud) -> [Column] {
        let float: (Float) -> String = { PCDNumberFormat.string($0) }
        var columns = [
            Column(name: "x", type: .float32, values: cloud.x, text: float),
            Column(name: "y", type: .float32, values: cloud.y, text: float),
            Column(name: "z", type: .float32, values: cloud.z, text: float)
        ]
        let attributes = cloud.attributes
        if let intensity = attributes.intensity {
            columns.append(Column(name: "intensity", type: .float32, values: intensity, text: float))
        }
        if let ring = attributes.ring {
            columns.append(Column(name: "ring", type: .uint16, values: ring) { String($0) })
        }
        if let time = attributes.time { columns.append(Column(name: "time", type: .float64, values: time) { "\($0)" }) }
        if let color = attributes.color {
            columns.append(Column(name: "rgba", type: .uint32, values: color.map(\.packed)) { String($0) })
        }
        for name in attributes.scalars.keys.sorted() {
            precondition(
                !name.isEmpty && !name.contains(where: \.isWhitespace), "a PCD field name is one word, got '\(name)'")
            columns.append(Column(name: name, type: .float32, values: attributes.scalars[name]!, text: float))
        }
        return columns
    }
}
