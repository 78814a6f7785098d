"""Secret canaries through the language server: the planted keys of tests/test_secret_canary.py
never come back in a diagnostic (message, related information, data), a hover, a completion, a
code action (title, or a resolved action's description), a code lens, a document symbol, a log
message to the client, or the server's own log (at debug level)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from raw_rpc import Message, RawClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import canaries
from test_secret_canary import leaks, legacy_text, settings_text


@pytest.fixture
def raw(tmp_path: Path) -> Iterator[RawClient]:
    home = tmp_path / "home"
    (home / ".factory").mkdir(parents=True)
    client = RawClient(home, tmp_path / "server.log", log_level="debug")
    yield client
    client.close()


APPLIED = {"edit", "textEdit", "insertText", "filterText", "additionalTextEdits"}


def _visible(value: Any) -> Any:
    """``value`` without the parts a client applies rather than shows."""
    if isinstance(value, dict):
        return {k: _visible(v) for k, v in value.items() if k not in APPLIED}
    if isinstance(value, list):
        return [_visible(item) for item in value]
    return value


def offsets_to_position(text: str, offset: int) -> dict[str, int]:
    before = text[:offset]
    line = before.count("\n")
    column = len(before) - (before.rfind("\n") + 1)
    return {"line": line, "character": column}  # ASCII documents: UTF-16 == code points


def test_no_lsp_answer_shows_a_canary(raw: RawClient, tmp_path: Path) -> None:
    documents = {".factory/settings.json": settings_text(), ".factory/config.json": legacy_text()}
    found = _shown_canaries(raw, tmp_path, documents, leaks)
    assert found == {}


def test_no_lsp_answer_shows_any_run_of_any_canary_shape(raw: RawClient, tmp_path: Path) -> None:
    """The 29 shapes of tests/canaries.py (URL and query credentials, AWS fields, header values,
    escapes, comments, unparsable text, root strings): no 8-character run in any payload."""
    found = _shown_canaries(raw, tmp_path, canaries.documents(), canaries.leaks)
    assert found == {}


def _shown_canaries(
    raw: RawClient,
    tmp_path: Path,
    documents: dict[str, str],
    leaks: Callable[[str], list[str]],
) -> dict[str, list[str]]:
    """Open ``documents`` (relative paths) and ask for everything a user can see; the canaries
    found in it, with where."""
    repo = tmp_path / "repo"
    repo.mkdir()
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
    for name, text in documents.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    capabilities: dict[str, Any] = {
        "general": {"positionEncodings": ["utf-16"]},
        "textDocument": {
            "publishDiagnostics": {"versionSupport": True, "relatedInformation": True},
            "codeAction": {
                "codeActionLiteralSupport": {
                    "codeActionKind": {"valueSet": ["quickfix", "source.fixAll"]}
                },
                "resolveSupport": {"properties": ["edit"]},
                "dataSupport": True,
            },
            "hover": {"contentFormat": ["markdown", "plaintext"]},
            "completion": {"completionItem": {"snippetSupport": True}},
        },
        "window": {"workDoneProgress": False},
    }
    raw.initialize(capabilities)
    answers: list[Message] = []
    diagnostics_seen = 0
    for name, text in documents.items():
        uri = (repo / name).as_uri()
        raw.open(uri, text)
        published = raw.published(uri, 1)
        answers.append(published)
        diagnostics = published["params"]["diagnostics"]
        diagnostics_seen += len(diagnostics)
        doc = {"textDocument": {"uri": uri}}
        everything = {
            "start": {"line": 0, "character": 0},
            "end": offsets_to_position(text, len(text)),
        }
        actions = raw.request(
            "textDocument/codeAction",
            {**doc, "range": everything, "context": {"diagnostics": diagnostics}},
        )
        answers.append(actions)
        for action in actions["result"] or []:
            if "edit" not in action and "data" in action:
                answers.append(raw.request("codeAction/resolve", action))
        answers.append(raw.request("textDocument/documentSymbol", doc))
        answers.append(raw.request("textDocument/codeLens", doc))
        # Hover and complete inside every string and after every colon.
        for offset, char in enumerate(text):
            if char in '":':
                where = {**doc, "position": offsets_to_position(text, offset + 1)}
                answers.append(raw.request("textDocument/hover", where))
                if char == ":":
                    answers.append(raw.request("textDocument/completion", where))
    assert diagnostics_seen > (
        10 if len(documents) > 1 else 0
    )  # the planted keys are reported, so the check means something
    # What a user can see. Edits are left out: a fix may rightly carry the file's own text
    # (the legacy migration copies entries), and a completion inserts a reference to a model
    # whatever its name; they are applied, never shown.
    shown = [json.dumps(_visible(answer.get("result", answer.get("params")))) for answer in answers]
    log_messages = [
        m for m in raw.seen if m.get("method") in ("window/logMessage", "window/showMessage")
    ]
    shown.extend(json.dumps(m) for m in log_messages)
    raw.request("shutdown")
    raw.notify("exit")
    raw.exit_code()
    shown.append(raw.log())
    hovers = sum(1 for s in shown if '"contents"' in s)
    assert hovers > (20 if len(documents) > 1 else 5), hovers
    return {
        name: [s[:200] for s in shown if name in leaks(s)][:2]
        for name in set().union(*(leaks(s) for s in shown))
    }
