"""FL3xx: `apiKey` values Droid cannot use: placeholders, empty keys, env-var mistakes."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from factory_lint.context import LintContext
from factory_lint.findings import Edit, Finding, Fix
from factory_lint.jsonc import Node
from factory_lint.lazy_re import lazy_compile
from factory_lint.rules.registry import checker, rule
from factory_lint.secrets import is_placeholder
from factory_lint.urls import is_local_url

#: Exactly these make Droid drop the entry (spec §3 rule 2; checked with the real CLI).
DROPPED_PLACEHOLDERS = ("YOUR_API_KEY", "YOUR_OPENAI_API_KEY")
_ENV_REF = lazy_compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_BARE_ENV_NAME = lazy_compile(
    r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_(?:API_KEY|KEY|TOKEN|SECRET|APIKEY|ACCESS_KEY|AUTH_TOKEN)$"
)
_WRONG_ENV_SYNTAX = (
    (lazy_compile(r"^\$([A-Za-z_][A-Za-z0-9_]*)$"), "`$NAME`"),
    (lazy_compile(r"^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-=?+][^}]*)\}$"), "`${NAME:-default}`"),
    (lazy_compile(r"^%([A-Za-z_][A-Za-z0-9_]*)%$"), "`%NAME%`"),
    (lazy_compile(r"^\$env:([A-Za-z_][A-Za-z0-9_]*)$", re.IGNORECASE), "`$env:NAME`"),
    (lazy_compile(r"^\{env:([A-Za-z_][A-Za-z0-9_]*)\}$"), "`{env:NAME}`"),
)

PLACEHOLDER_DROPPED = rule(
    "FL301",
    "placeholder-key-drops-model",
    "error",
    "keys",
    '`apiKey` is `"YOUR_API_KEY"` or `"YOUR_OPENAI_API_KEY"`.',
    why="Droid treats these two documentation placeholders specially: it silently drops the "
    "entry, so the model is missing from /model with no message.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "gpt-5.5",\n'
        '      "displayName": "GPT-5.5",\n'
        '      "provider": "openai",\n'
        '      "baseUrl": "https://api.openai.com/v1",\n'
        '      "apiKey": "YOUR_API_KEY"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix='Put your key in an environment variable and write `"apiKey": "${NAME}"`.',
)
PLACEHOLDER_KEY = rule(
    "FL302",
    "placeholder-key",
    "warning",
    "keys",
    "`apiKey` still holds a placeholder (`your_api_key`, `<key>`, `sk-xxx`, `changeme`, …).",
    why="Droid sends it as-is and the provider answers 401 Unauthorized at the first request. "
    "An error when the base URL is a catalogued hosted API (a certain failure).",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "deepseek/deepseek-v3.2",\n'
        '      "displayName": "DeepSeek V3.2",\n'
        '      "provider": "generic-chat-completion-api",\n'
        '      "baseUrl": "https://openrouter.ai/api/v1",\n'
        '      "apiKey": "sk-xxxxxxxx"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix='Replace it with `"${NAME}"` for an environment variable holding the key.',
)
EMPTY_KEY = rule(
    "FL303",
    "empty-api-key",
    "warning",
    "keys",
    "`apiKey` is empty or missing: Droid then sends no auth header.",
    why="Hosted APIs answer 401 (checked with the real CLI: with an empty `apiKey` Droid "
    "0.225.2 sends neither `x-api-key` nor `Authorization`); an error when the base URL is a "
    "catalogued hosted API. Local servers (Ollama, LM Studio, vLLM…) usually need no key, so "
    "nothing is reported there; one that checks keys (CLIProxyAPI or LiteLLM configured with "
    "keys) answers 401, which `factory-lint probe` reports (FL803).",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "gpt-5.5",\n'
        '      "displayName": "GPT-5.5",\n'
        '      "provider": "openai",\n'
        '      "baseUrl": "https://api.openai.com/v1",\n'
        '      "apiKey": ""\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix='Set `"apiKey": "${NAME}"`; for a local server any non-empty value such as '
    '"not-needed" also works.',
)
BARE_ENV_NAME = rule(
    "FL304",
    "env-var-name-as-key",
    "warning",
    "keys",
    "`apiKey` is the *name* of an environment variable (`OPENAI_API_KEY`) instead of a "
    "reference to it.",
    why="Droid sends the literal text `OPENAI_API_KEY` as the key (checked with Droid 0.225.2: "
    "the entry loads); only `${OPENAI_API_KEY}` is expanded. A hosted API answers 401, so it "
    "is an error when the base URL is a catalogued hosted API; a local server that ignores "
    "keys (Ollama) works, so there it is a warning.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "gpt-5.5",\n'
        '      "displayName": "GPT-5.5",\n'
        '      "provider": "openai",\n'
        '      "baseUrl": "https://api.openai.com/v1",\n'
        '      "apiKey": "OPENAI_API_KEY"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Wrap it as `${NAME}` (unsafe fix: the key sent changes).",
    fixable="unsafe",
)
WRONG_ENV_SYNTAX = rule(
    "FL305",
    "unsupported-env-syntax",
    "warning",
    "keys",
    "`$NAME`, `${NAME:-default}`, `%NAME%` or `$env:NAME` in `apiKey`.",
    why="Droid expands only `${NAME}` (letters, digits, `_`); other shell or Windows syntaxes "
    "are sent literally (an error when the base URL is a catalogued hosted API, which answers "
    "401).",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "deepseek/deepseek-v3.2",\n'
        '      "displayName": "DeepSeek V3.2",\n'
        '      "provider": "generic-chat-completion-api",\n'
        '      "baseUrl": "https://openrouter.ai/api/v1",\n'
        '      "apiKey": "$OPENROUTER_API_KEY"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Use `${NAME}` (unsafe fix: a default value is lost).",
    fixable="unsafe",
)
ENV_NOT_EXPANDED = rule(
    "FL306",
    "env-var-not-expanded",
    "warning",
    "keys",
    "`${NAME}` where Droid does not expand it: legacy `api_key`, `baseUrl`, `extraHeaders`, "
    "`extraArgs`, `model`, `displayName`.",
    why="Only settings.json `apiKey` (and some `bedrock` fields) are expanded; elsewhere the "
    "literal text `${NAME}` is sent, e.g. as the URL or the header value.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "gpt-5.5",\n'
        '      "displayName": "GPT-5.5 via LiteLLM",\n'
        '      "provider": "generic-chat-completion-api",\n'
        '      "baseUrl": "${LITELLM_URL}/v1",\n'
        '      "apiKey": "${LITELLM_API_KEY}"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Write the value literally, or (for legacy `api_key`) move the model to settings.json "
    "where `apiKey` supports `${NAME}`.",
)

_NOT_EXPANDED_FIELDS = ("baseUrl", "model", "displayName")
_NOT_EXPANDED_CONTAINERS = ("extraHeaders", "extraArgs")


@checker
def check_api_keys(context: LintContext) -> Iterator[Finding]:
    # Field names are spelled once per file, not once per entry.
    key_field = context.field_name("apiKey")
    fields = tuple(context.field_name(camel) for camel in _NOT_EXPANDED_FIELDS)
    containers = tuple(context.field_name(camel) for camel in _NOT_EXPANDED_CONTAINERS)
    for entry in context.models():
        problem = _key_value(context, entry, entry.value_of(key_field), key_field)
        if problem is not None:
            yield problem
        yield from _unexpanded(entry, fields, containers)


#: Findings about a key that is not one; on a hosted API that checks keys they are errors.
_NOT_A_KEY = frozenset({"FL302", "FL303", "FL304", "FL305"})
#: Catalog categories of hosted APIs, which answer 401 to a key that is not one.
_HOSTED = frozenset({"first_party", "hosted", "aggregator", "cloud"})


def _key_value(
    context: LintContext, entry: Node, node: Node | None, key_field: str
) -> Finding | None:
    finding = _key_finding(context, entry, node, key_field)
    if finding is None or finding.code not in _NOT_A_KEY or finding.severity is not None:
        return finding
    host = _hosted_api(entry.string(context.field_name("baseUrl")))
    if host is None:
        return finding
    # Certain to fail at the first request: an error, so that the pre-commit hook stops it.
    message = finding.message
    if "401" not in message:
        rejected = f", which {host} rejects with 401 Unauthorized"
        for anchor in ("sends that text as the key", "sends the text literally", "sent literally"):
            if anchor in message:
                message = message.replace(anchor, anchor + rejected, 1)
                break
        else:
            message += rejected
    return Finding(
        finding.code,
        message,
        finding.start,
        finding.end,
        finding.pointer,
        finding.fix,
        "error",
        finding.help,
        finding.data,
    )


def _hosted_api(base_url: str | None) -> str | None:
    """The name of the catalogued hosted API (not a local server) ``base_url`` points at."""
    if not base_url or is_local_url(base_url):
        return None
    from factory_lint.catalog import endpoint_for_url

    try:
        endpoint = endpoint_for_url(base_url)
    except Exception:  # a half-built catalog must not stop the lint
        return None
    if endpoint is None or endpoint.category not in _HOSTED:
        return None
    return endpoint.name


def _key_finding(
    context: LintContext, entry: Node, node: Node | None, key_field: str
) -> Finding | None:
    if node is None:
        base_url = entry.string(context.field_name("baseUrl"))
        stripped = entry.get("apiKeyHelper") is not None  # reported by FL205 instead
        if entry.get("bedrock") is None and base_url is not None and not stripped:
            return _empty_key(context, entry, None, base_url)
        return None
    value = node.value
    if not isinstance(value, str):
        return None
    problem = _key_problem(value, context.kind == "legacy")
    if problem is None:
        return None
    what = problem[0]
    if what == "empty":
        return _empty_key(context, entry, node, entry.string(context.field_name("baseUrl")))
    if what == "dropped":
        return Finding(
            PLACEHOLDER_DROPPED.code,
            f'`{key_field}` is the placeholder "{value}": Droid silently drops this model entry; '
            'put the key in an environment variable and write "${NAME}"',
            node.start,
            node.end,
            node.pointer,
        )
    if what == "placeholder":
        return Finding(
            PLACEHOLDER_KEY.code,
            f"`{key_field}` looks like a placeholder ({_safe_show(value)}), not a key; the "
            "provider will answer 401 Unauthorized",
            node.start,
            node.end,
            node.pointer,
        )
    if what == "bare":
        return _bare_env_name(context, node, value, key_field)
    if what == "syntax":
        return _wrong_syntax(context, node, problem[1], problem[2], key_field)
    return Finding(
        ENV_NOT_EXPANDED.code,
        "legacy config.json does not expand `${…}` in `api_key`: the literal text is sent "
        "as the key; move this model to settings.json (`apiKey` there expands `${NAME}`)",
        node.start,
        node.end,
        node.pointer,
    )


def _key_problem(value: str, legacy: bool) -> tuple[str, ...] | None:
    """What is wrong with an ``apiKey`` text: ``("empty",)``, ``("dropped",)``,
    ``("placeholder",)``, ``("bare",)``, ``("syntax", name, label)`` or ``("legacy-ref",)``;
    None when nothing is."""
    if len(value) <= _MEMO_MAX_LENGTH:
        return _key_problem_memo(value, legacy)
    return _classify_key(value, legacy)


def _classify_key(value: str, legacy: bool) -> tuple[str, ...] | None:
    if value.strip() == "":
        return ("empty",)
    if value in DROPPED_PLACEHOLDERS:
        return ("dropped",)
    if is_placeholder(value):
        return ("placeholder",)
    if "A" <= value[:1] <= "Z" and _BARE_ENV_NAME.match(value):
        return ("bare",)
    if _may_be_wrong_syntax(value):
        for pattern, label in _WRONG_ENV_SYNTAX:
            match = pattern.match(value)
            if match:
                return ("syntax", match.group(1), label)
    if legacy and _has_env_ref(value):
        return ("legacy-ref",)
    return None


#: The same ``${PROVIDER_API_KEY}`` values recur in file after file, so each text is classified
#: once per process (~0.8 us -> ~0.1 us an entry); longer texts are not kept in memory.
_MEMO_MAX_LENGTH = 256
_key_problem_memo = functools.lru_cache(maxsize=4096)(_classify_key)


def _has_env_ref(value: object) -> bool:
    """A string holding ``${NAME}``; the ``in`` test spares the regex for most values."""
    return isinstance(value, str) and "${" in value and _ENV_REF.search(value) is not None


def _may_be_wrong_syntax(value: str) -> bool:
    """False when no pattern of _WRONG_ENV_SYNTAX can match: each starts with ``$``, ``%`` or
    ``{``; after ``${`` only ``${NAME:-default}`` can, and it holds one of ``-=?+``. Most keys
    are ``${NAME}``, which this answers without a regex."""
    first = value[:1]
    if first not in ("$", "%", "{"):
        return False
    if value.startswith("${"):
        return "-" in value or "=" in value or "?" in value or "+" in value
    return True


def _empty_key(
    context: LintContext, entry: Node, node: Node | None, base_url: str | None
) -> Finding | None:
    key_field = context.field_name("apiKey")
    what = "is empty" if node is not None else "is not set"
    if is_local_url(base_url):
        # a local server usually needs no key; one that checks keys answers 401, which
        # `factory-lint probe` reports (FL803): nothing to act on from the file alone
        return None
    message = (
        f"`{key_field}` {what}: Droid sends no auth header and the provider will answer "
        '401 Unauthorized; set it to "${NAME}" for an environment variable holding the key'
    )
    if node is not None:
        start, end, pointer = node.start, node.end, node.pointer
    else:
        start, end, pointer = entry.start, entry.start + 1, entry.pointer
    return Finding(EMPTY_KEY.code, message, start, end, pointer)


def _bare_env_name(context: LintContext, node: Node, name: str, key_field: str) -> Finding:
    if context.kind == "legacy":
        return Finding(
            BARE_ENV_NAME.code,
            f'`{key_field}` is "{name}", the name of an environment variable: Droid sends that '
            "text as the key. config.json cannot reference variables; move the model to "
            f'settings.json and write "apiKey": "${{{name}}}"',
            node.start,
            node.end,
            node.pointer,
        )
    return Finding(
        BARE_ENV_NAME.code,
        f'`apiKey` is "{name}", the name of an environment variable: Droid sends that text '
        f'as the key; did you mean "${{{name}}}"?',
        node.start,
        node.end,
        node.pointer,
        Fix(f'Replace with "${{{name}}}"', (Edit(node.start, node.end, f'"${{{name}}}"'),), False),
    )


def _wrong_syntax(
    context: LintContext, node: Node, name: str, label: str, key_field: str
) -> Finding:
    if context.kind == "legacy":
        return Finding(
            WRONG_ENV_SYNTAX.code,
            f"`{key_field}` uses {label}, but config.json expands no variables: the text is sent "
            f'literally; move the model to settings.json and write "apiKey": "${{{name}}}"',
            node.start,
            node.end,
            node.pointer,
        )
    return Finding(
        WRONG_ENV_SYNTAX.code,
        f"`apiKey` uses {label}, which Droid does not expand (it sends the text literally); "
        f'only "${{{name}}}" works',
        node.start,
        node.end,
        node.pointer,
        Fix(f'Replace with "${{{name}}}"', (Edit(node.start, node.end, f'"${{{name}}}"'),), False),
    )


def _unexpanded(
    entry: Node, fields: tuple[str, ...], containers: tuple[str, ...]
) -> Iterator[Finding]:
    for name in fields:
        node = entry.value_of(name)
        if node is None:
            continue
        value = node.value
        # _has_env_ref inlined: this runs for three fields of every entry
        if isinstance(value, str) and "${" in value and _ENV_REF.search(value):
            yield Finding(
                ENV_NOT_EXPANDED.code,
                f"Droid does not expand `${{…}}` in `{name}`: the literal text is used; write "
                "the value itself",
                node.start,
                node.end,
                node.pointer,
            )
    for name in containers:
        holder = entry.value_of(name)
        if holder is None:
            continue
        for node in holder.walk():
            if node.type == "string" and _has_env_ref(node.value):
                yield Finding(
                    ENV_NOT_EXPANDED.code,
                    f"Droid does not expand `${{…}}` in `{name}`: "
                    "the literal text is sent; put the value itself here (for an auth header, "
                    "prefer `apiKey`, which expands `${NAME}`)",
                    node.start,
                    node.end,
                    node.pointer,
                )


def _safe_show(value: str) -> str:
    """Placeholders are not secrets, but only show short ones in full."""
    return f'"{value}"' if len(value) <= 32 else f'"{value[:12]}…"'
