"""HOOK1xx: hooks as Droid 0.225.2 loads them (droid-surface.md §3, §10, §13).

Sources: ``hooks.json`` (the event map itself), the legacy ``hooks/hooks.json`` (read only when
its level has no ``hooks.json``) and the ``hooks`` object of ``settings.json``. One schema
failure anywhere in a source drops every hook of that source; unknown event keys are dropped
one by one; a matcher is an unanchored, case-sensitive JavaScript RegExp tested against Droid's
tool ids (``Execute``, not Claude's ``Bash``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache

from factory_lint.catalog.tools import (
    CLAUDE_MCP_TOOL,
    CLAUDE_TOOLS,
    TOOL_ID_SET,
    TOOL_IDS,
    droid_name_for,
)
from factory_lint.context import LintContext, RelatedFile
from factory_lint.findings import Edit, Finding, Fix
from factory_lint.jsonc import Member, Node, parse
from factory_lint.jsregex import compile_js
from factory_lint.rules.registry import checker, rule

#: The event keys Droid accepts (exact spelling).
EVENTS: tuple[str, ...] = (
    "PreToolUse",
    "PostToolUse",
    "Notification",
    "UserPromptSubmit",
    "Stop",
    "SubagentStop",
    "PreCompact",
    "SessionStart",
    "SessionEnd",
)
EVENT_SET = frozenset(EVENTS)
#: Events whose matcher is tested against a tool id.
TOOL_EVENTS = frozenset({"PreToolUse", "PostToolUse"})
FLAGS = frozenset({"hooksDisabled", "showHookOutput"})
#: Keys older droid versions wrote into settings.json ``hooks`` themselves.
WRITTEN_BY_DROID = frozenset({"claudeHooksImported", "importedClaudeHooks"})
#: Claude Code (and other clients') events Droid does not have.
FOREIGN_EVENTS = frozenset(
    {
        "PermissionRequest",
        "PostToolUseFailure",
        "SubagentStart",
        "TaskCompleted",
        "PreCompaction",
        "beforeSubmitPrompt",
        "beforeShellExecution",
        "afterFileEdit",
        "stop",
    }
)
_FAMILY = "hooks"
_DROPPED_FILE = "Droid rejects the whole source when any hook in it fails its schema"

WRAPPER = rule(
    "HOOK101",
    "hooks-wrapper",
    "error",
    _FAMILY,
    'A hooks.json whose events are wrapped in `{"hooks": {…}}`.',
    why="hooks.json holds the event map itself. Droid reads the wrapper as an unknown event "
    "key called `hooks`, logs `Ignoring unknown hook event keys` and runs no hook of the file. "
    "(settings.json is the file whose hooks live under `hooks`; Factory's hooks reference shows "
    "the wrapper, and generators copied it.)",
    example='// .factory/hooks.json\n{\n  "hooks": {\n    "PreToolUse": [\n      { "matcher": '
    '"Execute", "hooks": [ { "type": "command", "command": "/usr/local/bin/guard" } ] }\n    ]\n'
    "  }\n}",
    fix="Remove the wrapper so that the event names are the top-level keys (safe fix when the "
    "wrapper is the file's only key).",
    fixable="safe",
)
NOT_COMMAND = rule(
    "HOOK102",
    "hook-type-not-command",
    "error",
    _FAMILY,
    'A hook whose `type` is not `"command"` (Claude Code\'s `"prompt"` or `"agent"`).',
    why=f'Droid runs only command hooks. {_DROPPED_FILE}: one `"type": "prompt"` disables '
    'every hook of the file, its neighbours included ("Invalid hooks file, ignoring" in the '
    "log only).",
    example='// .factory/hooks.json\n{\n  "Stop": [ { "hooks": [ { "type": "prompt", "prompt": '
    '"Check the tests pass" } ] } ]\n}',
    fix='Turn the hook into a command (`"type": "command"`, `"command": "/path/to/script"`) '
    "or remove it.",
)
TIMEOUT_TYPE = rule(
    "HOOK103",
    "hook-timeout-not-number",
    "error",
    _FAMILY,
    'A hook `timeout` that is not a number (`"30"`).',
    why=f"`timeout` is a number of seconds. {_DROPPED_FILE}: a quoted timeout disables every "
    "hook of the file.",
    example='// .factory/hooks.json\n{\n  "PreToolUse": [ { "matcher": "Execute", "hooks": [ '
    '{ "type": "command", "command": "/usr/local/bin/guard", "timeout": "30" } ] } ]\n}',
    fix="Write the number without quotes (safe fix).",
    fixable="safe",
)
FLAT_ENTRY = rule(
    "HOOK104",
    "flat-hook-entry",
    "error",
    _FAMILY,
    "A hook written directly in the event's array, without a matcher group and its `hooks` array.",
    why='Each event holds matcher groups: `{ "matcher": …, "hooks": [ {"type": '
    '"command", …} ] }`. The flat form is accepted only in plugin hook files. '
    f"{_DROPPED_FILE}: one flat entry disables every hook of the file.",
    example='// .factory/hooks.json\n{\n  "PostToolUse": [ { "type": "command", "command": '
    '"/usr/local/bin/format" } ]\n}',
    fix='Wrap the hook in a group: `{ "hooks": [ <the hook> ] }` (safe fix; a group without '
    "`matcher` fires for every tool, as the flat form did in plugins).",
    fixable="safe",
)
BAD_SHAPE = rule(
    "HOOK105",
    "invalid-hooks-shape",
    "error",
    _FAMILY,
    "Any other schema failure: an event that is not an array, a group without `hooks`, a hook "
    "without `command`, a `matcher` that is not a string, a flag that is not a boolean.",
    why=f'{_DROPPED_FILE}: Droid logs "Invalid hooks file, ignoring" and runs none of the '
    "file's hooks (in settings.json: none of its `hooks`). droid doctor does not look at "
    "hooks.json at all.",
    example='// .factory/hooks.json\n{\n  "PreToolUse": [ { "matcher": "Execute", "hooks": [ '
    '{ "type": "command" } ] } ]\n}',
    fix="Give the value the type the message names.",
)
UNKNOWN_EVENT = rule(
    "HOOK106",
    "unknown-hook-event",
    "error",
    _FAMILY,
    "An event key Droid does not know (Claude Code's `PostToolUseFailure`, a wrong case such as "
    "`preToolUse`).",
    why="Droid has nine events: " + ", ".join(EVENTS) + ". Other keys are dropped with a log "
    "warning, so their hooks never run.",
    example='// .factory/hooks.json\n{\n  "preToolUse": [ { "matcher": "Execute", "hooks": [ '
    '{ "type": "command", "command": "/usr/local/bin/guard" } ] } ]\n}',
    fix="Use one of the nine names (safe fix for a wrong case when the right name is not "
    "already used).",
    fixable="safe",
)
CLAUDE_MATCHER = rule(
    "HOOK107",
    "claude-tool-matcher",
    "warning",
    _FAMILY,
    "A matcher naming a Claude Code tool (`Bash`, `Write`, `WebFetch`, `MultiEdit`, "
    "`mcp__server__tool`) or a Droid tool in the wrong case.",
    why="The matcher is tested, case-sensitively, against Droid's tool ids: `Execute`, `Create`, "
    "`FetchUrl`, `Edit`, and `<server>___<tool>` for MCP tools. `Bash` matches none of them, so "
    "the hook never fires.",
    example='// .factory/hooks.json\n{\n  "PreToolUse": [ { "matcher": "Bash", "hooks": [ '
    '{ "type": "command", "command": "/usr/local/bin/guard" } ] } ]\n}',
    fix="Use Droid's name: Bash→Execute, Write→Create, WebFetch→FetchUrl, MultiEdit→Edit, "
    "mcp__s__t→s___t (safe fix).",
    fixable="safe",
)
BAD_REGEX = rule(
    "HOOK108",
    "invalid-matcher-regex",
    "error",
    _FAMILY,
    "A `matcher` or `commandRegex` that is not a valid JavaScript regular expression (`*.ts`).",
    why="Droid compiles the matcher as a RegExp; one that does not compile never matches "
    '(the log says "[Hooks] Invalid matcher regex"), so the hook never fires.',
    example='// .factory/hooks.json\n{\n  "PostToolUse": [ { "matcher": "*.ts", "hooks": [ '
    '{ "type": "command", "command": "/usr/local/bin/format" } ] } ]\n}',
    fix="Write a valid regular expression over tool ids (`Edit|Create`); file patterns belong "
    "in the script, which gets the file path on stdin.",
)
NO_TOOL = rule(
    "HOOK109",
    "matcher-matches-no-tool",
    "warning",
    _FAMILY,
    "A tool-event matcher that matches none of Droid's tool ids and no configured MCP server's "
    "tools.",
    why="PreToolUse and PostToolUse matchers are tested against the id of the tool being "
    "called: Droid's own tools, and `<server>___<tool>` for the MCP servers of mcp.json. A "
    "matcher that can match none of them never fires.",
    example='// .factory/hooks.json\n{\n  "PreToolUse": [ { "matcher": "github___create_issue", '
    '"hooks": [ { "type": "command", "command": "/usr/local/bin/audit" } ] } ]\n}',
    fix="Name a Droid tool id, or an MCP tool as `<server>___<tool>` where `<server>` is a "
    "server of mcp.json.",
)
UNANCHORED = rule(
    "HOOK110",
    "unanchored-matcher",
    "info",
    _FAMILY,
    "A matcher meant as one tool's name that also matches other tools (`Task` also matches "
    "`TaskOutput` and `TaskStop`).",
    why="Droid tests the matcher as an unanchored regular expression, not as an exact name "
    "(Factory's docs say simple strings match exactly; the CLI does not).",
    example='// .factory/hooks.json\n{\n  "PreToolUse": [ { "matcher": "Task", "hooks": [ '
    '{ "type": "command", "command": "/usr/local/bin/log-subagents" } ] } ]\n}',
    fix="Anchor it: `^Task$` (unsafe fix: the hook stops firing for the other tools).",
    fixable="unsafe",
)
COMMAND_REGEX = rule(
    "HOOK111",
    "command-regex-never-fires",
    "warning",
    _FAMILY,
    "A group with `commandRegex` whose matcher cannot match `Execute`.",
    why="`commandRegex` filters on the command line of an `Execute` call; tools without a "
    "command never pass it, so a group whose matcher excludes `Execute` never fires.",
    example='// .factory/hooks.json\n{\n  "PreToolUse": [ { "matcher": "Edit", "commandRegex": '
    '"^git push", "hooks": [ { "type": "command", "command": "/usr/local/bin/guard" } ] } ]\n}',
    fix='Use `"matcher": "Execute"` with `commandRegex`, or drop `commandRegex`.',
)
PLUGIN_ROOT = rule(
    "HOOK112",
    "plugin-root-outside-plugin",
    "error",
    _FAMILY,
    "`$DROID_PLUGIN_ROOT` (or `$CLAUDE_PLUGIN_ROOT`) in a hook that is not a plugin's.",
    why="Droid sets the variable to a plugin's folder only for plugin hooks; elsewhere it is "
    "the literal `/PLUGIN_ROOT_NOT_EXPANDED_ERROR`, so the command fails.",
    example='// .factory/hooks.json\n{\n  "SessionStart": [ { "hooks": [ { "type": "command", '
    '"command": "${DROID_PLUGIN_ROOT}/scripts/setup.sh" } ] } ]\n}',
    fix='Use an absolute path, or `"$FACTORY_PROJECT_DIR"/…` for a script in the project.',
)
RELATIVE_COMMAND = rule(
    "HOOK113",
    "relative-hook-command",
    "info",
    _FAMILY,
    "A hook command that starts a script by a relative path.",
    why="Droid runs hook commands with `sh` in the project folder, so `./scripts/x.sh` works "
    "only while that is the folder the path is relative to (Factory's docs warn that it breaks "
    "when the working directory changes); a relative path in ~/.factory hooks is looked up in "
    "every project.",
    example='// .factory/hooks.json\n{\n  "PostToolUse": [ { "matcher": "Edit|Create", "hooks": '
    '[ { "type": "command", "command": "./scripts/format.sh" } ] } ]\n}',
    fix='Start the path with `"$FACTORY_PROJECT_DIR"/` (project hooks) or make it absolute.',
)
TOP_LEVEL_DISABLED = rule(
    "HOOK114",
    "top-level-hooks-disabled",
    "warning",
    _FAMILY,
    "`hooksDisabled` at the top level of settings.json.",
    why="Droid honours `hooksDisabled` only inside the hooks object (`hooks.hooksDisabled` in "
    "settings.json, or the root of hooks.json); at the top level, where Factory's settings docs "
    "put it, it is ignored and hooks keep running.",
    example='// .factory/settings.json\n{\n  "hooksDisabled": true\n}',
    fix="Move it into `hooks` (safe fix when `hooks` is an object without `hooksDisabled`, or "
    "absent).",
    fixable="safe",
)
SHADOWED = rule(
    "HOOK115",
    "event-shadowed-by-hooks-json",
    "info",
    _FAMILY,
    "An event in settings.json `hooks` that the hooks.json of the same folder also sets.",
    why="Within one folder level Droid takes each event from hooks.json when hooks.json has it: "
    "that event's array in settings.json does not run (other events of settings.json still do; "
    "levels are concatenated).",
    example='// .factory/settings.json (hooks.json beside it also has "PreToolUse")\n{\n  '
    '"hooks": { "PreToolUse": [ { "matcher": "Execute", "hooks": [ { "type": "command", '
    '"command": "/usr/local/bin/guard" } ] } ] }\n}',
    example_with=(
        (
            ".factory/hooks.json",
            '{\n  "PreToolUse": [ { "matcher": "Execute", "hooks": [ { "type": "command", '
            '"command": "/usr/local/bin/audit" } ] } ]\n}',
        ),
    ),
    fix="Keep each event in one of the two files.",
)
LEGACY_SHADOWED = rule(
    "HOOK116",
    "legacy-hooks-file-ignored",
    "warning",
    _FAMILY,
    "A legacy `hooks/hooks.json` in a folder that also has `hooks.json`.",
    why="Droid reads `<folder>/.factory/hooks/hooks.json` only when the folder has no "
    "`hooks.json`; with both, none of the legacy file's hooks run.",
    example='// .factory/hooks/hooks.json (and .factory/hooks.json exists)\n{\n  "Stop": [ { '
    '"hooks": [ { "type": "command", "command": "/usr/local/bin/notify" } ] } ]\n}',
    example_with=(
        (
            ".factory/hooks.json",
            '{\n  "Stop": [ { "hooks": [ { "type": "command", "command": "/usr/local/bin/log" } ] '
            "} ]\n}",
        ),
    ),
    fix="Move its events into `hooks.json` and delete it.",
)

UNKNOWN_FIELD = rule(
    "HOOK117",
    "unknown-hook-field",
    "warning",
    _FAMILY,
    "A key a matcher group or a hook does not have (Claude Code's `statusMessage`, `async`, "
    "`once`; a misspelt `matchers`).",
    why="Droid reads `matcher`, `commandRegex` and `hooks` in a group and `type`, `command`, "
    "`timeout` and `preserveRiskLevel` in a hook; other keys are dropped, so what they ask for "
    "does not happen.",
    example='// .factory/hooks.json\n{\n  "PostToolUse": [ { "matcher": "Edit", "hooks": [ '
    '{ "type": "command", "command": "/usr/local/bin/fmt", "statusMessage": "Formatting…" } ] '
    "} ]\n}",
    fix="Remove the key, or use the Droid field the message suggests.",
)

GROUP_FIELDS = ("matcher", "commandRegex", "hooks")
HOOK_FIELDS = ("type", "command", "timeout", "preserveRiskLevel")

_PLUGIN_ROOT = re.compile(r"\$\{?(?:DROID|CLAUDE)_PLUGIN_ROOT\b\}?")
_SIMPLE_ALTERNATION = re.compile(r"^\^?[A-Za-z0-9_\-]+\$?(?:\|\^?[A-Za-z0-9_\-]+\$?)*$")
_PLAIN_NAME = re.compile(r"^[A-Za-z0-9_\-]+$")
_INTERPRETERS = frozenset(
    {"sh", "bash", "zsh", "python", "python3", "node", "bun", "deno", "ruby", "perl", "uv"}
)


class HookSource:
    """One hooks object as Droid loads it: the node, how the messages name it, and whether
    the file is a hooks.json (or the ``hooks`` of settings.json)."""

    __slots__ = ("label", "node", "total")

    def __init__(self, node: Node, label: str) -> None:
        self.node = node
        self.label = label
        self.total = count_hooks(node)


def count_hooks(node: Node) -> int:
    """The hook commands of a hooks object (flat entries count as one each)."""
    total = 0
    for member in node.members:
        if member.key not in EVENT_SET or member.value is None:
            continue
        for group in member.value.items:
            hooks = group.value_of("hooks") if group.type == "object" else None
            if hooks is not None and hooks.type == "array":
                total += len(hooks.items)
            elif group.type == "object" and group.value_of("command") is not None:
                total += 1
    return total


def _sources(context: LintContext) -> list[HookSource]:
    root = context.root
    if root is None or root.type != "object":
        return []
    if context.kind == "hooks":
        wrapped = root.value_of("hooks")
        if wrapped is not None and wrapped.type == "object" and not _has_events(root):
            return [HookSource(wrapped, "this file (once unwrapped)")]
        return [HookSource(root, "this file")]
    node = root.value_of("hooks")
    if node is not None and node.type == "object":
        return [HookSource(node, "this file's `hooks`")]
    return []


def _has_events(node: Node) -> bool:
    return any(member.key in EVENT_SET for member in node.members)


@checker(kinds=("hooks",))
def check_hooks_file(context: LintContext) -> Iterator[Finding]:
    root = context.root
    if root is None:
        return
    if root.type != "object":
        if root.type != "invalid":
            yield Finding(
                BAD_SHAPE.code,
                f"the file's top-level value is {_describe(root)}; Droid expects an object of "
                "events and rejects the file: no hook in it runs",
                root.start,
                min(root.end, root.start + 1),
                root.pointer,
            )
        return
    yield from _wrapper(context, root)
    yield from _legacy_shadowed(context)
    for source in _sources(context):
        yield from _check_source(context, source)


@checker(kinds=("settings",))
def check_settings_hooks(context: LintContext) -> Iterator[Finding]:
    root = context.root
    if root is None or root.type != "object":
        return
    yield from _top_level_disabled(context, root)
    for source in _sources(context):
        yield from _check_source(context, source)
        yield from _shadowed(context, source)


# --- HOOK101 ----------------------------------------------------------------------------------


def _wrapper(context: LintContext, root: Node) -> Iterator[Finding]:
    member = _member(root, "hooks")
    if member is None or member.value is None or _has_events(root):
        return
    inner = member.value
    total = count_hooks(inner) if inner.type == "object" else 0
    hooks = f"no hook of this file ({total} inside)"
    fix = None
    if (
        inner.type == "object"
        and len(root.members) == 1
        and not _comments_between(context, root.start, inner.start, inner.end, root.end)
    ):
        fix = Fix("Unwrap: make the events the top-level keys", _unwrap_edits(context, member))
    yield Finding(
        WRAPPER.code,
        'this hooks.json wraps its events in `"hooks"`; Droid reads hooks.json as the event '
        f"map itself, takes `hooks` for an unknown event and runs {hooks}. Expected the "
        "event names (PreToolUse, …) at the top level: remove the wrapper",
        member.key_start,
        member.key_end,
        inner.pointer,
        fix,
    )


def _comments_between(context: LintContext, a: int, b: int, c: int, d: int) -> bool:
    return any(a <= x.start < b or c <= x.start < d for x in context.document.comments)


def _unwrap_edits(context: LintContext, member: Member) -> tuple[Edit, ...]:
    """Deletions only (the file's own text is never re-emitted, so a fix can carry no
    credential): the wrapper's key and braces, and one level of indentation inside."""
    inner = member.value
    assert inner is not None
    text = context.text
    start = inner.start + 1
    while start < inner.end - 1 and text[start] in " \t\r\n":
        start += 1
    stop = inner.end - 1
    while stop > start and text[stop - 1] in " \t\r\n":
        stop -= 1
    line_start = text.rfind("\n", 0, member.key_start) + 1
    outer = member.key_start - line_start
    first_line = text.rfind("\n", 0, start) + 1
    cut = start - first_line - outer if first_line > inner.start else 0
    edits = [Edit(member.key_start, start, "")]
    if cut > 0:
        index = text.find("\n", start, stop)
        while index >= 0:
            begin = index + 1
            if (
                text[begin : begin + cut].strip(" \t") == ""
                and "\n" not in text[begin : begin + cut]
            ):
                edits.append(Edit(begin, begin + cut, ""))
            index = text.find("\n", begin, stop)
    edits.append(Edit(stop, inner.end, ""))
    return tuple(edits)


