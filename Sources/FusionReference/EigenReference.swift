internal import CFusionNative
internal import CFusionNativePCL
import FusionCalibration
import FusionGeometry

/// Eigen's quaternion arithmetic, called through the native shim: the oracle for `RigidTransform`.
enum EigenReference {
    /// `transform` applied by `Eigen::Quaterniond` and a translation, in double precision.
    public static func apply(_ transform: RigidTransform, to points: [SIMD3<Double>]) throws(NativeError) -> [SIMD3<
        Double
    >] {
        guard !points.isEmpty else { return [] }
        let rotation = transform.rotation
        let quaternion = [rotation.w, rotation.x, rotation.y, rotation.z]
        let translation = [transform.translation.x, transform.translation.y, transform.translation.z]
        let input = points.flatMap { [$0.x, $0.y, $0.z] }
        var output = [Double](repeating: 0, count: input.count)
        let status = output.withUnsafeMutableBufferPointer { result in
            fusion_native_eigen_transform_points(quaternion, translation, input, points.count, result.baseAddress!)
        }
        try checked(status, "Eigen::Quaterniond transform")
        return (0..<points.count).map { SIMD3(output[3 * $0], output[3 * $0 + 1], output[3 * $0 + 2]) }
    }
}
