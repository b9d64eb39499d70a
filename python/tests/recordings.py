"""ROS 2 recordings of real KITTI frames, written by writers that share no code with the engine.

`write_kitti_mcap` uses PyPI's `mcap` + `mcap-ros2-support` (hand-written `ros2msg` schemas),
`write_kitti_rosbags_mcap` uses `rosbags` (a rosbag2 folder with MCAP storage, its own schemas and
CDR serializer), and `write_hostile_mcaps` edits the bytes of valid files into broken ones.

What a recording holds (stamps are integer nanoseconds; every message is logged
`RECEIVE_LATENCY_NS` after its header stamp, as a recorder would):
- `/velodyne_points` (sensor_msgs/msg/PointCloud2, frame `velodyne`): the KITTI `.bin` bytes,
  x y z intensity float32 at offsets 0 4 8 12, point_step 16. Sweep `RING_SWEEP` instead has
  point_step 20: the same four fields, `ring` uint16 at offset 16 (point index % 64) and two
  padding bytes (0xAB) at the end of each point.
- `/camera/image_raw` (sensor_msgs/msg/Image rgb8, frame `camera_2`) `IMAGE_DELAY_NS` after the sweep,
  and `/camera/camera_info` with the same header: K = P2[:, :3], plumb_bob, D = 0, R = I, P = P2.
- `/tf_static` once, `TF_STATIC_STAMP_NS`: base_link -> velodyne (`BASE_LINK_FROM_VELODYNE`) and
  velodyne -> camera_2 (the message holds velodyne_from_camera2, the inverse of
  `camera2_from_velodyne`).
- `/tf` at 20 Hz: odom -> base_link, x = 5 t, y = 0.5 sin t, yaw = 0.2 t (t seconds after T0).
"""

import collections
import dataclasses
import functools
import io
import os
import struct
import zlib

import numpy as np

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KITTI = os.environ.get("FUSIONLABEL_KITTI_OBJECT", os.path.join(REPOSITORY, "..", "shared", "scenes", "kitti-object"))

# Frames 000001-000003 share one calibration (calib blob f8a223d) and one image size (1242x375).
# 000000 comes from another drive: other P2, R0_rect, Tr_velo_to_cam and a 1224x370 image, which
# one /tf_static and one camera cannot describe together with 000001 and 000002.
FRAMES = ("000001", "000002", "000003")
RING_SWEEP = 2  # position in FRAMES of the sweep written with point_step 20 and a ring field

NS = 1_000_000_000
T0_NS = 1_700_000_000 * NS
SWEEP_PERIOD_NS = 100_000_000
IMAGE_DELAY_NS = 5_000_000
TF_STATIC_STAMP_NS = T0_NS - 100_000_000
TF_PERIOD_NS = 50_000_000
# The /tf samples start a quarter period after T0 - 0.1 s, so that no sweep stamp falls on a
# sample: the pose at a sweep is an interpolation (fraction 0.75 between two samples).
TF_PHASE_NS = 12_500_000
RECEIVE_LATENCY_NS = 2_000_000
BASE_LINK_FROM_VELODYNE = (np.array([0.8, 0.0, 1.73]), np.array([1.0, 0.0, 0.0, 0.0]))  # translation, (w, x, y, z)

LIDAR_TOPIC, IMAGE_TOPIC, INFO_TOPIC = "/velodyne_points", "/camera/image_raw", "/camera/camera_info"
TF_TOPIC, TF_STATIC_TOPIC = "/tf", "/tf_static"
TOPIC_TYPES = {
    TF_STATIC_TOPIC: "tf2_msgs/msg/TFMessage",
    TF_TOPIC: "tf2_msgs/msg/TFMessage",
    LIDAR_TOPIC: "sensor_msgs/msg/PointCloud2",
    IMAGE_TOPIC: "sensor_msgs/msg/Image",
    INFO_TOPIC: "sensor_msgs/msg/CameraInfo",
}
COMPRESSIONS = ("zstd", "lz4", "none")

