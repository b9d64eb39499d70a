import Foundation

/// Prints a value as the commands' `--json` output: pretty-printed, keys sorted, so that the same
/// result prints the same bytes.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
