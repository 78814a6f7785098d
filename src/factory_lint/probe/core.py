"""The probe of one custom model: which requests to send and what the answers mean.

For one entry, in order (each step only when the previous one got an answer):

1. resolve the key as Droid would (``${NAME}`` in settings ``apiKey`` only);
2. list the models the way the API style does: ``GET {base}/models`` with a Bearer key
   (``openai``, ``generic-chat-completion-api``) or ``GET {base}/v1/models`` with ``x-api-key``
   and ``anthropic-version`` (``anthropic``); a network failure is FL801/FL802, 401/403 FL803,
   402/429 FL804; a 404 makes it try the corrected base URLs (the ``/v1`` mistakes) and report
   the one that lists models (FL806);
3. Ollama (port 11434, or detected by ``/api/version``): ``/api/tags`` for the model (FL807),
   ``/api/show`` and ``/api/ps`` for its context window (FL808); other servers: the model id in
   the list (FL805);
4. with ``deep``: the smallest real request Droid would send (FL809 and the above).

Every request goes to the base URL's origin only (see :mod:`factory_lint.probe.transport`),
and nothing is sent when the entry would need ``${NAME}`` values of the environment but its file
is not trusted (``expand_env``), or would send a key over plain ``http://`` to another machine
(``allow_http``): the entry is then reported as not probed (FL813, a warning). Each request
has a total deadline and the requests of one model a budget together (:func:`model_budget`);
an unexpected failure while probing one model is a finding of that model, never an exception.
"""

from __future__ import annotations

import contextlib
import difflib
import http
import itertools
import json
import os
import re
import sys
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit, urlunsplit

from factory_lint.catalog import endpoint_for_url
from factory_lint.engine import scrub, scrub_findings
from factory_lint.findings import Edit, Finding, Fix, Severity
from factory_lint.kinds import Kind
from factory_lint.probe import rules as R
from factory_lint.probe.entries import (
    DROPPED_KEYS,
    ENV_REF,
    ModelEntry,
    model_entries,
    resolve_key,
)
from factory_lint.probe.transport import (
    MAX_BODY,
    Client,
    CrossOriginRedirect,
    NetworkError,
    ProbeSetupError,
    Response,
    cleartext_proxy,
    is_cleartext_remote,
    origin_of,
    show_url,
)
from factory_lint.redaction import is_credential_name, mask_runs
from factory_lint.secrets import is_secret_header, looks_like_key, may_be_secret
from factory_lint.urls import is_local_url

DEFAULT_TIMEOUT = 5.0
#: The requests of one model together may take this many timeouts (plus the deep requests').
MODEL_BUDGET_TIMEOUTS = 6
#: Model ids compared with a missing one to suggest the closest (real lists have < 2,000).
MAX_SUGGESTION_CANDIDATES = 20_000
#: Factory's guidance: agentic work needs at least this much context.
CONTEXT_GUIDANCE = 32_000
ANTHROPIC_VERSION = "2023-06-01"
OLLAMA_PORT = 11434
#: OpenAI's Responses API rejects ``max_output_tokens`` below 16.
RESPONSES_MIN_OUTPUT = 16
DEEP_PROMPT = "ping"

_ENDPOINT_SUFFIXES = (
    "/chat/completions",
    "/completions",
    "/responses",
    "/v1/messages",
    "/messages",
    "/v1/models",
    "/models",
)
_VERSION_SEGMENT = re.compile(r"/v\d+[a-z0-9]*(?:/|$)")
_DROID_APPENDS = {
    "anthropic": "/v1/messages",
    "responses": "/responses",
    "chat": "/chat/completions",
}
_API_NAMES = {
    "anthropic": "Anthropic Messages",
    "responses": "OpenAI Responses",
    "chat": "Chat Completions",
}
_QUOTA_WORDS = ("quota", "credit", "billing", "balance", "insufficient", "payment")


@dataclass(frozen=True, slots=True)
class ProbeOptions:
    #: Total seconds for one request (connection, answer and body).
    timeout: float = DEFAULT_TIMEOUT
    deep: bool = False
    #: Where ``${NAME}``, proxies and CA bundles are read from (default: ``os.environ``).
    env: Mapping[str, str] | None = None
    #: ``${NAME}`` in ``apiKey`` may be expanded from ``env`` and sent: the file is the user's
    #: own, or the user said so. When False, such an entry is not probed (FL813).
    expand_env: bool = True
    #: Keys may go over plain ``http://`` to a host that is not this machine.
    allow_http: bool = False


def deep_timeout(timeout: float) -> float:
    """The deadline of a ``--deep`` request: a local model may have to load first."""
    return max(timeout * 3, 30.0)


def model_budget(options: ProbeOptions) -> float:
    """The seconds every request of one model may take together."""
    budget = MODEL_BUDGET_TIMEOUTS * options.timeout
    return budget + (2 * deep_timeout(options.timeout) if options.deep else 0.0)


