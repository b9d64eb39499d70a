"""A scene's output folder and the manifest that says it is finished.

A scene's results are written into a private folder next to the output (`.NAME.partial-UUID`),
hashed into `manifest.json` (written last, atomically), and only then renamed to `NAME`: the
rename is the commit. So `NAME` either does not exist or holds a complete result whose manifest
lists the SHA-256 of every input file, the engine's version and binary, the configuration's hash
and the SHA-256 of every output file. A folder whose manifest does not verify against the inputs,
engine and configuration of the current run is redone, never taken for a finished one.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass
from typing import Dict, Optional

from .engine import EngineIdentity, file_sha256

MANIFEST = "manifest.json"
#: One line per committed scene, appended by the task that committed it (for audits of the run).
COMMITS = ".commits.jsonl"
FORMAT = "fusionlabel-ray.scene-manifest"


def tree_hashes(folder: str, *, skip: tuple = ()) -> Dict[str, str]:
    """SHA-256 of every regular file under `folder`, by path relative to it ('/'-separated), sorted."""
    hashes = {}
    for root, directories, files in os.walk(folder):
        directories.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            relative = os.path.relpath(path, folder).replace(os.sep, "/")
            if relative in skip or not os.path.isfile(path):
                continue
            hashes[relative] = file_sha256(path)
    return dict(sorted(hashes.items()))


@dataclass(frozen=True)
class Expectation:
    """What a finished output must have been made from. `inputs` (SHA-256 of every file of the
    scene folder) may be None until the node that annotates the scene hashes them."""

    inputs: Optional[Dict[str, str]]
    engine: EngineIdentity
    configuration: str
    renders: bool

    def manifest(self, scene: str, source: str, frames: int, outputs: Dict[str, str], audit: dict) -> dict:
        return {
            "format": FORMAT,
            "version": 1,
            "scene": scene,
            "source": source,
            "frames": frames,
            "engine": {"version": self.engine.version, "sha256": self.engine.sha256},
            "configurationHash": self.configuration,
            "renders": self.renders,
            "inputs": self.inputs,
            "outputs": outputs,
            "audit": audit,
        }


def verify(folder: str, expected: Expectation) -> Optional[str]:
    """None when `folder` holds a finished output of `expected`; otherwise why not."""
    path = os.path.join(folder, MANIFEST)
    if not os.path.isdir(folder):
        return "no output yet"
    try:
        with open(path, encoding="utf-8") as handle:
            manifest = json.load(handle)
    except (OSError, ValueError) as error:
        return f"no readable manifest ({error})"
    if manifest.get("format") != FORMAT:
        return "not a scene manifest"
    if manifest.get("engine") != {"version": expected.engine.version, "sha256": expected.engine.sha256}:
        return "made by another engine"
    if manifest.get("configurationHash") != expected.configuration or manifest.get("renders") != expected.renders:
        return "made with another configuration"
    if manifest.get("inputs") != expected.inputs:
        return "the inputs changed"
    outputs = tree_hashes(folder, skip=(MANIFEST,))
    if manifest.get("outputs") != outputs:
        return "the outputs changed since they were written"
    return None


def read(folder: str) -> dict:
    with open(os.path.join(folder, MANIFEST), encoding="utf-8") as handle:
        return json.load(handle)


def partial_folder(out: str, name: str) -> str:
    """A private folder for one attempt at scene `name`, on the output's file system."""
    return os.path.join(out, f".{name}.partial-{uuid.uuid4().hex}")


def write_json_atomically(path: str, value) -> None:
    temporary = f"{path}.tmp-{uuid.uuid4().hex}"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(value, handle, indent=2, sort_keys=True)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def commit(partial: str, out: str, name: str, manifest: dict, expected: Expectation) -> bool:
    """Writes the manifest into `partial` and renames it to `out/name`. Returns False, and removes
    `partial`, when another attempt committed a verified result first (then that one stands)."""
    write_json_atomically(os.path.join(partial, MANIFEST), manifest)
    _fsync_folder(partial)
    target = os.path.join(out, name)
    if os.path.exists(target):
        if verify(target, expected) is None:
            shutil.rmtree(partial, ignore_errors=True)
            return False
        stale = os.path.join(out, f".{name}.stale-{uuid.uuid4().hex}")
        os.rename(target, stale)
        shutil.rmtree(stale, ignore_errors=True)
    try:
        os.rename(partial, target)
    except OSError:
        # Another attempt renamed its result in between: keep it if it verifies.
        if os.path.isdir(target) and verify(target, expected) is None:
            shutil.rmtree(partial, ignore_errors=True)
            return False
        raise
    _fsync_folder(out)
    line = json.dumps({"scene": name, "attempt": os.path.basename(partial)}, sort_keys=True) + "\n"
    descriptor = os.open(os.path.join(out, COMMITS), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(descriptor, line.encode())
    finally:
        os.close(descriptor)
    return True


def remove_leftovers(out: str, name: str) -> None:
    """Removes the private folders of earlier attempts at `name` (a run that died mid-write)."""
    if not os.path.isdir(out):
        return
    for entry in os.listdir(out):
        if entry.startswith(f".{name}.partial-") or entry.startswith(f".{name}.stale-"):
            shutil.rmtree(os.path.join(out, entry), ignore_errors=True)


def _fsync_folder(folder: str) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
