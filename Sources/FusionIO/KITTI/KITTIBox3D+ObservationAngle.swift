import Foundation

extension KITTIBox3D {
    /// KITTI's `alpha`: the observation angle, the box's heading relative to the ray from camera 0 to
    /// its centre, `rotation_y - atan2(x, z)`, wrapped to [-π, π). Radians. It is what a camera sees of
    /// the object's orientation (the same car at the same heading looks different left and right).
    public var observationAngle: Double {
        let angle = rotationY - atan2(bottomCenter.x, bottomCenter.z)
        return angle - 2 * .pi * ((angle + .pi) / (2 * .pi)).rounded(.down)
    }
}
