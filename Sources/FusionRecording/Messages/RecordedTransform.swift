import FusionGeometry

/// One `geometry_msgs/TransformStamped` (from `tf2_msgs/TFMessage`) or the pose of a
/// `nav_msgs/Odometry`: the pose of `child` in `parent` at `stamp`, that is `parentFromChild`.
public struct RecordedTransform: Equatable, Sendable {
    public var parent: String
    public var child: String
    /// Nanoseconds since the epoch.
    public var stampNanoseconds: Int64
    /// Maps points in the child frame to the parent frame.
    public var parentFromChild: RigidTransform

    public init(parent: String, child: String, stampNanoseconds: Int64, parentFromChild: RigidTransform) {
        self.parent = parent
        self.child = child
        self.stampNanoseconds = stampNanoseconds
        self.parentFromChild = parentFromChild
    }

    /// Every transform of a `tf2_msgs/TFMessage`.
    public static func transforms(ofTFMessage message: MessageRecord) throws(MessageDecodingError)
        -> [RecordedTransform]
    {
        var result: [RecordedTransform] = []
        for value in try message.field("transforms").list() {
            let stamped = try value.record()
            let header = try RecordedHeader(of: stamped)
            let transform = try stamped.field("transform").record()
            result.append(
                RecordedTransform(
                    parent: header.frameID, child: try stamped.field("child_frame_id").text(),
                    stampNanoseconds: header.stampNanoseconds,
                    parentFromChild: try rigid(
                        translation: transform.field("translation"),
                        rotation: transform.field("rotation"))))
        }
        return result
    }

    /// The pose of a `nav_msgs/Odometry` (the twist is not used).
    public init(odometry message: MessageRecord) throws(MessageDecodingError) {
        let header = try RecordedHeader(of: message)
        let pose = try message.field("pose").record().field("pose").record()
        self.init(
            parent: header.frameID, child: try message.field("child_frame_id").text(),
            stampNanoseconds: header.stampNanoseconds,
            parentFromChild: try Self.rigid(translation: pose.field("position"), rotation: pose.field("orientation")))
    }

    private static func rigid(translation: MessageValue, rotation: MessageValue) throws(MessageDecodingError)
        -> RigidTransform
    {
        let t = try translation.record()
        let q = try rotation.record()
        let vector = SIMD3(try t.field("x").double(), try t.field("y").double(), try t.field("z").double())
        let (w, x, y, z) = (
            try q.field("w").double(), try q.field("x").double(), try q.field("y").double(), try q.field("z").double()
        )
        let norm = (w * w + x * x + y * y + z * z).squareRoot()
        guard vector.x.isFinite, vector.y.isFinite, vector.z.isFinite, norm.isFinite, abs(norm - 1) < 1e-3 else {
            throw MessageDecodingError(
                message:
                    "a transform with a non-finite translation or a rotation quaternion of norm \(norm) (expected 1)")
        }
        return RigidTransform(rotation: UnitQuaternion(w: w, x: x, y: y, z: z), translation: vector)
    }
}
