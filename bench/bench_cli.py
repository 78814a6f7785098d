#!/usr/bin/env python3
"""Wall-time benchmark: ``factory-lint`` against ``check-jsonschema`` on the same files.

Both tools are run as the commands a user types (each run is a fresh process, start-up included),
alternating in one go: every round runs both, in A-B then B-A order, so drift in machine load hits
both alike. Two cases:

(a) one typical settings.json (bench/fixtures/typical-settings.json);
(b) 1,000 files in one call: variations of the typical file, each at ``pNNNN/.factory/settings.json``
    in a temporary folder.

check-jsonschema gets the schema factory-lint ships (schemas/settings.schema.json) as
``--schemafile``. Targets (issue 2): factory-lint at most 0.2x check-jsonschema's wall time on one
file; 1,000 files in under 0.5 s.

Usage: python bench/bench_cli.py [--rounds 10] [--files 1000] [--json]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "bench" / "fixtures" / "typical-settings.json"
SCHEMA = ROOT / "schemas" / "settings.schema.json"

TARGET_ONE_FILE_RATIO = 0.2
TARGET_MANY_FILES_SECONDS = 0.5


def find_tool(name: str) -> str:
    """The console script next to this interpreter (the venv's), else the one on PATH."""
    local = Path(sys.executable).parent / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if found is None:
        sys.exit(f"bench: {name} not found; install it (pip install -e '.[dev]' check-jsonschema)")
    return found


def variations(base: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """``count`` realistic, clean variations of a settings file (different model lists, values)."""
    out = []
    efforts = ["low", "medium", "high"]
    for i in range(count):
        data = copy.deepcopy(base)
        models = data["customModels"]
        # a different subset and order of models per file
        keep = [m for j, m in enumerate(models) if (i + j) % 5 != 0] or models[:1]
        if i % 2:
            keep.reverse()
        for j, model in enumerate(keep):
            model["displayName"] = f"{model['displayName']} #{i}-{j}"
            if "maxOutputTokens" in model:
                model["maxOutputTokens"] = 4096 + (i * 97 + j * 13) % 60000
        data["customModels"] = keep
        data["sessionDefaultSettings"]["reasoningEffort"] = efforts[i % 3]
        data["llmRequestTimeout"] = 60000 + i
        if i % 4 == 0:
            data.pop("hooks", None)
        if i % 3 == 0:
            data["commandAllowlist"] = [*data["commandAllowlist"], f"make target-{i}"]
        out.append(data)
    return out


def write_tree(folder: Path, documents: list[dict[str, Any]]) -> list[str]:
    paths = []
    for i, document in enumerate(documents):
        target = folder / f"p{i:04d}" / ".factory" / "settings.json"
        target.parent.mkdir(parents=True)
        target.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        paths.append(str(target))
    return paths


def run_once(command: Sequence[str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    return elapsed, result.returncode, (result.stdout + result.stderr)[-2000:]


def compare(
    label: str, commands: dict[str, list[str]], rounds: int, cwd_note: str = ""
) -> dict[str, Any]:
    names = list(commands)
    # warm-up: compiles .pyc, fills the page cache; also checks both tools accept the files
    for name in names:
        _, code, output = run_once(commands[name])
        if code != 0:
            sys.exit(f"bench: {name} failed (exit {code}) on {label}:\n{output}")
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(rounds):
        order = names if round_ % 2 == 0 else list(reversed(names))
        for name in order:
            elapsed, code, output = run_once(commands[name])
            if code != 0:
                sys.exit(f"bench: {name} failed (exit {code}) on {label}:\n{output}")
            times[name].append(elapsed)
    return {
        "case": label,
        "note": cwd_note,
        "rounds": rounds,
        "times": times,
        "median": {n: statistics.median(t) for n, t in times.items()},
        "min": {n: min(t) for n, t in times.items()},
    }


def baseline(rounds: int) -> float:
    """Median wall time of a bare ``python -c pass``: the interpreter start-up floor."""
    samples = [run_once([sys.executable, "-c", "pass"])[0] for _ in range(rounds)]
    return statistics.median(samples)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="runs of each tool per case")
    parser.add_argument("--files", type=int, default=1000, help="files in case (b)")
    parser.add_argument("--json", action="store_true", help="also print the raw results as JSON")
    args = parser.parse_args(argv)

    factory_lint = find_tool("factory-lint")
    check_jsonschema = find_tool("check-jsonschema")
    fl = [factory_lint, "--output-format", "concise"]
    cj = [check_jsonschema, "--schemafile", str(SCHEMA)]
    env_note = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {_cpu_name()}",
        "system": platform.platform(),
        "python": sys.version.split()[0],
        "factory-lint": _version([factory_lint, "--version"]),
        "check-jsonschema": _version([check_jsonschema, "--version"]),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
    }
    for key, value in env_note.items():
        print(f"{key:17} {value}")
    floor = baseline(args.rounds)
    print(f"{'python -c pass':17} {floor * 1000:.0f} ms (interpreter start-up floor, median)")
    print()

    results = []
    results.append(
        compare(
            "one typical settings.json",
            {"factory-lint": [*fl, str(FIXTURE)], "check-jsonschema": [*cj, str(FIXTURE)]},
            args.rounds,
        )
    )
    base = json.loads(FIXTURE.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="factory-lint-bench-") as tmp:
        paths = write_tree(Path(tmp), variations(base, args.files))
        results.append(
            compare(
                f"{args.files:,} files in one call",
                {"factory-lint": [*fl, *paths], "check-jsonschema": [*cj, *paths]},
                args.rounds,
            )
        )

    print(f"{'case':32} {'factory-lint':>14} {'check-jsonschema':>17} {'ratio':>7}")
    for result in results:
        fl_t, cj_t = result["median"]["factory-lint"], result["median"]["check-jsonschema"]
        print(
            f"{result['case']:32} {fl_t * 1000:11.0f} ms {cj_t * 1000:14.0f} ms {fl_t / cj_t:6.2f}x"
        )
    print(f"(medians of {args.rounds} interleaved runs each; min in --json output)")
    print()
    one, many = results[0]["median"], results[1]["median"]
    ratio = one["factory-lint"] / one["check-jsonschema"]
    ok_one = ratio <= TARGET_ONE_FILE_RATIO
    ok_many = many["factory-lint"] < TARGET_MANY_FILES_SECONDS
    print(
        f"target one file  <= {TARGET_ONE_FILE_RATIO}x check-jsonschema: "
        f"{ratio:.2f}x  {'MET' if ok_one else 'MISSED'}"
    )
    print(
        f"target {args.files:,} files < {TARGET_MANY_FILES_SECONDS} s: "
        f"{many['factory-lint']:.3f} s  {'MET' if ok_many else 'MISSED'}"
    )
    if args.json:
        print(json.dumps({"environment": env_note, "python_floor": floor, "results": results}))
    return 0


def _version(command: list[str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    return (
        (result.stdout or result.stderr).strip().splitlines()[-1] if result.returncode == 0 else "?"
    )


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    raise SystemExit(main())
