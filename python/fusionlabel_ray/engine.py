"""The `fusionlabel` engine as a child process: finding it on a node, asking its identity, running
`annotate` with its progress lines parsed."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from typing import Callable, Optional

#: Environment variable naming the engine binary on every node.
ENGINE_ENV = "FUSIONLABEL_ENGINE"

#: "annotate: prelabel 3/20", one line per step when stderr is not a terminal.
_PROGRESS = re.compile(r"^annotate: (\w+) (\d+)/(\d+)$")


class EngineNotFound(RuntimeError):
    """No `fusionlabel` binary where one was looked for."""


class EngineFailed(RuntimeError):
    """`fusionlabel` exited with an error (bad input, typically): not worth retrying."""

    def __init__(self, command: list, returncode: int, stderr: str):
        last = [line for line in stderr.strip().splitlines() if not _PROGRESS.match(line)]
        message = last[-1] if last else f"exit status {returncode}"
        super().__init__(message)
        self.command = command
        self.returncode = returncode
        self.stderr = stderr

    def __reduce__(self):
        # Ray sends a task's exception back to the driver pickled.
        return (EngineFailed, (self.command, self.returncode, self.stderr))


@dataclass(frozen=True)
class EngineIdentity:
    """Which engine made an output: its version and the SHA-256 of its binary."""

    version: str
    sha256: str


def find_engine(explicit: Optional[str] = None) -> str:
    """The engine binary on this node: `explicit`, else $FUSIONLABEL_ENGINE, else `fusionlabel` in
    the current directory (where a job's runtime environment `working_dir` lands), else on PATH."""
    candidates = [explicit, os.environ.get(ENGINE_ENV), os.path.join(os.getcwd(), "fusionlabel"), shutil.which("fusionlabel")]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return os.path.abspath(candidate)
    looked = [c for c in candidates[:3] if c] + ["fusionlabel on PATH"]
    raise EngineNotFound("no fusionlabel engine found (looked at: " + ", ".join(looked) + ")")


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def identity(engine: str) -> EngineIdentity:
    """The engine's version and binary hash (cached per worker process while the file is unchanged:
    hashing the binary takes tens of milliseconds, and a worker runs many scenes)."""
    status = os.stat(engine)
    return _identity(engine, status.st_mtime_ns, status.st_size, status.st_ino)


@functools.lru_cache(maxsize=8)
def _identity(engine: str, mtime: int, size: int, inode: int) -> EngineIdentity:
    version = _run([engine, "--version"]).strip()
    return EngineIdentity(version=version, sha256=file_sha256(engine))


@contextlib.contextmanager
def configuration_file(text: Optional[str]):
    """The configuration `text` (shipped from the driver) as a temporary file for the engine; None
    when there is none."""
    if text is None:
        yield None
        return
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "config.json")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        yield path


def configuration_hash(engine: str, config_path: Optional[str]) -> str:
    """SHA-256 of the configuration in effect as the engine prints it (`annotate --print-config`),
    so that two files with the same settings written differently hash the same."""
    command = [engine, "annotate", "--print-config"] + (["--config", config_path] if config_path else [])
    return hashlib.sha256(_run(command).encode()).hexdigest()


def annotate(engine: str, scene: str, out: str, *, config_path: Optional[str] = None, threads: int = 1,
             renders: bool = True, on_progress: Optional[Callable[[str, int, int], None]] = None) -> dict:
    """Runs `fusionlabel annotate scene --out out --json` and returns its summary (frames, labels,
    the audit trail as the engine verified it after writing, ...); `on_progress(stage, done, total)`
    hears each progress line. Raises `EngineFailed` with the engine's own error message when it fails."""
    command = [engine, "annotate", scene, "--out", out, "--threads", str(threads), "--json"]
    if config_path:
        command += ["--config", config_path]
    if not renders:
        command.append("--no-renders")
    with tempfile.TemporaryFile(mode="w+") as summary:
        process = subprocess.Popen(command, stdout=summary, stderr=subprocess.PIPE, text=True, preexec_fn=_die_with_parent)
        lines = []
        assert process.stderr is not None
        for line in process.stderr:
            line = line.rstrip("\n")
            match = _PROGRESS.match(line)
            if match and on_progress:
                on_progress(match.group(1), int(match.group(2)), int(match.group(3)))
            elif not match:
                lines.append(line)
        if process.wait() != 0:
            raise EngineFailed(command, process.returncode, "\n".join(lines))
        summary.seek(0)
        return json.loads(summary.read())


def _run(command: list) -> str:
    result = subprocess.run(command, capture_output=True, text=True, preexec_fn=_die_with_parent)
    if result.returncode != 0:
        raise EngineFailed(command, result.returncode, result.stderr)
    return result.stdout


def _die_with_parent() -> None:
    """In the child: be killed when the worker that started it dies (Linux), so that a lost node
    leaves no engine writing on."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:
        pass
