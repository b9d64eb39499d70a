/// A failure of the work a command was asked to do (unreadable input, unwritable output), as
/// opposed to bad arguments: printed as `Error: <message>` without the usage text, exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String

    init(_ error: any Error) {
        description = "\(error)"
    }

    init(message: String) {
        description = message
    }
}
