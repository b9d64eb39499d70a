"""The dataset-level report: the scenes' QA reports merged, drift between scenes, failures, and one
audit index chaining every scene's audit trail."""

from __future__ import annotations

import hashlib
import json
import os
import statistics
from typing import Dict, List

from . import manifest

REPORT = "dataset-report"
AUDIT_INDEX = "dataset-audit-index.jsonl"
FORMAT = "fusionlabel-ray.dataset-report"
#: The engine's QA range bins (QAReport.rangeEdges: 10, 20, 40, 60 m).
RANGE_BINS = ["0-10 m", "10-20 m", "20-40 m", "40-60 m", "60+ m"]
#: KITTI occlusion levels.
OCCLUSION_LEVELS = ["fully visible", "partly occluded", "largely occluded"]
#: A scene is reported as drifting when one of its measures is this many robust standard
#: deviations (1.4826 x the median absolute deviation) from the median scene (Iglewicz and Hoaglin).
DRIFT_THRESHOLD = 3.5
GENESIS = "0" * 64


def build(out: str, results: List[dict], failures: List[dict], *, engine, configuration_hash: str, seconds: float) -> dict:
    """The report of a run from its scene results (status and manifest) and failures."""
    scenes = []
    totals = {"classBalance": {}, "flags": {}, "findingsByRule": {}}
    range_coverage: Dict[str, List[int]] = {}
    occlusion_coverage: Dict[str, List[int]] = {}
    labels = findings = 0
    for result in sorted(results, key=lambda r: r["scene"]):
        name = result["scene"]
        with open(os.path.join(out, name, "qa-report.json"), encoding="utf-8") as handle:
            qa = json.load(handle)
        labels += qa["labels"]
        findings += len(qa.get("findings", []))
        for key in totals:
            for item, count in qa.get(key, {}).items():
                totals[key][item] = totals[key].get(item, 0) + count
        _add_bins(range_coverage, qa.get("rangeCoverage", {}), len(RANGE_BINS))
        _add_bins(occlusion_coverage, qa.get("occlusionCoverage") or {}, len(OCCLUSION_LEVELS))
        frames = result["manifest"].get("frames", 0)
        scenes.append({
            "scene": name,
            "status": result["status"],
            "frames": frames,
            "labels": qa["labels"],
            "classBalance": qa.get("classBalance", {}),
            "labelsPerFrame": qa["labels"] / frames if frames else 0.0,
            "findingsPerLabel": len(qa.get("findings", [])) / qa["labels"] if qa["labels"] else 0.0,
            "flagsPerLabel": sum(qa.get("flags", {}).values()) / qa["labels"] if qa["labels"] else 0.0,
            "audit": result["manifest"]["audit"],
            "auditLogSHA256": result["manifest"]["outputs"]["audit.jsonl"],
        })
    drift = _drift(scenes)
    for scene in scenes:
        scene["drift"] = [d["measure"] for d in drift if d["scene"] == scene["scene"]]
    index = audit_index(scenes)
    return {
        "format": FORMAT,
        "version": 1,
        "engine": {"version": engine.version, "sha256": engine.sha256},
        "configurationHash": configuration_hash,
        "scenes": {"total": len(results) + len(failures),
                   "annotated": sum(1 for r in results if r["status"] != "skipped"),
                   "skipped": sum(1 for r in results if r["status"] == "skipped"),
                   "failed": len(failures)},
        "failures": sorted(failures, key=lambda f: f["scene"]),
        "labels": labels,
        "findings": findings,
        "classBalance": dict(sorted(totals["classBalance"].items())),
        "flags": dict(sorted(totals["flags"].items())),
        "findingsByRule": dict(sorted(totals["findingsByRule"].items())),
        "rangeBins": RANGE_BINS,
        "rangeCoverage": dict(sorted(range_coverage.items())),
        "occlusionLevels": OCCLUSION_LEVELS,
        "occlusionCoverage": dict(sorted(occlusion_coverage.items())),
        "drift": drift,
        "perScene": scenes,
        "audit": {"index": AUDIT_INDEX, "scenes": len(index), "entries": sum(line["entries"] for line in index),
                  "allIntact": all(scene["audit"]["intact"] for scene in scenes),
                  "head": index[-1]["hash"] if index else GENESIS, "lines": index},
        "seconds": round(seconds, 3),
    }


