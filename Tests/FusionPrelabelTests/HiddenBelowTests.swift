import Foundation
import FusionGeometry
import Testing

@testable import FusionPrelabel

/// A person behind a hedge shows only the upper body, more than the usual clearance above the
/// ground: still proposed, because the rays below the body hit the hedge. The same body hanging
/// over open road (a sign, a branch) is not, nor the top of a pole behind the hedge.
@Suite struct HiddenBelowTests {
    static let ground = -1.8

    /// What a sweep is cast against: upright boxes (low and high corners) and upright cylinders
    /// (a person's rounded body), metres.
    enum Solid {
        case box(low: SIMD3<Double>, high: SIMD3<Double>)
        case cylinder(center: SIMD2<Double>, radius: Double, bottom: Double, top: Double)

        /// Where the ray from the origin along the unit `direction` first meets the solid, metres.
        func distance(along direction: SIMD3<Double>) -> Double? {
            switch self {
            case .box(let low, let high):
                let near = low / direction
                let far = high / direction
                let enter = pointwiseMin(near, far).max()
                let leave = pointwiseMax(near, far).min()
                return enter <= leave && enter > 0 ? enter : nil
            case .cylinder(let center, let radius, let bottom, let top):
                // |t·d_xy − c|² = r² on the side; the nearer root, within the height.
                let flat = SIMD2(direction.x, direction.y)
                let a = (flat * flat).sum()
                let b = -2 * (flat * center).sum()
                let c = (center * center).sum() - radius * radius
                let discriminant = b * b - 4 * a * c
                guard discriminant >= 0 else { return nil }
                let t = (-b - discriminant.squareRoot()) / (2 * a)
                let height = t * direction.z
                return t > 0 && height >= bottom && height <= top ? t : nil
            }
        }
    }

    /// A person 1.75 m tall, 0.44 m across, standing 20 m ahead.
    static let person = Solid.cylinder(center: SIMD2(20, 0), radius: 0.22, bottom: ground, top: ground + 1.75)
    /// Only the body above 1.15 m: what the hedge leaves of the person, hanging in the air.
    static let hanging = Solid.cylinder(center: SIMD2(20, 0), radius: 0.22, bottom: ground + 1.15, top: ground + 1.75)
    /// A hedge 1.25 m tall and 0.5 m deep, 17 m ahead, 2 m wide.
    static let hedge = Solid.box(low: SIMD3(17, -1, ground), high: SIMD3(17.5, 1, ground + 1.25))
    /// A pole 0.15 m thick and 3 m tall, 20 m ahead, behind the hedge: its top is not a body.
    static let pole = Solid.box(low: SIMD3(19.9, -0.075, ground), high: SIMD3(20.05, 0.075, ground + 3))

    /// Rays from the origin, 0.2° apart in bearing (±8°) and 0.33° in elevation (−16° to +2°), each
    /// returning from the nearest solid or the ground within 60 m. Returns the sweep and, per
    /// return, the solid it hit (nil: the ground).
    static func sweep(_ solids: [Solid]) -> (cloud: PointCloud, hit: [Int?]) {
        var points: [SIMD3<Float>] = []
        var hit: [Int?] = []
        for column in -40...40 {
            for row in 0...54 {
                let bearing = Double(column) * 0.2 * .pi / 180
                let elevation = (-16 + Double(row) * 0.33) * .pi / 180
                let direction = SIMD3(cos(elevation) * cos(bearing), cos(elevation) * sin(bearing), sin(elevation))
                var nearest = direction.z < 0 ? ground / direction.z : .infinity
                var which: Int? = nil
                for (index, solid) in solids.enumerated() {
                    if let distance = solid.distance(along: direction), distance < nearest {
                        nearest = distance
                        which = index
                    }
                }
                guard nearest < 60 else { continue }
                points.append(SIMD3<Float>(direction * nearest))
                hit.append(which)
            }
        }
        return (PointCloud(points: points), hit)
    }

    static func proposal(for target: Int, among solids: [Solid], prelabeler: Prelabeler = Prelabeler.withoutScorer)
        throws -> Proposal?
    {
        let (cloud, hit) = sweep(solids)
        let indices = hit.indices.filter { hit[$0] == target }
        try #require(indices.count >= 20)
        return prelabeler.propose(
            indices.map { cloud[$0] }, indices: indices, groundHeight: { _, _ in ground },
            context: SweepContext(cloud, rays: SweepRays(cloud)))
    }

    @Test func aPersonBehindAHedgeIsProposedWithItsFeetOnTheGround() throws {
        let behindHedge = try #require(try Self.proposal(for: 0, among: [Self.person, Self.hedge]))
        let fit = behindHedge.fit.cuboid
        #expect(abs(fit.center.z - fit.size.height / 2 - Self.ground) < 1e-6)
        #expect(
            behindHedge.classProbabilities.max { $0.value < $1.value }?.key == .pedestrian,
            "\(behindHedge.classProbabilities)")
        #expect(behindHedge.flags.contains(.partialView))
        // Its lowest return is more than the usual clearance above the ground: without the hidden
        // rule it is dropped.
        let (cloud, _) = Self.sweep([Self.person, Self.hedge])
        let lowest = behindHedge.pointIndices.map { Double(cloud.z[$0]) }.min() ?? .infinity
        #expect(
            lowest - Self.ground > Prelabeler.withoutScorer.maximumClearance,
            "lowest return \(lowest - Self.ground) m up")
        var strict = Prelabeler.withoutScorer
        strict.hiddenClearance = strict.maximumClearance
        #expect(try Self.proposal(for: 0, among: [Self.person, Self.hedge], prelabeler: strict) == nil)
    }

    @Test func theSameBodyOverOpenRoadIsNot() throws {
        #expect(try Self.proposal(for: 0, among: [Self.hanging]) == nil)
        // Hanging behind the hedge, it is (the sweep cannot tell the two apart).
        #expect(try Self.proposal(for: 0, among: [Self.hanging, Self.hedge]) != nil)
    }

    @Test func thePoleTopBehindTheHedgeIsNoBody() throws {
        #expect(try Self.proposal(for: 0, among: [Self.pole, Self.hedge]) == nil)
    }

    @Test func raysBelowAreCountedOnlyInTheObjectsBearings() throws {
        let (cloud, hit) = Self.sweep([Self.person, Self.hedge])
        let body = hit.indices.filter { hit[$0] == 0 }.map { cloud[$0] }
        let footprint = Cuboid(
            center: SIMD3(20, 0, Self.ground + 0.875), size: Size3(length: 0.4, width: 0.5, height: 1.75), yaw: 0)
        let rays = SweepRays(cloud)
        let hidden = rays.hidesBelow(body, box: footprint, depth: 0.03, margin: 0.5, minimumRays: 4, seenShare: 0.2)
        #expect(hidden)
        // The same body 2 m to the side, past the hedge's end, where the road below it is seen.
        let aside = Cuboid(
            center: SIMD3(20, 2, Self.ground + 0.875), size: Size3(length: 0.4, width: 0.5, height: 1.75), yaw: 0)
        let asideHidden = rays.hidesBelow(
            body.map { $0 + SIMD3(0, 2, 0) }, box: aside, depth: 0.03, margin: 0.5, minimumRays: 4, seenShare: 0.2)
        #expect(!asideHidden)
    }
}
