"""The run: one Ray task per scene, retried by Ray when its node dies, and one dataset report."""

from __future__ import annotations

import fcntl
import os
import sys
import time
from typing import Callable, Iterable, List, Optional

import ray

from . import engine as engine_module
from . import manifest, report
from .scene import SceneJob, describe, run as run_scene


class RunError(RuntimeError):
    """The run could not start (no engine, two scenes with one name, the output folder in use)."""


@ray.remote(num_cpus=0)
class Progress:
    """Frames done per scene, as the engines' progress lines tell them (prelabel and project)."""

    def __init__(self):
        self.frames = {}

    def update(self, scene: str, stage: str, done: int, total: int) -> None:
        stages = self.frames.setdefault(scene, {})
        stages[stage] = (done, total)

    def snapshot(self) -> dict:
        return self.frames


@ray.remote(num_cpus=0)
def _probe(engine: Optional[str], configuration: Optional[str]) -> tuple:
    """The engine's identity and the configuration's hash, as a node sees them."""
    return _probe_here(engine, configuration)


def _probe_here(engine: Optional[str], configuration: Optional[str]) -> tuple:
    """The engine's identity and the configuration's hash, as this process sees them."""
    path = engine_module.find_engine(engine)
    with engine_module.configuration_file(configuration) as config_path:
        return engine_module.identity(path), engine_module.configuration_hash(path, config_path)


def _annotate_task(job: SceneJob, out: str, engine: Optional[str], configuration: Optional[str], threads: int,
                   progress) -> dict:
    path = engine_module.find_engine(engine)
    last_sent = [0.0]

    def on_progress(stage: str, done: int, total: int) -> None:
        # At most two updates a second per scene: each is an actor call, and the cores are the engine's.
        now = time.monotonic()
        if progress and stage in ("prelabel", "project", "render") and (now - last_sent[0] >= 0.5 or done == total):
            last_sent[0] = now
            progress.update.remote(job.name, stage, done, total)

    return run_scene(job, out, engine_path=path, configuration=configuration, threads=threads, on_progress=on_progress)


def expand_scenes(arguments: Iterable[str]) -> List[str]:
    """Scene folders as given, or read from a text file listing them (one a line; blank lines and
    lines starting with '#' skipped; relative paths are relative to the list)."""
    scenes = []
    for argument in arguments:
        if os.path.isfile(argument):
            base = os.path.dirname(os.path.abspath(argument))
            with open(argument, encoding="utf-8") as handle:
                for line in handle:
                    line = line.strip()
                    if line and not line.startswith("#"):
                        scenes.append(os.path.normpath(os.path.join(base, line)))
        else:
            scenes.append(os.path.abspath(argument))
    return scenes


