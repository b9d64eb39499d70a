internal import CFusionNative
import Foundation
import FusionCalibration
import FusionGeometry

/// OpenCV's projection, called through the native shim: the oracle for FusionCalibration.
public enum OpenCVReference {
    /// The lens models OpenCV projects with.
    public enum LensModel: Sendable {
        /// `cv::projectPoints`: 0, 4, 5, 8, 12 or 14 coefficients (k1 k2 p1 p2 [k3 [k4 k5 k6 [s1...s4 [τx τy]]]]).
        case pinhole
        /// `cv::fisheye::projectPoints`: 4 coefficients (k1 k2 k3 k4), equidistant model.
        case fisheye
    }

    /// Pixel coordinates (u right, v down) of `points` given in the source frame.
    /// - Parameters:
    ///   - cameraFromSource: moves points into the camera frame (x right, y down, z forward).
    ///   - cameraMatrix: K, row-major rows (fx 0 cx / 0 fy cy / 0 0 1).
    public static func projectPoints(_ points: [SIMD3<Double>], cameraFromSource: RigidTransform,
                                     cameraMatrix: Matrix3x3, lens: LensModel = .pinhole,
                                     distortion: [Double] = []) throws(NativeError) -> [SIMD2<Double>] {
        guard !points.isEmpty else { return [] }
        let flatPoints = points.flatMap { [$0.x, $0.y, $0.z] }
        let rotationVector = Rodrigues.vector(of: cameraFromSource.rotation)
        let translation = [cameraFromSource.translation.x, cameraFromSource.translation.y, cameraFromSource.translation.z]
        let k = cameraMatrix.rowMajor
        let model = lens == .pinhole ? FUSION_NATIVE_LENS_PINHOLE : FUSION_NATIVE_LENS_FISHEYE
        var pixels = [Double](repeating: 0, count: 2 * points.count)
        let status = pixels.withUnsafeMutableBufferPointer { output in
            distortion.withUnsafeBufferPointer { coefficients in
                fusion_native_cv_project_points(flatPoints, points.count, rotationVector, translation, k, model,
                                                coefficients.baseAddress, coefficients.count, output.baseAddress!)
            }
        }
        try checked(status, "cv::projectPoints")
        return (0..<points.count).map { SIMD2(pixels[2 * $0], pixels[2 * $0 + 1]) }
    }
}
