"""The incremental lint path gives what a full lint gives (rules that compare entries aside).

No LSP here: random edits inside custom model entries of a document with many findings, each
checked against a full parse and lint of the edited text.
"""

from __future__ import annotations

import json
import random
from pathlib import PurePath

import pytest

from factory_lint.context import FileInfo
from factory_lint.engine import Options
from factory_lint.jsonc import Document, Node
from factory_lint.server.analysis import (
    Analysis,
    LintSetup,
    changed_region,
    full_analysis,
    incremental_analysis,
    parse_only,
)

SETUP = LintSetup(
    PurePath("/home/u/.factory/settings.json"),
    FileInfo("/home/u/.factory/settings.json", "user", False, 0o600),
    Options(),
)
PROVIDERS = [
    ("anthropic", "https://api.anthropic.com", "claude-sonnet-4-5-20250929"),
    ("openai", "https://api.openai.com/v1", "gpt-5-codex"),
    ("generic-chat-completion-api", "https://openrouter.ai/api/v1", "openai/gpt-oss-120b"),
    ("Anthropic", "http://localhost:11434/v1", "qwen2.5-coder:32b"),
    ("claude", "https://api.anthropic.com/v1", "claude-opus-4-1"),
]
PIECES = ['"', ",", "a", "1", " ", "\n", ":", "{", "}", "😀", '"model": "gpt-4o",', "\\", "//x\n"]
#: Rules that compare entries with each other: the full lint after a pause settles them.
CROSS_ENTRY = "FL70"


def document(count: int) -> str:
    entries = []
    for index in range(count):
        provider, url, model = PROVIDERS[index % len(PROVIDERS)]
        entry: dict[str, object] = {
            "model": model,
            "displayName": f"Model {index}",
            "baseUrl": url,
            "apiKey": "${API_KEY}",
            "provider": provider,
        }
        if index % 7 == 0:
            entry["maxOutputTokens"] = "16384"
        if index % 11 == 0:
            entry["unknwn"] = 1
        if index % 13 == 0:
            entry["reasoningEffort"] = "extreme"
        entries.append(entry)
    return json.dumps(
        {"customModels": entries, "sessionDefaultSettings": {"model": "custom:Model-0-0"}},
        indent=2,
    )


def outline(document: Document) -> list[tuple[object, ...]]:
    if document.root is None:
        return []
    return [
        (
            n.type,
            n.start,
            n.end,
            n.pointer,
            None if n.type in ("object", "array") else repr(n.value),
        )
        for n in document.root.walk()
    ]


def findings(analysis: Analysis) -> list[tuple[object, ...]]:
    return [
        (f.code, f.start, f.end, s, f.fix)
        for f, s in zip(analysis.findings, analysis.severities, strict=True)
        if not f.code.startswith(CROSS_ENTRY)
    ]


def entry_objects(analysis: Analysis) -> list[Node]:
    root = analysis.document.root
    member = root.get("customModels") if root is not None and root.type == "object" else None
    array = member.value if member is not None else None
    if array is None or array.type != "array":
        return []
    return [i for i in array.items if i.type == "object" and i.end - i.start >= 2]


@pytest.mark.parametrize("seed", [1, 2])
def test_random_edits_inside_entries(seed: int) -> None:
    rng = random.Random(seed)
    original = document(24)
    base = full_analysis(original, 1, SETUP)
    applied = 0
    for step in range(40):
        candidates = entry_objects(base)
        if not candidates:
            base = full_analysis(original, 1, SETUP)
            continue
        item = rng.choice(candidates)
        start = rng.randint(item.start + 1, item.end - 1)
        end = min(item.end - 1, start + rng.choice([0, 0, 1, 2, 5]))
        text = (
            base.text[:start] + (rng.choice(PIECES) if rng.random() < 0.8 else "") + base.text[end:]
        )
        full = full_analysis(text, step + 2, SETUP)
        updated = incremental_analysis(base, text, step + 2, SETUP)
        if updated is None:
            base = full
            continue
        applied += 1
        assert outline(updated.document) == outline(full.document), (seed, step)
        assert sorted((p.kind, p.start, p.end) for p in updated.document.problems) == sorted(
            (p.kind, p.start, p.end) for p in full.document.problems
        )
        assert findings(updated) == findings(full), (seed, step)
        base = updated if rng.random() < 0.7 else full
    assert applied > 20


def test_edit_outside_entries_falls_back() -> None:
    text = document(5)
    base = full_analysis(text, 1, SETUP)
    edited = text.replace('"custom:Model-0-0"', '"custom:Model-1-0"')
    assert incremental_analysis(base, edited, 2, SETUP) is None


def test_changed_region() -> None:
    assert changed_region("abcdef", "abXYef") == (2, 4, 4)
    assert changed_region("abc", "abc") == (3, 3, 3)
    assert changed_region("", "x") == (0, 0, 1)
    assert changed_region("aaaa", "aaaaa") == (4, 4, 5)
    rng = random.Random(7)
    for _ in range(500):
        old = "".join(rng.choice("ab") for _ in range(rng.randint(0, 9)))
        new = "".join(rng.choice("ab") for _ in range(rng.randint(0, 9)))
        start, old_end, new_end = changed_region(old, new)
        assert old[:start] == new[:start]
        assert old[old_end:] == new[new_end:]
        assert old[:start] + new[start:new_end] + old[old_end:] == new


def test_server_trees_have_their_offsets_from_the_start() -> None:
    """The server reads positions for every request: it parses with offsets, not on demand
    (filling them in later would cost ~1.4x the fast path on a strict-JSON text)."""
    text = json.dumps({"customModels": [{"model": "m", "baseUrl": "https://x"}]})
    for analysis in (full_analysis(text, 1, SETUP), parse_only(text, 1, SETUP.path)):
        root = analysis.document.root
        assert root is not None
        for node in root.walk():
            node._start  # noqa: B018  (raises AttributeError while offsets are pending)
