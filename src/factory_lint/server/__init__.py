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
    except ImportError as error:  # pragma: no cover - depends on the installation
        import sys

        print(
            f"factory-lint server needs pygls and lsprotocol ({error.name} is missing): "
            "pip install 'factory-lint[server]'",
            file=sys.stderr,
        )
        return 2
    server = Server()
    configure(options.log_level, server.secrets)
    return server.ls.run_stdio()
