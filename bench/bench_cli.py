#!/usr/bin/env python3
"""Wall-time benchmark: ``factory-lint`` against ``check-jsonschema`` on the same files.

Both tools run as the commands a user types (each run a fresh process, start-up included),
alternating in one go: every round runs both, A-B then B-A, so drift in machine load hits both
alike. Cases:

(a) one typical settings.json (bench/fixtures/typical-settings.json);
(b) 1,000 files in one call: clean variations of the typical file, each at
    ``pNNNN/.factory/settings.json`` in a temporary folder;
(0) start-up alone (``--version``), to tell start-up from linting.

check-jsonschema gets the schema factory-lint ships (schemas/settings.schema.json) as
``--schemafile``. Targets (issue 2): factory-lint at most 0.2x check-jsonschema's wall time on
one file; 1,000 files in under 0.5 s.

factory-lint runs twice per round: ``cold``, with an empty result cache for every run (a new
``$XDG_CACHE_HOME``, made before the clock starts; the run lints every file and fills the
cache), and ``warm``, with the cache the warm-up run filled (every file answered from it, as
on a second run over unchanged files). Both are reported; the targets are judged on each.

Byte code: both tools run with ``PYTHONPYCACHEPREFIX`` pointing at a fresh temporary folder and
without ``PYTHONDONTWRITEBYTECODE``, so after the warm-up run both load cached byte code, as they
do after a normal ``pip install`` (an editable install with byte-code writing off would otherwise
recompile factory-lint's sources on every run).

``--stages`` also prints where factory-lint's time goes: the cost of each per-file stage and of
each rule on the generated files (in this process), and what the first lint of one file spends on
compiling regular expressions, creating dataclasses and parsing JSON (in a fresh process).

Usage: python bench/bench_cli.py [--rounds 10] [--files 1000] [--json] [--stages]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import resource
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
                model["maxOutputTokens"] = 4096 + (i * 97 + j * 13) % 28000
        data["customModels"] = keep
        # favourites must name a model of this file (FL702 checks references)
        data["modelFavorites"] = [data["modelFavorites"][0], f"custom:{keep[-1]['model']}"]
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


class Command(list[str]):
    """A command line; ``fresh_cache`` runs it each time with a new, empty result cache."""

    fresh_cache = False


def cold(command: Sequence[str]) -> Command:
    made = Command(command)
    made.fresh_cache = True
    return made


class Runner:
    def __init__(self, env: dict[str, str], scratch: Path) -> None:
        self.env = env
        self.scratch = scratch
        self.caches = 0

    def once(self, command: Sequence[str]) -> tuple[float, float, int, str]:
        """Wall seconds, CPU seconds (user + system of the child), exit status, output tail."""
        env = self.env
        if isinstance(command, Command) and command.fresh_cache:
            self.caches += 1
            folder = self.scratch / f"cold-cache-{self.caches}"
            folder.mkdir(parents=True)
            env = {**env, "XDG_CACHE_HOME": str(folder)}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return wall, cpu, result.returncode, (result.stdout + result.stderr)[-2000:]

    def compare(self, label: str, commands: dict[str, list[str]], rounds: int) -> dict[str, Any]:
        names = list(commands)
        # warm-up: writes byte code, fills the page cache; checks both tools accept the files
        for name in names:
            _, _, code, output = self.once(commands[name])
            if code != 0:
                sys.exit(f"bench: {name} failed (exit {code}) on {label}:\n{output}")
            if (
                name.startswith("factory-lint")
                and "--version" not in commands[name]
                and output.strip()
            ):
                print(f"bench: note: factory-lint reported findings on {label}:\n{output[:600]}")
        wall: dict[str, list[float]] = {name: [] for name in names}
        cpu: dict[str, list[float]] = {name: [] for name in names}
        for round_ in range(rounds):
            order = names if round_ % 2 == 0 else list(reversed(names))
            for name in order:
                elapsed, used, code, output = self.once(commands[name])
                if code != 0:
                    sys.exit(f"bench: {name} failed (exit {code}) on {label}:\n{output}")
                wall[name].append(elapsed)
                cpu[name].append(used)
        return {
            "case": label,
            "rounds": rounds,
            "wall": wall,
            "cpu": cpu,
            "median": {n: statistics.median(t) for n, t in wall.items()},
            "min": {n: min(t) for n, t in wall.items()},
            "cpu_median": {n: statistics.median(t) for n, t in cpu.items()},
        }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="runs of each tool per case")
    parser.add_argument("--files", type=int, default=1000, help="files in case (b)")
    parser.add_argument("--json", action="store_true", help="also print the raw results as JSON")
    parser.add_argument(
        "--stages", action="store_true", help="also break factory-lint's time down by stage"
    )
    args = parser.parse_args(argv)

    factory_lint = find_tool("factory-lint")
    check_jsonschema = find_tool("check-jsonschema")
    fl = [factory_lint, "--output-format", "concise"]
    cj = [check_jsonschema, "--schemafile", str(SCHEMA)]

    with tempfile.TemporaryDirectory(prefix="factory-lint-bench-") as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        env.pop("FACTORY_LINT_OUTPUT_FORMAT", None)
        # The warm runs' cache lives here; each cold run gets a new empty one (Runner.once).
        env["XDG_CACHE_HOME"] = str(Path(tmp) / "warm-cache")
        runner = Runner(env, Path(tmp))

        def version(command: list[str]) -> str:
            _, _, code, output = runner.once(command)
            return output.strip().splitlines()[-1] if code == 0 and output.strip() else "?"

        environment = {
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {_cpu_name()}",
            "load average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
            "system": platform.platform(),
            "python": sys.version.split()[0],
            "factory-lint": version([factory_lint, "--version"]),
            "check-jsonschema": version([check_jsonschema, "--version"]),
            "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        }
        for key, value in environment.items():
            print(f"{key:17} {value}")
        floor = statistics.median(
            runner.once([sys.executable, "-c", "pass"])[0] for _ in range(args.rounds)
        )
        print(f"{'python -c pass':17} {floor * 1000:.0f} ms (interpreter start-up floor, median)")
        loop = _loop_seconds()
        print(
            f"{'1M-step loop':17} {loop * 1000:.0f} ms CPU (machine speed; ~25-35 ms on a recent laptop)"
        )
        environment["1M-step loop"] = f"{loop * 1000:.0f} ms"
        print()

        base = json.loads(FIXTURE.read_text(encoding="utf-8"))
        paths = write_tree(Path(tmp) / "tree", variations(base, args.files))
        fixture = str(FIXTURE)
        results = [
            runner.compare(
                "start-up only (--version)",
                {
                    "factory-lint": [factory_lint, "--version"],
                    "check-jsonschema": [*cj[:1], "--version"],
                },
                args.rounds,
            ),
            runner.compare(
                "one typical settings.json",
                {
                    "factory-lint cold": cold([*fl, fixture]),
                    "factory-lint warm": [*fl, fixture],
                    "check-jsonschema": [*cj, fixture],
                },
                args.rounds,
            ),
            runner.compare(
                f"{args.files:,} files in one call",
                {
                    "factory-lint cold": cold([*fl, *paths]),
                    "factory-lint warm": [*fl, *paths],
                    "check-jsonschema": [*cj, *paths],
                },
                args.rounds,
            ),
        ]
        environment["load average after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())

        print(
            f"{'case':28} {'tool':18} {'wall':>9} {'ratio':>6}   {'CPU':>9} {'ratio':>6}"
            f"   {'fastest':>9}"
        )
        for result in results:
            cj_t = result["median"]["check-jsonschema"]
            cj_c = result["cpu_median"]["check-jsonschema"]
            for tool in result["median"]:
                wall_t, cpu_t = result["median"][tool], result["cpu_median"][tool]
                print(
                    f"{result['case']:28} {tool:18} {wall_t * 1000:6.0f} ms {wall_t / cj_t:5.2f}x"
                    f"   {cpu_t * 1000:6.0f} ms {cpu_t / cj_c:5.2f}x"
                    f"   {result['min'][tool] * 1000:6.0f} ms"
                )
        print(
            f"(wall-time and CPU-time medians of {args.rounds} interleaved runs each, ratios to "
            f"check-jsonschema; load average after: {environment['load average after']})"
        )
        print()
        one, many = results[1]["median"], results[2]["median"]
        for state in ("cold", "warm"):
            tool = f"factory-lint {state}"
            ratio = one[tool] / one["check-jsonschema"]
            ok_one = ratio <= TARGET_ONE_FILE_RATIO
            ok_many = many[tool] < TARGET_MANY_FILES_SECONDS
            print(
                f"target ({state}): one file at most {TARGET_ONE_FILE_RATIO}x check-jsonschema: "
                f"{ratio:.2f}x  {'MET' if ok_one else 'MISSED'}"
            )
            print(
                f"target ({state}): {args.files:,} files under {TARGET_MANY_FILES_SECONDS} s: "
                f"{many[tool]:.2f} s  {'MET' if ok_many else 'MISSED'}"
            )
        if args.stages:
            print_stages(paths, runner)

    if args.json:
        print(json.dumps({"environment": environment, "python_floor": floor, "results": results}))
    return 0


_STARTUP_PROBE = """
import dataclasses, io, json, re, sys, time
clock = time.perf_counter
spent = {"re": [0.0, 0], "dataclasses": [0.0, 0], "json": [0.0, 0]}
def timed(key, function):
    def wrapper(*args, **kwargs):
        start = clock()
        try:
            return function(*args, **kwargs)
        finally:
            spent[key][0] += clock() - start
            spent[key][1] += 1
    return wrapper
