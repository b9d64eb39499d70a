import Foundation

/// Columns parsed from an `ascii` payload: one line per point, values in field order, separated by
/// spaces, tabs or carriage returns. The bytes are scanned in place and each number is parsed by
/// the C library (`strtof`, `strtod`, `strtoll`, `strtoull`, correctly rounded as Swift's own
/// parsers are) from a small stack copy: no string is made per line or per value.
struct ASCIIColumns: PCDColumnSource {
    /// `values[slot][point]`, where slots run over every element of every field. 32-bit float
    /// fields are parsed as `Float` (so rounding matches a float parser) and stored widened.
    private var values: [[Double]]
    private let slotOfField: [Int]
    private let types: [PCDHeader.ScalarType]

    /// The longest token read as a number; longer ones are not numbers a PCD writer makes.
    static let maximumTokenLength = 63

    /// - Parameter firstLine: the 1-based line number of the first payload line, for errors.
    init(
        _ payload: UnsafeRawBufferPointer, header: PCDHeader, payloadOffset: Int, firstLine: Int,
        file: String
    ) throws(ReadError) {
        let fields = header.fields
        types = fields.map(\.type)
        let slotsWithPadding = fields.reduce(0) { $0 + $1.count }
        let slotsWithoutPadding = fields.filter { !$0.isPadding }.reduce(0) { $0 + $1.count }
        // Each value takes at least one character and one separator.
        guard header.pointCount <= payload.count / max(2 * slotsWithoutPadding, 1) + 1 else {
            throw ReadError(
                file: file, location: .byteOffset(payloadOffset),
                message: "header claims \(header.pointCount) points but only \(payload.count) bytes of text follow DATA"
            )
        }
        var starts: [Int] = []
        var slot = 0
        for field in fields {
            starts.append(slot)
            slot += field.count
        }
        slotOfField = starts
        values = Array(repeating: [], count: slotsWithPadding)
        for index in values.indices { values[index].reserveCapacity(header.pointCount) }

        // The tokens of the current line, as byte ranges; one more than a line may hold, so that a
        // line with too many values is caught without storing them all.
        var tokens = [Range<Int>](repeating: 0..<0, count: slotsWithPadding + 1)
        var lineNumber = firstLine - 1
        var pointsRead = 0
        var lineStart = 0
        while lineStart < payload.count && pointsRead < header.pointCount {  // trailing lines are ignored
            lineNumber += 1
            var lineEnd = lineStart
            while lineEnd < payload.count && payload[lineEnd] != 0x0A { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            // Split the line on spaces, tabs and carriage returns.
            var tokenCount = 0
            var position = lineStart
            while position < lineEnd {
                while position < lineEnd && Self.isSeparator(payload[position]) { position += 1 }
                guard position < lineEnd else { break }
                let tokenStart = position
                while position < lineEnd && !Self.isSeparator(payload[position]) { position += 1 }
                if tokenCount < tokens.count { tokens[tokenCount] = tokenStart..<position }
                tokenCount += 1
            }
            if tokenCount == 0 { continue }
            let hasPadding: Bool
            switch tokenCount {
            case slotsWithPadding: hasPadding = true
            case slotsWithoutPadding: hasPadding = false
            default:
                throw ReadError(
                    file: file, location: .line(lineNumber),
                    message: "expected \(slotsWithoutPadding) values for point \(pointsRead), found \(tokenCount)")
            }
            var tokenIndex = 0
            for (fieldIndex, field) in fields.enumerated() {
                if field.isPadding && !hasPadding { continue }
                for element in 0..<field.count {
                    let token = tokens[tokenIndex]
                    tokenIndex += 1
                    if field.isPadding { continue }
                    guard let value = Self.number(UnsafeRawBufferPointer(rebasing: payload[token]), type: field.type)
                    else {
                        let text = String(decoding: payload[token].prefix(40), as: UTF8.self)
                        throw ReadError(
                            file: file, location: .line(lineNumber),
                            message: "expected a \(field.type) value for field \(field.name), found '\(text)'")
                    }
                    values[starts[fieldIndex] + element].append(value)
                }
            }
            pointsRead += 1
        }
        guard pointsRead == header.pointCount else {
            // After a final newline the missing point belongs on the (empty) line that follows.
            if lineStart == payload.count { lineNumber += 1 }
            throw ReadError(
                file: file, location: .line(lineNumber),
                message: "header claims \(header.pointCount) points, the file has \(pointsRead)")
        }
    }

    func floats(field: Int, element: Int) -> [Float] { values[slotOfField[field] + element].map { Float($0) } }
    func doubles(field: Int, element: Int) -> [Double] { values[slotOfField[field] + element] }
    func bits32(field: Int, element: Int) -> [UInt32] {
        // A packed colour written as a float keeps its bits; as an integer, its value.
        let column = values[slotOfField[field] + element]
        if types[field] == .float32 { return column.map { Float($0).bitPattern } }
        return column.map { UInt32(truncatingIfNeeded: Int64(exactly: $0) ?? 0) }
    }

    @inline(__always)
    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D
    }

    /// The value of one token: the whole token must be the number, integers must fit their type's
    /// 64-bit family, and `nan` in any case is NaN for every type (as PCL writes invalid points).
    private static func number(_ token: UnsafeRawBufferPointer, type: PCDHeader.ScalarType) -> Double? {
        guard !token.isEmpty, token.count <= maximumTokenLength else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: maximumTokenLength + 1) { buffer -> Double? in
            let text = buffer.baseAddress!
            UnsafeMutableRawPointer(text).copyMemory(from: token.baseAddress!, byteCount: token.count)
            text[token.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            errno = 0
            let value: Double
            switch type {
            case .float32: value = Double(strtof(text, &end))
            case .float64: value = strtod(text, &end)
            case .int8, .int16, .int32, .int64:
                let integer = strtoll(text, &end, 10)
                guard errno != ERANGE else { return nil }
                value = Double(integer)
            case .uint8, .uint16, .uint32, .uint64:
                // strtoull would wrap a minus sign around to a huge value.
                guard token[0] != UInt8(ascii: "-") else { return isNaN(token) ? .nan : nil }
                let integer = strtoull(text, &end, 10)
                guard errno != ERANGE else { return nil }
                value = Double(integer)
            }
            if end == text + token.count { return value }
            return isNaN(token) ? .nan : nil
        }
    }

    private static func isNaN(_ token: UnsafeRawBufferPointer) -> Bool {
        let lowered = String(decoding: token, as: UTF8.self).lowercased()
        return lowered == "nan" || lowered == "-nan"
    }
}
