import Foundation
import FusionGeometry

/// Planar motion at constant speed and constant turn rate (the CTRV model): a straight line
/// when `yawRate` is 0, a circular arc otherwise. World frame, metres, radians, seconds.
public struct PlanarMotion: Sendable, Equatable {
    /// Position at scene time 0.
    public var start: SIMD2<Double>
    /// Heading at scene time 0, radians from world +x.
    public var heading: Double
    /// Metres per second along the heading.
    public var speed: Double
    /// Radians per second, counter-clockwise seen from above.
    public var yawRate: Double

    public init(start: SIMD2<Double>, heading: Double, speed: Double = 0, yawRate: Double = 0) {
        self.start = start
        self.heading = heading
        self.speed = speed
        self.yawRate = yawRate
    }

    /// Position and heading `time` seconds after scene time 0.
    public func state(at time: Double) -> (position: SIMD2<Double>, heading: Double) {
        let heading = self.heading + yawRate * time
        if abs(yawRate) < 1e-9 {
            return (start + speed * time * SIMD2(cos(self.heading), sin(self.heading)), heading)
        }
        let radius = speed / yawRate
        let offset = SIMD2(sin(heading) - sin(self.heading), cos(self.heading) - cos(heading)) * radius
        return (start + offset, heading)
    }

    /// World-frame velocity at `time`, metres per second.
    public func velocity(at time: Double) -> SIMD2<Double> {
        let heading = self.heading + yawRate * time
        return speed * SIMD2(cos(heading), sin(heading))
    }
}

/// A labelled road user: its class, box size, body and motion. Its box stands on the terrain.
public struct SimulatedAgent: Sendable, Equatable {
    /// Track identity, stable over the whole scene.
    public var trackID: Int
    public var objectClass: ObjectClass
    public var size: Size3
    public var motion: PlanarMotion
    /// The body in the box frame (origin at the box centre).
    public var body: SimulatedBody

    /// The box frame's pose at `time`: centre on the terrain under the box, heading as yaw.
    func pose(at time: Double, on terrain: Terrain) -> PlanarPose {
        let state = motion.state(at: time)
        let ground = terrain.height(x: state.position.x, y: state.position.y)
        return PlanarPose(
            position: SIMD3(state.position.x, state.position.y, ground + size.height / 2), yaw: state.heading)
    }

    /// The ground-truth box at `time`, world frame.
    public func box(at time: Double, on terrain: Terrain) -> Cuboid {
        let pose = pose(at: time, on: terrain)
        return Cuboid(center: pose.position, size: size, yaw: pose.yaw)
    }
}
