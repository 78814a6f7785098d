"""``factory-lint server``: the language server (LSP over stdio).

pygls is imported only here, never on the command-line lint path.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factory-lint server",
        description="Run the factory-lint language server over stdio (the LSP transport every "
        "editor uses). See docs/server.md for its settings.",
    )
    parser.add_argument(
        "--stdio", action="store_true", help="talk LSP over stdin/stdout (the default)"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="check that the server can start (the `server` extra is installed), print one "
        "line and exit: 0 when it can, 2 when it cannot",
    )
    parser.add_argument(
        "--log-level",
        default="info",
        choices=("debug", "info", "warning", "error"),
        help="how much to log to stderr (never secrets; default: info)",
    )
    return parser


def serve(args: Sequence[str]) -> int:
    """Start the server; returns the exit status when the client disconnects."""
    options = build_parser().parse_args(list(args))
    try:
        from factory_lint.server.app import Server
        from factory_lint.server.log import configure
    except ImportError as error:
        import sys

        print(missing_extra_message((error.name or "pygls").split(".")[0]), file=sys.stderr)
        return 2
    if options.check:
        from importlib.metadata import version

        from factory_lint import __version__

        print(
            f"factory-lint server {__version__}: ready (pygls {version('pygls')}, "
            f"lsprotocol {version('lsprotocol')})"
        )
        return 0
    server = Server()
    configure(options.log_level, server.secrets)
    return server.ls.run_stdio()


#: The server extra's requirements, should the installed metadata not say.
_SERVER_REQUIREMENTS = ("pygls>=2.1,<3", "lsprotocol>=2025.0.0")


def missing_extra_message(missing: str) -> str:
    """One line saying that the ``server`` extra is missing, with the command that installs it
    into the environment factory-lint runs in (pipx's, or this Python's)."""
    import os
    import shlex
    import sys

    requirements = _server_requirements()
    quoted = " ".join(shlex.quote(r) for r in requirements)
    if os.path.exists(os.path.join(sys.prefix, "pipx_metadata.json")):  # a pipx venv
        command = f"pipx inject factory-lint {quoted}"
    else:
        command = f"{shlex.quote(sys.executable)} -m pip install {quoted}"
    return (
        f"factory-lint server: the language server needs the `server` extra ({missing} is "
        f"missing); install it with: {command}"
    )


def _server_requirements() -> tuple[str, ...]:
    """The requirements of the ``server`` extra, from the installed package's metadata."""
    import re

    try:
        from importlib.metadata import requires

        found = tuple(
            re.sub(r"\s+", "", requirement.split(";")[0])
            for requirement in requires("factory-lint") or ()
            if re.search(r"""extra\s*==\s*["']server["']""", requirement)
        )
    except Exception:
        found = ()
    return found or _SERVER_REQUIREMENTS
