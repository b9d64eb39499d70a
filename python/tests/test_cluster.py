"""The whole run on a real local Ray cluster (two worker nodes of one CPU each): results identical to
`fusionlabel annotate` run alone, a broken scene reported, a lost node losing no scene, a rerun doing
no work."""

import json
import os
import subprocess
import threading
import time

import pytest
import ray

import fusionlabel_ray
from fusionlabel_ray import manifest, report


def files(folder):
    return sorted(os.path.relpath(os.path.join(root, name), folder) for root, _, names in os.walk(folder) for name in names)


def audit_entries(path):
    """A scene's audit entries without their time and the hash chain made from it (the only bytes
    that differ between two runs of the engine)."""
    with open(path, encoding="utf-8") as handle:
        entries = [json.loads(line) for line in handle]
    return [{key: value for key, value in entry.items() if key not in ("time", "previousHash")} for entry in entries]


def commits(out):
    path = os.path.join(out, manifest.COMMITS)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def scene_name(folder):
    with open(os.path.join(folder, "scene.json"), encoding="utf-8") as handle:
        return json.load(handle)["name"]


def test_every_scene_once_as_the_engine_alone_makes_it_and_a_rerun_does_nothing(engine, scenes, cluster, tmp_path):
    good, broken = scenes
    out = str(tmp_path / "out")
    listing = tmp_path / "scenes.txt"
    listing.write_text("# the dataset\n" + "\n".join(good) + "\n\n" + broken + "\n")
    dataset = fusionlabel_ray.annotate([str(listing)], out, engine=engine)

    assert dataset["scenes"] == {"total": 13, "annotated": 12, "skipped": 0, "failed": 1}
    [failure] = dataset["failures"]
    assert failure["source"] == broken and "000001.pcd" in failure["error"], failure
    assert sorted(c["scene"] for c in commits(out)) == sorted(scene_name(s) for s in good)

    # Each scene's results are those of `fusionlabel annotate` run alone.
    for scene in good:
        name = scene_name(scene)
        alone = str(tmp_path / "alone" / name)
        subprocess.run([engine, "annotate", scene, "--out", alone], check=True, capture_output=True)
        ours = os.path.join(out, name)
        assert files(ours) == sorted(files(alone) + [manifest.MANIFEST])
        for relative in files(alone):
            if relative.startswith("audit.jsonl"):
                continue
            with open(os.path.join(alone, relative), "rb") as a, open(os.path.join(ours, relative), "rb") as b:
                assert a.read() == b.read(), f"{name}/{relative}"
        assert audit_entries(os.path.join(ours, "audit.jsonl")) == audit_entries(os.path.join(alone, "audit.jsonl"))

    # The dataset report adds up the scenes' own QA reports.
    qa = []
    for scene in good:
        with open(os.path.join(out, scene_name(scene), "qa-report.json"), encoding="utf-8") as handle:
            qa.append(json.load(handle))
    assert dataset["labels"] == sum(q["labels"] for q in qa)
    for name in {c for q in qa for c in q["classBalance"]}:
        assert dataset["classBalance"][name] == sum(q["classBalance"].get(name, 0) for q in qa)
    assert os.path.isfile(os.path.join(out, "dataset-report.md"))
    assert report.verify_audit_index(out) == []
    assert dataset["audit"]["entries"] == sum(q["labels"] for q in qa) and dataset["audit"]["allIntact"]

    # A second run does no work; the failed scene fails again.
    before = {s: manifest.tree_hashes(os.path.join(out, scene_name(s))) for s in good}
    again = fusionlabel_ray.annotate([str(listing)], out, engine=engine)
    assert again["scenes"] == {"total": 13, "annotated": 0, "skipped": 12, "failed": 1}
    assert len(commits(out)) == 12
    assert {s: manifest.tree_hashes(os.path.join(out, scene_name(s))) for s in good} == before

    # A changed output is not taken for a finished one: that scene, and only it, is redone.
    tampered = scene_name(good[3])
    with open(os.path.join(out, tampered, "qa-report.md"), "a", encoding="utf-8") as handle:
        handle.write("edited by hand\n")
    verify = subprocess.run(["fusionlabel-ray", "verify", out], capture_output=True, text=True)
    assert verify.returncode == 1 and tampered in verify.stderr, verify.stderr
    third = fusionlabel_ray.annotate(good, out, engine=engine)
    assert third["scenes"] == {"total": 12, "annotated": 1, "skipped": 11, "failed": 0}
    assert [c["scene"] for c in commits(out)][-1] == tampered
    assert subprocess.run(["fusionlabel-ray", "verify", out], capture_output=True).returncode == 0
    assert not [entry for entry in os.listdir(out) if ".partial-" in entry or ".stale-" in entry]


def test_a_node_lost_mid_run_loses_no_scene(engine, slow_scenes, cluster, tmp_path):
    ray_cluster, workers = cluster
    out = str(tmp_path / "out")
    result = {}
    run = threading.Thread(target=lambda: result.update(fusionlabel_ray.annotate(slow_scenes, out, engine=engine, max_retries=3)))
    run.start()
    # Wait until two scenes are committed and two are being written, then kill a worker node.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        running = [entry for entry in os.listdir(out) if ".partial-" in entry] if os.path.isdir(out) else []
        if len(commits(out)) >= 2 and len(running) == 2:
            break
        time.sleep(0.02)
    else:
        pytest.fail("the run never had two scenes in flight")
    interrupted = {entry.split(".partial-")[0][1:]: entry for entry in running}
    ray_cluster.remove_node(workers[0])
    ray_cluster.add_node(num_cpus=1)
    run.join(timeout=600)
    assert not run.is_alive()

    assert result["scenes"] == {"total": 12, "annotated": 12, "skipped": 0, "failed": 0}, result["failures"]
    committed = commits(out)
    assert sorted(c["scene"] for c in committed) == sorted(scene_name(s) for s in slow_scenes)
    # At least one scene in flight on the lost node was finished by another attempt.
    attempts = {c["scene"]: c["attempt"] for c in committed}
    assert any(attempts[name] != attempt for name, attempt in interrupted.items()), (interrupted, attempts)
    assert subprocess.run(["fusionlabel-ray", "verify", out], capture_output=True).returncode == 0
    assert not [entry for entry in os.listdir(out) if ".partial-" in entry or ".stale-" in entry]


def test_the_command_line_reports_failures_and_exits_non_zero(engine, scenes, tmp_path):
    good, broken = scenes
    out = str(tmp_path / "out")
    environment = dict(os.environ, FUSIONLABEL_ENGINE=engine)
    if ray.is_initialized():
        ray.shutdown()
    finished = subprocess.run(["fusionlabel-ray", "annotate", good[0], broken, "--out", out, "--no-renders", "--json"],
                              capture_output=True, text=True, env=environment, timeout=600)
    assert finished.returncode == 1, finished.stderr
    dataset = json.loads(finished.stdout)
    assert dataset["scenes"]["annotated"] == 1 and dataset["scenes"]["failed"] == 1
    assert "failed: urban-seed199" in finished.stderr and "000001.pcd" in finished.stderr, finished.stderr
    assert not os.path.exists(os.path.join(out, scene_name(good[0]), "renders"))