# ROS 2 message definitions (comments left out), as `ros2 bag record` stores them: the type first,
# then each type it uses after a line of 80 '=' and `MSG: package/Type`.
MESSAGE_DEFINITIONS = {
    "builtin_interfaces/Time": "int32 sec\nuint32 nanosec\n",
    "std_msgs/Header": "builtin_interfaces/Time stamp\nstring frame_id\n",
    "sensor_msgs/PointField": (
        "uint8 INT8    = 1\nuint8 UINT8   = 2\nuint8 INT16   = 3\nuint8 UINT16  = 4\n"
        "uint8 INT32   = 5\nuint8 UINT32  = 6\nuint8 FLOAT32 = 7\nuint8 FLOAT64 = 8\n"
        "string name\nuint32 offset\nuint8 datatype\nuint32 count\n"),
    "sensor_msgs/PointCloud2": (
        "std_msgs/Header header\nuint32 height\nuint32 width\nPointField[] fields\nbool    is_bigendian\n"
        "uint32  point_step\nuint32  row_step\nuint8[] data\nbool is_dense\n"),
    "sensor_msgs/Image": (
        "std_msgs/Header header\nuint32 height\nuint32 width\nstring encoding\nuint8 is_bigendian\n"
        "uint32 step\nuint8[] data\n"),
    "sensor_msgs/RegionOfInterest": "uint32 x_offset\nuint32 y_offset\nuint32 height\nuint32 width\nbool do_rectify\n",
    "sensor_msgs/CameraInfo": (
        "std_msgs/Header header\nuint32 height\nuint32 width\nstring distortion_model\nfloat64[] d\n"
        "float64[9]  k\nfloat64[9]  r\nfloat64[12] p\nuint32 binning_x\nuint32 binning_y\nRegionOfInterest roi\n"),
    "geometry_msgs/Vector3": "float64 x\nfloat64 y\nfloat64 z\n",
    "geometry_msgs/Quaternion": "float64 x 0\nfloat64 y 0\nfloat64 z 0\nfloat64 w 1\n",
    "geometry_msgs/Transform": "Vector3 translation\nQuaternion rotation\n",
    "geometry_msgs/TransformStamped": "std_msgs/Header header\nstring child_frame_id\nTransform transform\n",
    "tf2_msgs/TFMessage": "geometry_msgs/TransformStamped[] transforms\n",
}
DEPENDENCIES = {
    "sensor_msgs/msg/PointCloud2": ["std_msgs/Header", "builtin_interfaces/Time", "sensor_msgs/PointField"],
    "sensor_msgs/msg/Image": ["std_msgs/Header", "builtin_interfaces/Time"],
    "sensor_msgs/msg/CameraInfo": ["std_msgs/Header", "builtin_interfaces/Time", "sensor_msgs/RegionOfInterest"],
    "tf2_msgs/msg/TFMessage": ["geometry_msgs/TransformStamped", "std_msgs/Header", "builtin_interfaces/Time",
                               "geometry_msgs/Transform", "geometry_msgs/Vector3", "geometry_msgs/Quaternion"],
}


def schema_text(msgtype):
    """The `ros2msg` schema of `msgtype` ("sensor_msgs/msg/Image"): its definition, then its dependencies'."""
    text = MESSAGE_DEFINITIONS[msgtype.replace("/msg/", "/")]
    for dependency in DEPENDENCIES[msgtype]:
        text += "=" * 80 + f"\nMSG: {dependency}\n" + MESSAGE_DEFINITIONS[dependency]
    return text


# --- Reading what the engine writes ---------------------------------------------------------

def lzf_decompress(data, size):
    """LZF (liblzf) decompression, as PCD's binary_compressed uses it."""
    out, source, target = bytearray(size), 0, 0
    while source < len(data):
        control = data[source]
        source += 1
        if control < 32:  # a run of control + 1 literal bytes
            out[target:target + control + 1] = data[source:source + control + 1]
            source += control + 1
            target += control + 1
            continue
        length = control >> 5
        if length == 7:
            length += data[source]
            source += 1
        reference = target - ((control & 0x1F) << 8) - data[source] - 1
        source += 1
        length += 2
        if reference + length <= target:
            out[target:target + length] = out[reference:reference + length]
        else:  # the copy overlaps what it writes: byte by byte
            for position in range(length):
                out[target + position] = out[reference + position]
        target += length
    if target != size:
        raise ValueError(f"LZF data decompresses to {target} bytes, the header says {size}")
    return bytes(out)


