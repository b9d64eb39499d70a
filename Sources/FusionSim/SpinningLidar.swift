import Foundation
import FusionGeometry

/// A spinning multi-beam LiDAR. All beams fire together at each of `azimuthSteps` azimuths per
/// revolution, starting behind the sensor (azimuth −π, sensor −x) and turning counter-clockwise
/// seen from above, one revolution per `sweepDuration`, so the seam of the sweep is behind the car
/// and the view ahead is measured mid-sweep, as on the KITTI car. Every point is reported in the sensor frame **at its own
/// firing time**, so motion during the sweep skews the sweep, as real sensors do.
///
/// Returns: range noise is Gaussian; a return is lost with probability `dropout`, or when it is
/// too weak: a surface is detected at range `r` when `reflectivity · cos(incidence) · (maximumRange / r)²`
/// reaches `detectionThreshold`, so dark and grazing surfaces fade out before `maximumRange`.
/// Intensity is `reflectivity · cos(incidence)` (range-compensated, as calibrated sensors report),
/// with ±`intensityNoise` uniform noise, clamped to 0...1 and quantised to 8 bits.
public struct SpinningLidar: Sendable, Equatable {
    /// Radians above the sensor's horizontal plane, ascending: ring 0 is the lowest beam.
    var beamElevations: [Double]
    public var azimuthSteps: Int
    /// Seconds per revolution.
    var sweepDuration = 0.1
    /// Metres.
    var minimumRange = 1.0
    public var maximumRange = 120.0
    /// Standard deviation of the range error, metres.
    var rangeNoise = 0.015
    var intensityNoise = 0.02
    /// Probability that a return is lost regardless of its strength.
    public var dropout = 0.01
    /// The weakest `reflectivity · cos(incidence)` detected at `maximumRange`.
    var detectionThreshold = 0.03

    public init(beamElevations: [Double], azimuthSteps: Int) {
        precondition(!beamElevations.isEmpty && azimuthSteps > 0, "a LiDAR needs beams and azimuth steps")
        self.beamElevations = beamElevations.sorted()
        self.azimuthSteps = azimuthSteps
    }

    /// A Velodyne HDL-64E-style sensor as on the KITTI car: 32 beams from +2° to −8.33° in 1/3°
    /// steps and 32 from −8.83° to −24.33° in 1/2° steps, 0.17° azimuth steps at 10 Hz (2083 per turn).
    public static let hdl64e: SpinningLidar = {
        let upper = (0..<32).map { 2.0 - Double($0) / 3 }
        let lower = (0..<32).map { -8.83 - Double($0) / 2 }
        return SpinningLidar(beamElevations: (upper + lower).map(radians), azimuthSteps: 2083)
    }()

    /// A Velodyne HDL-32E-style sensor: 32 beams from −30.67° to +10.67° in 4/3° steps, 0.2° azimuth steps.
    public static let hdl32e: SpinningLidar = {
        var sensor = SpinningLidar(
            beamElevations: (0..<32).map { radians(-30.67 + 4 * Double($0) / 3) }, azimuthSteps: 1800)
        sensor.maximumRange = 100
        return sensor
    }()

    /// A Hesai Pandar40P-style sensor (the SUSTech POINTS car): a 40-beam table dense around the
    /// horizon (1/3° steps from +2° to −6°), sparse above and below, 0.2° azimuth steps.
    public static let pandar40: SpinningLidar = {
        let dense = (0..<25).map { 2.0 - Double($0) / 3 }
        let degrees = [15.0, 11, 8, 5, 3] + dense + [-7, -8, -9, -10, -11, -12, -13, -14, -19, -25]
        var sensor = SpinningLidar(beamElevations: degrees.map(radians), azimuthSteps: 1800)
        sensor.maximumRange = 150
        return sensor
    }()

    private static func radians(_ degrees: Double) -> Double { degrees * .pi / 180 }

    /// What one sweep saw.
    public struct Sweep: Sendable {
        /// Points in the sensor frame at their firing times, with intensity, ring and absolute time.
        public var cloud: PointCloud
        /// Per point, the track id of the agent it hit, or -1 (terrain, fixtures).
        public var agentOfPoint: [Int32]
        /// Per agent: rays that entered its body within range (whatever was in front), and rays
        /// whose first surface was the agent. `1 − visible / exposed` is its occluded share.
        var exposedRays: [Int]
        var visibleRays: [Int]

        /// The occluded share of agent `trackID`'s exposure, or nil when no ray came near it.
        public func occlusion(of trackID: Int) -> Double? {
            exposedRays[trackID] > 0 ? 1 - Double(visibleRays[trackID]) / Double(exposedRays[trackID]) : nil
        }
    }