@dataclass(slots=True)
class ModelList:
    ids: list[str]
    url: str
    owned_by: set[str] = field(default_factory=set)


def probe_entry(
    text: str,
    kind: Kind,
    entry_index: int,
    timeout: float = DEFAULT_TIMEOUT,
    *,
    deep: bool = False,
    env: Mapping[str, str] | None = None,
    trusted: bool = False,
    allow_http: bool = False,
) -> list[Finding]:
    """Probe the custom model at ``entry_index`` of the array (for the language server).

    ``trusted``: the text is the user's own file (see :func:`is_users_own`) or the user
    agreed to send its ``${NAME}`` values; otherwise an entry that needs them is not probed.
    Blocking for at most :func:`model_budget` seconds (run it in a worker thread); findings
    carry offsets into ``text`` and hold no secret. An index with no object there gives ``[]``.
    """
    for entry in model_entries(text, kind):
        if entry.index == entry_index:
            options = ProbeOptions(timeout, deep, env, expand_env=trusted, allow_http=allow_http)
            return probe_model(entry, options)
    return []


def is_users_own(path: str | os.PathLike[str] | None) -> bool:
    """Whether ``path`` is one of the user's own Droid files: inside Droid's home
    (``~/.factory``, or ``$FACTORY_HOME_OVERRIDE/.factory``), as given or once symbolic links
    are resolved. Anything else (a project's ``.factory/``, standard input) is untrusted: a
    repository wrote it."""
    if path is None or str(path) in ("", "-"):
        return False
    from pathlib import Path

    from factory_lint.files import factory_home

    home = factory_home()
    pairs = [(Path(os.path.abspath(path)), Path(os.path.abspath(home)))]
    with contextlib.suppress(OSError, RuntimeError):  # RuntimeError: a symlink loop
        pairs.append((Path(path).resolve(), home.resolve()))
    return any(folder in file.parents for file, folder in pairs)


def needs_environment(entry: ModelEntry) -> list[str]:
    """The ``${NAME}`` variables Droid would expand in the entry's ``apiKey`` (settings only)."""
    if entry.kind != "settings" or not entry.api_key:
        return []
    return list(dict.fromkeys(ENV_REF.findall(entry.api_key)))


def probe_model(entry: ModelEntry, options: ProbeOptions) -> list[Finding]:
    """Every finding for one entry, sorted, with secrets scrubbed from the text."""
    probe = _Probe(entry, options)
    try:
        probe.run()
    except ProbeSetupError:
        raise  # the environment is unusable for every model: a usage error
    except Exception as error:  # one model's failure stays with that model
        if os.environ.get("FACTORY_LINT_DEBUG"):
            traceback.print_exc(file=sys.stderr)
        probe.add(
            R.NOT_PROBED.code,
            f"the probe of {probe.what} stopped with an internal error "
            f"({type(error).__name__}); the other models' results are not affected",
            ("model", "provider"),
            severity="warning",
            help="please report it (rerun with FACTORY_LINT_DEBUG=1 for details)",
            data={"reason": "internal-error"},
        )
    findings = sorted(probe.findings, key=lambda f: (f.start, f.end, f.code))
    sent = [s for s in probe.secrets if s]
    return [_mask_echoes(f, sent) for f in scrub_findings(findings, sent)]


def _mask_echoes(finding: Finding, sent: list[str]) -> Finding:
    """A finding without any 8+ character run of what was sent as a credential (a server may
    echo part of a key: its last characters, spaced, hex-encoded)."""
    message = mask_runs(finding.message, sent)
    help_text = mask_runs(finding.help, sent) if finding.help else finding.help
    data = {name: _masked_data(value, sent) for name, value in finding.data.items()}
    if (message, help_text, data) == (finding.message, finding.help, finding.data):
        return finding
    return Finding(
        finding.code,
        message,
        finding.start,
        finding.end,
        finding.pointer,
        finding.fix,
        finding.severity,
        help_text,
        data,
    )


def _masked_data(value: object, sent: list[str]) -> object:
    """Strings in a finding's data (a redirect's location, model ids a server listed) masked
    as its message is."""
    if isinstance(value, str):
        return scrub(mask_runs(value, sent), [s for s in sent if len(s) >= 8])
    if isinstance(value, list):
        return [_masked_data(item, sent) for item in value]
    return value


# --- helpers ---------------------------------------------------------------------------------


def join_url(base: str, suffix: str) -> str:
    """``base`` with ``suffix`` appended to its path (a query string stays at the end)."""
    parts = urlsplit(base)
    return urlunsplit(
        (parts.scheme, parts.netloc, parts.path.rstrip("/") + suffix, parts.query, "")
    )


