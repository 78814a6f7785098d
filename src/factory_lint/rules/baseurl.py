"""FL4xx: base URLs that do not fit the provider: doubled or missing path prefixes, endpoint
paths, API styles the host does not serve, unusable URLs.

Droid joins ``baseUrl`` with a fixed path (spec §5): ``anthropic`` appends ``/v1/messages``,
``openai`` appends ``/responses`` and ``generic-chat-completion-api`` ``/chat/completions``.
The endpoint catalog (:mod:`factory_lint.catalog`) says which paths a known host serves; for
hosts it does not know only a heuristic runs, and its findings are infos.  Each URL gets at
most one finding: the first check in the order below that fails.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from factory_lint.catalog import PROVIDER_STYLES, Endpoint, Style, endpoint_for_url
from factory_lint.context import LintContext
from factory_lint.findings import Edit, Finding, Fix, Severity
from factory_lint.jsonc import Node
from factory_lint.lazy_re import lazy_compile
from factory_lint.rules.registry import checker, rule
from factory_lint.urls import MEMO_MAX_LENGTH, is_local_host, split_url

INVALID_URL = rule(
    "FL401",
    "invalid-base-url",
    "error",
    "urls",
    "A base URL that is empty, has no `http://`/`https://` scheme, no host, a bad port, spaces, "
    "or a query string or fragment.",
    why="Droid hands the base URL to the Anthropic or OpenAI SDK, which can only call absolute "
    "http(s) URLs: every request of this model fails, and an organisation's "
    "`modelPolicy.allowedBaseUrls` cannot match it. A query string or `#fragment` is a "
    "warning: the SDK appends the API path to the end of the text, so the path lands inside "
    "the query (`…?api-version=1/chat/completions`).",
    example='{ "customModels": [ { "provider": "generic-chat-completion-api", '
    '"baseUrl": "localhost:11434/v1" } ] }',
    fix="Write the full URL with its scheme: `http://localhost:11434/v1` (unsafe fix when only "
    "the scheme is missing).",
    fixable="unsafe",
)
OPERATION_PATH = rule(
    "FL402",
    "operation-path-in-base-url",
    "warning",
    "urls",
    "A base URL that already ends in the API operation: `/chat/completions`, `/responses`, "
    "`/completions` or `/messages`.",
    why="Droid appends the operation itself (`/v1/messages`, `/responses`, "
    "`/chat/completions`), so the path is doubled (`…/chat/completions/chat/completions`) and "
    "the server answers 404.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "deepseek/deepseek-v3.2",\n'
        '      "displayName": "DeepSeek V3.2",\n'
        '      "provider": "generic-chat-completion-api",\n'
        '      "baseUrl": "https://openrouter.ai/api/v1/chat/completions",\n'
        '      "apiKey": "${OPENROUTER_API_KEY}"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Cut the base URL before the operation: `https://openrouter.ai/api/v1` (unsafe fix).",
    fixable="unsafe",
)
STYLE_NOT_SERVED = rule(
    "FL403",
    "api-style-not-served",
    "warning",
    "urls",
    "The provider's API style is one the host does not serve: `anthropic` on an OpenAI-only "
    "host (api.openai.com, Groq, Gemini…), or `openai`/`generic-chat-completion-api` on an "
    "Anthropic-only URL.",
    why="`provider` picks the wire protocol. A host without an Anthropic Messages endpoint "
    "answers 404 to `/v1/messages`, whatever the model. Where the host's documentation does "
    "not mention the style, or for a local server recognised only by its port, the finding is "
    "an info; a style the vendor has deprecated (xAI's Anthropic layer) is a warning.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "gpt-5.5",\n'
        '      "displayName": "GPT-5.5",\n'
        '      "provider": "anthropic",\n'
        '      "baseUrl": "https://api.openai.com/v1",\n'
        '      "apiKey": "${OPENAI_API_KEY}"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Use the provider the host serves (unsafe fix; the message names it), or the vendor's "
    "Anthropic-compatible base URL where it has one.",
    fixable="unsafe",
)
RESPONSES_NOT_SERVED = rule(
    "FL404",
    "responses-api-not-served",
    "warning",
    "urls",
    '`provider: "openai"` (OpenAI Responses API) on a host that serves only Chat Completions.',
    why="Droid's `openai` provider calls `POST {baseUrl}/responses`. Most OpenAI-compatible "
    "hosts (DeepSeek, Mistral, Together, DeepInfra, Cerebras, the Gemini OpenAI layer…) only "
    "implement `/chat/completions`, so the request fails with 404. On a local server whose "
    "documentation does not mention the Responses API the finding is an info.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "deepseek-ai/DeepSeek-V3.2",\n'
        '      "displayName": "DeepSeek V3.2",\n'
        '      "provider": "openai",\n'
        '      "baseUrl": "https://api.deepinfra.com/v1/openai",\n'
        '      "apiKey": "${DEEPINFRA_API_KEY}"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix='Use `"provider": "generic-chat-completion-api"` (unsafe fix).',
    fixable="unsafe",
)
ANTHROPIC_V1 = rule(
    "FL405",
    "anthropic-base-url-v1",
    "warning",
    "urls",
    '`provider: "anthropic"` with a base URL that ends in `/v1`.',
    why="The Anthropic SDK appends `/v1/messages` to the base URL, so `…/v1` becomes "
    "`…/v1/v1/messages` and the server answers 404 (checked with the real CLI: Droid 0.225.2 "
    "posts to `/v1/v1/messages`). This holds whatever the host is (a proxy such as "
    "`http://cliproxyapi:8317/v1` too), so the finding is always a warning. Guides written for clients that append "
    "only `/messages` (the Vercel AI SDK, opencode) show `/v1`; Droid needs the root.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "claude-sonnet-4-6",\n'
        '      "displayName": "Sonnet 4.6",\n'
        '      "provider": "anthropic",\n'
        '      "baseUrl": "https://api.anthropic.com/v1",\n'
        '      "apiKey": "${ANTHROPIC_API_KEY}"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Drop the `/v1` (`http://localhost:8317`), or use the catalogued Anthropic base URL of a "
    "known host (unsafe fix).",
    fixable="unsafe",
)
MISSING_PREFIX = rule(
    "FL406",
    "missing-api-prefix",
    "warning",
    "urls",
    "A base URL without the path prefix its host needs for the API style: `/v1` for "
    "`openai`/`generic-chat-completion-api` on most hosts, `/api/v1` on OpenRouter, "
    "`/openai/v1` on Groq, `/v1/openai` on DeepInfra, `/inference/v1` on Fireworks, "
    "`/v1beta/openai` on Gemini, `/anthropic` for DeepSeek's Anthropic API, …",
    why="The OpenAI SDK appends only `/responses` or `/chat/completions`, so the version prefix "
    "must be in the base URL; without it the request goes to `https://host/chat/completions` "
    "and fails (404, or `401 (no body)` on CLIProxyAPI). For known hosts the exact prefix comes "
    "from the endpoint catalog and the fix is certain; for unknown hosts an OpenAI-style base "
    "URL with no version-like segment (`v1`, `v4`, `v1beta`…) at all is reported as an info.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "gpt-5.5",\n'
        '      "displayName": "GPT-5.5 (CLIProxyAPI)",\n'
        '      "provider": "openai",\n'
        '      "baseUrl": "http://127.0.0.1:8317",\n'
        '      "apiKey": "${CLI_PROXY_API_KEY}"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Add the prefix: `http://127.0.0.1:8317/v1` (unsafe fix, known hosts only).",
    fixable="unsafe",
)
WRONG_PATH = rule(
    "FL407",
    "wrong-base-url-path",
    "warning",
    "urls",
    "A base URL on a known host whose path is not where that host serves the provider's API "
    "style (e.g. `https://openrouter.ai/v1`, `https://api.groq.com/v1`, Azure's legacy "
    "`/openai/deployments/…`).",
    why="Each vendor puts its OpenAI- or Anthropic-compatible API under its own prefix; any "
    "other path answers 404. The expected base URL comes from the endpoint catalog. When the "
    "URL is where the host serves another API style (Z.ai's Chat Completions URL "
    '`https://api.z.ai/api/paas/v4` with `provider: "openai"`), the provider is what is '
    "wrong, and the fix is the provider on the same URL.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "deepseek/deepseek-v3.2",\n'
        '      "displayName": "DeepSeek V3.2",\n'
        '      "provider": "generic-chat-completion-api",\n'
        '      "baseUrl": "https://openrouter.ai/v1",\n'
        '      "apiKey": "${OPENROUTER_API_KEY}"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Use the provider the message gives with the same URL when the URL serves another "
    "API style (unsafe fix), otherwise the base URL the message gives (unsafe fix when it has "
    "no placeholder such as `{account_id}`).",
    fixable="unsafe",
)
LOCAL_PATH = rule(
    "FL408",
    "local-server-path",
    "warning",
    "urls",
    "A local server recognised by its default port (11434 Ollama, 1234 LM Studio, 8317 "
    "CLIProxyAPI, 1337 Jan, 8787 droid bridge, 8000 vLLM, 8080 llama.cpp, 4000 LiteLLM) with a "
    "path where it does not serve the provider's API style (e.g. Ollama's native `/api`).",
    why="These servers expose their OpenAI-compatible API under `/v1` and their Anthropic API at "
    "the root; other paths are their native APIs or nothing, and answer 404. On the generic "
    "ports 8000, 8080 and 4000, or a non-loopback host (`http://fedora:11434`), another server "
    "may be listening, so the finding is an info there.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "qwen3-coder:30b",\n'
        '      "displayName": "Qwen3 Coder",\n'
        '      "provider": "generic-chat-completion-api",\n'
        '      "baseUrl": "http://localhost:11434/api",\n'
        '      "apiKey": "ollama"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Use the server's base URL for the style: `http://localhost:11434/v1` (unsafe fix).",
    fixable="unsafe",
)

#: Operation paths an SDK appends, longest first.  ``/v1/messages`` is the Anthropic one.
_OPERATIONS = ("/chat/completions", "/v1/messages", "/completions", "/responses", "/messages")
#: ``str.isspace()`` characters (the regex is ~10x faster than testing each character).
_SPACE = lazy_compile(r"\s")
_VERSION_SEGMENT = lazy_compile(r"^v\d+(?:\.\d+)*(?:[a-z]+\d*)?$", re.IGNORECASE)
#: Default ports that only one well-known local server uses; others (8000, 8080, 4000) are
#: shared by many development servers, so a finding there is only an info.
_DISTINCTIVE_PORTS = frozenset({11434, 1234, 8317, 1337, 8787})
_STYLE_NAMES: dict[Style, str] = {
    "anthropic": "Anthropic Messages",
    "responses": "OpenAI Responses",
    "chat": "Chat Completions",
}
STYLE_PROVIDERS: dict[Style, str] = {style: p for p, style in PROVIDER_STYLES.items()}
_APPENDED: dict[Style, str] = {
    "anthropic": "/v1/messages",
    "responses": "/responses",
    "chat": "/chat/completions",
}


class ParsedUrl:
    """A base URL split into the parts the checks need; offsets are into ``text``."""

    # A plain class, not a dataclass: creating a dataclass costs about a millisecond of start-up.

    __slots__ = (
        "has_query",
        "has_userinfo",
        "host",
        "netloc",
        "path",
        "path_start",
        "port",
        "scheme",
        "text",
    )

    def __init__(
        self,
        text: str,
        scheme: str,
        netloc: str,
        host: str,
        port: int | None,
        path: str,
        path_start: int,
        has_userinfo: bool,
        has_query: bool,
    ) -> None:
        self.text = text
        self.scheme = scheme
        self.netloc = netloc
        self.host = host
        self.port = port
        self.path = path
        #: offset of ``path`` in ``text``
        self.path_start = path_start
        self.has_userinfo = has_userinfo
        self.has_query = has_query

    @property
    def trimmed_path(self) -> str:
        return self.path.rstrip("/")

    def with_path(self, path: str) -> str:
        trailing = "/" if self.path.endswith("/") and path and not path.endswith("/") else ""
        return f"{self.scheme}://{self.netloc}{path}{trailing}"

    @property
    def shown(self) -> str:
        """The URL for messages: without credentials or query."""
        netloc = self.netloc.rpartition("@")[2]
        return f"{self.scheme}://{netloc}{self.path}"


class UrlSite:
    """Where a base URL sits in the document."""

    # A plain class, not a dataclass: creating a dataclass costs about a millisecond of start-up.

    __slots__ = ("context", "entry", "field", "lead", "node")

    def __init__(
        self, context: LintContext, entry: Node, node: Node, field: str, lead: int
    ) -> None:
        self.context = context
        self.entry = entry
        self.node = node
        self.field = field
        #: offset of the (whitespace-stripped) URL inside the string's content
        self.lead = lead

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Document offsets of ``[start, end)`` of the URL, or the whole node if the string
        holds escapes (then content offsets do not map one to one)."""
        node = self.node
        raw = self.context.text[node.start + 1 : node.end - 1]
        if raw == node.value and start < end:
            return node.start + 1 + self.lead + start, node.start + 1 + self.lead + end
        return node.start, node.end

    def finding(
        self,
        code: str,
        message: str,
        span: tuple[int, int] | None = None,
        fix: Fix | None = None,
        severity: Severity | None = None,
        help: str | None = None,
    ) -> Finding:
        start, end = span if span is not None else (self.node.start, self.node.end)
        return Finding(
            code, message, start, end, self.node.pointer, fix, severity=severity, help=help
        )

    def replace_fix(self, url: ParsedUrl, new: str, description: str | None = None) -> Fix | None:
        """An unsafe fix that replaces the URL, unless it would copy credentials or a query."""
        if url.has_userinfo or url.has_query or "{" in new:
            return None
        node = self.node
        return Fix(
            description or f"Replace with {new}",
            (Edit(node.start, node.end, json.dumps(new, ensure_ascii=False)),),
            safe=False,
        )


