import FusionIO

/// The failure of a conversion between file layouts (`BagImport`, `NuScenesExport`, `NuScenesImport`):
/// a read error, a write error, or its own.
protocol FileConversionFailure: Error {
    static func read(_ error: ReadError) -> Self
    static func write(_ error: WriteError) -> Self
}

extension FileConversionFailure {
    /// Whatever a conversion step threw, as this failure: itself as it is, read and write errors
    /// wrapped, anything else a write error at `file`.
    static func wrapping(_ error: any Error, file: String) -> Self {
        switch error {
        case let failure as Self: failure
        case let read as ReadError: .read(read)
        case let write as WriteError: .write(write)
        default: .write(WriteError(file: file, message: "\(error)"))
        }
    }
}

extension BagImport.Failure: FileConversionFailure {}
extension NuScenesExport.Failure: FileConversionFailure {}
