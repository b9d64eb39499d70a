"""Reading a recording, side by side in one run: about 1 GB of 64-beam LiDAR sweeps (KITTI's six
HDL-64E sweeps, repeated, as sensor_msgs/PointCloud2 x y z intensity float32) in MCAP files written
by PyPI's mcap-ros2-support, uncompressed and zstd, read into point clouds (x, y, z and intensity
columns) by

- the engine: `fusionlabel inspect --decode`, which streams the file, decompresses each chunk,
  decodes every message by its schema and converts each PointCloud2 to a PointCloud (the time it
  reports for that pass, `decodeSeconds`);
- PyPI's mcap + mcap-ros2-support, then numpy (`np.frombuffer` of the data, columns copied out);
- rosbags (its AnyReader over the same messages, rewritten as a rosbag2 folder), then numpy;

and, for zstd, the decompressor alone: python-zstandard (libzstd) over the chunks' bytes.

    python3 python/bench/read_recording.py [--gigabytes 1.0] [--engine .build/release/fusionlabel] [--repeats 3] [--json]

The files are made once into .build/recording-bench. One core: every reader is single-threaded.
"""

import argparse
import glob
import json
import os
import pathlib
import subprocess
import sys
import time

import numpy as np

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPOSITORY, "python", "tests"))
import recordings  # noqa: E402  (the tests' message definitions and KITTI readers)

KITTI_FRAMES = ("000000", "000001", "000002", "000003", "000004", "000005")
TOPIC = "/velodyne_points"
COLUMNS = np.dtype({"names": ["x", "y", "z", "intensity"], "formats": ["<f4"] * 4, "offsets": [0, 4, 8, 12], "itemsize": 16})


def clouds(gigabytes):
    """(stamp, message dict) of sweeps until about `gigabytes` of point data."""
    sweeps = [recordings.kitti_points(frame) for frame in KITTI_FRAMES]
    total, index = 0, 0
    while total < gigabytes * 1e9:
        points = sweeps[index % len(sweeps)]
        stamp = recordings.T0_NS + index * recordings.SWEEP_PERIOD_NS
        yield stamp, recordings.point_cloud(stamp, points, with_ring=False)
        total += points.nbytes
        index += 1


def make_files(folder, gigabytes):
    from mcap.writer import CompressionType
    from mcap_ros2.writer import Writer
    os.makedirs(folder, exist_ok=True)
    files = {}
    for name, compression in (("none", CompressionType.NONE), ("zstd", CompressionType.ZSTD)):
        path = os.path.join(folder, f"sweeps-{name}.mcap")
        if not os.path.exists(path):
            with open(path + ".tmp", "wb") as handle:
                writer = Writer(handle, compression=compression)
                schema = writer.register_msgdef(recordings.TOPIC_TYPES[recordings.LIDAR_TOPIC],
                                                recordings.schema_text(recordings.TOPIC_TYPES[recordings.LIDAR_TOPIC]))
                for stamp, message in clouds(gigabytes):
                    writer.write_message(TOPIC, schema, message, log_time=stamp, publish_time=stamp)
                writer.finish()
            os.rename(path + ".tmp", path)
        files[name] = path
    bag = os.path.join(folder, "sweeps-rosbag2")
    if not os.path.exists(os.path.join(bag, "metadata.yaml")):
        rewrite_as_rosbag2(files["none"], bag)
    files["rosbag2"] = bag
    return files


def rewrite_as_rosbag2(source, bag):
    """The uncompressed file's messages, as raw CDR, into a rosbag2 folder with MCAP storage."""
    from mcap.reader import make_reader
    from rosbags.rosbag2 import StoragePlugin, Writer
    from rosbags.typesys import Stores, get_typestore
    typestore = get_typestore(Stores.ROS2_JAZZY)
    with Writer(bag, version=9, storage_plugin=StoragePlugin.MCAP) as writer:
        connection = writer.add_connection(TOPIC, "sensor_msgs/msg/PointCloud2", typestore=typestore)
        with open(source, "rb") as handle:
            for _, _, message in make_reader(handle).iter_messages():
                writer.write(connection, message.log_time, message.data)


def columns(data, width):
    """x, y, z, intensity columns (float32 arrays) of a PointCloud2 data buffer, copied out."""
    records = np.frombuffer(data, dtype=COLUMNS, count=width)
    return [np.ascontiguousarray(records[name]) for name in COLUMNS.names]


