"""The Markdown kinds' rules beyond the goldens: every documented example reports its rule,
fixes are exact and make the finding go away, places Droid never reads, levels and related
files of droids on disk, the CLI on a project."""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath

import pytest

from factory_lint import engine  # noqa: F401  (registers the rules)
from factory_lint.cli import main
from factory_lint.context import FileInfo, RelatedFile
from factory_lint.engine import lint_text
from factory_lint.files import file_info
from factory_lint.fixes import apply_edits
from factory_lint.kinds import kind_from_path
from factory_lint.rules.registry import RULES

MARKDOWN_RULES = [
    r for r in RULES.values() if r.example_path and not r.example_path.endswith(".json")
]
#: Examples that stand for something a text cannot hold.
EXPANSIONS = {"STYLE102": ("(9,000 bytes of instructions)", "Explain each step. " * 500)}
#: Facts about the file the example's text does not carry.
INFO: dict[str, dict[str, object]] = {
    "AGENTS102": {"link_target": "/elsewhere/docs/AGENTS.md"},
    "DROID111": {
        "related": (
            RelatedFile(
                "/home/me/.factory/droids/reviewer.md",
                "droid",
                "---\nname: reviewer\n---\nMine.\n",
                "user",
            ),
        )
    },
    "SKILL109": {
        "related": (
            RelatedFile(
                ".factory/skills/notes/SKILL.md",
                "skill",
                "---\nname: notes\ndescription: d\n---\nx\n",
            ),
        )
    },
    "SKILL110": {"related": (RelatedFile(".factory/skills/notes/SKILL.md", "skill", "x"),)},
    "CMD105": {"related": (RelatedFile(".factory/commands/review.md", "command", "x"),)},
    "AGENTS103": {"related": (RelatedFile("AGENTS.md", "agents-md", "# Conventions\n"),)},
}


def lint(text: str, path: str, **info: object):  # type: ignore[no-untyped-def]
    kind = kind_from_path(PurePosixPath(path))
    assert kind is not None, path
    details: dict[str, object] = {"scope": "project", "committed": True, **info}
    return lint_text(text, kind, FileInfo(path, **details))  # type: ignore[arg-type]


def codes(text: str, path: str, **info: object) -> list[str]:
    return [f.code for f in lint(text, path, **info).findings]


@pytest.mark.parametrize("rule", MARKDOWN_RULES, ids=lambda r: r.code)
def test_documented_example_reports_its_rule(rule) -> None:  # type: ignore[no-untyped-def]
    text = rule.example
    if rule.code in EXPANSIONS:
        old, new = EXPANSIONS[rule.code]
        text = text.replace(old, new)
    assert rule.code in codes(text, rule.example_path, **INFO.get(rule.code, {}))


def fixed(text: str, path: str, code: str, safe_only: bool = True) -> str:
    findings = [f for f in lint(text, path).findings if f.code == code and f.fix is not None]
    assert findings, f"no fix for {code}"
    edits = [e for f in findings if f.fix and (f.fix.safe or not safe_only) for e in f.fix.edits]
    return apply_edits(text, edits)


DROID = ".factory/droids/fixer.md"
SKILL = ".factory/skills/notes/SKILL.md"


def test_claude_tool_renames_are_safe_and_exact() -> None:
    text = "---\nname: fixer\ndescription: d\ntools: [Read, Bash, 'Write', WebFetch, MultiEdit]\n---\nx\n"
    out = fixed(text, DROID, "DROID103")
    assert "tools: [Read, Execute, 'Create', FetchUrl, Edit]" in out
    assert "DROID103" not in codes(out, DROID)


def test_comma_string_renames() -> None:
    text = "---\nname: fixer\ndescription: d\ntools: Read, bash,  Write\n---\nx\n"
    out = fixed(text, DROID, "DROID103")
    assert "tools: Read, Execute,  Create\n" in out


def test_quote_fix_keeps_the_text() -> None:
    text = "---\nname: fixer\ndescription: 2024-01-01\nmodel: 5\n---\nx\n"
    out = fixed(text, DROID, "DROID102")
    assert 'description: "2024-01-01"' in out and 'model: "5"' in out
    assert "DROID102" not in codes(out, DROID)


def test_bom_fix_makes_droid_see_the_frontmatter() -> None:
    text = "\ufeff---\nname: fixer\ndescription: d\n---\nx\n"
    out = fixed(text, DROID, "DROID101")
    assert out == text[1:]
    assert codes(out, DROID) == []


def test_missing_name_fix_uses_the_file_name() -> None:
    out = fixed("---\ndescription: d\n---\nx\n", DROID, "DROID105")
    assert out.startswith("---\nname: fixer\ndescription: d\n")


def test_invalid_name_fix_is_unsafe() -> None:
    finding = next(
        f for f in lint("---\nname: My Fixer\n---\nx\n", DROID).findings if f.code == "DROID104"
    )
    assert finding.fix is not None and not finding.fix.safe
    assert finding.fix.edits[0].text == "my-fixer"


