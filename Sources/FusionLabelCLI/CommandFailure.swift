/// A failure of the work a command was asked to do (unreadable input, unwritable output), as
/// opposed to bad arguments: printed as `Error: <message>` without the usage text, exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String

    /// The failure that `error` describes; a `CommandFailure` keeps its message as it is, so a
    /// command wraps whatever its work threw in one `catch`.
    init(_ error: any Error) {
        description = "\(error)"
    }

    init(message: String) {
        description = message
    }
}
