/// A proper rigid motion `p ↦ rotation · p + translation` (metres, radians).
///
/// Name values `targetFromSource` (`cameraFromLidar`, `worldFromEgo`): a chain then reads right to
/// left and can be checked by eye, `cameraFromWorld * worldFromEgo * egoFromLidar`.
@frozen
public struct RigidTransform: Hashable, Sendable {
    public var rotation: UnitQuaternion
    /// Metres, in the target frame.
    public var translation: SIMD3<Double>

    @inlinable
    public init(rotation: UnitQuaternion = .identity, translation: SIMD3<Double> = .zero) {
        self.rotation = rotation
        self.translation = translation
    }

    public static let identity = RigidTransform()

    /// The transform whose homogeneous matrix has `matrix` as its top three rows. The left block
    /// should be a rotation (check with `Matrix3x3.isRotation`); small deviations are projected away.
    public init(matrix: Matrix3x4) {
        self.init(rotation: UnitQuaternion(rotationMatrix: matrix.linearPart), translation: matrix.lastColumn)
    }

    /// The top three rows of the homogeneous 4×4 matrix.
    public var matrix: Matrix3x4 {
        let r = rotation.rotationMatrix
        return Matrix3x4(rows: SIMD4(r.row0, translation.x), SIMD4(r.row1, translation.y), SIMD4(r.row2, translation.z))
    }

    /// The inverse motion: `sourceFromTarget` for a `targetFromSource`.
    public var inverse: RigidTransform {
        let inverseRotation = rotation.inverse
        return RigidTransform(rotation: inverseRotation, translation: -inverseRotation.act(on: translation))
    }

    /// Maps a point from the source frame into the target frame.
    @inlinable
    public func apply(to point: SIMD3<Double>) -> SIMD3<Double> {
        rotation.act(on: point) + translation
    }

    /// The composition `lhs ∘ rhs`: `aFromC = aFromB * bFromC`.
    public static func * (lhs: RigidTransform, rhs: RigidTransform) -> RigidTransform {
        RigidTransform(rotation: lhs.rotation * rhs.rotation, translation: lhs.apply(to: rhs.translation))
    }
}
