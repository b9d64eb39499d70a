import Foundation

/// JSON decoding and encoding with errors that name the file and the key path.
package enum JSONFile {
    package static func decode<Value: Decodable>(_ type: Value.Type, from data: Data, file: String) throws(ReadError)
        -> Value
    {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw ReadError(
                file: file, location: .jsonPath(path(context.codingPath)),
                message: "expected a key '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(expected, context) {
            throw ReadError(
                file: file, location: .jsonPath(path(context.codingPath)), message: "expected \(describe(expected))")
        } catch let DecodingError.valueNotFound(expected, context) {
            throw ReadError(
                file: file, location: .jsonPath(path(context.codingPath)),
                message: "expected \(describe(expected)), found null")
        } catch let DecodingError.dataCorrupted(context) {
            throw ReadError(
                file: file, location: .jsonPath(path(context.codingPath)), message: context.debugDescription)
        } catch {
            throw ReadError(file: file, location: .file, message: "expected JSON: \(error)")
        }
    }

    /// Pretty, key-sorted JSON: the same value always gives the same bytes.
    /// - Throws: `WriteError` naming `file` when a value cannot be JSON (a NaN or infinite number).
    package static func encode<Value: Encodable>(_ value: Value, file: String) throws(WriteError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(value)
        } catch let EncodingError.invalidValue(value, context) {
            throw WriteError(
                file: file,
                message:
                    "cannot write \(value) at \(path(context.codingPath)) as JSON (NaN and infinity have no JSON form)")
        } catch {
            throw WriteError(file: file, message: "cannot encode JSON: \(error)")
        }
    }

    /// The coding path as text: `frames.3.objects.1.object_data.cuboid[0].val`.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            // Array positions come as keys named "Index n"; dictionary keys keep their text even
            // when it is a number.
            if let index = key.intValue, key.stringValue == "Index \(index)" {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Float.Type: "a number"
        case is Int.Type: "an integer"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        default: "\(type)"
        }
    }
}
