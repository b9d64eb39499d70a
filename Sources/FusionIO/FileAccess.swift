import Foundation

/// Reading and writing whole files, the same way for every format.
public enum FileAccess {
    /// The bytes of the file at `path`.
    /// - Throws: `ReadError` when the file is missing, is not a regular file, or cannot be read.
    public static func contents(of path: String) throws(ReadError) -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ReadError(file: path, location: .file, message: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw ReadError(file: path, location: .file, message: "expected a file, found a folder")
        }
        // A FIFO would block the read forever and a device (/dev/zero) never ends.
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw ReadError(
                file: path, location: .file, message: "not a regular file (a FIFO, socket or device is never read)")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ReadError(file: path, location: .file, message: "cannot be read: \(error.localizedDescription)")
        }
    }

    /// The UTF-8 text of the file at `path`.
    public static func text(of path: String) throws(ReadError) -> String {
        guard let text = String(data: try contents(of: path), encoding: .utf8) else {
            throw ReadError(file: path, location: .file, message: "expected UTF-8 text")
        }
        return text
    }

    /// Writes `data` to `path` so that a reader, or a crash at any moment, sees either the old
    /// complete file or the new complete file: the bytes go to a temporary file in the same folder,
    /// are flushed to disk, and the temporary file is renamed over `path`.
    public static func writeAtomically(_ data: Data, to path: String) throws(WriteError) {
        try writeAtomically(to: path) { (write: (Data) throws(WriteError) -> Void) throws(WriteError) in try write(data)
        }
    }

    /// Writes what `produce` hands to its `write` function, piece by piece, to `path`, with the
    /// guarantees of `writeAtomically(_:to:)`: a large file need never be whole in memory. When
    /// `produce` throws, the temporary file is removed and the target is untouched.
    public static func writeAtomically(
        to path: String,
        _ produce: (_ write: (Data) throws(WriteError) -> Void) throws(WriteError) -> Void
    ) throws(WriteError) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let temporary =
            "\(folder)/.\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: .min ... .max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw WriteError(file: path, message: "cannot create \(temporary): \(posixMessage())")
        }
        func write(_ data: Data) throws(WriteError) {
            // The failure's reason, captured before any other call can change errno.
            var failure: String?
            data.withUnsafeBytes { buffer in
                var written = 0
                while written < buffer.count {
                    let result = Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                    if result < 0 {
                        if errno == EINTR { continue }
                        failure = "write: \(posixMessage())"
                        return
                    }
                    written += result
                }
            }
            if let failure { throw WriteError(file: path, message: "could not write: \(failure)") }
        }
        do {
            try produce(write)
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        var failure: String?
        if fsync(descriptor) != 0 { failure = "fsync: \(posixMessage())" }
        close(descriptor)
        if failure == nil && rename(temporary, path) != 0 { failure = "rename: \(posixMessage())" }
        if let failure {
            unlink(temporary)
            throw WriteError(file: path, message: "could not write: \(failure)")
        }
        // Make the rename itself durable.
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    /// Creates the folder `path` holding what `fill` writes, so that it appears under its name only
    /// once complete: `fill` gets a new temporary folder next to `path`, renamed to `path` when `fill`
    /// returns and removed when it throws.
    /// - Throws: `WriteError` when `path` already exists or the folder cannot be made or renamed, and
    ///   whatever `fill` throws (after the temporary folder is removed).
    public static func createFolderAtomically<Result>(at path: String, _ fill: (_ temporary: String) throws -> Result)
        throws -> Result
    {
        let manager = FileManager.default
        guard !manager.fileExists(atPath: path) else {
            throw WriteError(file: path, message: "already exists: a new folder is written here")
        }
        let url = URL(fileURLWithPath: path)
        let name =
            ".\(url.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: .min ... .max))"
        let temporary = url.deletingLastPathComponent().appendingPathComponent(name).path
        do {
            try manager.createDirectory(atPath: temporary, withIntermediateDirectories: false)
        } catch {
            throw WriteError(file: path, message: "cannot create \(temporary): \(error.localizedDescription)")
        }
        do {
            let result = try fill(temporary)
            guard rename(temporary, path) == 0 else {
                throw WriteError(file: path, message: "could not rename \(temporary): \(posixMessage())")
            }
            return result
        } catch {
            try? manager.removeItem(atPath: temporary)
            throw error
        }
    }

    private static func posixMessage() -> String {
        String(cString: strerror(errno))
    }
}

/// A file that could not be written. The previous content of the target, if any, is untouched.
public struct WriteError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
