"""DROID1xx: custom droids (``<level>/.factory/droids/*.md``), as Droid 0.225.2 loads them.

Droid checks nothing when it loads a droid (droid-surface.md §4): a frontmatter it does not see
or cannot type-check is dropped whole (the droid then has every tool and inherits the model), an
unknown tool id is silently left out, an unknown model falls back to ``inherit``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from factory_lint.catalog.tools import (
    CLAUDE_TOOLS,
    DROID_TOOL_CATEGORIES,
    MCP_TOOL_ID,
    NOT_FOR_DROIDS,
    TOOL_ID_SET,
    droid_name_for,
)
from factory_lint.context import LintContext
from factory_lint.findings import Edit, Finding, Fix
from factory_lint.frontmatter import JS_WHITESPACE, Entry, Value, describe, js_trim, js_type
from factory_lint.rules.markdown_common import (
    FALLBACK_LOSES,
    body_of,
    closing_delimiter,
    delete_entry_edit,
    file_stem,
    frontmatter_of,
    line_break,
    missing_frontmatter,
    path_parts,
    quote_edit,
    show,
    yaml_fallback,
)
from factory_lint.rules.registry import checker, rule

FAMILY = "droids"
_NO_FRONTMATTER = (
    "the droid is named after its file, has no description, gets every tool and inherits the "
    "session's model"
)

FRONTMATTER_IGNORED = rule(
    "DROID101",
    "droid-frontmatter-ignored",
    "error",
    FAMILY,
    "A droid file whose frontmatter Droid does not see: a byte-order mark or blank text before "
    "the opening `---`, text after it on the same line, or no closing `---`.",
    why="Droid recognises frontmatter only when the file starts with a line that is exactly "
    "`---` (checked with the real CLI: a UTF-8 BOM makes the droid lose its name, description "
    "and tool list). The droid still loads, named after its file, with every tool and the "
    "session's model, and nothing is reported.",
    example_path=".factory/droids/reviewer.md",
    example="\ufeff---\nname: reviewer\ndescription: Reviews diffs\ntools: [Read, Grep]\n---\n"
    "Review the staged diff and report problems.\n",
    fix="Remove what precedes `---` (safe fix), or close the frontmatter with a `---` line.",
    fixable="safe",
)
FRONTMATTER_DISCARDED = rule(
    "DROID102",
    "droid-frontmatter-discarded",
    "error",
    FAMILY,
    "A droid frontmatter field of the wrong type (`model: 5`, `tools: 5`, an empty "
    "`model:`, `description` as a list): Droid discards the whole frontmatter.",
    why="Droid checks the frontmatter against its schema (`name`, `description`, `model`, "
    "`reasoningEffort`: strings; `tools`: a string or a list of strings; `mcpServers`: a list "
    "or a comma-separated string). One field of another type makes it drop all of them "
    "(checked with the real CLI): the droid gets every tool, inherits the model and loses its "
    "name and description, without a message. YAML types unquoted values: `5` is a number, "
    "`true` a boolean, `2024-01-01` a date, and an empty value is null.",
    example_path=".factory/droids/reviewer.md",
    example="---\nname: reviewer\ndescription: Reviews diffs\nmodel: 5\ntools: [Read, Grep]\n"
    "---\nReview the staged diff.\n",
    fix="Quote the value (safe fix for a number, boolean or date), give the empty key a value or "
    "remove it, or write a list as `[a, b]`.",
    fixable="safe",
)
UNKNOWN_TOOL = rule(
    "DROID103",
    "droid-unknown-tool",
    "error",
    FAMILY,
    "A droid `tools` entry that is not a Droid tool id: a Claude Code name (`Bash`, `Write`, "
    '`WebFetch`), another case (`read`), `"all"`, a category inside a list.',
    why="Droid keeps only the ids it knows and drops the rest silently; when none is left the "
    "droid runs with only `TodoWrite` and `Skill`. Droid's ids are `Read`, `LS`, `Grep`, "
    "`Glob`, `Create`, `Edit`, `ApplyPatch`, `Execute`, `WebSearch`, `FetchUrl`, `Task`, "
    "`TodoWrite`, `Skill`, `AskUser`, … and MCP tools as `<server>___<tool>`. A whole `tools` "
    "value may instead be a category: `read-only`, `edit`, `execute`, `web` or `mcp`. "
    '`"all"` is no longer supported (omit `tools` for every tool); `ExitSpecMode` and '
    "`GenerateDroid` cannot be given to a droid; `MultiEdit` still works but is replaced by "
    "`Edit`.",
    example_path=".factory/droids/reviewer.md",
    example="---\nname: fixer\ndescription: Fixes failing tests\ntools: [Read, Bash, Write]\n"
    "---\nRun the tests and fix what fails.\n",
    fix="Use Droid's id (safe fix for `Bash`→`Execute`, `Write`→`Create`, `WebFetch`→"
    "`FetchUrl`, `MultiEdit`→`Edit` and case slips), or remove the entry.",
    fixable="safe",
)
INVALID_NAME = rule(
    "DROID104",
    "droid-invalid-name",
    "warning",
    FAMILY,
    "A droid `name` with characters other than lowercase letters, digits, `-` and `_`.",
    why="Droid loads the droid under that exact name (checked with the real CLI), but its own "
    "droid validator (the /droids editor) rejects it, and the model has to repeat the name "
    "exactly to call the droid.",
    example_path=".factory/droids/reviewer.md",
    example="---\nname: Code Reviewer\ndescription: Reviews diffs\n---\nReview the diff.\n",
    fix="Use a kebab-case name (unsafe fix: the droid's name changes).",
    fixable="unsafe",
)
MISSING_NAME = rule(
    "DROID105",
    "droid-missing-name",
    "warning",
    FAMILY,
    "A droid whose frontmatter has no `name`.",
    why="Droid then names the droid after its file (checked with the real CLI), so renaming "
    "the file renames the droid; Factory's docs list `name` as required.",
    example_path=".factory/droids/reviewer.md",
    example="---\ndescription: Reviews diffs\ntools: read-only\n---\nReview the diff.\n",
    fix="Add `name:` with the file's name (safe fix).",
    fixable="safe",
)
UNKNOWN_MODEL = rule(
    "DROID106",
    "droid-unknown-model",
    "warning",
    FAMILY,
    "A droid `model` that is neither `inherit`, a built-in model id, nor a `custom:` id of a "
    "custom model in settings.",
    why="Droid silently runs the droid on the session's model (`inherit`) when its `model` is "
    "not one it can use. Custom models are looked up in the settings files Droid merges for "
    "this folder (the droid's level and ~/.factory). Built-in ids are those of Droid's model "
    "list (they change with Droid releases: check `/model` when a new one is missing here).",
    example_path=".factory/droids/reviewer.md",
    example="---\nname: reviewer\ndescription: Reviews diffs\nmodel: sonnet\n---\n"
    "Review the diff.\n",
    fix="Use a model id from `/model` (`claude-sonnet-4-6`, `custom:My-Model-0`), or `inherit`.",
)
UNKNOWN_MCP_SERVER = rule(
    "DROID107",
    "droid-unknown-mcp-server",
    "warning",
    FAMILY,
    "A droid `mcpServers` name that no mcp.json Droid reads for this folder defines.",
    why="The droid gets the tools of the MCP servers named there; a name that matches no "
    "configured server gives it none of that server's tools, without a message. The user's "
    "~/.factory/mcp.json and the project's .factory/mcp.json are checked (servers that plugins "
    "add are not known to factory-lint).",
    example_path=".factory/droids/reviewer.md",
    example="---\nname: triager\ndescription: Triage issues\nmcpServers: [githbu]\n---\n"
    "Triage the open issues.\n",
    fix="Use the server's name as written in mcp.json (`droid mcp list`).",
)
EMPTY_BODY = rule(
    "DROID108",
    "droid-empty-body",
    "warning",
    FAMILY,
    "A droid file with nothing after its frontmatter.",
    why="The body is the droid's system prompt. Droid loads a droid with an empty one (checked "
    "with the real CLI), so the subagent starts with no instructions of its own.",
    example_path=".factory/droids/reviewer.md",
    example="---\nname: reviewer\ndescription: Reviews diffs\n---\n",
    fix="Write the droid's instructions below the frontmatter.",
)
NOT_DISCOVERED = rule(
    "DROID109",
    "droid-not-discovered",
    "warning",
    FAMILY,
    "A droid file Droid never reads: in a sub-folder of `droids/`, or not named `*.md` "
    "(`.MD`, `.markdown`, `.mdx`).",
    why="Droid lists only the files directly in `<level>/.factory/droids/` whose names end in "
    "lowercase `.md` (checked with the real CLI), so this droid does not exist for it.",
    example_path=".factory/droids/review/reviewer.MD",
    example="---\nname: reviewer\ndescription: Reviews diffs\n---\nReview the diff.\n",
    fix="Move or rename the file to `.factory/droids/<name>.md`.",
)
YAML_FALLBACK = rule(
    "DROID110",
    "droid-frontmatter-not-yaml",
    "warning",
    FAMILY,
    "Droid frontmatter that is not valid YAML, read by Droid's line-by-line fallback instead.",
    why="When js-yaml rejects the frontmatter Droid reads it line by line: `tools: [Read` "
    'becomes the string `"[Read"` (checked with the real CLI), multi-line and nested values are '
    "lost. What survives is then checked as usual.",
    example_path=".factory/droids/reviewer.md",
    example="---\nname: reviewer\ndescription: Reviews diffs: style and bugs\n---\n"
    "Review the diff.\n",
    fix="Fix the YAML: quote values that contain `: ` or start with `[`, `{`, `*`, `&`, `!`, "
    "`|`, `>`, `%` or `@`.",
)

_NAME = re.compile(r"^[a-z0-9_-]+$")
#: What each field must be for Droid's droid schema.
_STRING_FIELDS = ("name", "description", "model", "reasoningEffort")
_ALL_TOOLS_ONLY = ("TodoWrite", "Skill")


@checker(kinds=("droid",))
def check_droid(context: LintContext) -> Iterator[Finding]:
    not_read = _not_discovered(context)
    if not_read is not None:
        yield not_read
        return  # what Droid would make of it matters once it is where Droid looks
    missing = missing_frontmatter(context, FRONTMATTER_IGNORED.code, _NO_FRONTMATTER)
    if missing is not None:
        yield missing
    fallback = yaml_fallback(context, YAML_FALLBACK.code, FALLBACK_LOSES)
    if fallback is not None:
        yield fallback
    parsed = frontmatter_of(context)
    yield from _wrong_types(context)
    if parsed.found and parsed.is_object:
        yield from _tools(context)
        yield from _name(context)
        yield from _model(context)
        yield from _mcp_servers(context)
    _start, body = body_of(context)
    if not js_trim(body) and (parsed.found or not context.text.strip()):
        start, end = closing_delimiter(context)
        yield Finding(
            EMPTY_BODY.code,
            "the droid has no instructions: the text after the frontmatter (its system prompt) "
            "is empty; write what the droid should do below the closing `---`",
            start,
            end,
        )


# --- where the file is ------------------------------------------------------------------------


def _not_discovered(context: LintContext) -> Finding | None:
    parts = path_parts(context)
    if not parts:
        return None
    below = _below_droids(parts)
    if below is None:
        return None
    name = parts[-1]
    reasons = []
    if len(below) > 1:
        reasons.append(f"it is in the sub-folder `{'/'.join(below[:-1])}` of `droids/`")
    if not name.endswith(".md"):
        reasons.append(f"its name `{name}` does not end in lowercase `.md`")
    if not reasons:
        return None
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return Finding(
        NOT_DISCOVERED.code,
        f"Droid never reads this droid: {' and '.join(reasons)}; Droid lists only the files "
        f"directly in `.factory/droids/` named `*.md`: move it to `.factory/droids/{stem}.md`",
        0,
        min(1, len(context.text)),
    )


def _below_droids(parts: tuple[str, ...]) -> tuple[str, ...] | None:
    for index in range(len(parts) - 2, -1, -1):
        if parts[index] == "droids":
            return parts[index + 1 :]
    return None


# --- schema -----------------------------------------------------------------------------------


def _wrong_types(context: LintContext) -> Iterator[Finding]:
    parsed = frontmatter_of(context)
    if not parsed.found:
        return
    consequence = (
        "one wrong-typed field makes Droid discard the whole frontmatter: the droid loses its "
        "name and description, gets every tool and inherits the session's model"
    )
    if parsed.root is not None:
        yield Finding(
            FRONTMATTER_DISCARDED.code,
            f"the frontmatter is {describe(parsed.root.value)}, not `key: value` pairs; "
            f"{consequence}",
            parsed.root.start,
            max(parsed.root.end, parsed.root.start + 1),
        )
        return
    for entry in parsed.entries:
        if parsed.get(entry.key) is not entry:
            continue
        value = entry.value
        if entry.key in _STRING_FIELDS and js_type(value.value) != "string":
            yield _wrong(context, entry, value, "a string", consequence)
        elif entry.key in ("tools", "mcpServers"):
            yield from _list_of_strings(context, entry, consequence)


def _list_of_strings(context: LintContext, entry: Entry, consequence: str) -> Iterator[Finding]:
    value = entry.value
    kind = js_type(value.value)
    wanted = "a list of strings" + (
        " or a comma-separated string" if entry.key == "mcpServers" else " or a string"
    )
    if kind == "string":
        return
    if kind != "array":
        yield _wrong(context, entry, value, wanted, consequence)
        return
    assert isinstance(value.value, list)
    bad = [item for item in value.items if js_type(item.value) != "string"]
    if value.items:
        for item in bad:
            yield _wrong(context, entry, item, "a string", consequence, in_list=True)
    elif any(not isinstance(item, str) for item in value.value):
        yield _wrong(context, entry, value, wanted, consequence)


def _wrong(
    context: LintContext,
    entry: Entry,
    value: Value,
    wanted: str,
    consequence: str,
    in_list: bool = False,
) -> Finding:
    where = f"an item of `{entry.key}`" if in_list else f"`{entry.key}`"
    found = describe(value.value)
    shown = context.text[value.start : value.end]
    detail = f" (`{shown}`)" if shown and "\n" not in shown and len(shown) <= 40 else ""
    edit = quote_edit(context, value)
    if value.value is None and not in_list:
        advice = f"give `{entry.key}` a value or remove the line"
        fix = None
    elif edit is not None:
        advice = f"quote it: {edit.text}"
        fix = Fix(f"Quote the value as {edit.text}", (edit,))
    else:
        advice = f"write it as {wanted}"
        fix = None
    start, end = (value.start, value.end) if value.end > value.start else entry_range(entry)
    return Finding(
        FRONTMATTER_DISCARDED.code,
        f"{where} is {found}{detail} but Droid expects {wanted}; {consequence}; {advice}",
        start,
        end,
        fix=fix,
    )


def entry_range(entry: Entry) -> tuple[int, int]:
    return entry.key_start, entry.key_end


# --- tools ------------------------------------------------------------------------------------


def _tools(context: LintContext) -> Iterator[Finding]:
    parsed = frontmatter_of(context)
    entry = parsed.get("tools")
    if entry is None:
        return
    value = entry.value
    items: list[Value]
    if isinstance(value.value, str):
        text = value.value
        if "," not in text:
            stripped = text
            if stripped == "all":
                fix = None
                edit = delete_entry_edit(context, entry)
                if edit is not None:
                    fix = Fix("Remove `tools` (every tool)", (edit,), safe=False)
                yield Finding(
                    UNKNOWN_TOOL.code,
                    "`tools: all` is no longer supported: Droid selects no tool from it, so the "
                    "droid runs with only TodoWrite and Skill; remove `tools` to give it every "
                    "tool",
                    value.start,
                    value.end,
                    fix=fix,
                )
                return
            if stripped in DROID_TOOL_CATEGORIES:
                if stripped == "mcp" and parsed.get("mcpServers") is None:
                    yield Finding(
                        UNKNOWN_TOOL.code,
                        "the category `mcp` selects no tool by itself in Droid 0.225.2: the "
                        "droid runs with only TodoWrite and Skill; name the servers in "
                        "`mcpServers` (their tools are added) or list tool ids",
                        value.start,
                        value.end,
                    )
                return
            items = [_single(value)]
        else:
            items = list(value.items) or _split_string(context, value)
    elif isinstance(value.value, list):
        items = [item for item in value.items if isinstance(item.value, str)]
    else:
        return
    known = 0
    findings: list[Finding] = []
    for item in items:
        assert isinstance(item.value, str)
        tool = js_trim(item.value)
        if not tool:
            continue
        problem = _tool_problem(context, item, tool, len(items) > 1)
        if problem is None:
            known += 1
        elif problem.severity == "warning":
            known += 1
            findings.append(problem)
        else:
            findings.append(problem)
    if findings and known == 0:
        suffix = "; no valid tool is left, so the droid runs with only TodoWrite and Skill"
        findings = [_with_suffix(f, suffix) if f.severity is None else f for f in findings]
    yield from findings


def _split_string(context: LintContext, value: Value) -> list[Value]:
    """The comma-separated ids of a string ``tools`` value, each with its span when the text
    in the file is the string itself (a plain or simply quoted one-line value)."""
    text = str(value.value)
    inner = value.start + (0 if value.plain else 1)
    if context.text[inner : inner + len(text)] != text:
        return [Value(part, value.start, value.end) for part in text.split(",")]
    return [
        Value(js_trim(part), start, start + len(js_trim(part)))
        for part, start in _comma_parts(value)
    ]


def _single(value: Value) -> Value:
    """A string ``tools`` value as its one item (the text inside the quotes)."""
    inner_start = value.start + (0 if value.plain else 1)
    return Value(value.value, inner_start, inner_start + len(str(value.value)), plain=True)


def _tool_problem(context: LintContext, item: Value, tool: str, in_list: bool) -> Finding | None:
    if tool == "MultiEdit":
        return Finding(
            UNKNOWN_TOOL.code,
            "`MultiEdit` is deprecated: Droid replaces it with `Edit`; write `Edit`",
            item.start,
            item.end,
            fix=_rename(context, item, "Edit"),
            severity="warning",
        )
    if tool in NOT_FOR_DROIDS:
        return Finding(
            UNKNOWN_TOOL.code,
            f"`{tool}` cannot be given to a droid: Droid leaves it out; remove it",
            item.start,
            item.end,
        )
    if tool in TOOL_ID_SET or MCP_TOOL_ID.match(tool):
        return None
    meant = droid_name_for(tool)
    if tool in DROID_TOOL_CATEGORIES and in_list:
        detail = (
            f"`{tool}` is a category, which Droid accepts only as the whole `tools` value "
            f"(`tools: {tool}`), not inside a list"
        )
    elif tool in CLAUDE_TOOLS:
        detail = f"`{tool}` is Claude Code's name" + (
            f"; Droid's tool is `{meant}`" if meant else " and Droid has no such tool"
        )
    elif meant is not None:
        detail = f"`{tool}` is not a Droid tool id (Droid's is `{meant}`)"
    else:
        detail = f"`{show(tool)[1:-1]}` is not a Droid tool id"
    fix = _rename(context, item, meant) if meant and meant not in NOT_FOR_DROIDS else None
    return Finding(
        UNKNOWN_TOOL.code,
        f"{detail}; Droid silently leaves unknown tools out of the droid's tool list",
        item.start,
        item.end,
        fix=fix,
    )


def _rename(context: LintContext, item: Value, new: str) -> Fix | None:
    raw = context.text[item.start : item.end]
    if not raw:
        return None
    if raw[0] in "\"'" and raw[-1:] == raw[0] and len(raw) >= 2:
        edit = Edit(item.start + 1, item.end - 1, new)
    else:
        edit = Edit(item.start, item.end, new)
    return Fix(f"Replace with `{new}`", (edit,))


def _with_suffix(finding: Finding, suffix: str) -> Finding:
    message = finding.message.replace(
        "; Droid silently leaves unknown tools out of the droid's tool list", ""
    )
    return Finding(
        finding.code,
        message + "; Droid silently leaves unknown tools out" + suffix,
        finding.start,
        finding.end,
        finding.pointer,
        finding.fix,
        finding.severity,
        finding.help,
        finding.data,
    )


# --- name -------------------------------------------------------------------------------------


def _name(context: LintContext) -> Iterator[Finding]:
    parsed = frontmatter_of(context)
    entry = parsed.get("name")
    if entry is not None and not isinstance(entry.value.value, str):
        return  # DROID102
    name = entry.value.value if entry is not None else None
    stem = file_stem(context)
    if isinstance(name, str) and name:
        if _NAME.match(name):
            return
        slug = _slug(name)
        fix = None
        if slug:
            raw = context.text[entry.value.start : entry.value.end] if entry else ""
            quoted = raw[:1] in "\"'" and raw[-1:] == raw[:1] and len(raw) >= 2
            assert entry is not None
            edit = (
                Edit(entry.value.start + 1, entry.value.end - 1, slug)
                if quoted
                else Edit(entry.value.start, entry.value.end, slug)
            )
            fix = Fix(f"Rename the droid to `{slug}`", (edit,), safe=False)
        suggestion = f" such as `{slug}`" if slug else ""
        yield Finding(
            INVALID_NAME.code,
            f"the droid name {show(name)} has characters other than lowercase letters, digits, "
            "`-` and `_`: Droid loads it under this exact name, but its droid validator (the "
            f"/droids editor) rejects it; use a name{suggestion}",
            entry.value.start if entry else 0,
            entry.value.end if entry else 0,
            fix=fix,
        )
        return
    if not parsed.found:
        return
    named = f"`{stem}`" if stem else "its file's name"
    fix = None
    if stem and _NAME.match(stem):
        at = parsed.content_start
        if entry is not None:
            fix = Fix(
                f"Set `name: {stem}`",
                (Edit(entry.value.start, entry.value.end, stem),)
                if entry.value.end > entry.value.start
                else (Edit(entry.key_end + 1, entry.key_end + 1, f" {stem}"),)
                if context.text[entry.key_end : entry.key_end + 1] == ":"
                else (),
            )
            fix = fix if fix.edits else None
        else:
            fix = Fix(f"Add `name: {stem}`", (Edit(at, at, f"name: {stem}{line_break(context)}"),))
    start, end = (entry.key_start, entry.key_end) if entry else (0, 3)
    yield Finding(
        MISSING_NAME.code,
        f"the droid has no `name`, so Droid names it after its file ({named}) and renaming the "
        "file renames the droid; add a `name`",
        start,
        end,
        fix=fix,
    )


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9_-]", "-", name.strip().lower())
    return re.sub(r"--+", "-", slug).strip("-")


# --- model and MCP servers (cross-file) ------------------------------------------------------


def _model(context: LintContext) -> Iterator[Finding]:
    from factory_lint.rules.markdown_refs import model_problem

    entry = frontmatter_of(context).get("model")
    if entry is None or not isinstance(entry.value.value, str):
        return
    problem = model_problem(context, js_trim(entry.value.value))
    if problem is None:
        return
    message, replacement = problem
    fix = _rename(context, entry.value, replacement) if replacement else None
    if fix is not None:
        fix = Fix(fix.description, fix.edits, safe=False)
    yield Finding(
        UNKNOWN_MODEL.code,
        message,
        entry.value.start,
        entry.value.end,
        fix=fix,
    )


def _mcp_servers(context: LintContext) -> Iterator[Finding]:
    from factory_lint.rules.markdown_refs import known_mcp_servers

    entry = frontmatter_of(context).get("mcpServers")
    if entry is None:
        return
    servers = known_mcp_servers(context)
    if servers is None:
        return
    value = entry.value
    items: list[Value]
    if isinstance(value.value, str):
        items = [
            Value(js_trim(part), start, start + len(js_trim(part)))
            for part, start in _comma_parts(value)
            if js_trim(part)
        ]
    elif isinstance(value.value, list):
        items = [item for item in value.items if isinstance(item.value, str)]
    else:
        return
    for item in items:
        assert isinstance(item.value, str)
        name = js_trim(item.value)
        if not name or name in servers:
            continue
        close = [s for s in servers if s.lower() == name.lower()]
        hint = f"; did you mean `{close[0]}`?" if close else ""
        where = ", ".join(f"`{s}`" for s in sorted(servers)[:8]) if servers else "none"
        yield Finding(
            UNKNOWN_MCP_SERVER.code,
            f"no mcp.json Droid reads here defines an MCP server `{show(name)[1:-1]}`, so the "
            f"droid gets no tools from it (servers defined: {where}){hint}",
            item.start,
            item.end,
            fix=_rename(context, item, close[0]) if close else None,
        )


def _comma_parts(value: Value) -> Iterator[tuple[str, int]]:
    text = str(value.value)
    offset = value.start + (0 if value.plain else 1)
    position = 0
    for part in text.split(","):
        lead = len(part) - len(part.lstrip(JS_WHITESPACE))
        yield part, offset + position + lead
        position += len(part) + 1
