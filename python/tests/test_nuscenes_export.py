"""`fusionlabel export-nuscenes` read by the official nuscenes-devkit (PyPI), which loads the tables,
renders a LiDAR sample and a camera image with their boxes, and evaluates detection and tracking of
the export against itself; the annotations checked against the labels with numpy; and
`fusionlabel import-nuscenes` reading the export back, its labels compared with the boxes the devkit
puts in each LiDAR frame.

The devkit needs numpy < 2, so it runs in its own virtual environment (`scripts/run-python-tests`
makes it: .build/nuscenes-venv, or $FUSIONLABEL_NUSCENES_PYTHON), through nuscenes_devkit_check.py."""

import json
import os
import subprocess
import types

import numpy as np
import pytest

import recordings
from conftest import REPOSITORY

SAMPLE_SCENE = os.path.join(REPOSITORY, "SampleScenes", "urban")
NUSCENES_PYTHON = os.environ.get("FUSIONLABEL_NUSCENES_PYTHON", os.path.join(REPOSITORY, ".build", "nuscenes-venv", "bin", "python"))
CHECK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nuscenes_devkit_check.py")
VERSION = "v1.0-trainval"


def export(engine, labels, out):
    result = subprocess.run([engine, "export-nuscenes", "--scene", SAMPLE_SCENE, "--labels", labels, "--version", VERSION,
                             "--location", "simulated", "--out", out, "--json"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def exported(engine, tmp_path_factory):
    """The sample scene annotated by the engine, then exported."""
    work = tmp_path_factory.mktemp("nuscenes")
    annotated = str(work / "annotated")
    result = subprocess.run([engine, "annotate", SAMPLE_SCENE, "--out", annotated, "--no-renders"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    labels = os.path.join(annotated, "labels.openlabel.json")
    dataroot = str(work / "dataroot")
    summary = export(engine, labels, dataroot)
    tables = {}
    for name in os.listdir(os.path.join(dataroot, VERSION)):
        with open(os.path.join(dataroot, VERSION, name)) as handle:
            tables[name[:-5]] = json.load(handle)
    with open(labels) as handle:
        openlabel = json.load(handle)["openlabel"]
    with open(os.path.join(SAMPLE_SCENE, "scene.json")) as handle:
        manifest = json.load(handle)
    return types.SimpleNamespace(work=work, labels=labels, dataroot=dataroot, summary=summary, tables=tables,
                                 openlabel=openlabel, manifest=manifest)


@pytest.fixture(scope="module")
def devkit(exported):
    """What the devkit found in the export (nuscenes_devkit_check.py's report)."""
    if not os.access(NUSCENES_PYTHON, os.X_OK):
        pytest.fail(f"{NUSCENES_PYTHON} is missing: scripts/run-python-tests makes it (a venv with nuscenes-devkit)")
    work = exported.work / "devkit"
    work.mkdir()
    result = subprocess.run([NUSCENES_PYTHON, CHECK, exported.dataroot, VERSION, str(work)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_devkit_loads_renders_and_scores_the_export_against_itself(exported, devkit):
    report = devkit
    summary = exported.summary
    assert report["scenes"] == [exported.manifest["name"]]
    assert report["tables"]["sample"] == summary["samples"] == len(exported.manifest["frames"])
    assert report["tables"]["sample_annotation"] == summary["annotations"]
    assert report["tables"]["instance"] == summary["instances"]
    assert report["renders"] == ["camera.png", "lidar.png"]
    detection, tracking = report["detection"], report["tracking"]
    assert {"car", "pedestrian"} <= set(detection["classes"]), detection["classes"]
    # Every class present: AP 1 at every distance threshold and no error. (mAP and NDS average over
    # the ten nuScenes classes, and the devkit scores a class without ground truth 0.)
    for name in detection["classes"]:
        assert all(ap == pytest.approx(1.0) for ap in detection["ap"][name].values()), (name, detection["ap"][name])
        assert all(error == pytest.approx(0.0, abs=1e-9) for error in detection["errors"][name].values()), (name, detection["errors"][name])
    assert detection["mAP"] == pytest.approx(len(detection["classes"]) / 10)
    assert tracking["classes"] == detection["classes"]
    assert tracking["AMOTA"] == pytest.approx(1.0) and tracking["IDS"] == 0, tracking


def quaternion_product(a, b):
    w1, x1, y1, z1 = a
    w2, x2, y2, z2 = b
    return np.array([w1 * w2 - x1 * x2 - y1 * y2 - z1 * z2, w1 * x2 + x1 * w2 + y1 * z2 - z1 * y2,
                     w1 * y2 - x1 * z2 + y1 * w2 + z1 * x2, w1 * z2 + x1 * y2 - y1 * x2 + z1 * w2])


def rotate(q, v):
    return quaternion_product(quaternion_product(q, np.array([0.0, *v])), q * np.array([1, -1, -1, -1]))[1:]


def pose(wire):
    rotation = wire["rotation"]
    return np.array([rotation["w"], rotation["x"], rotation["y"], rotation["z"]]), np.array([wire["translation"][k] for k in "xyz"])


def test_annotations_are_the_labels_in_the_global_frame(exported):
    """Each annotation, recomputed from its OpenLABEL cuboid (x y z, qx qy qz qw, l w h in the LiDAR
    frame) and the scene's poses: global = worldFromEgo · egoFromLidar · cuboid."""
    tables, frames = exported.tables, {frame["index"]: frame for frame in exported.manifest["frames"]}
    samples = {sample["token"]: sample for sample in tables["sample"]}
    frame_of_timestamp = {round(frame["timestamp"] * 1e6): index for index, frame in frames.items()}
    instances = {instance["token"]: instance for instance in tables["instance"]}
    lidar_rotation, lidar_translation = pose(exported.manifest["lidar"]["egoFromLidar"])
    checked = 0
    for annotation in tables["sample_annotation"]:
        frame = frame_of_timestamp[samples[annotation["sample_token"]]["timestamp"]]
        world_rotation, world_translation = pose(frames[frame]["worldFromEgo"])
        candidates = exported.openlabel["frames"][str(frame)]["objects"]
        # The instance's annotations follow the object's frames; match this one by its centre.
        expected = []
        for uid, data in candidates.items():
            val = data["object_data"]["cuboid"][0]["val"]
            centre = world_translation + rotate(world_rotation, lidar_translation + rotate(lidar_rotation, np.array(val[0:3])))
            rotation = quaternion_product(world_rotation, quaternion_product(lidar_rotation, np.array([val[6], *val[3:6]])))
            expected.append((np.abs(centre - annotation["translation"]).max(), rotation, val[7:10], uid))
        distance, rotation, size, uid = min(expected, key=lambda entry: entry[0])
        assert distance <= 1e-9
        assert min(np.abs(rotation - annotation["rotation"]).max(), np.abs(rotation + annotation["rotation"]).max()) <= 1e-9
        assert annotation["size"] == pytest.approx([size[1], size[0], size[2]], abs=1e-12), "nuScenes sizes are width, length, height"
        assert instances[annotation["instance_token"]]["nbr_annotations"] >= 1
        checked += 1
    assert checked == exported.summary["annotations"] > 100


def test_tokens_and_tables_are_the_same_on_every_run(engine, exported, tmp_path):
    again = str(tmp_path / "again")
    export(engine, exported.labels, again)
    for name in sorted(os.listdir(os.path.join(exported.dataroot, VERSION))):
        with open(os.path.join(exported.dataroot, VERSION, name), "rb") as first, open(os.path.join(again, VERSION, name), "rb") as second:
            assert first.read() == second.read(), name


def test_an_existing_folder_is_refused_and_left_alone(engine, exported):
    before = sorted(os.listdir(exported.dataroot))
    result = subprocess.run([engine, "export-nuscenes", "--scene", SAMPLE_SCENE, "--labels", exported.labels, "--out", exported.dataroot],
                            capture_output=True, text=True)
    assert result.returncode == 1 and "already exists" in result.stderr
    assert sorted(os.listdir(exported.dataroot)) == before


# --- Reading the layout back ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def imported(engine, exported):
    folder = str(exported.work / "imported")
    result = subprocess.run([engine, "import-nuscenes", exported.dataroot, "--version", VERSION, "--scene", exported.manifest["name"],
                             "--out", folder, "--json"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with open(os.path.join(folder, "scene.json")) as handle:
        manifest = json.load(handle)
    with open(os.path.join(folder, "labels", "nuscenes.openlabel.json")) as handle:
        labels = json.load(handle)["openlabel"]
    return types.SimpleNamespace(folder=folder, summary=json.loads(result.stdout)[0], manifest=manifest, labels=labels)


def transform_close(a, b):
    (qa, ta), (qb, tb) = pose(a), pose(b)
    return np.abs(ta - tb).max() <= 1e-9 and min(np.abs(qa - qb).max(), np.abs(qa + qb).max()) <= 1e-9


def test_import_gives_back_the_scene_that_was_exported(imported, exported, engine):
    original, back = exported.manifest, imported.manifest
    assert len(back["frames"]) == len(original["frames"]) == imported.summary["frames"]
    for before, after in zip(original["frames"], back["frames"]):
        assert abs(before["timestamp"] - after["timestamp"]) <= 1e-6, "timestamps travel as microseconds"
        assert transform_close(before["worldFromEgo"], after["worldFromEgo"])
    assert transform_close(original["lidar"]["egoFromLidar"], back["lidar"]["egoFromLidar"])
    cameras = {camera["name"]: camera for camera in back["cameras"]}
    for camera in original["cameras"]:
        copy = cameras["CAM_" + camera["name"].upper()]
        assert (copy["width"], copy["height"]) == (camera["width"], camera["height"])
        assert all(abs(copy["intrinsics"][key] - camera["intrinsics"][key]) <= 1e-9 for key in ("fx", "fy", "cx", "cy"))
        assert transform_close(camera["cameraFromLidar"], copy["cameraFromLidar"])
    # The sweep: every point and intensity, bit for bit.
    before = recordings.read_pcd(os.path.join(SAMPLE_SCENE, original["frames"][0]["lidar"]))
    after = recordings.read_pcd(os.path.join(imported.folder, back["frames"][0]["lidar"]))
    for field in ("x", "y", "z", "intensity"):
        assert np.array_equal(before[field].view(np.uint32), after[field].view(np.uint32)), field
    # Through the undistorted camera, projection is the same (nuScenes keeps no distortion: the front
    # camera's k1 = -0.08 is lost, which the README says).
    rows = []
    for folder, camera in ((SAMPLE_SCENE, "left"), (imported.folder, "CAM_LEFT")):
        result = subprocess.run([engine, "project", folder, "--frame", "0", "--camera", camera, "--format", "csv"], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        rows.append({line.split(",")[1]: np.array(line.split(",")[2:4], dtype=float) for line in result.stdout.splitlines()[1:]})
    assert rows[0].keys() == rows[1].keys() and len(rows[0]) > 1000
    assert max(np.abs(rows[0][index] - rows[1][index]).max() for index in rows[0]) <= 1e-3


def test_imported_labels_are_the_devkits_boxes_in_each_lidar_frame(imported, devkit):
    """The devkit's get_sample_data puts each annotation in the sweep's LiDAR frame; the imported
    OpenLABEL cuboids must be those boxes (centre, width-length-height, orientation up to sign)."""
    by_annotation = {}
    for frame in imported.labels["frames"].values():
        for data in frame["objects"].values():
            cuboid = data["object_data"]["cuboid"][0]
            texts = {entry["name"]: entry["val"] for entry in cuboid["attributes"]["text"]}
            by_annotation[texts["annotation_token"]] = cuboid["val"]
    boxes = [box for sample_boxes in devkit["lidar_boxes"].values() for box in sample_boxes]
    assert len(boxes) == len(by_annotation) == imported.summary["annotations"] > 100
    for box in boxes:
        val = by_annotation[box["annotation"]]
        assert np.abs(np.array(val[0:3]) - box["center"]).max() <= 1e-9
        assert np.abs(np.array([val[8], val[7], val[9]]) - box["wlh"]).max() <= 1e-12
        q = np.array([val[6], *val[3:6]])
        assert min(np.abs(q - box["orientation"]).max(), np.abs(q + box["orientation"]).max()) <= 1e-9