    /// Casts every ray of one revolution.
    /// - Parameters:
    ///   - startTime: scene time of the first firing, seconds.
    ///   - timeOrigin: added to scene times to give the absolute point times written to the cloud.
    ///   - worldFromSensor: the sensor pose at a scene time.
    ///   - random: range noise, dropout and intensity noise, drawn in a fixed order.
    public func sweep(
        of world: SimulatedWorld, startingAt startTime: Double, timeOrigin: Double = 0,
        worldFromSensor: (Double) -> RigidTransform, random: inout SeededRandomNumberGenerator
    ) -> Sweep {
        let firstPose = worldFromSensor(startTime)
        let lastPose = worldFromSensor(startTime + sweepDuration)
        let travel = (lastPose.translation - firstPose.translation).length
        let middle = (firstPose.translation + lastPose.translation) / 2
        let index = AzimuthIndex(
            world: world, origin: SIMD2(middle.x, middle.y), originTravel: travel / 2 + 0.5,
            times: startTime...(startTime + sweepDuration))
        let beamCosines = beamElevations.map { cos($0) }
        let beamSines = beamElevations.map { sin($0) }
        let capacity = azimuthSteps * beamElevations.count
        var x: [Float] = []
        var y: [Float] = []
        var z: [Float] = []
        var intensity: [Float] = []
        var ring: [UInt16] = []
        var time: [Double] = []
        var agentOfPoint: [Int32] = []
        x.reserveCapacity(capacity)
        y.reserveCapacity(capacity)
        z.reserveCapacity(capacity)
        intensity.reserveCapacity(capacity)
        ring.reserveCapacity(capacity)
        time.reserveCapacity(capacity)
        agentOfPoint.reserveCapacity(capacity)
        var exposedRays = [Int](repeating: 0, count: world.agents.count)
        var visibleRays = exposedRays
        var posedAgents: [SimulatedWorld.PosedAgent] = []
        var spareNoise: Double?
        var exposed: [Int] = []
        let minimumStrength = detectionThreshold / (maximumRange * maximumRange)

        for step in 0..<azimuthSteps {
            let fireTime = startTime + sweepDuration * Double(step) / Double(azimuthSteps)
            let pose = worldFromSensor(fireTime)
            let rotation = pose.rotation.rotationMatrix
            let azimuth = -Double.pi + 2 * Double.pi * Double(step) / Double(azimuthSteps)
            let cosAzimuth = cos(azimuth)
            let sinAzimuth = sin(azimuth)
            let horizontal = rotation * SIMD3(cosAzimuth, sinAzimuth, 0)
            let bin = AzimuthIndex.bin(of: SIMD2(horizontal.x, horizontal.y))
            posedAgents.removeAll(keepingCapacity: true)
            for candidate in index.agents[bin] {
                let agent = Int(candidate.index)
                posedAgents.append(
                    .init(
                        agent: agent, pose: world.agents[agent].pose(at: fireTime, on: world.terrain),
                        nearest: candidate.nearest))
            }
            for beam in 0..<beamElevations.count {
                let local = SIMD3(beamCosines[beam] * cosAzimuth, beamCosines[beam] * sinAzimuth, beamSines[beam])
                let ray = Ray(origin: pose.translation, direction: rotation * local)
                exposed.removeAll(keepingCapacity: true)
                let found = world.cast(
                    ray, limit: maximumRange, fixtureCandidates: index.fixtures[bin],
                    agentCandidates: posedAgents, exposedAgents: &exposed)
                for agent in exposed {
                    exposedRays[agent] += 1
                    if found?.agent == agent { visibleRays[agent] += 1 }
                }
                guard let hit = found, hit.distance >= minimumRange else { continue }
                let noise = Self.nextGaussian(&random, spare: &spareNoise) * rangeNoise
                let lost = random.nextUnitDouble() < dropout
                let intensityJitter = random.nextDouble(in: -intensityNoise..<intensityNoise)
                let reflectance = hit.material.reflectivity * abs(hit.normal.dot(ray.direction))
                guard !lost, reflectance >= minimumStrength * hit.distance * hit.distance else { continue }
                let range = hit.distance + noise
                x.append(Float(range * local.x))
                y.append(Float(range * local.y))
                z.append(Float(range * local.z))
                intensity.append(Float((min(1, max(0, reflectance + intensityJitter)) * 255).rounded() / 255))
                ring.append(UInt16(beam))
                time.append(timeOrigin + fireTime)
                agentOfPoint.append(Int32(hit.agent ?? -1))
            }
        }
        let cloud = PointCloud(
            x: x, y: y, z: z, attributes: PointAttributes(intensity: intensity, ring: ring, time: time))
        return Sweep(cloud: cloud, agentOfPoint: agentOfPoint, exposedRays: exposedRays, visibleRays: visibleRays)
    }

    /// A standard normal sample by Box–Muller, using both values of each draw (half the `log`,
    /// `sqrt` and trigonometry of one value per draw).
    private static func nextGaussian(_ random: inout SeededRandomNumberGenerator, spare: inout Double?) -> Double {
        if let value = spare {
            spare = nil
            return value
        }
        let radius = (-2 * log(1 - random.nextUnitDouble())).squareRoot()
        let angle = 2 * Double.pi * random.nextUnitDouble()
        spare = radius * sin(angle)
        return radius * cos(angle)
    }
}
