import Foundation
import FusionGeometry
import Testing

@testable import FusionPrelabel

/// The free-space check: a face 30 m ahead is a car's only if the sweep did not see through where
/// the rest of the car would be.
@Suite struct SeenThroughTests {
    static let ground: Float = -1.7

    /// A 1.9 m wide face across the line of sight 30 m ahead, 1.45 m tall, and the road around it
    /// out to 60 m; `shadowed` removes the road returns behind the face, as a solid body would.
    static func sweep(shadowed: Bool) -> PointCloud {
        var points: [SIMD3<Float>] = []
        for row in 0..<8 {
            for column in 0...24 {
                points.append(SIMD3(30, -0.95 + Float(column) * 0.079, ground + 0.2 + Float(row) * 0.179))
            }
        }
        let halfSpan = atan2(0.95, 30.0)
        for ring in 0...114 {
            let range = 3 + Double(ring) * 0.5
            for step in -150...150 {
                let bearing = Double(step) * 0.2 * .pi / 180
                if shadowed && range > 30 && abs(bearing) <= halfSpan { continue }
                points.append(SIMD3(Float(range * cos(bearing)), Float(range * sin(bearing)), ground))
            }
        }
        return PointCloud(points: points)
    }

    @Test func raysBeyondTheGrownBoxAreCounted() throws {
        let cloud = Self.sweep(shadowed: false)
        let face = Cuboid(
            center: SIMD3(30, 0, Double(Self.ground) + 0.725), size: Size3(length: 1.9, width: 0.05, height: 1.45),
            yaw: .pi / 2)
        // The face grown 3.2 m away from the sensor, as a car's smallest length.
        let grown = Cuboid(
            center: SIMD3(31.6, 0, Double(Self.ground) + 0.725), size: Size3(length: 1.9, width: 3.25, height: 1.45),
            yaw: .pi / 2)
        let rays = SweepRays(cloud)
        let through = rays.raysThrough(grown, outside: face, band: 0.3...0.7, margin: 0.2)
        // Independently, by walking each ray in 1 cm steps: returns whose ray is inside the grown
        // box, outside the face grown by 20 cm, 0.3-0.7 m above the box's bottom, and ends beyond.
        func isInside(_ box: Cuboid, _ point: SIMD2<Double>, grow: Double) -> Bool {
            let offset = point - SIMD2(box.center.x, box.center.y)
            let along = offset.x * cos(box.yaw) + offset.y * sin(box.yaw)
            let across = -offset.x * sin(box.yaw) + offset.y * cos(box.yaw)
            return abs(along) <= box.size.length / 2 + grow && abs(across) <= box.size.width / 2 + grow
        }
        let bottom = grown.center.z - grown.size.height / 2
        var expected = 0
        for index in 0..<cloud.count {
            let point = SIMD3<Double>(cloud[index])
            let range = (point.x * point.x + point.y * point.y).squareRoot()
            guard abs(atan2(point.y, point.x)) < 2 * .pi / 180 else { continue }
            var distance = 29.5
            while distance < range - 0.2 {
                let at = SIMD2(point.x, point.y) * distance / range
                let height = point.z * distance / range - bottom
                if isInside(grown, at, grow: 0) && !isInside(face, at, grow: 0.2) && height >= 0.3 && height <= 0.7 {
                    expected += 1
                    break
                }
                distance += 0.01
            }
        }
        #expect(through > 100)
        #expect(abs(through - expected) <= 2, "\(through) vs \(expected)")
        // Shadowed, nothing came from beyond the face.
        #expect(
            SweepRays(Self.sweep(shadowed: true)).raysThrough(grown, outside: face, band: 0.3...0.7, margin: 0.2) == 0)
        // A box around the sensor, or one with no returns behind it, lets nothing through.
        let around = Cuboid(center: SIMD3(0, 0, -1), size: Size3(length: 4, width: 2, height: 1.5), yaw: 0)
        #expect(rays.raysThrough(around, outside: face, band: 0.3...0.7, margin: 0.2) == 0)
    }

    @Test func aFaceTheSweepSawThroughIsNoVehicle() throws {
        let shadowed = Prelabeler.withoutScorer.prelabel(Self.sweep(shadowed: true)).proposals
        let seeThrough = Prelabeler.withoutScorer.prelabel(Self.sweep(shadowed: false)).proposals
        func faceProposal(_ proposals: [Proposal]) throws -> Proposal {
            try #require(
                proposals.first { abs($0.fit.cuboid.center.x - 30) < 0.5 && abs($0.fit.cuboid.center.y) < 0.5 })
        }
        let solid = try faceProposal(shadowed)
        let open = try faceProposal(seeThrough)
        // The same returns, the same fit: only the road behind differs.
        #expect(solid.fit.cuboid == open.fit.cuboid)
        let likeliest = { (proposal: Proposal) in
            proposal.classProbabilities.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key
        }
        #expect(likeliest(solid) == .car, "\(solid.classProbabilities)")
        #expect(![PrelabelClass.car, .vanTruck, .bus].contains(likeliest(open)), "\(open.classProbabilities)")
        #expect(open.cuboid.size.length < 2.5 && open.cuboid.size.width < 1.2, "\(open.cuboid)")
    }
}
