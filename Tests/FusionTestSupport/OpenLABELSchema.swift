import Foundation

/// Validates JSON against the ASAM OpenLABEL 1.0.0 JSON schema in `../shared/standards`, with
/// Python's `jsonschema` (Draft 7): an implementation independent of ours.
public enum OpenLABELSchema {
    public static var schemaPath: String {
        URL(fileURLWithPath: SharedScenes.root).deletingLastPathComponent()
            .appendingPathComponent("standards/openlabel_json_schema-v1.0.0.json").path
    }

    /// The validator's complaints about `json`; empty when it is valid.
    /// - Throws: when the schema, Python or its `jsonschema` package is missing (a failure, not a skip).
    public static func violations(of json: Data) throws -> [String] {
        guard FileManager.default.fileExists(atPath: schemaPath) else { throw MissingScene(path: schemaPath) }
        let document = URL(fileURLWithPath: TemporaryFiles.file("openlabel", suffix: ".json"))
        try json.write(to: document)
        defer { TemporaryFiles.remove(document.path) }
        let script = """
            import json, sys
            import jsonschema
            schema = json.load(open(sys.argv[1]))
            document = json.load(open(sys.argv[2]))
            validator = jsonschema.Draft7Validator(schema)
            for error in validator.iter_errors(document):
                print("/".join(str(p) for p in error.absolute_path) + ": " + error.message)
            """
        let result = try ChildProcess.run("/usr/bin/env", ["python3", "-c", script, schemaPath, document.path])
        guard result.status == 0 else { throw ValidatorUnavailable(message: result.errors) }
        return result.output.split(separator: "\n").map(String.init)
    }

    public struct ValidatorUnavailable: Error, CustomStringConvertible {
        public var message: String
        public var description: String { "python3 with jsonschema is needed to validate OpenLABEL output: \(message)" }
    }
}
