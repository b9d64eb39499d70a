import FusionGeometry
import Testing

@testable import FusionCalibration

/// Hand-computed projections and the edge cases: NaN points, points behind, the lens fold-back.
@Suite struct ProjectionUnitTests {
    /// A 640×480 camera with f = 500 looking along LiDAR +x (camera x = -lidar y, y = -lidar z, z = lidar x).
    static let forwardCamera: Camera = {
        let axes = Matrix3x3(rows: SIMD3(0, -1, 0), SIMD3(0, 0, -1), SIMD3(1, 0, 0))
        return Camera(
            name: "front", intrinsics: PinholeIntrinsics(fx: 500, fy: 500, cx: 320, cy: 240),
            imageSize: ImageSize(width: 640, height: 480),
            cameraFromLidar: RigidTransform(rotation: UnitQuaternion(rotationMatrix: axes)))
    }()

    @Test func handComputedPixels() {
        // 10 m ahead, 1 m left, 0.5 m up: u = 320 + 500 · (-1 / 10) = 270, v = 240 + 500 · (-0.5 / 10) = 215.
        let cloud = PointCloud(points: [SIMD3(10, 1, 0.5)])
        let projected = Self.forwardCamera.project(cloud)
        #expect(abs(projected.u[0] - 270) < 1e-4)
        #expect(abs(projected.v[0] - 215) < 1e-4)
        #expect(abs(projected.depth[0] - 10) < 1e-5)
        #expect(projected.flags(at: 0) == [.inFront, .insideImage])
    }

    @Test func nonFinitePointsAreSkippedAndCounted() {
        let cloud = PointCloud(points: [
            SIMD3(.nan, 0, 0), SIMD3(5, .infinity, 0), SIMD3(5, 0, 0), SIMD3(5, 0, -.infinity)
        ])
        let projected = Self.forwardCamera.project(cloud)
        #expect(projected.nonFiniteCount == 3)
        #expect(projected.insideImageCount == 1)
        #expect(projected.flags(at: 0) == .nonFinite)
        #expect(projected.flags(at: 2) == [.inFront, .insideImage])
    }

    @Test func pointsBehindOrAtTheLensAreNotInFront() {
        // Straight behind projects onto the principal point numerically; it must not count as seen.
        let cloud = PointCloud(points: [SIMD3(-10, 0, 0), SIMD3(0.05, 0, 0), SIMD3(0, 3, 0)])
        let projected = Self.forwardCamera.project(cloud)
        #expect(projected.inFrontCount == 0)
        #expect(projected.insideImageCount == 0)
    }

    @Test func theLensFoldBackDoesNotPutFarOffAxisPointsIntoTheImage() {
        // k1 = -0.5: r(1 + k1 r²) peaks at r = 1/√1.5 ≈ 0.816 and folds back towards the centre after it.
        var camera = Self.forwardCamera
        camera.distortion = .brownConrady(.init(k1: -0.5, k2: 0, p1: 0, p2: 0))
        #expect(abs(camera.distortion.validRadius - 0.8165) < 1e-3)
        // 60° off axis (r = tan 60° ≈ 1.73): the polynomial lands it at x'' ≈ -0.86, inside the image.
        let cloud = PointCloud(points: [SIMD3(1, -1.732, 0)])
        let projected = camera.project(cloud)
        #expect(projected.flags(at: 0) == .inFront)
    }

    @Test func resultStorageIsReusedAcrossCalls() {
        let cloud = PointCloud(points: (0..<1000).map { SIMD3(Float($0 % 50) + 1, 0, 0) })
        var projected = ProjectedPoints()
        Self.forwardCamera.project(cloud, into: &projected)
        let address = projected.u.withUnsafeBufferPointer { $0.baseAddress }
        Self.forwardCamera.project(cloud, into: &projected)
        #expect(projected.u.withUnsafeBufferPointer { $0.baseAddress } == address)
        #expect(projected.insideImageCount == 1000)
    }

    @Test func parallelChunksGiveTheSameBitsAsOneThread() {
        var random = SeededRandomNumberGenerator(seed: 3)
        let points = (0..<(ProjectionConcurrency.parallelThreshold + 12_345)).map { _ in
            SIMD3(
                Float(random.nextDouble(in: -50..<50)), Float(random.nextDouble(in: -50..<50)),
                Float(random.nextDouble(in: -3..<3)))
        }
        let cloud = PointCloud(points: points)
        let parallel = Self.forwardCamera.project(cloud)
        let serial = Self.forwardCamera.project(cloud, concurrency: .singleThread)
        #expect(
            parallel.u == serial.u && parallel.v == serial.v && parallel.depth == serial.depth
                && parallel.flags == serial.flags)
    }
}