# --- schema failures (HOOK102-HOOK105) and events (HOOK106) --------------------------------------


def _check_source(context: LintContext, source: HookSource) -> Iterator[Finding]:
    drops = _consequence(context, source)
    used = {member.key for member in source.node.members}
    for member in source.node.members:
        key, value = member.key, member.value
        if value is None:
            continue
        if key in FLAGS:
            if value.type != "boolean":
                yield _shape(
                    value, f"`{key}` must be true or false, found {_describe(value)}", drops
                )
            continue
        if key in EVENT_SET:
            yield from _check_event(context, source, member, value, drops)
            continue
        if key in WRITTEN_BY_DROID or (key == "hooks" and context.kind == "hooks"):
            continue
        if value.type != "array" and key.lower() not in {e.lower() for e in EVENTS}:
            yield Finding(
                UNKNOWN_EVENT.code,
                f"`{_clip(key)}` is not a hook event or setting; Droid drops it with a log "
                "warning (a `// …` comment can hold a note: hooks files accept JSONC comments)",
                member.key_start,
                member.key_end,
                value.pointer,
                severity="info",
            )
            continue
        yield _unknown_event(member, used)


def _consequence(context: LintContext, source: HookSource) -> str:
    if source.label.endswith("(once unwrapped)"):
        return (
            "once the wrapper is removed, Droid would reject the whole file for it (one "
            "failing hook disables every hook of the file)"
        )
    count = source.total
    where = "in it" if context.kind == "settings" else "in this file"
    if count == 0:
        what = f"no hook {where} runs"
    elif count == 1:
        what = f"the only hook {where} is disabled"
    else:
        what = f"all {count} hooks {where} are disabled"
    if context.kind == "settings":
        return (
            f"Droid rejects the whole `hooks` object of this file for it: {what} (droid doctor "
            "reports it)"
        )
    return (
        f'Droid rejects the whole file for it: {what} (only the log says "Invalid hooks file, '
        'ignoring")'
    )


