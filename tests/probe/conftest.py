"""Fixtures for the probe tests: fake servers on loopback, a test CA, a clean environment."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from probe_fakes import AnthropicFake, FakeProxy, FakeServer, OllamaFake, OpenAIFake

#: Variables that would change where requests go or which certificates are trusted.
NETWORK_VARIABLES = (
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "NODE_EXTRA_CA_CERTS",
    "FACTORY_LINT_OUTPUT_FORMAT",
)


@pytest.fixture(autouse=True)
def clean_network_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No ambient proxy or CA setting may leak into a test (and no test leaves the machine)."""
    for name in NETWORK_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def openai() -> Iterator[FakeServer]:
    server = FakeServer(OpenAIFake())
    yield server
    server.close()


@pytest.fixture
def anthropic() -> Iterator[FakeServer]:
    server = FakeServer(AnthropicFake())
    yield server
    server.close()


@pytest.fixture
def ollama() -> Iterator[FakeServer]:
    server = FakeServer(OllamaFake())
    yield server
    server.close()


@pytest.fixture
def proxy() -> Iterator[FakeProxy]:
    server = FakeProxy()
    yield server
    server.close()


@dataclass(frozen=True)
class TestCA:
    ca: Path
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context


@pytest.fixture(scope="session")
def test_ca(tmp_path_factory: pytest.TempPathFactory) -> TestCA:
    """A CA made for this run and a server certificate for 127.0.0.1 / api.example.test."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a test CA")
    folder = tmp_path_factory.mktemp("ca")

    def run(*args: str) -> None:
        subprocess.run([openssl, *args], cwd=folder, check=True, capture_output=True, timeout=30)

    ec = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
    run(
        "req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=factory-lint probe test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    run("req", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    (folder / "ext.cnf").write_text(
        "basicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth\n"
        "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:api.example.test\n"
        "authorityKeyIdentifier=keyid,issuer\n"
        "subjectKeyIdentifier=hash\n"
    )
    run(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf",
    )  # fmt: skip
    return TestCA(folder / "ca.pem", folder / "server.pem", folder / "server.key")


@pytest.fixture
def tls_openai(test_ca: TestCA) -> Iterator[FakeServer]:
    server = FakeServer(OpenAIFake(), tls=test_ca.server_context())
    yield server
    server.close()
