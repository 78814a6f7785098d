"""Name collisions between Markdown files of one level (``FileInfo.related`` roles ``droid``,
``skill``, ``command``, ``agents-md``, read by the runner): a project droid that hides a
personal one, two skills or two commands with one name, a skill folder below another skill,
``CLAUDE.md`` beside ``AGENTS.md``."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from factory_lint.context import LintContext, RelatedFile
from factory_lint.findings import Finding
from factory_lint.frontmatter import Frontmatter, js_type
from factory_lint.markdown import frontmatter
from factory_lint.rules.markdown_common import frontmatter_of, path_parts
from factory_lint.rules.registry import checker, rule

DROID_SHADOWS = rule(
    "DROID111",
    "droid-overrides-personal-droid",
    "info",
    "droids",
    "A project droid with the name of one of your personal droids (~/.factory/droids).",
    why="Droid keeps the project's droid and ignores the personal one of the same name in this "
    "project (checked with the real CLI), so the personal droid's tools and prompt do not "
    "apply here.",
    example_path=".factory/droids/reviewer.md",
    example="---\nname: reviewer\ndescription: The team's reviewer\n---\nReview the diff.\n",
    example_with=(
        (
            "~/.factory/droids/reviewer.md",
            "---\nname: reviewer\ndescription: My own reviewer\n---\nReview strictly.\n",
        ),
    ),
    fix="Rename one of them if you want both.",
)
SKILL_DUPLICATE = rule(
    "SKILL109",
    "skill-duplicate-name",
    "warning",
    "skills",
    "Two skills of one level (one `skills/` folder) with the same `name`.",
    why="Droid keeps the first of them in path order and ignores the other; `droid doctor` "
    "warns `configuration.skill-collision` (checked with the real CLI).",
    example_path=".factory/skills/notes-v2/SKILL.md",
    example="---\nname: notes\ndescription: Writes release notes\n---\nWrite notes.\n",
    example_with=(
        (
            ".factory/skills/notes/SKILL.md",
            "---\nname: notes\ndescription: Keeps meeting notes\n---\nKeep notes.\n",
        ),
    ),
    fix="Give each skill its own name.",
)
SKILL_NESTED = rule(
    "SKILL110",
    "skill-inside-skill",
    "warning",
    "skills",
    "A SKILL.md in a folder below another skill's folder.",
    why="Droid searches `skills/` for folders holding a SKILL.md and does not look inside a "
    "skill's folder, so a skill nested in another one is never found (checked with the real "
    "CLI).",
    example_path=".factory/skills/notes/drafts/SKILL.md",
    example="---\nname: drafts\ndescription: Drafts notes\n---\nDraft the notes.\n",
    example_with=(
        (
            ".factory/skills/notes/SKILL.md",
            "---\nname: notes\ndescription: Keeps meeting notes\n---\nKeep notes.\n",
        ),
    ),
    fix="Move the nested skill's folder next to the other one, directly below `skills/` (or a "
    "grouping folder without a SKILL.md).",
)
COMMAND_COLLISION = rule(
    "CMD105",
    "command-name-collision",
    "warning",
    "commands",
    "Two command files of one level that become the same `/name` (nested folders, case, "
    "spaces: `Review.md`, `sub/review.md` and `re view.md` are all `/review`… or `/re-view`).",
    why="Droid names a command after its file name only (folders dropped, lower-cased, other "
    "characters turned into `-`), and registers one of the files with that name without a "
    "message.",
    example_path=".factory/commands/git/review.md",
    example="Review the staged changes.\n",
    example_with=((".factory/commands/review.md", "Review the whole branch.\n"),),
    fix="Rename one of the files.",
)
CLAUDE_AND_AGENTS = rule(
    "AGENTS103",
    "claude-md-beside-agents-md",
    "info",
    "agents-md",
    "A `CLAUDE.md` in a folder that also has an `AGENTS.md`.",
    why="Droid loads both into the context (checked with the real CLI); when one copies the "
    "other the instructions are there twice.",
    example_path="CLAUDE.md",
    example="# Conventions\n\nRun `make test` before committing.\n",
    example_with=(("AGENTS.md", "# Conventions\n\nRun `make test` before committing.\n"),),
    fix="Keep the instructions in `AGENTS.md` only (a `CLAUDE.md` for Claude Code can say "
    "`@AGENTS.md`), or accept both.",
)

_SLUG = re.compile(r"[^a-z0-9-_]")


def _siblings(context: LintContext, role: str) -> list[RelatedFile]:
    return [r for r in context.info.related if r.name == role]


def _basename(path: str) -> str:
    return re.split(r"[\\/]", path)[-1]


def _stem(path: str) -> str:
    name = _basename(path)
    return name[:-3] if name.endswith(".md") else name


def droid_schema_ok(parsed: Frontmatter) -> bool:
    """Droid's droid frontmatter schema accepts the metadata."""
    if not parsed.is_object:
        return False
    for entry in parsed.entries:
        if parsed.get(entry.key) is not entry:
            continue
        kind = js_type(entry.value.value)
        if entry.key in ("name", "description", "model", "reasoningEffort") and kind != "string":
            return False
        value = entry.value.value
        if (
            entry.key in ("tools", "mcpServers")
            and kind != "string"
            and not (isinstance(value, list) and all(isinstance(i, str) for i in value))
        ):
            return False
    return True