def _shape(node: Node, problem: str, drops: str, code: str = BAD_SHAPE.code) -> Finding:
    return Finding(code, f"{problem}; {drops}", node.start, _short_end(node), node.pointer)


def _check_event(
    context: LintContext, source: HookSource, member: Member, value: Node, drops: str
) -> Iterator[Finding]:
    event = member.key
    if value.type != "array":
        yield _shape(
            value, f"`{event}` must be an array of matcher groups, found {_describe(value)}", drops
        )
        return
    for group in value.items:
        if group.type != "object":
            yield _shape(
                group, f"a `{event}` entry must be an object, found {_describe(group)}", drops
            )
            continue
        hooks = group.value_of("hooks")
        if hooks is None:
            if group.value_of("type") is not None or group.value_of("command") is not None:
                yield _flat(context, group, event, drops)
                flat_command = group.value_of("command")
                if flat_command is not None:
                    yield from _check_command(flat_command)
            else:
                yield _shape(group, f"this `{event}` group has no `hooks` array", drops)
        elif hooks.type != "array":
            yield _shape(
                hooks, f"`hooks` must be an array of hooks, found {_describe(hooks)}", drops
            )
        else:
            for hook in hooks.items:
                yield from _check_hook(hook, drops)
        yield from _unknown_fields(group, GROUP_FIELDS, "a matcher group")
        for key in ("matcher", "commandRegex"):
            node = group.value_of(key)
            if node is not None and node.type != "string":
                yield _shape(node, f"`{key}` must be a string, found {_describe(node)}", drops)
        if event in TOOL_EVENTS:
            yield from _check_matcher(context, group)


