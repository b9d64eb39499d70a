import Foundation

/// A rotation in 3D, stored as a unit quaternion `w + xi + yj + zk` (scalar first).
///
/// Acting on a vector follows the right-hand rule: a positive angle about z turns x toward y. The
/// initialisers normalise their input, so a `UnitQuaternion` always has norm 1 (within rounding).
/// Other tools order the components differently (OpenLABEL and ROS put the scalar last): those
/// conversions live in FusionIO.
@frozen
public struct UnitQuaternion: Hashable, Sendable {
    public let w: Double
    public let x: Double
    public let y: Double
    public let z: Double

    /// A rotation from quaternion components, normalised. The components must not all be zero.
    public init(w: Double, x: Double, y: Double, z: Double) {
        let norm = (w * w + x * x + y * y + z * z).squareRoot()
        precondition(norm > 0 && norm.isFinite, "a rotation quaternion needs a finite, non-zero norm")
        self.w = w / norm
        self.x = x / norm
        self.y = y / norm
        self.z = z / norm
    }

    public static let identity = UnitQuaternion(w: 1, x: 0, y: 0, z: 0)

    /// A rotation by `angle` radians about `axis` (any non-zero length).
    public init(axis: SIMD3<Double>, angle: Double) {
        let unitAxis = axis / axis.length
        let half = angle / 2
        self.init(w: cos(half), x: unitAxis.x * sin(half), y: unitAxis.y * sin(half), z: unitAxis.z * sin(half))
    }

    /// A rotation about +z by `yaw` radians (counter-clockwise seen from above).
    public init(yaw: Double) {
        self.init(w: cos(yaw / 2), x: 0, y: 0, z: sin(yaw / 2))
    }

    /// A rotation from Euler angles in three.js "XYZ" order: `R = Rx(x) · Ry(y) · Rz(z)` (radians),
    /// as SUSTech POINTS stores box rotations.
    public init(eulerXYZ angles: SIMD3<Double>) {
        self =
            UnitQuaternion(axis: SIMD3(1, 0, 0), angle: angles.x)
            * UnitQuaternion(axis: SIMD3(0, 1, 0), angle: angles.y)
            * UnitQuaternion(axis: SIMD3(0, 0, 1), angle: angles.z)
    }

    /// The rotation closest to `matrix`, by Shepperd's method. `matrix` should be a rotation
    /// (check with `Matrix3x3.isRotation`); small deviations are absorbed by normalisation.
    public init(rotationMatrix m: Matrix3x3) {
        let trace = m.row0.x + m.row1.y + m.row2.z
        if trace > 0 {
            let s = (trace + 1).squareRoot() * 2
            self.init(
                w: s / 4, x: (m.row2.y - m.row1.z) / s, y: (m.row0.z - m.row2.x) / s, z: (m.row1.x - m.row0.y) / s)
        } else if m.row0.x > m.row1.y && m.row0.x > m.row2.z {
            let s = (1 + m.row0.x - m.row1.y - m.row2.z).squareRoot() * 2
            self.init(
                w: (m.row2.y - m.row1.z) / s, x: s / 4, y: (m.row0.y + m.row1.x) / s, z: (m.row0.z + m.row2.x) / s)
        } else if m.row1.y > m.row2.z {
            let s = (1 + m.row1.y - m.row0.x - m.row2.z).squareRoot() * 2
            self.init(
                w: (m.row0.z - m.row2.x) / s, x: (m.row0.y + m.row1.x) / s, y: s / 4, z: (m.row1.z + m.row2.y) / s)
        } else {
            let s = (1 + m.row2.z - m.row0.x - m.row1.y).squareRoot() * 2
            self.init(
                w: (m.row1.x - m.row0.y) / s, x: (m.row0.z + m.row2.x) / s, y: (m.row1.z + m.row2.y) / s, z: s / 4)
        }
    }

    /// The same rotation as a matrix (row-major rows).
    public var rotationMatrix: Matrix3x3 {
        let (xx, yy, zz) = (x * x, y * y, z * z)
        let (xy, xz, yz) = (x * y, x * z, y * z)
        let (wx, wy, wz) = (w * x, w * y, w * z)
        return Matrix3x3(
            rows: SIMD3(1 - 2 * (yy + zz), 2 * (xy - wz), 2 * (xz + wy)),
            SIMD3(2 * (xy + wz), 1 - 2 * (xx + zz), 2 * (yz - wx)),
            SIMD3(2 * (xz - wy), 2 * (yz + wx), 1 - 2 * (xx + yy)))
    }

    /// The inverse rotation.
    public var inverse: UnitQuaternion { UnitQuaternion(unchecked: w, -x, -y, -z) }

    /// The heading of the rotated x axis in the xy plane, in (-π, π]: the yaw of an upright box.
    public var yaw: Double {
        let heading = act(on: SIMD3(1, 0, 0))
        return atan2(heading.y, heading.x)
    }

    /// three.js "XYZ" Euler angles (radians) with `R = Rx · Ry · Rz`; y is in [-π/2, π/2].
    public var eulerXYZ: SIMD3<Double> {
        let m = rotationMatrix
        let pitch = asin(min(1, max(-1, m.row0.z)))
        if abs(m.row0.z) < 0.9999999 {
            return SIMD3(atan2(-m.row1.z, m.row2.z), pitch, atan2(-m.row0.y, m.row0.x))
        }
        // Gimbal lock: only x ± z is defined; put it all in x.
        return SIMD3(atan2(m.row2.y, m.row1.y), pitch, 0)
    }

    /// Whether the rotation axis is z (the rotation keeps z up), within `tolerance` in the
    /// components of the rotated z axis.
    public func isUpright(tolerance: Double = 1e-9) -> Bool {
        let up = act(on: SIMD3(0, 0, 1))
        return abs(up.x) <= tolerance && abs(up.y) <= tolerance
    }

    /// The angle of the rotation `self⁻¹ · other`, in [0, π].
    public func angle(to other: UnitQuaternion) -> Double {
        let dot = abs(w * other.w + x * other.x + y * other.y + z * other.z)
        return 2 * acos(min(1, dot))
    }

    /// Rotates `vector`.
    @inlinable
    public func act(on vector: SIMD3<Double>) -> SIMD3<Double> {
        // v' = v + 2w(q × v) + 2 q × (q × v), with q the vector part.
        let q = SIMD3(x, y, z)
        let t = 2 * q.cross(vector)
        return vector + w * t + q.cross(t)
    }

    /// The composition `lhs · rhs`: rotate by `rhs` first, then by `lhs`.
    public static func * (lhs: UnitQuaternion, rhs: UnitQuaternion) -> UnitQuaternion {
        UnitQuaternion(
            w: lhs.w * rhs.w - lhs.x * rhs.x - lhs.y * rhs.y - lhs.z * rhs.z,
            x: lhs.w * rhs.x + lhs.x * rhs.w + lhs.y * rhs.z - lhs.z * rhs.y,
            y: lhs.w * rhs.y - lhs.x * rhs.z + lhs.y * rhs.w + lhs.z * rhs.x,
            z: lhs.w * rhs.z + lhs.x * rhs.y - lhs.y * rhs.x + lhs.z * rhs.w)
    }

    private init(unchecked w: Double, _ x: Double, _ y: Double, _ z: Double) {
        (self.w, self.x, self.y, self.z) = (w, x, y, z)
    }
}
