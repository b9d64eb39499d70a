/// A ROS message type read from its definition text (`.msg` syntax): what an MCAP schema of encoding
/// `ros2msg` or `ros1msg`, or a ROS 1 bag's connection header, carries. Decoding follows these
/// definitions, so any message type is read without code generated for it.
public struct MessageDefinition: Equatable, Sendable {
    public enum Primitive: String, Sendable, CaseIterable {
        case bool, byte, char, int8, uint8, int16, uint16, int32, uint32, int64, uint64, float32, float64, string,
            wstring
        /// ROS 1 only: two 32-bit fields, seconds and nanoseconds.
        case time, duration

        /// Bytes on the wire (strings: their length field).
        var size: Int {
            switch self {
            case .bool, .byte, .char, .int8, .uint8: 1
            case .int16, .uint16: 2
            case .int32, .uint32, .float32, .string, .wstring: 4
            case .int64, .uint64, .float64, .time, .duration: 8
            }
        }
    }

    public enum FieldType: Equatable, Sendable {
        case primitive(Primitive)
        /// Another message, by its normalised name (`package/Type`).
        case message(String)
    }

    enum Multiplicity: Equatable, Sendable {
        case single
        /// `T[n]`: exactly n, no count on the wire.
        case fixed(Int)
        /// `T[]` or `T[<=n]`: a count, then the elements.
        case sequence
    }

    public struct Field: Equatable, Sendable {
        public var name: String
        public var type: FieldType
        var multiplicity: Multiplicity
    }

    /// The normalised name, `package/Type`.
    public var name: String
    /// The fields in wire order (constants are not on the wire and are left out).
    public var fields: [Field]

    /// The package of a normalised name (`sensor_msgs/PointCloud2` → `sensor_msgs`).
    var package: String { String(name.split(separator: "/").first ?? "") }

    /// `pkg/msg/Type` and `pkg/Type` → `pkg/Type`.
    static func normalisedName(_ name: String) -> String {
        let parts = name.split(separator: "/")
        if parts.count == 3 && parts[1] == "msg" { return "\(parts[0])/\(parts[2])" }
        return name
    }
}

/// A message definition with the definitions of every message type it uses.
public struct MessageSchema: Equatable, Sendable {
    public enum Dialect: Sendable {
        /// ROS 2 `.msg`: default values after a field, bounded strings and sequences.
        case ros2
        /// ROS 1 `.msg`: `time`, `duration`, `Header` meaning `std_msgs/Header`.
        case ros1
    }

    public struct ParseError: Error, Equatable, CustomStringConvertible, Sendable {
        /// 1-based line of the definition text.
        public var line: Int
        public var message: String
        public var description: String { "line \(line) of the message definition: \(message)" }
    }

    /// The top-level type.
    public var root: MessageDefinition
    /// Every type the root uses, by normalised name (the root included).
    public var definitions: [String: MessageDefinition]