def _check_hook(hook: Node, drops: str) -> Iterator[Finding]:
    if hook.type != "object":
        yield _shape(hook, f"a hook must be an object, found {_describe(hook)}", drops)
        return
    kind = hook.value_of("type")
    if kind is None or kind.value == "command":
        yield from _unknown_fields(hook, HOOK_FIELDS, "a hook")  # else HOOK102 says it all
    if kind is None:
        yield _shape(hook, 'this hook has no `type` (expected "command")', drops)
    elif kind.value != "command":
        shown = json.dumps(kind.value) if isinstance(kind.value, str) else _describe(kind)
        yield _shape(
            kind,
            f"hook type {_clip(shown)} is not supported: Droid runs only "
            '`"type": "command"` hooks (prompt and agent hooks are Claude Code\'s)',
            drops,
            NOT_COMMAND.code,
        )
    command = hook.value_of("command")
    if command is None:
        if kind is None or kind.value == "command":
            yield _shape(hook, "this hook has no `command`", drops)
    elif command.type != "string":
        yield _shape(command, f"`command` must be a string, found {_describe(command)}", drops)
    else:
        yield from _check_command(command)
    timeout = hook.value_of("timeout")
    if timeout is not None and timeout.type != "number":
        fix = None
        if isinstance(timeout.value, str) and re.fullmatch(r"\d{1,9}", timeout.value.strip()):
            number = str(int(timeout.value.strip()))
            fix = Fix(
                f"Write the timeout as the number {number}",
                (Edit(timeout.start, timeout.end, number),),
            )
        finding = _shape(
            timeout,
            f"`timeout` must be a number of seconds, found {_describe(timeout)}",
            drops,
            TIMEOUT_TYPE.code,
        )
        yield _with_fix(finding, fix)
    risk = hook.value_of("preserveRiskLevel")
    if risk is not None and risk.type != "boolean":
        yield _shape(
            risk, f"`preserveRiskLevel` must be true or false, found {_describe(risk)}", drops
        )


