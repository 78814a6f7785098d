"""Droid's tool ids (CLI 0.225.2): what hook matchers, droid ``tools`` and skill
``allowed-tools`` may name.

Read from the binary's tool registry (droid-surface.md §3.3, §4.3): the id is what a hook's
``tool_name`` is and what a matcher is tested against; MCP tools are ``<server>___<tool>``
(three underscores). Claude Code's names are not Droid's: ``Bash`` never matches ``Execute``.
"""

from __future__ import annotations

import re

#: The tools of an ordinary session, in the order Droid's docs list them.
CORE_TOOLS: tuple[str, ...] = (
    "Read",
    "LS",
    "Grep",
    "Glob",
    "Create",
    "Edit",
    "ApplyPatch",
    "Execute",
    "WebSearch",
    "FetchUrl",
    "Task",
    "TodoWrite",
    "Skill",
    "AskUser",
    "GenerateImage",
    "TaskOutput",
    "TaskStop",
)
#: Other ids of the registry (spec mode, missions, scripts, IDE, connectors): rarer, but a
#: matcher naming one is not wrong.
OTHER_TOOLS: tuple[str, ...] = (
    "Script",
    "WaitForScript",
    "ToolSearch",
    "StageSettingsChanges",
    "getIdeDiagnostics",
    "ExitSpecMode",
    "GenerateDroid",
    "RecommendMission",
    "ExitMissionPlanning",
    "ProposeMission",
    "StartMissionRun",
    "SelectFeature",
    "EndFeatureRun",
    "DismissHandoffItems",
    "ConnectorSearch",
    "ConnectApp",
)
TOOL_IDS: tuple[str, ...] = CORE_TOOLS + OTHER_TOOLS
TOOL_ID_SET = frozenset(TOOL_IDS)
#: Ids a custom droid cannot be given (droid-surface.md §4.3).
NOT_FOR_DROIDS = frozenset({"ExitSpecMode", "GenerateDroid"})
#: Categories a droid's ``tools`` may name instead of ids.
DROID_TOOL_CATEGORIES: tuple[str, ...] = ("read-only", "edit", "execute", "execution", "web", "mcp")

#: Claude Code tool names and the Droid tool that does the same (None: no equivalent).
CLAUDE_TOOLS: dict[str, str | None] = {
    "Bash": "Execute",
    "Write": "Create",
    "WebFetch": "FetchUrl",
    "MultiEdit": "Edit",
    "NotebookEdit": None,
    "NotebookRead": None,
    "BashOutput": None,
    "KillShell": None,
    "KillBash": None,
    "ExitPlanMode": "ExitSpecMode",
    "SlashCommand": None,
}

#: What a Droid MCP tool id looks like; group 1 is the server name.
MCP_TOOL_ID = re.compile(r"^(.+?)___(.+)$")
#: Claude Code's MCP tool ids (``mcp__server__tool``); Droid's are ``server___tool``.
CLAUDE_MCP_TOOL = re.compile(r"^mcp__([^_].*?)__(.+)$")


def mcp_tool_id(server: str, tool: str) -> str:
    """The id Droid gives tool ``tool`` of MCP server ``server``."""
    return f"{server}___{tool}"


def droid_name_for(name: str) -> str | None:
    """The Droid tool id a foreign or miscased name means, if one is clear: a Claude Code name
    (``Bash`` → ``Execute``), a Claude MCP id (``mcp__github__get_issue`` →
    ``github___get_issue``) or another case of a real id (``execute`` → ``Execute``)."""
    if name in CLAUDE_TOOLS:
        return CLAUDE_TOOLS[name]
    claude_mcp = CLAUDE_MCP_TOOL.match(name)
    if claude_mcp is not None:
        return mcp_tool_id(claude_mcp.group(1), claude_mcp.group(2))
    lowered = name.lower()
    for tool in TOOL_IDS:
        if tool.lower() == lowered:
            return tool
    for claude, droid in CLAUDE_TOOLS.items():
        if claude.lower() == lowered:
            return droid
    return None
