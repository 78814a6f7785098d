#!/usr/bin/env python3
"""Latency benchmark: factory-lint's language server against vscode-json-languageserver.

Both servers run side by side in one go, over stdio, on the same two documents:

- typical: bench/fixtures/typical-settings.json (a real-world-sized settings.json);
- large: 2,000 custom models (the typical file's entries repeated with distinct names).

vscode-json-languageserver 1.3.4 (npm, installed into bench/node_modules with ``npm ci --prefix
bench``) gets the JSON Schema factory-lint ships (schemas/settings.schema.json) through its
``json.schemas`` setting. Two adjustments make it actually use it: the copy it gets declares
draft-07 instead of 2020-12 (its JSON language service stops at "Draft 2020-12 schemas are not
yet fully supported"; the schema uses no keyword draft-07 lacks), and the documents carry no
``"$schema"`` key (it would try to download that URL instead). Both servers see the same text.

Measured, per document, each sample taken after the servers went quiet:

- edit → diagnostics: from sending ``textDocument/didChange`` (one character typed or deleted
  in a display name in the middle of the file) to receiving ``textDocument/publishDiagnostics``
  for that change;
- completion: the round trip of ``textDocument/completion`` in a ``model`` value, sent right
  after an edit (as when typing).

"As shipped" uses each server's defaults: factory-lint debounces 150 ms; vscode-json-languageserver
waits a fixed 300 ms (``validationDelayMs``) before validating. "Work only" takes the waiting out:
factory-lint runs with ``debounceMs: 0``, and 300 ms are subtracted from
vscode-json-languageserver's times.

Targets (issue 4): factory-lint's p50 no slower than vscode-json-languageserver's on the typical
file, and under 100 ms on the large one.

Usage: python bench/lsp_latency.py [--samples 25] [--quiet-large 4] [--json]
Results are recorded in docs/server.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
FIXTURE = BENCH / "fixtures" / "typical-settings.json"
SCHEMA = ROOT / "schemas" / "settings.schema.json"
NODE_SERVER = (
    BENCH / "node_modules" / "vscode-json-languageserver" / "bin" / "vscode-json-languageserver"
)
JSON_SERVER_DELAY_MS = 300.0  # validationDelayMs in vscode-json-languageserver's jsonServer.js
LARGE_MODELS = 2000


# --- a minimal LSP client ---------------------------------------------------------------------


@dataclass
class Connection:
    name: str
    process: asyncio.subprocess.Process
    next_id: int = 0
    pending: dict[int, asyncio.Future[Any]] = field(default_factory=dict)
    listeners: list[Callable[[str, Any], None]] = field(default_factory=list)
    reader: asyncio.Task[None] | None = None

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message, ensure_ascii=False).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    async def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.pending[self.next_id] = future
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return await asyncio.wait_for(future, 60)

    def notify(self, method: str, params: Any) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    async def read_forever(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        while True:
            length = 0
            while True:
                line = await stdout.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            message = json.loads(await stdout.readexactly(length))
            if "id" in message and "method" in message:
                # A request from the server (configuration, registrations, progress): answer it.
                result: Any = None
                if message["method"] == "workspace/configuration":
                    result = [None for _ in message["params"]["items"]]
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": result})
            elif "id" in message:
                future = self.pending.pop(message["id"], None)
                if future is not None and not future.done():
                    if "error" in message:
                        future.set_exception(RuntimeError(str(message["error"])))
                    else:
                        future.set_result(message.get("result"))
            else:
                for listener in list(self.listeners):
                    listener(message["method"], message.get("params"))

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.request("shutdown", None), 10)
            self.notify("exit", None)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.process.wait(), 5)
        if self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
        if self.reader is not None:
            self.reader.cancel()


async def connect(name: str, command: list[str], env: dict[str, str]) -> Connection:
    process = await asyncio.create_subprocess_exec(
        *command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        limit=64 * 1024 * 1024,
    )
    connection = Connection(name, process)
    connection.reader = asyncio.create_task(connection.read_forever())
    return connection


CAPABILITIES: dict[str, Any] = {
    "textDocument": {
        "synchronization": {"dynamicRegistration": False, "didSave": True},
        "publishDiagnostics": {"relatedInformation": True, "versionSupport": True},
        "completion": {
            "completionItem": {"snippetSupport": True, "documentationFormat": ["markdown"]}
        },
        "hover": {"contentFormat": ["markdown", "plaintext"]},
    },
    "workspace": {"configuration": True, "didChangeConfiguration": {"dynamicRegistration": False}},
}


# --- the scenario -----------------------------------------------------------------------------


@dataclass
class Document:
    key: str
    uri: str
    text: str
    edit_offset: int
    completion_offset: int
    version: int = 1


def position(text: str, offset: int) -> dict[str, int]:
    """LSP position (UTF-16) of an offset; the bench documents are ASCII."""
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return {"line": line, "character": offset - start}


def make_documents(folder: Path) -> list[Document]:
    data = json.loads(FIXTURE.read_text("utf-8"))
    # Without "$schema": vscode-json-languageserver would try to download that URL (no network
    # here) instead of using the schema it is given; both servers then see the same text.
    data.pop("$schema", None)
    typical_text = json.dumps(data, indent=2) + "\n"
    entries = data["customModels"]
    large = copy.deepcopy(data)
    large["customModels"] = []
    for index in range(LARGE_MODELS):
        entry = copy.deepcopy(entries[index % len(entries)])
        if index >= len(entries):  # the originals keep their names: references resolve
            entry["displayName"] = f"{entry.get('displayName', entry['model'])} #{index}"
            # Request settings of its own, so no two entries are the same model (FL703).
            entry.setdefault("extraArgs", {})["seed"] = index
        large["customModels"].append(entry)
    large_text = json.dumps(large, indent=2) + "\n"
    documents = []
    for key, text in (("typical", typical_text), ("large", large_text)):
        path = folder / key / ".factory" / "settings.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        middle = text.index('"displayName"', len(text) // 2)
        edit_offset = text.index('"', middle + len('"displayName": ')) + 1
        # The model value of the next entry on api.anthropic.com: a completion both servers
        # can answer (catalog model ids for factory-lint, schema examples for the other).
        needle = '"baseUrl": "https://api.anthropic.com"'
        anthropic = text.find(needle, middle)
        anthropic = anthropic if anthropic >= 0 else text.index(needle)
        model_value = text.rindex('"model": "', 0, anthropic) + len('"model": "')
        documents.append(Document(key, path.as_uri(), text, edit_offset, model_value))
    return documents


@dataclass
class Samples:
    diagnostics: list[float] = field(default_factory=list)
    completion: list[float] = field(default_factory=list)
    completion_items: int = 0
    diagnostics_count: int = 0


async def run_server(
    name: str,
    command: list[str],
    env: dict[str, str],
    documents: list[Document],
    samples: int,
    init_options: dict[str, Any] | None,
    configuration: dict[str, Any] | None,
    quiet_s: dict[str, float],
) -> dict[str, Samples]:
    connection = await connect(name, command, env)
    publishes: asyncio.Queue[tuple[float, Any]] = asyncio.Queue()

    def on_notification(method: str, params: Any) -> None:
        if method == "textDocument/publishDiagnostics":
            publishes.put_nowait((time.perf_counter(), params))

    connection.listeners.append(on_notification)
    await connection.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": None,
            "capabilities": CAPABILITIES,
            "initializationOptions": init_options,
        },
    )
    connection.notify("initialized", {})
    if configuration is not None:
        connection.notify("workspace/didChangeConfiguration", {"settings": configuration})

    async def next_publish(uri: str, version: int | None, timeout: float = 30) -> tuple[float, Any]:
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{name}: no diagnostics for {uri}")
            stamp, params = await asyncio.wait_for(publishes.get(), left)
            if params["uri"] != uri:
                continue
            got = params.get("version")
            if version is None or got is None or got == version:
                return stamp, params

    async def settle(seconds: float) -> None:
        await asyncio.sleep(seconds)
        while not publishes.empty():
            publishes.get_nowait()

    results: dict[str, Samples] = {}
    for document in documents:
        doc = copy.copy(document)
        connection.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": doc.uri,
                    "languageId": "json",
                    "version": doc.version,
                    "text": doc.text,
                }
            },
        )
        _stamp, first = await next_publish(doc.uri, None, timeout=120)
        await settle(quiet_s[doc.key])
        measured = Samples(diagnostics_count=len(first["diagnostics"]))
        text = doc.text
        for index in range(samples):
            # Type one character, then delete it again: the text alternates between two states.
            if index % 2 == 0:
                change = {"range": _range(text, doc.edit_offset, doc.edit_offset), "text": "x"}
                text = text[: doc.edit_offset] + "x" + text[doc.edit_offset :]
            else:
                change = {"range": _range(text, doc.edit_offset, doc.edit_offset + 1), "text": ""}
                text = text[: doc.edit_offset] + text[doc.edit_offset + 1 :]
            doc.version += 1
            sent = time.perf_counter()
            connection.notify(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": doc.uri, "version": doc.version},
                    "contentChanges": [change],
                },
            )
            # Completion in a model value right after the edit, as when typing.
            asked = time.perf_counter()
            completion = await connection.request(
                "textDocument/completion",
                {
                    "textDocument": {"uri": doc.uri},
                    "position": position(
                        text,
                        doc.completion_offset
                        + (1 if index % 2 == 0 and doc.completion_offset > doc.edit_offset else 0),
                    ),
                },
            )
            measured.completion.append((time.perf_counter() - asked) * 1000)
            items = (
                completion.get("items", []) if isinstance(completion, dict) else completion or []
            )
            measured.completion_items = len(items)
            stamp, _params = await next_publish(doc.uri, doc.version)
            measured.diagnostics.append((stamp - sent) * 1000)
            await settle(quiet_s[doc.key])
        results[doc.key] = measured
        connection.notify("textDocument/didClose", {"textDocument": {"uri": doc.uri}})
        await settle(0.2)
    await connection.close()
    return results


def _range(text: str, start: int, end: int) -> dict[str, Any]:
    return {"start": position(text, start), "end": position(text, end)}


def draft07_copy(folder: Path) -> Path:
    """Our schema, declared as draft-07 for vscode-json-languageserver.

    Its JSON language service (4.x) stops at "Draft 2020-12 schemas are not yet fully
    supported" and validates nothing else. The schema uses only keywords draft-07 has
    (``$defs`` is resolved as a plain JSON pointer), so only the declaration changes.
    """
    data = json.loads(SCHEMA.read_text("utf-8"))
    data["$schema"] = "http://json-schema.org/draft-07/schema#"
    path = folder / "settings.schema.draft-07.json"
    path.write_text(json.dumps(data), "utf-8")
    return path


# --- reporting --------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": percentile(values, 0.5),
        "p95": percentile(values, 0.95),
        "mean": statistics.fmean(values) if values else float("nan"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=25, help="edits per document and server")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--quiet-large",
        type=float,
        default=4.0,
        help="seconds to wait between samples on the large file (lets the full lint finish)",
    )
    args = parser.parse_args()
    node = shutil.which("node")
    if node is None or not NODE_SERVER.exists():
        sys.exit(
            "bench: vscode-json-languageserver is not installed; run `npm ci --prefix bench` "
            "(needs node and npm)"
        )
    with tempfile.TemporaryDirectory(prefix="factory-lint-lsp-bench-") as temp:
        folder = Path(temp)
        home = folder / "home"
        home.mkdir()
        env = {**os.environ, "HOME": str(home), "FACTORY_HOME_OVERRIDE": str(home)}
        documents = make_documents(folder)
        schema = draft07_copy(folder)
        ours = [sys.executable, "-m", "factory_lint", "server", "--log-level", "error"]
        theirs = [node, str(NODE_SERVER), "--stdio"]
        schema_settings = {
            "json": {
                "schemas": [{"fileMatch": ["**/.factory/settings.json"], "url": schema.as_uri()}]
            }
        }
        # Long enough for a pending full lint (large file) to finish between samples.
        quiet = {"typical": 0.4, "large": args.quiet_large}
        runs: dict[str, dict[str, Samples]] = {}
        plan = [
            ("factory-lint (as shipped, 150 ms debounce)", ours, None, None),
            (
                "vscode-json-languageserver (as shipped, 300 ms delay)",
                theirs,
                {"handledSchemaProtocols": ["file"]},  # read file: schemas itself
                schema_settings,
            ),
            ("factory-lint (debounceMs 0)", ours, {"factoryLint": {"debounceMs": 0}}, None),
        ]
        for label, command, init_options, configuration in plan:
            runs[label] = asyncio.run(
                run_server(
                    label, command, env, documents, args.samples, init_options, configuration, quiet
                )
            )
    report: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "node": subprocess.run(
                [node, "--version"], capture_output=True, text=True
            ).stdout.strip(),
            "cpus": os.cpu_count(),
            "load": os.getloadavg(),
        },
        "samples": args.samples,
        "results": {},
    }
    for label, result in runs.items():
        report["results"][label] = {
            key: {
                "diagnostics_ms": summary(s.diagnostics),
                "completion_ms": summary(s.completion),
                "completion_items": s.completion_items,
                "diagnostics_on_open": s.diagnostics_count,
            }
            for key, s in result.items()
        }
    shipped_ours = runs[plan[0][0]]
    shipped_theirs = runs[plan[1][0]]
    zero_ours = runs[plan[2][0]]
    work_theirs = {
        key: [max(0.0, v - JSON_SERVER_DELAY_MS) for v in s.diagnostics]
        for key, s in shipped_theirs.items()
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"LSP latency, {args.samples} samples per cell (ms); load {report['machine']['load']}")
    header = f"{'':38} {'typical p50':>12} {'p95':>8} {'large p50':>12} {'p95':>8}"
    print(header)

    def row(label: str, typical: list[float], large: list[float]) -> None:
        print(
            f"{label:38} {percentile(typical, 0.5):12.1f} {percentile(typical, 0.95):8.1f} "
            f"{percentile(large, 0.5):12.1f} {percentile(large, 0.95):8.1f}"
        )

    print("edit → diagnostics, as shipped")
    row("  factory-lint", shipped_ours["typical"].diagnostics, shipped_ours["large"].diagnostics)
    row(
        "  vscode-json-languageserver",
        shipped_theirs["typical"].diagnostics,
        shipped_theirs["large"].diagnostics,
    )
    print("edit → diagnostics, work only (no debounce)")
    row(
        "  factory-lint (debounceMs 0)",
        zero_ours["typical"].diagnostics,
        zero_ours["large"].diagnostics,
    )
    row("  vscode-json-ls (minus 300 ms)", work_theirs["typical"], work_theirs["large"])
    print("completion round trip (right after an edit)")
    row("  factory-lint", shipped_ours["typical"].completion, shipped_ours["large"].completion)
    row(
        "  vscode-json-languageserver",
        shipped_theirs["typical"].completion,
        shipped_theirs["large"].completion,
    )
    print("ratios factory-lint / vscode-json-languageserver (p50; < 1 is faster)")
    for key in ("typical", "large"):
        shipped = percentile(shipped_ours[key].diagnostics, 0.5) / percentile(
            shipped_theirs[key].diagnostics, 0.5
        )
        work = percentile(zero_ours[key].diagnostics, 0.5) / max(
            percentile(work_theirs[key], 0.5), 0.001
        )
        completion = percentile(shipped_ours[key].completion, 0.5) / percentile(
            shipped_theirs[key].completion, 0.5
        )
        print(
            f"  {key:8} diagnostics as shipped {shipped:5.2f}  work only {work:5.2f}  "
            f"completion {completion:5.2f}"
        )
    print(
        "items per completion: factory-lint "
        f"{shipped_ours['typical'].completion_items}/{shipped_ours['large'].completion_items}, "
        f"vscode-json-languageserver {shipped_theirs['typical'].completion_items}/"
        f"{shipped_theirs['large'].completion_items} (typical/large)"
    )
    large_p50 = percentile(zero_ours["large"].diagnostics, 0.5)
    typical_ok = percentile(shipped_ours["typical"].diagnostics, 0.5) <= percentile(
        shipped_theirs["typical"].diagnostics, 0.5
    )
    print(
        f"targets: typical p50 no slower than vscode-json-languageserver: "
        f"{'met' if typical_ok else 'NOT met'}; large p50 (work only) {large_p50:.1f} ms "
        f"{'< 100 ms: met' if large_p50 < 100 else '>= 100 ms: NOT met'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