def _unknown_fields(node: Node, known: tuple[str, ...], what: str) -> Iterator[Finding]:
    if node.value_of("hooks") is None and what == "a matcher group":
        return  # a flat entry: HOOK104 says what it is
    for member in node.members:
        if member.key in known:
            continue
        from factory_lint.rules.structure import suggest_key

        near = suggest_key(member.key, list(known))
        hint = f"; did you mean `{near}`?" if near else f" (it has {', '.join(known)})"
        yield Finding(
            UNKNOWN_FIELD.code,
            f"`{_clip(member.key)}` is not a field of {what} in Droid: Droid drops it{hint}",
            member.key_start,
            member.key_end,
            member.value.pointer if member.value is not None else node.pointer,
        )


def _flat(context: LintContext, group: Node, event: str, drops: str) -> Finding:
    fix = None
    if group.value_of("matcher") is None and group.value_of("commandRegex") is None:
        fix = Fix(
            'Wrap the hook in a group: { "hooks": [ … ] }',
            (
                Edit(group.start, group.start, '{ "hooks": [ '),
                Edit(group.end, group.end, " ] }"),
            ),
        )
    problem = (
        f"this `{event}` entry is a hook written without its group: Droid expects "
        '`{ "matcher": …, "hooks": [ { "type": "command", … } ] }` (the flat form works only in '
        "plugin hook files)"
    )
    return _with_fix(_shape(group, problem, drops, FLAT_ENTRY.code), fix)


