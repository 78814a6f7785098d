"""HTTP for the probe: one client per base URL that only ever talks to that origin.

Safety properties (tested in ``tests/probe``):

- every request goes to the base URL's origin (scheme, host, port); anything else is a
  programming error and raises :class:`UnsafeRequest` before a byte is sent;
- a redirect to another origin is not followed (:class:`CrossOriginRedirect`), so credential
  headers never leave the origin; same-origin redirects are followed (at most 5);
- proxies come from ``HTTP_PROXY`` / ``HTTPS_PROXY`` / ``ALL_PROXY`` / ``NO_PROXY`` (either
  case, lower case first), as curl and Bun (Droid's runtime) read them;
- CA bundles: the system store plus ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` and the bundles other
  tools use (``REQUESTS_CA_BUNDLE``, ``CURL_CA_BUNDLE``, ``NODE_EXTRA_CA_CERTS``);
- every request has a total deadline (DNS, connect, TLS, headers and body together): it runs
  in a worker thread, and at the deadline the caller gets a timeout while the connection is
  shut down under the worker, so a server that sends one byte a second cannot hold it;
- bodies are read up to :data:`MAX_BODY` (a longer one is marked ``truncated`` and is not
  parsed), and JSON nested deeper than Python can decode is "not JSON", never an exception;
- with ``refuse_cleartext``, nothing is sent over plain ``http://`` to a host that is not this
  machine (:func:`is_cleartext_remote`).
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import ipaddress
import json
import os
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from factory_lint import __version__

MAX_BODY = 8 * 1024 * 1024
#: No request waits longer than this, whatever the caller asks (a day; ``inf`` would overflow).
MAX_WAIT = 86400.0
#: Bodies larger than this are decoded as JSON one at a time (see Response.json).
LARGE_JSON = 1024 * 1024
_LARGE_JSON = threading.Lock()
USER_AGENT = f"factory-lint-probe/{__version__}"
CA_VARIABLES = ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "NODE_EXTRA_CA_CERTS")

Origin = tuple[str, str, int]
Stage = Literal["dns", "tcp", "timeout", "tls", "proxy", "protocol"]


class ProbeSetupError(Exception):
    """The environment is unusable (e.g. a CA bundle that is not PEM): a usage error."""


class UnsafeRequest(Exception):
    """A request to another origin than the client's, or a key over cleartext to a remote
    host: never sent."""


class CrossOriginRedirect(Exception):
    """The server redirected to another origin; the redirect was not followed."""

    def __init__(self, status: int, location: str) -> None:
        super().__init__(f"{status} redirect to {location}")
        self.status = status
        self.location = location


class NetworkError(Exception):
    """No HTTP answer: ``stage`` says where it failed, ``detail`` explains it for a person."""

    def __init__(self, stage: Stage, detail: str) -> None:
        super().__init__(detail)
        self.stage = stage
        self.detail = detail


@dataclass(slots=True)
class Response:
    status: int
    headers: Message
    body: bytes
    url: str
    #: The server sent more than MAX_BODY bytes; ``body`` holds the first MAX_BODY.
    truncated: bool = False

    def json(self) -> object:
        """The body as JSON, or None when it is not JSON, is cut off at MAX_BODY, or is nested
        too deeply to decode (a hostile server's ``[[[[…``)."""
        if self.truncated:
            return None
        # A large body is decoded by one thread at a time: 8 MiB of `[{},{},…]` takes ~200 MB
        # as Python objects, and --concurrency models could decode at once.
        with _LARGE_JSON if len(self.body) > LARGE_JSON else contextlib.nullcontext():
            try:
                return json.loads(self.body.decode("utf-8", errors="replace"))
            except (ValueError, RecursionError, MemoryError):
                return None

    def text(self, limit: int = 300) -> str:
        text = self.body.decode("utf-8", errors="replace").strip()
        return text if len(text) <= limit else text[: limit - 1] + "…"


def origin_of(url: str) -> Origin:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme == "https" else 80)
    return scheme, (parts.hostname or "").lower().rstrip("."), port


def is_loopback_host(host: str) -> bool:
    """``localhost`` (and ``*.localhost``), a loopback IP address or ``0.0.0.0`` / ``::``
    (which reach this machine), decided from the name
    alone (a name that merely resolves to 127.0.0.1 does not count: DNS can change)."""
    host = host.lower().strip("[]").rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified  # 0.0.0.0 connects to this machine


