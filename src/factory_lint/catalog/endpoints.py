"""The endpoint catalog: known providers, their hosts, API styles, base URLs and path prefixes."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal, cast

from factory_lint.catalog._data import load_json
from factory_lint.lazy_re import lazy_compile
from factory_lint.memo import remember_short
from factory_lint.records import FrozenRecord

#: The three wire protocols Droid speaks, named after what the base URL must serve.
Style = Literal["anthropic", "responses", "chat"]
STYLES: tuple[Style, ...] = ("anthropic", "responses", "chat")

#: Droid ``provider`` value -> the API style it uses.
PROVIDER_STYLES: Mapping[str, Style] = MappingProxyType(
    {"anthropic": "anthropic", "openai": "responses", "generic-chat-completion-api": "chat"}
)

#: Host names that mean "this machine"; on them an endpoint is recognised by its port.
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "::1", "host.docker.internal"})

#: Style statuses under which a host serves a style.
SERVING_STATUSES = frozenset({"native", "compatible", "deprecated"})

_TEMPLATE = lazy_compile(r"\{[^{}/]*\}")


@functools.cache
def _glob_regex(glob: str) -> re.Pattern[str]:
    return re.compile(re.escape(glob).replace(r"\*", "[a-z0-9-]+"))


def _host_matches(glob: str, host: str) -> bool:
    """``host`` is ``glob`` (a host name, ``*`` standing for one label part); a glob without
    ``*`` is compared as text, so most hosts never need a regular expression."""
    if "*" not in glob:
        return host == glob
    return _glob_regex(glob).fullmatch(host) is not None


def _template_regex(template: str) -> re.Pattern[str]:
    parts = _TEMPLATE.split(template)
    return re.compile("[a-z0-9-]+".join(re.escape(p) for p in parts))


class Endpoint(FrozenRecord):
    """A known API endpoint (one provider, possibly several hosts).

    Instances are unique per id, so identity comparison is equality.
    """

    __slots__ = (
        "accepts_families",
        "api_styles",
        "base_url_variants",
        "base_urls",
        "category",
        "confidence",
        "hosts",
        "id",
        "key_formats",
        "local_port",
        "name",
        "path_prefix",
        "path_prefixes",
        "source",
        "style_status",
    )
    __match_args__ = (
        "id",
        "name",
        "category",
        "hosts",
        "local_port",
        "api_styles",
        "base_urls",
        "path_prefix",
        "key_formats",
        "source",
        "style_status",
        "base_url_variants",
        "path_prefixes",
        "accepts_families",
        "confidence",
    )
    #: style_status, base_url_variants, path_prefixes, accepts_families and confidence
    #: are not shown
    _repr_fields = __match_args__[:10]

    id: str
    name: str
    #: first_party | aggregator | hosted | cloud | local | local_gateway
    category: str
    #: host names, lower case; ``*`` stands for one DNS label part (``*.openai.azure.com``).
    #: For local servers these are the loopback names and ``local_port`` tells them apart.
    hosts: tuple[str, ...]
    local_port: int | None
    #: styles the host serves (status native, compatible or deprecated)
    api_styles: frozenset[Style]
    #: the recommended base URL per served style (no trailing slash; ``{resource}`` etc. are
    #: templates the user fills in)
    base_urls: Mapping[Style, str]
    #: the path an OpenAI-style (``openai`` / ``generic-chat-completion-api``) base URL needs
    #: on this host, e.g. ``/api/v1``; None when the bare root works or nothing is known
    path_prefix: str | None
    #: ids of the key formats this provider issues (see ``factory_lint.catalog.key_formats``)
    key_formats: tuple[str, ...]
    source: str
    #: per style: native | compatible | deprecated | not_documented | not_supported
    style_status: Mapping[Style, str]
    #: every known base URL per style, recommended first
    base_url_variants: Mapping[Style, tuple[str, ...]]
    #: accepted base-URL paths per style ("" is the bare root)
    path_prefixes: Mapping[Style, tuple[str, ...]]
    #: model families served beyond the ids in the model catalog (e.g. claude-* on DeepSeek)
    accepts_families: frozenset[str]
    #: high | medium | low: how sure the reference is about this record
    confidence: str

    def __init__(
        self,
        id: str,
        name: str,
        category: str,
        hosts: tuple[str, ...],
        local_port: int | None,
        api_styles: frozenset[Style],
        base_urls: Mapping[Style, str],
        path_prefix: str | None,
        key_formats: tuple[str, ...],
        source: str,
        style_status: Mapping[Style, str],
        base_url_variants: Mapping[Style, tuple[str, ...]],
        path_prefixes: Mapping[Style, tuple[str, ...]],
        accepts_families: frozenset[str] = frozenset(),
        confidence: str = "high",
    ) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "category", category)
        object.__setattr__(self, "hosts", hosts)
        object.__setattr__(self, "local_port", local_port)
        object.__setattr__(self, "api_styles", api_styles)
        object.__setattr__(self, "base_urls", base_urls)
        object.__setattr__(self, "path_prefix", path_prefix)
        object.__setattr__(self, "key_formats", key_formats)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "style_status", style_status)
        object.__setattr__(self, "base_url_variants", base_url_variants)
        object.__setattr__(self, "path_prefixes", path_prefixes)
        object.__setattr__(self, "accepts_families", accepts_families)
        object.__setattr__(self, "confidence", confidence)

    @property
    def is_local(self) -> bool:
        """A server on this machine, recognised by its default port."""
        return self.local_port is not None

    def serves(self, style: Style) -> bool:
        return style in self.api_styles

    def status(self, style: Style) -> str:
        return self.style_status.get(style, "not_documented")

    def matches_host(self, host: str) -> bool:
        """Whether ``host`` (a host name, any case) is one of this endpoint's hosts."""
        host = host.lower().rstrip(".").strip("[]")
        return any(_host_matches(glob, host) for glob in self.hosts)

    def base_url_for(self, style: Style, host: str | None = None) -> str | None:
        """The base URL to recommend for ``style``, preferring a variant on ``host``.

        Templated host parts (``{resource}``, ``{region}``) are filled from ``host`` when it
        matches; a local server's ``localhost`` is replaced by ``host``.  Path templates such as
        ``{account_id}`` stay in the result: check for ``{`` before offering it as a fix.
        """
        variants = self.base_url_variants.get(style, ())
        if not variants:
            return None
        if host:
            host = host.lower().rstrip(".").strip("[]")
            for url in variants:
                scheme, _, rest = url.partition("://")
                url_host, slash, path = rest.partition("/")
                name, colon, port = url_host.partition(":")
                if self.is_local and name == "localhost":
                    shown = f"[{host}]" if ":" in host else host
                    return f"{scheme}://{shown}{colon}{port}{slash}{path}"
                if name == host:
                    return url
                if "{" in name and _template_regex(name).fullmatch(host):
                    return f"{scheme}://{host}{colon}{port}{slash}{path}"
        return variants[0]

    def accepts_path(self, style: Style, path: str, host: str | None = None) -> bool:
        """Whether ``path`` (trailing slash ignored) is a known base-URL path for ``style``.

        With ``host`` only the variants on that host count (when any variant names it).
        ``{template}`` segments match any single path segment.
        """
        path = path.rstrip("/")
        candidates = list(self.path_prefixes.get(style, ()))
        if host:
            host = host.lower().rstrip(".").strip("[]")
            on_host = []
            for url in self.base_url_variants.get(style, ()):
                url_host = url.partition("://")[2].partition("/")[0].partition(":")[0]
                if url_host == host or (
                    "{" in url_host and _template_regex(url_host).fullmatch(host)
                ):
                    on_host.append("/" + url.partition("://")[2].partition("/")[2])
            if on_host:
                candidates = [p.rstrip("/") for p in on_host]
        for candidate in candidates:
            if candidate == path:
                return True
            if "{" in candidate:
                regex = "[^/]+".join(re.escape(p) for p in _TEMPLATE.split(candidate))
                if re.fullmatch(regex, path):
                    return True
        return False


