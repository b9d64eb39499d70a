"""ROS recordings from independent writers of real KITTI frames (MCAP by mcap + mcap-ros2-support;
rosbag2 folders in MCAP and SQLite storage, with and without message definitions, and ROS 1 bags
with uncompressed, bz2 and lz4 chunks by rosbags), imported with
`fusionlabel import-bag` and checked against values computed here with numpy: every
point and pixel bit for bit, stamps, poses (interpolated /tf), calibration (CameraInfo + /tf_static),
projection against the KITTI folder itself, `inspect` counts, and refusal of broken files.

Sweeps are read by the small PCD reader below (DATA binary, which import-bag writes, and
binary_compressed, PCDWriter's default), images with OpenCV. The recordings are made in pytest's
temporary folders, never in the repository."""

import collections
import csv
import glob
import io
import json
import os
import re
import resource
import struct
import subprocess
import time
import types

import numpy as np
import pytest

import recordings

MCAP_BAGS = ("zstd", "lz4", "none", "rosbags")
SQLITE_BAGS = ("sqlite", "sqlite-humble")
ROS1_BAGS = ("ros1-none", "ros1-bz2", "ros1-lz4")
BAGS = MCAP_BAGS + SQLITE_BAGS + ROS1_BAGS
FOLDER_BAGS = ("rosbags",) + SQLITE_BAGS
IMPORT_OPTIONS = ["--lidar", recordings.LIDAR_TOPIC, "--camera", f"{recordings.IMAGE_TOPIC}:{recordings.INFO_TOPIC}",
                  "--tolerance", "20", "--ego-frame", "base_link", "--world-frame", "odom"]
HOSTILE_SECONDS = 10
HOSTILE_MAX_RSS_BYTES = 1 << 30


# --- Fixtures -------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def bags(tmp_path_factory):
    """The nine recordings: {"zstd" | "lz4" | "none": file.mcap, "rosbags": rosbag2 folder (MCAP),
    "sqlite": rosbag2 folder (SQLite), "sqlite-humble": the same without message definitions,
    "ros1-none" | "ros1-bz2" | "ros1-lz4": ROS 1 file.bag}."""
    root = tmp_path_factory.mktemp("bags")
    paths = {compression: recordings.write_kitti_mcap(str(root / f"kitti-{compression}.mcap"), compression)
             for compression in recordings.COMPRESSIONS}
    paths["rosbags"] = recordings.write_kitti_rosbags_mcap(str(root / "kitti-rosbag2"))
    paths["sqlite"] = recordings.write_kitti_rosbags_sqlite(str(root / "kitti-sqlite"))
    paths["sqlite-humble"] = recordings.write_kitti_rosbags_sqlite(str(root / "kitti-sqlite-humble"), with_definitions=False)
    for name in ROS1_BAGS:
        paths[name] = recordings.write_kitti_ros1_bag(str(root / f"kitti-{name}.bag"), name.split("-")[1])
    return paths


@pytest.fixture(scope="session")
def hostile(tmp_path_factory):
    """The broken files: {name in recordings.HOSTILE_NAMES: path}."""
    return recordings.write_hostile_mcaps(str(tmp_path_factory.mktemp("hostile")))


@pytest.fixture(scope="session")
def bag_engine(engine):
    """The engine, which must have `import-bag` (missing, the tests fail: they do not skip)."""
    result = subprocess.run([engine, "--help"], capture_output=True, text=True, timeout=60)
    # `fusionlabel UNKNOWN --help` prints the top-level help and exits 0: read the subcommand list instead.
    if not re.search(r"^\s+import-bag\s", result.stdout, re.MULTILINE):
        pytest.fail(f"{engine} has no import-bag subcommand (not in `fusionlabel --help`)")
    return engine


@pytest.fixture(scope="session", params=BAGS)
def imported(request, bags, bag_engine, tmp_path_factory):
    """One recording imported: the scene folder, its parsed scene.json and the bag's name."""
    folder = str(tmp_path_factory.mktemp(f"imported-{request.param}") / "scene")
    result = run(bag_engine, "import-bag", bags[request.param], *IMPORT_OPTIONS, "--out", folder, "--json")
    assert result.returncode == 0, f"import-bag {request.param} failed ({result.returncode}): {result.stderr}"
    json.loads(result.stdout)
    with open(os.path.join(folder, "scene.json")) as handle:
        manifest = json.load(handle)
    assert len(manifest["cameras"]) == 1, "one camera topic was imported"
    assert len(manifest["frames"]) == len(recordings.FRAMES), "one frame per sweep"
    return types.SimpleNamespace(bag=request.param, folder=folder, manifest=manifest, camera=manifest["cameras"][0])


