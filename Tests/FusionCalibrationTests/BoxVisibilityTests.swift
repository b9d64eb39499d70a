import FusionGeometry
import Testing

@testable import FusionCalibration

/// Occlusion by other boxes and by unlabelled LiDAR points, on scenes whose answer is worked out by hand.
@Suite struct BoxVisibilityTests {
    static let camera = ProjectionUnitTests.forwardCamera

    /// B: front face at x = 19.5, y ±2, z ±1 → u = 320 ± 51.3. A: front face at x = 9.5, y 0...3, z ±2,
    /// which covers exactly B's left half (lidar +y is image left).
    static let far = Cuboid(center: SIMD3(20, 0, 0), size: Size3(length: 1, width: 4, height: 2), yaw: 0)
    static let nearLeft = Cuboid(center: SIMD3(10, 1.5, 0), size: Size3(length: 1, width: 3, height: 4), yaw: 0)

    @Test func aNearBoxHidingHalfOfAFarOneLeavesHalfVisible() {
        let result = Self.camera.visibility(of: [Self.far, Self.nearLeft], points: PointCloud())
        #expect(abs(result[0].visibleFraction - 0.5) < 0.05, "\(result[0])")
        #expect(result[0].hiddenByBoxes > 0 && result[0].hiddenByPoints == 0)
        #expect(result[0].nuScenesLevel == 2 && result[0].kittiOcclusion == 1)
        #expect(result[1].visibleFraction == 1 && result[1].kittiOcclusion == 0)
    }

    @Test func unlabelledPointsInFrontHideTheRest() {
        // A dense wall of points (no box) at x = 5 over y -3...0, z ±1.5: B's right half.
        var wall: [SIMD3<Float>] = []
        for y in stride(from: -3.0, through: 0, by: 0.02) {
            for z in stride(from: -1.5, through: 1.5, by: 0.02) { wall.append(SIMD3(5, Float(y), Float(z))) }
        }
        let result = Self.camera.visibility(of: [Self.far, Self.nearLeft], points: PointCloud(points: wall))
        #expect(result[0].visibleFraction < 0.05, "\(result[0])")
        let share = Double(result[0].hiddenByPoints) / Double(result[0].sampleCount)
        #expect(abs(share - 0.5) < 0.05)
    }

    @Test func pointsInsideTheBoxesAreNotHiders() {
        // Points on B's own front face and inside A must not hide anything.
        let own = (0..<200).map { SIMD3<Float>(19.6, Float($0 % 20) * 0.2 - 1.9, Float($0 / 20) * 0.2 - 0.9) }
        let result = Self.camera.visibility(of: [Self.far], points: PointCloud(points: own))
        #expect(result[0].visibleFraction == 1)
    }

    @Test func aBoxOutsideTheImageHasNoSamples() {
        let behind = Cuboid(center: SIMD3(-5, 0, 0), size: Size3(length: 1, width: 1, height: 1), yaw: 0)
        let result = Self.camera.visibility(of: [behind], points: PointCloud())
        #expect(result[0].sampleCount == 0 && result[0].kittiOcclusion == 3)
    }
}