def _make_endpoint(raw: Mapping[str, Any]) -> Endpoint:
    styles = cast(Mapping[str, Mapping[str, Any]], raw["styles"])
    status: dict[Style, str] = {}
    variants: dict[Style, tuple[str, ...]] = {}
    prefixes: dict[Style, tuple[str, ...]] = {}
    for style in STYLES:
        record = styles.get(style, {})
        status[style] = str(record.get("status", "not_documented"))
        urls = tuple(str(u) for u in record.get("base_urls", ()))
        if urls:
            variants[style] = urls
        paths = tuple(str(p) for p in record.get("path_prefixes", ()))
        if paths:
            prefixes[style] = paths
    serving = frozenset(s for s in STYLES if status[s] in SERVING_STATUSES)
    hosts = tuple(str(h) for h in raw["hosts"])
    return Endpoint(
        id=str(raw["id"]),
        name=str(raw["name"]),
        category=str(raw["category"]),
        hosts=hosts,
        local_port=raw.get("local_port"),
        api_styles=serving,
        base_urls=MappingProxyType({s: v[0] for s, v in variants.items()}),
        path_prefix=raw.get("path_prefix"),
        key_formats=tuple(str(k) for k in raw.get("key_formats", ())),
        source=str(raw["source"]),
        style_status=MappingProxyType(status),
        base_url_variants=MappingProxyType(variants),
        path_prefixes=MappingProxyType(prefixes),
        accepts_families=frozenset(str(f) for f in raw.get("accepts_families", ())),
        confidence=str(raw.get("confidence", "high")),
    )


