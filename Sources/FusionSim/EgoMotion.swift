import Foundation
import FusionGeometry

/// The recording vehicle: planar motion over the terrain, pitched and rolled to lie on it.
/// The ego frame has its origin on the ground, x forward, y left, z up along the terrain normal.
public struct EgoMotion: Sendable, Equatable {
    public var motion: PlanarMotion

    public init(motion: PlanarMotion) {
        self.motion = motion
    }

    /// `worldFromEgo` at scene time `time` (seconds).
    public func worldFromEgo(at time: Double, on terrain: Terrain) -> RigidTransform {
        let state = motion.state(at: time)
        let up = terrain.normal(x: state.position.x, y: state.position.y)
        let heading = SIMD3(cos(state.heading), sin(state.heading), 0)
        // Forward: the heading projected onto the ground plane; left completes a right-handed frame.
        var forward = heading - up * heading.dot(up)
        forward /= forward.length
        let left = up.cross(forward)
        let rotation = Matrix3x3(
            rows: SIMD3(forward.x, left.x, up.x), SIMD3(forward.y, left.y, up.y), SIMD3(forward.z, left.z, up.z))
        let ground = terrain.height(x: state.position.x, y: state.position.y)
        return RigidTransform(
            rotation: UnitQuaternion(rotationMatrix: rotation),
            translation: SIMD3(state.position.x, state.position.y, ground))
    }
}
