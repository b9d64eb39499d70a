import Foundation
import FusionGeometry

extension KITTIBox3D {
    /// The box as a `Cuboid` in the rectified camera frame: geometric centre (half the height above
    /// the bottom centre, i.e. towards -y), length along the heading `(cos ry, 0, -sin ry)`, width
    /// along `(sin ry, 0, cos ry)`, height along camera -y (up).
    public var cuboidInRectifiedCamera: Cuboid {
        let heading = SIMD3(cos(rotationY), 0, -sin(rotationY))
        let left = SIMD3(sin(rotationY), 0, cos(rotationY))
        let up = SIMD3<Double>(0, -1, 0)
        // Columns heading, left, up: the box's axes in camera coordinates.
        let cameraFromBox = Matrix3x3(
            rows: SIMD3(heading.x, left.x, up.x), SIMD3(heading.y, left.y, up.y),
            SIMD3(heading.z, left.z, up.z))
        return Cuboid(
            center: bottomCenter + up * (size.height / 2), size: size,
            rotation: UnitQuaternion(rotationMatrix: cameraFromBox))
    }

    /// The box as a `Cuboid` in the LiDAR frame; pass `calibration.rectifiedCameraFromLidar.inverse`.
    public func cuboid(lidarFromRectifiedCamera: RigidTransform) -> Cuboid {
        cuboidInRectifiedCamera.transformed(by: lidarFromRectifiedCamera)
    }

    /// The KITTI box of `cuboid` (given in the LiDAR frame).
    ///
    /// KITTI boxes are upright in the rectified camera frame; a cuboid that is tilted there (a
    /// LiDAR box is, by the few hundredths of a radian between the two frames) keeps its centre,
    /// size and heading, and loses the tilt. Converting a KITTI box to a cuboid and back is exact.
    public init(cuboid: Cuboid, rectifiedCameraFromLidar: RigidTransform) {
        let inCamera = cuboid.transformed(by: rectifiedCameraFromLidar)
        let heading = inCamera.rotation.act(on: SIMD3(1, 0, 0))
        let up = inCamera.rotation.act(on: SIMD3(0, 0, 1))
        self.init(
            size: cuboid.size, bottomCenter: inCamera.center - up * (cuboid.size.height / 2),
            rotationY: atan2(-heading.z, heading.x))
    }

    /// The box as an upright `Cuboid` in the rectified camera frame with its axes renamed to
    /// FusionLabel's convention: x forward (camera z), y left (camera −x), z up (camera −y). No
    /// calibration is involved, so KITTI boxes stay exactly upright (yaw only) and convert back
    /// exactly: what trackers and the tracking evaluation work in.
    public var cuboidInForwardLeftUpAxes: Cuboid {
        Cuboid(
            center: SIMD3(bottomCenter.z, -bottomCenter.x, -bottomCenter.y + size.height / 2), size: size,
            yaw: -rotationY - .pi / 2)
    }

    /// The KITTI box of an upright cuboid given in the forward-left-up axes of the rectified camera.
    public init(forwardLeftUpCuboid cuboid: Cuboid) {
        var rotationY = -cuboid.yaw - .pi / 2
        rotationY -= 2 * .pi * ((rotationY + .pi) / (2 * .pi)).rounded(.down)
        self.init(
            size: cuboid.size,
            bottomCenter: SIMD3(-cuboid.center.y, cuboid.size.height / 2 - cuboid.center.z, cuboid.center.x),
            rotationY: rotationY)
    }
}
