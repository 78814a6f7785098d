"""FL5xx: credentials where they do not belong.

A literal key in a committed file, in a ~/.factory file other users can read, sent to a host
that did not issue it, sent over plain http, or Droid's own Factory login key used as a
provider key. Every message shows a key only as ``redact()`` does (prefix and length).
"""

from __future__ import annotations

import functools
import json
import re
import shlex
import sys
from collections.abc import Iterator
from pathlib import PurePath

from factory_lint import catalog
from factory_lint.catalog import Endpoint, KeyFormat
from factory_lint.context import LintContext
from factory_lint.findings import Edit, Finding, Fix
from factory_lint.jsonc import Node
from factory_lint.kinds import base_name
from factory_lint.lazy_re import lazy_compile
from factory_lint.rules.registry import checker, rule
from factory_lint.secrets import (
    KEY_MIN_LENGTH,
    containers,
    is_env_reference,
    is_secret_header,
    looks_like_key,
    redact,
)
from factory_lint.urls import is_local_host, split_url

COMMITTED_KEY = rule(
    "FL501",
    "committed-api-key",
    "error",
    "secrets",
    "A literal API key (in `apiKey`, a secret `extraHeaders` value, an MCP server's `env`, "
    "`headers` or `oauth.clientSecret`, or anywhere else) in a file that is or will be "
    "committed to git.",
    why="Anyone who can read the repository can use the key, and it stays in the git history "
    "after it is removed from the file. A file is treated as committed when it lies inside a git "
    "work tree and is not git-ignored, when it is a project `.factory/` file, or when the "
    "pre-commit hook lints it. `settings.local.json` is meant to be git-ignored; when it is not "
    "ignored it is committed like any other file. Droid expands `${NAME}` in settings.json "
    "`apiKey`, so the key can live in an environment variable instead; legacy config.json cannot "
    "expand it.",
    example=(
        "// a project's .factory/settings.json, committed to git\n"
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "claude-sonnet-4-6",\n'
        '      "displayName": "Sonnet 4.6",\n'
        '      "provider": "anthropic",\n'
        '      "baseUrl": "https://api.anthropic.com",\n'
        '      "apiKey": "sk-ant-api03-…AA"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix='Replace the key with `"${PROVIDER_API_KEY}"` and export that variable (unsafe fix, '
    "settings files only: until the variable is set the model gets no key). For config.json, "
    "move the model to settings.json. Rotate a key that was ever pushed.",
    fixable="unsafe",
)
READABLE_KEY_FILE = rule(
    "FL502",
    "key-file-readable-by-others",
    "warning",
    "secrets",
    "A ~/.factory file that holds literal keys and whose permissions let the group or other "
    "users read it.",
    why="A literal key in your own ~/.factory is normal, but other accounts on the machine (and "
    "backup or sync tools that copy file modes) can read a file with mode 644. Like ssh with a "
    "private key, keep files holding credentials at mode 600.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "claude-sonnet-4-6",\n'
        '      "displayName": "Sonnet 4.6",\n'
        '      "provider": "anthropic",\n'
        '      "baseUrl": "https://api.anthropic.com",\n'
        '      "apiKey": "sk-ant-api03-…AA"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    example_path="~/.factory/settings.json",
    example_mode=0o644,
    fix="Run `chmod 600` on the file (the message names it). No text edit can do this, so there "
    "is no automatic fix.",
)
KEY_PROVIDER_MISMATCH = rule(
    "FL503",
    "key-sent-to-other-provider",
    "warning",
    "secrets",
    "A key whose format belongs to one provider, sent to another provider's host (an "
    "`sk-ant-` key sent to openrouter.ai).",
    why="Droid sends `apiKey` (and `extraHeaders`) to the `baseUrl` host. The request fails "
    "with 401, and the key has been handed to a third party that did not issue it. Only key "
    "formats that identify their issuer on their own are checked (not bare `sk-…` keys), and "
    "only known hosts; local servers and gateways that forward provider keys are not reported.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "anthropic/claude-sonnet-4.6",\n'
        '      "displayName": "Sonnet 4.6 via OpenRouter",\n'
        '      "provider": "generic-chat-completion-api",\n'
        '      "baseUrl": "https://openrouter.ai/api/v1",\n'
        '      "apiKey": "sk-ant-api03-…AA"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Use the key of the provider behind `baseUrl` (or point `baseUrl` at the key's "
    "provider), and rotate the key that was sent elsewhere.",
    example_path="~/.factory/settings.json",
)
PLAIN_HTTP_KEY = rule(
    "FL504",
    "key-over-plain-http",
    "warning",
    "secrets",
    "A key sent over `http://` to a host that is not local.",
    why="Without TLS the key travels in clear text: anyone on the network path can read and "
    "reuse it. Local hosts (localhost, private addresses, single-label and `.local` names) are "
    "not reported.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "llama-3.3-70b",\n'
        '      "displayName": "Team Llama",\n'
        '      "provider": "generic-chat-completion-api",\n'
        '      "baseUrl": "http://llm.example.com/v1",\n'
        '      "apiKey": "${LLM_API_KEY}"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Use `https://` (unsafe fix: the server must speak TLS on that port).",
    fixable="unsafe",
)
FACTORY_KEY = rule(
    "FL505",
    "factory-key-as-api-key",
    "error",
    "secrets",
    "Droid's own Factory key (`fk-…`) used as a custom model's `apiKey` or auth header.",
    why="The `fk-` key logs Droid in to Factory (`FACTORY_API_KEY`); it is not a key for any "
    "model provider. Droid sends `apiKey` to the `baseUrl` host, so the request fails and your "
    "Factory account key is handed to that server.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "gpt-5.5",\n'
        '      "displayName": "GPT-5.5",\n'
        '      "provider": "openai",\n'
        '      "baseUrl": "https://api.openai.com/v1",\n'
        '      "apiKey": "fk-…"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix='Use the provider\'s own key, e.g. `"${OPENAI_API_KEY}"` (unsafe fix in settings '
    "files); rotate the Factory key if it was sent.",
    fixable="unsafe",
)

#: Endpoints that forward provider keys on purpose (the key of the upstream provider is right).
PASS_THROUGH_ENDPOINTS = frozenset({"cloudflare"})
#: Environment variable names the providers document, where they differ from ``ID_API_KEY``.
ENV_NAMES = {
    "bedrock": "AWS_BEARER_TOKEN_BEDROCK",
    "huggingface": "HF_TOKEN",
    "vercel-ai-gateway": "AI_GATEWAY_API_KEY",
    "cloudflare": "CLOUDFLARE_API_TOKEN",
    "cliproxyapi": "CLIPROXY_API_KEY",
    "litellm-proxy": "LITELLM_API_KEY",
    "ollama-cloud": "OLLAMA_API_KEY",
    "together": "TOGETHER_API_KEY",
}
_GENERIC_LABELS = frozenset({"api", "www", "gateway", "inference", "llm", "ai", "openai", "v1"})
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu"})
_SECRET_NAME = lazy_compile(r"(?i)api[_\-]?key|apikey|token|secret|passw(?:or)?d|credential")


class Site:
    """A value (or an object key) that holds a credential."""

    # A plain class, not a dataclass: creating a dataclass costs about a millisecond of start-up.

    __slots__ = ("end", "entry", "fmt", "label", "node", "place", "pointer", "start", "value")

    def __init__(
        self,
        start: int,
        end: int,
        pointer: str,
        value: str,
        place: str,
        label: str,
        entry: Node | None,
        node: Node | None,
        fmt: KeyFormat | None,
    ) -> None:
        self.start = start
        self.end = end
        self.pointer = pointer
        self.value = value
        #: ``api-key`` (a model's apiKey), ``header`` (a secret extraHeaders value), ``other``
        self.place = place
        #: how the message names the place, e.g. "`apiKey`"
        self.label = label
        self.entry = entry
        self.node = node
        self.fmt = fmt


@checker(kinds=("settings", "legacy", "mcp", "hooks"))
def check_leaks(context: LintContext) -> Iterator[Finding]:
    sites = list(_sites(context))
    if not sites:
        return
    names = _env_names(context, sites)
    for site in sites:
        yield from _misuse(context, site, names)
    if context.info.committed:
        for site in sites:
            yield _committed(context, site, names)
    elif context.info.scope == "user":
        yield from _readable(context, sites)


# --- finding the credentials ------------------------------------------------------------------


def is_literal_key(value: str) -> bool:
    """A value that is a credential itself: not empty, not ``${NAME}``, not a placeholder,
    a local-server dummy or a test value (the key catalog's placeholder heuristics)."""
    return not catalog.is_placeholder(value)


def _sites(context: LintContext) -> Iterator[Site]:
    taken: set[int] = set()
    if context.kind == "mcp":
        for site in _mcp_sites(context):
            if site.node is not None:
                taken.add(id(site.node))
            yield site
    key_field = context.field_name("apiKey")
    headers_field = context.field_name("extraHeaders")
    for entry in context.models():
        node = entry.value_of(key_field)
        if node is not None and isinstance(node.value, str):
            taken.add(id(node))
            if is_literal_key(node.value):
                yield _site(node, node.value, "api-key", f"`{key_field}`", entry)
        headers = entry.value_of(headers_field)
        if headers is None:
            continue
        for member in headers.members:
            value = member.value
            if (
                value is None
                or not isinstance(value.value, str)
                or not is_secret_header(member.key)
            ):
                continue
            taken.add(id(value))
            if is_literal_key(value.value):
                label = f"`{headers_field}.{_show_name(member.key)}`"
                yield _site(value, value.value, "header", label, entry)
    root = context.root
    if root is None:
        return
    # Shorter keys and strings are no credential (most of a file's): no call for them.
    shortest = min(catalog.shortest_exclusive_key(), KEY_MIN_LENGTH)
    for node in containers(root):
        for member in node.members:
            key = member.key
            fmt = catalog.identify_key(key) if len(key) >= shortest else None
            if fmt is not None and fmt.exclusive and is_literal_key(key):
                yield Site(
                    member.key_start,
                    member.key_end,
                    member.value.pointer if member.value is not None else node.pointer,
                    key,
                    "other",
                    "an object key",
                    None,
                    None,
                    fmt,
                )
            value = member.value
            if value is None:
                continue
            text = value.value
            if (
                isinstance(text, str)
                and len(text) >= shortest
                and id(value) not in taken
                and _is_other_secret(key, text)
            ):
                taken.add(id(value))
                yield _site(value, text, "other", f"`{_show_name(key)}`", None)
        for item in node.items:
            text = item.value
            if (
                isinstance(text, str)
                and len(text) >= shortest
                and id(item) not in taken
                and _is_other_secret("", text)
            ):
                taken.add(id(item))
                yield _site(item, text, "other", "an array item", None)


def _mcp_sites(context: LintContext) -> Iterator[Site]:
    """Credentials in mcp.json: secret-looking ``env`` values, secret ``headers`` values and
    ``oauth.clientSecret`` (Droid expands ``${NAME}`` in all three, so each has a fix)."""
    root = context.root
    servers = root.value_of("mcpServers") if root is not None and root.type == "object" else None
    if servers is None or servers.type != "object":
        return
    for server in servers.members:
        node = server.value
        if node is None or node.type != "object":
            continue
        shown = _show_name(server.key)
        env = node.value_of("env")
        for member in env.members if env is not None and env.type == "object" else ():
            value = member.value
            if value is not None and isinstance(value.value, str):
                text = value.value
                if not is_env_reference(text) and _is_other_secret(member.key, text):
                    label = f"`env.{_show_name(member.key)}` of MCP server `{shown}`"
                    yield _site(value, text, "mcp-env", label, None)
        headers = node.value_of("headers")
        for member in headers.members if headers is not None and headers.type == "object" else ():
            value = member.value
            if value is None or not isinstance(value.value, str):
                continue
            text = value.value
            if is_env_reference(text) or not is_literal_key(text):
                continue
            if is_secret_header(member.key) or _is_other_secret(member.key, text):
                label = f"`headers.{_show_name(member.key)}` of MCP server `{shown}`"
                yield _site(value, text, "mcp-header", label, None)
        oauth = node.value_of("oauth")
        secret = oauth.value_of("clientSecret") if oauth is not None else None
        if secret is not None and isinstance(secret.value, str):
            text = secret.value
            if text.strip() and not is_env_reference(text) and is_literal_key(text):
                label = f"`oauth.clientSecret` of MCP server `{shown}`"
                yield _site(secret, text, "mcp-oauth", label, None)


def _mcp_env_name(site: Site) -> str:
    """The variable to hold an MCP credential: the env key itself, else from the server."""
    parts = site.pointer.split("/")
    server = parts[2] if len(parts) > 2 else "MCP"
    stem = re.sub(r"[^A-Za-z0-9]+", "_", server).strip("_").upper() or "MCP"
    if site.place == "mcp-env" and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", parts[-1]):
        return parts[-1]
    if site.place == "mcp-oauth":
        return f"{stem}_CLIENT_SECRET"
    return f"{stem}_TOKEN"


def _mcp_fix(site: Site, name: str) -> Fix:
    scheme = re.match(r"^(Bearer|Basic|Token)\s+", site.value, re.IGNORECASE)
    text = f"{scheme.group(1)} ${{{name}}}" if scheme else f"${{{name}}}"
    return Fix(
        f'Replace the credential with "{text}" (export {name} before starting droid)',
        (Edit(site.start, site.end, json.dumps(text)),),
        safe=False,
    )


def _is_other_secret(name: str, value: str) -> bool:
    """A credential outside `apiKey`/auth headers: a known key format (one that names its
    issuer), or a key-shaped value under a secret-sounding name (``OPENAI_API_KEY``, ``token``)."""
    if len(value) <= _MEMO_MAX_LENGTH and len(name) <= _MEMO_MAX_LENGTH:
        # Remembered: asked for every string of a file, and files share most of them.
        return _is_other_secret_memo(name, value)
    return _is_other_secret_uncached(name, value)


def _is_other_secret_uncached(name: str, value: str) -> bool:
    # The cheap shape tests first: most strings are no credential of any kind.
    fmt = catalog.identify_key(value)
    if fmt is None or not fmt.exclusive:
        secret_name = bool(name) and (bool(_SECRET_NAME.search(name)) or is_secret_header(name))
        if not (secret_name and looks_like_key(value.strip())):
            return False
    return is_literal_key(value)


_MEMO_MAX_LENGTH = 256
_is_other_secret_memo = functools.lru_cache(maxsize=8192)(_is_other_secret_uncached)


def _site(node: Node, value: str, place: str, label: str, entry: Node | None) -> Site:
    return Site(
        node.start,
        node.end,
        node.pointer,
        value,
        place,
        label,
        entry,
        node,
        catalog.identify_key(value),
    )


# --- FL501 ------------------------------------------------------------------------------------


def _committed(context: LintContext, site: Site, names: dict[str, str]) -> Finding:
    what = _describe(site)
    if file_role(context.info.path) == "settings.local.json":
        where = (
            "in settings.local.json, which is meant to be git-ignored but is not ignored here, so "
            "it is committed"
        )
        hint = "add it to .gitignore (e.g. `.factory/settings.local.json`) or"
    else:
        where = "in a file that is or will be committed"
        hint = ""
    fix = None
    name = names.get(site.value, "PROVIDER_API_KEY")
    if site.place == "api-key" and context.kind == "settings":
        expected = f'Expected "${{{name}}}"'
        how = f"{hint} move the key to the environment variable {name}".strip()
        fix = _env_fix(site, name)
    elif site.place == "api-key":
        expected = "config.json cannot expand `${NAME}`"
        how = (
            f"{hint} move this model to settings.json, where "
            f'"apiKey": "${{{name}}}" keeps the key out of the file'
        ).strip()
    elif site.place.startswith("mcp-"):
        name = _mcp_env_name(site)
        expected = (
            f'Expected "${{{name}}}": Droid expands `${{NAME}}` in mcp.json env, headers and oauth'
        )
        how = f"{hint} move the credential to the environment variable {name}".strip()
        fix = _mcp_fix(site, name)
    elif site.place == "header":
        expected = "extraHeaders are sent literally (`${NAME}` is not expanded there)"
        how = (
            f"{hint} move the key to `apiKey` as "
            f'"${{{name}}}" (Droid sends it as `Authorization: Bearer` for openai and '
            "generic-chat-completion-api, as `x-api-key` for anthropic) and remove this header"
        ).strip()
    else:
        expected = "Expected no credential in a committed file"
        how = f"{hint} remove it and keep it in an environment variable".strip()
    return Finding(
        COMMITTED_KEY.code,
        f"{site.label} holds {what} {where}: anyone with the repository can use it. "
        f"{expected}; {how}, and rotate the key if it was ever pushed",
        site.start,
        site.end,
        site.pointer,
        fix,
        help=_MCP_HELP
        if site.place.startswith("mcp-")
        else _COMMITTED_HELP
        if context.info.scope == "project"
        else _ENV_HELP,
    )


_MCP_HELP = (
    "Droid expands ${NAME} and ${NAME:-default} in mcp.json `env` and `headers` values and in "
    "oauth clientId/clientSecret when it starts the server; export the variable in the shell "
    "that starts droid (an unset variable without a default stops the server from starting)"
)
_ENV_HELP = (
    "Droid expands ${NAME} only in settings.json / settings.local.json `apiKey` (and some "
    "bedrock fields); export the variable in the shell that starts droid"
)
_COMMITTED_HELP = (
    _ENV_HELP + ". A git-ignored .factory/settings.local.json may hold machine-local models "
    "instead, but its `customModels` array replaces the whole array of settings.json (the two "
    "files are merged shallowly)"
)


def _env_fix(site: Site, name: str) -> Fix:
    return Fix(
        f'Replace the key with "${{{name}}}" (export {name} before starting droid)',
        (Edit(site.start, site.end, f'"${{{name}}}"'),),
        safe=False,
    )


# --- FL502 ------------------------------------------------------------------------------------


def _readable(context: LintContext, sites: list[Site]) -> Iterator[Finding]:
    mode = context.info.mode
    if mode is None or not mode & 0o077 or sys.platform == "win32":  # no Unix modes there
        return
    who = " and ".join(
        name for bits, name in ((0o070, "your group"), (0o007, "other users")) if mode & bits
    )
    first = sites[0]
    count = len({site.value for site in sites})
    path = context.info.path or "this file"
    keys = "a literal key" if count == 1 else f"{count} literal keys"
    yield Finding(
        READABLE_KEY_FILE.code,
        f"this file holds {keys} (first: {first.label}, {_shown(first.value)}) but its mode "
        f"{mode & 0o777:03o} lets {who} access it; expected mode 600: run "
        f"`chmod 600 {shlex.quote(path)}`",
        first.start,
        first.end,
        first.pointer,
        help="~/.factory files may hold literal keys; keep them private like ssh keys",
    )


# --- FL503, FL504, FL505 ----------------------------------------------------------------------


def _misuse(context: LintContext, site: Site, names: dict[str, str]) -> Iterator[Finding]:
    if site.place not in ("api-key", "header") or site.entry is None:
        return
    base_url_node = site.entry.value_of(context.field_name("baseUrl"))
    base_url = base_url_node.value if base_url_node is not None else None
    host = _host(base_url) if isinstance(base_url, str) else None
    fmt = site.fmt
    if fmt is not None and fmt.kind == "factory":
        target = f"to {host}" if host else "to the model's server"
        fix = None
        name = names.get(site.value, "PROVIDER_API_KEY")
        if site.place == "api-key" and context.kind == "settings":
            fix = _env_fix(site, name)
        yield Finding(
            FACTORY_KEY.code,
            f"{site.label} holds a Factory API key ({_shown(site.value)}): it logs Droid in "
            f"to Factory and is not a key for any model provider. Droid sends it {target}, "
            f"which answers 401 and receives your Factory key. Expected the provider's own key, "
            f'e.g. "${{{name}}}"; rotate the Factory key if it was sent',
            site.start,
            site.end,
            site.pointer,
            fix,
        )
        return
    if isinstance(base_url, str) and host is not None:
        endpoint = catalog.endpoint_for_url(base_url)
        if fmt is not None and endpoint is not None and _foreign(fmt, endpoint):
            issuer = _provider_name(fmt.provider)
            wanted = [catalog.key_format_by_id(k) for k in endpoint.key_formats]
            prefixes = [f.prefix for f in wanted if f is not None and f.prefix]
            shape = f" ({prefixes[0]}…)" if prefixes else ""
            yield Finding(
                KEY_PROVIDER_MISMATCH.code,
                f"{site.label} is {_article(issuer)} {issuer} key ({_shown(site.value)}) but "
                f"`{context.field_name('baseUrl')}` sends it to {host} ({endpoint.name}): that "
                "hands the key to a third party, and the request fails with 401. Expected a key "
                f"issued for {host}{shape}; use that, and rotate the {issuer} key if it was sent",
                site.start,
                site.end,
                site.pointer,
            )


def _foreign(fmt: KeyFormat, endpoint: Endpoint) -> bool:
    """True when an issuer-identifying key is sent to a known remote endpoint that did not
    issue it and does not forward keys."""
    if not fmt.exclusive or fmt.provider is None:
        return False
    if endpoint.category in ("local", "local_gateway") or endpoint.id in PASS_THROUGH_ENDPOINTS:
        return False
    return fmt.provider != endpoint.id and fmt.id not in endpoint.key_formats


@checker
def check_plain_http(context: LintContext) -> Iterator[Finding]:
    """FL504: a model entry that sends a key (literal or ``${NAME}``: the value travels either
    way) to a remote host over plain http; one finding per entry, on its `baseUrl`."""
    key_field = context.field_name("apiKey")
    headers_field = context.field_name("extraHeaders")
    base_field = context.field_name("baseUrl")
    for entry in context.models():
        base = entry.value_of(base_field)
        if base is None or not isinstance(base.value, str):
            continue
        if not base.value.strip().lower().startswith("http://"):
            continue
        host = _host(base.value)
        if host is None or is_local_host(host):
            continue
        label = None
        node = entry.value_of(key_field)
        if node is not None and isinstance(node.value, str) and _sends_key(node.value):
            label = f"`{key_field}`"
        headers = entry.value_of(headers_field)
        for member in headers.members if headers is not None and label is None else []:
            value = member.value
            if (
                value is not None
                and isinstance(value.value, str)
                and is_secret_header(member.key)
                and _sends_key(value.value)
            ):
                label = f"`{headers_field}.{_show_name(member.key)}`"
                break
        if label is None:
            continue
        raw = context.text[base.start + 1 : base.start + 5]
        fix = (
            Fix("Use https://", (Edit(base.start + 1, base.start + 5, "https"),), safe=False)
            if raw.lower() == "http"
            else None
        )
        yield Finding(
            PLAIN_HTTP_KEY.code,
            f"the key in {label} is sent over plain http:// to {host}, which is not a local "
            "host: anyone on the network path can read and reuse it. Expected https://",
            base.start,
            base.end,
            base.pointer,
            fix,
        )


def _sends_key(value: str) -> bool:
    """A real key goes over the wire: a literal key or an environment reference (not empty, not
    a placeholder or local dummy)."""
    return is_literal_key(value) or catalog.placeholder_reason(value) == "env-reference"


@checker
def check_factory_env(context: LintContext) -> Iterator[Finding]:
    """FL505 for `"apiKey": "${FACTORY_API_KEY}"`: the variable holds Droid's own login key."""
    if context.kind != "settings":
        return
    for entry in context.models():
        node = entry.value_of("apiKey")
        if node is None or not isinstance(node.value, str):
            continue
        if "${FACTORY_API_KEY}" not in node.value:
            continue
        base = entry.string("baseUrl")
        host = _host(base) if base else None
        name = env_name_for(None, base)
        yield Finding(
            FACTORY_KEY.code,
            "`apiKey` is ${FACTORY_API_KEY}, the variable that holds Droid's own Factory login "
            f"key: Droid sends that key to {host or 'the model server'}, which answers 401 and "
            f'receives your Factory key. Expected the provider\'s key, e.g. "${{{name}}}"',
            node.start,
            node.end,
            node.pointer,
            Fix(
                f'Replace with "${{{name}}}" (export {name} before starting droid)',
                (Edit(node.start, node.end, f'"${{{name}}}"'),),
                safe=False,
            ),
        )


# --- helpers ----------------------------------------------------------------------------------


def file_role(path: str | None) -> str:
    """Which Droid file a path is: ``settings.json``, ``settings.local.json``, ``config.json``
    (chezmoi prefixes and test-name prefixes such as ``bad.user.settings.json`` allowed), or
    ``""``."""
    if not path:
        return ""
    name = base_name(PurePath(path))
    for role in ("settings.local.json", "settings.json", "config.json"):
        if name == role or name.endswith("." + role) or name.endswith("_" + role):
            return role
    return ""


def _env_names(context: LintContext, sites: list[Site]) -> dict[str, str]:
    """An environment variable name per literal key value, unique per distinct key."""
    names: dict[str, str] = {}
    used: dict[str, str] = {}
    base_field = context.field_name("baseUrl")

    def issued_here(site: Site) -> bool:
        base = site.entry.string(base_field) if site.entry is not None else None
        endpoint = catalog.endpoint_for_url(base) if base else None
        return bool(site.fmt and endpoint and site.fmt.id in endpoint.key_formats)

    # a key sent to the provider that issued it gets the plain name (OPENROUTER_API_KEY) first
    for site in sorted(sites, key=lambda s: not issued_here(s)):
        if site.value in names:
            continue
        base = site.entry.string(base_field) if site.entry is not None else None
        name = env_name_for(site.fmt, base)
        candidate, counter = name, 2
        while candidate in used and used[candidate] != site.value:
            candidate = f"{name}_{counter}"
            counter += 1
        used[candidate] = site.value
        names[site.value] = candidate
    return names


def env_name_for(fmt: KeyFormat | None, base_url: str | None) -> str:
    """A sensible environment variable name for a key: from the host it is sent to (its
    catalogued endpoint, else its domain), else from the key's issuer."""
    endpoint = catalog.endpoint_for_url(base_url) if base_url else None
    if endpoint is not None:
        return _env_for_id(endpoint.id)
    if fmt is not None and fmt.exclusive and fmt.provider:
        return _env_for_id(fmt.provider)
    host = _host(base_url) if base_url else None
    if host:
        if is_local_host(host):
            return "LOCAL_LLM_API_KEY"
        labels = [part for part in host.split(".") if part]
        while len(labels) > 2 and labels[0] in _GENERIC_LABELS:
            labels = labels[1:]
        label = labels[0]
        if len(labels) >= 2:
            label = labels[-2]
            if label in _SECOND_LEVEL and len(labels) >= 3:
                label = labels[-3]
        cleaned = re.sub(r"[^A-Za-z0-9]+", "_", label).strip("_").upper()
        if cleaned:
            return ("X_" if cleaned[0].isdigit() else "") + cleaned + "_API_KEY"
    return "LLM_API_KEY"


def _env_for_id(endpoint_id: str) -> str:
    if endpoint_id in ENV_NAMES:
        return ENV_NAMES[endpoint_id]
    return re.sub(r"[^A-Za-z0-9]+", "_", endpoint_id).upper() + "_API_KEY"


def _host(url: str | None) -> str | None:
    if not url:
        return None
    parts = split_url(url)
    if parts is None or not parts.hostname:
        return None
    return parts.hostname.lower()


def _shown(value: str) -> str:
    """``redact()`` of the key itself, keeping a leading ``Bearer``/``Token``/``Basic``."""
    match = re.match(r"(?i)(bearer|token|basic)\s+(?=\S)", value.strip())
    if match:
        return match.group(1) + " " + redact(value.strip()[match.end() :])
    return redact(value)


def _describe(site: Site) -> str:
    fmt = site.fmt
    shown = _shown(site.value)
    if fmt is not None and fmt.exclusive and fmt.provider:
        issuer = _provider_name(fmt.provider)
        return f"{_article(issuer)} {issuer} key ({shown})"
    if fmt is not None and fmt.kind == "factory":
        return f"a Factory API key ({shown})"
    if fmt is not None and fmt.kind == "credential":
        return f"a credential ({fmt.id}, {shown})"
    return f"a literal key ({shown})"


def _provider_name(provider: str | None) -> str:
    endpoint = catalog.endpoint_by_id(provider) if provider else None
    return endpoint.name if endpoint is not None else (provider or "unknown")


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _show_name(name: str) -> str:
    """An object key as a message may show it (key-shaped names are redacted)."""
    if looks_like_key(name) or catalog.identify_key(name) is not None:
        return redact(name)
    return name if len(name) <= 40 else name[:39] + "…"
