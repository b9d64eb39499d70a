/// ROS 2 message definitions (`ros2msg`, with their dependencies) of the sensor types an import reads:
/// for rosbag2 SQLite files from before Iron, which store type names but no definitions, and for
/// writers of test recordings. Field order is the wire order of the ROS 2 interfaces
/// (common_interfaces, Humble through Jazzy, unchanged).
public enum ROS2Definitions {
    private static let separator = "\n" + String(repeating: "=", count: 80) + "\n"

    private static let types: [String: String] = [
        "builtin_interfaces/Time": "int32 sec\nuint32 nanosec",
        "std_msgs/Header": "builtin_interfaces/Time stamp\nstring frame_id",
        "sensor_msgs/PointField": "string name\nuint32 offset\nuint8 datatype\nuint32 count",
        "sensor_msgs/PointCloud2": """
        std_msgs/Header header
        uint32 height
        uint32 width
        PointField[] fields
        bool is_bigendian
        uint32 point_step
        uint32 row_step
        uint8[] data
        bool is_dense
        """,
        "sensor_msgs/Image":
            "std_msgs/Header header\nuint32 height\nuint32 width\nstring encoding\nuint8 is_bigendian\nuint32 step\nuint8[] data",
        "sensor_msgs/CompressedImage": "std_msgs/Header header\nstring format\nuint8[] data",
        "sensor_msgs/RegionOfInterest":
            "uint32 x_offset\nuint32 y_offset\nuint32 height\nuint32 width\nbool do_rectify",
        "sensor_msgs/CameraInfo": """
        std_msgs/Header header
        uint32 height
        uint32 width
        string distortion_model
        float64[] d
        float64[9] k
        float64[9] r
        float64[12] p
        uint32 binning_x
        uint32 binning_y
        RegionOfInterest roi
        """,
        "geometry_msgs/Vector3": "float64 x\nfloat64 y\nfloat64 z",
        "geometry_msgs/Point": "float64 x\nfloat64 y\nfloat64 z",
        "geometry_msgs/Quaternion": "float64 x\nfloat64 y\nfloat64 z\nfloat64 w",
        "geometry_msgs/Transform": "Vector3 translation\nQuaternion rotation",
        "geometry_msgs/TransformStamped": "std_msgs/Header header\nstring child_frame_id\nTransform transform",
        "geometry_msgs/Pose": "Point position\nQuaternion orientation",
        "geometry_msgs/PoseWithCovariance": "Pose pose\nfloat64[36] covariance",
        "geometry_msgs/Twist": "Vector3 linear\nVector3 angular",
        "geometry_msgs/TwistWithCovariance": "Twist twist\nfloat64[36] covariance",
        "tf2_msgs/TFMessage": "geometry_msgs/TransformStamped[] transforms",
        "nav_msgs/Odometry": """
        std_msgs/Header header
        string child_frame_id
        geometry_msgs/PoseWithCovariance pose
        geometry_msgs/TwistWithCovariance twist
        """
    ]

    private static let dependencies: [String: [String]] = [
        "sensor_msgs/PointCloud2": ["std_msgs/Header", "builtin_interfaces/Time", "sensor_msgs/PointField"],
        "sensor_msgs/Image": ["std_msgs/Header", "builtin_interfaces/Time"],
        "sensor_msgs/CompressedImage": ["std_msgs/Header", "builtin_interfaces/Time"],
        "sensor_msgs/CameraInfo": ["std_msgs/Header", "builtin_interfaces/Time", "sensor_msgs/RegionOfInterest"],
        "tf2_msgs/TFMessage": [
            "geometry_msgs/TransformStamped", "std_msgs/Header", "builtin_interfaces/Time", "geometry_msgs/Transform",
            "geometry_msgs/Vector3", "geometry_msgs/Quaternion"
        ],
        "nav_msgs/Odometry": [
            "std_msgs/Header", "builtin_interfaces/Time", "geometry_msgs/PoseWithCovariance", "geometry_msgs/Pose",
            "geometry_msgs/Point", "geometry_msgs/Quaternion", "geometry_msgs/TwistWithCovariance",
            "geometry_msgs/Twist", "geometry_msgs/Vector3"
        ]
    ]

    /// The full `ros2msg` text of each top-level sensor type, by normalised name (`sensor_msgs/PointCloud2`).
    public static let builtIn: [String: String] = dependencies.reduce(into: [:]) { texts, entry in
        texts[entry.key] = types[entry.key]! + entry.value.map { separator + "MSG: \($0)\n" + types[$0]! }.joined()
    }
}