def _add_bins(total: Dict[str, List[int]], bins: Dict[str, List[int]], width: int) -> None:
    for name, counts in bins.items():
        row = total.setdefault(name, [0] * width)
        for index, count in enumerate(counts[:width]):
            row[index] += count


def _class_shift(scene: dict, others: List[dict]) -> float:
    """Total variation distance between a scene's class shares and those of all other scenes pooled."""
    pooled: Dict[str, int] = {}
    for other in others:
        for name, count in other["classBalance"].items():
            pooled[name] = pooled.get(name, 0) + count
    own_total, pooled_total = sum(scene["classBalance"].values()), sum(pooled.values())
    if own_total == 0 or pooled_total == 0:
        return 0.0
    names = set(scene["classBalance"]) | set(pooled)
    return 0.5 * sum(abs(scene["classBalance"].get(n, 0) / own_total - pooled.get(n, 0) / pooled_total) for n in names)


def _drift(scenes: List[dict]) -> List[dict]:
    """Scenes whose class mix, label density, finding rate or flag rate stands out from the others
    by more than `DRIFT_THRESHOLD` robust deviations (needs three scenes at least)."""
    if len(scenes) < 3:
        return []
    measures = {
        "classShift": [_class_shift(s, [o for o in scenes if o is not s]) for s in scenes],
        "labelsPerFrame": [s["labelsPerFrame"] for s in scenes],
        "findingsPerLabel": [s["findingsPerLabel"] for s in scenes],
        "flagsPerLabel": [s["flagsPerLabel"] for s in scenes],
    }
    drift = []
    for measure, values in measures.items():
        median = statistics.median(values)
        deviation = 1.4826 * statistics.median(abs(v - median) for v in values)
        if deviation == 0:
            # Most scenes agree exactly: fall back to the mean absolute deviation.
            deviation = 1.2533 * statistics.mean(abs(v - median) for v in values)
        if deviation == 0:
            continue
        for scene, value in zip(scenes, values):
            score = (value - median) / deviation
            if abs(score) > DRIFT_THRESHOLD:
                drift.append({"scene": scene["scene"], "measure": measure, "value": round(value, 6),
                              "median": round(median, 6), "robustZ": round(score, 2)})
    return drift


