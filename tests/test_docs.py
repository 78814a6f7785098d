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
