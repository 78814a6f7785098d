"""docs/rules.md is generated from the registry and must stay current, and every example in it
is a whole file that fires its rule when linted where the docs say it lives."""

from __future__ import annotations

import io
import json
import random
import re
import string
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from factory_lint import engine  # noqa: F401  (registers the rules)
from factory_lint.cli import main
from factory_lint.docs import rules_page
from factory_lint.rules.registry import RULES

ROOT = Path(__file__).resolve().parents[1]
RULES_MD = ROOT / "docs" / "rules.md"


def test_rules_page_is_current() -> None:
    page = RULES_MD.read_text(encoding="utf-8")
    assert page == rules_page(), "docs/rules.md is stale: run `python -m factory_lint.docs`"


def test_every_rule_is_documented() -> None:
    for rule in RULES.values():
        assert rule.name == rule.name.lower() and " " not in rule.name and "_" not in rule.name
        assert rule.summary and rule.why and rule.fix, rule.code
        assert re.fullmatch(r"(FL\d{3}|(MCP|HOOK|DROID|SKILL|CMD|STYLE|AGENTS)1\d{2})", rule.code)


#: Rules whose example needs a neighbouring file (their golden cases have one).
NEEDS_NEIGHBOURS = {"HOOK115", "HOOK116", "MCP111"}


def test_examples_of_the_new_kinds_report_their_rule() -> None:
    """A whole-file example whose first line names its file (`// .factory/hooks.json`) is
    linted as that kind of file and must report the rule it documents."""
    from pathlib import PurePosixPath

    from factory_lint.context import FileInfo
    from factory_lint.engine import lint_text
    from factory_lint.kinds import kind_from_path

    checked = 0
    for rule in RULES.values():
        first = rule.example.split("\n", 1)[0]
        if not first.startswith("// ") or rule.code in NEEDS_NEIGHBOURS:
            continue
        name = first[3:].split(" ", 1)[0]
        kind = kind_from_path(PurePosixPath("repo") / name)
        if kind is None or rule.code.startswith("FL"):
            continue
        info = FileInfo(f"repo/{name}", "project", True, 0o644)
        codes = {f.code for f in lint_text(rule.example, kind, info).findings}
        assert rule.code in codes, f"{rule.code}: its example does not report it ({codes})"
        checked += 1
    assert checked >= 20


# --- every example fires its rule -------------------------------------------------------------

_SECTION = re.compile(r"^### (?P<code>[A-Z]+\d{3}) (?P<name>\S+)$", re.MULTILINE)
_MAIN = re.compile(r"^\*\*Example\*\* \(`(?P<path>[^`]+)`(?P<attributes>[^)]*)\):$")
_BESIDE = re.compile(r"^With `(?P<path>[^`]+)` beside it:$")
_FENCE = re.compile(r"^(`{3,})[a-z]*$")


@dataclass
class ExampleFile:
    path: str
    text: str
    attributes: str = ""


@dataclass
class Example:
    code: str
    main: ExampleFile | None = None
    beside: list[ExampleFile] = field(default_factory=list)


def parse_examples(page: str) -> list[Example]:
    """Every rule section's example files, read back from the Markdown."""
    sections = list(_SECTION.finditer(page))
    examples = []
    for index, section in enumerate(sections):
        end = sections[index + 1].start() if index + 1 < len(sections) else len(page)
        example = Example(section["code"])
        lines = page[section.end() : end].split("\n")
        position = 0
        while position < len(lines):
            line = lines[position]
            main_match, beside_match = _MAIN.match(line), _BESIDE.match(line)
            position += 1
            if not (main_match or beside_match):
                continue
            while position < len(lines) and (
                not lines[position].strip() or lines[position].startswith("<details>")
            ):
                position += 1
            fence = _FENCE.match(lines[position]) if position < len(lines) else None
            assert fence, f"{example.code}: no code block after {line!r}"
            close = lines.index(fence.group(1), position + 1)
            text = "\n".join(lines[position + 1 : close])
            position = close + 1
            if main_match:
                assert example.main is None, f"{example.code}: two examples"
                example.main = ExampleFile(main_match["path"], text, main_match["attributes"])
            else:
                assert beside_match is not None
                example.beside.append(ExampleFile(beside_match["path"], text))
        examples.append(example)
    return examples


