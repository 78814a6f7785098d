"""MCP1xx: mcp.json as Droid 0.225.2 loads it (droid-surface.md §2, §13).

``{"mcpServers": {"<name>": Server}}``, JSONC. A server that fails the schema is listed but never
started (it stays "connecting"); unknown keys are dropped silently; ``${VAR}`` is expanded only in
``env``, ``headers`` and ``oauth`` client id/secret, and an unset variable without a default stops
the server from starting.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache

from factory_lint.context import LintContext
from factory_lint.findings import Edit, Finding, Fix
from factory_lint.jsonc import Member, Node, parse
from factory_lint.rules.registry import checker, rule

TYPES = ("stdio", "http", "sse")
COMMON_FIELDS = frozenset(
    {"type", "disabled", "enabledTools", "disabledTools", "timeout", "connectTimeout"}
)
STDIO_FIELDS = frozenset({"command", "args", "env"})
REMOTE_FIELDS = frozenset({"url", "headers", "oauth"})
ROOT_KEYS = frozenset({"mcpServers", "persistentPermissions"})
#: Other clients' spellings of ``type`` values Droid has.
TYPE_ALIASES = {
    "streamable-http": "http",
    "streamablehttp": "http",
    "streamable_http": "http",
    "http-streamable": "http",
    "streamable": "http",
    "remote": "http",
    "local": "stdio",
    "command": "stdio",
}
#: Other clients' field names for Droid's.
FIELD_ALIASES = {
    "environment": "env",
    "envVars": "env",
    "arguments": "args",
    "cmd": "command",
    "serverUrl": "url",
    "endpoint": "url",
    "transport": "type",
    "enabled": "disabled",
    "timeoutMs": "timeout",
    "allowedTools": "enabledTools",
    "tools": "enabledTools",
}
MAX_INT = 2147483647
_FAMILY = "mcp"
_NEVER_STARTS = (
    'Droid lists the server but never starts it (it stays "connecting"; droid doctor '
    "reports it for ~/.factory and the project's mcp.json only)"
)

SERVERS_MISSING = rule(
    "MCP101",
    "mcp-servers-missing",
    "error",
    _FAMILY,
    "An mcp.json without an `mcpServers` object (VS Code's `servers`, an array, a bare map of "
    "servers).",
    why="Droid reads servers only from `mcpServers`. Without it the file configures no server "
    "(droid doctor: `mcpServers: Required`); an array makes Droid list a bogus server `0` that "
    "never starts.",
    example='// .factory/mcp.json\n{\n  "servers": {\n    "github": { "command": "npx", "args": '
    '["-y", "@modelcontextprotocol/server-github"] }\n  }\n}',
    fix="Rename the key to `mcpServers` (safe fix for `servers`) and make it an object of "
    "servers by name.",
    fixable="safe",
)
BAD_TYPE = rule(
    "MCP102",
    "invalid-server-type",
    "error",
    _FAMILY,
    'A server `type` other than `"stdio"`, `"http"` or `"sse"` (e.g. `"streamable-http"`).',
    why="Droid's schema is a union on `type`; any other value fails it, so the server is listed "
    "but never started. Droid's `http` is the streamable HTTP transport.",
    example='// .factory/mcp.json\n{\n  "mcpServers": {\n    "docs": { "type": '
    '"streamable-http", "url": "https://mcp.example.com/mcp" }\n  }\n}',
    fix='Use `"http"` for streamable HTTP (safe fix for the known aliases), `"sse"` for '
    'server-sent events, `"stdio"` for a local command.',
    fixable="safe",
)
URL_NO_TYPE = rule(
    "MCP103",
    "url-without-type",
    "error",
    _FAMILY,
    "A server with a `url` and no `type`.",
    why='`type` defaults to `"stdio"`, so Droid reads the server as a local command, finds no '
    "`command` (doctor: `command: Required`) and never starts it.",
    example='// .factory/mcp.json\n{\n  "mcpServers": {\n    "docs": { "url": '
    '"https://mcp.example.com/mcp" }\n  }\n}',
    fix='Add `"type": "http"` (or `"sse"` for a URL ending in `/sse`) (safe fix).',
    fixable="safe",
)
ARGS_STRING = rule(
    "MCP104",
    "args-not-array",
    "error",
    _FAMILY,
    "A server `args` that is not an array of strings.",
    why="`args` is a list; a string fails the schema (doctor: `Expected array, received "
    "string`), so the server is never started.",
    example='// .factory/mcp.json\n{\n  "mcpServers": {\n    "fs": { "command": "npx", "args": '
    '"-y @modelcontextprotocol/server-filesystem /tmp" }\n  }\n}',
    fix="Split the string into an array of words (safe fix, with shell quoting rules).",
    fixable="safe",
)
COMMAND_ARGS = rule(
    "MCP105",
    "command-with-arguments",
    "error",
    _FAMILY,
    'A stdio `command` that holds the arguments too (`"npx -y pkg"`).',
    why="Droid starts `command` as the executable's name, without a shell: `npx -y pkg` is "
    'looked up as one program, the spawn fails ("Failed to connect to MCP server"). '
    "`droid mcp add` splits it for you; a hand-written file does not. droid doctor does not "
    "report it.",
    example='// .factory/mcp.json\n{\n  "mcpServers": {\n    "github": { "command": "npx -y '
    '@modelcontextprotocol/server-github" }\n  }\n}',
    fix="Put the program in `command` and the rest in `args` (safe fix, with shell quoting "
    "rules; existing `args` follow).",
    fixable="safe",
)
BAD_FIELD = rule(
    "MCP106",
    "invalid-server-field",
    "error",
    _FAMILY,
    "A server field of the wrong type, or a required field missing (`command` for stdio, `url` "
    "for http/sse).",
    why="One field that fails Droid's schema keeps the whole server from starting: it is listed "
    'and stays "connecting" forever. droid doctor checks only ~/.factory and the project '
    "root's mcp.json.",
    example='// .factory/mcp.json\n{\n  "mcpServers": {\n    "db": { "command": "db-mcp", '
    '"env": { "PORT": 5432 } }\n  }\n}',
    fix="Give the field the type the message names.",
)
DISABLED_TYPE = rule(
    "MCP107",
    "disabled-not-boolean",
    "error",
    _FAMILY,
    'A server `disabled` that is not true or false (`"false"`).',
    why='Droid treats any non-empty string as true: `"disabled": "false"` disables the '
    "server, and doctor reports a type error.",
    example='// .factory/mcp.json\n{\n  "mcpServers": {\n    "fs": { "command": "fs-mcp", '
    '"disabled": "false" }\n  }\n}',
    fix="Write `true` or `false` without quotes (safe fix).",
    fixable="safe",
)
NOT_EXPANDED = rule(
    "MCP108",
    "mcp-variable-not-expanded",
    "warning",
    _FAMILY,
    "`${VAR}` in `args`, `command` or `url`, or `$VAR` without braces anywhere.",
    why="Droid expands `${VAR}` and `${VAR:-default}` only in `env`, `headers` and the oauth "
    "client id/secret. Elsewhere, and `$VAR` everywhere, reach the server literally "
    "(Factory's MCP docs say command, args and url are expanded too; the CLI does not).",
    example='// .factory/mcp.json\n{\n  "mcpServers": {\n    "fs": { "command": "fs-mcp", '
    '"args": ["--root", "${HOME}/src"] }\n  }\n}',
    fix='Pass the value through `env` (`"env": {"ROOT": "${HOME}/src"}`) and let the '
    "server read it, or write the value literally; use `${VAR}` rather than `$VAR`.",
)
REQUIRED_VARS = rule(
    "MCP109",
    "required-env-vars",
    "info",
    _FAMILY,
    "A server that needs environment variables set when droid starts.",
    why="Droid expands `${VAR}` in `env`, `headers` and oauth credentials when it starts the "
    "server; a variable that is unset and has no `${VAR:-default}` makes the server fail "
    '("MCP server credential references an unset environment variable"), not start with '
    "the placeholder.",
    example='// .factory/mcp.json\n{\n  "mcpServers": {\n    "github": { "command": "github-mcp", '
    '"env": { "GITHUB_TOKEN": "${GITHUB_TOKEN}" } }\n  }\n}',
    fix="Export the variables in the shell that starts droid, or give a default: `${VAR:-value}`.",
)
TIMEOUT_MS = rule(
    "MCP110",
    "timeout-ms",
    "warning",
    _FAMILY,
    "A server `timeoutMs` (documented, but not read by the CLI).",
    why="Droid 0.225.2 reads `timeout` (per-call, milliseconds) and `connectTimeout` (ms); "
    "`timeoutMs` is dropped silently, so the built-in timeout applies.",
    example='// .factory/mcp.json\n{\n  "mcpServers": {\n    "slow": { "command": "slow-mcp", '
    '"timeoutMs": 120000 }\n  }\n}',
    fix="Rename it to `timeout` (safe fix when `timeout` is not set).",
    fixable="safe",
)
OVERRIDES_USER = rule(
    "MCP111",
    "server-overrides-user",
    "info",
    _FAMILY,
    "A project server with the name of a server in ~/.factory/mcp.json.",
    why="For one name Droid uses the project's (or folder's) definition and ignores the user's "
    "whole entry, fields are not merged. (Factory's docs say the user config wins; the CLI "
    "does the opposite.)",
    example='// .factory/mcp.json (~/.factory/mcp.json also defines "github")\n{\n  '
    '"mcpServers": {\n    "github": { "type": "http", "url": "https://api.githubcopilot.com/'
    'mcp/" }\n  }\n}',
    example_with=(
        (
            "~/.factory/mcp.json",
            '{\n  "mcpServers": {\n    "github": { "type": "stdio", "command": "github-mcp" }\n  }\n}',
        ),
    ),
    fix="Rename one of them if both are wanted.",
)
UNKNOWN_KEY = rule(
    "MCP112",
    "unknown-mcp-key",
    "warning",
    _FAMILY,
    "A key Droid's mcp.json schema does not have, or a field of another transport (`headers` "
    "on a stdio server).",
    why="Droid drops unknown keys without a word, so the setting has no effect.",
    example='// .factory/mcp.json\n{\n  "mcpServers": {\n    "db": { "command": "db-mcp", '
    '"environment": { "PORT": "5432" } }\n  }\n}',
    fix="Use the field the message suggests, or remove the key.",
)

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?\}")
_BARE_VAR = re.compile(r"(?<![\\$])\$([A-Za-z_][A-Za-z0-9_]*)")


@checker(kinds=("mcp",))
def check_mcp(context: LintContext) -> Iterator[Finding]:
    root = context.root
    if root is None or root.type == "invalid":
        return
    if root.type != "object":
        yield Finding(
            SERVERS_MISSING.code,
            f"the file's top-level value is {_describe(root)}; Droid expects "
            '`{ "mcpServers": { … } }` and configures no server from this file',
            root.start,
            root.start + 1,
        )
        return
    servers_member = _member(root, "mcpServers")
    for member in root.members:
        if (
            member.key not in ROOT_KEYS
            and member.key != "servers"
            and not (servers_member is None and _looks_like_server(member.value))
        ):
            yield _unknown(member, "the top level", list(ROOT_KEYS))
    if servers_member is None or servers_member.value is None:
        yield _missing_servers(root)
        return
    servers = servers_member.value
    if servers.type != "object":
        bogus = " (an array makes Droid list a bogus server `0` that never starts)"
        yield Finding(
            SERVERS_MISSING.code,
            f"`mcpServers` is {_describe(servers)}; expected an object of servers by name "
            f'({"{"} "github": {"{"} … {"}"} {"}"}){bogus if servers.type == "array" else ""}',
            servers.start,
            servers.start + 1,
            servers.pointer,
        )
        return
    user_servers = _user_servers(context)
    for member in servers.members:
        if member.value is None:
            continue
        yield from _check_server(context, member, member.value)
        if member.key in user_servers:
            yield Finding(
                OVERRIDES_USER.code,
                f"server `{_clip(member.key)}` is also defined in {user_servers[member.key]}: "
                "Droid uses this definition and ignores that one entirely (no field merge)",
                member.key_start,
                member.key_end,
                member.value.pointer,
            )


def _missing_servers(root: Node) -> Finding:
    servers = _member(root, "servers")
    if servers is not None and servers.value is not None and servers.value.type == "object":
        return Finding(
            SERVERS_MISSING.code,
            "Droid reads servers from `mcpServers`, not `servers` (VS Code's name): this file "
            "configures no server. Rename the key to `mcpServers`",
            servers.key_start,
            servers.key_end,
            servers.value.pointer,
            Fix(
                "Rename servers to mcpServers",
                (Edit(servers.key_start, servers.key_end, '"mcpServers"'),),
            ),
        )
    looks_like_servers = root.members and all(_looks_like_server(m.value) for m in root.members)
    hint = (
        ': the servers are at the top level; wrap them in `{ "mcpServers": { … } }`'
        if looks_like_servers
        else ""
    )
    return Finding(
        SERVERS_MISSING.code,
        "this mcp.json has no `mcpServers` object, so Droid configures no server from it "
        f"(droid doctor: `mcpServers: Required`){hint}",
        root.start,
        root.start + 1,
    )


def _looks_like_server(node: Node | None) -> bool:
    return (
        node is not None
        and node.type == "object"
        and (node.value_of("command") is not None or node.value_of("url") is not None)
    )


def _check_server(context: LintContext, member: Member, server: Node) -> Iterator[Finding]:
    name = _clip(member.key)
    if server.type != "object":
        yield Finding(
            BAD_FIELD.code,
            f"server `{name}` is {_describe(server)}; expected an object such as "
            '`{ "command": "…", "args": [ … ] }`. ' + _NEVER_STARTS,
            server.start,
            min(server.end, server.start + 1) if server.type == "array" else server.end,
            server.pointer,
        )
        return
    type_node = server.value_of("type")
    kind = type_node.value if type_node is not None else "stdio"
    if type_node is not None and kind not in TYPES:
        yield _bad_type(name, type_node)
        return
    url = server.value_of("url")
    command = server.value_of("command")
    if type_node is None and url is not None and command is None:
        yield _url_without_type(context, member, server, url)
        return
    own = STDIO_FIELDS if kind == "stdio" else REMOTE_FIELDS
    other = REMOTE_FIELDS if kind == "stdio" else STDIO_FIELDS
    for field in server.members:
        key = field.key
        if key in COMMON_FIELDS or key in own:
            continue
        if key == "timeoutMs":
            yield _timeout_ms(server, field)
        elif key in other:
            transport = "http and sse" if kind == "stdio" else "stdio"
            yield Finding(
                UNKNOWN_KEY.code,
                f"`{key}` applies only to {transport} servers; server `{name}` is "
                f'"{kind}", so Droid drops it',
                field.key_start,
                field.key_end,
                field.value.pointer if field.value is not None else server.pointer,
            )
        else:
            yield _unknown(field, f"server `{name}`", sorted(COMMON_FIELDS | own))
    if kind == "stdio":
        yield from _check_stdio(context, name, server)
    else:
        yield from _check_remote(name, server, kind)
    yield from _check_common(name, server)
    yield from _check_variables(name, member, server)


def _bad_type(name: str, node: Node) -> Finding:
    value = node.value
    fix = None
    suggestion = ""
    if isinstance(value, str):
        target = TYPE_ALIASES.get(value.lower().replace(" ", "")) or (
            value.lower() if value.lower() in TYPES else None
        )
        if target is not None:
            suggestion = f'; use `"{target}"`'
            fix = Fix(f'Use "{target}"', (Edit(node.start, node.end, json.dumps(target)),))
    return Finding(
        BAD_TYPE.code,
        f'server `{name}` has `type` {_clip(json.dumps(value))}; Droid accepts only "stdio", '
        f'"http" (streamable HTTP) or "sse"{suggestion}. {_NEVER_STARTS}',
        node.start,
        node.end,
        node.pointer,
        fix,
    )


def _url_without_type(context: LintContext, member: Member, server: Node, url: Node) -> Finding:
    target = "http"
    if isinstance(url.value, str) and url.value.rstrip("/").lower().endswith("/sse"):
        target = "sse"
    fix = None
    if server.members:
        first = server.members[0]
        fix = Fix(
            f'Add "type": "{target}"',
            (Edit(first.key_start, first.key_start, f'"type": "{target}", '),),
        )
    return Finding(
        URL_NO_TYPE.code,
        f'server `{_clip(member.key)}` has a `url` but no `type`: `type` defaults to "stdio", '
        "so Droid looks for a `command`, finds none and never starts the server. Add "
        f'`"type": "{target}"`',
        member.key_start,
        member.key_end,
        server.pointer,
        fix,
    )


def _check_stdio(context: LintContext, name: str, server: Node) -> Iterator[Finding]:
    command = server.value_of("command")
    args = server.value_of("args")
    if command is None:
        yield Finding(
            BAD_FIELD.code,
            f"stdio server `{name}` has no `command`; expected the program to run (or "
            f'`"type": "http"` with a `url`). {_NEVER_STARTS}',
            server.start,
            server.start + 1,
            server.pointer,
        )
    elif command.type != "string":
        yield _field_type(name, command, "`command`", "a string")
    else:
        yield from _command_with_args(context, name, command, args)
    if args is not None:
        if args.type == "string":
            yield _args_string(context, name, args)
        elif args.type != "array" or any(item.type != "string" for item in args.items):
            yield _field_type(name, args, "`args`", "an array of strings")
    env = server.value_of("env")
    if env is not None:
        yield from _string_map(name, env, "`env`")


def _command_with_args(
    context: LintContext, name: str, command: Node, args: Node | None
) -> Iterator[Finding]:
    import shlex

    value = command.value
    if not isinstance(value, str) or not value.strip() or " " not in value.strip():
        return
    try:
        words = shlex.split(value)
    except ValueError:
        return
    if len(words) < 2:
        return  # a path with spaces, quoted
    carries_key = any(_may_hold_key(word) for word in words)
    if re.match(r"^(?:/|~|\.{1,2}/|[A-Za-z]:[\\/])", value) and not any(
        word.startswith("-") for word in words[1:]
    ):
        return  # most likely a path with spaces in a folder name (/opt/My Tools/mcp)
    fix = None
    if carries_key:
        pass  # no fix re-emits a credential; the message says what to do
    elif args is None:
        fix = Fix(
            f"Split into command {_clip(json.dumps(words[0]))} and args",
            (
                Edit(
                    command.start,
                    command.end,
                    f'{json.dumps(words[0])}, "args": {json.dumps(words[1:])}',
                ),
            ),
        )
    elif args.type == "array" and all(item.type == "string" for item in args.items):
        inside = args.start + 1
        joined = ", ".join(json.dumps(word) for word in words[1:])
        edits = [Edit(command.start, command.end, json.dumps(words[0]))]
        edits.append(Edit(inside, inside, joined + (", " if args.items else "")))
        edits.sort(key=lambda edit: edit.start)
        fix = Fix(f"Split into command {_clip(json.dumps(words[0]))} and args", tuple(edits))
    yield Finding(
        COMMAND_ARGS.code,
        f"server `{name}` has the arguments in `command` ({_clip(json.dumps(value))}): Droid "
        "runs `command` as one program name without a shell, so starting the server fails "
        f'("Failed to connect to MCP server"). Expected "command": {_clip(json.dumps(words[0]))} '
        f'and "args": {_clip(json.dumps(words[1:]))}',
        command.start,
        command.end,
        command.pointer,
        fix,
    )


def _args_string(context: LintContext, name: str, args: Node) -> Finding:
    import shlex

    fix = None
    if isinstance(args.value, str):
        try:
            words = shlex.split(args.value)
        except ValueError:
            words = None
        if words is not None and not any(_may_hold_key(word) for word in words):
            fix = Fix("Split args into an array", (Edit(args.start, args.end, json.dumps(words)),))
    return Finding(
        ARGS_STRING.code,
        f"server `{name}` has `args` as a string; Droid expects an array of strings "
        f'(["-y", "pkg"]). {_NEVER_STARTS}',
        args.start,
        args.end,
        args.pointer,
        fix,
    )


def _check_remote(name: str, server: Node, kind: object) -> Iterator[Finding]:
    url = server.value_of("url")
    if url is None:
        yield Finding(
            BAD_FIELD.code,
            f"{kind} server `{name}` has no `url`. {_NEVER_STARTS}",
            server.start,
            server.start + 1,
            server.pointer,
        )
    elif url.type != "string":
        yield _field_type(name, url, "`url`", "a string")
    headers = server.value_of("headers")
    if headers is not None:
        yield from _string_map(name, headers, "`headers`")
    oauth = server.value_of("oauth")
    if oauth is not None and oauth.type != "object" and oauth.value is not False:
        yield _field_type(name, oauth, "`oauth`", "an object or false")
    elif oauth is not None and oauth.type == "object":
        for field in oauth.members:
            value = field.value
            if value is None:
                continue
            if field.key == "scopes" and (
                value.type != "array" or any(i.type != "string" for i in value.items)
            ):
                yield _field_type(name, value, "`oauth.scopes`", "an array of strings")
            elif field.key == "callbackPort" and not _int_between(value, 1, 65535):
                yield _field_type(name, value, "`oauth.callbackPort`", "an integer 1-65535")
            elif field.key in (
                "clientId",
                "clientSecret",
                "authorizationServerIssuer",
                "clientMetadataUrl",
                "tokenEndpointAuthMethod",
            ) and (value.type != "string"):
                yield _field_type(name, value, f"`oauth.{field.key}`", "a string")


def _check_common(name: str, server: Node) -> Iterator[Finding]:
    disabled = server.value_of("disabled")
    if disabled is not None and disabled.type != "boolean":
        fix = None
        if isinstance(disabled.value, str) and disabled.value.strip().lower() in ("true", "false"):
            word = disabled.value.strip().lower()
            fix = Fix(f"Write {word} without quotes", (Edit(disabled.start, disabled.end, word),))
        truthy = _truthy(disabled)
        effect = "so the server is disabled" if truthy else "so the server is not disabled"
        if disabled.value == "false" or (
            isinstance(disabled.value, str) and truthy and disabled.value.strip().lower() == "false"
        ):
            effect = 'so the server is disabled although the value says "false"'
        yield Finding(
            DISABLED_TYPE.code,
            f"server `{name}` has `disabled` {_clip(json.dumps(disabled.value))}, not true or "
            f"false: Droid takes its truthiness ({'true' if truthy else 'false'}), {effect}; "
            "droid doctor reports a type error. Write true or false without quotes",
            disabled.start,
            disabled.end,
            disabled.pointer,
            fix,
        )
    for key in ("enabledTools", "disabledTools"):
        node = server.value_of(key)
        if node is not None and (
            node.type != "array" or any(i.type != "string" for i in node.items)
        ):
            yield _field_type(name, node, f"`{key}`", "an array of tool names")
    for key in ("timeout", "connectTimeout"):
        node = server.value_of(key)
        if node is not None and not _int_between(node, 1, MAX_INT):
            yield _field_type(name, node, f"`{key}`", "a whole number of milliseconds (≥ 1)")


def _truthy(node: Node) -> bool:
    value = node.value
    if node.type in ("object", "array"):
        return True
    return bool(value)


def _int_between(node: Node, low: int, high: int) -> bool:
    value = node.value
    return (
        node.type == "number"
        and isinstance(value, (int, float))
        and float(value).is_integer()
        and low <= value <= high
    )


def _string_map(name: str, node: Node, label: str) -> Iterator[Finding]:
    if node.type != "object":
        yield _field_type(name, node, label, "an object of strings")
        return
    for member in node.members:
        value = member.value
        if value is not None and value.type != "string":
            fix = None
            if value.type in ("number", "boolean"):
                text = json.dumps(
                    str(value.value).lower()
                    if value.type == "boolean"
                    else _number_text(value.value)
                )
                fix = Fix(f"Quote the value: {text}", (Edit(value.start, value.end, text),))
            finding = _field_type(name, value, f"{label} value `{_clip(member.key)}`", "a string")
            yield Finding(
                finding.code, finding.message, finding.start, finding.end, finding.pointer, fix
            )


def _number_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _field_type(name: str, node: Node, label: str, expected: str) -> Finding:
    return Finding(
        BAD_FIELD.code,
        f"{label} of server `{name}` must be {expected}, found {_describe(node)}. " + _NEVER_STARTS,
        node.start,
        node.start + 1 if node.type in ("object", "array") else node.end,
        node.pointer,
    )


def _timeout_ms(server: Node, field: Member) -> Finding:
    fix = None
    if server.value_of("timeout") is None:
        fix = Fix(
            "Rename timeoutMs to timeout", (Edit(field.key_start, field.key_end, '"timeout"'),)
        )
    return Finding(
        TIMEOUT_MS.code,
        "`timeoutMs` is not read by Droid (it drops the key silently); the per-call timeout "
        "is `timeout`, in milliseconds. Rename it to `timeout`",
        field.key_start,
        field.key_end,
        field.value.pointer if field.value is not None else server.pointer,
        fix,
    )


def _unknown(member: Member, where: str, candidates: list[str]) -> Finding:
    from factory_lint.rules.structure import suggest_key

    key = member.key
    if key.lower().lstrip("_/#$") in COMMENT_KEYS or key.startswith(("//", "#", "_")):
        return Finding(
            UNKNOWN_KEY.code,
            f"`{_clip(key)}` in {where} is not a Droid field (Droid drops it); mcp.json "
            "accepts JSONC comments, so a `// …` comment can hold this note instead",
            member.key_start,
            member.key_end,
            member.value.pointer if member.value is not None else "",
            severity="info",
        )
    near = FIELD_ALIASES.get(key) or suggest_key(key, candidates)
    hint = f"; did you mean `{near}`?" if near else ""
    if near == "disabled" and key == "enabled":
        hint = "; Droid has `disabled` (true or false) instead"
    return Finding(
        UNKNOWN_KEY.code,
        f"unknown key `{_clip(key)}` in {where}: Droid drops it silently{hint}",
        member.key_start,
        member.key_end,
        member.value.pointer if member.value is not None else "",
    )


#: Keys people add as notes (documentation, not settings).
COMMENT_KEYS = frozenset({"note", "notes", "comment", "comments", "description", "desc", "doc"})


def _check_variables(name: str, member: Member, server: Node) -> Iterator[Finding]:
    required: list[str] = []
    expanded: list[Node] = []
    literal: list[tuple[Node, str]] = []
    for key in ("env", "headers"):
        node = server.value_of(key)
        if node is not None and node.type == "object":
            expanded.extend(m.value for m in node.members if m.value is not None)
    oauth = server.value_of("oauth")
    if oauth is not None and oauth.type == "object":
        expanded.extend(
            v for k in ("clientId", "clientSecret") if (v := oauth.value_of(k)) is not None
        )
    for key in ("command", "url"):
        node = server.value_of(key)
        if node is not None:
            literal.append((node, f"`{key}`"))
    args = server.value_of("args")
    if args is not None and args.type == "array":
        literal.extend((item, "`args`") for item in args.items)
    for node in expanded:
        if not isinstance(node.value, str):
            continue
        for match in _VAR.finditer(node.value):
            if match.group(2) is None and match.group(1) not in required:
                required.append(match.group(1))
        bare = _BARE_VAR.search(_VAR.sub("", node.value))
        if bare is not None:
            yield Finding(
                NOT_EXPANDED.code,
                f"`${bare.group(1)}` in server `{name}` is passed literally: Droid expands only "
                f"`${{NAME}}` (with braces). Write `${{{bare.group(1)}}}`",
                node.start,
                node.end,
                node.pointer,
            )
    for node, label in literal:
        if not isinstance(node.value, str):
            continue
        found = _VAR.search(node.value) or _BARE_VAR.search(node.value)
        if found is None:
            continue
        yield Finding(
            NOT_EXPANDED.code,
            f"{found.group()} in {label} of server `{name}` reaches the server literally: Droid "
            "expands variables only in `env`, `headers` and oauth credentials. Pass it through "
            "`env` (the server reads it from its environment) or write the value",
            node.start,
            node.end,
            node.pointer,
        )
    if required and not _is_disabled(server):
        names = ", ".join(required)
        yield Finding(
            REQUIRED_VARS.code,
            f"server `{name}` needs {names} set in the environment droid starts in: an unset "
            "variable without a `${NAME:-default}` makes the server fail to start",
            member.key_start,
            member.key_end,
            server.pointer,
        )


def _is_disabled(server: Node) -> bool:
    disabled = server.value_of("disabled")
    return disabled is not None and disabled.value is True


def _user_servers(context: LintContext) -> dict[str, str]:
    if context.info.scope == "user":
        return {}
    found: dict[str, str] = {}
    for related in context.info.related:
        if related.level == "user" and related.name == "mcp.json":
            for name in _server_names(related.text):
                found.setdefault(name, related.path)
    return found


@lru_cache(maxsize=32)
def _server_names(text: str) -> tuple[str, ...]:
    root = parse(text).root
    if root is None or root.type != "object":
        return ()
    servers = root.value_of("mcpServers")
    if servers is None or servers.type != "object":
        return ()
    return tuple(m.key for m in servers.members)


def _member(node: Node, key: str) -> Member | None:
    found = None
    for member in node.members:
        if member.key == key:
            found = member
    return found


def _describe(node: Node) -> str:
    if node.type == "string":
        return f"the string {_clip(json.dumps(node.value))}"
    if node.type == "object":
        return "an object"
    if node.type == "array":
        return "an array"
    if node.type == "invalid":
        return "an invalid value"
    return f"{node.type} {_clip(json.dumps(node.value))}"


_TOKEN = re.compile(r"[A-Za-z0-9_\-\.=+/:?&%]{20,}")


def clip_safe(text: str, limit: int = 60) -> str:
    """``text`` for a message: every key-like token in it redacted (a server name, a command
    or a URL may hold a credential), then cut to ``limit`` characters."""
    from factory_lint.secrets import has_key_token, looks_like_key, redact

    def mask(match: re.Match[str]) -> str:
        token = match.group()
        return redact(token) if looks_like_key(token) or has_key_token(token) else token

    text = _TOKEN.sub(mask, text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_clip = clip_safe


def _may_hold_key(text: str) -> bool:
    from factory_lint.secrets import has_key_token, looks_like_key

    return len(text) >= 20 and (looks_like_key(text) or has_key_token(text))
