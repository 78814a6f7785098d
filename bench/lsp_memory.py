#!/usr/bin/env python3
"""Memory of the language server over a long editing session.

One server process, one client over raw stdio (tests/server/raw_rpc.py). The session: a
typical settings.json (bench/fixtures/typical-settings.json) is edited in batches of 50
keystrokes (a character typed into a display name, then deleted again, so the text stays the
same size); after every batch the client waits for the diagnostics of the last version, asks
for a completion and a hover, and opens, lints and closes one more document. The server's
resident memory (VmRSS) is sampled every 1,000 edits.

A leak shows as steady growth after the warm-up; flat means the growth over the second half
is within allocator noise. Prints the samples and the growth per 10,000 edits over the second
half.

Usage: python bench/lsp_memory.py [--edits 20000] [--json]
Results are recorded in docs/reliability.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "server"))

from raw_rpc import RawClient, encode, rss_kib  # noqa: E402

FIXTURE = ROOT / "bench" / "fixtures" / "typical-settings.json"
BATCH = 50


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=20_000)
    parser.add_argument("--json", action="store_true", help="print the samples as JSON too")
    parser.add_argument(
        "--only-edits",
        action="store_true",
        help="leave out the completion, hover and extra documents (to find what grows)",
    )
    parser.add_argument(
        "--same-folder",
        action="store_true",
        help="open the extra documents in one folder instead of a new folder each time",
    )
    options = parser.parse_args()

    text = FIXTURE.read_text()
    lines = text.splitlines()
    line = next(i for i, content in enumerate(lines) if '"displayName"' in content)
    column = lines[line].index('"displayName"') + len('"displayName": "')
    with tempfile.TemporaryDirectory(prefix="factory-lint-lsp-memory-") as scratch:
        work = Path(scratch)
        home = work / "home"
        home.mkdir()
        folder = work / "p" / ".factory"
        folder.mkdir(parents=True)
        uri = (folder / "settings.json").as_uri()
        client = RawClient(home, work / "server.log")
        try:
            client.initialize()
            client.open(uri, text)
            client.published(uri, 1, timeout=60)
            version = 1
            samples: list[tuple[int, int]] = [(0, rss_kib(client.process.pid))]
            started = time.monotonic()
            where = {"line": line, "character": column}
            while version - 1 < options.edits:
                frames = []
                for _ in range(BATCH):
                    version += 1
                    end = column if version % 2 == 0 else column + 1
                    change = {
                        "range": {"start": where, "end": {"line": line, "character": end}},
                        "text": "y" if version % 2 == 0 else "",
                    }
                    frames.append(
                        encode(
                            {
                                "jsonrpc": "2.0",
                                "method": "textDocument/didChange",
                                "params": {
                                    "textDocument": {"uri": uri, "version": version},
                                    "contentChanges": [change],
                                },
                            }
                        )
                    )
                client.write(b"".join(frames))
                client.published(uri, version, timeout=60)
                if not options.only_edits:
                    position = {"textDocument": {"uri": uri}, "position": where}
                    client.request("textDocument/completion", position)
                    client.request("textDocument/hover", position)
                    name = "same" if options.same_folder else f"o{version}"
                    other_folder = work / name / ".factory"
                    other_folder.mkdir(parents=True, exist_ok=True)
                    other = (other_folder / "settings.json").as_uri()
                    client.open(other, text)
                    client.published(other, 1, timeout=60)
                    client.notify("textDocument/didClose", {"textDocument": {"uri": other}})
                client.seen.clear()
                edits = version - 1
                if edits % 1000 == 0:
                    samples.append((edits, rss_kib(client.process.pid)))
            elapsed = time.monotonic() - started
            client.request("shutdown")
            client.notify("exit")
            client.exit_code()
        finally:
            client.close()

    opened = "" if options.only_edits else f", {options.edits // BATCH:,} documents opened"
    print(f"{options.edits:,} edits in {elapsed:.1f} s ({options.edits / elapsed:,.0f}/s){opened}")
    print("| edits | RSS (MiB) |\n|---:|---:|")
    for edits, kib in samples:
        print(f"| {edits:,} | {kib / 1024:.1f} |")
    half = [s for s in samples if s[0] >= options.edits // 2]
    if len(half) >= 2:
        (e0, r0), (e1, r1) = half[0], half[-1]
        per_10k = (r1 - r0) / (e1 - e0) * 10_000 / 1024
        print(
            f"second half: {r0 / 1024:.1f} -> {r1 / 1024:.1f} MiB, "
            f"{per_10k:+.2f} MiB per 10,000 edits"
        )
    if options.json:
        print(json.dumps({"edits": options.edits, "seconds": elapsed, "samples": samples}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
