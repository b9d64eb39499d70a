import FusionGeometry
import FusionTestSupport
import Testing

@testable import FusionCalibration

/// PnP refinement on a real KITTI frame: correspondences from the true calibration (with pixel noise
/// and 20 % gross outliers) pull a disturbed extrinsic back.
@Suite(SharedScenes.required)
struct ExtrinsicRefinementTests {
    @Test func aDisturbedExtrinsicIsRecoveredDespiteOutliers() throws {
        let frame = RealFrame.kitti[0]
        let truth = try frame.camera()
        let cloud = try frame.cloud()
        let projected = truth.project(cloud)
        var random = SeededRandomNumberGenerator(seed: 11)
        var correspondences: [PointCorrespondence] = []
        for (position, index) in projected.indicesInsideImage.enumerated() where position % 40 == 0 {
            let point = SIMD3<Double>(cloud[index])
            var pixel = try #require(truth.pixel(ofLidarPoint: point))
            if correspondences.count % 5 == 0 {
                pixel = SIMD2(random.nextDouble(in: 0..<1224), random.nextDouble(in: 0..<370))  // a wrong match
            } else {
                pixel += SIMD2(random.nextGaussian() * 0.5, random.nextGaussian() * 0.5)
            }
            correspondences.append(PointCorrespondence(lidarPoint: point, pixel: pixel))
        }
        var disturbed = truth
        disturbed.cameraFromLidar =
            RigidTransform(
                rotation: UnitQuaternion(axis: SIMD3(0.3, 1, 0.2), angle: 0.02),
                translation: SIMD3(0.08, -0.05, 0.1)) * truth.cameraFromLidar
        let refinement = try disturbed.refineExtrinsic(from: correspondences)
        #expect(refinement.cameraFromLidar.rotation.angle(to: truth.cameraFromLidar.rotation) < 0.001)
        let offset = refinement.cameraFromLidar.translation - truth.cameraFromLidar.translation
        #expect((offset * offset).sum().squareRoot() < 0.03)
        #expect(refinement.errorAfter.rootMeanSquare < 1, "inlier RMS after: \(refinement.errorAfter)")
        #expect(refinement.errorBefore.rootMeanSquare > 10 * refinement.errorAfter.rootMeanSquare)
        // Every gross outlier is rejected.
        for (index, isInlier) in refinement.inliers.enumerated() where index % 5 == 0 {
            let error = truth.reprojectionError(of: [correspondences[index]]).median
            if error > 5 { #expect(!isInlier) }
        }
    }

    @Test func tooFewCorrespondencesAreRefused() throws {
        let camera = ProjectionUnitTests.forwardCamera
        #expect(throws: ExtrinsicRefinementError.self) {
            try camera.refineExtrinsic(from: [PointCorrespondence(lidarPoint: SIMD3(5, 0, 0), pixel: SIMD2(320, 240))])
        }
    }
}
