"""One scene's work, as it runs on a node: skip it when its output verifies, otherwise annotate it
into a private folder, hash it and commit it."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, replace
from typing import Callable, Optional

from . import engine as engine_module
from . import manifest


@dataclass(frozen=True)
class SceneJob:
    """A scene to annotate: its folder, the name its results take, and what they must be made from."""

    folder: str
    name: str
    frames: int
    expected: manifest.Expectation

    def with_inputs(self, inputs: dict) -> "SceneJob":
        return replace(self, expected=replace(self.expected, inputs=inputs))


def describe(folder: str) -> tuple:
    """The scene's `name` in its scene.json (the results folder's name) and its frame count."""
    path = os.path.join(folder, "scene.json")
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
        name, frames = document.get("name"), len(document.get("frames", []))
    except (OSError, ValueError, AttributeError, TypeError) as error:
        raise ValueError(f"{path}: not a readable scene manifest ({error})") from error
    if not isinstance(name, str) or not name or "/" in name or name.startswith("."):
        raise ValueError(f"{path}: the scene needs a plain name (got {name!r})")
    return name, frames


def run(job: SceneJob, out: str, *, engine_path: str, configuration: Optional[str], threads: int,
        on_progress: Optional[Callable[[str, int, int], None]] = None) -> dict:
    """Annotates `job` into `out/<name>` unless a verified result is there. Returns what happened:
    {"scene", "status": "annotated" | "skipped" | "kept another attempt's", "manifest"}."""
    if job.expected.inputs is None:
        job = job.with_inputs(manifest.tree_hashes(job.folder))
    target = os.path.join(out, job.name)
    if manifest.verify(target, job.expected) is None:
        return {"scene": job.name, "status": "skipped", "manifest": manifest.read(target)}
    identity = engine_module.identity(engine_path)
    if identity != job.expected.engine:
        raise RuntimeError(f"{engine_path} on this node is {identity.version} ({identity.sha256[:12]}), "
                           f"not the run's {job.expected.engine.version} ({job.expected.engine.sha256[:12]})")
    os.makedirs(out, exist_ok=True)
    partial = manifest.partial_folder(out, job.name)
    with engine_module.configuration_file(configuration) as config_path:
        try:
            summary = engine_module.annotate(engine_path, job.folder, partial, config_path=config_path, threads=threads,
                                             renders=job.expected.renders, on_progress=on_progress)
            audit = _audit(summary, partial)
            outputs = manifest.tree_hashes(partial)
            record = job.expected.manifest(job.name, job.folder, job.frames, outputs, audit)
            committed = manifest.commit(partial, out, job.name, record, job.expected)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
    status = "annotated" if committed else "kept another attempt's"
    return {"scene": job.name, "status": status, "manifest": manifest.read(target)}


def _audit(summary: dict, folder: str) -> dict:
    """The scene's audit trail as the engine verified it after writing (annotate's summary), with
    the head record it ends at."""
    with open(os.path.join(folder, "audit.jsonl.head"), encoding="utf-8") as handle:
        head = json.load(handle)
    verified = summary["audit"]
    if head.get("entries") != verified["entries"]:
        raise RuntimeError(f"{folder}/audit.jsonl.head counts {head.get('entries')} entries, the engine verified {verified['entries']}")
    return {"entries": verified["entries"], "anchoredEntries": verified["anchored_entries"], "intact": verified["intact"],
            "lastHash": head["lastHash"]}
