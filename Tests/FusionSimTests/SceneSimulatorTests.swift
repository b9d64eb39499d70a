import Foundation
import FusionGeometry
import FusionIO
import Testing

@testable import FusionSim

/// Replays small configurations of the urban scene (debug builds are slow: a coarse 64-beam
/// LiDAR and no images) and checks the simulator against the world it simulated.
@Suite struct SceneSimulatorTests {
    static let simulator: SceneSimulator = {
        var simulator = SceneSimulator(seed: 7, frameCount: 3)
        simulator.lidar.azimuthSteps = 600
        return simulator
    }()
    static let world = simulator.world()
    static let frames = (0..<3).map { try! simulator.frame($0, in: world, renderers: []) }

    @Test func theSameSeedGivesTheSameFrameAndAnotherSeedAnotherOne() throws {
        let again = try Self.simulator.frame(1, in: Self.simulator.world(), renderers: [])
        #expect(again.sweep.cloud == Self.frames[1].sweep.cloud)
        #expect(again.sweep.agentOfPoint == Self.frames[1].sweep.agentOfPoint)
        var other = Self.simulator
        other.seed = 8
        #expect(try other.frame(1, in: other.world(), renderers: []).sweep.cloud != Self.frames[1].sweep.cloud)
    }

    /// Every return lies where its ray met the world, at its own firing time: on the surface of the
    /// agent it is attributed to, on the terrain, or on a fixture. Checked in the world frame
    /// within five standard deviations of the range noise.
    @Test func everyReturnLiesOnTheSurfaceItHit() throws {
        let tolerance = 5 * Self.simulator.lidar.rangeNoise + 1e-3
        var counts = (agent: 0, terrain: 0, fixture: 0)
        for frame in Self.frames {
            let times = try #require(frame.sweep.cloud.attributes.time)
            for index in 0..<frame.sweep.cloud.count {
                let sceneTime = times[index] - Self.simulator.startTime
                let point = Self.simulator.worldFromLidar(at: sceneTime, in: Self.world).apply(
                    to: SIMD3<Double>(frame.sweep.cloud[index]))
                let agent = Int(frame.sweep.agentOfPoint[index])
                if agent >= 0 {
                    let box = Self.world.agents[agent].box(at: sceneTime, on: Self.world.terrain)
                    #expect(Self.grown(box, by: tolerance).contains(point), "point \(index) is off agent \(agent)")
                    counts.agent += 1
                } else if abs(point.z - Self.world.terrain.height(x: point.x, y: point.y)) <= tolerance {
                    counts.terrain += 1
                } else {
                    let onFixture = Self.world.fixtures.contains { fixture in
                        fixture.body.parts.contains { part in
                            let bounds = part.shape.bounds
                            let local = fixture.pose.bodyRay(Ray(origin: point, direction: SIMD3(1, 0, 0))).origin
                            return all(local .>= bounds.minimum - tolerance)
                                && all(local .<= bounds.maximum + tolerance)
                        }
                    }
                    #expect(onFixture, "point \(index) at \(point) is on nothing")
                    counts.fixture += 1
                }
            }
        }
        #expect(counts.agent > 1_000 && counts.terrain > 10_000 && counts.fixture > 1_000)
    }

