import Foundation
import FusionGeometry

/// Everything a simulated sensor can see: the terrain, static bodies (buildings, kerbs, poles,
/// trees) and moving, labelled agents. World frame: x along the street, y left, z up, metres.
public struct SimulatedWorld: Sendable {
    /// A body that does not move.
    public struct Fixture: Sendable {
        public var body: SimulatedBody
        var pose: PlanarPose

        init(body: SimulatedBody, position: SIMD3<Double>, yaw: Double = 0) {
            self.body = body
            pose = PlanarPose(position: position, yaw: yaw)
        }
    }

    public let terrain: Terrain
    let fixtures: [Fixture]
    /// Indexed by position; `trackID`s are the indices.
    public let agents: [SimulatedAgent]
    /// Every body's parts in flat arrays, agents first (body `i` is agent `i`), then the fixtures.
    let bodies: BodyTable
    let fixturePoses: [PlanarPose]

    public init(terrain: Terrain, fixtures: [Fixture], agents: [SimulatedAgent]) {
        precondition(agents.indices.allSatisfy { agents[$0].trackID == $0 }, "agents are numbered by their track ids")
        self.terrain = terrain
        self.fixtures = fixtures
        self.agents = agents
        bodies = BodyTable(agents.map(\.body) + fixtures.map(\.body))
        fixturePoses = fixtures.map(\.pose)
    }

    /// An agent placed at the time of a ray, with the least distance from the ray's origin to its
    /// bounding sphere (candidate lists are sorted by it).
    struct PosedAgent {
        var agent: Int
        var pose: PlanarPose
        var nearest: Double
    }

    /// What a ray met: distance, outward world-frame normal, material, and the agent it belongs to
    /// (nil for terrain and fixtures).
    struct Hit {
        var distance: Double
        var normal: SIMD3<Double>
        var material: SurfaceMaterial
        var agent: Int?
    }

    /// The first surface along `ray` (world frame) nearer than `limit`, among the terrain, the
    /// fixtures in `fixtureCandidates` (nearest first) and the agents posed in `agentCandidates`.
    /// - Parameter exposedAgents: receives every candidate agent the ray enters before `limit` and
    ///   before the terrain, whether or not something nearer hides it (for occlusion).
    func cast(
        _ ray: Ray, limit: Double, fixtureCandidates: [AzimuthIndex.Candidate], agentCandidates: [PosedAgent],
        exposedAgents: inout [Int]
    ) -> Hit? {
        var nearest = limit
        var best: Hit?
        if let ground = terrain.hit(ray, limit: limit) {
            let point = ray.origin + ground.distance * ray.direction
            nearest = ground.distance
            best = Hit(
                distance: nearest, normal: ground.normal, material: terrain.material(x: point.x, y: point.y), agent: nil
            )
        }
        let groundLimit = nearest
        for candidate in agentCandidates {
            if candidate.nearest >= groundLimit { break }
            let agent = candidate.agent
            let pose = candidate.pose
            guard let found = bodies.hit(agent, pose.bodyRay(ray), limit: groundLimit) else { continue }
            exposedAgents.append(agent)
            if found.hit.distance < nearest {
                nearest = found.hit.distance
                best = Hit(
                    distance: nearest, normal: pose.worldDirection(found.hit.normal), material: found.material,
                    agent: agent)
            }
        }
        for candidate in fixtureCandidates {
            // Sorted by how near they can come: none after this one can be nearer than the best.
            if candidate.nearest >= nearest { break }
            let fixture = Int(candidate.index)
            let pose = fixturePoses[fixture]
            if let found = bodies.hit(agents.count + fixture, pose.bodyRay(ray), limit: nearest) {
                nearest = found.hit.distance
                best = Hit(
                    distance: nearest, normal: pose.worldDirection(found.hit.normal), material: found.material,
                    agent: nil)
            }
        }
        return best
    }
}

