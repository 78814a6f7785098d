"""docs/rules.md is generated from the registry and must stay current."""

import re
from pathlib import Path

from factory_lint import engine  # noqa: F401  (registers the rules)
from factory_lint.docs import rules_page
from factory_lint.rules.registry import RULES

ROOT = Path(__file__).resolve().parents[1]


def test_rules_page_is_current() -> None:
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
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