def test_skill_boolean_fixes() -> None:
    text = (
        "---\nname: notes\ndescription: d\nuser-invocable: 'false'\n"
        "disable-model-invocation: yes\n---\nWrite notes.\n"
    )
    out = fixed(text, SKILL, "SKILL103")
    assert "user-invocable: false\ndisable-model-invocation: true\n" in out
    assert codes(out, SKILL) == []


def test_skill_missing_name_fix_uses_the_folder() -> None:
    out = fixed("---\ndescription: d\n---\nWrite notes.\n", SKILL, "SKILL102")
    assert out.startswith("---\nname: notes\n")
    assert codes(out, SKILL) == []


def test_all_tools_removed_line_is_unsafe() -> None:
    text = "---\nname: fixer\ndescription: d\ntools: all\n---\nx\n"
    finding = next(f for f in lint(text, DROID).findings if f.code == "DROID103")
    assert finding.fix is not None and not finding.fix.safe
    assert (
        apply_edits(text, list(finding.fix.edits)) == "---\nname: fixer\ndescription: d\n---\nx\n"
    )


def test_unknown_tool_with_nothing_left_says_so() -> None:
    finding = next(
        f
        for f in lint("---\nname: f\ndescription: d\ntools: [Bash]\n---\nx\n", DROID).findings
        if f.code == "DROID103"
    )
    assert "only TodoWrite and Skill" in finding.message


def test_home_agents_md_is_not_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    path = str(tmp_path / "AGENTS.md")
    assert "AGENTS101" in codes("# Mine\n", path)
    assert "AGENTS101" not in codes("# Mine\n", str(tmp_path / ".factory" / "AGENTS.md"))
    assert "AGENTS101" not in codes("# Mine\n", str(tmp_path / "repo" / "AGENTS.md"))


def test_symlinked_agents_md_outside_its_folder(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "AGENTS.md").write_text("# Conventions\n")
    (tmp_path / ".agent").mkdir()
    link = tmp_path / ".agent" / "AGENTS.md"
    os.symlink("../docs/AGENTS.md", link)
    inside = tmp_path / "AGENTS.md"
    os.symlink("docs/AGENTS.md", inside)  # below the link's folder: followed
    assert file_info(link, 0o644).link_target is not None
    assert file_info(inside, 0o644).link_target is None
    assert file_info(tmp_path / "docs" / "AGENTS.md", 0o644).link_target is None


def test_droid_on_disk_sees_its_level_files(tmp_path: Path) -> None:
    factory = tmp_path / "repo" / ".factory"
    (factory / "droids").mkdir(parents=True)
    (tmp_path / "repo" / ".git").mkdir()
    (factory / "mcp.json").write_text(json.dumps({"mcpServers": {"github": {"url": "u"}}}))
    droid = factory / "droids" / "triager.md"
    droid.write_text("---\nname: triager\ndescription: d\nmcpServers: [github, jira]\n---\nx\n")
    info = file_info(droid, 0o644)
    assert info.scope == "project"
    assert "mcp.json" in [r.name for r in info.related]
    findings = [f for f in lint_text(droid.read_text(), "droid", info).findings]
    assert [f.code for f in findings] == ["DROID107"]
    assert "`jira`" in findings[0].message


def test_cli_lints_a_project_droid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    droids = tmp_path / ".factory" / "droids"
    droids.mkdir(parents=True)
    (droids / "fixer.md").write_text("---\nname: fixer\ndescription: d\ntools: [Bash]\n---\nx\n")
    status = main([str(droids / "fixer.md"), "--output-format", "json", "--no-cache"])
    out = capsys.readouterr().out
    assert status == 1
    report = json.loads(out)
    assert "DROID103" in out and report


def test_siblings_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    (home / ".factory" / "droids").mkdir(parents=True)
    (home / ".factory" / "droids" / "mine.md").write_text("---\nname: fixer\n---\nMine.\n")
    monkeypatch.setenv("FACTORY_HOME_OVERRIDE", str(home))
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    skills = repo / ".factory" / "skills"
    for folder in ("a", "b"):
        (skills / folder).mkdir(parents=True)
        (skills / folder / "SKILL.md").write_text("---\nname: notes\ndescription: d\n---\nx\n")
    commands = repo / ".agents" / "commands"
    (commands / "sub").mkdir(parents=True)
    (commands / "Fix.md").write_text("Fix it.\n")
    (commands / "sub" / "fix.md").write_text("Fix it too.\n")
    droid = repo / ".factory" / "droids" / "fixer.md"
    droid.parent.mkdir(parents=True)
    droid.write_text("---\nname: fixer\ndescription: d\n---\nx\n")
    for path, kind, code in (
        (skills / "a" / "SKILL.md", "skill", "SKILL109"),
        (commands / "Fix.md", "command", "CMD105"),
        (droid, "droid", "DROID111"),
    ):
        info = file_info(path, 0o644)
        found = [f.code for f in lint_text(path.read_text(), kind, info).findings]  # type: ignore[arg-type]
        assert code in found, (path, found)


def test_inserted_lines_keep_crlf() -> None:
    out = fixed("---\r\ndescription: d\r\n---\r\nx\r\n", DROID, "DROID105")
    assert out == "---\r\nname: fixer\r\ndescription: d\r\n---\r\nx\r\n"
