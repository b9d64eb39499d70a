import Foundation
import FusionGeometry
@testable import FusionPrelabel
import Testing

/// A person behind a hedge shows only the upper body, more than the usual clearance above the
/// ground: still proposed, because the rays below the body hit the hedge. The same body hanging
/// over open road (a sign, a branch) is not.
@Suite struct HiddenBelowTests {
    static let ground = -1.8

    /// Axis-aligned boxes (low and high corners, metres) a sweep is cast against.
    typealias Block = (low: SIMD3<Double>, high: SIMD3<Double>)

    /// A person 1.75 m tall, 0.5 × 0.4 m, standing 20 m ahead.
    static let person: Block = (SIMD3(19.8, -0.25, ground), SIMD3(20.2, 0.25, ground + 1.75))
    /// Only the body above 1.15 m: what the hedge leaves of the person, hanging in the air.
    static let hanging: Block = (SIMD3(19.8, -0.25, ground + 1.15), SIMD3(20.2, 0.25, ground + 1.75))
    /// A hedge 1.25 m tall and 0.5 m deep, 17 m ahead, 2 m wide.
    static let hedge: Block = (SIMD3(17, -1, ground), SIMD3(17.5, 1, ground + 1.25))

    /// Rays from the origin, 0.2° apart in bearing (±8°) and 0.33° in elevation (−16° to +2°), each
    /// returning from the nearest block or the ground within 60 m. Returns the sweep and, per
    /// return, the block it hit (nil: the ground).
    static func sweep(_ blocks: [Block]) -> (cloud: PointCloud, hit: [Int?]) {
        var points: [SIMD3<Float>] = [], hit: [Int?] = []
        for column in -40...40 {
            for row in 0...54 {
                let bearing = Double(column) * 0.2 * .pi / 180, elevation = (-16 + Double(row) * 0.33) * .pi / 180
                let direction = SIMD3(cos(elevation) * cos(bearing), cos(elevation) * sin(bearing), sin(elevation))
                var nearest = direction.z < 0 ? ground / direction.z : .infinity, which: Int? = nil
                for (index, block) in blocks.enumerated() {
                    // Slab intersection of the ray with the box.
                    let near = (block.low / direction), far = (block.high / direction)
                    let enter = pointwiseMin(near, far).max(), leave = pointwiseMax(near, far).min()
                    if enter <= leave && enter > 0 && enter < nearest { nearest = enter; which = index }
                }
                guard nearest < 60 else { continue }
                points.append(SIMD3<Float>(direction * nearest))
                hit.append(which)
            }
        }
        return (PointCloud(points: points), hit)
    }

    static func proposal(for target: Int, among blocks: [Block], prelabeler: Prelabeler = Prelabeler()) throws -> Proposal? {
        let (cloud, hit) = sweep(blocks)
        let indices = hit.indices.filter { hit[$0] == target }
        try #require(indices.count >= 20)
        return prelabeler.propose(indices.map { cloud[$0] }, indices: indices, groundHeight: { _, _ in ground }, rays: SweepRays(cloud))
    }

    @Test func aPersonBehindAHedgeIsProposedWithItsFeetOnTheGround() throws {
        let behindHedge = try #require(try Self.proposal(for: 0, among: [Self.person, Self.hedge]))
        let fit = behindHedge.fit.cuboid
        #expect(abs(fit.center.z - fit.size.height / 2 - Self.ground) < 1e-6)
        #expect(behindHedge.classProbabilities.max { $0.value < $1.value }?.key == .pedestrian, "\(behindHedge.classProbabilities)")
        // Its lowest return is more than the usual clearance above the ground: without the hidden
        // rule it is dropped.
        let (cloud, _) = Self.sweep([Self.person, Self.hedge])
        let lowest = behindHedge.pointIndices.map { Double(cloud.z[$0]) }.min() ?? .infinity
        #expect(lowest - Self.ground > Prelabeler().maximumClearance, "lowest return \(lowest - Self.ground) m up")
        var strict = Prelabeler()
        strict.hiddenClearance = strict.maximumClearance
        #expect(try Self.proposal(for: 0, among: [Self.person, Self.hedge], prelabeler: strict) == nil)
    }

    @Test func theSameBodyOverOpenRoadIsNot() throws {
        #expect(try Self.proposal(for: 0, among: [Self.hanging]) == nil)
        // Hanging behind the hedge, it is (the sweep cannot tell the two apart).
        #expect(try Self.proposal(for: 0, among: [Self.hanging, Self.hedge]) != nil)
    }

    @Test func raysBelowAreCountedOnlyInTheObjectsBearings() throws {
        let (cloud, hit) = Self.sweep([Self.person, Self.hedge])
        let body = hit.indices.filter { hit[$0] == 0 }.map { cloud[$0] }
        let footprint = Cuboid(center: SIMD3(20, 0, Self.ground + 0.875), size: Size3(length: 0.4, width: 0.5, height: 1.75), yaw: 0)
        let rays = SweepRays(cloud)
        let hidden = rays.hidesBelow(body, box: footprint, depth: 0.03, margin: 0.5, minimumRays: 4, seenShare: 0.2)
        #expect(hidden)
        // The same body 2 m to the side, past the hedge's end, where the road below it is seen.
        let aside = Cuboid(center: SIMD3(20, 2, Self.ground + 0.875), size: Size3(length: 0.4, width: 0.5, height: 1.75), yaw: 0)
        let asideHidden = rays.hidesBelow(body.map { $0 + SIMD3(0, 2, 0) }, box: aside, depth: 0.03, margin: 0.5, minimumRays: 4, seenShare: 0.2)
        #expect(!asideHidden)
    }
}