    /// Parses `text`: the root's fields, then for each dependency a line of `=`, a `MSG: pkg/Type` line
    /// and its fields. `builtin_interfaces/Time` and `Duration` are known without being listed.
    /// - Throws: `ParseError` for a malformed line, an unknown type, or a type used but not defined.
    public static func parse(name: String, text: String, dialect: Dialect) throws(ParseError) -> MessageSchema {
        var definitions = Self.builtIn
        var current = MessageDefinition(name: MessageDefinition.normalisedName(name), fields: [])
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = Self.strippingComment(rawLine).trimmingWhitespace()
            if line.isEmpty { continue }
            if line.allSatisfy({ $0 == "=" }) {
                definitions[current.name] = current
                continue
            }
            if line.hasPrefix("MSG:") {
                let dependency = line.dropFirst(4).trimmingWhitespace()
                guard !dependency.isEmpty else {
                    throw ParseError(line: lineNumber, message: "MSG: without a type name")
                }
                current = MessageDefinition(name: MessageDefinition.normalisedName(dependency), fields: [])
                continue
            }
            if let field = try Self.field(line, in: current, dialect: dialect, line: lineNumber) {
                current.fields.append(field)
            }
        }
        definitions[current.name] = current
        let rootName = MessageDefinition.normalisedName(name)
        guard let root = definitions[rootName] else {
            throw ParseError(line: 1, message: "no definition for \(rootName)")
        }
        // Every referenced type must be defined (and definitions may not contain themselves).
        for definition in definitions.values {
            for field in definition.fields {
                if case .message(let used) = field.type, definitions[used] == nil {
                    throw ParseError(
                        line: 1,
                        message: "\(definition.name).\(field.name) is of type \(used), which the schema does not define"
                    )
                }
            }
        }
        try checkAcyclic(definitions)
        return MessageSchema(root: root, definitions: definitions)
    }

    /// One field line, or nil for a constant.
    private static func field(_ line: String, in definition: MessageDefinition, dialect: Dialect, line number: Int)
        throws(ParseError)
        -> MessageDefinition.Field?
    {
        let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count >= 2 else {
            throw ParseError(line: number, message: "expected \"TYPE NAME\", found \"\(line)\"")
        }
        var typeText = String(parts[0])
        let nameText = String(parts[1])
        if nameText.contains("=") || (parts.count > 2 && parts[2].hasPrefix("=")) { return nil }  // a constant
        var multiplicity = MessageDefinition.Multiplicity.single
        if let open = typeText.firstIndex(of: "[") {
            guard typeText.hasSuffix("]") else {
                throw ParseError(line: number, message: "unclosed array bracket in \(typeText)")
            }
            let inside = typeText[typeText.index(after: open)..<typeText.index(before: typeText.endIndex)]
            if inside.isEmpty || inside.hasPrefix("<=") {
                multiplicity = .sequence
            } else if let count = Int(inside), count >= 0 {
                multiplicity = .fixed(count)
            } else {
                throw ParseError(line: number, message: "expected an array size in \(typeText)")
            }
            typeText = String(typeText[..<open])
        }
        if let bound = typeText.range(of: "<=") { typeText = String(typeText[..<bound.lowerBound]) }  // string<=N
        guard !typeText.isEmpty, nameText.first.map({ $0.isLetter || $0 == "_" }) == true else {
            throw ParseError(line: number, message: "expected \"TYPE NAME\", found \"\(line)\"")
        }
        return MessageDefinition.Field(
            name: nameText, type: try resolve(typeText, in: definition, dialect: dialect, line: number),
            multiplicity: multiplicity)
    }

    private static func resolve(_ type: String, in definition: MessageDefinition, dialect: Dialect, line: Int)
        throws(ParseError)
        -> MessageDefinition.FieldType
    {
        if let primitive = MessageDefinition.Primitive(rawValue: type) {
            if dialect == .ros2 && (primitive == .time || primitive == .duration) {
                throw ParseError(line: line, message: "\(type) is a ROS 1 type; ROS 2 uses builtin_interfaces/Time")
            }
            return .primitive(primitive)
        }
        if dialect == .ros1 && type == "Header" { return .message("std_msgs/Header") }
        if type.contains("/") { return .message(MessageDefinition.normalisedName(type)) }
        return .message("\(definition.package)/\(type)")
    }

    private static func strippingComment(_ line: Substring) -> Substring {
        // A '#' starts a comment, except inside a string constant's value (after '=').
        guard let hash = line.firstIndex(of: "#") else { return line }
        if let equals = line.firstIndex(of: "="), equals < hash { return line }
        return line[..<hash]
    }

    private static func checkAcyclic(_ definitions: [String: MessageDefinition]) throws(ParseError) {
        var finished: Set<String> = []
        for start in definitions.keys.sorted() {
            var path: [String] = []
            try visit(start, definitions, &finished, &path)
        }
    }

    private static func visit(
        _ name: String, _ definitions: [String: MessageDefinition], _ finished: inout Set<String>,
        _ path: inout [String]
    ) throws(ParseError) {
        if finished.contains(name) { return }
        if path.contains(name) {
            throw ParseError(
                line: 1, message: "message types contain themselves: \((path + [name]).joined(separator: " → "))")
        }
        path.append(name)
        for field in definitions[name]?.fields ?? [] {
            if case .message(let used) = field.type { try visit(used, definitions, &finished, &path) }
        }
        path.removeLast()
        finished.insert(name)
    }

    /// Types every ROS 2 schema relies on, in case a writer leaves them out.
    static let builtIn: [String: MessageDefinition] = [
        "builtin_interfaces/Time": MessageDefinition(
            name: "builtin_interfaces/Time",
            fields: [
                .init(name: "sec", type: .primitive(.int32), multiplicity: .single),
                .init(name: "nanosec", type: .primitive(.uint32), multiplicity: .single)
            ]),
        "builtin_interfaces/Duration": MessageDefinition(
            name: "builtin_interfaces/Duration",
            fields: [
                .init(name: "sec", type: .primitive(.int32), multiplicity: .single),
                .init(name: "nanosec", type: .primitive(.uint32), multiplicity: .single)
            ])
    ]
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
