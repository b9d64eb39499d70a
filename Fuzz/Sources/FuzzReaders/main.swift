import Foundation
import FuzzTargets

// libFuzzer's entry point when the program has its own `main` (linked from
// libclang_rt.fuzzer_no_main): it parses the remaining options and calls back per input.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The target chosen on the command line; the callback is a C function and cannot capture it.
nonisolated(unsafe) var selectedTarget = ReaderFuzzTarget.pcd

let arguments = CommandLine.arguments
guard arguments.count >= 2, let target = ReaderFuzzTarget(rawValue: arguments[1]) else {
    let names = ReaderFuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
    FileHandle.standardError.write(Data("usage: FuzzReaders <target> [libFuzzer options] [corpus folders]\ntargets: \(names)\n".utf8))
    exit(64)
}
selectedTarget = target

// `FuzzReaders <target> --time <folder>...`: reads every input of the folders, timed, and prints
// the slowest against the budget of 100 ms per MB (at least 64 KiB's worth, 6.25 ms, so
// that fixed costs of tiny inputs do not count as slowness).
if arguments.count >= 3, arguments[2] == "--time" {
    var worst = (ratio: 0.0, file: "", milliseconds: 0.0, bytes: 0), inputs = 0
    for folder in arguments.dropFirst(3) {
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() {
            guard let data = FileManager.default.contents(atPath: "\(folder)/\(name)") else { continue }
            // The fastest of three reads: the first read of a process pays one-time set-up
            // (decoders, page faults), and the machine is shared.
            let milliseconds = (0..<3).map { _ in
                let start = DispatchTime.now().uptimeNanoseconds
                target.consume(data)
                return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            }.min()!
            let budget = 100 * Double(max(data.count, 64 << 10)) / Double(1 << 20)
            inputs += 1
            if milliseconds / budget > worst.ratio { worst = (milliseconds / budget, "\(folder)/\(name)", milliseconds, data.count) }
        }
    }
    let share = String(format: "%.1f", 100 * worst.ratio), milliseconds = String(format: "%.3f", worst.milliseconds)
    print("\(target.rawValue): \(inputs) inputs; slowest against 100 ms/MB: \(milliseconds) ms for \(worst.bytes) bytes (\(share) % of its budget), \(worst.file)")
    exit(worst.ratio <= 1 ? 0 : 1)
}

// libFuzzer sees the program name followed by its own options: the target name is taken out.
var argc = CommandLine.argc - 1
let argv = CommandLine.unsafeArgv
argv[1] = argv[0]
var shifted = argv + 1
exit(runFuzzerDriver(&argc, &shifted) { bytes, count in
    selectedTarget.consume(bytes.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
})
