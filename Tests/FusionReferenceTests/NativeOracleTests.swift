import Foundation
import FusionCalibration
import FusionGeometry
import Testing

@testable import FusionReference

/// The native oracles themselves, on cases small enough to compute by hand, and our geometry
/// against Eigen.
@Suite struct NativeOracleTests {
    @Test func rigidTransformAgreesWithEigen() throws {
        var random = SeededRandomNumberGenerator(seed: 5)
        for _ in 0..<20 {
            let transform = RigidTransform(
                rotation: UnitQuaternion(
                    eulerXYZ: SIMD3(
                        random.nextDouble(in: -3..<3), random.nextDouble(in: -1.5..<1.5), random.nextDouble(in: -3..<3))
                ),
                translation: SIMD3(
                    random.nextDouble(in: -100..<100), random.nextDouble(in: -100..<100), random.nextDouble(in: -5..<5))
            )
            let points = (0..<50).map { _ in
                SIMD3(random.nextGaussian() * 40, random.nextGaussian() * 40, random.nextGaussian() * 2)
            }
            let eigen = try EigenReference.apply(transform, to: points)
            for (point, expected) in zip(points, eigen) {
                let difference = transform.apply(to: point) - expected
                #expect(max(abs(difference.x), abs(difference.y), abs(difference.z)) < 1e-9)
            }
        }
    }

    @Test func voxelGridAveragesEachOccupiedVoxel() throws {
        // Two points in voxel [0,1)³, one in [2,3)×[0,1)×[0,1).
        let cloud = PointCloud(points: [SIMD3(0.2, 0.2, 0.2), SIMD3(0.4, 0.6, 0.8), SIMD3(2.5, 0.5, 0.5)])
        let centroids = try PCLPointCloud(cloud).voxelGridCentroids(leafSize: SIMD3(repeating: 1))
        let sorted = (0..<centroids.count).map { centroids[$0] }.sorted { $0.x < $1.x }
        #expect(sorted.count == 2)
        #expect(abs(sorted[0].x - 0.3) < 1e-6 && abs(sorted[0].y - 0.4) < 1e-6 && abs(sorted[0].z - 0.5) < 1e-6)
        #expect(sorted[1] == SIMD3(2.5, 0.5, 0.5))
    }

    @Test func euclideanClustersSeparateBlobsAndDropSmallOnes() throws {
        // A line of 10 points 0.1 m apart, 5 more far away, and one lone point.
        let line = (0..<10).map { SIMD3<Float>(Float($0) * 0.1, 0, 0) }
        let blob = (0..<5).map { SIMD3<Float>(10, Float($0) * 0.1, 0) }
        let cloud = PointCloud(points: line + blob + [SIMD3(-20, 0, 0)])
        let (labels, clusterCount) = try PCLPointCloud(cloud).euclideanClusterLabels(tolerance: 0.15, sizes: 2...100)
        #expect(clusterCount == 2)
        #expect(labels == Array(repeating: 0, count: 10) + Array(repeating: 1, count: 5) + [-1])
    }

    @Test func invalidArgumentsBecomeNativeErrors() {
        #expect(throws: NativeError.self) {
            _ = try PCLPointCloud(PointCloud(points: [.zero])).voxelGridCentroids(leafSize: SIMD3(0, 1, 1))
        }
        #expect(throws: NativeError.self) {
            _ = try OpenCVReference.projectPoints(
                [SIMD3(0, 0, 1)], cameraFromSource: .identity, cameraMatrix: .identity,
                lens: .fisheye, distortion: [0.1])
        }
    }

    @Test func openCVProjectionIsThePinholeFormula() throws {
        let k = Matrix3x3(rows: SIMD3(700, 0, 600), SIMD3(0, 710, 180), SIMD3(0, 0, 1))
        let axes = Matrix3x3(rows: SIMD3(0, -1, 0), SIMD3(0, 0, -1), SIMD3(1, 0, 0))  // x right, y down, z forward
        let cameraFromLidar = RigidTransform(
            rotation: UnitQuaternion(rotationMatrix: axes) * UnitQuaternion(yaw: 0.05),
            translation: SIMD3(0.1, -0.2, 0.3))
        let points: [SIMD3<Double>] = [SIMD3(10, 1, -0.5), SIMD3(25, -4, 1.2), SIMD3(5, 0, 0)]
        let pixels = try OpenCVReference.projectPoints(points, cameraFromSource: cameraFromLidar, cameraMatrix: k)
        for (point, pixel) in zip(points, pixels) {
            let camera = cameraFromLidar.apply(to: point)
            let expected = SIMD2(700 * camera.x / camera.z + 600, 710 * camera.y / camera.z + 180)
            #expect(abs(pixel.x - expected.x) < 1e-9 && abs(pixel.y - expected.y) < 1e-9)
        }
        // Radial distortion pushes a point off-axis further out: r' = r (1 + k1 r²).
        let distorted = try OpenCVReference.projectPoints(
            [SIMD3(0.2, 0, 1)], cameraFromSource: .identity, cameraMatrix: k,
            distortion: [0.1, 0, 0, 0, 0])
        #expect(abs(distorted[0].x - (600 + 700 * 0.2 * (1 + 0.1 * 0.04))) < 1e-9)
    }
}
