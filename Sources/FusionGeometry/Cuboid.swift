import Foundation

/// An oriented 3D box: the unit of a 3D label.
///
/// `center` is the geometric centre (not the bottom centre KITTI uses), in metres in the frame the
/// box is given in (usually the LiDAR frame: x forward, y left, z up). `size` is measured along the
/// box's own axes, which `rotation` turns into the parent frame: the box's x axis is its heading
/// (length), y its left side (width), z its up direction (height). Most boxes only have a yaw
/// (`init(center:size:yaw:)`), but any rotation is allowed.
///
/// Corner order (`corners`), seen from above (z toward the viewer), heading +x up the page:
///
/// ```
///              x
///              ^
///        1 ----+---- 0      front   0 = (+l/2, -w/2, -h/2)   1 = (+l/2, +w/2, -h/2)
///        |     |     |              2 = (-l/2, +w/2, -h/2)   3 = (-l/2, -w/2, -h/2)
///   y <--+-----o     |              (box frame, before rotation and translation)
///        |           |
///        2 --------- 3      rear    4, 5, 6, 7 are 0, 1, 2, 3 on the top face (+h/2).
/// ```
/// Corners 0-3 (and 4-7) go counter-clockwise seen from above, so the footprint is a positively
/// oriented polygon.
@frozen
public struct Cuboid: Hashable, Sendable {
    /// Geometric centre, metres, parent frame.
    public var center: SIMD3<Double>
    public var size: Size3
    /// `parentFromBox` rotation.
    public var rotation: UnitQuaternion

    @inlinable
    public init(center: SIMD3<Double>, size: Size3, rotation: UnitQuaternion) {
        self.center = center
        self.size = size
        self.rotation = rotation
    }

    /// An upright box turned by `yaw` radians about +z (counter-clockwise seen from above; 0 faces +x).
    public init(center: SIMD3<Double>, size: Size3, yaw: Double) {
        self.init(center: center, size: size, rotation: UnitQuaternion(yaw: yaw))
    }

    /// The heading of the box's x axis in the parent's xy plane, radians in (-π, π].
    public var yaw: Double { rotation.yaw }

    /// Whether the box only turns about z (its up axis is the parent's z).
    public func isUpright(tolerance: Double = 1e-9) -> Bool { rotation.isUpright(tolerance: tolerance) }

    /// The pose of the box: maps box coordinates (origin at the centre) into the parent frame.
    public var parentFromBox: RigidTransform { RigidTransform(rotation: rotation, translation: center) }

    /// The 8 corners in the parent frame, in the order drawn in the type's documentation.
    public var corners: [SIMD3<Double>] {
        let half = size.halfExtents
        return Self.unitCorners.map { parentFromBox.apply(to: $0 * half) }
    }

    /// The footprint: corners 0-3 projected onto the parent's xy plane, counter-clockwise, for an
    /// upright box of the same yaw (roll and pitch are ignored, as bird's-eye-view metrics do).
    public var footprint: [SIMD2<Double>] {
        let heading = SIMD2(cos(yaw), sin(yaw))
        let left = SIMD2(-heading.y, heading.x)
        let middle = SIMD2(center.x, center.y)
        let halfLength = size.length / 2
        let halfWidth = size.width / 2
        return [
            middle + heading * halfLength - left * halfWidth, middle + heading * halfLength + left * halfWidth,
            middle - heading * halfLength + left * halfWidth, middle - heading * halfLength - left * halfWidth
        ]
    }

    /// Whether `point` (parent frame, metres) is inside or on the surface of the box.
    public func contains(_ point: SIMD3<Double>) -> Bool {
        let local = rotation.inverse.act(on: point - center)
        let half = size.halfExtents
        return abs(local.x) <= half.x && abs(local.y) <= half.y && abs(local.z) <= half.z
    }

    /// The box moved by `transform` (`newFrameFromOldFrame`); its size is unchanged.
    public func transformed(by transform: RigidTransform) -> Cuboid {
        Cuboid(center: transform.apply(to: center), size: size, rotation: transform.rotation * rotation)
    }

    /// Corner directions in the order of the drawing, scaled by the half extents.
    @usableFromInline
    static let unitCorners: [SIMD3<Double>] = [
        SIMD3(1, -1, -1), SIMD3(1, 1, -1), SIMD3(-1, 1, -1), SIMD3(-1, -1, -1),
        SIMD3(1, -1, 1), SIMD3(1, 1, 1), SIMD3(-1, 1, 1), SIMD3(-1, -1, 1)
    ]
}
