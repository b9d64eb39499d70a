import Foundation
import FusionGeometry

/// The `urban` world: a straight, gently sloped two-lane street along world x with parking strips,
/// kerbs, sidewalks, street lamps, trees and buildings on both sides; parked and moving vehicles,
/// pedestrians walking along and across, and cyclists. The ego drives along the right-hand lane
/// (y = −2.25 m) towards +x.
///
/// Layout across the street (world y, metres): centre line 0, travel lanes to ±4.5 (dashed
/// lines), parking strips to ±7, kerbs, sidewalks to ±11, buildings beyond.
public struct UrbanStreet: Sendable {
    public var seed: UInt64
    /// Ego speed, metres per second.
    var egoSpeed = 8.0
    /// Scene seconds the world must cover (agents are placed along the whole drive).
    public var duration: Double

    public init(seed: UInt64, duration: Double) {
        self.seed = seed
        self.duration = duration
    }

    public var ego: EgoMotion {
        EgoMotion(motion: PlanarMotion(start: SIMD2(0, -2.25), heading: 0, speed: egoSpeed))
    }

    /// Builds the world. The same seed and duration give the same world.
    public func world() -> SimulatedWorld {
        var random = SeededRandomNumberGenerator(seed: seed ^ 0x0B5E_55ED_57EE_7000)
        var terrain = Terrain()
        terrain.slope = SIMD2(random.nextDouble(in: -0.03..<0.03), random.nextDouble(in: -0.01..<0.01))
        terrain.undulations = (0..<2).map { _ in
            let wavelength = random.nextDouble(in: 6..<25)
            let angle = random.nextDouble(in: 0..<(2 * .pi))
            return Terrain.Undulation(
                waveVector: 2 * .pi / wavelength * SIMD2(cos(angle), sin(angle)),
                phase: random.nextDouble(in: 0..<(2 * .pi)), amplitude: random.nextDouble(in: 0.01..<0.03))
        }
        let first = -90.0
        let last = egoSpeed * duration + 140
        var fixtures: [SimulatedWorld.Fixture] = []
        func ground(_ x: Double, _ y: Double) -> Double { terrain.height(x: x, y: y) }
        func block(_ size: SIMD3<Double>, _ material: SurfaceMaterial) -> SimulatedBody {
            SimulatedBody(parts: [
                BodyPart(
                    shape: .box(
                        minimum: SIMD3(-size.x / 2, -size.y / 2, 0), maximum: SIMD3(size.x / 2, size.y / 2, size.z)),
                    material: material)
            ])
        }

        for side in [-1.0, 1.0] {
            // Kerbs in 20 m pieces, so each follows the slope closely.
            var x = first
            while x < last {
                let y = side * 7.15
                fixtures.append(
                    .init(
                        body: block(SIMD3(20, 0.3, 0.15), .kerb), position: SIMD3(x + 10, y, ground(x + 10, y) - 0.02)))
                x += 20
            }
            // Buildings with gaps.
            x = first
            while x < last {
                let length = random.nextDouble(in: 10..<30)
                let depth = random.nextDouble(in: 8..<16)
                let height = random.nextDouble(in: 6..<20)
                let setback = random.nextDouble(in: 0..<3)
                let y = side * (11.5 + setback + depth / 2)
                let facade = SurfaceMaterial.facades[Int(random.next() % UInt64(SurfaceMaterial.facades.count))]
                fixtures.append(
                    .init(
                        body: block(SIMD3(length, depth, height), facade),
                        position: SIMD3(x + length / 2, y, ground(x + length / 2, y) - 0.5)))
                x += length + (random.nextUnitDouble() < 0.35 ? random.nextDouble(in: 3..<10) : 0.5)
            }
            // Street lamps.
            x = first + random.nextDouble(in: 0..<10)
            while x < last {
                let y = side * 7.4
                fixtures.append(
                    .init(
                        body: SimulatedBody(parts: [
                            BodyPart(shape: .cylinder(base: .zero, radius: 0.12, height: 7), material: .pole)
                        ]),
                        position: SIMD3(x, y, ground(x, y))))
                x += random.nextDouble(in: 22..<30)
            }
            // Trees on the sidewalk.
            x = first + random.nextDouble(in: 0..<15)
            while x < last {
                let y = side * random.nextDouble(in: 9.9..<10.5)
                let crown = SIMD3(
                    random.nextDouble(in: 1.2..<2.2), random.nextDouble(in: 1.2..<2.2), random.nextDouble(in: 1.3..<2))
                let trunk = random.nextDouble(in: 2.3..<3)
                fixtures.append(
                    .init(
                        body: SimulatedBody(parts: [
                            BodyPart(shape: .cylinder(base: .zero, radius: 0.15, height: trunk + 0.5), material: .bark),
                            BodyPart(
                                shape: .ellipsoid(center: SIMD3(0, 0, trunk + crown.z), radii: crown),
                                material: .foliage)
                        ]), position: SIMD3(x, y, ground(x, y))))
                x += random.nextDouble(in: 12..<25)
            }
        }

        var agents: [SimulatedAgent] = []
        /// Places an agent of `objectClass` whose motion depends on its drawn size, unless its box
        /// would overlap another agent's at some frame of the drive (then it is left out).
        func add(_ objectClass: ObjectClass, _ motion: (Size3) -> PlanarMotion) {
            let size = objectClass.drawSize(&random)
            let palette =
                objectClass == .pedestrian || objectClass == .cyclist ? SurfaceMaterial.clothes : SurfaceMaterial.paints
            let paint = palette[Int(random.next() % UInt64(palette.count))]
            let agent = SimulatedAgent(
                trackID: agents.count, objectClass: objectClass, size: size, motion: motion(size),
                body: objectClass.body(size: size, paint: paint))
            let clearance = 0.2
            for step in 0...Int((duration / 0.1).rounded(.up)) {
                let time = Double(step) * 0.1
                var box = agent.box(at: time, on: terrain)
                box.size = Size3(
                    length: box.size.length + clearance, width: box.size.width + clearance, height: box.size.height)
                for other in agents where other.box(at: time, on: terrain).footprintIntersectionArea(with: box) > 0 {
                    return
                }
            }
            agents.append(agent)
        }
        func vehicleClass() -> ObjectClass {
            let draw = random.nextUnitDouble()
            return draw < 0.8 ? .car : (draw < 0.95 ? .van : .truck)
        }
        // Parked vehicles along both parking strips, clear of the kerb.
        for side in [-1.0, 1.0] {
            var x = first + 5
            while x < last - 5 {
                let objectClass = vehicleClass()
                if random.nextUnitDouble() < 0.7 {
                    let heading = (side < 0 ? 0 : Double.pi) + random.nextDouble(in: -0.1..<0.1)
                    let offset = random.nextDouble(in: 0.15..<0.4)
                    add(objectClass) { size in
                        PlanarMotion(
                            start: SIMD2(x + size.length / 2, side * (6.9 - size.width / 2 - offset)), heading: heading)
                    }
                }
                x +=
                    objectClass.meanSize.length + random.nextDouble(in: 1..<3)
                    + (random.nextUnitDouble() < 0.2 ? random.nextDouble(in: 4..<12) : 0)
            }
        }
        // Traffic ahead in the ego lane and oncoming; some turn gently.
        for _ in 0..<4 {
            let start = random.nextDouble(in: 12..<110)
            let speed = random.nextDouble(in: 6..<10)
            let heading = random.nextDouble(in: -0.05..<0.05)
            let yawRate = random.nextUnitDouble() < 0.3 ? random.nextDouble(in: -0.1..<0.1) : 0
            add(vehicleClass()) { _ in
                PlanarMotion(start: SIMD2(start, -2.25), heading: heading, speed: speed, yawRate: yawRate)
            }
        }
        for _ in 0..<6 {
            let start = random.nextDouble(in: 10..<last)
            let speed = random.nextDouble(in: 7..<12)
            let heading = Double.pi + random.nextDouble(in: -0.05..<0.05)
            let yawRate = random.nextUnitDouble() < 0.3 ? random.nextDouble(in: -0.1..<0.1) : 0
            add(vehicleClass()) { _ in
                PlanarMotion(start: SIMD2(start, 2.25), heading: heading, speed: speed, yawRate: yawRate)
            }
        }
        // Pedestrians on the sidewalks between the lamps (|y| ≈ 7.4) and the trees (|y| ≥ 9.9):
        // walkers roughly along the street, standing people facing anywhere; two cross the travel
        // lanes ahead, starting from the lane line.
        for _ in 0..<18 {
            let side: Double = random.nextUnitDouble() < 0.5 ? -1 : 1
            let standing = random.nextUnitDouble() < 0.25
            let start = random.nextDouble(in: first..<last)
            let across = random.nextDouble(in: 8.4..<8.8)
            let heading =
                standing
                ? random.nextDouble(in: 0..<(2 * .pi))
                : (random.nextUnitDouble() < 0.5 ? 0 : Double.pi) + random.nextDouble(in: -0.1..<0.1)
            let speed = standing ? 0 : random.nextDouble(in: 0.9..<1.6)
            add(.pedestrian) { _ in PlanarMotion(start: SIMD2(start, side * across), heading: heading, speed: speed) }
        }
        for _ in 0..<2 {
            let side: Double = random.nextUnitDouble() < 0.5 ? -1 : 1
            let start = random.nextDouble(in: 15..<50)
            let speed = random.nextDouble(in: 1.1..<1.6)
            add(.pedestrian) { _ in
                PlanarMotion(start: SIMD2(start, side * 4.6), heading: -side * .pi / 2, speed: speed)
            }
        }
        // Cyclists near the outer edge of the travel lanes.
        for side in [-1.0, 1.0] {
            let start = random.nextDouble(in: -30..<80)
            let speed = random.nextDouble(in: 3.5..<6)
            let heading = (side < 0 ? 0 : Double.pi) + random.nextDouble(in: -0.08..<0.08)
            add(.cyclist) { _ in PlanarMotion(start: SIMD2(start, side * 3.9), heading: heading, speed: speed) }
        }
        return SimulatedWorld(terrain: terrain, fixtures: fixtures, agents: agents)
    }
}
