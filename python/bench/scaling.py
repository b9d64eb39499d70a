"""Scale-out benchmark: 40 simulated scenes annotated by `fusionlabel annotate` run directly one after
the other, then through fusionlabel-ray on one worker node of one CPU, then on two worker nodes of one
CPU each (so that the ratio is honest on a 2-core machine). Prints the scaling and the overhead per
scene against running the engine directly.

    python3 python/bench/scaling.py [--scenes 40] [--engine .build/release/fusionlabel] [--json]

Scenes: the urban street simulated at full azimuth resolution, 10 frames, no camera images (seeds
1001-1040), made once into .build/ray-bench-scenes.
"""

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time

import ray
from ray.cluster_utils import Cluster

import fusionlabel_ray

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def make_scenes(engine, count):
    root = os.path.join(REPOSITORY, ".build", "ray-bench-scenes")
    scenes = []
    for seed in range(1001, 1001 + count):
        folder = os.path.join(root, f"urban-{seed}")
        if not os.path.exists(os.path.join(folder, ".complete")):
            shutil.rmtree(folder, ignore_errors=True)
            subprocess.run([engine, "simulate", "--frames", "10", "--without-images", "--seed", str(seed), "--out", folder],
                           check=True, capture_output=True)
            open(os.path.join(folder, ".complete"), "w").close()
        scenes.append(folder)
    return scenes


def direct(engine, scenes, out):
    started = time.monotonic()
    for scene in scenes:
        subprocess.run([engine, "annotate", scene, "--out", os.path.join(out, os.path.basename(scene)), "--threads", "1"],
                       check=True, capture_output=True)
    return time.monotonic() - started


def on_cluster(engine, scenes, out, nodes):
    """A local cluster of `nodes` nodes of one CPU each (the head is the first of them)."""
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1})
    for _ in range(nodes - 1):
        cluster.add_node(num_cpus=1)
    ray.init(address=cluster.address, log_to_driver=False, logging_level="ERROR")
    cluster.wait_for_nodes()
    try:
        started = time.monotonic()
        dataset = fusionlabel_ray.annotate(scenes, out, engine=engine, cpus_per_scene=1)
        elapsed = time.monotonic() - started
        assert dataset["scenes"]["annotated"] == len(scenes), dataset["failures"]
        return elapsed
    finally:
        ray.shutdown()
        cluster.shutdown()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenes", type=int, default=40)
    parser.add_argument("--engine", default=os.path.join(REPOSITORY, ".build", "release", "fusionlabel"))
    parser.add_argument("--json", action="store_true")
    arguments = parser.parse_args()
    scenes = make_scenes(arguments.engine, arguments.scenes)
    with tempfile.TemporaryDirectory() as scratch:
        alone = direct(arguments.engine, scenes, os.path.join(scratch, "direct"))
        one = on_cluster(arguments.engine, scenes, os.path.join(scratch, "one-node"), 1)
        two = on_cluster(arguments.engine, scenes, os.path.join(scratch, "two-nodes"), 2)
    result = {
        "scenes": len(scenes),
        "directSeconds": round(alone, 2),
        "oneNodeSeconds": round(one, 2),
        "twoNodesSeconds": round(two, 2),
        "scaling": round(one / two, 3),
        "overheadPerScene": round((one - alone) / alone, 4),
        "overheadPerSceneSeconds": round((one - alone) / len(scenes), 4),
    }
    if arguments.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{len(scenes)} scenes: engine directly {alone:.1f} s; one node of one CPU {one:.1f} s; two nodes of one CPU "
              f"{two:.1f} s; scaling {one / two:.2f}x; overhead per scene {(one - alone) / len(scenes) * 1000:.0f} ms "
              f"({(one - alone) / alone * 100:.1f} %)")


if __name__ == "__main__":
    main()
