#!/usr/bin/env python3
"""Instructions per file of each lint stage, counted by valgrind's callgrind (deterministic).

Wall and CPU times on a shared machine vary by ±30 % from run to run; instruction counts do not,
so they show what a change to one stage did. For each stage, a child process builds the bench
files (the clean variations of bench/fixtures/typical-settings.json that bench_cli.py uses),
lints one of them to warm up, then runs the stage over N files; the same child with zero files
is subtracted, and the difference over N is the stage's cost per file. Python's own start-up,
imports and warm-up cancel out. System calls are not counted (see docs/performance.md).

Usage: python bench/bench_instructions.py [--files 40] [STAGE ...]
Stages: lint_one (with the result cache), read, parse, config, file_info, secret_spans,
lint_text, and each rule checker by name (check_structure, ...). Default: lint_one.
To count another checkout: PYTHONPATH=/path/to/checkout/src python bench/bench_instructions.py
Needs valgrind; about 30-60 s per stage.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "bench" / "fixtures" / "typical-settings.json"
_COLLECTED = re.compile(r"Collected : (\d+)")


def _stages(paths: list[str]) -> dict[str, Callable[[int], Any]]:
    """What each stage runs for file ``i`` (everything it needs is prepared beforehand)."""
    from factory_lint.cache import Cache
    from factory_lint.config import find_config
    from factory_lint.context import LintContext
    from factory_lint.engine import lint_text
    from factory_lint.files import begin_batch, file_info, read_file
    from factory_lint.jsonc import parse
    from factory_lint.rules.registry import CHECKERS
    from factory_lint.runner import LintRequest, lint_one
    from factory_lint.secrets import secret_spans
    from factory_lint.text import SourceText

    lint_one(paths[-1], LintRequest())  # warm-up: catalogs, schemas, compiled patterns
    begin_batch()
    texts = [read_file(Path(p)).text for p in paths]
    documents = [parse(t) for t in texts]
    infos = [file_info(Path(p), None, True) for p in paths]
    cache = Cache(Path(tempfile.mkdtemp(prefix="factory-lint-instr-cache-")))

    def context(i: int) -> LintContext:
        return LintContext(SourceText(texts[i]), documents[i], "settings", infos[i])

    stages: dict[str, Callable[[int], Any]] = {
        "lint_one": lambda i: lint_one(paths[i], LintRequest(), cache=cache),
        "read": lambda i: read_file(Path(paths[i])),
        "parse": lambda i: parse(texts[i]),
        "config": lambda i: find_config(Path(paths[i]).parent),
        "file_info": lambda i: file_info(Path(paths[i]), None, True),
        "secret_spans": lambda i: secret_spans(documents[i].root),
        "lint_text": lambda i: lint_text(texts[i], "settings", infos[i], None, documents[i]),
    }
    for check in CHECKERS:
        stages[check.__name__] = lambda i, check=check: list(check(context(i)))
    return stages


def child(stage: str, count: int, total: int) -> None:
    """Run ``stage`` over ``count`` of ``total`` fresh bench files (in valgrind)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import bench_cli

    base = json.loads(FIXTURE.read_text(encoding="utf-8"))
    folder = Path(tempfile.mkdtemp(prefix="factory-lint-instr-"))
    try:
        paths = bench_cli.write_tree(folder, bench_cli.variations(base, total))
        gc.set_threshold(200_000, 30, 30)  # as the command does
        run = _stages(paths)[stage]
        for i in range(count):
            run(i)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def count_instructions(stage: str, count: int, total: int) -> int:
    with tempfile.TemporaryDirectory(prefix="factory-lint-callgrind-") as out:
        command = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}/callgrind.out",
            sys.executable,
            __file__,
            "--child",
            stage,
            str(count),
            str(total),
        ]
        result = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
        found = _COLLECTED.search(result.stderr)
        if result.returncode != 0 or found is None:
            sys.exit(f"bench: callgrind run of {stage} failed:\n{result.stderr[-2000:]}")
        return int(found.group(1))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--child"]:
        child(args[1], int(args[2]), int(args[3]))
        return 0
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--files", type=int, default=40, help="files per counted run")
    parser.add_argument("stages", nargs="*", default=["lint_one"])
    options = parser.parse_args(args)
    if shutil.which("valgrind") is None:
        sys.exit("bench: valgrind not found (apt install valgrind)")
    total = options.files + 1  # one more for the warm-up lint
    for stage in options.stages:
        without = count_instructions(stage, 0, total)
        with_files = count_instructions(stage, options.files, total)
        per_file = (with_files - without) / options.files
        print(f"{stage:28} {per_file / 1e6:7.3f} M instructions per file", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
