"""AGENTS1xx: ``AGENTS.md`` and the instruction files Droid 0.225.2 loads beside it
(droid-surface.md §7): ``AGENTS.md``/``Agents.md``/``agents.md``, ``CLAUDE.md``/``Claude.md`` in
each folder from the working directory up to the git root (and their ``.factory``, ``.agents``,
``.agent`` folders), then ``~/.factory``, ``~/.agents``, ``~/.agent``."""

from __future__ import annotations

import os
from collections.abc import Iterator

from factory_lint.context import LintContext
from factory_lint.findings import Finding
from factory_lint.rules.markdown_common import path_parts
from factory_lint.rules.registry import checker, rule

FAMILY = "agents-md"

NOT_READ = rule(
    "AGENTS101",
    "agents-md-not-read",
    "info",
    FAMILY,
    "An instruction file Droid never loads: `AGENT.md` (singular), or `AGENTS.md` directly in "
    "the home folder (`~/AGENTS.md`).",
    why="Droid loads `AGENTS.md` and `CLAUDE.md` (any of their usual cases) from the working "
    "folder up to the git root and from `~/.factory`, `~/.agents`, `~/.agent`; it never reads "
    "`AGENT.md` or `~/AGENTS.md` (checked with the real CLI).",
    example_path="AGENT.md",
    example="# Conventions\n\nRun `make test` before committing.\n",
    fix="Rename `AGENT.md` to `AGENTS.md`; move `~/AGENTS.md` to `~/.factory/AGENTS.md`.",
)
SYMLINK_OUTSIDE = rule(
    "AGENTS102",
    "agents-md-symlink-outside",
    "warning",
    FAMILY,
    "An `AGENTS.md` (or `CLAUDE.md`) that is a symbolic link to a file outside its own folder.",
    why="Droid follows such a link only when the real file lies in the folder where the link "
    "is; otherwise it skips the file without a message (checked with the real CLI).",
    example_path=".agent/AGENTS.md",
    example="# Conventions\n",
    example_link="../docs/AGENTS.md",
    fix="Link the other way round (make the file real here and link to it from elsewhere), or "
    "copy it.",
)


@checker(kinds=("agents-md",))
def check_agents_md(context: LintContext) -> Iterator[Finding]:
    parts = path_parts(context)
    if not parts:
        return
    name = parts[-1]
    at_end = min(1, len(context.text))
    if name.lower() == "agent.md":
        yield Finding(
            NOT_READ.code,
            f"Droid never loads `{name}`: its instruction files are `AGENTS.md` and "
            "`CLAUDE.md`; rename it to `AGENTS.md`",
            0,
            at_end,
        )
        return
    path = context.info.path
    if path and name.lower() == "agents.md" and _in_home_root(path):
        yield Finding(
            NOT_READ.code,
            "Droid never loads `~/AGENTS.md`: your personal instructions belong in "
            "`~/.factory/AGENTS.md` (or `~/.agents/AGENTS.md`); move it there",
            0,
            at_end,
        )
    target = context.info.link_target
    if path and target:
        yield Finding(
            SYMLINK_OUTSIDE.code,
            f"`{name}` is a symbolic link to `{os.path.basename(target)}` in another folder; Droid "
            "follows such links only when the real file is in the same folder, so it skips "
            "this one; make it a real file here",
            0,
            at_end,
        )


def _in_home_root(path: str) -> bool:
    """The file lies directly in the home folder (``$HOME``; no file system access)."""
    home = os.path.abspath(os.path.expanduser("~"))
    return os.path.dirname(os.path.abspath(path)) == home