@functools.cache
def endpoints() -> tuple[Endpoint, ...]:
    """Every catalogued endpoint, sorted by id."""
    data = load_json("endpoints.json")
    return tuple(_make_endpoint(raw) for raw in data["endpoints"])


@functools.cache
def _by_id() -> Mapping[str, Endpoint]:
    return MappingProxyType({e.id: e for e in endpoints()})


class _HostIndex:
    # A plain class, not a dataclass: creating a dataclass costs about a millisecond of start-up.

    __slots__ = ("by_port", "exact", "wildcards")

    def __init__(
        self,
        exact: Mapping[str, Endpoint],
        wildcards: tuple[tuple[str, Endpoint], ...],
        by_port: Mapping[int, Endpoint],
    ) -> None:
        self.exact = exact
        #: (host glob with ``*``, endpoint)
        self.wildcards = wildcards
        self.by_port = by_port


@functools.cache
def _host_index() -> _HostIndex:
    exact: dict[str, Endpoint] = {}
    wildcards: list[tuple[str, Endpoint]] = []
    by_port: dict[int, Endpoint] = {}
    for endpoint in endpoints():
        if endpoint.local_port is not None:
            by_port.setdefault(endpoint.local_port, endpoint)
            continue
        for host in endpoint.hosts:
            if "*" in host:
                wildcards.append((host, endpoint))
            else:
                exact.setdefault(host, endpoint)
    return _HostIndex(MappingProxyType(exact), tuple(wildcards), MappingProxyType(by_port))


def endpoint_by_id(endpoint_id: str) -> Endpoint | None:
    return _by_id().get(endpoint_id)


@remember_short(2048, 4096)  # the same base URLs recur in file after file
def split_host_port(url: str) -> tuple[str, int | None] | None:
    """``(host, explicit port)`` of a URL, host lower-cased without brackets; None if unusable.

    A URL without a scheme (``localhost:11434/v1``) is read as if it had one.
    """
    from urllib.parse import urlsplit

    text = url.strip()
    if not text:
        return None
    if "://" not in text:
        text = "//" + text.lstrip("/")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return None
    return host, port


def endpoint_for_url(url: str, *, guess_by_port: bool = False) -> Endpoint | None:
    """The catalogued endpoint a base URL points at, or None.

    Hosts match case-insensitively against each endpoint's host list (listed subdomains and
    ``*`` wildcards only).  On a local host (``localhost``, ``127.0.0.1``, ``0.0.0.0``, ``::1``,
    ``host.docker.internal``) the explicit port picks the local server kind (11434 Ollama,
    1234 LM Studio, ...); a local host without a known port gives None.  With
    ``guess_by_port=True`` an otherwise unknown host whose explicit port is a local server's
    default port (``http://fedora:11434/v1``) also gives that local server.
    """
    split = split_host_port(url)
    if split is None:
        return None
    host, port = split
    index = _host_index()
    if host in LOCAL_HOSTS:
        return index.by_port.get(port) if port is not None else None
    found = index.exact.get(host)
    if found is None:
        for glob, endpoint in index.wildcards:
            if _glob_regex(glob).fullmatch(host):
                found = endpoint
                break
    if found is None and guess_by_port and port is not None:
        found = index.by_port.get(port)
    return found


def endpoint_for_port(port: int) -> Endpoint | None:
    """The local server kind whose default port is ``port``."""
    return _host_index().by_port.get(port)
