#!/usr/bin/env python3
"""Hostile inputs: time and peak memory of `factory-lint` on each, printed as a table.

Every input is generated at run time into a temporary folder (nothing big is committed). Each
case runs the real CLI in a fresh process (``factory-lint --output-format json``; ``full`` for
the minified case), measured for wall time and peak RSS (the process's own ``VmHWM``), and then
the parser alone in another process under ``tracemalloc`` (peak Python allocation for the
decoded text and the syntax tree).

    .venv/bin/python bench/hostile.py                 # the full sizes (50 MB, 100,000 models, …)
    .venv/bin/python bench/hostile.py --scale 0.1     # a tenth of the sizes, ~10x faster
    .venv/bin/python bench/hostile.py --only deep     # cases whose name contains "deep"
    .venv/bin/python bench/hostile.py --only 1MB,numbers,unknown,trailing   # issue 14's cases
    .venv/bin/python bench/hostile.py --markdown      # the table as Markdown (docs/reliability.md)

tests/test_hostile.py imports the same cases at a small scale and checks what each one
reports; this script only measures. The figures of the last run are in docs/reliability.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024
MODEL = (
    '{{"model": "{model}", "provider": "openai", "baseUrl": "https://api.openai.com/v1", '
    '"apiKey": "${{OPENAI_API_KEY}}", "displayName": "Model {index}"}}'
)
HEAD = '{\n  "customModels": [\n'


def _models(count: int, model: str = "gpt-5") -> str:
    entries = ",\n".join(
        "    " + MODEL.format(model=model.format(index=i), index=i) for i in range(count)
    )
    return HEAD + entries + "\n  ]\n}\n"


def _one_model(extra: str = "", **fields: str) -> str:
    values = {
        "model": '"gpt-5"',
        "provider": '"openai"',
        "baseUrl": '"https://api.openai.com/v1"',
        "apiKey": '"${OPENAI_API_KEY}"',
        **fields,
    }
    body = ", ".join(f'"{key}": {value}' for key, value in values.items())
    return HEAD + f"    {{{body}{extra}}}\n  ]\n}}\n"


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    #: Writes the input under the folder at the given scale (1.0 = the documented size) and
    #: returns the path to lint, and the file to feed to standard input (with path "-").
    make: Callable[[Path, float], tuple[str, Path | None]]
    kind: str | None = "settings"


def _file(name: str, data: Callable[[float], bytes]) -> Callable[[Path, float], tuple[str, None]]:
    def make(folder: Path, scale: float) -> tuple[str, None]:
        path = folder / name
        path.write_bytes(data(scale))
        return str(path), None

    return make


def _n(count: int, scale: float, least: int = 1) -> int:
    return max(int(count * scale), least)


def _big(scale: float) -> bytes:
    """~50 MB of settings: a few models and a long allowlist, as a generator might write."""
    target = int(50 * MB * scale)
    item = '    "npm run test -- --filter=package-{:07d} --reporter=dot --bail"'
    count = target // (len(item.format(0)) + 2)
    allow = ",\n".join(item.format(i) for i in range(count))
    text = _models(3).rstrip().rstrip("}") + ',\n  "commandAllowlist": [\n' + allow + "\n  ]\n}\n"
    return text.encode()


def _symlink_loop(folder: Path, scale: float) -> tuple[str, None]:
    a, b = folder / "loop-a.json", folder / "loop-b.json"
    a.symlink_to(b)
    b.symlink_to(a)
    return str(a), None


def _fifo(folder: Path, scale: float) -> tuple[str, None]:
    path = folder / "fifo.json"
    os.mkfifo(path)
    return str(path), None


def _directory(folder: Path, scale: float) -> tuple[str, None]:
    path = folder / "settings.json"
    path.mkdir()
    return str(path), None


def _unreadable(folder: Path, scale: float) -> tuple[str, None]:
    path = folder / "unreadable.json"
    path.write_text(_models(1))
    path.chmod(0)
    return str(path), None


def _too_big(folder: Path, scale: float) -> tuple[str, None]:
    path = folder / "huge.json"
    with open(path, "wb") as handle:  # sparse: takes no disk space
        handle.truncate(17 * MB)
    return str(path), None


def _stdin_flood(folder: Path, scale: float) -> tuple[str, Path]:
    path = folder / "stdin"
    with open(path, "wb") as handle:
        handle.write(b"[")
        handle.truncate(65 * MB)  # NUL bytes after the bracket, without writing them
    return "-", path


CASES = [
    Case(
        "deep-array",
        "100,000 nested arrays `[[[…]]]`",
        _file("deep.json", lambda s: b"[" * _n(100_000, s) + b"]" * _n(100_000, s)),
    ),
    Case(
        "deep-object",
        '100,000 nested objects `{"a":{"a":…}}`',
        _file(
            "deep-object.json", lambda s: b'{"a":' * _n(100_000, s) + b"1" + b"}" * _n(100_000, s)
        ),
    ),
    Case(
        "deep-unclosed",
        "100,000 `[` never closed",
        _file("deep-open.json", lambda s: b"[" * _n(100_000, s)),
    ),
    Case(
        "big-50MB",
        "a 50 MB settings file (3 models, a 700,000-entry allowlist)",
        _file("big.json", _big),
    ),
    Case(
        "string-1MB",
        "a 1 MB `displayName`",
        _file(
            "string.json", lambda s: _one_model(displayName='"' + "x" * _n(MB, s) + '"').encode()
        ),
    ),
    Case(
        "key-1MB",
        "a 1 MB literal `apiKey` (`sk-…`)",
        _file(
            "key.json", lambda s: _one_model(apiKey='"sk-' + "a1B2" * _n(MB // 4, s) + '"').encode()
        ),
    ),
    Case(
        "models-100k",
        "100,000 custom models (a catalogued model)",
        _file("models.json", lambda s: _models(_n(100_000, s)).encode()),
    ),
    Case(
        "models-100k-unknown",
        "100,000 custom models, every name unknown to the catalog",
        _file(
            "models-unknown.json", lambda s: _models(_n(100_000, s), "my-model-{index}").encode()
        ),
    ),
    Case(
        "nul-bytes",
        "raw NUL bytes inside a string and between tokens",
        _file(
            "nul.json",
            lambda s: _one_model(displayName='"a\x00b"').replace("{\n", "{\x00\n", 1).encode(),
        ),
    ),
    Case(
        "nul-only",
        "a file of 10,000 NUL bytes",
        _file("nul-only.json", lambda s: b"\x00" * _n(10_000, s)),
    ),
    Case(
        "invalid-utf8",
        "invalid UTF-8 bytes in a value",
        _file("latin1.json", lambda s: _one_model(displayName='"caf\xe9"').encode("latin-1")),
    ),
    Case(
        "utf16-le-bom",
        "UTF-16 LE with a BOM (PowerShell `Out-File`)",
        _file("utf16le.json", lambda s: _one_model().encode("utf-16")),
    ),
    Case(
        "utf16-be-bom",
        "UTF-16 BE with a BOM",
        _file("utf16be.json", lambda s: b"\xfe\xff" + _one_model().encode("utf-16-be")),
    ),
    Case(
        "utf8-bom",
        "UTF-8 with a BOM",
        _file("utf8bom.json", lambda s: b"\xef\xbb\xbf" + _one_model().encode()),
    ),
    Case(
        "lone-surrogates",
        "`\\ud800` escapes in keys and values",
        _file(
            "surrogates.json",
            lambda s: _one_model(
                extra=', "\\ud800": "\\udc00\\ud800"', displayName='"\\ud83d"'
            ).encode(),
        ),
    ),
    Case(
        "u0000-escapes",
        "`\\u0000` escapes in keys and values",
        _file(
            "u0000.json",
            lambda s: _one_model(extra=', "a\\u0000b": 1', displayName='"\\u0000"').encode(),
        ),
    ),
    Case(
        "numbers",
        "1e999, -1e999, 1e-999, -0 and a 5,000-digit integer",
        _file(
            "numbers.json",
            lambda s: _one_model(
                maxOutputTokens="1e999",
                maxContextLimit="-0",
                thinkingMaxTokens="1" + "0" * 5000,
                extra=', "x": -1e999, "y": 1e-999',
            ).encode(),
        ),
    ),
    Case(
        "nan-infinity",
        "NaN, Infinity and -Infinity tokens",
        _file(
            "nan.json",
            lambda s: _one_model(
                maxOutputTokens="NaN", maxContextLimit="Infinity", thinkingMaxTokens="-Infinity"
            ).encode(),
        ),
    ),
    Case(
        "duplicate-keys",
        "10,000 copies of one key in one object",
        _file(
            "dups.json",
            lambda s: (
                "{"
                + ", ".join('"model": "gpt-5"' for _ in range(_n(10_000, s)))
                + ', "customModels": []}\n'
            ).encode(),
        ),
    ),
    Case(
        "duplicate-keys-models",
        "5,000 models, each with its fields twice",
        _file(
            "dups-models.json",
            lambda s: (
                _models(_n(5_000, s))
                .replace(
                    '"provider": "openai"',
                    '"provider": "openai", "provider": "openai", "model": "gpt-5"',
                )
                .encode()
            ),
        ),
    ),
    Case(
        "minified-100k-models",
        "100,000 models on one line (minified), full output format",
        _file(
            "minified.json",
            lambda s: _models(_n(100_000, s), "my-model-{index}").replace("\n", "").encode(),
        ),
    ),
    # Issue 14: time and memory.
    Case(
        "trailing-newlines-20k",
        "`{}//c` then 20,000 newlines (a regex was quadratic on trailing whitespace)",
        _file("newlines.json", lambda s: b"{}//c" + b"\n" * _n(20_000, s)),
    ),
    Case(
        "trailing-newlines-1MB",
        "`{}//c` then 1,000,000 newlines",
        _file("newlines-1mb.json", lambda s: b"{}//c" + b"\n" * _n(1_000_000, s)),
    ),
    Case(
        "numbers-600KB",
        "80,000 numbers as custom models (one finding each)",
        _file(
            "numbers-600k.json",
            lambda s: (
                '{"customModels": ['
                + ",".join(str(100_000 + i) for i in range(_n(80_000, s)))
                + "]}"
            ).encode(),
        ),
    ),
    Case(
        "numbers-10MB",
        "1,400,000 numbers as custom models (10 MB)",
        _file(
            "numbers-10m.json",
            lambda s: (
                '{"customModels": ['
                + ",".join(str(100_000 + i) for i in range(_n(1_400_000, s)))
                + "]}"
            ).encode(),
        ),
    ),
    Case(
        "unknown-keys",
        "12,500 unknown top-level keys (100 KB; a did-you-mean search each)",
        _file(
            "unknown-keys.json",
            lambda s: ("{" + ",".join(f'"k{i}":1' for i in range(_n(12_500, s))) + "}").encode(),
        ),
    ),
    Case(
        "quotes-1MB",
        'a value of 1,000,000 `"` (500,000 empty strings without commas)',
        _file("quotes.json", lambda s: b'{"a": ' + b'"' * _n(1_000_000, s)),
    ),
    Case(
        "escaped-quotes-1MB",
        'an unterminated string of 500,000 `\\"`',
        _file("escaped.json", lambda s: b'{"a": "' + b'\\"' * _n(500_000, s)),
    ),
    Case(
        "placeholder-brackets-1MB",
        "an `apiKey` of `[` then 333,333 `key` (the placeholder pattern was quadratic)",
        _file(
            "brackets.json",
            lambda s: _one_model(apiKey='"[' + "key" * _n(333_333, s) + '"').encode(),
        ),
    ),
    Case(
        "unclosed-comments-1MB",
        "500,000 `/*` after the object",
        _file("comments.json", lambda s: b"{}" + b"/*" * _n(500_000, s)),
    ),
    Case("symlink-loop", "a symlink loop", _symlink_loop, kind=None),
    Case("fifo", "a FIFO (named pipe) with no writer", _fifo, kind=None),
    Case("directory", "a directory named settings.json", _directory, kind=None),
    Case("unreadable", "a file without read permission (mode 000)", _unreadable, kind=None),
    Case("too-big", "a 17 MB file (sparse), over the 16 MB limit", _too_big, kind=None),
    Case("stdin-flood", "65 MB on standard input", _stdin_flood),
]


@dataclass
class Measurement:
    case: Case
    size: int
    exit_code: int
    seconds: float
    peak_rss_mb: float
    parse_seconds: float | None
    parse_peak_mb: float | None
    summary: str


_CLI_CHILD = """
import atexit, os, sys
def _peak():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    with open(os.environ["FL_PEAK_FILE"], "w") as out:
                        out.write(line.split()[1])
    except OSError:
        pass
