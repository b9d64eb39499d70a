"""Fixtures: the engine binary (the release build `make test` makes), simulated scenes, and a
real local Ray cluster of two worker nodes on loopback."""

import os
import shutil
import subprocess

import pytest

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="session")
def engine():
    path = os.environ.get("FUSIONLABEL_ENGINE", os.path.join(REPOSITORY, ".build", "release", "fusionlabel"))
    if not os.access(path, os.X_OK):
        pytest.fail(f"{path} is missing: build it with `swift build -c release --product fusionlabel` (make test does)")
    return path


def simulate(engine, folder, seed, frames=3, azimuth_steps=400):
    subprocess.run([engine, "simulate", "--frames", str(frames), "--azimuth-steps", str(azimuth_steps), "--without-images",
                    "--seed", str(seed), "--out", folder], check=True, capture_output=True)
    return folder


@pytest.fixture(scope="session")
def scenes(engine, tmp_path_factory):
    """Twelve small simulated scenes (seeds 101-112) and one broken one (a sweep cut short)."""
    root = tmp_path_factory.mktemp("scenes")
    good = [simulate(engine, str(root / f"scene-{seed}"), seed) for seed in range(101, 113)]
    broken = str(root / "broken")
    simulate(engine, broken, 199)
    sweep = os.path.join(broken, "lidar", "000001.pcd")
    with open(sweep, "r+b") as handle:
        handle.truncate(os.path.getsize(sweep) // 2)
    return good, broken


@pytest.fixture(scope="session")
def slow_scenes(engine, tmp_path_factory):
    """Twelve scenes big enough (8 frames, full azimuth resolution) for a node to die mid-scene."""
    root = tmp_path_factory.mktemp("slow-scenes")
    return [simulate(engine, str(root / f"scene-{seed}"), seed, frames=8, azimuth_steps=2083) for seed in range(201, 213)]


@pytest.fixture()
def cluster():
    """A head node without CPUs and two worker nodes with one CPU each, on loopback."""
    import ray
    from ray.cluster_utils import Cluster

    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 0})
    workers = [cluster.add_node(num_cpus=1) for _ in range(2)]
    ray.init(address=cluster.address, log_to_driver=False, logging_level="ERROR")
    cluster.wait_for_nodes()
    yield cluster, workers
    ray.shutdown()
    cluster.shutdown()


def copy_tree(source, target):
    shutil.copytree(source, target)
    return target