def _unknown_event(member: Member, used: set[str]) -> Finding:
    key = member.key
    lowered = {event.lower(): event for event in EVENTS}
    fix = None
    if key.lower() in lowered:
        right = lowered[key.lower()]
        hint = f"did you mean `{right}`? Event names are case-sensitive."
        if right not in used:
            fix = Fix(
                f"Rename to {right}", (Edit(member.key_start, member.key_end, json.dumps(right)),)
            )
    elif key in FOREIGN_EVENTS:
        hint = "it is another tool's event (Claude Code, Cursor), not Droid's."
    else:
        from factory_lint.rules.structure import suggest_key

        near = suggest_key(key, list(EVENTS))
        hint = f"did you mean `{near}`?" if near else "expected one of " + ", ".join(EVENTS) + "."
    return Finding(
        UNKNOWN_EVENT.code,
        f"`{_clip(key)}` is not a Droid hook event: {hint} Droid drops this key with a log "
        "warning and its hooks never run",
        member.key_start,
        member.key_end,
        member.value.pointer if member.value is not None else "",
        fix,
    )


# --- matchers (HOOK107-HOOK111) and commands (HOOK112, HOOK113) ---------------------------------


def _check_matcher(context: LintContext, group: Node) -> Iterator[Finding]:
    node = group.value_of("matcher")
    command_regex = group.value_of("commandRegex")
    if (
        command_regex is not None
        and isinstance(command_regex.value, str)
        and isinstance(compile_js(command_regex.value), str)
    ):
        yield _bad_regex(command_regex, "commandRegex", "the command line")
    if node is None or not isinstance(node.value, str):
        return
    matcher = node.value
    if matcher in ("", "*"):
        return
    compiled = compile_js(matcher)
    if isinstance(compiled, str):
        yield _bad_regex(node, "matcher", "tool ids")
        return
    claude = _claude_finding(node, matcher)
    if claude is not None:
        yield claude
        return
    builtin = [tool for tool in TOOL_IDS if compiled.search(tool)]
    if builtin:
        if _PLAIN_NAME.match(matcher) and matcher in TOOL_ID_SET and len(builtin) > 1:
            others = ", ".join(f"`{t}`" for t in builtin if t != matcher)
            yield Finding(
                UNANCHORED.code,
                f"matcher `{matcher}` is an unanchored regular expression: it also fires for "
                f"{others}. To match `{matcher}` alone, anchor it: `^{matcher}$`",
                node.start,
                node.end,
                node.pointer,
                Fix(
                    f"Anchor the matcher: ^{matcher}$",
                    (Edit(node.start, node.end, json.dumps(f"^{matcher}$")),),
                    safe=False,
                ),
            )
    else:
        found = _no_tool(context, node, matcher, compiled)
        if found is not None:
            yield found
    if command_regex is not None and not compiled.search("Execute"):
        yield Finding(
            COMMAND_REGEX.code,
            f"this group has `commandRegex` but its matcher `{_clip(matcher)}` cannot match "
            "`Execute`, the only tool with a command line: the group never fires. Expected "
            '`"matcher": "Execute"`',
            command_regex.start,
            command_regex.end,
            command_regex.pointer,
        )


def _bad_regex(node: Node, key: str, against: str) -> Finding:
    return Finding(
        BAD_REGEX.code,
        f"`{key}` {_clip(json.dumps(node.value))} is not a valid regular expression: Droid "
        f"tests it as a JavaScript RegExp against {against}, and one that does not compile "
        "never matches, so this hook never fires. Expected a pattern such as `Edit|Create`",
        node.start,
        node.end,
        node.pointer,
    )


def _claude_finding(node: Node, matcher: str) -> Finding | None:
    parts = matcher.split("|")
    if not all(_SIMPLE_ALTERNATION.match(p) or CLAUDE_MCP_TOOL.match(p) for p in parts):
        return None
    renamed: list[str] = []
    wrong: list[tuple[str, str | None]] = []
    for part in parts:
        head = "^" if part.startswith("^") else ""
        tail = "$" if part.endswith("$") and len(part) > len(head) else ""
        name = part[len(head) : len(part) - len(tail)]
        if name in TOOL_ID_SET or "___" in name:
            renamed.append(part)
            continue
        droid = droid_name_for(name)
        if droid is None and name not in CLAUDE_TOOLS:
            renamed.append(part)
            continue
        wrong.append((name, droid))
        if droid is not None:
            renamed.append(head + droid + tail)
    if not wrong:
        return None
    described = "; ".join(
        f"`{name}` is "
        + (f"Droid's `{droid}`" if droid else "a Claude Code tool Droid does not have")
        for name, droid in wrong
    )
    fix = None
    unique = list(dict.fromkeys(renamed))
    if unique and all(droid is not None for _, droid in wrong):
        new = "|".join(unique)
        fix = Fix(f"Use Droid's tool names: {new}", (Edit(node.start, node.end, json.dumps(new)),))
    never = "this part never matches" if len(parts) > 1 else "this hook never fires"
    return Finding(
        CLAUDE_MATCHER.code,
        f"matcher `{_clip(matcher)}` names tools Droid does not call that way ({described}): "
        f"the matcher is tested case-sensitively against Droid's tool ids, so {never}",
        node.start,
        node.end,
        node.pointer,
        fix,
    )


