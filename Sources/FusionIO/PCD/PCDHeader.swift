/// The header of a PCD file (Point Cloud Library format, version 0.7 and the older 0.5/0.6).
///
/// The header is ASCII lines `VERSION`, `FIELDS`, `SIZE`, `TYPE`, `COUNT`, `WIDTH`, `HEIGHT`,
/// `VIEWPOINT`, `POINTS`, `DATA`; the payload starts right after the `DATA` line.
public struct PCDHeader: Equatable, Sendable {
    /// How the payload is stored.
    public enum Encoding: String, Sendable {
        /// One line of whitespace-separated numbers per point.
        case ascii
        /// Points one after another (array of structures), little-endian, `pointStep` bytes each.
        case binary
        /// LZF-compressed, and inside the compressed block stored field by field (structure of arrays).
        case binaryCompressed = "binary_compressed"
    }

    /// The scalar kind of a field: `TYPE` letter and `SIZE` together.
    public enum ScalarType: Hashable, Sendable {
        case int8, uint8, int16, uint16, int32, uint32, int64, uint64, float32, float64

        /// The `SIZE` value, in bytes.
        public var size: Int {
            switch self {
            case .int8, .uint8: 1
            case .int16, .uint16: 2
            case .int32, .uint32, .float32: 4
            case .int64, .uint64, .float64: 8
            }
        }

        /// The `TYPE` letter: `I` signed, `U` unsigned, `F` floating point.
        public var letter: Character {
            switch self {
            case .int8, .int16, .int32, .int64: "I"
            case .uint8, .uint16, .uint32, .uint64: "U"
            case .float32, .float64: "F"
            }
        }

        /// The scalar type for a `TYPE` letter and `SIZE`, or nil for combinations PCD does not define.
        public init?(letter: Character, size: Int) {
            switch (letter, size) {
            case ("I", 1): self = .int8
            case ("U", 1): self = .uint8
            case ("I", 2): self = .int16
            case ("U", 2): self = .uint16
            case ("I", 4): self = .int32
            case ("U", 4): self = .uint32
            case ("I", 8): self = .int64
            case ("U", 8): self = .uint64
            case ("F", 4): self = .float32
            case ("F", 8): self = .float64
            default: return nil
            }
        }
    }

    /// One `FIELDS` entry.
    public struct Field: Equatable, Sendable {
        /// The field name; `_` marks padding.
        public var name: String
        public var type: ScalarType
        /// Elements per point; 0 is legal (the field takes no bytes).
        public var count: Int

        public init(name: String, type: ScalarType, count: Int = 1) {
            self.name = name
            self.type = type
            self.count = count
        }

        /// Bytes per point.
        public var byteCount: Int { type.size * count }

        /// Whether the field is padding (`_`), skipped by readers.
        var isPadding: Bool { name == "_" }
    }

    public var version: String
    public var fields: [Field]
    public var width: Int
    public var height: Int
    /// The sensor pose the points were acquired from (`VIEWPOINT tx ty tz qw qx qy qz`), as
    /// `cloudFromSensor`; identity when the header omits it.
    var viewpoint: [Double]
    public var pointCount: Int
    public var encoding: Encoding

    public init(
        version: String = "0.7", fields: [Field], width: Int, height: Int = 1,
        viewpoint: [Double] = [0, 0, 0, 1, 0, 0, 0], encoding: Encoding
    ) {
        self.version = version
        self.fields = fields
        self.width = width
        self.height = height
        self.viewpoint = viewpoint
        self.pointCount = width * height
        self.encoding = encoding
    }

    /// Bytes per point in the binary encoding: the sum of SIZE × COUNT.
    public var pointStep: Int { fields.reduce(0) { $0 + $1.byteCount } }

    /// The byte offset of each field inside a binary point record.
    var fieldOffsets: [Int] {
        var offsets: [Int] = []
        var offset = 0
        for field in fields {
            offsets.append(offset)
            offset += field.byteCount
        }
        return offsets
    }

    /// The header text, ending with the `DATA` line and its newline.
    public var text: String {
        """
        # .PCD v\(version) - Point Cloud Data file format
        VERSION \(version)
        FIELDS \(fields.map(\.name).joined(separator: " "))
        SIZE \(fields.map { String($0.type.size) }.joined(separator: " "))
        TYPE \(fields.map { String($0.type.letter) }.joined(separator: " "))
        COUNT \(fields.map { String($0.count) }.joined(separator: " "))
        WIDTH \(width)
        HEIGHT \(height)
        VIEWPOINT \(viewpoint.map { PCDNumberFormat.string($0) }.joined(separator: " "))
        POINTS \(pointCount)
        DATA \(encoding.rawValue)

        """
    }
}

/// Shortest round-tripping text for numbers written into PCD files.
enum PCDNumberFormat {
    static func string(_ value: Double) -> String {
        if value.isZero { return value.sign == .minus ? "-0" : "0" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    static func string(_ value: Float) -> String {
        if value.isNaN { return "nan" }
        if value.isZero { return value.sign == .minus ? "-0" : "0" }
        if value == value.rounded(), abs(value) < 1e7 { return String(Int32(value)) }
        return "\(value)"
    }
}
