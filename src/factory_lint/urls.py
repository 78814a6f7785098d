"""Small helpers about base URLs shared by several rule families."""

from __future__ import annotations

import ipaddress
from urllib.parse import SplitResult, urlsplit

from factory_lint.memo import remember_short

LOCAL_SUFFIXES = (".local", ".lan", ".internal", ".home", ".localhost", ".home.arpa", ".ts.net")


#: Answers for strings up to this length are remembered (the same base URLs and hosts recur in
#: file after file); longer ones are not kept in memory.
MEMO_MAX_LENGTH = 2048


@remember_short(MEMO_MAX_LENGTH, 4096)
def split_url(url: str) -> SplitResult | None:
    """``urlsplit`` that returns None instead of raising (bad ports, brackets, …)."""
    try:
        parts = urlsplit(url.strip())
        _ = parts.port
    except ValueError:
        return None
    return parts


def is_local_host(host: str | None) -> bool:
    """Loopback, private-network, single-label (``fedora``) and ``*.local``-style hosts."""
    if not host:
        return False
    return _is_local_host(host)


@remember_short(MEMO_MAX_LENGTH, 4096)
def _is_local_host(host: str) -> bool:
    host = host.lower().strip("[]")
    if host in ("localhost", "host.docker.internal", "0.0.0.0"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." not in host or host.endswith(LOCAL_SUFFIXES)
    return address.is_loopback or address.is_private or address.is_link_local


def is_local_url(url: str | None) -> bool:
    if not url:
        return False
    parts = split_url(url)
    return parts is not None and is_local_host(parts.hostname)
