"""What the Markdown rule families (droids, skills, commands, output styles, AGENTS.md) share:
the frontmatter of the file being linted, where it lives, and findings every family words the
same way (frontmatter Droid does not see, YAML Droid reads with its line parser)."""

from __future__ import annotations

import json
from pathlib import PurePath, PurePosixPath, PureWindowsPath

from factory_lint.context import LintContext
from factory_lint.findings import Edit, Finding, Fix
from factory_lint.frontmatter import JS_WHITESPACE, Entry, Frontmatter, Value, describe, js_type
from factory_lint.kinds import base_name_of
from factory_lint.markdown import frontmatter
from factory_lint.secrets import has_key_token, looks_like_key, redact


def frontmatter_of(context: LintContext) -> Frontmatter:
    return frontmatter(context.text)


def body_of(context: LintContext) -> tuple[int, str]:
    """Where the body starts and the body Droid uses (after the frontmatter)."""
    parsed = frontmatter_of(context)
    return parsed.body_start, context.text[parsed.body_start :]


def line_break(context: LintContext) -> str:
    """The file's line break (``\r\n`` when its first line ends so), for inserted lines."""
    first = context.text.find("\n")
    return "\r\n" if first > 0 and context.text[first - 1] == "\r" else "\n"


def closing_delimiter(context: LintContext) -> tuple[int, int]:
    """The range of the frontmatter's closing ``---`` (the file's start without one)."""
    parsed = frontmatter_of(context)
    if not parsed.found:
        return 0, min(1, len(context.text))
    start = context.text.rfind("\n---", 0, parsed.block_end) + 1
    return start, start + 3


def path_parts(context: LintContext) -> tuple[str, ...]:
    """The linted file's path split into parts (empty for stdin), chezmoi prefixes removed
    from the file name."""
    path = context.info.path
    if not path:
        return ()
    pure: PurePath = PureWindowsPath(path) if "\\" in path else PurePosixPath(path)
    parts = pure.parts
    return (*parts[:-1], base_name_of(parts[-1])) if parts else ()


def file_stem(context: LintContext, suffix: str = ".md") -> str | None:
    parts = path_parts(context)
    if not parts:
        return None
    name = parts[-1]
    return name[: -len(suffix)] if name.endswith(suffix) else name.rsplit(".", 1)[0]


def show(value: object, limit: int = 60) -> str:
    """A value as a message may show it: JSON-ish, key-shaped text redacted, long text clipped."""
    if isinstance(value, str):
        text = value if not (has_key_token(value) or looks_like_key(value)) else redact(value)
        shown = json.dumps(text, ensure_ascii=False)
    elif isinstance(value, bool):
        shown = "true" if value else "false"
    elif value is None:
        shown = "null"
    elif isinstance(value, (int, float)):
        shown = repr(value)
    else:
        shown = describe(value)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def value_text(context: LintContext, value: Value) -> str:
    return context.text[value.start : value.end]


def quote_edit(context: LintContext, value: Value) -> Edit | None:
    """Turn a plain one-line YAML scalar into a double-quoted string with the same text."""
    raw = value_text(context, value)
    if not value.plain or not raw or "\n" in raw or js_type(value.value) == "string":
        return None
    return Edit(value.start, value.end, json.dumps(raw, ensure_ascii=False))


def key_range(entry: Entry) -> tuple[int, int]:
    return entry.key_start, entry.key_end


def line_range(context: LintContext, offset: int) -> tuple[int, int]:
    """``[start, end)`` of the whole line holding ``offset``, line break included."""
    text = context.text
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end == -1 else end + 1


def delete_entry_edit(context: LintContext, entry: Entry) -> Edit | None:
    """Remove a one-line ``key: value`` entry (None when it spans lines or shares one)."""
    start, end = line_range(context, entry.key_start)
    line = context.text[start:end]
    if entry.value.end > end or context.text[start : entry.key_start].strip(JS_WHITESPACE):
        return None
    if line.count(":") < 1:
        return None
    return Edit(start, end, "")


def missing_frontmatter(context: LintContext, code: str, consequence: str) -> Finding | None:
    """A file that starts like frontmatter Droid does not recognise: a byte-order mark, blank
    text before ``---``, text after the opening ``---``, no closing ``---``."""
    parsed = frontmatter_of(context)
    text = context.text
    if parsed.found or parsed.missing is None or parsed.missing == "empty":
        return None
    if parsed.missing == "bom":
        return Finding(
            code,
            f"a byte-order mark (BOM) precedes the opening `---`, so Droid sees no frontmatter: "
            f"{consequence}; save the file as UTF-8 without a BOM",
            0,
            1,
            fix=Fix("Remove the byte-order mark", (Edit(0, 1, ""),)),
        )
    if parsed.missing == "leading-blank":
        lead = len(text) - len(text.lstrip(JS_WHITESPACE))
        return Finding(
            code,
            f"blank text precedes the opening `---`; Droid recognises frontmatter only at the "
            f"very start of the file, so it sees none: {consequence}; remove the blank text",
            0,
            max(lead, 1),
            fix=Fix("Remove the text before `---`", (Edit(0, lead, ""),)),
        )
    first_end = len(text.split("\n", 1)[0].rstrip("\r"))
    if parsed.missing == "delimiter-text":
        return Finding(
            code,
            "the opening `---` line has trailing text; Droid recognises frontmatter only when "
            f"the first line is exactly `---`, so it sees none: {consequence}; remove the "
            "trailing characters",
            3,
            first_end,
            fix=Fix("Remove the text after `---`", (Edit(3, first_end, ""),)),
        )
    return Finding(
        code,
        "the frontmatter opened by `---` is never closed by a line starting with `---`, so "
        f"Droid sees no frontmatter: {consequence}; add a `---` line after the last key",
        0,
        min(3, len(text)),
    )


def yaml_fallback(context: LintContext, code: str, lost: str) -> Finding | None:
    """Frontmatter js-yaml rejects: Droid reads it with its line parser instead."""
    parsed = frontmatter_of(context)
    if parsed.parser != "fallback" or parsed.yaml_error is None:
        return None
    at = parsed.yaml_error_at if parsed.yaml_error_at is not None else parsed.content_start
    start, end = line_range(context, at)
    line_end = end - 1 if context.text[start:end].endswith("\n") else end
    if context.text[start:line_end].endswith("\r"):
        line_end -= 1
    at_start = max(start, min(at, line_end))
    return Finding(
        code,
        f"the frontmatter is not valid YAML ({parsed.yaml_error}), so Droid reads it with its "
        f"line-by-line fallback parser: {lost}; fix the YAML (quote a value that contains "
        "`: ` or starts with a special character)",
        at_start if at_start < line_end else start,
        line_end if line_end > start else start + 1,
    )


FALLBACK_LOSES = (
    "each line is read as `key: value` on its own, so multi-line values, nested keys and "
    "`- item` lists (except under `tools` and `mcpServers`) are lost or become strings"
)
