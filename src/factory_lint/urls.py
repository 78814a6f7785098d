"""Small helpers about base URLs shared by several rule families."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from urllib.parse import SplitResult, urlsplit

LOCAL_SUFFIXES = (".local", ".lan", ".internal", ".home", ".localhost", ".home.arpa", ".ts.net")


#: Answers for strings up to this length are remembered (the same base URLs and hosts recur in
#: file after file); longer ones are not kept in memory.
MEMO_MAX_LENGTH = 2048


def split_url(url: str) -> SplitResult | None:
    """``urlsplit`` that returns None instead of raising (bad ports, brackets, …)."""
    if len(url) <= MEMO_MAX_LENGTH:
        return _split_url_memo(url)
    return _split_url(url)


def _split_url(url: str) -> SplitResult | None:
    try:
        parts = urlsplit(url.strip())
        _ = parts.port
    except ValueError:
        return None
    return parts


_split_url_memo = lru_cache(maxsize=4096)(_split_url)


def is_local_host(host: str | None) -> bool:
    """Loopback, private-network, single-label (``fedora``) and ``*.local``-style hosts."""
    if not host:
        return False
    if len(host) <= MEMO_MAX_LENGTH:
        return _is_local_host_memo(host)
    return _is_local_host(host)


def _is_local_host(host: str) -> bool:
    host = host.lower().strip("[]")
    if host in ("localhost", "host.docker.internal", "0.0.0.0"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." not in host or host.endswith(LOCAL_SUFFIXES)
    return address.is_loopback or address.is_private or address.is_link_local


_is_local_host_memo = lru_cache(maxsize=4096)(_is_local_host)


def is_local_url(url: str | None) -> bool:
    if not url:
        return False
    parts = split_url(url)
    return parts is not None and is_local_host(parts.hostname)