def is_cleartext_remote(url: str) -> bool:
    """A plain ``http://`` URL whose host is not this machine: a key sent there can be read
    on the way."""
    parts = urlsplit(url)
    return parts.scheme.lower() == "http" and not is_loopback_host(parts.hostname or "")


def cleartext_proxy(url: str, env: Mapping[str, str]) -> str | None:
    """The proxy a plain ``http://`` request to ``url`` would go through in clear text to
    another machine (the proxy sees the whole request, keys included), or None."""
    if urlsplit(url).scheme.lower() != "http":
        return None
    proxy = proxy_for(url, env)
    if proxy is None:
        return None
    proxy_url = proxy if "://" in proxy else f"http://{proxy}"
    return proxy_url if is_cleartext_remote(proxy_url) else None


def show_url(url: str) -> str:
    """A URL fit for messages: no user name, password, query or fragment (they may hold keys)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def proxy_settings(env: Mapping[str, str]) -> dict[str, str]:
    """``{"http": url, "https": url, "no": hosts}`` from the environment, lower case first."""
    found: dict[str, str] = {}
    for name in ("http", "https", "all", "no"):
        for variable in (f"{name}_proxy", f"{name.upper()}_PROXY"):
            value = env.get(variable, "").strip()
            if value:
                found[name] = value
                break
    if "all" in found:
        every = found.pop("all")
        found.setdefault("http", every)
        found.setdefault("https", every)
    return found


def proxy_for(url: str, env: Mapping[str, str]) -> str | None:
    """The proxy URL a request to ``url`` goes through, or None (direct)."""
    settings = proxy_settings(env)
    parts = urlsplit(url)
    proxy = settings.get(parts.scheme.lower())
    if not proxy:
        return None
    if "no" in settings and no_proxy_matches(parts.hostname or "", parts.port, settings["no"]):
        return None
    return proxy


def no_proxy_matches(host: str, port: int | None, no_proxy: str) -> bool:
    """curl's ``NO_PROXY`` rules: ``*``, host names and their subdomains (a leading ``.`` is
    optional), ``host:port``, IP addresses and CIDR ranges."""
    host = host.lower().strip("[]").rstrip(".")
    try:
        address: ipaddress.IPv4Address | ipaddress.IPv6Address | None = ipaddress.ip_address(host)
    except ValueError:
        address = None
    for raw in no_proxy.split(","):
        entry = raw.strip().lower()
        if not entry:
            continue
        if entry == "*":
            return True
        name, entry_port = entry, None
        if entry.count(":") == 1 or (entry.startswith("[") and "]:" in entry):
            name, _, port_text = entry.rpartition(":")
            entry_port = int(port_text) if port_text.isdigit() else None
        name = name.strip("[]").lstrip("*").lstrip(".").rstrip(".")
        if entry_port is not None and entry_port != port:
            continue
        if address is not None:
            try:
                if address in ipaddress.ip_network(name, strict=False):
                    return True
            except ValueError:
                pass
            continue
        if host == name or host.endswith("." + name):
            return True
    return False


def ssl_context(env: Mapping[str, str]) -> ssl.SSLContext:
    """The default trust store plus every CA bundle named in the environment (cached)."""
    names = (*CA_VARIABLES, "SSL_CERT_DIR")
    return _ssl_context(tuple(env.get(name, "").strip() for name in names))


@functools.lru_cache(maxsize=8)
def _ssl_context(paths: tuple[str, ...]) -> ssl.SSLContext:
    context = ssl.create_default_context()
    *bundles, directory = paths
    for variable, path in zip(CA_VARIABLES, bundles, strict=True):
        if path and os.path.isfile(path):
            try:
                context.load_verify_locations(cafile=path)
            except (ssl.SSLError, OSError) as error:
                raise ProbeSetupError(
                    f"{variable}={path}: not a PEM certificate bundle ({error})"
                ) from None
    if directory and os.path.isdir(directory):
        context.load_verify_locations(capath=directory)
    return context


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = 5

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: object,
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        if origin_of(newurl) != origin_of(req.full_url):
            close = getattr(fp, "close", None)
            if close is not None:
                close()
            raise CrossOriginRedirect(code, show_url(newurl))
        return super().redirect_request(req, fp, code, msg, headers, newurl)  # type: ignore[arg-type]


class _Exchange:
    """One request in flight on a worker thread, and the connections it opened (so that the
    caller can shut them down at the deadline)."""

    current = threading.local()

    def __init__(self) -> None:
        self.done = threading.Event()
        self.aborted = False
        self.response: Response | None = None
        self.error: BaseException | None = None
        self._lock = threading.Lock()
        self._connections: list[http.client.HTTPConnection] = []
        self._sockets: list[socket.socket] = []

    def track(self, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            self._connections.append(connection)

    def track_socket(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            aborted = self.aborted
        if aborted:
            _shut(sock)

    def abort(self) -> None:
        """Unblock the worker: every socket it opened is shut down (reads return at once)."""
        with self._lock:
            self.aborted = True
            sockets = [*self._sockets, *(c.sock for c in self._connections if c.sock)]
        for sock in sockets:
            _shut(sock)


def _shut(sock: object) -> None:
    with contextlib.suppress(OSError, AttributeError, ValueError):
        sock.shutdown(socket.SHUT_RDWR)  # type: ignore[attr-defined]


def _tracked_connect(
    address: tuple[str, int], timeout: object = None, *args: object
) -> socket.socket:
    sock = socket.create_connection(address, timeout, *args)  # type: ignore[arg-type]
    exchange = getattr(_Exchange.current, "exchange", None)
    if exchange is not None:
        exchange.track_socket(sock)
    return sock


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._create_connection = _tracked_connect
        exchange = getattr(_Exchange.current, "exchange", None)
        if exchange is not None:
            exchange.track(self)


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-overload]
        self._create_connection = _tracked_connect
        exchange = getattr(_Exchange.current, "exchange", None)
        if exchange is not None:
            exchange.track(self)


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, context: ssl.SSLContext) -> None:
        super().__init__(context=context)
        self._tracked_context = context

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPSConnection, req, context=self._tracked_context)


class Client:
    """Requests to one origin, with the environment's proxy and CA settings.

    ``timeout`` is the total time one request may take; ``deadline`` (a ``time.monotonic()``
    value) bounds every request of this client together. ``refuse_cleartext``: requests to a
    plain ``http://`` origin that is not this machine raise :class:`UnsafeRequest` (the
    caller sends keys and has not been allowed to send them in clear text).
    """

    def __init__(
        self,
        base_url: str,
        timeout: float,
        env: Mapping[str, str],
        *,
        deadline: float | None = None,
        refuse_cleartext: bool = False,
    ) -> None:
        self.base_url = base_url
        self.origin = origin_of(base_url)
        self.timeout = timeout
        self.deadline = deadline
        self.refuse_cleartext = refuse_cleartext
        self.proxy = proxy_for(base_url, env)
        self._cleartext_proxy = cleartext_proxy(base_url, env)
        proxies = {self.origin[0]: self.proxy} if self.proxy else {}
        handlers: list[urllib.request.BaseHandler] = [
            urllib.request.ProxyHandler(proxies),
            _HTTPHandler(),
            _HTTPSHandler(ssl_context(env)),
            _SameOriginRedirects(),
        ]
        self._opener = urllib.request.build_opener(*handlers)

    def request(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None = None,
        body: object | None = None,
        timeout: float | None = None,
    ) -> Response:
        """Send one request; HTTP errors come back as responses, failures as exceptions."""
        if origin_of(url) != self.origin:
            raise UnsafeRequest(f"{show_url(url)} is not on {show_url(self.base_url)}")
        if self.refuse_cleartext and (is_cleartext_remote(url) or self._cleartext_proxy):
            raise UnsafeRequest(f"{show_url(url)} is plain http:// to another machine")
        limit = min(timeout or self.timeout, MAX_WAIT)
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise NetworkError(
                    "timeout", "the probe of this model ran out of time (its requests together)"
                )
            limit = min(limit, left)
        exchange = _Exchange()
        worker = threading.Thread(
            target=self._run,
            args=(exchange, method, url, headers, body, limit),
            name="factory-lint-probe-request",
            daemon=True,
        )
        worker.start()
        if not exchange.done.wait(limit):
            exchange.abort()
            host, port = self.origin[1], self.origin[2]
            via = f" through the proxy {show_url(self.proxy)}" if self.proxy else ""
            raise NetworkError(
                "timeout",
                f"no complete answer from {host}:{port}{via} within {_seconds(limit)} s "
                "(connection, answer and body together)",
            )
        if exchange.error is not None:
            raise exchange.error
        assert exchange.response is not None
        return exchange.response

    def _run(
        self,
        exchange: _Exchange,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        body: object | None,
        limit: float,
    ) -> None:
        _Exchange.current.exchange = exchange
        try:
            exchange.response = self._send(method, url, headers, body, limit)
        except BaseException as error:  # handed to the caller's thread
            exchange.error = error
        finally:
            _Exchange.current.exchange = None
            exchange.done.set()

    def _send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        body: object | None,
        limit: float,
    ) -> Response:
        data = None
        all_headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
        try:
            with self._opener.open(request, timeout=limit) as answer:
                payload = answer.read(MAX_BODY + 1)
                return Response(
                    answer.status, answer.headers, payload[:MAX_BODY], url, len(payload) > MAX_BODY
                )
        except urllib.error.HTTPError as error:
            try:
                payload = error.read(MAX_BODY + 1)
            except (OSError, http.client.HTTPException):
                payload = b""
            finally:
                error.close()
            return Response(
                error.code, error.headers, payload[:MAX_BODY], url, len(payload) > MAX_BODY
            )
        except CrossOriginRedirect:
            raise
        except urllib.error.URLError as error:
            raise self._network_error(error.reason) from None
        except ValueError:  # http.client.InvalidURL; its text may quote the query: not shown
            raise NetworkError(
                "protocol", f"cannot send a request to {show_url(url)}: the URL is not valid"
            ) from None
        except (OSError, http.client.HTTPException) as error:
            raise self._network_error(error) from None

    def _network_error(self, reason: object) -> NetworkError:
        host, port = self.origin[1], self.origin[2]
        via = f" through the proxy {show_url(self.proxy)}" if self.proxy else ""
        if isinstance(reason, socket.gaierror):
            target = show_url(self.proxy) if self.proxy else host
            return NetworkError("dns", f"DNS: cannot resolve {target} ({reason.strerror})")
        if isinstance(reason, ssl.SSLCertVerificationError):
            return NetworkError(
                "tls", f"TLS: certificate of {host}:{port} not trusted: {reason.verify_message}"
            )
        if isinstance(reason, ssl.SSLError):
            hint = (
                " (does the server speak plain HTTP? then use http://)"
                if "WRONG_VERSION_NUMBER" in str(reason) or "wrong version" in str(reason)
                else ""
            )
            return NetworkError("tls", f"TLS: handshake with {host}:{port} failed{hint}")
        if isinstance(reason, TimeoutError):
            return NetworkError(
                "timeout", f"no answer from {host}:{port}{via} within {_seconds(self.timeout)} s"
            )
        if isinstance(reason, ConnectionRefusedError):
            if self.proxy:
                return NetworkError(
                    "proxy", f"the proxy {show_url(self.proxy)} refused the connection"
                )
            return NetworkError(
                "tcp", f"TCP: connection to {host}:{port} refused (is the server running?)"
            )
        if isinstance(reason, (http.client.RemoteDisconnected, http.client.BadStatusLine)):
            hint = " (does it expect https://?)" if self.origin[0] == "http" else ""
            return NetworkError(
                "protocol", f"{host}:{port} closed the connection without an HTTP answer{hint}"
            )
        if isinstance(reason, http.client.HTTPException):  # header too long, cut-off body…
            return NetworkError(
                "protocol",
                f"{host}:{port} sent a malformed or oversized HTTP answer ({type(reason).__name__})",
            )
        if isinstance(reason, OSError) and "Tunnel connection failed" in str(reason):
            return NetworkError(
                "proxy",
                f"the proxy {show_url(self.proxy or '')} could not connect to "
                f"{host}:{port} ({str(reason).split(':', 1)[-1].strip()})",
            )
        if isinstance(reason, OSError):
            text = reason.strerror or str(reason) or type(reason).__name__
            return NetworkError("tcp", f"TCP: cannot connect to {host}:{port}{via}: {text}")
        return NetworkError("tcp", f"cannot connect to {host}:{port}{via}: {reason}")


def _seconds(value: float) -> str:
    return f"{value:.3g}"
