"""`fusionlabel export-nuscenes` read by the official nuscenes-devkit (PyPI), which loads the tables,
renders a LiDAR sample and a camera image with their boxes, and evaluates detection and tracking of
the export against itself; and the annotations checked against the labels with numpy.

The devkit needs numpy < 2, so it runs in its own virtual environment (`scripts/run-python-tests`
makes it: .build/nuscenes-venv, or $FUSIONLABEL_NUSCENES_PYTHON), through nuscenes_devkit_check.py."""

import json
import os
import subprocess
import types

import numpy as np
import pytest

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


def test_the_devkit_loads_renders_and_scores_the_export_against_itself(exported):
    if not os.access(NUSCENES_PYTHON, os.X_OK):
        pytest.fail(f"{NUSCENES_PYTHON} is missing: scripts/run-python-tests makes it (a venv with nuscenes-devkit)")
    work = exported.work / "devkit"
    work.mkdir()
    result = subprocess.run([NUSCENES_PYTHON, CHECK, exported.dataroot, VERSION, str(work)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
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
