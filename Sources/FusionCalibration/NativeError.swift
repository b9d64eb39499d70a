package import CFusionNative

/// A failure reported by PCL, OpenCV or Eigen through the native shim.
public struct NativeError: Error, CustomStringConvertible, Sendable {
    /// What was being done, for example "pcl::VoxelGrid".
    public var operation: String
    /// The shim's status name (`invalid argument`, `C++ exception`, ...).
    public var reason: String
    /// The native library's own message, if it gave one.
    public var message: String

    public var description: String {
        message.isEmpty ? "\(operation) failed: \(reason)" : "\(operation) failed: \(reason): \(message)"
    }
}

/// The one place where a native status becomes a Swift error (used by FusionReference too).
package func checked(_ status: fusion_native_status, _ operation: @autoclosure () -> String) throws(NativeError) {
    let reason: String
    switch status {
    case FUSION_NATIVE_OK: return
    case FUSION_NATIVE_INVALID_ARGUMENT: reason = "invalid argument"
    case FUSION_NATIVE_BUFFER_TOO_SMALL: reason = "output buffer too small"
    case FUSION_NATIVE_IO_ERROR: reason = "I/O error"
    case FUSION_NATIVE_EXCEPTION: reason = "C++ exception"
    default: reason = "unknown status \(status.rawValue)"
    }
    throw NativeError(operation: operation(), reason: reason, message: String(cString: fusion_native_last_error()))
}