def run(engine, *arguments, timeout=300):
    return subprocess.run([engine, *arguments], capture_output=True, text=True, timeout=timeout)


# --- Independent readers and geometry ------------------------------------------------------------

def read_png_rgb(path):
    """An image file's pixels as (h, w, 3) uint8 RGB; an alpha channel must be opaque."""
    import cv2

    pixels = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    assert pixels is not None and pixels.dtype == np.uint8 and pixels.ndim == 3, f"{path}: not an 8-bit colour image"
    if pixels.shape[2] == 4:
        assert (pixels[:, :, 3] == 255).all(), f"{path}: transparent pixels"
    return np.ascontiguousarray(pixels[:, :, 2::-1])


def transform_of(wire):
    """(translation, quaternion (w, x, y, z)) of a scene.json transform."""
    rotation, translation = wire["rotation"], wire["translation"]
    return (np.array([translation[axis] for axis in "xyz"]), np.array([rotation[axis] for axis in "wxyz"]))


def quaternion_error(actual, expected):
    """Largest component difference between two quaternions, up to sign."""
    return min(np.abs(actual - expected).max(), np.abs(actual + expected).max())


def slerp(a, b, fraction):
    """Spherical linear interpolation between unit quaternions (w, x, y, z), shortest way."""
    if np.dot(a, b) < 0:
        b = -b
    angle = np.arccos(min(1.0, np.dot(a, b)))
    if angle < 1e-12:
        return a
    return (np.sin((1 - fraction) * angle) * a + np.sin(fraction * angle) * b) / np.sin(angle)


def odom_from_base_link_at(stamp):
    """The pose at `stamp` (ns) between the two /tf samples around it: translation linear, rotation slerp."""
    samples = recordings.tf_samples()
    for (before, translation_a, rotation_a), (after, translation_b, rotation_b) in zip(samples, samples[1:]):
        if before <= stamp <= after:
            fraction = (stamp - before) / (after - before)
            return translation_a + fraction * (translation_b - translation_a), slerp(rotation_a, rotation_b, fraction)
    raise ValueError(f"no /tf samples around {stamp}")


def projected_points(csv_text):
    """{point index: (u, v, depth)} of `fusionlabel project --format csv` output for one camera."""
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert len({row["camera"] for row in rows}) == 1, "one camera"
    return {int(row["index"]): (float(row["u"]), float(row["v"]), float(row["depth"])) for row in rows}


# --- The recordings themselves, read back by the writers' own readers (no engine) ----------------

def message_files(bags, name):
    """The file holding the messages: the .mcap or .db3 inside a rosbag2 folder, else the recording itself."""
    return glob.glob(os.path.join(bags[name], "*.mcap")) + glob.glob(os.path.join(bags[name], "*.db3")) if name in FOLDER_BAGS else [bags[name]]


@pytest.mark.parametrize("name", MCAP_BAGS)
def test_each_recording_reads_back_with_mcap_ros2(bags, name):
    from mcap.reader import make_reader
    from mcap_ros2.decoder import DecoderFactory

    counts, sweeps, images = collections.Counter(), [], []
    with open(message_files(bags, name)[0], "rb") as handle:
        for _, channel, _, decoded in make_reader(handle, decoder_factories=[DecoderFactory()]).iter_decoded_messages():
            counts[channel.topic] += 1
            if channel.topic == recordings.LIDAR_TOPIC:
                sweeps.append(decoded)
            elif channel.topic == recordings.IMAGE_TOPIC:
                images.append(decoded)
    assert counts == recordings.message_counts()
    for position, (frame, cloud, picture) in enumerate(zip(recordings.FRAMES, sweeps, images)):
        assert (cloud.header.stamp.sec, cloud.header.stamp.nanosec) == divmod(recordings.sweep_stamp(position), recordings.NS)
        records = np.frombuffer(bytes(cloud.data), dtype=np.uint8).reshape(cloud.width, cloud.point_step)
        xyzi = records[:, :16].copy().view("<f4")
        assert np.array_equal(xyzi.view(np.uint32), recordings.kitti_points(frame).view(np.uint32))
        pixels = np.frombuffer(bytes(picture.data), dtype=np.uint8).reshape(picture.height, picture.width, 3)
        assert np.array_equal(pixels, recordings.kitti_image(frame))
    assert [cloud.point_step for cloud in sweeps] == [20 if position == recordings.RING_SWEEP else 16 for position in range(len(sweeps))]