/// Which bodies can meet a ray leaving `origin` in a given horizontal direction: bodies sorted
/// into azimuth bins by their bounding spheres (grown by how far they may move), so that a ray
/// tests a handful of bodies instead of all of them.
struct AzimuthIndex {
    static let binCount = 720

    /// A body and the least distance from any ray origin to its bounding sphere (grown by its motion).
    struct Candidate {
        var index: Int32
        var nearest: Double
    }

    /// Per bin, sorted by `nearest`.
    var fixtures: [[Candidate]]
    var agents: [[Candidate]]

    /// - Parameters:
    ///   - origin: where the rays start (world x, y); rays may start up to `originTravel` from it.
    ///   - times: the scene times the rays are cast over; agents are swept over it.
    init(world: SimulatedWorld, origin: SIMD2<Double>, originTravel: Double, times: ClosedRange<Double>) {
        var fixtures = [[Candidate]](repeating: [], count: Self.binCount)
        var agents = [[Candidate]](repeating: [], count: Self.binCount)
        for (index, fixture) in world.fixtures.enumerated() {
            let center = fixture.pose.worldPoint(fixture.body.sphereCenter)
            let radius = fixture.body.sphereRadius + originTravel
            let offset = SIMD2(center.x, center.y) - origin
            let nearest = max(0, (offset * offset).sum().squareRoot() - radius)
            for bin in Self.bins(center: SIMD2(center.x, center.y), radius: radius, origin: origin) {
                fixtures[bin].append(Candidate(index: Int32(index), nearest: nearest))
            }
        }
        let middle = (times.lowerBound + times.upperBound) / 2
        for (index, agent) in world.agents.enumerated() {
            let pose = agent.pose(at: middle, on: world.terrain)
            let center = pose.worldPoint(agent.body.sphereCenter)
            let travel = abs(agent.motion.speed) * (times.upperBound - times.lowerBound) / 2
            let radius = agent.body.sphereRadius + travel + originTravel
            let offset = SIMD2(center.x, center.y) - origin
            let nearest = max(0, (offset * offset).sum().squareRoot() - radius)
            for bin in Self.bins(center: SIMD2(center.x, center.y), radius: radius, origin: origin) {
                agents[bin].append(Candidate(index: Int32(index), nearest: nearest))
            }
        }
        for bin in 0..<Self.binCount {
            fixtures[bin].sort { ($0.nearest, $0.index) < ($1.nearest, $1.index) }
            agents[bin].sort { ($0.nearest, $0.index) < ($1.nearest, $1.index) }
        }
        self.fixtures = fixtures
        self.agents = agents
    }

    /// Per bin, the candidate agents placed at `poses` (indexed by track id), for rays cast at one instant.
    func posedAgents(_ poses: [PlanarPose]) -> [[SimulatedWorld.PosedAgent]] {
        agents.map {
            $0.map { SimulatedWorld.PosedAgent(agent: Int($0.index), pose: poses[Int($0.index)], nearest: $0.nearest) }
        }
    }

    /// The bin of a horizontal direction (need not be unit length).
    static func bin(of direction: SIMD2<Double>) -> Int {
        let angle = atan2(direction.y, direction.x)
        let bin = Int(((angle + .pi) / (2 * .pi) * Double(binCount)).rounded(.down))
        return min(max(bin, 0), binCount - 1)
    }

    /// The bins a sphere's horizontal disc spans, seen from `origin`, with one bin of margin.
    private static func bins(center: SIMD2<Double>, radius: Double, origin: SIMD2<Double>) -> [Int] {
        let offset = center - origin
        let distance = (offset * offset).sum().squareRoot()
        guard distance > radius else { return Array(0..<binCount) }
        let halfWidth = asin(radius / distance) * Double(binCount) / (2 * .pi)
        let centerBin = Double(bin(of: offset))
        let first = Int((centerBin - halfWidth).rounded(.down)) - 1
        let last = Int((centerBin + halfWidth).rounded(.up)) + 1
        guard last - first < binCount else { return Array(0..<binCount) }
        return (first...last).map { (($0 % binCount) + binCount) % binCount }
    }
}
