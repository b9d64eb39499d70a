"""The dataset report from hand-made QA reports, whose sums and outliers are known."""

import json
import os

import pytest

from fusionlabel_ray import manifest, report
from fusionlabel_ray.engine import EngineIdentity


def make_scene(out, name, classes, frames=10, findings=2, flags=None):
    folder = os.path.join(out, name)
    os.makedirs(folder)
    labels = sum(classes.values())
    qa = {"scene": name, "labels": labels, "classBalance": classes, "flags": flags or {"occluded": 1},
          "findings": [{"rule": "overlap"}] * findings, "findingsByRule": {"overlap": findings},
          "rangeCoverage": {c: [n, 0, 0, 0, 0] for c, n in classes.items()},
          "occlusionCoverage": {c: [n, 0, 0] for c, n in classes.items()}}
    with open(os.path.join(folder, "qa-report.json"), "w") as handle:
        json.dump(qa, handle)
    with open(os.path.join(folder, "audit.jsonl"), "w") as handle:
        handle.write("{}\n" * labels)
    last = name[0] * 64
    with open(os.path.join(folder, "audit.jsonl.head"), "w") as handle:
        json.dump({"entries": labels, "lastHash": last}, handle)
    audit = {"entries": labels, "anchoredEntries": labels, "intact": True, "lastHash": last}
    record = {"outputs": manifest.tree_hashes(folder), "frames": frames, "audit": audit}
    with open(os.path.join(folder, manifest.MANIFEST), "w") as handle:
        json.dump(record, handle)
    return {"scene": name, "status": "annotated", "manifest": record}


@pytest.fixture()
def dataset(tmp_path):
    out = str(tmp_path)
    ordinary = [make_scene(out, f"street-{i}", {"Car": 20 + i, "Pedestrian": 5}) for i in range(6)]
    # A scene of pedestrians only, with ten times the findings: it drifts on both.
    odd = make_scene(out, "plaza", {"Pedestrian": 30}, findings=40)
    results = ordinary + [odd]
    failures = [{"scene": "broken", "source": "/x/broken", "error": "lidar/000001.pcd: truncated"}]
    built = report.build(out, results, failures, engine=EngineIdentity("0.1.0", "f" * 64), configuration_hash="c" * 64, seconds=1)
    report.write(out, built)
    return out, built


def test_sums_are_the_scenes_sums(dataset):
    _, built = dataset
    assert built["labels"] == sum(20 + i + 5 for i in range(6)) + 30
    assert built["classBalance"] == {"Car": sum(20 + i for i in range(6)), "Pedestrian": 6 * 5 + 30}
    assert built["rangeCoverage"]["Pedestrian"] == [60, 0, 0, 0, 0]
    assert built["occlusionCoverage"]["Car"] == [135, 0, 0]
    assert built["findingsByRule"] == {"overlap": 6 * 2 + 40}
    assert built["scenes"] == {"total": 8, "annotated": 7, "skipped": 0, "failed": 1}


def test_the_odd_scene_is_the_one_that_drifts(dataset):
    _, built = dataset
    drifting = {(d["scene"], d["measure"]) for d in built["drift"]}
    assert ("plaza", "classShift") in drifting and ("plaza", "findingsPerLabel") in drifting
    assert {scene for scene, _ in drifting} == {"plaza"}


def test_the_audit_index_chains_and_catches_a_changed_log(dataset):
    out, built = dataset
    assert report.verify_audit_index(out) == []
    assert built["audit"]["scenes"] == 7 and built["audit"]["head"] == built["audit"]["lines"][-1]["hash"]
    with open(os.path.join(out, "street-2", "audit.jsonl"), "a") as handle:
        handle.write("{}\n")
    problems = report.verify_audit_index(out)
    assert len(problems) == 1 and "street-2/audit.jsonl" in problems[0]
    # Dropping a line breaks the chain after it.
    index = os.path.join(out, report.AUDIT_INDEX)
    with open(index) as handle:
        lines = handle.readlines()
    with open(index, "w") as handle:
        handle.writelines(lines[:2] + lines[3:])
    assert any("does not chain" in problem for problem in report.verify_audit_index(out))


def test_the_markdown_names_failures_and_drift(dataset):
    out, _ = dataset
    with open(os.path.join(out, "dataset-report.md")) as handle:
        text = handle.read()
    assert "| broken | lidar/000001.pcd: truncated |" in text and "| plaza | classShift |" in text
