"""Small helpers about base URLs shared by several rule families."""

from __future__ import annotations

import ipaddress
from urllib.parse import SplitResult, urlsplit

LOCAL_SUFFIXES = (".local", ".lan", ".internal", ".home", ".localhost", ".home.arpa", ".ts.net")


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