    /// The bar: each ground-truth box holds exactly the points attributed to its object. Points
    /// are measured over the sweep while the box is at the capture time, so each point is first
    /// carried to the capture time with the object's own motion and the sensor's.
    @Test func eachBoxHoldsExactlyTheReturnsOfItsObject() throws {
        let tolerance = 5 * Self.simulator.lidar.rangeNoise + 1e-3
        for frame in Self.frames {
            let times = try #require(frame.sweep.cloud.attributes.time)
            for truth in frame.groundTruth {
                let agent = Self.world.agents[truth.trackID]
                let captureTime = truth.captureTime - Self.simulator.startTime
                let lidarFromWorldAtCapture = Self.simulator.worldFromLidar(at: captureTime, in: Self.world).inverse
                let poseAtCapture = agent.pose(at: captureTime, on: Self.world.terrain)
                var inside = 0
                var attributedFarAway = 0
                // Within one sweep nothing moves more than 3 m relative to the sensor, so points
                // farther than that from the box cannot be carried into it.
                let reach = truth.box.size.halfExtents.length + 3
                for index in 0..<frame.sweep.cloud.count {
                    let raw = SIMD3<Double>(frame.sweep.cloud[index])
                    guard (raw - truth.box.center).length < reach else {
                        if Int(frame.sweep.agentOfPoint[index]) == truth.trackID { attributedFarAway += 1 }
                        continue
                    }
                    let sceneTime = times[index] - Self.simulator.startTime
                    let world = Self.simulator.worldFromLidar(at: sceneTime, in: Self.world).apply(
                        to: SIMD3<Double>(frame.sweep.cloud[index]))
                    let local = agent.pose(at: sceneTime, on: Self.world.terrain).bodyRay(
                        Ray(origin: world, direction: SIMD3(1, 0, 0))
                    ).origin
                    let atCapture = lidarFromWorldAtCapture.apply(to: poseAtCapture.worldPoint(local))
                    let attributed = Int(frame.sweep.agentOfPoint[index]) == truth.trackID
                    if attributed {
                        #expect(Self.grown(truth.box, by: tolerance).contains(atCapture))
                        inside += 1
                    } else {
                        #expect(
                            !Self.grown(truth.box, by: -tolerance).contains(atCapture),
                            "point \(index) (agent \(frame.sweep.agentOfPoint[index])) lies inside track \(truth.trackID)"
                        )
                    }
                }
                #expect(inside == truth.points && attributedFarAway == 0)
            }
        }
    }

    /// The azimuth index only skips work: every ray it serves meets what a brute-force cast over
    /// every body meets (rays from the LiDAR's position in all directions, at three times).
    @Test func theAzimuthIndexMissesNothing() {
        var random = SeededRandomNumberGenerator(seed: 3)
        let everyFixture = Self.world.fixtures.indices.map { AzimuthIndex.Candidate(index: Int32($0), nearest: 0) }
        var compared = 0
        for time in [0.0, 0.13, 0.27] {
            let origin = Self.simulator.worldFromLidar(at: time, in: Self.world).translation
            let index = AzimuthIndex(
                world: Self.world, origin: SIMD2(origin.x, origin.y), originTravel: 0, times: time...time)
            let poses = Self.world.agents.map { $0.pose(at: time, on: Self.world.terrain) }
            let agentsByBin = index.posedAgents(poses)
            let everyAgent = poses.indices.map { SimulatedWorld.PosedAgent(agent: $0, pose: poses[$0], nearest: 0) }
            var exposed: [Int] = []
            for _ in 0..<4_000 {
                let azimuth = random.nextDouble(in: -Double.pi..<Double.pi)
                let elevation = random.nextDouble(in: -0.45..<0.1)
                let ray = Ray(
                    origin: origin,
                    direction: SIMD3(cos(elevation) * cos(azimuth), cos(elevation) * sin(azimuth), sin(elevation)))
                let bin = AzimuthIndex.bin(of: SIMD2(ray.direction.x, ray.direction.y))
                let indexed = Self.world.cast(
                    ray, limit: 120, fixtureCandidates: index.fixtures[bin], agentCandidates: agentsByBin[bin],
                    exposedAgents: &exposed)
                let brute = Self.world.cast(
                    ray, limit: 120, fixtureCandidates: everyFixture, agentCandidates: everyAgent,
                    exposedAgents: &exposed)
                #expect(
                    indexed?.distance == brute?.distance && indexed?.agent == brute?.agent,
                    "ray at azimuth \(azimuth), elevation \(elevation)")
                compared += 1
            }
        }
        #expect(compared == 12_000)
    }

    /// Plausible for a 64-beam sensor on a street: the lowest beams hit the ground all around,
    /// beams above the horizon see only buildings and trees, and about half the points are ground.
    @Test func perBeamCountsAndGroundShareArePlausible() throws {
        let frame = Self.frames[0]
        let rings = try #require(frame.sweep.cloud.attributes.ring)
        let times = try #require(frame.sweep.cloud.attributes.time)
        let beams = Self.simulator.lidar.beamElevations.count
        var perRing = [Int](repeating: 0, count: beams)
        var groundPerRing = perRing
        for index in 0..<frame.sweep.cloud.count where frame.sweep.agentOfPoint[index] < 0 {
            let point = Self.simulator.worldFromLidar(at: times[index] - Self.simulator.startTime, in: Self.world)
                .apply(to: SIMD3<Double>(frame.sweep.cloud[index]))
            if abs(point.z - Self.world.terrain.height(x: point.x, y: point.y)) < 0.1 {
                groundPerRing[Int(rings[index])] += 1
            }
        }
        for ring in rings { perRing[Int(ring)] += 1 }
        let steps = Double(Self.simulator.lidar.azimuthSteps)
        #expect(Double(perRing[0]) > 0.9 * steps, "the lowest beam has \(perRing[0]) returns")
        #expect(Double(groundPerRing[0]) > 0.6 * steps, "the lowest beam has \(groundPerRing[0]) ground returns")
        // The +2° beam: buildings at the sides, sky along the street, never the ground.
        #expect(groundPerRing[beams - 1] == 0 && Double(perRing[beams - 1]) < 0.97 * steps)
        // Lower beams reach the ground nearer, so they return more from it.
        #expect(groundPerRing[0] > groundPerRing[40] && groundPerRing[40] > groundPerRing[60])
        let share = Double(groundPerRing.reduce(0, +)) / Double(frame.sweep.cloud.count)
        #expect(share > 0.35 && share < 0.8, "ground share \(share)")
    }

    /// One car alone on flat ground, moved away from the 64-beam sensor between 12 and 40 m, where
    /// it stays within the evenly spaced (1/3°) upper block of beams: the returns fall roughly as
    /// 1/r². Fitted on log–log axes.
    @Test func returnsFromAFixedObjectFallWithTheSquareOfRange() throws {
        var sensor = SpinningLidar.hdl64e
        sensor.dropout = 0
        sensor.azimuthSteps = 3600
        let size = Size3(length: 4.2, width: 1.8, height: 1.6)
        var logs: [(range: Double, count: Double)] = []
        for range in stride(from: 12.0, through: 40, by: 4) {
            let car = SimulatedAgent(
                trackID: 0, objectClass: .car, size: size,
                motion: PlanarMotion(start: SIMD2(range, 0), heading: .pi / 2),
                body: ObjectClass.car.body(size: size, paint: SurfaceMaterial.paints[1]))
            let world = SimulatedWorld(terrain: Terrain(), fixtures: [], agents: [car])
            var random = SeededRandomNumberGenerator(seed: 1)
            let sweep = sensor.sweep(
                of: world, startingAt: 0, worldFromSensor: { _ in RigidTransform(translation: SIMD3(0, 0, 1.73)) },
                random: &random)
            let returns = sweep.agentOfPoint.filter { $0 == 0 }.count
            logs.append((log(range), log(Double(returns))))
        }
        let meanX = logs.map(\.range).reduce(0, +) / Double(logs.count)
        let meanY = logs.map(\.count).reduce(0, +) / Double(logs.count)
        let slope =
            logs.map { ($0.range - meanX) * ($0.count - meanY) }.reduce(0, +)
            / logs.map { ($0.range - meanX) * ($0.range - meanX) }.reduce(0, +)
        #expect(slope > -2.4 && slope < -1.6, "log-log slope \(slope) \(logs.map { exp($0.count) })")
    }

    /// Two cars in a row: the far one is mostly hidden, the near one not at all.
    @Test func occlusionIsTheHiddenShareOfTheExposure() {
        let size = Size3(length: 4.2, width: 1.8, height: 1.5)
        func car(_ id: Int, at x: Double) -> SimulatedAgent {
            SimulatedAgent(
                trackID: id, objectClass: .car, size: size, motion: PlanarMotion(start: SIMD2(x, 0), heading: 0),
                body: ObjectClass.car.body(size: size, paint: SurfaceMaterial.paints[2]))
        }
        let world = SimulatedWorld(terrain: Terrain(), fixtures: [], agents: [car(0, at: 10), car(1, at: 16)])
        var random = SeededRandomNumberGenerator(seed: 1)
        let sweep = SpinningLidar.hdl64e.sweep(
            of: world, startingAt: 0, worldFromSensor: { _ in RigidTransform(translation: SIMD3(0, 0, 1.73)) },
            random: &random)
        #expect(sweep.occlusion(of: 0) == 0)
        #expect(sweep.occlusion(of: 1)! > 0.6)
    }

    /// Radar returns lie on the object they are attributed to (within the position noise), and
    /// their compensated radial velocity is the object's own velocity along the line of sight:
    /// zero for parked cars and poles.
    @Test func radarReturnsLieOnTheirObjectsAndMeasureTheirMotion() throws {
        let radar = Self.simulator.radar
        var agentReturns = 0
        var staticReturns = 0
        for frame in Self.frames {
            let scan = try #require(frame.radarScans["front"])
            let time = Double(frame.index) * Self.simulator.frameInterval + Self.simulator.lidar.sweepDuration / 2
            let worldFromRadar =
                Self.simulator.worldFromLidar(at: time, in: Self.world)
                * Self.simulator.radars[0].radarFromLidar.inverse
            let compensated = try #require(scan.cloud.attributes.scalars["radial_velocity_compensated"])
            let relative = try #require(scan.cloud.attributes.scalars["radial_velocity"])
            for index in 0..<scan.cloud.count {
                let local = SIMD3<Double>(scan.cloud[index])
                let point = worldFromRadar.apply(to: local)
                let lineOfSight = (point - worldFromRadar.translation) / (point - worldFromRadar.translation).length
                let tolerance = 5 * (radar.rangeNoise + radar.azimuthNoise * local.length)
                let agent = Int(scan.agentOfReturn[index])
                let egoVelocity = Self.simulator.street.ego.motion.velocity(at: time)
                if agent >= 0 {
                    let box = Self.world.agents[agent].box(at: time, on: Self.world.terrain)
                    #expect(
                        Self.grown(box, by: tolerance).contains(point), "radar return \(index) is off agent \(agent)")
                    let velocity = Self.world.agents[agent].motion.velocity(at: time)
                    let expected = SIMD3(velocity.x, velocity.y, 0).dot(lineOfSight)
                    // The line of sight is itself off by the position noise: allow for it at the object's speed.
                    let slack =
                        5 * radar.velocityNoise + abs(Self.world.agents[agent].motion.speed) * tolerance / local.length
                        + 0.05
                    #expect(abs(Double(compensated[index]) - expected) < slack)
                    agentReturns += 1
                } else {
                    #expect(abs(compensated[index]) < Float(5 * radar.velocityNoise))
                    staticReturns += 1
                }
                let egoAlongSight = SIMD3(egoVelocity.x, egoVelocity.y, 0).dot(lineOfSight)
                #expect(abs(Double(relative[index] - compensated[index]) + egoAlongSight) < 0.3)
            }
            for truth in frame.groundTruth {
                #expect(truth.radarReturns == scan.agentOfReturn.filter { Int($0) == truth.trackID }.count)
            }
        }
        #expect(agentReturns > 20 && staticReturns > 0, "\(agentReturns) agent and \(staticReturns) static returns")
    }

    /// Ground truth keeps the simulator's records: one object per track, the generator and seed
    /// on every cuboid, and the point counts of the sweep.
    @Test func labelsCarryTrackIDsCountsAndOrigin() throws {
        let summaries = Self.frames.map(SceneSimulator.FrameSummary.init)
        let document = try OpenLABELDocument.parse(Self.simulator.labels(summaries).data())
        for (index, frame) in Self.frames.enumerated() {
            let labelled = try #require(document.frames[index]).objects
            #expect(labelled.count == frame.groundTruth.count)
            for truth in frame.groundTruth {
                let label = try #require(labelled[String(truth.trackID)]?.first)
                #expect(label.attributes.numbers["points"] == Double(truth.points))
                #expect(
                    LabelOrigin(attributes: label.attributes)
                        == .synthetic(generator: SceneSimulator.generator, seed: 7))
                #expect(document.objects[String(truth.trackID)]?.type == truth.objectClass.labelName)
            }
            // Truncation comes from the calibration, with or without rendered images.
            #expect(
                frame.groundTruth.contains { $0.truncation["front"] != nil }
                    && frame.groundTruth.contains { $0.truncation["left"] != nil })
        }
    }

    static func grown(_ box: Cuboid, by margin: Double) -> Cuboid {
        var box = box
        box.size = Size3(
            length: box.size.length + 2 * margin, width: box.size.width + 2 * margin,
            height: box.size.height + 2 * margin)
        return box
    }
}