def _line_hash(line: dict) -> str:
    body = {key: value for key, value in line.items() if key != "hash"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def audit_index(scenes: List[dict]) -> List[dict]:
    """One line per scene, in name order, each holding the scene log's head hash, its entry count
    and the SHA-256 of its bytes (from the scene's manifest), and chained to the line before by hash."""
    lines, previous = [], GENESIS
    for scene in scenes:
        line = {"scene": scene["scene"], "log": f"{scene['scene']}/audit.jsonl", "entries": scene["audit"]["entries"],
                "lastHash": scene["audit"]["lastHash"], "logSHA256": scene["auditLogSHA256"], "previous": previous}
        line["hash"] = _line_hash(line)
        lines.append(line)
        previous = line["hash"]
    return lines


def verify_audit_index(out: str) -> List[str]:
    """Problems with `out`'s audit index (none when every line chains, and every scene's log and
    its head record are those the index names)."""
    problems, previous = [], GENESIS
    with open(os.path.join(out, AUDIT_INDEX), encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            line = json.loads(text)
            if line.get("previous") != previous:
                problems.append(f"line {number} ({line.get('scene')}): does not chain to the line before")
            if line.get("hash") != _line_hash(line):
                problems.append(f"line {number} ({line.get('scene')}): its hash does not match its content")
            log = os.path.join(out, line["log"])
            if not os.path.isfile(log) or manifest.file_sha256(log) != line["logSHA256"]:
                problems.append(f"line {number}: {line['log']} is not the log the index names")
            else:
                with open(log + ".head", encoding="utf-8") as head:
                    if json.load(head).get("lastHash") != line["lastHash"]:
                        problems.append(f"line {number}: {line['log']}.head does not end where the index says")
            previous = line.get("hash")
    return problems


def write(out: str, dataset: dict) -> None:
    """dataset-report.json and .md and the audit index, each written atomically."""
    index = dataset["audit"]["lines"]
    temporary = os.path.join(out, f".{AUDIT_INDEX}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        for line in index:
            handle.write(json.dumps(line, sort_keys=True, separators=(",", ":")) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, os.path.join(out, AUDIT_INDEX))
    manifest.write_json_atomically(os.path.join(out, REPORT + ".json"), dataset)
    temporary = os.path.join(out, f".{REPORT}.md.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(markdown(dataset))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, os.path.join(out, REPORT + ".md"))


def markdown(dataset: dict) -> str:
    counts = dataset["scenes"]
    lines = [
        "# Dataset report",
        "",
        f"Engine {dataset['engine']['version']} ({dataset['engine']['sha256'][:12]}), configuration "
        f"{dataset['configurationHash'][:12]}. {counts['total']} scenes: {counts['annotated']} annotated, "
        f"{counts['skipped']} already done, {counts['failed']} failed. {dataset['labels']} labels, "
        f"{dataset['findings']} guideline findings.",
        "",
    ]
    if dataset["failures"]:
        lines += ["## Failed scenes", "", "| scene | error |", "|---|---|"]
        lines += [f"| {f['scene']} | {f['error'].replace('|', '/')} |" for f in dataset["failures"]] + [""]
    lines += ["## Class balance", "", "| class | labels | " + " | ".join(dataset["rangeBins"]) + " |",
              "|---|---|" + "---|" * len(dataset["rangeBins"])]
    for name, count in dataset["classBalance"].items():
        bins = dataset["rangeCoverage"].get(name, [0] * len(dataset["rangeBins"]))
        lines.append(f"| {name} | {count} | " + " | ".join(str(b) for b in bins) + " |")
    if dataset["occlusionCoverage"]:
        lines += ["", "## Occlusion", "", "| class | " + " | ".join(dataset["occlusionLevels"]) + " |",
                  "|---|" + "---|" * len(dataset["occlusionLevels"])]
        lines += [f"| {name} | " + " | ".join(str(c) for c in counts_) + " |" for name, counts_ in dataset["occlusionCoverage"].items()]
    lines += ["", "## Flags and findings", "", "| flag | labels |", "|---|---|"]
    lines += [f"| {name} | {count} |" for name, count in dataset["flags"].items()]
    lines += ["", "| rule | findings |", "|---|---|"]
    lines += [f"| {name} | {count} |" for name, count in dataset["findingsByRule"].items()]
    lines += ["", "## Drift between scenes", ""]
    if dataset["drift"]:
        lines += ["| scene | measure | value | median of scenes | robust z |", "|---|---|---|---|---|"]
        lines += [f"| {d['scene']} | {d['measure']} | {d['value']:.3f} | {d['median']:.3f} | {d['robustZ']:+.1f} |" for d in dataset["drift"]]
    else:
        lines.append(f"No scene stands out by more than {DRIFT_THRESHOLD} robust deviations (class mix, labels per frame, "
                     "findings and flags per label).")
    lines += ["", "## Scenes", "", "| scene | status | frames | labels | findings/label | flags/label | audit entries | drift |",
              "|---|---|---|---|---|---|---|---|"]
    for scene in dataset["perScene"]:
        lines.append(f"| {scene['scene']} | {scene['status']} | {scene['frames']} | {scene['labels']} | "
                     f"{scene['findingsPerLabel']:.2f} | {scene['flagsPerLabel']:.2f} | {scene['audit']['entries']}"
                     f"{'' if scene['audit']['intact'] else ' (broken)'} | {', '.join(scene['drift']) or '-'} |")
    audit = dataset["audit"]
    lines += ["", "## Audit", "",
              f"{audit['scenes']} scene audit trails, {audit['entries']} entries, "
              f"{'all intact' if audit['allIntact'] else 'NOT all intact'}; chained in `{audit['index']}`, head `{audit['head']}`.", ""]
    return "\n".join(lines)