#: (URL, API style) pairs that passed every check. Whether a URL passes depends on nothing
#: else, files repeat the same few base URLs, and checking one costs ~20 us (parse, endpoint
#: lookup, path matching): a known-good URL is not checked again. Bounded like urls.py's memos.
_PASSED: set[tuple[str, Style]] = set()
_PASSED_MAX = 4096


@checker
def check_base_urls(context: LintContext) -> Iterator[Finding]:
    field = context.field_name("baseUrl")
    for entry in context.models():
        node = entry.value_of(field)
        if node is None or node.type != "string" or not isinstance(node.value, str):
            continue
        value = node.value
        if "${" in value:
            continue  # FL306 reports it: the literal text is used
        stripped = value.strip()
        provider = entry.string("provider")
        style = PROVIDER_STYLES.get(provider.lower().replace("_", "-")) if provider else None
        if style is not None and (stripped, style) in _PASSED:
            continue
        site = UrlSite(context, entry, node, field, len(value) - len(value.lstrip()))
        problem, url = _parse(site, stripped)
        if problem is not None:
            yield problem
            continue
        assert url is not None
        if style is None:
            continue  # unknown provider (FL201) or bedrock-converse: no URL convention
        found = _check(site, url, style)
        if found is not None:
            yield found
        elif len(_PASSED) < _PASSED_MAX and len(stripped) <= MEMO_MAX_LENGTH:
            _PASSED.add((stripped, style))


