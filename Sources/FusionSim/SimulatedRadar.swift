import Foundation
import FusionGeometry

/// A forward-looking automotive radar in the style of a Continental ARS408: a few returns per
/// object, each with a position, a radial velocity and a radar cross-section, plus returns from
/// strong static reflectors (poles). Its frame: x along the boresight, y left, z up.
///
/// Returns: each road user in the field of view and in range is aimed at one to three times
/// (vehicles near the sensor more often); an aim counts when the ray reaches the object first (the
/// world occludes) and passes the detection draw, whose probability falls with range. Position
/// noise is Gaussian in range and azimuth; radial velocity noise is Gaussian.
public struct SimulatedRadar: Sendable, Equatable {
    /// Half of the horizontal field of view, radians.
    var halfFieldOfView = 60 * Double.pi / 180
    /// Metres.
    public var maximumRange = 150.0
    var rangeNoise = 0.15
    /// Radians.
    var azimuthNoise = 0.3 * Double.pi / 180
    /// Metres per second.
    var velocityNoise = 0.1

    public init() {}

    /// One scan, in the radar frame.
    public struct Scan: Sendable {
        /// x y z and the scalars `radial_velocity` (m/s, relative to the moving radar, positive
        /// away from it), `radial_velocity_compensated` (the target's own velocity along the line
        /// of sight: 0 for static things) and `rcs` (dBsm).
        public var cloud: PointCloud
        /// Per return, the track id of the agent it came from, or -1 (a static reflector).
        var agentOfReturn: [Int32]
    }

    /// The scan at scene time `time`.
    /// - Parameters:
    ///   - worldFromRadar: the radar's pose at `time`.
    ///   - radarVelocity: the radar's velocity in the world frame, metres per second.
    ///   - random: noise and detection draws, in a fixed order.
    public func scan(
        of world: SimulatedWorld, at time: Double, worldFromRadar: RigidTransform, radarVelocity: SIMD3<Double>,
        random: inout SeededRandomNumberGenerator
    ) -> Scan {
        let origin = worldFromRadar.translation
        let radarFromWorld = worldFromRadar.inverse
        let index = AzimuthIndex(world: world, origin: SIMD2(origin.x, origin.y), originTravel: 0, times: time...time)
        let poses = world.agents.map { $0.pose(at: time, on: world.terrain) }
        let agentsByBin = index.posedAgents(poses)
        var points: [SIMD3<Float>] = []
        var radial: [Float] = []
        var compensated: [Float] = []
        var rcs: [Float] = []
        var owners: [Int32] = []
        var exposed: [Int] = []

        /// Casts from the radar to `target` (world) and keeps the return when it lands on `owner`.
        func aim(
            at target: SIMD3<Double>, owner: Int?, targetVelocity: SIMD3<Double>, crossSection: Double,
            detection: Double
        ) {
            var direction = target - origin
            direction /= direction.length
            let bin = AzimuthIndex.bin(of: SIMD2(direction.x, direction.y))
            exposed.removeAll(keepingCapacity: true)
            let hit = world.cast(
                Ray(origin: origin, direction: direction), limit: maximumRange,
                fixtureCandidates: index.fixtures[bin], agentCandidates: agentsByBin[bin], exposedAgents: &exposed)
            // Draws happen for every aim, hit or not, so one object's visibility never shifts another's noise.
            let detected = random.nextUnitDouble() < detection
            let rangeError = random.nextGaussian() * rangeNoise
            let azimuthError = random.nextGaussian() * azimuthNoise
            let velocityError = random.nextGaussian() * velocityNoise
            let crossSectionError = random.nextGaussian() * 2
            guard detected, let hit, hit.agent == owner else { return }
            // A static reflector counts when the ray reaches it, not the ground or a building before it.
            if owner == nil, abs(hit.distance - (target - origin).length) > 0.5 { return }
            let measured = radarFromWorld.apply(to: origin + direction * (hit.distance + rangeError))
            let turned = RigidTransform(rotation: UnitQuaternion(yaw: azimuthError)).apply(to: measured)
            points.append(SIMD3<Float>(turned))
            radial.append(Float((targetVelocity - radarVelocity).dot(direction) + velocityError))
            compensated.append(Float(targetVelocity.dot(direction) + velocityError))
            rcs.append(Float(crossSection + crossSectionError))
            owners.append(Int32(owner ?? -1))
        }

        for agent in world.agents {
            let center = poses[agent.trackID].position
            let local = radarFromWorld.apply(to: center)
            let range = (local.x * local.x + local.y * local.y).squareRoot()
            guard range > 0.5, range < maximumRange, abs(atan2(local.y, local.x)) < halfFieldOfView else { continue }
            let velocity = agent.motion.velocity(at: time)
            let detection =
                Self.baseDetection(agent.objectClass) * (1 - (range / maximumRange) * (range / maximumRange))
            for _ in 0..<Self.aims(agent.objectClass, range: range) {
                let half = agent.size.halfExtents
                let offset = SIMD3(
                    random.nextDouble(in: -0.4..<0.4) * half.x, random.nextDouble(in: -0.4..<0.4) * half.y,
                    random.nextDouble(in: -0.3..<0.3) * half.z)
                aim(
                    at: poses[agent.trackID].worldPoint(offset), owner: agent.trackID,
                    targetVelocity: SIMD3(velocity.x, velocity.y, 0),
                    crossSection: Self.crossSection(agent.objectClass), detection: detection)
            }
        }
        // Poles: strong static reflectors.
        for fixture in world.fixtures {
            guard fixture.body.parts.count == 1,
                case .cylinder(_, let radius, let height) = fixture.body.parts[0].shape, radius < 0.3
            else { continue }
            let target = fixture.pose.position + SIMD3(0, 0, min(1.0, height / 2))
            let local = radarFromWorld.apply(to: target)
            let range = (local.x * local.x + local.y * local.y).squareRoot()
            guard range > 0.5, range < maximumRange, abs(atan2(local.y, local.x)) < halfFieldOfView else { continue }
            aim(
                at: target, owner: nil, targetVelocity: .zero, crossSection: 5,
                detection: 0.8 * (1 - (range / maximumRange) * (range / maximumRange)))
        }
        let cloud = PointCloud(
            x: points.map(\.x), y: points.map(\.y), z: points.map(\.z),
            attributes: PointAttributes(scalars: [
                "radial_velocity": radial, "radial_velocity_compensated": compensated, "rcs": rcs
            ]))
        return Scan(cloud: cloud, agentOfReturn: owners)
    }

    /// Aims per scan: more for large vehicles near the radar.
    static func aims(_ objectClass: ObjectClass, range: Double) -> Int {
        switch objectClass {
        case .pedestrian, .cyclist: 1
        case .car, .van, .truck: range < 20 ? 3 : (range < 50 ? 2 : 1)
        }
    }

    /// Detection probability at zero range.
    static func baseDetection(_ objectClass: ObjectClass) -> Double {
        switch objectClass {
        case .car, .van: 0.95
        case .truck: 0.98
        case .cyclist: 0.8
        case .pedestrian: 0.6
        }
    }

    /// Mean radar cross-section, dBsm.
    static func crossSection(_ objectClass: ObjectClass) -> Double {
        switch objectClass {
        case .car: 10
        case .van: 13
        case .truck: 20
        case .cyclist: -2
        case .pedestrian: -7
        }
    }
}