re._compiler.compile = timed("re", re._compiler.compile)
dataclasses._process_class = timed("dataclasses", dataclasses._process_class)
json.loads = timed("json", json.loads)
t0 = clock()
from factory_lint.cli import main
t1 = clock()
main(["--no-cache", "--output-format", "concise", sys.argv[1]], stdout=io.StringIO())
t2 = clock()
main(["--no-cache", "--output-format", "concise", sys.argv[1]], stdout=io.StringIO())
t3 = clock()
print(json.dumps({
    "import cli": t1 - t0, "first lint": t2 - t1, "second lint": t3 - t2,
    "modules": len(sys.modules),
    "factory_lint modules": len([m for m in sys.modules if m.startswith("factory_lint")]),
    **{f"{k} (calls, s)": v for k, v in spent.items()},
}))
"""


def print_stages(paths: list[str], runner: Runner) -> None:
    """Where factory-lint's time goes: start-up of the lint path, then each per-file stage."""
    print()
    print("factory-lint, first lint of one file in a fresh process (median of 5):")
    samples = []
    for _ in range(5):
        _, _, code, output = runner.once([sys.executable, "-c", _STARTUP_PROBE, str(FIXTURE)])
        if code != 0:
            print(f"  probe failed: {output}")
            return
        samples.append(json.loads(output.strip().splitlines()[-1]))
    for key in samples[0]:
        if isinstance(samples[0][key], list):
            calls = samples[0][key][1]
            seconds = statistics.median(s[key][0] for s in samples)
            print(f"  {key.split(' (')[0]:22} {calls:6.0f} calls {seconds * 1000:8.1f} ms")
        elif key.endswith("modules"):
            print(f"  {key:22} {samples[0][key]:6}")
        else:
            print(f"  {key:22} {statistics.median(s[key] for s in samples) * 1000:19.1f} ms")

    from factory_lint.cache import Cache
    from factory_lint.config import _find_config, find_config
    from factory_lint.context import LintContext
    from factory_lint.engine import lint_text
    from factory_lint.files import begin_batch, end_batch, file_info, read_file
    from factory_lint.jsonc import _parse_fast, parse, parse_tolerant
    from factory_lint.kinds import resolve_kind
    from factory_lint.rules.registry import CHECKERS
    from factory_lint.runner import LintRequest, lint_one
    from factory_lint.secrets import secret_spans
    from factory_lint.text import SourceText

    count = len(paths)
    # As the command does: without this, the collector's passes over the thousand trees kept
    # below tripled the parse figure (738 against 190-270 us).
    import gc

    gc.set_threshold(200_000, 30, 30)
    print(f"factory-lint, CPU per file on the {count:,} files (this process, best of 3):")
    lint_one(paths[0], LintRequest(pre_commit=True))  # load schemas and catalogs

    def stage(label: str, function: Any, items: Sequence[Any], fresh: Any = None) -> list[Any]:
        """Best of 3; ``fresh()`` runs before each (untimed): what a new run would start with."""
        best, out = float("inf"), []
        for _ in range(3):
            if fresh is not None:
                fresh()
            start = time.process_time()
            out = [function(item) for item in items]
            best = min(best, time.process_time() - start)
        print(f"  {label:44} {best * 1e6 / count:8.0f} us")
        return out

    def new_batch() -> None:
        """As a new command-line run: no folder facts or configs remembered."""
        end_batch()
        _find_config.cache_clear()
        begin_batch()

    loaded = stage("read and decode", lambda p: read_file(Path(p)), paths)
    texts = [item.text for item in loaded]
    # Timed without keeping the trees, as a run drops each after its lint: keeping 1,000 of them
    # (the later stages need them, made below untimed) made the figure 2-2.5x too high.
    stage("parse", lambda t: parse(t) and None, texts)
    documents = [parse(text) for text in texts]
    stage(
        "parse, offsets read (as for a file with findings)",
        lambda t: parse(t).root.start,  # the first offset read fills in the whole tree's
        texts,
    )
    stage(
        "parse_fast (the JSONC fast path, for reference)", lambda t: _parse_fast(t) and None, texts
    )
    stage(
        "parse_tolerant (no fast path, for reference)", lambda t: parse_tolerant(t) and None, texts
    )
    stage("resolve_kind", lambda i: resolve_kind(Path(paths[i]), documents[i].root), range(count))
    stage("find_config", lambda p: find_config(Path(p).parent), paths, new_batch)
    stage("secret_spans", lambda d: secret_spans(d.root), documents)
    infos = stage("file_info", lambda p: file_info(Path(p), None, True), paths, new_batch)
    sources = stage("SourceText", SourceText, texts)
    contexts = [LintContext(sources[i], documents[i], "settings", infos[i]) for i in range(count)]
    for check in CHECKERS:
        name = f"rule {check.__module__.rsplit('.', 1)[-1]}.{check.__name__}"
        stage(
            f"  {name}",
            # a new context per lint, as the engine makes (rules may memoise in it)
            lambda c, check=check: list(check(LintContext(c.source, c.document, c.kind, c.info))),
            contexts,
        )
    stage(
        "lint_text (rules and engine)",
        lambda i: lint_text(texts[i], "settings", infos[i], None, documents[i]),
        range(count),
    )
    stage(
        "lint_one (the whole per-file path)", lambda p: lint_one(p, LintRequest()), paths, new_batch
    )
    with tempfile.TemporaryDirectory(prefix="factory-lint-bench-cache-") as folder:
        filling = Cache(Path(folder))
        for path in paths:
            lint_one(path, LintRequest(), cache=filling)  # fill the cache
        filling.flush()
        cache = Cache(Path(folder))  # a new run, which finds the database
        stage(
            "lint_one answered from the cache (warm)",
            lambda p: lint_one(p, LintRequest(), cache=cache),
            paths,
            new_batch,
        )
    end_batch()


def _loop_seconds() -> float:
    """CPU time of a plain Python loop of a million additions (best of 5): a speed yardstick."""
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        total = 0
        for i in range(1_000_000):
            total += i
        best = min(best, time.process_time() - start)
    return best


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
