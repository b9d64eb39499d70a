import Foundation

extension UnitQuaternion {
    /// Spherical linear interpolation along the shorter arc: `self` at t = 0, `other` at t = 1, constant
    /// angular speed in between.
    public func slerp(to other: UnitQuaternion, fraction t: Double) -> UnitQuaternion {
        var (w, x, y, z) = (other.w, other.x, other.y, other.z)
        var cosine = self.w * w + self.x * x + self.y * y + self.z * z
        // q and -q are the same rotation: take the one on this side for the short way round.
        if cosine < 0 { (w, x, y, z, cosine) = (-w, -x, -y, -z, -cosine) }
        let (a, b): (Double, Double)
        if cosine > 0.9995 {
            (a, b) = (1 - t, t)  // nearly equal: linear, renormalised by init
        } else {
            let angle = acos(cosine)
            let sine = sin(angle)
            (a, b) = (sin((1 - t) * angle) / sine, sin(t * angle) / sine)
        }
        return UnitQuaternion(w: a * self.w + b * w, x: a * self.x + b * x, y: a * self.y + b * y, z: a * self.z + b * z)
    }
}

extension RigidTransform {
    /// The pose a fraction `t` of the way from `self` to `other`: rotation by slerp, translation linearly.
    public func interpolated(to other: RigidTransform, fraction t: Double) -> RigidTransform {
        RigidTransform(rotation: rotation.slerp(to: other.rotation, fraction: t),
                       translation: translation + (other.translation - translation) * t)
    }
}
