import Foundation
import Testing

@testable import FusionGeometry

@Suite struct OverlapTests {
    static let cube2 = Size3(length: 2, width: 2, height: 2)

    @Test func handComputedOverlaps() {
        let a = Cuboid(center: .zero, size: Self.cube2, yaw: 0)
        // Shifted by 1 m in x: shared 1×2×2 = 4, union 12.
        let shifted = Cuboid(center: SIMD3(1, 0, 0), size: Self.cube2, yaw: 0)
        #expect(abs(a.iou3D(with: shifted) - 1.0 / 3) < 1e-12)
        #expect(abs(a.bevIoU(with: shifted) - 1.0 / 3) < 1e-12)
        // Turned 45°: the footprints share a regular octagon of area 8(√2 − 1); IoU = 1/√2.
        let turned = Cuboid(center: .zero, size: Self.cube2, yaw: .pi / 4)
        #expect(abs(a.footprintIntersectionArea(with: turned) - 8 * (2.0.squareRoot() - 1)) < 1e-12)
        #expect(abs(a.iou3D(with: turned) - 1 / 2.0.squareRoot()) < 1e-12)
        // Raised by 1 m: the heights share half; BEV is unchanged.
        let raised = Cuboid(center: SIMD3(0, 0, 1), size: Self.cube2, yaw: 0)
        #expect(abs(a.iou3D(with: raised) - 1.0 / 3) < 1e-12)
        #expect(abs(a.bevIoU(with: raised) - 1) < 1e-12)
        // 1 m apart along x: IoU 0, enclosing 3×1×1, union 2: GIoU = -1/3.
        let unit = Size3(length: 1, width: 1, height: 1)
        let left = Cuboid(center: .zero, size: unit, yaw: 0)
        let right = Cuboid(center: SIMD3(2, 0, 0), size: unit, yaw: 0)
        #expect(left.iou3D(with: right) == 0)
        #expect(abs(left.giou3D(with: right) - (-1.0 / 3)) < 1e-12)
    }

    @Test(arguments: 0..<40)
    func identityAndSymmetryOnRandomBoxes(seed: Int) {
        var random = SeededRandomNumberGenerator(seed: UInt64(seed))
        let a = randomBox(&random, tilted: seed % 2 == 0)
        let b = randomBox(&random, tilted: seed % 3 == 0)
        #expect(abs(a.iou3D(with: a) - 1) < 1e-9)
        #expect(abs(a.bevIoU(with: a) - 1) < 1e-9)
        #expect(abs(a.giou3D(with: a) - 1) < 1e-9)
        #expect(abs(a.iou3D(with: b) - b.iou3D(with: a)) < 1e-9)
        #expect(abs(a.bevIoU(with: b) - b.bevIoU(with: a)) < 1e-9)
        #expect(abs(a.giou3D(with: b) - b.giou3D(with: a)) < 1e-9)
        #expect((0...1).contains(a.iou3D(with: b)))
        #expect(a.giou3D(with: b) <= a.iou3D(with: b) + 1e-12 && a.giou3D(with: b) >= -1)
    }

