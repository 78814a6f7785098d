"""Reachability, TLS with a test CA, redirects, proxies: where requests go and where keys do not."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from probe_fakes import (
    FakeProxy,
    FakeServer,
    OpenAIFake,
    Recorded,
    Reply,
    codes,
    json_reply,
    probe,
    settings_text,
)

from factory_lint.probe.transport import (
    Client,
    UnsafeRequest,
    no_proxy_matches,
    proxy_for,
    show_url,
)

KEY = "sk-proj-test"
ENV = {"OPENAI_API_KEY": KEY}


def entry(base: str, **fields: object) -> dict[str, object]:
    values: dict[str, object] = {
        "model": "gpt-4o",
        "provider": "generic-chat-completion-api",
        "baseUrl": base,
        "apiKey": "${OPENAI_API_KEY}",
    }
    values.update(fields)
    return values


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- reachability ----------------------------------------------------------------------------


def test_connection_refused() -> None:
    port = closed_port()
    findings = probe(settings_text(entry(f"http://127.0.0.1:{port}/v1")), env=ENV)
    assert codes(findings) == ["FL801"]
    assert f"connection to 127.0.0.1:{port} refused" in findings[0].message
    assert findings[0].data["stage"] == "tcp"


def test_dns_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo

    def fake_getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if host == "llm.no-such-host.invalid":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    findings = probe(settings_text(entry("https://llm.no-such-host.invalid/v1")), env=ENV)
    assert codes(findings) == ["FL801"]
    assert "DNS: cannot resolve llm.no-such-host.invalid" in findings[0].message


def test_timeout() -> None:
    server = FakeServer(lambda request: Reply(200, b"{}", delay=2.0))
    try:
        findings = probe(settings_text(entry(f"{server.url}/v1")), env=ENV, timeout=0.3)
    finally:
        server.close()
    assert codes(findings) == ["FL801"]
    assert "within 0.3 s" in findings[0].message
    assert findings[0].data["stage"] == "timeout"


def test_ollama_port_refused_suggests_serve(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> object:
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(socket, "create_connection", refuse)
    findings = probe(settings_text(entry("http://localhost:11434/v1", model="qwen3:4b")), env=ENV)
    assert codes(findings) == ["FL801"]
    assert findings[0].help == "start Ollama with `ollama serve` (or the Ollama app)"


# --- TLS -------------------------------------------------------------------------------------


def test_untrusted_certificate(tls_openai: FakeServer) -> None:
    findings = probe(settings_text(entry(f"{tls_openai.url}/v1")), env={"OPENAI_API_KEY": KEY})
    assert codes(findings) == ["FL802"]
    assert "certificate of 127.0.0.1" in findings[0].message
    assert "not trusted" in findings[0].message
    assert tls_openai.requests == []  # the key never went out


@pytest.mark.parametrize(
    "variable", ["SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "NODE_EXTRA_CA_CERTS"]
)
def test_ca_bundle_from_environment(tls_openai: FakeServer, test_ca: object, variable: str) -> None:
    env = {"OPENAI_API_KEY": KEY, variable: str(test_ca.ca)}  # type: ignore[attr-defined]
    assert probe(settings_text(entry(f"{tls_openai.url}/v1")), env=env) == []
    assert tls_openai.requests[0].headers["authorization"] == f"Bearer {KEY}"


def test_https_url_on_a_plain_http_server(openai: FakeServer) -> None:
    base = openai.url.replace("http://", "https://") + "/v1"
    findings = probe(settings_text(entry(base)), env={"OPENAI_API_KEY": KEY})
    assert codes(findings) == ["FL802"]
    assert "plain HTTP" in findings[0].message


def test_http_url_on_a_tls_server(tls_openai: FakeServer) -> None:
    base = tls_openai.url.replace("https://", "http://") + "/v1"
    findings = probe(settings_text(entry(base)), env={"OPENAI_API_KEY": KEY})
    assert codes(findings) == ["FL801"]


# --- redirects -------------------------------------------------------------------------------


@pytest.fixture
def elsewhere() -> Iterator[FakeServer]:
    server = FakeServer(OpenAIFake(key=None))
    yield server
    server.close()


def test_cross_origin_redirect_is_not_followed(elsewhere: FakeServer) -> None:
    target = f"{elsewhere.url}/v1/models?token=abc"

    def redirect(request: Recorded) -> Reply:
        return Reply(302, b"", {"Location": target})

    server = FakeServer(redirect)
    try:
        text = settings_text(entry(f"{server.url}/v1"))
        findings = probe(text, env={"OPENAI_API_KEY": KEY})
    finally:
        server.close()
    assert codes(findings) == ["FL812"]
    assert elsewhere.requests == []  # neither the key nor anything else went there
    assert f"{elsewhere.url}/v1/models" in findings[0].message
    assert "token=abc" not in findings[0].message
    assert server.requests[0].headers["authorization"] == f"Bearer {KEY}"


def test_https_to_http_downgrade_is_another_origin(tls_openai: FakeServer, test_ca: object) -> None:
    # Same host and port, other scheme: a different origin.
    assert show_url("http://user:pw@h:1/p?key=1#x") == "http://h:1/p"
    client = Client(f"{tls_openai.url}/v1", 1.0, {"SSL_CERT_FILE": str(test_ca.ca)})  # type: ignore[attr-defined]
    with pytest.raises(UnsafeRequest):
        client.request("GET", tls_openai.url.replace("https", "http") + "/v1/models")
    assert tls_openai.requests == []


def test_same_origin_redirect_is_followed_with_the_key() -> None:
    openai = OpenAIFake(key=KEY, prefix="/v2")

    def app(request: Recorded) -> Reply:
        if request.path.startswith("/v1/"):
            return Reply(308, b"", {"Location": request.path.replace("/v1/", "/v2/", 1)})
        return openai(request)

    server = FakeServer(app)
    try:
        findings = probe(settings_text(entry(f"{server.url}/v1")), env={"OPENAI_API_KEY": KEY})
    finally:
        server.close()
    assert findings == []
    assert server.paths()[:2] == ["GET /v1/models", "GET /v2/models"]
    assert server.requests[1].headers["authorization"] == f"Bearer {KEY}"


def test_requests_to_another_origin_are_refused_before_sending(openai: FakeServer) -> None:
    client = Client(f"{openai.url}/v1", 1.0, {})
    with pytest.raises(UnsafeRequest):
        client.request("GET", "http://127.0.0.1:1/v1/models", {"Authorization": "Bearer x"})
    with pytest.raises(UnsafeRequest):
        client.request("GET", openai.url.replace("127.0.0.1", "localhost") + "/v1/models")
    assert openai.requests == []


# --- proxies ---------------------------------------------------------------------------------


def test_http_proxy_from_environment(proxy: FakeProxy, openai: FakeServer) -> None:
    proxy.routes[("api.example.test", 80)] = ("127.0.0.1", openai.port)
    env = {"OPENAI_API_KEY": KEY, "HTTP_PROXY": proxy.url}
    text = settings_text(entry("http://api.example.test/v1"))
    assert probe(text, env=env, allow_http=True) == []  # a remote http:// host: opted in
    assert [r.path for r in proxy.requests] == ["http://api.example.test/v1/models"]
    assert openai.paths() == ["GET /v1/models"]


def test_no_proxy_goes_direct(proxy: FakeProxy, openai: FakeServer) -> None:
    env = {"OPENAI_API_KEY": KEY, "http_proxy": proxy.url, "no_proxy": "localhost,127.0.0.1"}
    assert probe(settings_text(entry(f"{openai.url}/v1")), env=env) == []
    assert proxy.requests == []
    assert openai.paths()[0] == "GET /v1/models"


def test_https_through_connect_tunnel_hides_the_key(
    proxy: FakeProxy, tls_openai: FakeServer, test_ca: object
) -> None:
    proxy.routes[("api.example.test", 443)] = ("127.0.0.1", tls_openai.port)
    env = {
        "OPENAI_API_KEY": KEY,
        "HTTPS_PROXY": proxy.url,
        "SSL_CERT_FILE": str(test_ca.ca),  # type: ignore[attr-defined]
    }
    assert probe(settings_text(entry("https://api.example.test/v1")), env=env) == []
    assert [(r.method, r.path) for r in proxy.requests] == [("CONNECT", "api.example.test:443")]
    assert proxy.tunnelled and KEY.encode() not in proxy.tunnelled
    assert all(KEY not in str(r.headers) for r in proxy.requests)
    assert tls_openai.requests[0].headers["authorization"] == f"Bearer {KEY}"


def test_unreachable_proxy(openai: FakeServer) -> None:
    env = {"OPENAI_API_KEY": KEY, "HTTP_PROXY": f"http://127.0.0.1:{closed_port()}"}
    findings = probe(settings_text(entry(f"{openai.url}/v1")), env=env)
    assert codes(findings) == ["FL801"]
    assert "the proxy http://127.0.0.1:" in findings[0].message
    assert findings[0].help is not None and "NO_PROXY" in findings[0].help
    assert openai.requests == []


def test_proxy_that_cannot_connect(proxy: FakeProxy) -> None:
    proxy.routes[("api.example.test", 443)] = ("127.0.0.1", closed_port())
    env = {"OPENAI_API_KEY": KEY, "HTTPS_PROXY": proxy.url}
    findings = probe(settings_text(entry("https://api.example.test/v1")), env=env)
    assert codes(findings) == ["FL801"]
    assert "could not connect to api.example.test:443" in findings[0].message


def test_proxy_selection_rules() -> None:
    env = {
        "HTTPS_PROXY": "http://p:3128",
        "http_proxy": "http://q:8080",
        "NO_PROXY": ".corp,10.0.0.0/8",
    }
    assert proxy_for("https://api.openai.com/v1", env) == "http://p:3128"
    assert proxy_for("http://api.openai.com/v1", env) == "http://q:8080"
    assert proxy_for("https://llm.corp/v1", env) is None
    assert proxy_for("https://a.llm.corp/v1", env) is None
    assert proxy_for("http://10.1.2.3:8000/v1", env) is None
    assert proxy_for("https://x.example/v1", {"ALL_PROXY": "http://a:1"}) == "http://a:1"
    assert proxy_for("https://x.example/v1", {}) is None
    assert no_proxy_matches("h.example", 8080, "h.example:8080")
    assert not no_proxy_matches("h.example", 443, "h.example:8080")
    assert no_proxy_matches("anything", None, "*")
    assert no_proxy_matches("::1", None, "::1")
    assert not no_proxy_matches("corp", None, ".other")


def test_json_reply_helper_shape() -> None:
    reply = json_reply(200, {"a": 1})
    assert reply.headers["Content-Type"] == "application/json" and reply.body == b'{"a": 1}'