def with_path(base: str, path: str) -> str:
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def path_candidates(base: str, style: str) -> list[tuple[str, str]]:
    """Corrected base URLs on the same origin, with why each might be the right one."""
    parts = urlsplit(base)
    path = parts.path.rstrip("/")
    found: list[tuple[str, str]] = []

    def add(candidate: str, why: str) -> None:
        candidate = candidate.rstrip("/")
        if candidate != parts.path.rstrip("/") and all(c != candidate for c, _ in found):
            found.append((candidate, why))

    appends = _DROID_APPENDS[style]
    for suffix in _ENDPOINT_SUFFIXES:
        if path.endswith(suffix):
            path = path[: -len(suffix)]
            add(path, f"`baseUrl` ends in `{suffix}`, but Droid appends `{appends}` itself")
            break
    if style == "anthropic":
        if path.endswith("/v1"):
            add(
                path[:-3],
                "an Anthropic-style `baseUrl` must not end in `/v1`: Droid appends `/v1/messages`",
            )
    else:
        if path.endswith("/v1/v1"):
            add(path[:-3], "`/v1` is doubled")
        if not _VERSION_SEGMENT.search(path + "/"):
            add(
                path + "/v1",
                "an OpenAI-style `baseUrl` must include the version segment (usually `/v1`): "
                f"Droid appends `{appends}` directly",
            )
    endpoint = endpoint_for_url(base, guess_by_port=True)
    if endpoint is not None and style in ("anthropic", "responses", "chat"):
        recommended = endpoint.base_url_for(style, parts.hostname)  # type: ignore[arg-type]
        if recommended and "{" not in recommended and origin_of(recommended) == origin_of(base):
            add(urlsplit(recommended).path, f"{endpoint.name} serves this API at `{recommended}`")
    return found[:4]


def ollama_root(base: str) -> str:
    """The Ollama server root behind an OpenAI- or Anthropic-style base URL."""
    parts = urlsplit(base)
    path = parts.path.rstrip("/")
    for suffix in _ENDPOINT_SUFFIXES:
        if path.endswith(suffix):
            path = path[: -len(suffix)]
            break
    if path.endswith("/v1"):
        path = path[:-3]
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def parse_model_list(data: object) -> tuple[list[str], set[str]] | None:
    """Ids (and ``owned_by`` values) from an OpenAI, Anthropic or Ollama-style model list."""
    items: object = None
    if isinstance(data, dict):
        items = data.get("data", data.get("models"))
    elif isinstance(data, list):
        items = data
    if not isinstance(items, list):
        return None
    ids: list[str] = []
    owners: set[str] = set()
    for item in items:
        if isinstance(item, str):
            ids.append(item)
        elif isinstance(item, dict):
            value = item.get("id", item.get("name", item.get("model")))
            if isinstance(value, str):
                ids.append(value)
            owner = item.get("owned_by")
            if isinstance(owner, str):
                owners.add(owner)
    return ids, owners


def provider_message(response: Response) -> str:
    """The error text a provider put in the body (OpenAI, Anthropic, FastAPI, Ollama shapes)."""
    data = response.json()
    message: object = None
    if isinstance(data, dict):
        error = data.get("error")
        if isinstance(error, dict):
            message = error.get("message") or error.get("type") or error.get("code")
            kind = error.get("type")
            if isinstance(kind, str) and isinstance(message, str) and kind not in message:
                message = f"{kind}: {message}"
        elif isinstance(error, str):
            message = error
        if message is None:
            for key in ("detail", "message", "msg"):
                if isinstance(data.get(key), str):
                    message = data[key]
                    break
    if message is None and data is None:
        text = response.text(200)
        if text and not text.lstrip().startswith("<"):
            message = text
    if not isinstance(message, str):
        return ""
    message = " ".join(message.split())
    return message if len(message) <= 300 else message[:299] + "…"


def status_text(status: int) -> str:
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def closest(name: str, candidates: list[str], n: int = 3) -> list[str]:
    """Up to ``n`` candidates close to ``name`` (case-insensitive; the part after ``/`` too),
    among the first :data:`MAX_SUGGESTION_CANDIDATES` distinct ones (a hostile server may list
    hundreds of thousands)."""
    query = name.lower()
    last = query.rsplit("/", 1)[-1].split(":")[0]
    scored: list[tuple[float, str]] = []
    distinct = itertools.islice(dict.fromkeys(candidates), MAX_SUGGESTION_CANDIDATES)
    for candidate in distinct:
        low = candidate.lower()
        tail = low.rsplit("/", 1)[-1].split(":")[0]
        # quick_ratio() bounds ratio() from above: a pair that cannot reach 0.5 is not scored
        whole = difflib.SequenceMatcher(None, query, low)
        score = whole.ratio() if whole.quick_ratio() >= 0.5 else 0.0
        part = difflib.SequenceMatcher(None, last, tail)
        if 0.95 * part.quick_ratio() >= 0.5:
            score = max(score, 0.95 * part.ratio())
        if score >= 0.5:
            scored.append((score, candidate))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [candidate for _, candidate in scored[:n]]


