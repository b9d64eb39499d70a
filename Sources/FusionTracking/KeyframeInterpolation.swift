import FusionGeometry

/// Fills the frames between an annotator's keyframes of one object.
///
/// Each keyframe box is given in the sensor frame of its own frame. With ego poses, consecutive
/// keyframes are carried into the world frame, interpolated there (centre and size linearly,
/// rotation by spherical interpolation, which for upright boxes is the shorter arc of yaw), and
/// each result is carried back into its frame's sensor frame, so the vehicle's own motion (a
/// turn, a stop) does not bend the object's path. Without poses the boxes are interpolated in the
/// sensor frame as given.
enum KeyframeInterpolation {
    struct Keyframe: Sendable, Equatable {
        public var frame: Int
        /// In the sensor frame of `frame`.
        public var box: Cuboid

        public init(frame: Int, box: Cuboid) {
            self.frame = frame
            self.box = box
        }
    }

    /// Two keyframes of one object in the same frame: an annotator's conflict, not for the
    /// interpolation to settle.
    public struct ConflictingKeyframes: Error, Equatable, Sendable, CustomStringConvertible {
        public var frame: Int
        public var description: String { "two keyframes of the object in frame \(frame)" }
    }

    /// Boxes for every frame from the first keyframe to the last, by frame number; keyframes
    /// (in any order) come back unchanged.
    /// - Parameter worldFromSensor: the sensor pose of a frame, or nil to interpolate in the sensor frame.
    /// - Throws: `ConflictingKeyframes` when two keyframes share a frame.
    static func interpolate(
        _ keyframes: [Keyframe],
        worldFromSensor: ((Int) -> RigidTransform)? = nil
    ) throws(ConflictingKeyframes) -> [Int: Cuboid] {
        let keyframes = keyframes.sorted { $0.frame < $1.frame }
        if let repeated = zip(keyframes, keyframes.dropFirst()).first(where: { $0.frame == $1.frame }) {
            throw ConflictingKeyframes(frame: repeated.0.frame)
        }
        var boxes: [Int: Cuboid] = [:]
        for keyframe in keyframes { boxes[keyframe.frame] = keyframe.box }
        for (start, end) in zip(keyframes, keyframes.dropFirst()) where end.frame - start.frame > 1 {
            let from = worldFromSensor.map { start.box.transformed(by: $0(start.frame)) } ?? start.box
            let to = worldFromSensor.map { end.box.transformed(by: $0(end.frame)) } ?? end.box
            for frame in (start.frame + 1)..<end.frame {
                let t = Double(frame - start.frame) / Double(end.frame - start.frame)
                let size = Size3(
                    length: from.size.length + (to.size.length - from.size.length) * t,
                    width: from.size.width + (to.size.width - from.size.width) * t,
                    height: from.size.height + (to.size.height - from.size.height) * t)
                let box = Cuboid(
                    center: from.center + (to.center - from.center) * t, size: size,
                    rotation: from.rotation.slerp(to: to.rotation, fraction: t))
                boxes[frame] = worldFromSensor.map { box.transformed(by: $0(frame).inverse) } ?? box
            }
        }
        return boxes
    }
}
