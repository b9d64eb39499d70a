internal import CFusionNative
import Foundation
import FusionGeometry
import FusionSupport

/// A LiDAR point and the pixel where it shows in the image (picked by a person or matched by a tool).
struct PointCorrespondence: Hashable, Sendable {
    /// LiDAR frame, metres.
    var lidarPoint: SIMD3<Double>
    /// Pixel (u right, v down) in the distorted image as recorded.
    public var pixel: SIMD2<Double>

    public init(lidarPoint: SIMD3<Double>, pixel: SIMD2<Double>) {
        self.lidarPoint = lidarPoint
        self.pixel = pixel
    }
}

/// Reprojection errors of a set of correspondences under one extrinsic, pixels.
struct ReprojectionError: Hashable, Sendable {
    var rootMeanSquare: Double
    public var median: Double
    public var count: Int
}

/// The result of `Camera.refineExtrinsic(from:)`.
struct ExtrinsicRefinement: Sendable {
    public var cameraFromLidar: RigidTransform
    /// One flag per correspondence: whether RANSAC kept it.
    public var inliers: [Bool]
    /// Errors over the inliers with the camera's extrinsic before and after.
    var errorBefore: ReprojectionError
    var errorAfter: ReprojectionError

    var inlierCount: Int { inliers.filter { $0 }.count }
}

/// Why an extrinsic cannot be refined.
struct ExtrinsicRefinementError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

extension Camera {
    /// Refines `cameraFromLidar` from 2D-3D correspondences with OpenCV's `solvePnPRansac` (iterative
    /// solver, starting from the current extrinsic, refined on the inliers).
    /// - Parameters:
    ///   - reprojectionThreshold: pixels; a correspondence farther than this from its projection is an outlier.
    /// - Throws: `ExtrinsicRefinementError` for fewer than 6 correspondences, or when RANSAC finds no
    ///   consensus; `NativeError` is wrapped into it.
    func refineExtrinsic(
        from correspondences: [PointCorrespondence], reprojectionThreshold: Double = 3,
        iterations: Int = 500, confidence: Double = 0.999
    ) throws(ExtrinsicRefinementError) -> ExtrinsicRefinement {
        guard correspondences.count >= 6 else {
            throw ExtrinsicRefinementError(
                message: "PnP needs at least 6 correspondences, got \(correspondences.count)")
        }
        let objectPoints = correspondences.flatMap { [$0.lidarPoint.x, $0.lidarPoint.y, $0.lidarPoint.z] }
        // Fisheye lenses are handed to OpenCV as undistorted pinhole pixels.
        let (imagePoints, coefficients): ([Double], [Double]) =
            distortion.isFisheye
            ? (
                correspondences.flatMap { correspondence -> [Double] in
                    let ray = self.ray(throughPixel: correspondence.pixel)
                    let undistorted = intrinsics.pixel(ofNormalised: SIMD2(ray.x, ray.y))
                    return [undistorted.x, undistorted.y]
                }, []
            )
            : (correspondences.flatMap { [$0.pixel.x, $0.pixel.y] }, distortion.openCVCoefficients)
        var rotationVector = Rodrigues.vector(of: cameraFromLidar.rotation)
        var translation = [cameraFromLidar.translation.x, cameraFromLidar.translation.y, cameraFromLidar.translation.z]
        var inlierFlags = [UInt8](repeating: 0, count: correspondences.count)
        var inlierCount = 0
        let k = intrinsics.cameraMatrix.rowMajor
        let status = coefficients.withUnsafeBufferPointer { distortionBuffer in
            fusion_native_cv_solve_pnp_ransac(
                objectPoints, imagePoints, correspondences.count, k,
                distortionBuffer.baseAddress, distortionBuffer.count, reprojectionThreshold,
                Int32(iterations), confidence, &rotationVector, &translation, &inlierFlags, &inlierCount)
        }
        do { try checked(status, "cv::solvePnPRansac") } catch {
            throw ExtrinsicRefinementError(message: error.description)
        }
        guard inlierCount > 0 else {
            throw ExtrinsicRefinementError(
                message: "RANSAC found no pose that explains the correspondences within \(reprojectionThreshold) px")
        }
        let refined = RigidTransform(
            rotation: Rodrigues.rotation(of: SIMD3(rotationVector[0], rotationVector[1], rotationVector[2])),
            translation: SIMD3(translation[0], translation[1], translation[2]))
        let inliers = inlierFlags.map { $0 != 0 }
        let kept = zip(correspondences, inliers).filter(\.1).map(\.0)
        var after = self
        after.cameraFromLidar = refined
        return ExtrinsicRefinement(
            cameraFromLidar: refined, inliers: inliers,
            errorBefore: reprojectionError(of: kept), errorAfter: after.reprojectionError(of: kept))
    }

    /// Reprojection errors of correspondences under this camera's extrinsic (points not in front count
    /// as infinitely wrong).
    func reprojectionError(of correspondences: [PointCorrespondence]) -> ReprojectionError {
        let errors = correspondences.map { correspondence -> Double in
            guard let pixel = pixel(ofLidarPoint: correspondence.lidarPoint) else { return .infinity }
            let difference = pixel - correspondence.pixel
            return (difference * difference).sum().squareRoot()
        }.sorted()
        guard !errors.isEmpty else { return ReprojectionError(rootMeanSquare: 0, median: 0, count: 0) }
        let meanSquare = errors.reduce(0) { $0 + $1 * $1 } / Double(errors.count)
        return ReprojectionError(
            rootMeanSquare: meanSquare.squareRoot(), median: OrderStatistics.upperMedian(errors), count: errors.count)
    }
}

/// Axis-angle (Rodrigues) vectors, OpenCV's rotation format: unit axis times angle in radians.
package enum Rodrigues {
    package static func vector(of rotation: UnitQuaternion) -> [Double] {
        let vector = SIMD3(rotation.x, rotation.y, rotation.z)
        let sine = (vector * vector).sum().squareRoot()
        guard sine > 0 else { return [0, 0, 0] }
        let axisAngle = vector / sine * (2 * atan2(sine, rotation.w))
        return [axisAngle.x, axisAngle.y, axisAngle.z]
    }

    package static func rotation(of vector: SIMD3<Double>) -> UnitQuaternion {
        let angle = (vector * vector).sum().squareRoot()
        guard angle > 0 else { return .identity }
        return UnitQuaternion(axis: vector / angle, angle: angle)
    }
}