def is_listed(model: str, ids: list[str], style: str) -> bool:
    """Whether a server that lists ``ids`` serves ``model`` (aliases and variants included)."""
    if model in ids or f"models/{model}" in ids:
        return True
    if style == "anthropic":
        dated = re.compile(re.escape(model) + r"-\d{8}")
        if any(dated.fullmatch(i) for i in ids):
            return True
        if model.endswith("-latest") and any(i.startswith(model[: -len("latest")]) for i in ids):
            return True
    return ":" in model and model.rsplit(":", 1)[0] in ids


def _quoted(values: list[str]) -> str:
    return ", ".join(f'"{v}"' for v in values)


# --- the probe -------------------------------------------------------------------------------


class _Probe:
    def __init__(self, entry: ModelEntry, options: ProbeOptions) -> None:
        self.entry = entry
        self.options = options
        self.env: Mapping[str, str] = options.env if options.env is not None else os.environ
        self.findings: list[Finding] = []
        self.secrets: list[str] = []
        self.style = entry.style or "chat"
        self.base = (entry.base_url or "").strip()
        self.corrected: str | None = None
        self.key_problem = False
        self.stopped = False
        self.unset: list[str] = []
        self.headers: dict[str, str] = {}
        self.client: Client

    # findings

    def add(
        self,
        code: str,
        message: str,
        at: tuple[str, ...] = ("baseUrl",),
        *,
        severity: Severity | None = None,
        help: str | None = None,
        fix: Fix | None = None,
        data: dict[str, object] | None = None,
    ) -> None:
        start, end, pointer = self.span(*at)
        self.findings.append(
            Finding(code, message, start, end, pointer, fix, severity, help, data or {})
        )

    def span(self, *fields: str) -> tuple[int, int, str]:
        for name in fields:
            node = self.entry.field_node(name)
            if node is not None:
                return node.start, node.end, node.pointer
        return self.entry.start, self.entry.start + 1, self.entry.pointer

    @property
    def what(self) -> str:
        return f"model {self.entry.label}"

    # the steps

    def run(self) -> None:
        reason = self.skip_reason()
        if reason:
            self.add(R.NOT_PROBED.code, f"{self.what} not probed: {reason}", ("model", "provider"))
            return
        names = needs_environment(self.entry)
        if names and not self.options.expand_env:
            self.refuse_environment(names)
            return
        key = self.resolve_key()
        proxy = cleartext_proxy(self.base, self.env)
        cleartext = is_cleartext_remote(self.base) or proxy is not None
        if cleartext and self.secrets and not self.options.allow_http:
            self.refuse_cleartext(proxy)
            return
        self.headers = self.auth_headers(key)
        self.client = Client(
            self.base,
            self.options.timeout,
            self.env,
            deadline=time.monotonic() + model_budget(self.options),
            refuse_cleartext=bool(self.secrets) and not self.options.allow_http,
        )
        listing = self.list_models()
        if listing is None and self.stopped:
            return
        if not self.check_ollama(listing) and listing is not None:
            self.check_model(listing)
        if self.options.deep and not self.key_problem:
            self.deep(listing)

    def refuse_environment(self, names: list[str]) -> None:
        variables = ", ".join(f"${{{name}}}" for name in names)
        host = show_url(with_path(self.base, ""))
        self.add(
            R.NOT_PROBED.code,
            f"{self.what} not probed: its `apiKey` takes {variables} from your environment, "
            f"and this file is not one of your own (outside ~/.factory), so the probe did not "
            f"send {'that value' if len(names) == 1 else 'those values'} to {host}, a host the "
            "file chose",
            ("apiKey", "model"),
            severity="warning",
            help="if you trust this file and its `baseUrl`, run `factory-lint probe "
            "--allow-project-env` on it (or answer yes when the probe asks on a terminal)",
            data={"reason": "project-env", "variables": names, "host": host},
        )

    def refuse_cleartext(self, proxy: str | None = None) -> None:
        host = show_url(with_path(self.base, ""))
        where = (
            f"to {host} through the proxy {show_url(proxy)}, which is not this machine"
            if proxy and not is_cleartext_remote(self.base)
            else f"to {host}, which is not this machine"
        )
        self.add(
            R.NOT_PROBED.code,
            f"{self.what} not probed: its key would go over plain http:// {where}, so anyone "
            "on the network path could read it (Droid sends it the same way)",
            ("baseUrl",),
            severity="warning",
            help="use an https:// `baseUrl`; if the network path is yours (a LAN you trust), "
            "run `factory-lint probe --allow-http`",
            data={"reason": "cleartext", "host": host},
        )

    def skip_reason(self) -> str | None:
        entry = self.entry
        if entry.has_bedrock or (entry.provider or "").lower() == "bedrock-converse":
            return "Bedrock entries use AWS, not an HTTP base URL"
        if entry.model is None:
            return "no `model` (Droid drops the entry)"
        if entry.provider is None:
            return "no `provider` (Droid drops the entry)"
        if entry.style is None:
            return f'Droid does not know the provider "{entry.provider}"'
        if not self.base:
            return "no `baseUrl`"
        if any(c.isspace() or ord(c) < 32 for c in self.base):
            return "`baseUrl` contains spaces or control characters"
        parts = urlsplit(self.base)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return "`baseUrl` is not an http:// or https:// URL"
        try:
            _ = parts.port
        except ValueError:
            return "`baseUrl` has an invalid port"
        if entry.kind == "settings" and entry.api_key in DROPPED_KEYS:
            return f'`apiKey` is "{entry.api_key}", so Droid drops the entry'
        return None

    def resolve_key(self) -> str | None:
        entry = self.entry
        key, unset = resolve_key(entry.api_key, entry.kind, self.env)
        if key and key != entry.api_key:
            self.secrets.append(key)  # from the environment: always a secret
        elif entry.api_key and may_be_secret(entry.api_key):
            self.secrets.append(entry.api_key)
        self.secrets += [
            value
            for name, value in entry.extra_headers.items()
            if is_secret_header(name) or is_credential_name(name) or looks_like_key(value)
        ]
        for name in dict.fromkeys(unset):
            self.add(
                R.KEY_ENV_UNSET.code,
                f"`apiKey` references ${{{name}}}, but {name} is not set in this environment: "
                f'Droid would send the literal text "${{{name}}}" as the key',
                ("apiKey",),
            )
        self.unset = unset
        return key

    def auth_headers(self, key: str | None) -> dict[str, str]:
        headers: dict[str, str] = {}
        if key:
            if self.style == "anthropic" and self.entry.auth_mode != "bearer":
                headers["x-api-key"] = key
            else:
                headers["Authorization"] = f"Bearer {key}"
        if self.style == "anthropic":
            headers["anthropic-version"] = ANTHROPIC_VERSION
        headers.update(self.entry.extra_headers)
        return headers

    # step 2: the model list

    def list_url(self, base: str) -> str:
        if self.style == "anthropic":
            return join_url(base, "/v1/models") + ("&" if "?" in base else "?") + "limit=1000"
        return join_url(base, "/models")

    def fetch_list(self, base: str) -> tuple[Response, ModelList | None]:
        url = self.list_url(base)
        response = self.client.request("GET", url, self.headers)
        if response.status != 200:
            return response, None
        data = response.json()
        parsed = parse_model_list(data)
        if parsed is None:
            return response, None
        ids, owners = parsed
        pages = 1
        while (
            self.style == "anthropic"
            and isinstance(data, dict)
            and data.get("has_more") is True
            and isinstance(data.get("last_id"), str)
            and pages < 10
        ):
            more = self.client.request(
                "GET", f"{url}&after_id={quote(data['last_id'], safe='')}", self.headers
            )
            data = more.json()
            parsed = parse_model_list(data) if more.status == 200 else None
            if parsed is None:
                break
            ids += parsed[0]
            pages += 1
        return response, ModelList(ids, url, owners)

    def list_models(self) -> ModelList | None:
        url = self.list_url(self.base)
        try:
            response, listing = self.fetch_list(self.base)
        except NetworkError as error:
            self.unreachable(error)
            self.stopped = True
            return None
        except CrossOriginRedirect as redirect:
            self.redirected(redirect, url)
            self.stopped = True
            return None
        if listing is not None:
            return listing
        if self.http_error(response, f"GET {show_url(url)}"):
            return None
        tried = []
        for candidate, why in path_candidates(self.base, self.style):
            corrected = with_path(self.base, candidate)
            tried.append(corrected)
            try:
                _, found = self.fetch_list(corrected)
            except (NetworkError, CrossOriginRedirect):
                continue
            if found is not None:
                self.corrected = corrected
                self.wrong_path(response, url, corrected, found, why)
                return found
        nearby = (
            f"; no nearby base URL lists models either ({', '.join(show_url(t) for t in tried)})"
            if tried
            else ""
        )
        detail = provider_message(response)
        answer = status_text(response.status) + (f" ({detail})" if detail else "")
        if response.truncated:
            answer += f", more than {MAX_BODY // (1024 * 1024)} MiB (not read further)"
        elif response.status == 200:
            answer += ", not a model list"
        self.add(
            R.LIST_UNAVAILABLE.code,
            f"GET {show_url(url)} answered {answer}{nearby}: {self.what} was not checked "
            "against a model list",
            help="run `factory-lint probe --deep` to send a real request instead",
            data={"status": response.status},
        )
        return None

    def http_error(self, response: Response, request: str) -> bool:
        """Report 401/403 (FL803) and 402/429/credit errors (FL804); True when reported."""
        status = response.status
        detail = provider_message(response)
        said = f" ({detail})" if detail else ""
        lower = detail.lower()
        billing = any(word in lower for word in ("credit", "quota", "billing", "balance"))
        quota_words = billing or any(word in lower for word in _QUOTA_WORDS)
        if status == 402 or (status in (400, 403) and billing) or (status == 429 and quota_words):
            self.key_problem = True
            self.add(
                R.QUOTA_EXCEEDED.code,
                f"{request} answered {status_text(status)}{said}: the account behind the key "
                "has no credit or quota left",
                ("apiKey", "baseUrl"),
                data={"status": status},
            )
            return True
        if status == 429:
            self.key_problem = True
            self.add(
                R.QUOTA_EXCEEDED.code,
                f"{request} answered {status_text(status)}{said}: rate limited; Droid's requests "
                "fail the same way until the limit resets",
                ("apiKey", "baseUrl"),
                severity="warning",
                data={"status": status},
            )
            return True
        if status in (401, 403):
            self.key_problem = True
            self.add(
                R.KEY_REJECTED.code,
                f"{request} answered {status_text(status)}{said}: {self.key_description(status)}",
                ("apiKey", "baseUrl"),
                data={"status": status},
            )
            return True
        return False

    def key_description(self, status: int) -> str:
        entry = self.entry
        verb = "rejected" if status == 401 else "not allowed to use this API"
        if not entry.api_key:
            return "no key was sent (`apiKey` is empty or missing)"
        if self.unset:
            return f"Droid would send the literal text {entry.api_key!r}, which is {verb}"
        names = re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", entry.api_key)
        if entry.kind == "settings" and names:
            return f"the key from ${{{names[0]}}} is {verb}"
        return f"the key in `{'apiKey' if entry.kind == 'settings' else 'api_key'}` is {verb}"

    def unreachable(self, error: NetworkError) -> None:
        code = R.TLS_FAILED.code if error.stage == "tls" else R.HOST_UNREACHABLE.code
        help_text = None
        if error.stage == "tls":
            help_text = (
                "factory-lint trusts the system store plus SSL_CERT_FILE, SSL_CERT_DIR, "
                "REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE and NODE_EXTRA_CA_CERTS; Droid needs "
                "NODE_EXTRA_CA_CERTS for a company CA"
            )
        elif error.stage == "proxy":
            help_text = (
                "the proxy comes from HTTPS_PROXY / HTTP_PROXY / ALL_PROXY; add the host to "
                "NO_PROXY to connect directly"
            )
        elif urlsplit(self.base).port == OLLAMA_PORT:
            help_text = "start Ollama with `ollama serve` (or the Ollama app)"
        self.add(
            code,
            f"cannot reach {show_url(self.base)} for {self.what}: {error.detail}",
            help=help_text,
            data={"stage": error.stage},
        )

    def redirected(self, redirect: CrossOriginRedirect, url: str) -> None:
        self.add(
            R.CROSS_ORIGIN_REDIRECT.code,
            f"GET {show_url(url)} redirects ({redirect.status}) to another origin, "
            f"{redirect.location}; the probe did not follow it, so your key was not sent there",
            help="if you trust the target, set `baseUrl` to it",
            data={"location": redirect.location},
        )

    def wrong_path(
        self, response: Response, url: str, corrected: str, found: ModelList, why: str
    ) -> None:
        node = self.entry.field_node("baseUrl")
        fix = None
        if node is not None:
            fix = Fix(
                f"Replace with {json.dumps(corrected)}",
                (Edit(node.start, node.end, json.dumps(corrected)),),
                safe=False,
            )
        self.add(
            R.WRONG_BASE_PATH.code,
            f"GET {show_url(url)} answered {status_text(response.status)}, but "
            f"GET {show_url(found.url)} lists models: {why}; set `baseUrl` to "
            f'"{show_url(corrected)}"',
            fix=fix,
            data={"corrected": show_url(corrected)},
        )

    # step 3: the model id

    def check_model(self, listing: ModelList) -> None:
        model = self.entry.model or ""
        if is_listed(model, listing.ids, self.style):
            return
        same = [i for i in listing.ids if i.lower() == model.lower()]
        where = f"the model list at {show_url(listing.url)}"
        if same:
            node = self.entry.field_node("model")
            fix = (
                Fix(
                    f"Replace with {json.dumps(same[0])}",
                    (Edit(node.start, node.end, json.dumps(same[0])),),
                    safe=False,
                )
                if node is not None
                else None
            )
            self.add(
                R.MODEL_NOT_LISTED.code,
                f'"{model}" is not in {where}, but "{same[0]}" is: model ids are case-sensitive',
                ("model",),
                fix=fix,
                data={"suggestions": same[:1]},
            )
            return
        near = closest(model, listing.ids)
        count = len(set(listing.ids))
        listed = f"{count} model{'s' if count != 1 else ''}"
        self.add(
            R.MODEL_NOT_LISTED.code,
            f'"{model}" is not in {where} ({listed})'
            + (f"; closest: {_quoted(near)}" if near else ""),
            ("model",),
            data={"suggestions": near},
        )

    # step 3 for Ollama

    def is_ollama(self, listing: ModelList | None) -> bool:
        base = self.corrected or self.base
        parts = urlsplit(base)
        if parts.port == OLLAMA_PORT:
            return True
        endpoint = endpoint_for_url(base)
        if endpoint is not None and endpoint.id == "ollama":
            return True
        if listing is not None and "library" in listing.owned_by:
            return True
        if not is_local_url(base):
            return False
        try:
            answer = self.client.request("GET", ollama_root(base) + "/api/version")
        except (NetworkError, CrossOriginRedirect):
            return False
        data = answer.json()
        return answer.status == 200 and isinstance(data, dict) and "version" in data

    def check_ollama(self, listing: ModelList | None) -> bool:
        """Ollama's own view of the model; True when it replaced the model-list check."""
        if not self.is_ollama(listing):
            return False
        root = ollama_root(self.corrected or self.base)
        try:
            answer = self.client.request("GET", root + "/api/tags", self.headers)
        except (NetworkError, CrossOriginRedirect):
            return False
        parsed = parse_model_list(answer.json()) if answer.status == 200 else None
        if parsed is None:
            return False
        names = parsed[0]
        model = self.entry.model or ""
        found = _ollama_match(model, names)
        if found is None:
            near = closest(model, names)
            count = len(set(names))
            self.add(
                R.OLLAMA_NOT_PULLED.code,
                f'the Ollama server at {show_url(root)} has not pulled "{model}" (`/api/tags` '
                f"lists {count} model{'s' if count != 1 else ''}"
                + (f"; closest: {_quoted(near)}" if near else "")
                + ")",
                ("model",),
                help=f"run `ollama pull {model}` where Ollama runs, or use a name `ollama list` "
                "shows",
                data={"suggestions": near},
            )
            return True
        self.check_context(root, found)
        return True

    def check_context(self, root: str, name: str) -> None:
        try:
            shown = self.client.request("POST", root + "/api/show", self.headers, {"model": name})
        except (NetworkError, CrossOriginRedirect):
            return
        info = shown.json()
        if shown.status != 200 or not isinstance(info, dict):
            return
        num_ctx = _num_ctx(info.get("parameters"))
        trained, arch_key = _trained_context(info.get("model_info"))
        model = self.entry.model or name
        guidance = f"below the {CONTEXT_GUIDANCE:,} tokens Factory recommends for agentic work"
        server_help = (
            "restart Ollama with OLLAMA_CONTEXT_LENGTH=32768 or more (`OLLAMA_CONTEXT_LENGTH=32768"
            " ollama serve`; for the service: `systemctl edit ollama`, "
            'Environment="OLLAMA_CONTEXT_LENGTH=32768"), or use a Modelfile variant with '
            "`PARAMETER num_ctx 32768`"
        )
        if trained is not None and trained < CONTEXT_GUIDANCE:
            self.add(
                R.OLLAMA_CONTEXT.code,
                f'"{model}" supports at most {trained:,} tokens of context ({arch_key} in '
                f"`/api/show`), {guidance}; no setting can raise it",
                ("model",),
                help="choose a model with a larger context window",
                data={"context": trained},
            )
            return
        if num_ctx is not None:
            if num_ctx < CONTEXT_GUIDANCE:
                self.add(
                    R.OLLAMA_CONTEXT.code,
                    f'Ollama runs "{model}" with num_ctx {num_ctx:,} (from its Modelfile, '
                    f"`/api/show`), {guidance}; Ollama silently drops what does not fit",
                    ("model",),
                    help=f"`ollama show {name} --modelfile > Modelfile`, set `PARAMETER num_ctx "
                    f"32768`, `ollama create {name.split(':')[0]}-32k -f Modelfile` and use that "
                    "name as `model`; a Modelfile num_ctx wins over OLLAMA_CONTEXT_LENGTH",
                    data={"context": num_ctx},
                )
            return
        loaded = self.loaded_context(root, name)
        if loaded is not None:
            if loaded < CONTEXT_GUIDANCE:
                self.add(
                    R.OLLAMA_CONTEXT.code,
                    f'Ollama runs "{model}" with a {loaded:,}-token context (`/api/ps`; the model '
                    f"sets no num_ctx, so the server default applies), {guidance}",
                    ("model",),
                    help=server_help,
                    data={"context": loaded},
                )
            return
        self.add(
            R.OLLAMA_CONTEXT.code,
            f'"{model}" sets no num_ctx (`/api/show`), so Ollama uses its server default context: '
            "OLLAMA_CONTEXT_LENGTH if set, else 2,048 to 4,096 tokens on older versions and a "
            "size chosen by VRAM on newer ones; the model is not loaded, so `/api/ps` cannot "
            "tell which",
            ("model",),
            severity="info",
            help=server_help,
        )

    def loaded_context(self, root: str, name: str) -> int | None:
        try:
            answer = self.client.request("GET", root + "/api/ps", self.headers)
        except (NetworkError, CrossOriginRedirect):
            return None
        data = answer.json()
        if answer.status != 200 or not isinstance(data, dict):
            return None
        for item in data.get("models") or []:
            if isinstance(item, dict) and name in (item.get("name"), item.get("model")):
                value = item.get("context_length")
                return value if isinstance(value, int) and value > 0 else None
        return None

    # step 4: --deep

    def deep_request(self, max_tokens_key: str = "max_tokens") -> tuple[str, dict[str, object]]:
        model = self.entry.model or ""
        extra = {
            k: v
            for k, v in self.entry.extra_args.items()
            if k not in ("stream", "max_tokens", "max_output_tokens", "max_completion_tokens")
        }
        if self.style == "anthropic":
            body: dict[str, object] = {
                "model": model,
                "max_tokens": 1,
                "messages": [{"role": "user", "content": DEEP_PROMPT}],
            }
            return join_url(self.base, "/v1/messages"), {**extra, **body}
        if self.style == "responses":
            body = {"model": model, "input": DEEP_PROMPT, "max_output_tokens": RESPONSES_MIN_OUTPUT}
            return join_url(self.base, "/responses"), {**extra, **body}
        body = {
            "model": model,
            "messages": [{"role": "user", "content": DEEP_PROMPT}],
            max_tokens_key: 1,
        }
        return join_url(self.base, "/chat/completions"), {**extra, **body}

    def deep(self, listing: ModelList | None) -> None:
        url, body = self.deep_request()
        timeout = deep_timeout(self.options.timeout)
        request = f"POST {show_url(url)}"
        try:
            response = self.client.request("POST", url, self.headers, body, timeout)
            detail = provider_message(response)
            if (
                self.style == "chat"
                and response.status == 400
                and "max_tokens" in detail
                and "max_completion_tokens" in detail
            ):
                url, body = self.deep_request("max_completion_tokens")
                response = self.client.request("POST", url, self.headers, body, timeout)
        except NetworkError as error:
            hint = (
                " (a local model may still be loading: run the probe again)"
                if error.stage == "timeout"
                else ""
            )
            self.add(R.DEEP_FAILED.code, f"{request} failed: {error.detail}{hint}", ("model",))
            return
        except CrossOriginRedirect as redirect:
            self.redirected(redirect, url)
            return
        status = response.status
        api = _API_NAMES[self.style]
        if 200 <= status < 300:
            if not _looks_like_answer(self.style, response.json()):
                self.add(
                    R.DEEP_FAILED.code,
                    f"{request} answered {status_text(status)}, but not with an {api} response: "
                    f'the server may not speak the API provider "{self.entry.provider}" uses',
                    ("provider", "model"),
                )
            return
        if self.http_error(response, request):
            return
        if status in (404, 405) and self.corrected is not None:
            return  # the wrong base path (FL806) already explains it
        detail = provider_message(response)
        said = f" ({detail})" if detail else ""
        at: tuple[str, ...] = ("model",)
        help_text = None
        conclusion = ""
        model = self.entry.model or ""
        if (
            status in (404, 405)
            and listing is not None
            and model not in detail
            and self.style != "chat"
        ):
            at = ("provider", "model")
            conclusion = (
                f": the server lists models but has no {api} API, which provider "
                f'"{self.entry.provider}" uses'
            )
            if self.style == "responses":
                help_text = (
                    "most OpenAI-compatible servers (Ollama, vLLM, LiteLLM, OpenRouter, proxies) "
                    'implement Chat Completions only: use "provider": '
                    '"generic-chat-completion-api"'
                )
            else:
                help_text = (
                    'if the server is OpenAI-compatible, use "provider": '
                    '"generic-chat-completion-api" with its `/v1` base URL'
                )
        self.add(
            R.DEEP_FAILED.code,
            f"{request} answered {status_text(status)}{said}{conclusion}",
            at,
            help=help_text,
            data={"status": status},
        )


