"""Fixtures for the language-server tests (the harness lives in lsp_harness.py)."""

from lsp_harness import lsp_client, session

__all__ = ["lsp_client", "session"]