def test_the_rosbag2_folder_reads_back_with_rosbags(bags):
    from pathlib import Path

    from rosbags.highlevel import AnyReader

    with AnyReader([Path(bags["rosbags"])]) as reader:
        counts = collections.Counter(connection.topic for connection, _, _ in reader.messages())
        assert {connection.topic: connection.msgtype for connection in reader.connections} == recordings.TOPIC_TYPES
    assert counts == recordings.message_counts()


@pytest.mark.parametrize("name", ROS1_BAGS)
def test_each_ros1_bag_reads_back_with_rosbags(bags, name):
    from pathlib import Path

    from rosbags.highlevel import AnyReader

    with AnyReader([Path(bags[name])]) as reader:
        counts = collections.Counter(connection.topic for connection, _, _ in reader.messages())
        assert {connection.topic: connection.msgtype for connection in reader.connections} == recordings.TOPIC_TYPES
    assert counts == recordings.message_counts()


# --- Imported scenes -------------------------------------------------------------------------------

def test_every_point_is_imported_bit_for_bit(imported):
    for position, (frame, entry) in enumerate(zip(recordings.FRAMES, imported.manifest["frames"])):
        cloud, expected = recordings.read_pcd(os.path.join(imported.folder, entry["lidar"])), recordings.kitti_points(frame)
        for column, name in enumerate(("x", "y", "z", "intensity")):
            assert cloud[name].dtype == np.float32, f"frame {position} {name}"
            assert np.array_equal(cloud[name].view(np.uint32), expected[:, column].view(np.uint32)), f"frame {position} {name}"
        if position == recordings.RING_SWEEP:
            assert np.array_equal(cloud["ring"], np.arange(len(expected)) % 64), "ring (uint16 at offset 16, then padding)"


def test_every_pixel_is_imported(imported):
    camera = imported.camera["name"]
    for frame, entry in zip(recordings.FRAMES, imported.manifest["frames"]):
        pixels = read_png_rgb(os.path.join(imported.folder, entry["images"][camera]))
        assert np.array_equal(pixels, recordings.kitti_image(frame)), f"frame {entry['index']}"


def test_frames_carry_the_sweep_header_stamps(imported):
    stamps = [entry["timestamp"] for entry in imported.manifest["frames"]]
    expected = [recordings.sweep_stamp(position) / recordings.NS for position in range(len(recordings.FRAMES))]
    assert np.abs(np.array(stamps) - expected).max() <= 1e-6, f"{stamps} (log times are {recordings.RECEIVE_LATENCY_NS} ns later)"
    assert [entry["index"] for entry in imported.manifest["frames"]] == list(range(len(recordings.FRAMES)))


def test_ego_from_lidar_is_the_static_transform(imported):
    translation, rotation = transform_of(imported.manifest["lidar"]["egoFromLidar"])
    expected_translation, expected_rotation = recordings.BASE_LINK_FROM_VELODYNE
    assert np.abs(translation - expected_translation).max() <= 1e-9
    assert quaternion_error(rotation, expected_rotation) <= 1e-9


def test_world_from_ego_interpolates_tf_at_each_sweep(imported):
    for position, entry in enumerate(imported.manifest["frames"]):
        translation, rotation = transform_of(entry["worldFromEgo"])
        expected_translation, expected_rotation = odom_from_base_link_at(recordings.sweep_stamp(position))
        assert np.abs(translation - expected_translation).max() <= 1e-9, f"frame {position}: {translation} vs {expected_translation}"
        assert quaternion_error(rotation, expected_rotation) <= 1e-9, f"frame {position}: {rotation} vs {expected_rotation}"


