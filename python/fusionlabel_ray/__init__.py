"""Annotate a fleet's recordings with the `fusionlabel` engine on a Ray cluster.

`annotate(scenes, out, ...)` runs one Ray task per scene (the `fusionlabel annotate` binary on the
node), commits each scene's results exactly once under `out/<scene name>/` with a manifest, and
returns the dataset report it also writes (`out/dataset-report.json`, `.md`, and the audit index
`out/dataset-audit-index.jsonl`). `fusionlabel-ray annotate` is the same from the shell.
"""

from .engine import EngineFailed, EngineIdentity, EngineNotFound, find_engine
from .report import verify_audit_index
from .run import RunError, annotate, expand_scenes

__all__ = ["annotate", "expand_scenes", "find_engine", "verify_audit_index", "EngineFailed", "EngineIdentity",
           "EngineNotFound", "RunError"]