atexit.register(_peak)
from factory_lint.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run_cli(
    path: str, stdin: Path | None, kind: str | None, output_format: str, timeout: float
) -> tuple[int, float, float, str, str]:
    """Run the CLI in a fresh process: (exit code, seconds, peak RSS in MB, stdout, stderr).

    The peak RSS is the process's own high-water mark (``VmHWM`` in /proc, written at exit),
    not ``wait4``'s ``ru_maxrss``, which Linux carries over from the parent across ``exec``.
    """
    arguments = ["--no-config", "--no-cache", "--output-format", output_format]
    if kind:
        arguments += ["--kind", kind]
    arguments.append(path)
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile() as peak_file,
    ):
        feed = open(stdin, "rb") if stdin is not None else subprocess.DEVNULL  # noqa: SIM115
        environment = {**os.environ, "FL_PEAK_FILE": peak_file.name}
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", _CLI_CHILD, *arguments],
            stdin=feed,
            stdout=out,
            stderr=err,
            env=environment,
        )
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        seconds = time.perf_counter() - started
        if stdin is not None:
            feed.close()  # type: ignore[union-attr]
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
        recorded = Path(peak_file.name).read_text().strip()
    peak = int(recorded) / 1024 if recorded else float("nan")  # VmHWM is in kB
    if seconds > timeout:
        return -9, seconds, peak, stdout, "timed out"
    return process.returncode, seconds, peak, stdout, stderr