def read_pcd(path):
    """{field: values} of a PCD file (DATA binary or binary_compressed, one value per field)."""
    with open(path, "rb") as handle:
        data = handle.read()
    header, offset = {}, 0
    while "DATA" not in header:
        end = data.index(b"\n", offset)
        line = data[offset:end].decode("ascii").strip()
        offset = end + 1
        if line and not line.startswith("#"):
            key, *values = line.split()
            header[key.upper()] = values
    names, sizes = header["FIELDS"], [int(size) for size in header["SIZE"]]
    assert all(int(count) == 1 for count in header.get("COUNT", ["1"] * len(names)))
    dtypes = [np.dtype(f"<{kind.lower()}{size}") for kind, size in zip(header["TYPE"], sizes)]
    count, encoding = int(header["POINTS"][0]), header["DATA"][0]
    if encoding == "binary":
        layout = np.dtype({"names": names, "formats": dtypes, "offsets": list(np.cumsum([0] + sizes[:-1])),
                           "itemsize": sum(sizes)})
        records = np.frombuffer(data, dtype=layout, count=count, offset=offset)
        return {name: records[name].copy() for name in names}
    assert encoding == "binary_compressed", f"{path}: unexpected PCD encoding {encoding}"
    compressed, size = struct.unpack_from("<II", data, offset)
    raw = lzf_decompress(data[offset + 8:offset + 8 + compressed], size)
    columns, start = {}, 0
    for name, dtype in zip(names, dtypes):  # field-major: every x, then every y, ...
        columns[name] = np.frombuffer(raw, dtype=dtype, count=count, offset=start).copy()
        start += dtype.itemsize * count
    return columns


# --- KITTI input and the geometry derived from it ---------------------------------------------

def kitti_points(frame):
    """The sweep of `frame` as an (n, 4) float32 array: x y z reflectance, in file order."""
    return np.fromfile(os.path.join(KITTI, "velodyne", f"{frame}.bin"), dtype="<f4").reshape(-1, 4)


def kitti_image(frame):
    """The left colour image of `frame` as an (h, w, 3) uint8 RGB array."""
    import cv2

    bgr = cv2.imread(os.path.join(KITTI, "image_2", f"{frame}.png"), cv2.IMREAD_UNCHANGED)
    if bgr is None or bgr.dtype != np.uint8 or bgr.ndim != 3 or bgr.shape[2] != 3:
        raise ValueError(f"{frame}.png: expected an 8-bit colour PNG")
    return np.ascontiguousarray(bgr[:, :, ::-1])


def kitti_calibration(frame):
    """P2 (3x4), R0_rect (3x3) and Tr_velo_to_cam (3x4) of `frame`, as float64 arrays in a dict."""
    values = {}
    with open(os.path.join(KITTI, "calib", f"{frame}.txt")) as handle:
        for line in handle:
            key, _, numbers = line.partition(":")
            if numbers.strip():
                values[key.strip()] = np.array(numbers.split(), dtype=np.float64)
    return {"P2": values["P2"].reshape(3, 4), "R0_rect": values["R0_rect"].reshape(3, 3),
            "Tr_velo_to_cam": values["Tr_velo_to_cam"].reshape(3, 4)}


def recording_calibration(frames=FRAMES):
    """The one calibration of the recording; refuses frames whose calibration files differ."""
    calibrations = [kitti_calibration(frame) for frame in frames]
    for frame, calibration in zip(frames[1:], calibrations[1:]):
        if any(not np.array_equal(calibration[key], calibrations[0][key]) for key in calibration):
            raise ValueError(f"frame {frame} has another calibration than {frames[0]}: one recording, one calibration")
    return calibrations[0]


def homogeneous(matrix):
    """A 3x3 or 3x4 matrix padded to 4x4."""
    padded = np.eye(4)
    padded[:3, :matrix.shape[1]] = matrix
    return padded


def orthonormalized(matrix):
    """The rotation nearest to `matrix` (SVD: U V^T, sign-corrected to a proper rotation)."""
    u, _, vt = np.linalg.svd(matrix)
    rotation = u @ vt
    if np.linalg.det(rotation) < 0:
        rotation = u @ np.diag([1.0, 1.0, -1.0]) @ vt
    return rotation


def camera2_from_velodyne(calibration):
    """4x4 motion velodyne -> camera 2 (x right, y down, z forward): [I | K^-1 P2[:, 3]] (R0_rect + 1) Tr_velo_to_cam,
    its rotation orthonormalized by SVD. Projecting through K = P2[:, :3] then equals projecting through P2."""
    p2 = calibration["P2"]
    baseline = np.linalg.solve(p2[:, :3], p2[:, 3])
    shift = np.eye(4)
    shift[:3, 3] = baseline
    motion = shift @ homogeneous(calibration["R0_rect"]) @ homogeneous(calibration["Tr_velo_to_cam"])
    motion[:3, :3] = orthonormalized(motion[:3, :3])
    return motion


