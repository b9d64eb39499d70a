import Foundation

/// Whitespace-separated text records (KITTI calibration and label files), with errors that name
/// the file and the 1-based line.
struct TextRecord {
    let file: String
    let line: Int
    let fields: [Substring]

    /// The non-empty lines of `text`, split on spaces, tabs and carriage returns. Comment lines
    /// (`#`) are skipped. Lines end at `\n` or `\r\n`: the split runs on the UTF-8 bytes, where
    /// `\r\n` is not the single character it is in a Swift string (and it is several times faster).
    static func records(in text: String, file: String) -> [TextRecord] {
        var result: [TextRecord] = []
        var lineNumber = 0
        for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            // Split at ASCII bytes, so every piece starts and ends on a character boundary.
            let fields = line.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }).map { Substring($0) }
            guard let first = fields.first, !first.hasPrefix("#") else { continue }
            result.append(TextRecord(file: file, line: lineNumber, fields: fields))
        }
        return result
    }

    func error(_ message: String) -> ReadError {
        ReadError(file: file, location: .line(line), message: message)
    }

    /// Requires exactly `count` fields (or one of `counts`), naming the format in the error.
    func expectCount(_ counts: Set<Int>, format: String) throws(ReadError) {
        guard counts.contains(fields.count) else {
            let expected = counts.sorted().map(String.init).joined(separator: " or ")
            throw error("expected \(expected) values for \(format), found \(fields.count)")
        }
    }

    /// Field `index` as a finite double.
    func double(_ index: Int, _ name: String) throws(ReadError) -> Double {
        guard let value = Double(fields[index]), value.isFinite else {
            throw error("expected a finite number for \(name) (column \(index + 1)), found '\(fields[index])'")
        }
        return value
    }

    /// Field `index` as an integer (KITTI sometimes writes integers as `0.00`).
    func integer(_ index: Int, _ name: String) throws(ReadError) -> Int {
        if let value = Int(fields[index]) { return value }
        if let value = Double(fields[index]), value.rounded() == value, abs(value) < 1e15 { return Int(value) }
        throw error("expected an integer for \(name) (column \(index + 1)), found '\(fields[index])'")
    }

    /// Fields `range` as finite doubles.
    func doubles(_ range: Range<Int>, _ name: String) throws(ReadError) -> [Double] {
        var values: [Double] = []
        for index in range { values.append(try double(index, name)) }
        return values
    }
}

/// Shortest text that reads back as the same double (`1.5`, `-0.25`, `1e-05`).
func exactText(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(format: "%.1f", value) : "\(value)"
}