    /// The exact shared volume agrees with a Monte-Carlo estimate: points drawn uniformly inside
    /// `a`, the share that lands in `b`, times `a`'s volume.
    @Test(arguments: 0..<24)
    func intersectionVolumeMatchesMonteCarlo(seed: Int) {
        var random = SeededRandomNumberGenerator(seed: 1000 + UInt64(seed))
        let a = randomBox(&random, tilted: seed % 2 == 1)
        var b = randomBox(&random, tilted: seed % 3 == 1)
        b.center =
            a.center
            + SIMD3(
                random.nextDouble(in: -1.5..<1.5), random.nextDouble(in: -1.5..<1.5), random.nextDouble(in: -0.8..<0.8))
        let samples = 200_000
        var hits = 0
        for _ in 0..<samples {
            let local = SIMD3(
                random.nextDouble(in: -0.5..<0.5), random.nextDouble(in: -0.5..<0.5), random.nextDouble(in: -0.5..<0.5))
            if b.contains(a.parentFromBox.apply(to: local * SIMD3(a.size.length, a.size.width, a.size.height))) {
                hits += 1
            }
        }
        let share = Double(hits) / Double(samples)
        let estimate = share * a.size.volume
        let standardError = a.size.volume * (share * (1 - share) / Double(samples)).squareRoot()
        let exact = a.intersectionVolume(with: b)
        #expect(
            abs(exact - estimate) <= 5 * standardError + 1e-9,
            "exact \(exact), Monte-Carlo \(estimate) ± \(standardError)")
    }

    @Test func theGeneralPathAgreesWithTheUprightPath() {
        var random = SeededRandomNumberGenerator(seed: 77)
        for _ in 0..<50 {
            let a = randomBox(&random, tilted: false)
            var b = randomBox(&random, tilted: false)
            b.center =
                a.center
                + SIMD3(random.nextDouble(in: -1..<1), random.nextDouble(in: -1..<1), random.nextDouble(in: -0.5..<0.5))
            // A tilt of 1e-7 rad about x changes the shared volume far less than the tolerance, but
            // it is not upright to within 1e-12, so the pair goes through the polyhedron clipper.
            var bTilted = b
            bTilted.rotation = b.rotation * UnitQuaternion(axis: SIMD3(1, 0, 0), angle: 1e-7)
            let upright = a.intersectionVolume(with: b)
            let general = a.intersectionVolume(with: bTilted)
            #expect(abs(upright - general) < 1e-5 * max(1, upright), "upright \(upright), general \(general)")
        }
    }

    func randomBox(_ random: inout SeededRandomNumberGenerator, tilted: Bool) -> Cuboid {
        let size = Size3(
            length: random.nextDouble(in: 0.5..<5), width: random.nextDouble(in: 0.5..<2.5),
            height: random.nextDouble(in: 0.5..<2))
        let center = SIMD3(
            random.nextDouble(in: -1..<1), random.nextDouble(in: -1..<1), random.nextDouble(in: -0.5..<0.5))
        let yaw = random.nextDouble(in: -.pi..<(.pi))
        let rotation =
            tilted
            ? UnitQuaternion(eulerXYZ: SIMD3(random.nextDouble(in: -0.6..<0.6), random.nextDouble(in: -0.6..<0.6), yaw))
            : UnitQuaternion(yaw: yaw)
        return Cuboid(center: center, size: size, rotation: rotation)
    }
}

@Suite struct EnclosingHullTests {
    /// For upright boxes spanning the same heights, the 3D hull is the 2D hull of the footprints
    /// times the height: an independent route to the enclosing volume through `convexHull`.
    @Test(arguments: 0..<20)
    func giouOfLevelBoxesUsesTheFootprintHull(seed: Int) {
        var random = SeededRandomNumberGenerator(seed: 500 + UInt64(seed))
        func box() -> Cuboid {
            Cuboid(
                center: SIMD3(random.nextDouble(in: -3..<3), random.nextDouble(in: -3..<3), 0.7),
                size: Size3(
                    length: random.nextDouble(in: 0.5..<5), width: random.nextDouble(in: 0.5..<2.5), height: 1.4),
                yaw: random.nextDouble(in: -.pi..<(.pi)))
        }
        let a = box()
        let b = box()
        let hullArea = ConvexPolygon.signedArea(ConvexPolygon.convexHull((a.footprint + b.footprint)))
        let enclosing = hullArea * 1.4
        let union = a.size.volume + b.size.volume - a.intersectionVolume(with: b)
        let expected = a.iou3D(with: b) - (enclosing - union) / enclosing
        #expect(abs(a.giou3D(with: b) - expected) < 1e-9)
    }
}

/// The cheap footprint test never rules out boxes that do overlap.
@Suite struct FootprintTestTests {
    @Test func overlappingFootprintsAlwaysMayMeet() {
        var random = SeededRandomNumberGenerator(seed: 17)
        var overlapping = 0
        for _ in 0..<2_000 {
            func box() -> Cuboid {
                Cuboid(
                    center: SIMD3(random.nextDouble(in: -4..<4), random.nextDouble(in: -4..<4), 0),
                    size: Size3(
                        length: random.nextDouble(in: 0.3..<6), width: random.nextDouble(in: 0.3..<3), height: 1.5),
                    yaw: random.nextDouble(in: -Double.pi..<Double.pi))
            }
            let a = box()
            let b = box()
            if a.footprintIntersectionArea(with: b) > 0 {
                overlapping += 1
                #expect(a.footprintMayMeet(b) && b.footprintMayMeet(a))
            }
        }
        #expect(overlapping > 200)
    }
}
