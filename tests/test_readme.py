"""README.md's usage block names every subcommand and option the command line has."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def usage_block() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"## Usage\n\n```text\n(.*?)\n```", readme, re.S)
    assert match, "README.md has no usage block"
    return match.group(1)


def options(parser: argparse.ArgumentParser) -> set[str]:
    return {
        option
        for action in parser._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    }


def parsers() -> dict[str, argparse.ArgumentParser]:
    from factory_lint.cli import build_parser
    from factory_lint.probe.command import build_parser as probe_parser
    from factory_lint.server import build_parser as server_parser

    return {"lint": build_parser(), "probe": probe_parser(), "server": server_parser()}


@pytest.mark.parametrize("command", ["lint", "probe", "server"])
def test_every_option_is_in_the_usage_block(command: str) -> None:
    block = usage_block()
    if command != "lint":
        lines = [line for line in block.splitlines() if f"factory-lint {command}" in line]
        assert lines, f"`factory-lint {command}` is not in the usage block"
        start = block.index(lines[0])
        following = block[start:].split("\nfactory-lint ", 1)[0]
        block = following
    missing = sorted(o for o in options(parsers()[command]) if o not in block)
    assert not missing, f"README.md's usage block lacks {command} options {missing}"


def test_every_subcommand_is_in_the_usage_block() -> None:
    block = usage_block()
    for subcommand in ("rule", "rules", "probe", "server"):
        assert re.search(rf"^factory-lint {subcommand}\b", block, re.M), subcommand
