/// A decoded ROS message, whatever its type: the schema decides the shape.
///
/// Byte arrays (`uint8[]`, `int8[]`, `byte[]`, `char[]`: images, point data) are not copied: they stay
/// slices of the payload. ROS 1 `time` and `duration` decode as records of `sec` and `nanosec`, the
/// shape of ROS 2's `builtin_interfaces/Time`, so readers of both see one shape.
public indirect enum MessageValue: Sendable {
    case bool(Bool)
    case integer(Int64)
    case unsigned(UInt64)
    case real(Double)
    case text(String)
    case bytes(ByteSlice)
    case list([MessageValue])
    case record(MessageRecord)
}

/// A message's fields by name, in wire order.
public struct MessageRecord: Sendable {
    /// The normalised type name, `package/Type`.
    public var type: String
    public var names: [String]
    public var values: [MessageValue]

    /// The field `name`.
    /// - Throws: `MessageDecodingError` naming the type and its fields when there is no such field.
    public func field(_ name: String) throws(MessageDecodingError) -> MessageValue {
        guard let index = names.firstIndex(of: name) else {
            throw MessageDecodingError(
                message: "\(type) has no field \"\(name)\" (it has \(names.joined(separator: ", ")))")
        }
        return values[index]
    }

    /// The field `name` when present.
    func optionalField(_ name: String) -> MessageValue? {
        names.firstIndex(of: name).map { values[$0] }
    }
}

/// A message that does not decode, or does not have the shape its reader needs.
public struct MessageDecodingError: Error, Equatable, CustomStringConvertible, Sendable {
    public var message: String
    /// The byte of the payload where decoding stopped, when it did stop at one.
    public var payloadOffset: Int?

    public init(message: String, payloadOffset: Int? = nil) {
        self.message = message
        self.payloadOffset = payloadOffset
    }

    public var description: String { payloadOffset.map { "at payload byte \($0): \(message)" } ?? message }
}

extension MessageValue {
    private func mismatch(_ expected: String) -> MessageDecodingError {
        MessageDecodingError(message: "expected \(expected), found \(kind)")
    }

    private var kind: String {
        switch self {
        case .bool: "a bool"
        case .integer, .unsigned: "an integer"
        case .real: "a floating-point number"
        case .text: "a string"
        case .bytes: "a byte array"
        case .list: "an array"
        case .record(let record): "a \(record.type)"
        }
    }

    public func record() throws(MessageDecodingError) -> MessageRecord {
        guard case .record(let record) = self else { throw mismatch("a message") }
        return record
    }

    public func text() throws(MessageDecodingError) -> String {
        guard case .text(let text) = self else { throw mismatch("a string") }
        return text
    }

    func bool() throws(MessageDecodingError) -> Bool {
        guard case .bool(let value) = self else { throw mismatch("a bool") }
        return value
    }

    /// Any integer field as `Int`, checked to fit.
    func int() throws(MessageDecodingError) -> Int {
        switch self {
        case .integer(let value):
            guard let result = Int(exactly: value) else { break }
            return result
        case .unsigned(let value):
            guard let result = Int(exactly: value) else { break }
            return result
        default: throw mismatch("an integer")
        }
        throw MessageDecodingError(message: "an integer out of range")
    }

    /// Any numeric field as `Double`.
    public func double() throws(MessageDecodingError) -> Double {
        switch self {
        case .real(let value): return value
        case .integer(let value): return Double(value)
        case .unsigned(let value): return Double(value)
        default: throw mismatch("a number")
        }
    }

    public func list() throws(MessageDecodingError) -> [MessageValue] {
        switch self {
        case .list(let values): return values
        case .bytes(let slice): return slice.bytes.map { .unsigned(UInt64($0)) }
        default: throw mismatch("an array")
        }
    }

    func byteSlice() throws(MessageDecodingError) -> ByteSlice {
        guard case .bytes(let slice) = self else { throw mismatch("a byte array") }
        return slice
    }

    /// A `builtin_interfaces/Time` (or ROS 1 `time`) as nanoseconds since the epoch.
    public func nanoseconds() throws(MessageDecodingError) -> Int64 {
        let record = try record()
        let nanoseconds: MessageValue
        if let value = record.optionalField("nanosec") {
            nanoseconds = value
        } else {
            nanoseconds = try record.field("nsec")
        }
        let (seconds, fraction) = (Int64(try record.field("sec").int()), Int64(try nanoseconds.int()))
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow, fraction < 1_000_000_000, scaled <= Int64.max - fraction else {
            throw MessageDecodingError(message: "a time of \(seconds) s and \(fraction) ns is out of range")
        }
        return scaled + fraction
    }
}