def test_camera_comes_from_camera_info_and_tf_static(imported):
    camera, calibration = imported.camera, recordings.recording_calibration()
    k = calibration["P2"][:, :3]
    assert (camera["width"], camera["height"]) == (1242, 375)
    intrinsics = camera["intrinsics"]
    assert np.abs(np.array([intrinsics[key] for key in ("fx", "fy", "cx", "cy")]) - [k[0, 0], k[1, 1], k[0, 2], k[1, 2]]).max() <= 1e-9
    distortion = camera.get("distortion", {"model": "pinhole", "coefficients": []})
    assert distortion["model"] == "pinhole" and not any(distortion["coefficients"]), distortion
    translation, rotation = transform_of(camera["cameraFromLidar"])
    expected = recordings.camera2_from_velodyne(calibration)
    assert np.abs(translation - expected[:3, 3]).max() <= 1e-9, f"{translation} vs {expected[:3, 3]}"
    assert quaternion_error(rotation, recordings.quaternion_from_matrix(expected[:3, :3])) <= 1e-9


def test_projection_through_the_scene_equals_projection_through_kitti(imported, bag_engine):
    kitti = run(bag_engine, "project", recordings.KITTI, "--frame", recordings.FRAMES[0], "--format", "csv")
    scene = run(bag_engine, "project", imported.folder, "--frame", "0", "--format", "csv")
    assert kitti.returncode == 0, kitti.stderr
    assert scene.returncode == 0, scene.stderr
    expected, actual = projected_points(kitti.stdout), projected_points(scene.stdout)
    assert len(expected) > 10_000, "most of the image is covered"
    assert actual.keys() == expected.keys(), f"{len(actual.keys() ^ expected.keys())} points differ in being on the image"
    differences = np.abs(np.array([actual[index] for index in expected]) - np.array(list(expected.values())))
    assert differences[:, :2].max() <= 1e-3, f"pixel difference up to {differences[:, :2].max()}"
    assert differences[:, 2].max() <= 1e-4, f"depth difference up to {differences[:, 2].max()} m"