def summarise(stdout: str, stderr: str) -> str:
    """What the user sees: the error message, or the findings by rule."""
    problems = [line for line in stderr.splitlines() if line.startswith("factory-lint:")]
    if "Traceback" in stderr:
        return "TRACEBACK: " + stderr.strip().splitlines()[-1]
    try:
        findings = json.loads(stdout)["findings"] if stdout.strip() else []
    except ValueError:
        return "unparsable JSON output"
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding["code"]] = counts.get(finding["code"], 0) + 1
    parts = [f"{code}×{n}" if n > 1 else code for code, n in sorted(counts.items())]
    text = ", ".join(parts[:6]) + (", …" if len(parts) > 6 else "")
    if problems:
        text = (text + "; " if text else "") + problems[0].removeprefix("factory-lint: ")
    return text or "no findings"


_PARSE_CHILD = """
import gc, json, sys, time, tracemalloc
from factory_lint.files import decode
from factory_lint.jsonc import parse
data = open(sys.argv[1], "rb").read()
started = time.perf_counter()
text, _ = decode(data)
parse(text)
seconds = time.perf_counter() - started
del text
gc.collect()
tracemalloc.start()
text, _ = decode(data)
document = parse(text)
peak = tracemalloc.get_traced_memory()[1]
print(json.dumps([seconds, peak]))
"""


