"""A server that echoes part of what the probe sent: no 8-character run of a key or a credential
header value may come back in any probe output (issue 14: the probe masked only whole keys or
tokens of 20+ characters, so a server echoing the key's last 12 characters got them printed)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from probe_fakes import FakeServer, Recorded, Reply, json_reply, settings_text

from factory_lint.cli import main
from factory_lint.redaction import mask_runs

KEY = "sk-proj-" + "Qm7Rt2Vx9Kp4Lw8Zn3Hb6Jc1Fd5Gs0Ya"
HEADER = "hv" + "9XkT3mQ7pL2wR8zN4bV6cJ1"
RUN = 8


def _runs(secret: str) -> set[str]:
    body = secret[len("sk-proj-") :] if secret.startswith("sk-proj-") else secret
    return {body[i : i + RUN] for i in range(len(body) - RUN + 1)}


def _leaked(text: str) -> list[str]:
    compact = "".join(c for c in text if c.isalnum())
    found = []
    for name, secret in (("key", KEY), ("header", HEADER)):
        runs = _runs(secret)
        hex_runs = {secret.encode().hex()[i : i + 16] for i in range(0, len(secret) * 2 - 15)}
        if any(r in text or r in compact for r in runs) or any(h in text for h in hex_runs):
            found.append(name)
    return found


def _echo(request: Recorded) -> Reply:
    """Answer 401 with every partial form of the credentials the request carried."""
    sent = request.headers.get("authorization", "").removeprefix("Bearer ")
    custom = request.headers.get("x-custom-auth", "")
    message = (
        f"Incorrect API key provided: ...{sent[-12:]}; key begins {sent[:19]}; "
        f"spaced {' '.join(sent[8:30])}; hex {sent.encode().hex()}; "
        f"header ends {custom[-10:]}; dashed {'-'.join(custom[2:14])}"
    )
    return json_reply(401, {"error": {"message": message, "type": "invalid_request_error"}})


@pytest.fixture
def echo() -> FakeServer:
    server = FakeServer(_echo)
    yield server  # type: ignore[misc]
    server.close()


@pytest.mark.parametrize("output_format", ["full", "concise", "json", "sarif", "github"])
def test_partial_echoes_are_masked(
    tmp_path: Path,
    echo: FakeServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    output_format: str,
) -> None:
    monkeypatch.setenv("ECHO_TEST_KEY", KEY)
    folder = tmp_path / ".factory"
    folder.mkdir()
    path = folder / "settings.json"
    path.write_text(
        settings_text(
            {
                "model": "gpt-4o",
                "provider": "generic-chat-completion-api",
                "baseUrl": f"{echo.url}/v1",
                "apiKey": "${ECHO_TEST_KEY}",
                "extraHeaders": {"X-Custom-Auth": HEADER},
            }
        )
    )
    out = io.StringIO()
    code = main(
        ["probe", str(path), "--allow-project-env", "--output-format", output_format], stdout=out
    )
    captured = capsys.readouterr()
    text = out.getvalue() + captured.out + captured.err
    assert code == 1, text
    assert echo.requests, "the probe never reached the fake server"
    assert "Incorrect API key provided: ..." in text  # the echo was reported, masked
    assert _leaked(text) == [], text
    if output_format == "json":
        json.loads(out.getvalue())


def test_mask_runs_forms() -> None:
    sent = [KEY, HEADER]
    body = KEY[len("sk-proj-") :]
    text = (
        f"a {KEY[-12:]} b {KEY[:19]} c {' '.join(body[:10])} d {KEY.encode().hex()} "
        f"e {KEY.encode().hex().upper()} f {HEADER[3:12]} g {'-'.join(HEADER[:9])}"
    )
    masked = mask_runs(text, sent)
    assert _leaked(masked) == []
    assert masked.startswith("a … (12 chars of a key that was sent) b sk-proj-")
    # Runs shorter than 8 characters, and text that was never sent, stay.
    assert mask_runs(f"id {KEY[-7:]} ok", sent) == f"id {KEY[-7:]} ok"
    assert mask_runs("gpt-4o model not found", sent) == "gpt-4o model not found"