# --- inspect ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", BAGS)
def test_inspect_counts_what_was_written(bags, bag_engine, name):
    """`inspect --json` on each recording as given (rosbag2 recordings as their folders)."""
    result = run(bag_engine, "inspect", bags[name], "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["kind"] == ("rosbag2" if name in FOLDER_BAGS else "ros1-bag" if name in ROS1_BAGS else "mcap")
    recording = report["recording"]
    assert [os.path.realpath(path) for path in recording["files"]] == [os.path.realpath(path) for path in message_files(bags, name)]
    topics = {entry["topic"]: entry for entry in recording["topics"]}
    # A ROS 1 bag names types without ROS 2's "/msg/".
    expected_types = {topic: msgtype.replace("/msg/", "/") if name in ROS1_BAGS else msgtype for topic, msgtype in recordings.TOPIC_TYPES.items()}
    assert {topic: entry["type"] for topic, entry in topics.items()} == expected_types
    assert {topic: entry["messageCount"] for topic, entry in topics.items()} == dict(recordings.message_counts())
    log_times = [message.log_time for message in recordings.kitti_messages()]
    assert abs(recording["startTime"] - min(log_times) / recordings.NS) <= 1e-6
    assert abs(recording["endTime"] - max(log_times) / recordings.NS) <= 1e-6
    tf = topics[recordings.TF_TOPIC]
    assert abs(tf["rate"] - recordings.NS / recordings.TF_PERIOD_NS) <= 1e-6, "the /tf samples come at 20 Hz"


# --- Labels back into the recording's world ----------------------------------------------------

def test_labels_export_as_foxglove_scene_updates(bags, bag_engine, tmp_path):
    """Pre-labels of the imported scene, exported as foxglove.SceneUpdate MCAP: read by PyPI's mcap,
    each message valid against the JSON schema the file carries, one cube per OpenLABEL cuboid with
    the same pose and size, on the sweeps' frame id and stamps."""
    import jsonschema
    from mcap.reader import make_reader

    scene = str(tmp_path / "scene")
    result = run(bag_engine, "import-bag", bags["zstd"], *IMPORT_OPTIONS, "--out", scene)
    assert result.returncode == 0, result.stderr
    prelabels = tmp_path / "prelabels"
    result = run(bag_engine, "prelabel", scene, "--out", str(prelabels))
    assert result.returncode == 0, result.stderr
    labels = str(prelabels / "prelabels.openlabel.json")
    out = str(tmp_path / "labels.mcap")
    result = run(bag_engine, "export-foxglove", scene, "--labels", labels, "--out", out)
    assert result.returncode == 0, result.stderr
    with open(labels) as handle:
        openlabel = json.load(handle)["openlabel"]
    with open(out, "rb") as handle:
        reader = make_reader(handle)
        summary = reader.get_summary()
        assert summary.statistics.message_count == len(openlabel["frames"])
        messages = list(reader.iter_messages())
    for schema, channel, message in messages:
        assert (schema.name, schema.encoding, channel.message_encoding) == ("foxglove.SceneUpdate", "jsonschema", "json")
        update = json.loads(message.data)
        jsonschema.validate(update, json.loads(schema.data))
        frame = message.sequence
        assert abs(message.log_time - recordings.sweep_stamp(frame)) <= 1_000, "logged at the sweep's stamp (within 1 µs)"
        assert update["deletions"] == [{"timestamp": update["entities"][0]["timestamp"], "type": 1, "id": ""}]
        cuboids = {uid: data["object_data"]["cuboid"][0]["val"] for uid, data in openlabel["frames"][str(frame)]["objects"].items()}
        entities = {entity["id"]: entity for entity in update["entities"]}
        assert entities.keys() == cuboids.keys() and len(cuboids) > 0
        for uid, val in cuboids.items():
            entity = entities[uid]
            assert entity["frame_id"] == "velodyne"
            cube = entity["cubes"][0]
            position, orientation, size = cube["pose"]["position"], cube["pose"]["orientation"], cube["size"]
            assert np.allclose([position[k] for k in "xyz"], val[0:3], atol=1e-9)
            assert quaternion_error(np.array([orientation[k] for k in "wxyz"]), np.array([val[6], *val[3:6]])) <= 1e-9
            assert np.allclose([size[k] for k in "xyz"], val[7:10], atol=1e-9)
            assert {"key": "class", "value": openlabel["objects"][uid]["type"]} in entity["metadata"]


# --- Broken files ---------------------------------------------------------------------------------

def run_measured(command, timeout, stderr_path):
    """Runs `command` alone, its stderr to `stderr_path`; returns (exit code as subprocess gives it,
    stderr, seconds, peak RSS in bytes). The peak is the child's own (wait4: other children of this
    test process do not count). A data limit of 4 GiB keeps a runaway allocation from taking the machine."""
    def limit_memory():
        resource.setrlimit(resource.RLIMIT_DATA, (4 << 30, 4 << 30))

    start = time.monotonic()
    with open(os.devnull, "wb") as null, open(stderr_path, "wb") as stderr:
        process = subprocess.Popen(command, stdout=null, stderr=stderr, preexec_fn=limit_memory)
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        while not pid and time.monotonic() - start <= timeout:
            time.sleep(0.01)
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if not pid:
            process.kill()
            _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    with open(stderr_path, encoding="utf-8", errors="replace") as handle:
        return process.returncode, handle.read(), seconds, usage.ru_maxrss * 1024


@pytest.mark.parametrize("name", recordings.HOSTILE_NAMES)
def test_a_broken_file_is_refused_quickly_and_clearly(hostile, bag_engine, tmp_path, name):
    path, out = hostile[name], str(tmp_path / "scene")
    command = [bag_engine, "import-bag", path, *IMPORT_OPTIONS, "--out", out]
    code, stderr, seconds, peak = run_measured(command, HOSTILE_SECONDS, str(tmp_path / "stderr.txt"))
    assert seconds < HOSTILE_SECONDS, f"still running after {HOSTILE_SECONDS} s"
    assert code > 0, (f"killed by signal {-code}" if code < 0 else f"exit {code}") + f"; stderr: {stderr[-500:]}"
    assert os.path.basename(path) in stderr, f"the message does not name the file: {stderr[-500:]}"
    assert re.search(r"\b(byte|offset|record|chunk)\b", stderr, re.IGNORECASE), f"no byte offset or record named: {stderr[-500:]}"
    assert peak < HOSTILE_MAX_RSS_BYTES, f"peak memory {peak / 2**20:.0f} MiB"
    assert not os.path.exists(os.path.join(out, "scene.json")), "a refused recording left a scene behind"
