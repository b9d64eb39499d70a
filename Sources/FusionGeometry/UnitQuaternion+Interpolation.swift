import Foundation

extension UnitQuaternion {
    /// Spherical linear interpolation along the shorter arc: `self` at t = 0, `other` at t = 1, constant
    /// angular speed in between.
    public func slerp(to other: UnitQuaternion, fraction t: Double) -> UnitQuaternion {
        var (w, x, y, z) = (other.w, other.x, other.y, other.z)
        // q and -q are the same rotation: take the one on this side for the short way round.
        if self.w * w + self.x * x + self.y * y + self.z * z < 0 { (w, x, y, z) = (-w, -x, -y, -z) }
        // The angle between the two on the unit sphere, from the chord lengths: accurate at every angle,
        // where acos(cosine) loses half its digits near 0 (and linear blending drifts off constant speed
        // by about θ³: 4e-9 rad halfway through a 0.6° step).
        let difference =
            ((self.w - w) * (self.w - w) + (self.x - x) * (self.x - x) + (self.y - y) * (self.y - y) + (self.z - z)
                * (self.z - z))
            .squareRoot()
        let sum =
            ((self.w + w) * (self.w + w) + (self.x + x) * (self.x + x) + (self.y + y) * (self.y + y) + (self.z + z)
                * (self.z + z))
            .squareRoot()
        let angle = 2 * atan2(difference, sum)
        let (a, b): (Double, Double)
        if angle < 1e-9 {
            (a, b) = (1 - t, t)  // equal to working precision
        } else {
            let sine = sin(angle)
            (a, b) = (sin((1 - t) * angle) / sine, sin(t * angle) / sine)
        }
        return UnitQuaternion(
            w: a * self.w + b * w, x: a * self.x + b * x, y: a * self.y + b * y, z: a * self.z + b * z)
    }
}

extension RigidTransform {
    /// The pose a fraction `t` of the way from `self` to `other`: rotation by slerp, translation linearly.
    public func interpolated(to other: RigidTransform, fraction t: Double) -> RigidTransform {
        RigidTransform(
            rotation: rotation.slerp(to: other.rotation, fraction: t),
            translation: translation + (other.translation - translation) * t)
    }
}
