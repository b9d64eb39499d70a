import Foundation
import FusionGeometry

/// A spinning multi-beam LiDAR: `beamElevations` fire together at each of `azimuthSteps` azimuths
/// per revolution, starting at azimuth 0 (+x) and turning counter-clockwise seen from above, one
/// revolution per `sweepDuration`. Each point is reported in the LiDAR frame **at its own firing
/// time**, so motion during the sweep skews it, as real sensors do.
public struct SpinningLidar: Sendable {
    /// Radians above the horizontal plane, one per ring (ring 0 first).
    public var beamElevations: [Double]
    public var azimuthSteps: Int
    public var sweepDuration: Double = 0.1
    /// Metres.
    public var maximumRange: Double = 80
    /// Standard deviation of the range error, metres.
    public var rangeNoise: Double = 0.01
    /// Probability that a return is lost.
    public var dropout: Double = 0.02

    public init(beamElevations: [Double], azimuthSteps: Int) {
        self.beamElevations = beamElevations
        self.azimuthSteps = azimuthSteps
    }

    /// 32 beams evenly from -25° to +5°, 0.5° azimuth steps.
    public static let sample: SpinningLidar = {
        let degrees: [Double] = (0..<32).map { beam in -25 + 30 * Double(beam) / 31 }
        return SpinningLidar(beamElevations: degrees.map { $0 * Double.pi / 180 }, azimuthSteps: 720)
    }()

    /// What one sweep saw: the cloud (intensity, ring, per-point time) and, per point, the index
    /// of the object hit in the world's object list, or nil for the ground.
    public struct Sweep: Sendable {
        public var cloud: PointCloud
        public var hitObject: [Int?]
    }

    /// Casts every ray of the sweep that starts at `startTime`.
    /// - Parameters:
    ///   - worldFromLidar: the sensor pose at a given time.
    ///   - random: range noise and dropout; advanced in a fixed order, so a seed fixes the result.
    public func sweep(of world: SampleWorld, startingAt startTime: Double, worldFromLidar: (Double) -> RigidTransform,
                      random: inout SeededRandomNumberGenerator) -> Sweep {
        var x: [Float] = [], y: [Float] = [], z: [Float] = [], intensity: [Float] = []
        var ring: [UInt16] = [], time: [Double] = [], hits: [Int?] = []
        for step in 0..<azimuthSteps {
            let fireTime = startTime + sweepDuration * Double(step) / Double(azimuthSteps)
            let pose = worldFromLidar(fireTime)
            let lidarFromWorld = pose.inverse
            let azimuth = 2 * Double.pi * Double(step) / Double(azimuthSteps)
            let boxes = world.objects.map { $0.box(at: fireTime) }
            for (beam, elevation) in beamElevations.enumerated() {
                let localDirection = SIMD3(cos(elevation) * cos(azimuth), cos(elevation) * sin(azimuth), sin(elevation))
                let ray = Ray(origin: pose.translation, direction: pose.rotation.act(on: localDirection))
                var nearest = RayCasting.hitGround(ray).map { (hit: $0, object: Int?.none, reflectivity: world.groundReflectivity) }
                for (index, box) in boxes.enumerated() {
                    if let hit = RayCasting.hit(ray, box: box), hit.distance < (nearest?.hit.distance ?? .infinity) {
                        nearest = (hit, index, world.objects[index].reflectivity)
                    }
                }
                let noise = random.nextGaussian() * rangeNoise
                let kept = random.nextUnitDouble() >= dropout
                guard let found = nearest, found.hit.distance <= maximumRange, kept else { continue }
                let range = found.hit.distance + noise
                let point = lidarFromWorld.apply(to: ray.origin + ray.direction * range)
                x.append(Float(point.x))
                y.append(Float(point.y))
                z.append(Float(point.z))
                intensity.append(Float(found.reflectivity * abs(found.hit.normal.dot(ray.direction))))
                ring.append(UInt16(beam))
                time.append(fireTime)
                hits.append(found.object)
            }
        }
        let cloud = PointCloud(x: x, y: y, z: z, attributes: PointAttributes(intensity: intensity, ring: ring, time: time))
        return Sweep(cloud: cloud, hitObject: hits)
    }
}