def droid_name(text: str, path: str) -> str:
    """The name Droid gives a droid file."""
    parsed = frontmatter(text)
    if parsed.found and droid_schema_ok(parsed):
        entry = parsed.get("name")
        if entry is not None and isinstance(entry.value.value, str) and entry.value.value:
            return entry.value.value
    return _stem(path)


def skill_name(parsed: Frontmatter) -> str | None:
    """The name of a skill Droid enables, or None for one it disables."""
    if not parsed.found or not parsed.is_object:
        return None
    name = parsed.get("name")
    description = parsed.get("description")
    if name is None or description is None:
        return None
    if not isinstance(name.value.value, str) or not isinstance(description.value.value, str):
        return None
    return name.value.value


def command_name(path: str) -> str:
    """``If`` in the 0.225.2 bundle: the file name without its extension, lower-cased."""
    name = re.sub(r"\.[^.]+$", "", _basename(path)).lower()
    return re.sub(r"--+", "-", _SLUG.sub("-", name))


@checker(kinds=("droid",))
def check_droid_names(context: LintContext) -> Iterator[Finding]:
    path = context.info.path
    if not path or context.info.scope != "project":
        return
    own = droid_name(context.text, path)
    for other in _siblings(context, "droid"):
        if other.level == "user" and droid_name(other.text, other.path) == own:
            parsed = frontmatter_of(context)
            entry = parsed.get("name")
            start, end = (entry.value.start, entry.value.end) if entry else (0, 3)
            yield Finding(
                DROID_SHADOWS.code,
                f"this project droid `{own}` hides your personal droid of the same name "
                f"(~/.factory/droids/{_basename(other.path)}): in this project Droid uses this "
                "one",
                start,
                max(end, start + 1),
            )
            return


@checker(kinds=("skill",))
def check_skill_names(context: LintContext) -> Iterator[Finding]:
    if not context.info.path:
        return
    own_dir = _below_skills(context.info.path)[:-1]
    for other in _siblings(context, "skill"):
        other_dir = _below_skills(other.path)[:-1]
        if len(other_dir) < len(own_dir) and own_dir[: len(other_dir)] == other_dir:
            yield Finding(
                SKILL_NESTED.code,
                "Droid never finds this skill: it lies below the folder of another skill "
                f"(skills/{'/'.join(other_dir)}/SKILL.md), and Droid does not look inside a "
                "skill's folder; move this skill's folder directly below `skills/`",
                0,
                min(1, len(context.text)),
            )
            return
    parsed = frontmatter_of(context)
    own = skill_name(parsed)
    if own is None:
        return
    for other in _siblings(context, "skill"):
        if skill_name(frontmatter(other.text)) == own:
            entry = parsed.get("name")
            assert entry is not None
            where = "/".join(_below_skills(other.path))
            yield Finding(
                SKILL_DUPLICATE.code,
                f"another skill of this level is also named `{own}` (skills/{where}): Droid "
                "keeps only the first in path order and `droid doctor` reports a collision; "
                "give each skill its own name",
                entry.value.start,
                max(entry.value.end, entry.value.start + 1),
            )
            return


def _below_skills(path: str) -> list[str]:
    """The parts of ``path`` below its last ``skills`` folder."""
    parts = path_parts_of(path)
    for index in range(len(parts) - 2, -1, -1):
        if parts[index] == "skills":
            return parts[index + 1 :]
    return parts[-1:]


@checker(kinds=("command",))
def check_command_names(context: LintContext) -> Iterator[Finding]:
    path = context.info.path
    if not path or not _registered(_basename(path), context.text):
        return
    own = command_name(path)
    for other in _siblings(context, "command"):
        if _registered(_basename(other.path), other.text) and command_name(other.path) == own:
            yield Finding(
                COMMAND_COLLISION.code,
                f"`/{own}` is also the name of another command file of this level "
                f"({_basename(other.path)} in {os.path.basename(os.path.dirname(other.path))}/): "
                "Droid drops folders and case from command names and registers only one of "
                "them; rename one",
                0,
                min(1, len(context.text)),
            )
            return


def _registered(name: str, text: str) -> bool:
    return name.lower().endswith(".md") or text.startswith("#!")


@checker(kinds=("agents-md",))
def check_claude_md(context: LintContext) -> Iterator[Finding]:
    parts = path_parts(context)
    if not parts or parts[-1].lower() != "claude.md":
        return
    agents = [
        r for r in _siblings(context, "agents-md") if _basename(r.path).lower() == "agents.md"
    ]
    if not agents:
        return
    same = agents[0].text.strip() == context.text.strip()
    detail = " (the same text twice)" if same else ""
    yield Finding(
        CLAUDE_AND_AGENTS.code,
        f"Droid loads both this CLAUDE.md and the AGENTS.md beside it into the context{detail}; "
        "keep the instructions in AGENTS.md if both say the same",
        0,
        min(1, len(context.text)),
    )


def path_parts_of(path: str) -> list[str]:
    return [p for p in re.split(r"[\\/]", path) if p]