def quaternion_from_matrix(rotation):
    """The unit quaternion (w, x, y, z), w >= 0, of a rotation matrix (Shepperd's method)."""
    m = np.asarray(rotation, dtype=np.float64)
    trace = np.trace(m)
    if trace > 0:
        s = 2 * np.sqrt(trace + 1)
        q = [s / 4, (m[2, 1] - m[1, 2]) / s, (m[0, 2] - m[2, 0]) / s, (m[1, 0] - m[0, 1]) / s]
    elif m[0, 0] > m[1, 1] and m[0, 0] > m[2, 2]:
        s = 2 * np.sqrt(1 + m[0, 0] - m[1, 1] - m[2, 2])
        q = [(m[2, 1] - m[1, 2]) / s, s / 4, (m[0, 1] + m[1, 0]) / s, (m[0, 2] + m[2, 0]) / s]
    elif m[1, 1] > m[2, 2]:
        s = 2 * np.sqrt(1 + m[1, 1] - m[0, 0] - m[2, 2])
        q = [(m[0, 2] - m[2, 0]) / s, (m[0, 1] + m[1, 0]) / s, s / 4, (m[1, 2] + m[2, 1]) / s]
    else:
        s = 2 * np.sqrt(1 + m[2, 2] - m[0, 0] - m[1, 1])
        q = [(m[1, 0] - m[0, 1]) / s, (m[0, 2] + m[2, 0]) / s, (m[1, 2] + m[2, 1]) / s, s / 4]
    q = np.array(q) / np.linalg.norm(q)
    return -q if q[0] < 0 else q