def read_with_engine(engine, path):
    result = subprocess.run([engine, "inspect", "--decode", "--json", path], check=True, capture_output=True, text=True)
    report = json.loads(result.stdout)["recording"]
    points = sum(topic.get("points") or 0 for topic in report["topics"])
    return report["decodeSeconds"], points


def read_with_mcap(path):
    from mcap.reader import make_reader
    from mcap_ros2.decoder import DecoderFactory
    start, points = time.perf_counter(), 0
    with open(path, "rb") as handle:
        for _, _, _, message in make_reader(handle, decoder_factories=[DecoderFactory()]).iter_decoded_messages(topics=[TOPIC]):
            points += len(columns(message.data, message.width * message.height)[0])
    return time.perf_counter() - start, points


def read_with_rosbags(bag):
    from rosbags.highlevel import AnyReader
    from rosbags.typesys import Stores, get_typestore
    start, points = time.perf_counter(), 0
    with AnyReader([pathlib.Path(bag).absolute()], default_typestore=get_typestore(Stores.ROS2_JAZZY)) as reader:
        for connection, _, raw in reader.messages(connections=[c for c in reader.connections if c.topic == TOPIC]):
            message = reader.deserialize(raw, connection.msgtype)
            points += len(columns(message.data, message.width * message.height)[0])
    return time.perf_counter() - start, points


def zstd_alone(path):
    """Seconds python-zstandard takes to decompress every chunk of `path` (chunks read beforehand)."""
    import zstandard
    from mcap.records import Chunk
    from mcap.stream_reader import StreamReader
    with open(path, "rb") as handle:
        chunks = [record for record in StreamReader(handle, emit_chunks=True).records if isinstance(record, Chunk)]
    decompressor = zstandard.ZstdDecompressor()
    start = time.perf_counter()
    for chunk in chunks:
        decompressor.decompress(chunk.data, max_output_size=chunk.uncompressed_size)
    return time.perf_counter() - start, sum(chunk.uncompressed_size for chunk in chunks)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gigabytes", type=float, default=1.0)
    parser.add_argument("--engine", default=os.path.join(REPOSITORY, ".build", "release", "fusionlabel"))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    arguments = parser.parse_args()
    files = make_files(os.path.join(REPOSITORY, ".build", "recording-bench"), arguments.gigabytes)
    mcap_bytes = {name: os.path.getsize(path) for name, path in files.items() if name != "rosbag2"}
    rows = []
    runs = [("fusionlabel", "none", lambda: read_with_engine(arguments.engine, files["none"])),
            ("fusionlabel", "zstd", lambda: read_with_engine(arguments.engine, files["zstd"])),
            ("mcap + numpy", "none", lambda: read_with_mcap(files["none"])),
            ("mcap + numpy", "zstd", lambda: read_with_mcap(files["zstd"])),
            ("rosbags + numpy", "none (rosbag2)", lambda: read_with_rosbags(files["rosbag2"])),
            ("zstandard alone", "zstd", lambda: zstd_alone(files["zstd"]))]
    for reader, compression, run in runs:
        results = [run() for _ in range(arguments.repeats)]
        seconds = sorted(result[0] for result in results)[len(results) // 2]
        file_bytes = mcap_bytes["zstd" if compression == "zstd" else "none"]
        rows.append({"reader": reader, "file": compression, "seconds": seconds, "points": results[0][1],
                     "fileGBPerSecond": file_bytes / seconds / 1e9,
                     "pointDataGBPerSecond": (results[0][1] * 16 if reader != "zstandard alone" else results[0][1]) / seconds / 1e9})
    if arguments.json:
        print(json.dumps({"files": mcap_bytes, "rows": rows}, indent=2))
        return
    print(f"files: uncompressed {mcap_bytes['none'] / 1e9:.2f} GB, zstd {mcap_bytes['zstd'] / 1e9:.2f} GB; median of {arguments.repeats}")
    print(f"{'reader':<18} {'file':<15} {'seconds':>8} {'file GB/s':>10} {'points':>12}")
    for row in rows:
        print(f"{row['reader']:<18} {row['file']:<15} {row['seconds']:>8.3f} {row['fileGBPerSecond']:>10.2f} {row['points']:>12}")


if __name__ == "__main__":
    main()
