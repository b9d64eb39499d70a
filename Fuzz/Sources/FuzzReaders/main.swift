import Foundation
import FusionFuzzing

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

// libFuzzer sees the program name followed by its own options: the target name is taken out.
var argc = CommandLine.argc - 1
let argv = CommandLine.unsafeArgv
argv[1] = argv[0]
var shifted = argv + 1
exit(runFuzzerDriver(&argc, &shifted) { bytes, count in
    selectedTarget.consume(bytes.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
})