EXAMPLES = parse_examples(RULES_MD.read_text(encoding="utf-8"))


def test_the_docs_have_an_example_for_every_rule() -> None:
    assert {e.code for e in EXAMPLES} == set(RULES)
    assert all(e.main is not None for e in EXAMPLES), [e.code for e in EXAMPLES if not e.main]


def fill_elided_keys(text: str) -> str:
    """Keys are elided in the docs (``"sk-ant-api03-…AA"``): fill each elision inside a JSON
    string with random characters until the catalog recognises a key of that shape."""
    from factory_lint.catalog import identify_key

    generator = random.Random(1)
    alphabet = string.ascii_letters + string.digits

    def fill(match: re.Match[str]) -> str:
        head, tail = match["head"], match["tail"]
        for exclusive in (True, False):  # a format that names its issuer first (sk-ant-…)
            for length in range(8, 300):
                filler = "".join(generator.choice(alphabet) for _ in range(length))
                found = identify_key(head + filler + tail)
                if found is not None and (found.exclusive or not exclusive):
                    return f'"{head}{filler}{tail}"'
        return match.group(0)  # not a key: the ellipsis is the value

    return re.sub(r'"(?P<head>[^"\s…]*)…(?P<tail>[^"\s…]*)"', fill, text)


def expand_elided_lists(text: str) -> str:
    """``[1, 2, 3, …, 501]`` in an example stands for the numbers 1 to 501."""
    return re.sub(
        r"\[1, 2, 3, …, (\d+)\]",
        lambda m: "[" + ", ".join(str(i) for i in range(1, int(m.group(1)) + 1)) + "]",
        text,
    )


def place(path: str, project: Path, home: Path) -> Path:
    return home / path[2:] if path.startswith("~/") else project / path


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.code for e in EXAMPLES])
def test_every_example_fires_its_rule(
    example: Example, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert example.main is not None
    project, home = tmp_path / "project", tmp_path / "home"
    project.mkdir()
    home.mkdir()
    monkeypatch.setenv("FACTORY_HOME_OVERRIDE", str(home))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(project)
    for beside in example.beside:
        target = place(beside.path, project, home)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(fill_elided_keys(beside.text) + "\n", encoding="utf-8")
    main_file = example.main
    target = place(main_file.path, project, home)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = expand_elided_lists(fill_elided_keys(main_file.text))
    if text:
        text += "\n"
    if "byte-order mark" in main_file.attributes:
        text = "\ufeff" + text
    encoding = "utf-16" if "UTF-16" in main_file.attributes else "utf-8"
    link = re.search(r"a symbolic link to `([^`]+)`", main_file.attributes)
    if link:  # the text is the link target's
        real = target.parent / link.group(1)
        real.parent.mkdir(parents=True, exist_ok=True)
        real.write_bytes(text.encode(encoding))
        target.symlink_to(link.group(1))
    else:
        target.write_bytes(text.encode(encoding))
    mode = re.search(r"mode (0[0-7]{3})", main_file.attributes)
    if mode:
        target.chmod(int(mode.group(1), 8))
    out = io.StringIO()
    main([str(target), "--no-cache", "--no-config", "--output-format", "json"], stdout=out)
    report = json.loads(out.getvalue())
    assert report["files"][0]["skipped"] is None, report["files"]
    codes = [finding["code"] for finding in report["findings"]]
    if RULES[example.code].family == "probe":
        # Live-check findings depend on the server's answer: the example must be a whole
        # Droid file with a custom model for `factory-lint probe` to check, and lint cleanly
        # enough to load.
        assert "customModels" in text or "custom_models" in text, text
        loading = [
            f["code"]
            for f in report["findings"]
            if f["severity"] == "error" and f["code"][:3] in ("FL0", "FL1", "FL2")
        ]
        assert not loading, f"{example.code}'s example does not load in Droid: {loading}"
        return
    assert example.code in codes, f"{example.code}'s example does not fire it: {codes}"
    if not example.code.startswith("FL0"):  # a whole file: no syntax errors besides the point
        syntax = [f for f in report["findings"] if f["code"].startswith("FL0")]
        assert not syntax, f"{example.code}'s example is not a whole, valid file: {syntax}"
