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
    public static func projectPoints(
        _ points: [SIMD3<Double>], cameraFromSource: RigidTransform,
        cameraMatrix: Matrix3x3, lens: LensModel = .pinhole,
        distortion: [Double] = []
    ) throws(NativeError) -> [SIMD2<Double>] {
        guard !points.isEmpty else { return [] }
        let flatPoints = points.flatMap { [$0.x, $0.y, $0.z] }
        let rotationVector = Rodrigues.vector(of: cameraFromSource.rotation)
        let translation = [
            cameraFromSource.translation.x, cameraFromSource.translation.y, cameraFromSource.translation.z
        ]
        let k = cameraMatrix.rowMajor
        let model = lens == .pinhole ? FUSION_NATIVE_LENS_PINHOLE : FUSION_NATIVE_LENS_FISHEYE
        var pixels = [Double](repeating: 0, count: 2 * points.count)
        let status = pixels.withUnsafeMutableBufferPointer { output in
            distortion.withUnsafeBufferPointer { coefficients in
                fusion_native_cv_project_points(
                    flatPoints, points.count, rotationVector, translation, k, model,
                    coefficients.baseAddress, coefficients.count, output.baseAddress!)
            }
        }
        try checked(status, "cv::projectPoints")
        return (0..<points.count).map { SIMD2(pixels[2 * $0], pixels[2 * $0 + 1]) }
    }
}

extension OpenCVReference {
    /// A cloud prepared once for repeated `cv::projectPoints` calls (benchmarks): points as x y z
    /// doubles, the camera as OpenCV's arrays, and a reused output buffer.
    public struct PreparedProjection: @unchecked Sendable {
        let points: [Double]
        let rotationVector: [Double]
        let translation: [Double]
        let cameraMatrix: [Double]
        let distortion: [Double]
        let isFisheye: Bool
        public private(set) var pixels: [Double]

        public init(_ cloud: PointCloud, camera: Camera) {
            points = (0..<cloud.count).flatMap { [Double(cloud.x[$0]), Double(cloud.y[$0]), Double(cloud.z[$0])] }
            rotationVector = Rodrigues.vector(of: camera.cameraFromLidar.rotation)
            let t = camera.cameraFromLidar.translation
            translation = [t.x, t.y, t.z]
            cameraMatrix = camera.intrinsics.cameraMatrix.rowMajor
            distortion = camera.distortion.openCVCoefficients
            isFisheye = camera.distortion.isFisheye
            pixels = [Double](repeating: 0, count: 2 * cloud.count)
        }

        /// Runs `cv::projectPoints` (or `cv::fisheye::projectPoints`) into `pixels`.
        public mutating func run() throws(NativeError) {
            let count = points.count / 3
            let model = isFisheye ? FUSION_NATIVE_LENS_FISHEYE : FUSION_NATIVE_LENS_PINHOLE
            let status = pixels.withUnsafeMutableBufferPointer { output in
                distortion.withUnsafeBufferPointer { coefficients in
                    fusion_native_cv_project_points(
                        points, count, rotationVector, translation, cameraMatrix, model,
                        coefficients.baseAddress, coefficients.count, output.baseAddress!)
                }
            }
            try checked(status, "cv::projectPoints")
        }
    }
}
