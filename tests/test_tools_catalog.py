"""Droid's tool ids and the names other tools use for them."""

from __future__ import annotations

from factory_lint.catalog.tools import TOOL_ID_SET, droid_name_for, mcp_tool_id


def test_core_ids_and_claude_renames() -> None:
    assert {"Execute", "Read", "Create", "FetchUrl", "ApplyPatch"} <= TOOL_ID_SET
    assert "Bash" not in TOOL_ID_SET and "Write" not in TOOL_ID_SET
    assert droid_name_for("Bash") == "Execute"
    assert droid_name_for("Write") == "Create"
    assert droid_name_for("WebFetch") == "FetchUrl"
    assert droid_name_for("MultiEdit") == "Edit"
    assert droid_name_for("NotebookEdit") is None
    assert droid_name_for("execute") == "Execute"
    assert droid_name_for("bash") == "Execute"
    assert droid_name_for("mcp__github__get_issue") == "github___get_issue"
    assert droid_name_for("Unheard") is None
    assert mcp_tool_id("github", "get_issue") == "github___get_issue"
