"""SKILL1xx: skills (``<level>/{.factory,.agents,.agent}/skills/**/SKILL.md``), as Droid 0.225.2
loads them.

A skill whose frontmatter fails Droid's schema is not reported anywhere: Droid keeps it but
disables it (named ``unknown`` when it has no name), so the model never sees it
(droid-surface.md §5). ``droid doctor`` reports only bad names, empty bodies and collisions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from factory_lint.catalog.tools import CLAUDE_TOOLS, MCP_TOOL_ID, TOOL_ID_SET, droid_name_for
from factory_lint.context import LintContext
from factory_lint.findings import Edit, Finding, Fix
from factory_lint.frontmatter import Entry, Value, describe, js_trim, js_type
from factory_lint.rules.markdown_common import (
    FALLBACK_LOSES,
    body_of,
    closing_delimiter,
    frontmatter_of,
    line_break,
    missing_frontmatter,
    path_parts,
    quote_edit,
    show,
    yaml_fallback,
)
from factory_lint.rules.registry import checker, rule

FAMILY = "skills"
_DISABLED = (
    "Droid disables the skill without a message (the model never sees it, and `droid doctor` "
    "says nothing)"
)

FRONTMATTER_IGNORED = rule(
    "SKILL101",
    "skill-frontmatter-ignored",
    "error",
    FAMILY,
    "A SKILL.md whose frontmatter Droid does not see: a byte-order mark or blank text before "
    "the opening `---`, text after it on the same line, or no closing `---`.",
    why="Droid recognises frontmatter only when the file starts with a line that is exactly "
    "`---`. Without one the skill has no `name` and no `description`, so Droid keeps it "
    "disabled under the name `unknown` (checked with the real CLI: a UTF-8 BOM does this).",
    example_path=".factory/skills/release-notes/SKILL.md",
    example="\ufeff---\n"
    "name: release-notes\ndescription: Drafts release notes from merged PRs\n---\n"
    "Collect the merged PRs since the last tag and group them by label.\n",
    fix="Remove what precedes `---` (safe fix), or close the frontmatter with a `---` line.",
    fixable="safe",
)
MISSING_FIELD = rule(
    "SKILL102",
    "skill-missing-field",
    "error",
    FAMILY,
    "A SKILL.md without `name` or without `description` in its frontmatter.",
    why="Droid's skill schema requires both (Factory's docs call `name` optional and "
    "`description` recommended, but the 0.225.2 CLI disables the skill without either: checked "
    "with the real CLI). A skill without a name is listed as `unknown`.",
    example_path=".factory/skills/release-notes/SKILL.md",
    example="---\nname: release-notes\n---\n"
    "Collect the merged PRs since the last tag and group them by label.\n",
    fix="Add the missing key (safe fix for `name`: the skill's folder name, when it is a valid "
    "name); the description tells the model when to use the skill.",
    fixable="safe",
)
WRONG_TYPE = rule(
    "SKILL103",
    "skill-wrong-type",
    "error",
    FAMILY,
    "A SKILL.md frontmatter field of the wrong type: a quoted boolean "
    '(`user-invocable: "false"`), `yes`/`no` for a boolean, `metadata` that is not a mapping, '
    "an empty value, a number for `name` or `description`.",
    why="One field that fails Droid's skill schema disables the whole skill, silently (checked "
    "with the real CLI for a quoted boolean and a string `metadata`). YAML 1.2, which Droid "
    "uses, reads `yes`, `no`, `on` and `off` as strings, not booleans.",
    example_path=".factory/skills/release-notes/SKILL.md",
    example="---\nname: release-notes\n"
    'description: Drafts release notes\nuser-invocable: "false"\n---\n'
    "Collect the merged PRs since the last tag.\n",
    fix="Write booleans as `true`/`false` without quotes (safe fix), strings quoted when YAML "
    "would read them as something else (safe fix), `metadata` as a mapping.",
    fixable="safe",
)
INVALID_NAME = rule(
    "SKILL104",
    "skill-invalid-name",
    "error",
    FAMILY,
    "A skill `name` with characters other than lowercase letters, digits and `-` (no `_`, no "
    "capitals), or an empty one.",
    why="Droid marks such a skill invalid: it is hidden from the model and `/name` fails with "
    '"skill invalid"; `droid doctor` warns "Skill name must contain only lowercase letters, '
    'numbers, and hyphens" (checked with the real CLI).',
    example_path=".factory/skills/release_notes/SKILL.md",
    example="---\nname: release_notes\n"
    "description: Drafts release notes\n---\nCollect the merged PRs since the last tag.\n",
    fix="Use a kebab-case name (unsafe fix: `/name` changes).",
    fixable="unsafe",
)
EMPTY_BODY = rule(
    "SKILL105",
    "skill-empty-body",
    "error",
    FAMILY,
    "A SKILL.md with nothing after its frontmatter.",
    why='Droid marks a skill without instructions invalid ("Skill must have a system prompt", '
    "reported by `droid doctor`; checked with the real CLI): the model cannot use it.",
    example_path=".factory/skills/release-notes/SKILL.md",
    example="---\nname: release-notes\ndescription: Drafts release notes\n---\n",
    fix="Write the skill's instructions below the frontmatter.",
)
NOT_DISCOVERED = rule(
    "SKILL106",
    "skill-not-discovered",
    "warning",
    FAMILY,
    "A skill file Droid never reads: `skill.md`, `Skill.md`, `skill.mdx`, a flat "
    "`skills/<name>.md`, `SKILL.md` directly in `skills/`, or a skill in Claude Code's "
    "`.claude/skills/` (found with no paths only where a `.factory` folder exists too).",
    why="Droid finds a skill only as a folder below `skills/` (of `.factory/`, `.agents/` or "
    "`.agent/`) that holds a file named exactly `SKILL.md` (checked with the real CLI; "
    "Factory's docs also name `skill.mdx`, which the 0.225.2 CLI ignores, and "
    "`.claude/skills/` is not read; a symlink `.factory/skills` → `../.claude/skills` is).",
    example_path=".factory/skills/release-notes.md",
    example="---\nname: release-notes\n"
    "description: Drafts release notes\n---\nCollect the merged PRs since the last tag.\n",
    fix="Move it to `skills/<name>/SKILL.md`.",
)
UNKNOWN_TOOL = rule(
    "SKILL107",
    "skill-unknown-tool",
    "info",
    FAMILY,
    "A skill `allowed-tools` (or `tools`) entry that is not a Droid tool id.",
    why="Droid shows a skill's allowed tools when the skill loads; in a list it maps Claude "
    "Code's `Bash`, `Write` and `WebFetch` to `Execute`, `Create` and `FetchUrl`, but in a "
    "comma-separated string it does not, and other names are not Droid's tools at all.",
    example_path=".factory/skills/release-notes/SKILL.md",
    example="---\nname: release-notes\n"
    "description: Drafts release notes\nallowed-tools: Read, Bash\n---\n"
    "Collect the merged PRs since the last tag.\n",
    fix="Use Droid's tool ids (safe fix for Claude Code names and case slips).",
    fixable="safe",
)
YAML_FALLBACK = rule(
    "SKILL108",
    "skill-frontmatter-not-yaml",
    "warning",
    FAMILY,
    "SKILL.md frontmatter that is not valid YAML, read by Droid's line-by-line fallback.",
    why="When js-yaml rejects the frontmatter Droid reads it line by line: a nested "
    "`metadata:` becomes an empty string (which disables the skill), multi-line descriptions "
    "are cut to their first line.",
    example_path=".factory/skills/release-notes/SKILL.md",
    example="---\nname: release-notes\n"
    "description: Use when: the user asks for release notes\n---\n"
    "Collect the merged PRs since the last tag.\n",
    fix="Fix the YAML: quote values that contain `: ` or start with a special character.",
)

_NAME = re.compile(r"^[a-z0-9-]+$")
_STRINGS = ("name", "description", "license", "compatibility")
_BOOLEANS = ("enabled", "user-invocable", "disable-model-invocation")
_TOOL_KEYS = ("allowed-tools", "tools")
#: Claude names Droid maps in a list of allowed tools (``Mf`` in the 0.225.2 bundle).
_MAPPED_IN_LIST = {"Bash": "Execute", "Write": "Create", "WebFetch": "FetchUrl"}
_YAML_BOOLEAN_WORDS = {"yes": True, "no": False, "on": True, "off": False, "y": True, "n": False}


@checker(kinds=("skill",))
def check_skill(context: LintContext) -> Iterator[Finding]:
    not_read = _not_discovered(context)
    if not_read is not None:
        yield not_read
        return  # what Droid would make of it matters once it is where Droid looks
    missing = missing_frontmatter(
        context, FRONTMATTER_IGNORED.code, "it has no name and no description, so " + _DISABLED
    )
    if missing is not None:
        yield missing
    fallback = yaml_fallback(context, YAML_FALLBACK.code, FALLBACK_LOSES)
    if fallback is not None:
        yield fallback
    parsed = frontmatter_of(context)
    if missing is None:
        yield from _missing_fields(context)
    if parsed.found:
        yield from _wrong_types(context)
        yield from _name(context)
        yield from _tools(context)
    _start, body = body_of(context)
    if not js_trim(body):
        start, end = closing_delimiter(context)
        yield Finding(
            EMPTY_BODY.code,
            "the skill has no instructions (nothing after the frontmatter), so Droid marks it "
            'invalid ("Skill must have a system prompt"); write them below the closing `---`',
            start,
            end,
        )


def _not_discovered(context: LintContext) -> Finding | None:
    parts = path_parts(context)
    if not parts:
        return None
    try:
        index = len(parts) - 1 - parts[::-1].index("skills")
    except ValueError:
        return None
    below = parts[index + 1 :]
    name = below[-1]
    if index > 0 and parts[index - 1] == ".claude":
        return Finding(
            NOT_DISCOVERED.code,
            "Droid never reads this skill: `.claude/skills/` is Claude Code's folder, and Droid "
            "reads skills only from `.factory/skills/`, `.agents/skills/` and `.agent/skills/`; "
            "move the skill there, or link the folder (`ln -s ../.claude/skills "
            ".factory/skills`: Droid follows the link)",
            0,
            min(1, len(context.text)),
        )
    if name == "SKILL.md" and len(below) > 1:
        return None
    if name == "SKILL.md":
        problem = "it lies directly in `skills/`, not in a skill folder"
        target = "skills/<skill-name>/SKILL.md"
    elif len(below) == 1:
        problem = f"`{name}` lies directly in `skills/`"
        stem = name.rsplit(".", 1)[0]
        target = f"skills/{stem}/SKILL.md"
    else:
        problem = f"it is named `{name}`, not exactly `SKILL.md`"
        target = "/".join(("skills", *below[:-1], "SKILL.md"))
    return Finding(
        NOT_DISCOVERED.code,
        f"Droid never reads this skill: {problem}; Droid finds skills only as "
        f"`skills/<skill-name>/SKILL.md` (exact case): move it to `{target}`",
        0,
        min(1, len(context.text)),
    )


def _missing_fields(context: LintContext) -> Iterator[Finding]:
    parsed = frontmatter_of(context)
    if parsed.found and not parsed.is_object:
        return  # reported as a wrong type
    absent = [key for key in ("name", "description") if parsed.get(key) is None]
    if not absent:
        return
    what = " and ".join(f"`{key}`" for key in absent)
    named = " and lists it as `unknown`" if "name" in absent else ""
    fix = None
    folder = _folder_name(context)
    if "name" in absent and folder and _NAME.match(folder) and parsed.found:
        at = parsed.content_start
        fix = Fix(f"Add `name: {folder}`", (Edit(at, at, f"name: {folder}{line_break(context)}"),))
    start, end = (0, 3) if parsed.found else (0, min(1, len(context.text)))
    where = "the frontmatter has no" if parsed.found else "the file has no frontmatter, so no"
    yield Finding(
        MISSING_FIELD.code,
        f"{where} {what}; without both `name` and `description` {_DISABLED}{named}; add "
        + (
            "`description:` saying when the model should use the skill"
            if absent == ["description"]
            else f"{what}"
        ),
        start,
        end,
        fix=fix,
    )


def _folder_name(context: LintContext) -> str | None:
    parts = path_parts(context)
    return parts[-2] if len(parts) >= 2 and parts[-2] != "skills" else None


def _wrong_types(context: LintContext) -> Iterator[Finding]:
    parsed = frontmatter_of(context)
    if parsed.root is not None:
        yield Finding(
            WRONG_TYPE.code,
            f"the frontmatter is {describe(parsed.root.value)}, not `key: value` pairs, so "
            f"{_DISABLED}",
            parsed.root.start,
            max(parsed.root.end, parsed.root.start + 1),
        )
        return
    for entry in parsed.entries:
        if parsed.get(entry.key) is not entry:
            continue
        value = entry.value
        kind = js_type(value.value)
        if entry.key in _STRINGS and kind != "string":
            yield _wrong(context, entry, value, "a string", quote_edit(context, value))
        elif entry.key in _BOOLEANS and kind != "boolean":
            yield _wrong(context, entry, value, "`true` or `false`", _boolean_edit(context, value))
        elif entry.key == "metadata" and kind != "object":
            yield _wrong(context, entry, value, "a mapping of `key: value` lines indented below it")
        elif entry.key in _TOOL_KEYS and kind != "string":
            if kind != "array":
                yield _wrong(context, entry, value, "a list of strings or a string")
            else:
                for item in value.items:
                    if js_type(item.value) != "string":
                        yield _wrong(context, entry, item, "a string", quote_edit(context, item))


def _boolean_edit(context: LintContext, value: Value) -> Edit | None:
    raw = context.text[value.start : value.end]
    if isinstance(value.value, str):
        word = js_trim(value.value).lower()
        if word in ("true", "false"):
            return Edit(value.start, value.end, word)
        if value.plain and word in _YAML_BOOLEAN_WORDS and "\n" not in raw:
            return Edit(value.start, value.end, json.dumps(_YAML_BOOLEAN_WORDS[word]))
    return None


def _wrong(
    context: LintContext, entry: Entry, value: Value, wanted: str, edit: Edit | None = None
) -> Finding:
    shown = context.text[value.start : value.end]
    detail = f" (`{shown}`)" if shown and "\n" not in shown and len(shown) <= 40 else ""
    found = describe(value.value)
    if isinstance(value.value, str) and not value.plain and "`true` or `false`" in wanted:
        found = "a quoted string"
    advice = f"write `{entry.key}: {edit.text}`" if edit is not None else f"make it {wanted}"
    if value.value is None and edit is None:
        advice = f"give `{entry.key}` a value or remove the line"
    fix = Fix(f"Write {edit.text}", (edit,)) if edit is not None else None
    start, end = (
        (value.start, value.end)
        if value.end > value.start
        else (
            entry.key_start,
            entry.key_end,
        )
    )
    return Finding(
        WRONG_TYPE.code,
        f"`{entry.key}` is {found}{detail} but Droid expects {wanted}; {_DISABLED}; {advice}",
        start,
        end,
        fix=fix,
    )


def _name(context: LintContext) -> Iterator[Finding]:
    entry = frontmatter_of(context).get("name")
    if entry is None or not isinstance(entry.value.value, str):
        return
    name = entry.value.value
    if _NAME.match(name) and re.search(r"[a-z0-9]", name):
        return
    slug = re.sub(r"-+", "-", re.sub(r"[^a-z0-9-]", "-", name.lower())).strip("-")
    fix = None
    if slug:
        raw = context.text[entry.value.start : entry.value.end]
        quoted = len(raw) >= 2 and raw[0] in "\"'" and raw[-1] == raw[0]
        edit = (
            Edit(entry.value.start + 1, entry.value.end - 1, slug)
            if quoted
            else Edit(entry.value.start, entry.value.end, slug)
        )
        fix = Fix(f"Rename the skill to `{slug}`", (edit,), safe=False)
    problem = (
        "is empty"
        if not name
        else "has characters other than lowercase letters, digits and `-`"
        if not _NAME.match(name)
        else "has no letter or digit"
    )
    start, end = (
        (entry.value.start, entry.value.end)
        if entry.value.end > entry.value.start
        else (entry.key_start, entry.key_end)
    )
    yield Finding(
        INVALID_NAME.code,
        f"the skill name {show(name)} {problem}: Droid marks the skill invalid, hides it from "
        "the model and `/name` fails"
        + (f"; use `{slug}`" if slug else "; use lowercase letters, digits and `-`"),
        start,
        end,
        fix=fix,
    )


def _tools(context: LintContext) -> Iterator[Finding]:
    parsed = frontmatter_of(context)
    entry = parsed.get("allowed-tools")
    if entry is None or (isinstance(entry.value.value, str) and not entry.value.value):
        entry = parsed.get("tools")
    if entry is None:
        return
    value = entry.value
    if isinstance(value.value, list):
        items = [item for item in value.items if isinstance(item.value, str)]
        mapped_here = True
    elif isinstance(value.value, str):
        items = _comma_items(context, value)
        mapped_here = False
    else:
        return
    for item in items:
        assert isinstance(item.value, str)
        tool = js_trim(item.value)
        if not tool or tool in TOOL_ID_SET or MCP_TOOL_ID.match(tool):
            continue
        if mapped_here and tool in _MAPPED_IN_LIST:
            continue
        meant = droid_name_for(tool)
        if tool in CLAUDE_TOOLS:
            detail = f"`{tool}` is Claude Code's name" + (
                f" (Droid's tool is `{meant}`)" if meant else "; Droid has no such tool"
            )
            if tool in _MAPPED_IN_LIST:
                detail += ", which Droid maps only in a list, not in a comma-separated string"
        elif meant is not None:
            detail = f"`{tool}` is not a Droid tool id (Droid's is `{meant}`)"
        else:
            detail = f"{show(tool)} is not a Droid tool id"
        fix = None
        if meant:
            fix = Fix(f"Replace with `{meant}`", (Edit(item.start, item.end, meant),))
        yield Finding(
            UNKNOWN_TOOL.code,
            f"{detail}; use Droid's tool ids in `{entry.key}`",
            item.start,
            item.end,
            fix=fix,
        )


def _comma_items(context: LintContext, value: Value) -> list[Value]:
    text = str(value.value)
    inner = value.start + (0 if value.plain else 1)
    if context.text[inner : inner + len(text)] != text:
        return []
    items = []
    position = 0
    for part in text.split(","):
        lead = len(part) - len(part.lstrip())
        item = part.strip()
        start = inner + position + lead
        items.append(Value(item, start, start + len(item)))
        position += len(part) + 1
    return items
