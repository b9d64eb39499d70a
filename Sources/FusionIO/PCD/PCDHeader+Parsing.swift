import Foundation

extension PCDHeader {
    /// The most values a point may have over all fields (the sum of COUNT).
    static let maximumElementsPerPoint = 1 << 12

    /// The largest header this reader looks through for the `DATA` line.
    static let maximumHeaderBytes = 1 << 20

    /// Parses the header at the start of `bytes`.
    /// - Returns: the header, the byte offset where the payload starts (just after the `DATA` line)
    ///   and the 1-based line number the payload starts on.
    /// - Throws: `ReadError` with the 1-based header line for anything PCL would not accept:
    ///   unknown types or sizes, list lengths that differ from `FIELDS`, negative or overflowing
    ///   numbers, `POINTS` different from `WIDTH × HEIGHT`, a missing `DATA` line.
    static func parse(_ bytes: UnsafeRawBufferPointer, file: String) throws(ReadError) -> (
        header: PCDHeader, payloadOffset: Int, payloadLine: Int
    ) {
        var lineStart = 0
        var lineNumber = 0
        var values: [String: (tokens: [Substring], line: Int)] = [:]
        let limit = min(bytes.count, maximumHeaderBytes)
        while lineStart < limit {
            lineNumber += 1
            var lineEnd = lineStart
            while lineEnd < limit && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            guard
                let line = String(bytes: UnsafeRawBufferPointer(rebasing: bytes[lineStart..<lineEnd]), encoding: .ascii)
            else {
                throw ReadError(file: file, location: .line(lineNumber), message: "expected an ASCII header line")
            }
            let next = min(lineEnd + 1, bytes.count)
            let tokens = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            lineStart = next
            guard let key = tokens.first, !key.hasPrefix("#") else { continue }
            values[key.uppercased() == "COLUMNS" ? "FIELDS" : key.uppercased()] = (
                Array(tokens.dropFirst()), lineNumber
            )
            if key.uppercased() == "DATA" {
                return (try header(from: values, dataLine: lineNumber, file: file), next, lineNumber + 1)
            }
        }
        throw ReadError(
            file: file, location: .file,
            message: "expected a PCD header ending with a DATA line in the first \(limit) bytes")
    }

    private static func header(
        from values: [String: (tokens: [Substring], line: Int)], dataLine: Int,
        file: String
    ) throws(ReadError) -> PCDHeader {
        func required(_ key: String) throws(ReadError) -> (tokens: [Substring], line: Int) {
            guard let entry = values[key] else {
                throw ReadError(file: file, location: .line(dataLine), message: "expected a \(key) line before DATA")
            }
            return entry
        }
        func integer(_ token: Substring, line: Int, what: String) throws(ReadError) -> Int {
            guard let value = Int(token), value >= 0 else {
                throw ReadError(
                    file: file, location: .line(line),
                    message: "expected a non-negative integer for \(what), found '\(token)'")
            }
            return value
        }
        func single(_ key: String) throws(ReadError) -> Int? {
            guard let entry = values[key] else { return nil }
            guard entry.tokens.count == 1 else {
                throw ReadError(file: file, location: .line(entry.line), message: "expected one number after \(key)")
            }
            return try integer(entry.tokens[0], line: entry.line, what: key)
        }

        let names = try required("FIELDS")
        guard !names.tokens.isEmpty else {
            throw ReadError(file: file, location: .line(names.line), message: "expected at least one field name")
        }
        let sizes = try required("SIZE")
        let types = try required("TYPE")
        let counts = values["COUNT"] ?? (Array(repeating: "1", count: names.tokens.count), names.line)
        for (key, entry) in [("SIZE", sizes), ("TYPE", types), ("COUNT", counts)]
        where entry.tokens.count != names.tokens.count {
            throw ReadError(
                file: file, location: .line(entry.line),
                message: "expected \(names.tokens.count) \(key) values (one per field), found \(entry.tokens.count)")
        }
        var fields: [Field] = []
        var elementsPerPoint = 0
        for index in names.tokens.indices {
            let size = try integer(sizes.tokens[index], line: sizes.line, what: "SIZE of \(names.tokens[index])")
            let letter = types.tokens[index]
            guard letter.count == 1, let type = ScalarType(letter: letter.uppercased().first!, size: size) else {
                throw ReadError(
                    file: file, location: .line(types.line),
                    message:
                        "field \(names.tokens[index]): TYPE '\(letter)' with SIZE \(size) is not a PCD type (I/U 1 2 4 8, F 4 8)"
                )
            }
            let count = try integer(counts.tokens[index], line: counts.line, what: "COUNT of \(names.tokens[index])")
            fields.append(Field(name: String(names.tokens[index]), type: type, count: count))
            // Each element becomes a named column, even of an empty cloud: PCL's largest
            // descriptors (shape contexts: 1,980 values and 9 for their frame) fit four times over.
            elementsPerPoint += count
            guard elementsPerPoint <= Self.maximumElementsPerPoint else {
                throw ReadError(
                    file: file, location: .line(counts.line),
                    message:
                        "COUNT gives \(elementsPerPoint) values a point by field \(names.tokens[index]); at most \(Self.maximumElementsPerPoint) are read"
                )
            }
        }

        guard let width = try single("WIDTH") else {
            throw ReadError(file: file, location: .line(dataLine), message: "expected a WIDTH line before DATA")
        }
        let height = try single("HEIGHT") ?? 1
        let (product, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow else {
            throw ReadError(
                file: file, location: .line(values["HEIGHT"]?.line ?? dataLine), message: "WIDTH × HEIGHT overflows")
        }
        let points = try single("POINTS") ?? product
        guard points == product else {
            throw ReadError(
                file: file, location: .line(values["POINTS"]!.line),
                message: "POINTS \(points) differs from WIDTH × HEIGHT = \(width) × \(height)")
        }

        var viewpoint: [Double] = [0, 0, 0, 1, 0, 0, 0]
        if let entry = values["VIEWPOINT"] {
            let numbers = entry.tokens.compactMap { Double($0) }
            guard numbers.count == 7, numbers.allSatisfy(\.isFinite) else {
                throw ReadError(
                    file: file, location: .line(entry.line),
                    message: "expected 7 finite numbers after VIEWPOINT (tx ty tz qw qx qy qz)")
            }
            viewpoint = numbers
        }

        let data = try required("DATA")
        guard data.tokens.count == 1, let encoding = Encoding(rawValue: data.tokens[0].lowercased()) else {
            throw ReadError(
                file: file, location: .line(data.line),
                message:
                    "expected DATA ascii, binary or binary_compressed, found '\(data.tokens.joined(separator: " "))'")
        }

        var header = PCDHeader(
            version: values["VERSION"]?.tokens.first.map(String.init) ?? "0.7", fields: fields,
            width: width, height: height, viewpoint: viewpoint, encoding: encoding)
        header.pointCount = points
        let (_, stepOverflow) = header.pointStep.multipliedReportingOverflow(by: points)
        guard !stepOverflow else {
            throw ReadError(
                file: file, location: .line(data.line),
                message: "POINTS \(points) × \(header.pointStep) bytes per point overflows")
        }
        return header
    }
}