def _no_tool(
    context: LintContext, node: Node, matcher: str, compiled: re.Pattern[str]
) -> Finding | None:
    servers, looked = mcp_servers_in_view(context)
    if "___" in matcher:
        head = matcher.split("___", 1)[0].lstrip("^")
        if not _PLAIN_NAME.match(head) or looked is None:
            return None
        if head in servers:
            return None
        where = " or ".join(looked) if looked else "no mcp.json beside it or in ~/.factory"
        known = ", ".join(f"`{s}`" for s in sorted(servers)) or "none"
        return Finding(
            NO_TOOL.code,
            f"matcher `{_clip(matcher)}` names tools of an MCP server `{_clip(head)}` that is "
            f"not configured here (looked in {where}; servers found: {known}), so the hook never "
            "fires unless a plugin or another folder level adds it. Expected "
            "`<server>___<tool>` with a configured server",
            node.start,
            node.end,
            node.pointer,
        )
    if servers or looked is None:
        return None  # it may match an MCP tool's name (tool names are not known offline)
    return Finding(
        NO_TOOL.code,
        f"matcher `{_clip(matcher)}` matches none of Droid's tool ids ({', '.join(TOOL_IDS[:10])}"
        ", …) and no MCP server is configured in this folder's mcp.json or ~/.factory/mcp.json: "
        "the hook never fires. Expected a tool id such as `Execute` or `Edit|Create`",
        node.start,
        node.end,
        node.pointer,
    )


def mcp_servers_in_view(context: LintContext) -> tuple[set[str], list[str] | None]:
    """The MCP server names of the mcp.json files beside this file and in ~/.factory, and the
    files looked in; None for the files when this file's place is unknown (stdin, a file
    outside a Droid folder): then nothing can be said about servers."""
    if (context.info.scope == "unknown" and not context.info.related) or (
        context.info.scope == "user"
    ):
        # stdin, or a file outside a Droid folder; or ~/.factory, whose hooks run in every
        # project, with servers that project's mcp.json may add: nothing can be said.
        return set(), None
    servers: set[str] = set()
    looked: list[str] = []
    for related in context.info.related:
        if related.name != "mcp.json":
            continue
        looked.append(related.path)
        servers |= _server_names(related.text)
    if context.kind == "mcp" and context.root is not None:
        own = context.root.value_of("mcpServers")
        if own is not None:
            servers |= {m.key for m in own.members}
    return servers, looked


@lru_cache(maxsize=32)
def _server_names(text: str) -> frozenset[str]:
    root = parse(text).root
    if root is None or root.type != "object":
        return frozenset()
    servers = root.value_of("mcpServers")
    if servers is None or servers.type != "object":
        return frozenset()
    return frozenset(m.key for m in servers.members)


def _check_command(node: Node) -> Iterator[Finding]:
    command = node.value
    if not isinstance(command, str):
        return
    plugin = _PLUGIN_ROOT.search(command)
    if plugin is not None:
        yield Finding(
            PLUGIN_ROOT.code,
            f"`{plugin.group()}` is set only for a plugin's hooks; here Droid sets it to the "
            "literal /PLUGIN_ROOT_NOT_EXPANDED_ERROR, so the command fails. Expected an "
            'absolute path, or "$FACTORY_PROJECT_DIR"/… for a script in the project',
            node.start,
            node.end,
            node.pointer,
        )
        return
    path = _relative_script(command)
    if path is not None:
        yield Finding(
            RELATIVE_COMMAND.code,
            f"`{_clip(path)}` is a relative path: Droid runs hooks in the project folder, so it "
            "works only from there (in ~/.factory hooks, it is looked up in every project). "
            f'Expected "$FACTORY_PROJECT_DIR"/{_clip(path.removeprefix("./"))} or an absolute '
            "path",
            node.start,
            node.end,
            node.pointer,
        )


def _relative_script(command: str) -> str | None:
    import shlex

    try:
        words = shlex.split(command, posix=True)
    except ValueError:
        return None
    if not words:
        return None
    candidates = [words[0]]
    if words[0] in _INTERPRETERS and len(words) > 1:
        candidates.append(words[1])
    for word in candidates:
        if (
            "/" in word
            and not word.startswith(("/", "~", "$", "-", "%", "\\"))
            and "://" not in word
            and not re.match(r"^[A-Za-z]:[\\/]", word)  # a Windows drive: C:/…
        ):
            return word
    return None


# --- HOOK114-HOOK116: where hooks live -----------------------------------------------------------


