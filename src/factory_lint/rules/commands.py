"""CMD1xx: custom slash commands (``<level>/{.factory,.agents,.agent}/commands/**``), as Droid
0.225.2 registers and expands them (droid-surface.md §6)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from factory_lint.context import LintContext
from factory_lint.findings import Finding
from factory_lint.frontmatter import describe, js_type
from factory_lint.rules.markdown_common import (
    body_of,
    frontmatter_of,
    missing_frontmatter,
    path_parts,
)
from factory_lint.rules.registry import checker, rule

FAMILY = "commands"

NOT_DISCOVERED = rule(
    "CMD101",
    "command-not-discovered",
    "warning",
    FAMILY,
    "A file in `commands/` that Droid never registers: its name does not end in `.md` "
    "(`.mdx`, `.txt`, …) and its first line is not a `#!` shebang.",
    why="Droid registers a file below `commands/` only when its name ends in `.md` (any case) "
    "or it starts with `#!` (an executable command); anything else is skipped without a "
    "message (checked with the real CLI: Factory's docs' own `Code Review.mdx` example is "
    "ignored).",
    example_path=".factory/commands/code-review.mdx",
    example="---\ndescription: Review the diff\n---\nReview the staged changes.\n",
    fix="Rename it to `<name>.md`, or make it a script starting with `#!`.",
)
POSITIONAL_ARGUMENTS = rule(
    "CMD102",
    "command-positional-arguments",
    "warning",
    FAMILY,
    "`$1`, `$2`, … in a Markdown command's body.",
    why="Droid replaces only `$ARGUMENTS` (with everything typed after the command) in a "
    "Markdown command; `$1` reaches the model as the two characters `$1`. Text inside code "
    "spans and fenced code blocks is not reported.",
    example_path=".factory/commands/fix-issue.md",
    example="---\ndescription: Fix a GitHub issue\n"
    "argument-hint: <issue-number>\n---\nFix issue #$1 and add a test for it.\n",
    fix="Use `$ARGUMENTS`, or a script command (`#!`) that reads its arguments.",
)
FRONTMATTER_IGNORED = rule(
    "CMD103",
    "command-frontmatter-ignored",
    "warning",
    FAMILY,
    "A Markdown command whose frontmatter Droid does not see: a byte-order mark or blank text "
    "before the opening `---`, text after it on the same line, or no closing `---`.",
    why="Droid then takes the whole file as the command's prompt, YAML included, and shows "
    "its first line (`---`) as the description in `/` suggestions.",
    example_path=".factory/commands/review.md",
    example="\ufeff---\ndescription: Review the diff\n---\nReview the staged changes.\n",
    fix="Remove what precedes `---` (safe fix), or close the frontmatter with a `---` line.",
    fixable="safe",
)
FIELD_IGNORED = rule(
    "CMD104",
    "command-field-ignored",
    "warning",
    FAMILY,
    "A command `description` or `argument-hint` that is not a string (a number, a date, a "
    "list, an empty value).",
    why="Droid uses these two keys only when they are strings; otherwise `/` shows the first "
    "line of the body as the description, and no argument hint.",
    example_path=".factory/commands/release.md",
    example="---\ndescription: 2024-06-01\n---\nDraft the release notes.\n",
    fix="Quote the value.",
)

#: ``$1``…``$9`` that is not part of a price (``$5.00``, ``$10``, ``$3k``) or ``$$1``.
_POSITIONAL = re.compile(r"(?<![$\\\w])\$([1-9])(?![0-9kKmMbB]|[.,][0-9])")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_BACKTICKS = re.compile(r"`+")


def _mask_code_spans(line: str) -> str:
    """``line`` with each code span (a run of backticks, text, the next run of as many
    backticks: CommonMark) blanked out, in linear time. (A regex with a back-reference,
    ``(`+)(?:(?!\\1).)+?\\1``, took 109 s on a line of 1,000 backticks: issue 14.)"""
    if "`" not in line:
        return line
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    cursor = dict.fromkeys(by_length, 0)  # next candidate closer in each length's list
    pieces = []
    done = 0
    index = 0
    while index < len(runs):
        start, end = runs[index]
        length = end - start
        same = by_length[length]
        position = cursor[length]
        while position < len(same) and same[position] <= index:
            position += 1
        cursor[length] = position
        if position == len(same):
            index += 1  # no closing run: the backticks are literal
            continue
        closer = same[position]
        close_end = runs[closer][1]
        pieces.append(line[done:start])
        pieces.append(" " * (close_end - start))
        done = close_end
        index = closer + 1
    pieces.append(line[done:])
    return "".join(pieces)


def _first_line(text: str) -> str:
    return re.split(r"\r?\n", text, maxsplit=1)[0]


@checker(kinds=("command",))
def check_command(context: LintContext) -> Iterator[Finding]:
    parts = path_parts(context)
    script = _first_line(context.text).startswith("#!")
    name = parts[-1] if parts else ""
    if parts and not name.lower().endswith(".md") and not script:
        yield Finding(
            NOT_DISCOVERED.code,
            f"Droid never registers `{name}`: a file in `commands/` becomes a command only when "
            "its name ends in `.md` or its first line starts with `#!`; rename it to "
            f"`{name.rsplit('.', 1)[0] if '.' in name else name}.md`",
            0,
            min(1, len(context.text)),
        )
        return
    if script:
        return
    missing = missing_frontmatter(
        context,
        FRONTMATTER_IGNORED.code,
        "Droid sends the whole file, YAML included, as the command's prompt and shows `---` as "
        "its description",
    )
    if missing is not None:
        yield missing
    parsed = frontmatter_of(context)
    for key in ("description", "argument-hint"):
        entry = parsed.get(key)
        if entry is None or js_type(entry.value.value) == "string":
            continue
        value = entry.value
        start, end = (
            (value.start, value.end)
            if value.end > value.start
            else (entry.key_start, entry.key_end)
        )
        instead = (
            "shows the body's first line as the description"
            if key == "description"
            else "shows no argument hint"
        )
        yield Finding(
            FIELD_IGNORED.code,
            f"`{key}` is {describe(value.value)}, and Droid uses it only when it is a string: "
            f"`/` {instead}; quote the value",
            start,
            end,
        )
    body_start, body = body_of(context)
    for offset, digit in _positional(body):
        yield Finding(
            POSITIONAL_ARGUMENTS.code,
            f"`${digit}` is not replaced in a Markdown command: Droid substitutes only "
            "`$ARGUMENTS` (everything typed after the command), so the model sees "
            f"`${digit}` as written; use `$ARGUMENTS`",
            body_start + offset,
            body_start + offset + 2,
        )


def _positional(body: str) -> Iterator[tuple[int, str]]:
    """``$1``…``$9`` outside fenced code blocks and code spans."""
    offset = 0
    fence: str | None = None
    for line in body.splitlines(keepends=True):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
        elif opening:
            fence = opening.group(1)
        else:
            masked = _mask_code_spans(line)
            for match in _POSITIONAL.finditer(masked):
                yield offset + match.start(), match.group(1)
        offset += len(line)