def _ollama_match(model: str, names: list[str]) -> str | None:
    if model in names:
        return model
    if ":" not in model and f"{model}:latest" in names:
        return f"{model}:latest"
    if model.endswith(":latest") and model[: -len(":latest")] in names:
        return model[: -len(":latest")]
    return None


def _num_ctx(parameters: object) -> int | None:
    """``num_ctx`` from ``/api/show``'s ``parameters`` text (``"num_ctx    4096\\n..."``)."""
    if not isinstance(parameters, str):
        return None
    for line in parameters.splitlines():
        name, _, value = line.strip().partition(" ")
        if name == "num_ctx":
            try:
                return int(value.strip())
            except ValueError:
                return None
    return None


def _trained_context(model_info: object) -> tuple[int | None, str]:
    if not isinstance(model_info, dict):
        return None, ""
    arch = model_info.get("general.architecture")
    key = f"{arch}.context_length"
    value = model_info.get(key)
    if isinstance(value, int):
        return value, key
    for name, value in model_info.items():
        if name.endswith(".context_length") and isinstance(value, int):
            return value, name
    return None, ""


def _looks_like_answer(style: str, data: object) -> bool:
    if not isinstance(data, dict):
        return False
    if style == "anthropic":
        return data.get("type") == "message" or "content" in data
    if style == "responses":
        return data.get("object") == "response" or "output" in data
    return "choices" in data