def _top_level_disabled(context: LintContext, root: Node) -> Iterator[Finding]:
    member = _member(root, "hooksDisabled")
    if member is None or member.value is None:
        return
    value = member.value
    hooks = root.value_of("hooks")
    fix = None
    text = context.text[value.start : value.end]
    movable = hooks is None or (hooks.type == "object" and hooks.value_of("hooksDisabled") is None)
    if value.type == "boolean" and movable:  # copying a broken value would break the file
        fix = _move_into_hooks(context, root, member, hooks, text)
    yield Finding(
        TOP_LEVEL_DISABLED.code,
        f"`hooksDisabled: {_clip(text)}` at the top level is ignored by Droid: hooks keep "
        "running. It works only inside the hooks object: move it into `hooks` "
        f'(`"hooks": {{ "hooksDisabled": {_clip(text)} }}`)',
        member.key_start,
        value.end,
        value.pointer,
        fix,
    )


def _move_into_hooks(
    context: LintContext, root: Node, member: Member, hooks: Node | None, value_text: str
) -> Fix | None:
    if member.value is None:
        return None
    start, end = _member_span(context, root, member)
    if start is None or end is None:
        return None
    if hooks is None:
        return Fix(
            "Move hooksDisabled into hooks",
            (
                Edit(
                    member.key_start,
                    member.value.end,
                    f'"hooks": {{ "hooksDisabled": {value_text} }}',
                ),
            ),
        )
    inside = hooks.start + 1
    separator = ", " if hooks.members else " "
    insert = f' "hooksDisabled": {value_text}{separator.rstrip() if not hooks.members else ","}'
    edits = sorted([Edit(start, end, ""), Edit(inside, inside, insert)], key=lambda e: e.start)
    return Fix("Move hooksDisabled into hooks", tuple(edits))


def _member_span(context: LintContext, root: Node, member: Member) -> tuple[int | None, int | None]:
    """The text to delete to remove ``member`` from ``root`` with its comma."""
    index = root.members.index(member)
    text = context.text
    value = member.value
    if value is None:
        return None, None
    if index + 1 < len(root.members):
        following = root.members[index + 1]
        return member.key_start, following.key_start
    if index > 0:
        previous = root.members[index - 1].value
        if previous is None:
            return None, None
        comma = text.find(",", previous.end, member.key_start)
        return (comma if comma >= 0 else previous.end), value.end
    return member.key_start, value.end


def _shadowed(context: LintContext, source: HookSource) -> Iterator[Finding]:
    hooks_file = next(
        (r for r in context.info.related if r.level == "folder" and r.name == "hooks.json"),
        None,
    ) or next(
        (r for r in context.info.related if r.level == "folder" and r.name == "hooks/hooks.json"),
        None,
    )
    if hooks_file is None:
        return
    events = loaded_events(hooks_file)
    for member in source.node.members:
        if member.key in events:
            yield Finding(
                SHADOWED.code,
                f"`{member.key}` is also set in {hooks_file.path}, which Droid takes instead for "
                f"this event: the `{member.key}` hooks here do not run (the other events here "
                "still do). Keep each event in one file",
                member.key_start,
                member.key_end,
                member.value.pointer if member.value is not None else "",
            )


def loaded_events(related: RelatedFile) -> frozenset[str]:
    """The events a hooks.json contributes: none when Droid rejects the file."""
    return _loaded_events(related.text)


@lru_cache(maxsize=32)
def _loaded_events(text: str) -> frozenset[str]:
    from factory_lint.context import FileInfo
    from factory_lint.engine import lint_text

    document = parse(text)
    root = document.root
    if document.problems and any(p.kind != "duplicate-key" for p in document.problems):
        return frozenset()
    if root is None or root.type != "object":
        return frozenset()
    found = lint_text(text, "hooks", FileInfo(), document=document).findings
    fatal = {NOT_COMMAND.code, TIMEOUT_TYPE.code, FLAT_ENTRY.code, BAD_SHAPE.code}
    if any(f.code in fatal for f in found):
        return frozenset()
    return frozenset(m.key for m in root.members if m.key in EVENT_SET)


def _legacy_shadowed(context: LintContext) -> Iterator[Finding]:
    # A hooks.json never has a neighbour of that name (the listing leaves the file itself
    # out): one that does is the legacy hooks/hooks.json of that folder.
    main = next(
        (r for r in context.info.related if r.level == "folder" and r.name == "hooks.json"), None
    )
    if main is None or context.root is None:
        return
    yield Finding(
        LEGACY_SHADOWED.code,
        f"Droid reads this legacy hooks/hooks.json only when its folder has no hooks.json, "
        f"and {main.path} exists: none of the hooks here run. Move them into hooks.json",
        context.root.start,
        context.root.start + 1,
    )


# --- helpers ------------------------------------------------------------------------------------


def _member(node: Node, key: str) -> Member | None:
    found = None
    for member in node.members:
        if member.key == key:
            found = member
    return found


def _with_fix(finding: Finding, fix: Fix | None) -> Finding:
    if fix is None:
        return finding
    return Finding(finding.code, finding.message, finding.start, finding.end, finding.pointer, fix)


def _short_end(node: Node) -> int:
    """Objects and arrays are marked at their opening bracket (a whole group is too long)."""
    return node.start + 1 if node.type in ("object", "array") else node.end


def _describe(node: Node) -> str:
    if node.type == "string":
        return f"the string {_clip(json.dumps(node.value))}"
    if node.type in ("object", "array"):
        return "an object" if node.type == "object" else "an array"
    if node.type == "invalid":
        return "an invalid value"
    return f"{node.type} {_clip(json.dumps(node.value))}"


def _clip(text: str, limit: int = 60) -> str:
    from factory_lint.rules.mcp import clip_safe

    return clip_safe(text, limit)
