"""STYLE1xx: output styles (``<level>/.factory/output-styles/*.md``), as Droid 0.225.2 loads them
(droid-surface.md §8): the text is normalised (BOM removed, CRLF to LF, trimmed), split like
other frontmatter, and the style is dropped when its body is empty or too large."""

from __future__ import annotations

from collections.abc import Iterator

from factory_lint.context import LintContext
from factory_lint.findings import Finding
from factory_lint.frontmatter import normalise_style_text, parse_frontmatter
from factory_lint.rules.markdown_common import path_parts
from factory_lint.rules.registry import checker, rule

FAMILY = "output-styles"
#: Droid's limit for ``# Output style: <name>\n\n<body>`` in UTF-8 bytes.
MAX_PROMPT_BYTES = 8192

EMPTY_BODY = rule(
    "STYLE101",
    "output-style-empty-body",
    "error",
    FAMILY,
    "An output style with nothing after its frontmatter.",
    why='Droid drops the style ("Output style must have a non-empty Markdown body.", reported '
    "by `droid doctor`; checked with the real CLI), so selecting it does nothing.",
    example_path=".factory/output-styles/terse.md",
    example="---\nname: Terse\ndescription: Short answers\n---\n",
    fix="Write the style's instructions below the frontmatter.",
)
TOO_LARGE = rule(
    "STYLE102",
    "output-style-too-large",
    "error",
    FAMILY,
    "An output style whose prompt section is over 8,192 bytes.",
    why="Droid adds `# Output style: <name>` and the body to the system prompt and drops a "
    'style whose section exceeds 8,192 UTF-8 bytes ("Output style adds N bytes to the system '
    'prompt; maximum is 8,192", reported by `droid doctor`).',
    example_path=".factory/output-styles/verbose.md",
    example="---\nname: Verbose\n---\n"
    + "".join(
        f"{n}. Explain each step of the change in full sentences, with its reason and risk.\n"
        for n in range(1, 111)
    ),
    fix="Shorten the body below the limit the message gives.",
)
NOT_DISCOVERED = rule(
    "STYLE103",
    "output-style-not-discovered",
    "warning",
    FAMILY,
    "An output style Droid never reads: in a sub-folder of `output-styles/`, or not named "
    "`*.md` (`.MD`, `.markdown`, `.mdx`).",
    why="Droid lists only the files directly in `<level>/.factory/output-styles/` whose names "
    "end in lowercase `.md`.",
    example_path=".factory/output-styles/team/terse.MD",
    example="---\nname: Terse\n---\nAnswer in at most three sentences.\n",
    fix="Move or rename it to `.factory/output-styles/<name>.md`.",
)


@checker(kinds=("output-style",))
def check_output_style(context: LintContext) -> Iterator[Finding]:
    parts = path_parts(context)
    if parts and "output-styles" in parts:
        index = len(parts) - 1 - parts[::-1].index("output-styles")
        below = parts[index + 1 :]
        name = parts[-1]
        if len(below) > 1 or not name.endswith(".md"):
            stem = name.rsplit(".", 1)[0] if "." in name else name
            yield Finding(
                NOT_DISCOVERED.code,
                "Droid never reads this output style: it lists only the files directly in "
                "`.factory/output-styles/` named `*.md`; move it to "
                f"`.factory/output-styles/{stem}.md`",
                0,
                min(1, len(context.text)),
            )
            return
    normal, offsets = normalise_style_text(context.text)
    parsed = parse_frontmatter(normal)
    body = normal[parsed.body_start :].strip()
    if not body:
        start = offsets[min(parsed.body_start, len(offsets) - 1)] if parsed.found else 0
        close = context.text.rfind("---", 0, max(start, 1))
        at = close if parsed.found and close >= 0 else 0
        yield Finding(
            EMPTY_BODY.code,
            "the output style has no instructions (nothing after the frontmatter), so Droid "
            'drops it ("Output style must have a non-empty Markdown body."); write them below '
            "the closing `---`",
            at,
            at + 3 if parsed.found else min(1, len(context.text)),
        )
        return
    name_entry = parsed.get("name")
    style_name: str | None = None
    if name_entry is not None and isinstance(name_entry.value.value, str):
        style_name = name_entry.value.value.strip() or None
    if style_name is None:
        file_name = parts[-1] if parts else "style.md"
        style_name = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
    section = f"# Output style: {style_name}\n\n{body}"  # Droid's ``# Output style:`` section
    size = len(section.encode("utf-8", "surrogatepass"))
    if size > MAX_PROMPT_BYTES:
        body_at = offsets[min(parsed.body_start, len(offsets) - 1)]
        yield Finding(
            TOO_LARGE.code,
            f"the output style adds {size:,} bytes to the system prompt (its name line and "
            f"body); Droid drops styles over {MAX_PROMPT_BYTES:,} bytes: cut at least "
            f"{size - MAX_PROMPT_BYTES:,} bytes",
            body_at,
            min(body_at + 1, len(context.text)),
        )
