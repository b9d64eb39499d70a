import Foundation
import Testing

@testable import FusionGeometry

@Suite struct CuboidTests {
    let car = Cuboid(center: SIMD3(10, 2, 0.8), size: Size3(length: 4, width: 2, height: 1.6), yaw: .pi / 2)

    @Test func cornersFollowTheDocumentedOrder() {
        // Yaw π/2: the heading is +y, the box's left is -x.
        let corners = car.corners
        #expect(simdMaxDifference(corners[0], SIMD3(11, 4, 0)) < 1e-12)  // front right bottom
        #expect(simdMaxDifference(corners[1], SIMD3(9, 4, 0)) < 1e-12)  // front left bottom
        #expect(simdMaxDifference(corners[2], SIMD3(9, 0, 0)) < 1e-12)  // rear left bottom
        #expect(simdMaxDifference(corners[3], SIMD3(11, 0, 0)) < 1e-12)  // rear right bottom
        #expect(simdMaxDifference(corners[4], SIMD3(11, 4, 1.6)) < 1e-12)  // front right top
        #expect(ConvexPolygon.signedArea(car.footprint) > 0)
        #expect(abs(ConvexPolygon.signedArea(car.footprint) - 8) < 1e-12)
    }

    @Test func containsIncludesTheSurfaceAndExcludesNaN() {
        #expect(car.contains(SIMD3(10, 2, 0.8)))
        #expect(car.contains(SIMD3(11, 4, 1.6)))
        #expect(!car.contains(SIMD3(11.01, 2, 0.8)))
        #expect(!car.contains(SIMD3(.nan, 2, 0.8)))
    }

    @Test func pointsInsideAgreeWithThePerPointTest() {
        var random = SeededRandomNumberGenerator(seed: 3)
        let tilted = Cuboid(
            center: SIMD3(5, -1, 0.5), size: Size3(length: 3, width: 1.5, height: 2),
            rotation: UnitQuaternion(eulerXYZ: SIMD3(0.1, -0.2, 0.9)))
        let points = (0..<20_000).map { _ in
            SIMD3<Float>(
                Float(random.nextDouble(in: 2..<8)), Float(random.nextDouble(in: -4..<2)),
                Float(random.nextDouble(in: -1.5..<2.5)))
        }
        var cloud = PointCloud(points: points + [SIMD3(.nan, 0, 0)])
        cloud.setAttributes(PointAttributes(intensity: (0..<cloud.count).map(Float.init)))
        let expected = (0..<cloud.count).filter { tilted.contains(SIMD3<Double>(cloud[$0])) }
        #expect(expected.count > 1000)
        #expect(cloud.indicesOfPoints(inside: tilted) == expected)
        #expect(cloud.countPoints(inside: tilted) == expected.count)
        #expect(cloud.insideMask(of: tilted).enumerated().filter(\.element).map(\.offset) == expected)
        let inside = cloud.points(inside: tilted)
        #expect(inside.attributes.intensity == expected.map(Float.init))
    }

    @Test func transformingABoxMovesItsCorners() {
        let parentFromChild = RigidTransform(
            rotation: UnitQuaternion(eulerXYZ: SIMD3(-.pi / 2, 0, -.pi / 2)), translation: SIMD3(0.3, 0, -0.1))
        let moved = car.transformed(by: parentFromChild)
        for (corner, movedCorner) in zip(car.corners, moved.corners) {
            #expect(simdMaxDifference(parentFromChild.apply(to: corner), movedCorner) < 1e-12)
        }
    }
}

@Suite struct PointCloudTests {
    @Test func transformMatchesThePerPointTransform() {
        var random = SeededRandomNumberGenerator(seed: 11)
        let points = (0..<1000).map { _ in
            SIMD3<Float>(
                Float(random.nextGaussian() * 20), Float(random.nextGaussian() * 20), Float(random.nextGaussian()))
        }
        let worldFromLidar = RigidTransform(
            rotation: UnitQuaternion(eulerXYZ: SIMD3(0.02, 0.01, 2.1)), translation: SIMD3(120, -40, 3))
        let moved = PointCloud(points: points).transformed(by: worldFromLidar)
        for (index, point) in points.enumerated() {
            let expected = worldFromLidar.apply(to: SIMD3<Double>(point))
            #expect(simdMaxDifference(SIMD3<Double>(moved[index]), expected) < 1e-4)
        }
    }

    @Test func boundsAndNonFiniteCountsSkipInvalidPoints() {
        let cloud = PointCloud(points: [SIMD3(1, 2, 3), SIMD3(.nan, 0, 0), SIMD3(-1, 5, .infinity), SIMD3(0, -2, 1)])
        #expect(cloud.nonFiniteCount == 2)
        #expect(cloud.bounds?.min == SIMD3(0, -2, 1))
        #expect(cloud.bounds?.max == SIMD3(1, 2, 3))
        #expect(cloud.finitePoints().count == 2)
        #expect(PointCloud().bounds == nil)
    }
}
