"""`fusionlabel-ray`: the command line."""

from __future__ import annotations

import argparse
import json
import os
import sys

from . import manifest
from .report import AUDIT_INDEX, verify_audit_index
from .run import RunError, annotate, print_progress


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="fusionlabel-ray", description="Annotate scenes with fusionlabel on a Ray cluster.")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("annotate", help="annotate scenes, one Ray task each; results in OUT/<scene name>/")
    run.add_argument("scenes", nargs="+", metavar="SCENE", help="scene folders, or text files listing them (one a line)")
    run.add_argument("--out", required=True, help="output folder (on storage every node writes to)")
    run.add_argument("--address", default=None, help="Ray cluster: auto, HOST:PORT or ray://HOST:PORT (default: start a local one)")
    run.add_argument("--config", default=None, help="annotate configuration file (JSON); its text is shipped to the nodes")
    run.add_argument("--cpus-per-scene", type=int, default=1, help="CPUs a scene's task asks for (and the engine's threads)")
    run.add_argument("--max-retries", type=int, default=3, help="retries of a scene whose node died")
    run.add_argument("--engine", default=None, help="fusionlabel binary on the nodes (default: $FUSIONLABEL_ENGINE, ./fusionlabel, PATH)")
    run.add_argument("--no-renders", action="store_true", help="skip the PNG renders")
    run.add_argument("--json", action="store_true", help="print the dataset report as JSON")

    verify = commands.add_parser("verify", help="check a finished output folder: every scene manifest and the audit index")
    verify.add_argument("out")

    arguments = parser.parse_args(argv)
    if arguments.command == "verify":
        return _verify(arguments.out)
    if arguments.cpus_per_scene < 1 or arguments.max_retries < 0:
        parser.error("--cpus-per-scene must be at least 1 and --max-retries at least 0")
    try:
        dataset = annotate(arguments.scenes, arguments.out, address=arguments.address, config=arguments.config,
                           cpus_per_scene=arguments.cpus_per_scene, max_retries=arguments.max_retries,
                           engine=arguments.engine, renders=not arguments.no_renders, progress=print_progress)
    except (RunError, OSError) as error:
        print(f"fusionlabel-ray: {error}", file=sys.stderr)
        return 2
    if arguments.json:
        print(json.dumps(dataset, indent=2, sort_keys=True))
    else:
        counts = dataset["scenes"]
        print(f"{counts['total']} scenes: {counts['annotated']} annotated, {counts['skipped']} already done, "
              f"{counts['failed']} failed; {dataset['labels']} labels; report in "
              f"{os.path.join(arguments.out, 'dataset-report.md')}")
    for failure in dataset["failures"]:
        print(f"failed: {failure['scene']} ({failure['source']}): {failure['error']}", file=sys.stderr)
    return 1 if dataset["failures"] else 0


def _verify(out: str) -> int:
    """Re-hashes every scene output against its manifest and checks the audit index's chain."""
    problems = []
    try:
        with open(os.path.join(out, "dataset-report.json"), encoding="utf-8") as handle:
            dataset = json.load(handle)
    except (OSError, ValueError) as error:
        print(f"fusionlabel-ray: {out} holds no readable dataset report ({error})", file=sys.stderr)
        return 2
    for scene in dataset["perScene"]:
        folder = os.path.join(out, scene["scene"])
        recorded = manifest.read(folder)
        actual = manifest.tree_hashes(folder, skip=(manifest.MANIFEST,))
        if actual != recorded["outputs"]:
            changed = sorted(set(actual.items()) ^ set(recorded["outputs"].items()))
            problems.append(f"{scene['scene']}: outputs differ from the manifest ({', '.join(sorted({c[0] for c in changed}))})")
    problems += verify_audit_index(out)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(dataset['perScene'])} scenes, {AUDIT_INDEX}: " + ("intact" if not problems else f"{len(problems)} problems"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
