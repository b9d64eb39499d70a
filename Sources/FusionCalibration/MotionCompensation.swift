import FusionGeometry

/// Why a sweep cannot be motion-compensated.
public struct MotionCompensationError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

/// Removes the skew a moving vehicle puts into a spinning LiDAR's sweep.
///
/// A spinning LiDAR fires its points over a whole revolution (0.1 s at 10 Hz) while the vehicle moves:
/// each point is in the LiDAR frame *at its own firing time*. De-skewing moves every point into the
/// LiDAR frame at one reference time, through the ego poses:
/// `lidarFromWorld(reference) · worldFromEgo(tᵢ) · egoFromLidar · pᵢ`, with `worldFromEgo(t)` interpolated
/// (slerp + linear) from the trajectory.
enum MotionCompensation {
    /// Pose changes are applied per block of points fired within this many seconds of each other: a
    /// pose per block instead of per point, at most 0.25 mm of drift at 50 m/s.
    static let timeQuantum = 5e-6

    /// The sweep moved into the LiDAR frame at `referenceTime`. Attributes (time included) are kept.
    /// - Parameters:
    ///   - trajectory: `worldFromEgo` samples.
    ///   - egoFromLidar: the LiDAR's mounting on the vehicle.
    /// - Throws: `MotionCompensationError` when the cloud has no per-point time, or a time (or the
    ///   reference time) lies outside what the trajectory covers.
    /// - Complexity: O(n); one interpolated pose per distinct time quantum.
    static func deskew(
        _ cloud: PointCloud, trajectory: PoseTrajectory, egoFromLidar: RigidTransform,
        to referenceTime: Double
    ) throws(MotionCompensationError) -> PointCloud {
        guard let times = cloud.attributes.time else {
            throw MotionCompensationError(message: "the sweep has no per-point time attribute: nothing to de-skew by")
        }
        guard let worldFromReferenceEgo = trajectory.pose(at: referenceTime) else {
            throw MotionCompensationError(
                message: "the reference time \(referenceTime) s is outside the ego trajectory \(trajectory.timeRange)")
        }
        let lidarFromWorld = (worldFromReferenceEgo * egoFromLidar).inverse
        var x = cloud.x
        var y = cloud.y
        var z = cloud.z
        var cachedQuantum = Int64.min
        var matrix = Matrix3x4(rows: .zero, .zero, .zero)
        for index in 0..<cloud.count {
            let time = times[index]
            guard time.isFinite else { continue }  // such a point cannot be placed; it keeps its coordinates
            let quantum = Int64((time / timeQuantum).rounded())
            if quantum != cachedQuantum {
                guard let worldFromEgo = trajectory.pose(at: time) else {
                    throw MotionCompensationError(
                        message:
                            "point \(index) was fired at \(time) s, outside the ego trajectory \(trajectory.timeRange)")
                }
                matrix = (lidarFromWorld * worldFromEgo * egoFromLidar).matrix
                cachedQuantum = quantum
            }
            let moved = matrix.applied(to: SIMD3(Double(x[index]), Double(y[index]), Double(z[index])))
            (x[index], y[index], z[index]) = (Float(moved.x), Float(moved.y), Float(moved.z))
        }
        return PointCloud(x: x, y: y, z: z, attributes: cloud.attributes, layout: cloud.layout)
    }
}

extension Camera {
    /// Projects a skewed sweep into this camera as it was at the camera's own exposure time: the
    /// sweep is de-skewed to `cameraTime` first (see `MotionCompensation.deskew`).
    public func project(
        _ sweep: PointCloud, atCameraTime cameraTime: Double, trajectory: PoseTrajectory,
        egoFromLidar: RigidTransform
    ) throws(MotionCompensationError) -> ProjectedPoints {
        project(
            try MotionCompensation.deskew(sweep, trajectory: trajectory, egoFromLidar: egoFromLidar, to: cameraTime))
    }
}
