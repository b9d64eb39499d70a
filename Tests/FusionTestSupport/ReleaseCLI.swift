import Foundation

/// The release build of the `fusionlabel` CLI, which tests that replay whole scenes run as a child
/// process (simulating or annotating a scene in a debug build would take minutes). `make test`
/// (scripts/run-tests) builds it before the tests; a test never runs a binary older than the code.
public enum ReleaseCLI {
    /// `.build/release/fusionlabel` in the repository.
    public static let path = SharedScenes.repositoryRoot + "/.build/release/fusionlabel"

    /// The binary's path, once it is known to be there and built from the code as it is: every
    /// file under `Sources/<Module>/` of a module the release build compiled is older than the
    /// latest compilation of that module (its `.d` and `.o` files in `.build/release/<Module>.build/`).
    /// The binary's own date cannot tell: SwiftPM does not relink when a touched file compiles to
    /// the same objects.
    /// - Throws: `ReleaseCLI.Unusable`, naming the build command, when it is missing or stale.
    public static func executable() throws -> String {
        try check.get()
        return path
    }

    /// Checked once per test process: the sources do not change while tests run.
    private static let check: Result<Void, Unusable> = {
        let files = FileManager.default
        guard files.isExecutableFile(atPath: path) else { return .failure(Unusable(reason: "\(path) is missing")) }
        let root = SharedScenes.repositoryRoot
        var stale: [String] = []
        for module in ((try? files.contentsOfDirectory(atPath: root + "/Sources")) ?? []).sorted() {
            let build = root + "/.build/release/\(module).build"
            // Compiling writes a dependency file (.d) even when the objects (.o) come out the same.
            let outputs = ((try? files.contentsOfDirectory(atPath: build)) ?? []).filter {
                $0.hasSuffix(".d") || $0.hasSuffix(".o")
            }
            // A module without them was not compiled in release: the CLI does not use it.
            guard let built = outputs.compactMap({ modificationDate(build + "/" + $0) }).max() else { continue }
            let sources = files.enumerator(atPath: root + "/Sources/" + module)?.compactMap { $0 as? String } ?? []
            stale += sources.filter { (modificationDate(root + "/Sources/\(module)/" + $0) ?? .distantPast) > built }
                .map { "Sources/\(module)/" + $0 }.sorted()
        }
        guard stale.isEmpty else {
            let named =
                stale.prefix(3).joined(separator: ", ") + (stale.count > 3 ? " and \(stale.count - 3) more" : "")
            return .failure(Unusable(reason: "\(path) was built before the latest change to \(named)"))
        }
        return .success(())
    }()

    private static func modificationDate(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    /// The release CLI cannot be used: missing, or built before the latest change to the code.
    public struct Unusable: Error, CustomStringConvertible {
        public var reason: String
        public var description: String {
            "\(reason): build it with `swift build -c release --product fusionlabel` (make test does)"
        }
    }
}