def measure_parse(path: str, timeout: float) -> tuple[float | None, float | None]:
    """Seconds and tracemalloc peak (MB) for decoding and parsing alone, in a fresh process.

    The peak counts the decoded text and the syntax tree, not the bytes read."""
    try:
        result = subprocess.run(
            [sys.executable, "-c", _PARSE_CHILD, path],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
    except (subprocess.SubprocessError, OSError):
        return None, None
    seconds, peak = json.loads(result.stdout)
    return seconds, peak / MB


_MAKE_CHILD = """
import importlib.util, json, sys
from pathlib import Path
spec = importlib.util.spec_from_file_location("hostile_bench", sys.argv[1])
module = importlib.util.module_from_spec(spec)
sys.modules["hostile_bench"] = module
spec.loader.exec_module(module)
case = next(c for c in module.CASES if c.name == sys.argv[2])
path, stdin = case.make(Path(sys.argv[3]), float(sys.argv[4]))
print(json.dumps([path, str(stdin) if stdin is not None else None]))
"""


def make_in_child(case: Case, folder: Path, scale: float) -> tuple[str, Path | None]:
    """Generate the input in another process, so that this one stays small."""
    result = subprocess.run(
        [sys.executable, "-c", _MAKE_CHILD, __file__, case.name, str(folder), str(scale)],
        capture_output=True,
        text=True,
        check=True,
    )
    path, stdin = json.loads(result.stdout)
    return path, Path(stdin) if stdin is not None else None


def run(case: Case, folder: Path, scale: float, timeout: float) -> Measurement:
    path, stdin = make_in_child(case, folder, scale)
    output_format = "full" if case.name.startswith("minified") else "json"
    size = 0
    readable: str | None = None
    if stdin is not None:
        size = stdin.stat().st_size
    elif os.path.lexists(path):
        try:
            info = os.stat(path)
        except OSError:
            info = None
        if info is not None and stat.S_ISREG(info.st_mode):
            size = info.st_size
            if info.st_size < 64 * MB and info.st_mode & 0o444:
                readable = path
    code, seconds, peak, stdout, stderr = run_cli(path, stdin, case.kind, output_format, timeout)
    if "Traceback" in stderr:
        summary = "TRACEBACK: " + stderr.strip().splitlines()[-1]
    elif output_format == "full":
        last = stderr.strip().splitlines()[-1] if stderr.strip() else ""
        summary = f"{len(stdout) / MB:.1f} MB of output; {last}"
    else:
        summary = summarise(stdout, stderr)
    parse_seconds, parse_peak = measure_parse(readable, timeout) if readable else (None, None)
    return Measurement(case, size, code, seconds, peak, parse_seconds, parse_peak, summary)


def _size(n: int) -> str:
    if n >= MB:
        return f"{n / MB:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} B"


def table(rows: list[Measurement], markdown: bool) -> str:
    header = [
        "case",
        "input",
        "size",
        "exit",
        "CLI s",
        "CLI peak RSS",
        "parse s",
        "parse peak",
        "what the user gets",
    ]
    lines = []
    for m in rows:
        lines.append(
            [
                m.case.name,
                m.case.what,
                _size(m.size),
                str(m.exit_code) if m.exit_code != -9 else "timeout",
                f"{m.seconds:.2f}",
                f"{m.peak_rss_mb:.0f} MB",
                f"{m.parse_seconds:.2f}" if m.parse_seconds is not None else "–",
                f"{m.parse_peak_mb:.1f} MB" if m.parse_peak_mb is not None else "–",
                m.summary,
            ]
        )
    if markdown:
        out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        out += [
            "| " + " | ".join(cell.replace("|", "\\|") for cell in line) + " |" for line in lines
        ]
        return "\n".join(out)
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header[:-1])]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=False)) + "  " + header[-1]]
    for line in lines:
        out.append(
            "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=False)) + "  " + line[-1]
        )
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="size factor (1.0: documented sizes)"
    )
    parser.add_argument(
        "--only", default="", help="only cases whose name contains this (comma-separated: any)"
    )
    parser.add_argument("--timeout", type=float, default=900, help="seconds per case")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    if os.geteuid() == 0:
        print("note: running as root, which reads files without read permission", file=sys.stderr)
    rows = []
    folder = Path(tempfile.mkdtemp(prefix="fl-hostile-"))
    try:
        for case in CASES:
            if not any(part in case.name for part in args.only.split(",")):
                continue
            sub = folder / case.name
            sub.mkdir()
            measurement = run(case, sub, args.scale, args.timeout)
            rows.append(measurement)
            print(
                f"{case.name}: exit {measurement.exit_code}, {measurement.seconds:.2f} s, "
                f"{measurement.peak_rss_mb:.0f} MB, {measurement.summary[:100]}",
                file=sys.stderr,
                flush=True,
            )
            for child in sub.rglob("*"):
                if child.is_file() and not child.is_symlink():
                    child.chmod(0o600)
            shutil.rmtree(sub, ignore_errors=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(table(rows, args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