def matrix_from_quaternion(q):
    """The rotation matrix of a unit quaternion (w, x, y, z)."""
    w, x, y, z = q
    return np.array([[1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
                     [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
                     [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)]])


def sweep_stamp(position):
    """Header stamp (ns) of the sweep at `position` in the recording."""
    return T0_NS + position * SWEEP_PERIOD_NS


def odom_from_base_link(stamp):
    """The /tf sample at `stamp` (ns): translation (3,) and quaternion (w, x, y, z)."""
    t = (stamp - T0_NS) / NS
    yaw = 0.2 * t
    return np.array([5.0 * t, 0.5 * np.sin(t), 0.0]), np.array([np.cos(yaw / 2), 0.0, 0.0, np.sin(yaw / 2)])


def tf_samples(frames=FRAMES):
    """Every /tf sample as written: [(stamp ns, translation, quaternion (w, x, y, z))], 20 Hz from
    T0 - 0.1 s (+ TF_PHASE_NS) up to 0.1 s after the last sweep."""
    first, last = T0_NS - 100_000_000 + TF_PHASE_NS, sweep_stamp(len(frames) - 1) + 100_000_000
    return [(stamp, *odom_from_base_link(stamp)) for stamp in range(first, last + 1, TF_PERIOD_NS)]


# --- Messages, as plain dictionaries both writers take --------------------------------------------

@dataclasses.dataclass
class Message:
    """One message: its topic, log time (ns) and content as a dictionary of the ROS 2 fields."""
    topic: str
    log_time: int
    data: dict

    @property
    def msgtype(self):
        return TOPIC_TYPES[self.topic]


def header(stamp, frame_id):
    """std_msgs/Header at `stamp` (ns)."""
    return {"stamp": {"sec": stamp // NS, "nanosec": stamp % NS}, "frame_id": frame_id}


def point_field(name, offset, datatype):
    """sensor_msgs/PointField of one value (datatype 7 = FLOAT32, 4 = UINT16)."""
    return {"name": name, "offset": offset, "datatype": datatype, "count": 1}


def point_cloud(stamp, points, with_ring):
    """A PointCloud2 of KITTI points; `with_ring` adds ring (uint16, offset 16) and 2 padding bytes."""
    fields = [point_field(name, 4 * index, 7) for index, name in enumerate(("x", "y", "z", "intensity"))]
    if with_ring:
        layout = np.dtype({"names": ["xyzi", "ring"], "formats": [("<f4", 4), "<u2"], "offsets": [0, 16], "itemsize": 20})
        buffer = bytearray(b"\xab" * (layout.itemsize * len(points)))
        records = np.frombuffer(buffer, dtype=layout)
        records["xyzi"] = points
        records["ring"] = np.arange(len(points)) % 64
        fields.append(point_field("ring", 16, 4))
        data, step = bytes(buffer), layout.itemsize
    else:
        data, step = np.ascontiguousarray(points, dtype="<f4").tobytes(), 16
    return {"header": header(stamp, "velodyne"), "height": 1, "width": len(points), "fields": fields,
            "is_bigendian": False, "point_step": step, "row_step": step * len(points), "data": data, "is_dense": True}


def image(stamp, rgb):
    """sensor_msgs/Image, rgb8, rows unpadded."""
    height, width, _ = rgb.shape
    return {"header": header(stamp, "camera_2"), "height": height, "width": width, "encoding": "rgb8",
            "is_bigendian": 0, "step": 3 * width, "data": rgb.tobytes()}


def camera_info(stamp, calibration, width, height):
    """sensor_msgs/CameraInfo of KITTI's rectified camera 2: K = P2[:, :3], no distortion, R = I, P = P2."""
    p2 = calibration["P2"]
    return {"header": header(stamp, "camera_2"), "height": height, "width": width, "distortion_model": "plumb_bob",
            "d": [0.0] * 5, "k": p2[:, :3].flatten().tolist(), "r": np.eye(3).flatten().tolist(),
            "p": p2.flatten().tolist(), "binning_x": 0, "binning_y": 0,
            "roi": {"x_offset": 0, "y_offset": 0, "height": 0, "width": 0, "do_rectify": False}}


def transform(stamp, parent, child, translation, quaternion):
    """A TransformStamped holding parent_from_child (the pose of `child` in `parent`)."""
    w, x, y, z = (float(value) for value in quaternion)
    return {"header": header(stamp, parent), "child_frame_id": child,
            "transform": {"translation": dict(zip("xyz", (float(value) for value in translation))),
                          "rotation": {"x": x, "y": y, "z": z, "w": w}}}


def static_transforms(calibration):
    """/tf_static's transforms: base_link -> velodyne and velodyne -> camera_2 (velodyne_from_camera2)."""
    forward = camera2_from_velodyne(calibration)
    rotation, translation = forward[:3, :3].T, -forward[:3, :3].T @ forward[:3, 3]
    return {"transforms": [
        transform(TF_STATIC_STAMP_NS, "base_link", "velodyne", *BASE_LINK_FROM_VELODYNE),
        transform(TF_STATIC_STAMP_NS, "velodyne", "camera_2", translation, quaternion_from_matrix(rotation))]}


@functools.lru_cache(maxsize=2)
def kitti_messages(frames=FRAMES):
    """Every message of the recording, in log-time order (cached: do not modify)."""
    calibration = recording_calibration(frames)
    messages = [Message(TF_STATIC_TOPIC, TF_STATIC_STAMP_NS, static_transforms(calibration))]
    for stamp, translation, rotation in tf_samples(frames):
        messages.append(Message(TF_TOPIC, stamp, {"transforms": [transform(stamp, "odom", "base_link", translation, rotation)]}))
    for position, frame in enumerate(frames):
        stamp, rgb = sweep_stamp(position), kitti_image(frame)
        messages.append(Message(LIDAR_TOPIC, stamp, point_cloud(stamp, kitti_points(frame), position == RING_SWEEP)))
        messages.append(Message(IMAGE_TOPIC, stamp + IMAGE_DELAY_NS, image(stamp + IMAGE_DELAY_NS, rgb)))
        messages.append(Message(INFO_TOPIC, stamp + IMAGE_DELAY_NS,
                                camera_info(stamp + IMAGE_DELAY_NS, calibration, rgb.shape[1], rgb.shape[0])))
    for message in messages:
        message.log_time += RECEIVE_LATENCY_NS
    return sorted(messages, key=lambda message: message.log_time)


def message_counts(frames=FRAMES):
    """Messages per topic in a recording of `frames`."""
    return collections.Counter(message.topic for message in kitti_messages(frames))


# --- Writers ------------------------------------------------------------------------------------

def kitti_mcap_bytes(compression, frames=FRAMES):
    """An MCAP file (bytes) written by mcap-ros2-support, chunks compressed with `compression`."""
    from mcap.writer import CompressionType
    from mcap_ros2.writer import Writer

    kind = {"zstd": CompressionType.ZSTD, "lz4": CompressionType.LZ4, "none": CompressionType.NONE}[compression]
    stream = io.BytesIO()
    writer = Writer(stream, compression=kind)
    schemas = {msgtype: writer.register_msgdef(msgtype, schema_text(msgtype)) for msgtype in sorted(set(TOPIC_TYPES.values()))}
    for sequence, message in enumerate(kitti_messages(frames)):
        writer.write_message(message.topic, schemas[message.msgtype], message.data, log_time=message.log_time,
                             publish_time=message.log_time, sequence=sequence)
    writer.finish()
    return stream.getvalue()


def write_kitti_mcap(path, compression, frames=FRAMES):
    """Writes the recording of `frames` to `path` with mcap + mcap-ros2-support; `compression` is
    "zstd", "lz4" or "none". Returns `path`."""
    with open(path, "wb") as handle:
        handle.write(kitti_mcap_bytes(compression, frames))
    return path


def rosbags_message(typestore, msgtype, value):
    """`value` (a message dictionary) as an object of rosbags' `typestore`."""
    from rosbags.interfaces import Nodetype

    def convert(description, item):
        node, spec = description
        if node == Nodetype.NAME:
            return rosbags_message(typestore, spec, item)
        if node in (Nodetype.ARRAY, Nodetype.SEQUENCE):
            (inner_node, inner_spec), _ = spec
            if inner_node == Nodetype.BASE and inner_spec[0] != "string":
                if isinstance(item, bytes):
                    return np.frombuffer(item, dtype=np.uint8)
                return np.asarray(item, dtype=np.dtype(inner_spec[0]))
            return [convert((inner_node, inner_spec), element) for element in item]
        return item

    _, fields = typestore.fielddefs[msgtype]
    return typestore.types[msgtype](**{name: convert(description, value[name]) for name, description in fields})


def write_kitti_rosbags_mcap(folder, frames=FRAMES):
    """Writes the recording of `frames` as a rosbag2 folder (`folder`, which must not exist: metadata.yaml
    and FOLDERNAME.mcap) with rosbags: format version 9, MCAP storage, zstd chunks ("storage"
    compression), chunk CRCs left 0. Messages are serialized by rosbags' ROS 2 Jazzy typestore.
    Returns `folder`."""
    from rosbags.rosbag2 import Writer
    from rosbags.rosbag2.enums import CompressionFormat, CompressionMode, StoragePlugin
    from rosbags.typesys import Stores, get_typestore

    typestore = get_typestore(Stores.ROS2_JAZZY)
    writer = Writer(folder, version=9, storage_plugin=StoragePlugin.MCAP)
    writer.set_compression(CompressionMode.STORAGE, CompressionFormat.ZSTD)
    with writer:
        connections = {topic: writer.add_connection(topic, msgtype, typestore=typestore) for topic, msgtype in TOPIC_TYPES.items()}
        for message in kitti_messages(frames):
            data = typestore.serialize_cdr(rosbags_message(typestore, message.msgtype, message.data), message.msgtype)
            writer.write(connections[message.topic], message.log_time, data)
    return folder


def write_kitti_rosbags_sqlite(folder, with_definitions=True, frames=FRAMES):
    """Writes the recording of `frames` as a rosbag2 folder with rosbags' SQLite storage (`folder`, which
    must not exist: metadata.yaml and FOLDERNAME.db3). Without definitions, the `message_definitions`
    table is dropped afterwards, as in a bag recorded by Humble or before. Returns `folder`."""
    import sqlite3

    from rosbags.rosbag2 import Writer
    from rosbags.rosbag2.enums import StoragePlugin
    from rosbags.typesys import Stores, get_typestore

    typestore = get_typestore(Stores.ROS2_JAZZY)
    with Writer(folder, version=9, storage_plugin=StoragePlugin.SQLITE3) as writer:
        connections = {topic: writer.add_connection(topic, msgtype, typestore=typestore) for topic, msgtype in TOPIC_TYPES.items()}
        for message in kitti_messages(frames):
            data = typestore.serialize_cdr(rosbags_message(typestore, message.msgtype, message.data), message.msgtype)
            writer.write(connections[message.topic], message.log_time, data)
    if not with_definitions:
        database = sqlite3.connect(os.path.join(folder, os.path.basename(folder) + ".db3"))
        database.execute("DROP TABLE message_definitions")
        database.commit()
        database.close()
    return folder


def ros1_value(msgtype, value):
    """A ROS 2 message dictionary in ROS 1's shape: headers gain `seq`, CameraInfo's d k r p are D K R P."""
    if isinstance(value, list):
        return [ros1_value(None, item) for item in value]
    if not isinstance(value, dict):
        return value
    converted = {key: ros1_value(None, item) for key, item in value.items()}
    if "frame_id" in converted and "stamp" in converted:
        converted["seq"] = 0
    if msgtype == "sensor_msgs/msg/CameraInfo":
        converted = {({"d": "D", "k": "K", "r": "R", "p": "P"}).get(key, key): item for key, item in converted.items()}
    return converted


def write_kitti_ros1_bag(path, compression, frames=FRAMES):
    """Writes the recording of `frames` as a ROS 1 bag (format 2.0) with rosbags' rosbag1 writer and its
    ROS 1 Noetic typestore; `compression` is "bz2", "lz4" or "none" (the chunks). Returns `path`."""
    from rosbags.rosbag1 import Writer
    from rosbags.typesys import Stores, get_types_from_msg, get_typestore

    typestore = get_typestore(Stores.ROS1_NOETIC)
    # Noetic's store lacks tf2_msgs (ROS 1's /tf carries it all the same): registered from its definition.
    typestore.register(get_types_from_msg(MESSAGE_DEFINITIONS["tf2_msgs/TFMessage"], "tf2_msgs/msg/TFMessage"))
    writer = Writer(path)
    if compression != "none":
        writer.set_compression({"bz2": Writer.CompressionFormat.BZ2, "lz4": Writer.CompressionFormat.LZ4}[compression])
    with writer:
        connections = {topic: writer.add_connection(topic, msgtype, typestore=typestore) for topic, msgtype in TOPIC_TYPES.items()}
        for message in kitti_messages(frames):
            value = rosbags_message(typestore, message.msgtype, ros1_value(message.msgtype, message.data))
            writer.write(connections[message.topic], message.log_time, typestore.serialize_ros1(value, message.msgtype))
    return path


# --- Hostile files --------------------------------------------------------------------------------
# Record layout (https://mcap.dev/spec): magic (8 bytes), then records: opcode u8, content length
# u64, content. Chunk content: message_start_time u64, message_end_time u64, uncompressed_size u64,
# uncompressed_crc u32, compression (u32 length + bytes), records (u64 length + bytes).

MAGIC = b"\x89MCAP0\r\n"
OPCODE_FOOTER, OPCODE_CHUNK, OPCODE_CHUNK_INDEX, OPCODE_DATA_END = 0x02, 0x06, 0x08, 0x0F


def records(data):
    """(opcode, offset, content length) of every record after the leading magic, up to the footer."""
    offset = len(MAGIC)
    while offset + 9 <= len(data):
        opcode, length = struct.unpack_from("<BQ", data, offset)
        yield opcode, offset, length
        if opcode == OPCODE_FOOTER:
            return
        offset += 9 + length


@dataclasses.dataclass
class ChunkLayout:
    offset: int  # of the record (its opcode byte)
    length: int  # of the record, opcode and length included
    size_at: int  # file offset of uncompressed_size
    crc_at: int
    payload_at: int  # file offset of the (compressed) records
    payload_length: int
    compression: str


def largest_chunk(data):
    """The layout of the largest chunk (it holds a sweep or an image: chunks close after 1 MiB)."""
    offset, length = max(((offset, length) for opcode, offset, length in records(data) if opcode == OPCODE_CHUNK),
                         key=lambda chunk: chunk[1])
    content = offset + 9
    (name_length,) = struct.unpack_from("<I", data, content + 28)
    compression = data[content + 32:content + 32 + name_length].decode()
    payload_length_at = content + 32 + name_length
    (payload_length,) = struct.unpack_from("<Q", data, payload_length_at)
    return ChunkLayout(offset, 9 + length, content + 16, content + 24, payload_length_at + 8, payload_length, compression)


def refresh_crcs(data):
    """Recomputes the data-section CRC (DataEnd) and the summary CRC (Footer) of `data` (a bytearray)
    where the writer set them, so that an edit is found only by the check it is aimed at."""
    for opcode, offset, _ in records(data):
        if opcode == OPCODE_DATA_END and struct.unpack_from("<I", data, offset + 9)[0]:
            struct.pack_into("<I", data, offset + 9, zlib.crc32(data[:offset]))
    footer = len(data) - len(MAGIC) - 29
    assert data[footer] == OPCODE_FOOTER, "no footer where the MCAP layout puts it"
    summary_start, _, summary_crc = struct.unpack_from("<QQI", data, footer + 9)
    if summary_crc:
        struct.pack_into("<I", data, footer + 25, zlib.crc32(data[summary_start or footer:footer + 25]))
    return data


def truncated_mid_chunk(valid):
    """The file cut in the middle of its largest chunk."""
    chunk = largest_chunk(valid)
    return valid[:chunk.offset + chunk.length // 2]


def declared_size_lie(valid, factor):
    """The largest chunk's uncompressed_size (in the chunk and its Chunk Index) times `factor`."""
    data = bytearray(valid)
    chunk = largest_chunk(data)
    (size,) = struct.unpack_from("<Q", data, chunk.size_at)
    struct.pack_into("<Q", data, chunk.size_at, int(size * factor))
    for opcode, offset, length in records(data):
        if opcode == OPCODE_CHUNK_INDEX and struct.unpack_from("<Q", data, offset + 9 + 16)[0] == chunk.offset:
            end = offset + 9 + length  # uncompressed_size is the last field of a Chunk Index
            assert struct.unpack_from("<Q", data, end - 8)[0] == size
            struct.pack_into("<Q", data, end - 8, int(size * factor))
    return bytes(refresh_crcs(data))


def flipped_byte(valid):
    """One byte in the middle of the largest chunk's payload inverted; every other CRC refreshed."""
    data = bytearray(valid)
    chunk = largest_chunk(data)
    data[chunk.payload_at + chunk.payload_length // 2] ^= 0xFF
    return bytes(refresh_crcs(data))


def zstd_bomb(declared_size, zeros=200 << 20):
    """A small file whose one chunk (channel /velodyne_points) is `zeros` bytes of zeros, zstd-compressed
    without a content size in the frame, declared as `declared_size` bytes uncompressed; no CRC, no summary."""
    import zstandard
    from mcap.data_stream import RecordBuilder
    from mcap.records import Channel, Chunk, DataEnd, Footer, Header, Schema

    compressor = zstandard.ZstdCompressor(level=3).compressobj()
    block = bytes(1 << 20)
    payload = b"".join(compressor.compress(block) for _ in range(zeros // len(block))) + compressor.flush()
    builder = RecordBuilder()
    Header(profile="ros2", library="fusionlabel hostile-file tests").write(builder)
    msgtype = TOPIC_TYPES[LIDAR_TOPIC]
    Schema(id=1, name=msgtype, encoding="ros2msg", data=schema_text(msgtype).encode()).write(builder)
    Channel(id=1, topic=LIDAR_TOPIC, message_encoding="cdr", metadata={}, schema_id=1).write(builder)
    Chunk(compression="zstd", data=payload, message_start_time=T0_NS, message_end_time=T0_NS, uncompressed_crc=0,
          uncompressed_size=declared_size).write(builder)
    DataEnd(data_section_crc=0).write(builder)
    Footer(summary_start=0, summary_offset_start=0, summary_crc=0).write(builder)
    return MAGIC + builder.end() + MAGIC


HOSTILE_NAMES = ("truncated-mid-chunk",
                 *(f"declared-size-{way}-{compression}" for way in ("larger", "smaller") for compression in COMPRESSIONS),
                 "crc-mismatch", "flipped-byte-zstd", "zstd-bomb-declared-4k", "zstd-bomb-declared-1tb")


def hostile_mcaps(frames=FRAMES):
    """{name: bytes} of every broken file, named as in HOSTILE_NAMES."""
    valid = {compression: kitti_mcap_bytes(compression, frames) for compression in COMPRESSIONS}
    files = {"truncated-mid-chunk": truncated_mid_chunk(valid["zstd"])}
    for compression in COMPRESSIONS:
        files[f"declared-size-larger-{compression}"] = declared_size_lie(valid[compression], 2)
        files[f"declared-size-smaller-{compression}"] = declared_size_lie(valid[compression], 0.5)
    files["crc-mismatch"] = flipped_byte(valid["none"])
    files["flipped-byte-zstd"] = flipped_byte(valid["zstd"])
    files["zstd-bomb-declared-4k"] = zstd_bomb(4096)
    files["zstd-bomb-declared-1tb"] = zstd_bomb(1 << 40)
    assert sorted(files) == sorted(HOSTILE_NAMES)
    return files


def write_hostile_mcaps(folder, frames=FRAMES):
    """Writes the broken files into `folder` as NAME.mcap: truncated in the middle of a chunk; a chunk whose
    declared uncompressed size is twice / half the real one (zstd, lz4, none); a flipped byte inside an
    uncompressed chunk (only its CRC tells) and inside a zstd chunk; two zstd bombs (200 MB of zeros
    declared as 4 KiB, and as 1 TiB). Returns {name: path}."""
    os.makedirs(folder, exist_ok=True)
    paths = {}
    for name, data in hostile_mcaps(frames).items():
        paths[name] = os.path.join(folder, f"{name}.mcap")
        with open(paths[name], "wb") as handle:
            handle.write(data)
    return paths