def annotate(scenes: Iterable[str], out: str, *, address: Optional[str] = None, config: Optional[str] = None,
             cpus_per_scene: int = 1, max_retries: int = 3, engine: Optional[str] = None, renders: bool = True,
             progress: Optional[Callable[[dict], None]] = None) -> dict:
    """Annotates every scene on Ray and returns the dataset report (also written to
    `out/dataset-report.json` and `.md`, with `out/dataset-audit-index.jsonl`).

    - `scenes`: scene folders, or text files listing them.
    - `address`: a Ray cluster ("auto", "HOST:PORT", "ray://HOST:PORT"); None starts or joins a
      local one as `ray.init()` does. An already initialised Ray is used as it is.
    - `config`: an `annotate` configuration file (its text is shipped to the nodes).
    - `engine`: the `fusionlabel` binary's path on the nodes (else $FUSIONLABEL_ENGINE, the task's
      working directory, PATH).
    - `progress(state)`: called about twice a second with {"scenes": (done, total), "frames": (done,
      total), "failed": n}.

    A scene whose output verifies is skipped; a scene that fails is reported with its error and the
    others go on. Ray retries a task whose node died (`max_retries`); an engine error is not retried.
    """
    folders = expand_scenes(scenes)
    if not folders:
        raise RunError("no scenes given")
    configuration = None
    if config is not None:
        with open(config, encoding="utf-8") as handle:
            configuration = handle.read()
    os.makedirs(out, exist_ok=True)
    lock = _lock(out)
    try:
        if not ray.is_initialized():
            ray.init(address=address, log_to_driver=False, logging_level="ERROR")
        try:
            # The driver's own engine when it has one (no worker to start just to ask); else a node's.
            identity, configuration_hash = _probe_here(engine, configuration)
        except engine_module.EngineNotFound:
            identity, configuration_hash = ray.get(_probe.remote(engine, configuration))

        jobs, failures = [], []
        by_name = {}
        for folder in folders:
            try:
                name, frames = describe(folder)
            except ValueError as error:
                failures.append({"scene": os.path.basename(folder), "source": folder, "error": str(error)})
                continue
            if name in by_name:
                raise RunError(f"two scenes are named {name}: {by_name[name]} and {folder}")
            by_name[name] = folder
            # The inputs are hashed on the node that annotates the scene, unless an output is there
            # to verify (below).
            expected = manifest.Expectation(inputs=None, engine=identity, configuration=configuration_hash, renders=renders)
            jobs.append(SceneJob(folder=folder, name=name, frames=frames, expected=expected))

        pending, results = {}, []
        counter = Progress.remote() if progress else None
        task = ray.remote(_annotate_task).options(num_cpus=cpus_per_scene, max_retries=max_retries, retry_exceptions=False)
        for job in jobs:
            target = os.path.join(out, job.name)
            if os.path.isdir(target):
                try:
                    job = job.with_inputs(manifest.tree_hashes(job.folder))
                except OSError as error:
                    failures.append({"scene": job.name, "source": job.folder, "error": str(error)})
                    continue
                if manifest.verify(target, job.expected) is None:
                    results.append({"scene": job.name, "status": "skipped", "manifest": manifest.read(target)})
                    continue
            manifest.remove_leftovers(out, job.name)
            pending[task.remote(job, out, engine, configuration, cpus_per_scene, counter)] = job
        frame_counts = {job.name: job.frames for job in jobs}
        finished = {result["scene"] for result in results}

        def report_progress() -> None:
            if not progress:
                return
            running = ray.get(counter.snapshot.remote()) if pending and counter else {}
            frames = sum(frame_counts[name] for name in finished) + sum(
                (stages.get("prelabel", (0, 0))[0] + stages.get("project", (0, 0))[0]) // 2
                for name, stages in running.items() if name not in finished)
            progress({"scenes": (len(finished) + len(failures), len(folders)),
                      "frames": (frames, sum(frame_counts.values())), "failed": len(failures)})

        started = time.monotonic()
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1, timeout=0.5)
            for reference in ready:
                job = pending.pop(reference)
                try:
                    results.append(ray.get(reference))
                    finished.add(job.name)
                except Exception as error:  # noqa: BLE001 - every failure is reported, none stops the run
                    failures.append({"scene": job.name, "source": job.folder, "error": _message(error)})
            report_progress()
        report_progress()
        # Attempts that died with their node left private folders; no task runs any more.
        for job in jobs:
            manifest.remove_leftovers(out, job.name)

        dataset = report.build(out, results, failures, engine=identity, configuration_hash=configuration_hash,
                               seconds=time.monotonic() - started)
        report.write(out, dataset)
        return dataset
    finally:
        lock.close()


def _message(error: Exception) -> str:
    """The engine's own message for a task that failed, or what Ray says of a lost one."""
    cause = getattr(error, "cause", None)
    if isinstance(cause, engine_module.EngineFailed):
        return str(cause)
    if cause is not None:
        return f"{type(cause).__name__}: {cause}"
    return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"


def _lock(out: str):
    handle = open(os.path.join(out, ".fusionlabel-ray.lock"), "w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise RunError(f"another fusionlabel-ray run is writing into {out}")
    return handle


def print_progress(state: dict) -> None:
    """A progress bar on stderr (one line per finished scene when stderr is not a terminal)."""
    done, total = state["scenes"]
    frames_done, frames_total = state["frames"]
    failed = f", {state['failed']} failed" if state["failed"] else ""
    if sys.stderr.isatty():
        width = 30
        filled = width * frames_done // max(1, frames_total)
        sys.stderr.write(f"\r\x1b[K[{'#' * filled}{'-' * (width - filled)}] scenes {done}/{total}, frames {frames_done}/{frames_total}{failed}")
        if done == total:
            sys.stderr.write("\n")
    else:
        key = (done, state["failed"])
        if getattr(print_progress, "_last", None) != key:
            print_progress._last = key
            sys.stderr.write(f"scenes {done}/{total}, frames {frames_done}/{frames_total}{failed}\n")
    sys.stderr.flush()