def _parse(site: UrlSite, text: str) -> tuple[Finding | None, ParsedUrl | None]:
    field = site.field
    if not text:
        return site.finding(
            INVALID_URL.code,
            f"`{field}` is empty: Droid has no URL to send requests to, so every request of "
            "this model fails; set it to the API's base URL",
        ), None
    if _SPACE.search(text):
        return site.finding(
            INVALID_URL.code,
            f"`{field}` contains a space or line break: it is not a valid URL and every request "
            "of this model fails; remove it",
        ), None
    scheme_match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):(//)?", text)
    if scheme_match is None or (
        scheme_match.group(1).lower() not in ("http", "https")
        and scheme_match.group(2) is None
        and re.match(r"^[^/:]+:\d+(?:/|$)", text) is not None
    ):
        # ``localhost:11434/v1`` parses as scheme "localhost"; treat a host:port as schemeless
        return _schemeless(site, text), None
    scheme = scheme_match.group(1).lower()
    if scheme not in ("http", "https"):
        return site.finding(
            INVALID_URL.code,
            f'`{field}` uses the scheme "{scheme}:"; Droid can only call http:// or https:// '
            "URLs, so every request of this model fails",
            site.span(0, len(scheme_match.group(1)) + 1),
        ), None
    if scheme_match.group(2) is None:
        fixed = f"{scheme_match.group(1)}://{text[scheme_match.end() :].lstrip('/')}"
        return site.finding(
            INVALID_URL.code,
            f'`{field}` is missing the "//" after "{scheme}:"; it is not a valid URL; did you '
            f"mean {_mask(fixed)}?",
            site.span(0, scheme_match.end()),
            _plain_replace(site, fixed),
        ), None
    parts = split_url(text)
    if parts is None:
        return site.finding(
            INVALID_URL.code,
            f"`{field}` is not a valid URL (bad port or brackets in the host); every request of "
            "this model fails",
        ), None
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return site.finding(
            INVALID_URL.code,
            f"`{field}` has no host name after {scheme}://; every request of this model fails",
        ), None
    path_start = len(parts.scheme) + 3 + len(parts.netloc)
    url = ParsedUrl(
        text=text,
        scheme=scheme,
        netloc=parts.netloc,
        host=host.lower(),
        port=parts.port,
        path=parts.path,
        path_start=path_start,
        has_userinfo="@" in parts.netloc,
        has_query=bool(parts.query or parts.fragment or "?" in text or "#" in text),
    )
    if url.has_query:
        cut = min(i for i in (text.find("?"), text.find("#")) if i >= 0)
        return site.finding(
            INVALID_URL.code,
            f"`{field}` has a query string or fragment: the SDK appends the API path to the end "
            "of the text, so the path lands inside the query and the request goes to the wrong "
            "place; remove everything from the ? or #",
            site.span(cut, len(text)),
            severity="warning",
            help="Azure's legacy `/openai/deployments/…?api-version=…` URLs do not work with "
            "Droid; use `https://{resource}.openai.azure.com/openai/v1`",
        ), url
    return None, url


def _schemeless(site: UrlSite, text: str) -> Finding:
    host = text.split("/", 1)[0].rsplit("@", 1)[-1].rsplit(":", 1)[0]
    scheme = "http" if is_local_host(host) else "https"
    fixed = f"{scheme}://{text.lstrip('/')}"
    return site.finding(
        INVALID_URL.code,
        f"`{site.field}` has no scheme: the SDK cannot call it, so every request of this model "
        f"fails; did you mean {_mask(fixed)}?",
        fix=_plain_replace(site, fixed),
    )


def _plain_replace(site: UrlSite, new: str) -> Fix | None:
    if "@" in new:
        return None  # never copy credentials into a fix
    return Fix(
        f"Replace with {new}",
        (Edit(site.node.start, site.node.end, json.dumps(new, ensure_ascii=False)),),
        safe=False,
    )


def _mask(url: str) -> str:
    """``url`` for a message: without anything up to an ``@`` (credentials) or a query."""
    scheme, sep, rest = url.partition("://")
    rest = rest.rpartition("@")[2].partition("?")[0].partition("#")[0]
    return f"{scheme}{sep}{rest}"


def _check(site: UrlSite, url: ParsedUrl, style: Style) -> Finding | None:
    endpoint = endpoint_for_url(url.text)
    guessed = False
    if endpoint is None:
        endpoint = endpoint_for_url(url.text, guess_by_port=True)
        guessed = endpoint is not None
    served = _style_served(site, url, style, endpoint, guessed)
    if served is not None and served.severity == "info":
        # a doubled ``/v1`` is certain whatever the host: it outranks a soft style doubt
        served = _anthropic_v1(site, url, style, endpoint, guessed) or served
    return (
        _operation_path(site, url, style)
        or served
        or _anthropic_v1(site, url, style, endpoint, guessed)
        or _known_path(site, url, style, endpoint, guessed)
        or _unknown_host(site, url, style, endpoint)
    )


def _operation_path(site: UrlSite, url: ParsedUrl, style: Style) -> Finding | None:
    path = url.trimmed_path
    lower = path.lower()
    for operation in _OPERATIONS:
        if operation == "/v1/messages" and style != "anthropic":
            continue
        if lower.endswith(operation):
            base_path = path[: len(path) - len(operation)]
            fixed = url.with_path(base_path)
            start = url.path_start + len(path) - len(operation)
            appended = _APPENDED[style]
            return site.finding(
                OPERATION_PATH.code,
                f"`{site.field}` ends in the API operation `{path[len(base_path) :]}`, but Droid "
                f"appends `{appended}` itself, so the request goes to "
                f"`…{path[len(base_path) :]}{appended}` (404); use {_mask(fixed)}",
                site.span(start, url.path_start + len(path)),
                site.replace_fix(url, fixed),
            )
    return None


def _severity(endpoint: Endpoint, guessed: bool) -> Severity | None:
    """Info for local servers recognised only by a shared port or on a non-loopback host."""
    if guessed:
        return "info"
    if endpoint.is_local and endpoint.local_port not in _DISTINCTIVE_PORTS:
        return "info"
    return None


def _where(endpoint: Endpoint, guessed: bool) -> str:
    name = short_name(endpoint)
    if endpoint.is_local:
        if guessed or endpoint.local_port not in _DISTINCTIVE_PORTS:
            return f"{name} (if that is what listens on port {endpoint.local_port})"
        return f"{name} on port {endpoint.local_port}"
    return name


def short_name(endpoint: Endpoint) -> str:
    """The endpoint's name without its parenthesised detail (``Anthropic (Claude API)``)."""
    return endpoint.name.split(" (", 1)[0]


def _other_style_hint(endpoint: Endpoint, url: ParsedUrl, style: Style) -> str:
    """``; this URL is X's Anthropic Messages endpoint: …`` when the path serves another style."""
    other = _served_style_for_path(endpoint, url, exclude=style)
    if other is None or (not url.trimmed_path and endpoint.is_local):
        return ""
    where = f"`{url.trimmed_path}` is" if url.trimmed_path else "the bare host is"
    return (
        f"; {where} its {_STYLE_NAMES[other]} API, so this URL works as it is with provider "
        f'"{STYLE_PROVIDERS[other]}"'
    )


def _style_served(
    site: UrlSite, url: ParsedUrl, style: Style, endpoint: Endpoint | None, guessed: bool
) -> Finding | None:
    provider = STYLE_PROVIDERS[style]
    if endpoint is None:
        if style != "anthropic" and url.trimmed_path.lower().endswith("/anthropic"):
            return site.finding(
                STYLE_NOT_SERVED.code,
                f"`{site.field}` ends in `/anthropic`, which is usually a vendor's Anthropic "
                f'Messages endpoint, but provider "{provider}" speaks the OpenAI '
                f'{_STYLE_NAMES[style]} API; did you mean provider "anthropic"?',
                site.span(
                    url.path_start + len(url.trimmed_path) - len("/anthropic"),
                    url.path_start + len(url.trimmed_path),
                ),
                severity="info",
            )
        return None
    status = endpoint.status(style)
    if status in ("native", "compatible"):
        return None
    where = _where(endpoint, guessed)
    documented = {
        "not_supported": "does not serve the",
        "not_documented": "documents no",
        "deprecated": "has deprecated its",
    }.get(status, "does not serve the")
    severity = _severity(endpoint, guessed)
    if status == "not_documented" and endpoint.is_local:
        severity = "info"
    alternative = _served_style_for_path(endpoint, url, exclude=style)
    if style == "responses" and endpoint.serves("chat"):
        return site.finding(
            RESPONSES_NOT_SERVED.code,
            f'provider "openai" calls the OpenAI Responses API (`{url.shown.rstrip("/")}'
            f"/responses`), but {where} {documented} Responses API; it serves Chat Completions: "
            'use provider "generic-chat-completion-api"',
            fix=_provider_fix(site, "generic-chat-completion-api"),
            severity=severity,
        )
    message = (
        f'provider "{provider}" speaks the {_STYLE_NAMES[style]} API, but {where} {documented} '
        f"{_STYLE_NAMES[style]} API"
    )
    fix = None
    if alternative is not None:
        other = STYLE_PROVIDERS[alternative]
        message += f'; this URL serves the {_STYLE_NAMES[alternative]} API: use provider "{other}"'
        fix = _provider_fix(site, other)
    else:
        served = [s for s in _PREFERENCE if s != style and endpoint.serves(s)]
        served = [s for s in served if endpoint.status(s) != "deprecated"] or served
        if served:
            base = endpoint.base_url_for(served[0], url.host)
            message += f'; use provider "{STYLE_PROVIDERS[served[0]]}"'
            if base:
                message += f" with {base}"
    if status == "deprecated":
        message += " (the deprecated layer may stop working at any time)"
    return site.finding(STYLE_NOT_SERVED.code, message, fix=fix, severity=severity)


_HELP: dict[tuple[str, Style], str] = {
    ("anthropic", "chat"): "Anthropic describes its OpenAI-compatible layer as meant for testing, "
    'not production; provider "anthropic" with https://api.anthropic.com is the supported way',
    ("gemini", "chat"): "Factory's Gemini page shows `…/v1beta/`, but Google documents its "
    "OpenAI-compatible base URL as `https://generativelanguage.googleapis.com/v1beta/openai/`",
}
_PREFERENCE: tuple[Style, ...] = ("responses", "chat", "anthropic")


def _served_style_for_path(endpoint: Endpoint, url: ParsedUrl, exclude: Style) -> Style | None:
    """A style the endpoint serves at exactly this URL's path (Responses first when native)."""
    order: tuple[Style, ...] = _PREFERENCE
    if endpoint.status("responses") != "native":
        order = ("chat", "responses", "anthropic")
    for style in order:
        if (
            style != exclude
            and endpoint.serves(style)
            and endpoint.accepts_path(style, url.trimmed_path, url.host)
        ):
            return style
    return None


def _provider_fix(site: UrlSite, provider: str) -> Fix | None:
    node = site.entry.value_of("provider")
    if node is None or node.type != "string":
        return None
    return Fix(
        f'Replace the provider with "{provider}"',
        (Edit(node.start, node.end, json.dumps(provider)),),
        safe=False,
    )


def _anthropic_v1(
    site: UrlSite, url: ParsedUrl, style: Style, endpoint: Endpoint | None, guessed: bool
) -> Finding | None:
    if style != "anthropic":
        return None
    path = url.trimmed_path
    if not path.lower().endswith("/v1"):
        return None
    root_path = path[:-3]
    fixed = url.with_path(root_path)
    if endpoint is not None and not endpoint.accepts_path("anthropic", root_path, url.host):
        catalogued = _catalog_url(endpoint, "anthropic", url)
        if catalogued is not None:
            fixed = catalogued
    where = f" ({_where(endpoint, guessed)})" if endpoint is not None else ""
    start = url.path_start + len(path) - 3
    return site.finding(
        ANTHROPIC_V1.code,
        f'provider "anthropic" appends `/v1/messages` to the base URL, so `{url.shown}` '
        f"becomes `…/v1/v1/messages` (404); use {fixed}{where}",
        site.span(start, start + 3),
        site.replace_fix(url, fixed),
    )


def _catalog_url(endpoint: Endpoint, style: Style, url: ParsedUrl) -> str | None:
    """The catalogued base URL for ``style``, on the user's own scheme and host when the
    catalog's recommended variant is on that host (or the endpoint is a local server)."""
    recommended = endpoint.base_url_for(style, url.host)
    if recommended is None:
        return None
    rest = recommended.partition("://")[2]
    netloc, slash, path = rest.partition("/")
    catalog_host = netloc.rpartition(":")[0] if netloc.count(":") == 1 else netloc
    if endpoint.is_local or catalog_host.lower() == url.host:
        return url.with_path(f"{slash}{path}" if path else "")
    if "{" in recommended:
        return None
    return recommended


def _known_path(
    site: UrlSite, url: ParsedUrl, style: Style, endpoint: Endpoint | None, guessed: bool
) -> Finding | None:
    if endpoint is None or not endpoint.serves(style):
        return None
    path = url.trimmed_path
    if endpoint.accepts_path(style, path, url.host):
        return None
    candidates = _prefixes(endpoint, style, url.host)
    if not candidates:
        return None
    where = _where(endpoint, guessed)
    severity = _severity(endpoint, guessed)
    appended = _APPENDED[style]
    segments = [s for s in path.split("/") if s]
    for candidate in candidates:
        wanted = [s for s in candidate.split("/") if s]
        if wanted[: len(segments)] == segments and len(wanted) > len(segments):
            fixed = url.with_path("/" + "/".join(wanted))
            missing = "/" + "/".join(wanted[len(segments) :])
            shown_fix = fixed if "{" not in candidate else f"{url.scheme}://{url.host}{candidate}"
            return site.finding(
                MISSING_PREFIX.code,
                f"{where} serves the {_STYLE_NAMES[style]} API under `{candidate}`, but this base "
                f"URL lacks `{missing}`: Droid requests `{url.shown.rstrip('/')}{appended}`, which "
                f"it does not serve; use {shown_fix}{_other_style_hint(endpoint, url, style)}",
                site.span(url.path_start, url.path_start + len(path)) if path else None,
                site.replace_fix(url, fixed),
                severity=severity,
                help=_HELP.get((endpoint.id, style)),
            )
    best = _catalog_url(endpoint, style, url)
    shown = best or endpoint.base_url_for(style, url.host) or candidates[0]
    code = LOCAL_PATH.code if endpoint.is_local else WRONG_PATH.code
    other = _served_style_for_path(endpoint, url, exclude=style)
    if other is not None and (url.trimmed_path or not endpoint.is_local):
        # The URL is right for another API style of the same host: the provider is what is
        # wrong (Z.ai's `/api/paas/v4` with provider "openai"), so that is the fix offered.
        here = f"`{path}`" if path else "the bare host"
        keep = ""
        if style != "responses" or endpoint.status(style) == "native":
            keep = f' (or keep provider "{STYLE_PROVIDERS[style]}" with base URL {shown})'
        return site.finding(
            code,
            f"{here} is {where}'s {_STYLE_NAMES[other]} API, but provider "
            f'"{STYLE_PROVIDERS[style]}" calls the {_STYLE_NAMES[style]} API there '
            f"(`{url.shown.rstrip('/')}{appended}`, which it does not serve): use provider "
            f'"{STYLE_PROVIDERS[other]}" with this same URL{keep}',
            site.span(url.path_start, url.path_start + len(path)) if path else None,
            _provider_fix(site, STYLE_PROVIDERS[other]),
            severity=severity,
        )
    hint = ""
    if endpoint.is_local and path.lower().startswith("/api") and endpoint.id == "ollama":
        hint = " (`/api` is Ollama's native API, not its OpenAI-compatible one)"
    elif "/openai/deployments/" in path.lower():
        hint = " (the legacy deployments URL needs an `api-version` query that Droid does not add)"
    return site.finding(
        code,
        f"{where} does not serve the {_STYLE_NAMES[style]} API at `{path or '/'}`{hint}; "
        f'its base URL for provider "{STYLE_PROVIDERS[style]}" is {shown}'
        f"{_other_style_hint(endpoint, url, style)}",
        site.span(url.path_start, url.path_start + len(path)) if path else None,
        site.replace_fix(url, best) if best else None,
        severity=severity,
    )


def _prefixes(endpoint: Endpoint, style: Style, host: str) -> list[str]:
    """The accepted base-URL paths for ``style`` on ``host``, recommended first."""
    on_host = []
    for variant in endpoint.base_url_variants.get(style, ()):
        rest = variant.partition("://")[2]
        netloc, _, path = rest.partition("/")
        name = netloc.partition(":")[0]
        if endpoint.is_local or name == host or ("{" in name and endpoint.matches_host(host)):
            on_host.append("/" + path if path else "")
    if on_host:
        return on_host
    return list(endpoint.path_prefixes.get(style, ()))


def _unknown_host(
    site: UrlSite, url: ParsedUrl, style: Style, endpoint: Endpoint | None
) -> Finding | None:
    if endpoint is not None or style == "anthropic":
        return None
    segments = [s for s in url.path.split("/") if s]
    if any(_VERSION_SEGMENT.match(s) for s in segments):
        return None
    provider = STYLE_PROVIDERS[style]
    return site.finding(
        MISSING_PREFIX.code,
        f'provider "{provider}" appends only `{_APPENDED[style]}`, and `{url.shown}` has no '
        f"version segment such as `/v1`: most OpenAI-compatible servers answer 404 at "
        f"`{url.shown.rstrip('/')}{_APPENDED[style]}`; check the server's documentation for "
        "its base URL",
        severity="info",
        help="factory-lint does not know this host; most servers want `/v1` (OpenRouter "
        "`/api/v1`, Groq `/openai/v1`, Z.ai `/api/paas/v4`)",
    )
