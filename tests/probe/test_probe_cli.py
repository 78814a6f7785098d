"""``factory-lint probe`` end to end: reporters, exit codes, secrets, concurrency, Ctrl-C."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from probe_fakes import (
    FakeServer,
    OpenAIFake,
    Recorded,
    Reply,
    json_reply,
    settings_text,
)

from factory_lint.cli import main
from factory_lint.probe import model_entries, probe_entry

ROOT = Path(__file__).resolve().parents[2]
KEY = "sk-proj-test"


def entry(base: str, **fields: object) -> dict[str, object]:
    values: dict[str, object] = {
        "model": "gpt-4o",
        "provider": "generic-chat-completion-api",
        "baseUrl": base,
        "apiKey": "${OPENAI_API_KEY}",
    }
    values.update(fields)
    return values


def write(tmp_path: Path, *entries: dict[str, object]) -> Path:
    folder = tmp_path / ".factory"
    folder.mkdir(exist_ok=True)
    path = folder / "settings.json"
    path.write_text(settings_text(*entries), encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["probe", *args], stdout=out)
    return code, out.getvalue()


@pytest.fixture(autouse=True)
def key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    # The files `write` makes are the user's own (tmp_path/.factory is Droid's home), so
    # their ${OPENAI_API_KEY} is expanded; tests/probe/test_probe_hostile.py covers others.
    monkeypatch.setenv("FACTORY_HOME_OVERRIDE", str(tmp_path))


def test_clean_probe_exits_0(tmp_path: Path, openai: FakeServer) -> None:
    code, out = run(str(write(tmp_path, entry(f"{openai.url}/v1"))), "--output-format", "concise")
    assert (code, out) == (0, "")


def test_json_output_uses_the_lint_contract(tmp_path: Path, openai: FakeServer) -> None:
    path = write(tmp_path, entry(openai.url))
    code, out = run(str(path), "--output-format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["version"] == 1
    assert report["files"] == [{"file": str(path), "kind": "settings", "skipped": None}]
    [finding] = report["findings"]
    assert finding["code"] == "FL806" and finding["rule"] == "wrong-base-path"
    assert finding["severity"] == "error"
    assert finding["pointer"] == "/customModels/0/baseUrl"
    assert finding["range"] == {
        "start": {"line": 6, "column": 18},
        "end": {"line": 6, "column": 42},
    }
    assert finding["fix"]["applicability"] == "unsafe"
    assert finding["fix"]["edits"][0]["newText"] == f'"{openai.url}/v1"'
    assert finding["url"].endswith("#fl806-wrong-base-path")


def test_warnings_fail_only_with_strict(tmp_path: Path, openai: FakeServer) -> None:
    path = str(write(tmp_path, entry(f"{openai.url}/v1", model="gpt-4o-mni")))
    assert run(path, "--output-format", "concise")[0] == 0
    code, out = run(path, "--output-format", "concise", "--strict")
    assert code == 1
    assert "warning: " in out and "[FL805 model-not-listed]" in out


@pytest.mark.parametrize("output_format", ["full", "concise", "json", "sarif", "github"])
def test_every_format_renders_probe_findings(
    tmp_path: Path, openai: FakeServer, output_format: str
) -> None:
    path = str(write(tmp_path, entry(f"{openai.url}/v1", model="gpt-4o-mni")))
    code, out = run(path, "--output-format", output_format)
    assert code == 0 and "FL805" in out


def test_missing_file_and_usage_errors_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(str(tmp_path / "nope.json"))[0] == 2
    assert "no such file" in capsys.readouterr().err
    for bad in (["--concurrency", "0"], ["--timeout", "0"], ["--timeout", "x"]):
        with pytest.raises(SystemExit) as exit_info:
            run(*bad)
        assert exit_info.value.code == 2


def test_broken_ca_bundle_is_a_usage_error(
    tmp_path: Path, openai: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "corp-ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    assert run(str(write(tmp_path, entry(f"{openai.url}/v1"))))[0] == 2


def test_discovers_the_files_droid_reads(
    tmp_path: Path, openai: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FACTORY_HOME_OVERRIDE", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    write(tmp_path, entry(openai.url))
    code, out = run("--output-format", "concise")
    assert code == 1 and ".factory/settings.json" in out and "FL806" in out


def test_stdin(openai: FakeServer, monkeypatch: pytest.MonkeyPatch) -> None:
    data = settings_text(entry(openai.url)).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out = run(
        "-", "--stdin-filename", "mine.json", "--output-format", "concise", "--allow-project-env"
    )
    assert code == 1 and out.startswith("mine.json:6:18: error: ")


def test_no_key_in_any_output(
    tmp_path: Path,
    openai: FakeServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Keys from the file and from the environment, echoed back by the server in full."""
    literal = "sk-proj-LiteralCanary0123456789abcdefXYZ"
    from_env = "sk-proj-EnvCanary9876543210fedcbaZYX"
    short = "tiny42"
    monkeypatch.setenv("OPENAI_API_KEY", from_env)
    monkeypatch.setenv("SHORT_KEY", short)
    assert isinstance(openai.app, OpenAIFake)
    openai.app.echo_key = True
    echo = FakeServer(lambda r: json_reply(400, {"error": {"message": f"bad: {r.headers}"}}))
    path = write(
        tmp_path,
        entry(f"{openai.url}/v1", apiKey=literal),
        entry(f"{openai.url}/v1"),
        entry(f"{openai.url}/v1", apiKey="${SHORT_KEY}"),
        entry(f"{echo.url}/v1", extraHeaders={"X-Api-Key": literal}),
    )
    try:
        for output_format in ("full", "concise", "json", "sarif", "github"):
            for deep in ([], ["--deep"]):
                code, out = run(str(path), "--output-format", output_format, *deep)
                captured = capsys.readouterr()
                assert code == 1
                for secret in (literal, from_env, short):
                    assert secret not in out + captured.out + captured.err, output_format
    finally:
        echo.close()
    assert "Incorrect API key provided" in out  # the server did echo: the probe masked it


def test_concurrency_is_bounded(tmp_path: Path) -> None:
    slow = OpenAIFake(key=KEY)

    def app(request: Recorded) -> Reply:
        reply = slow(request)
        reply.delay = 0.08
        return reply

    server = FakeServer(app)
    try:
        path = str(write(tmp_path, *[entry(f"{server.url}/v1") for _ in range(6)]))
        assert run(path, "--concurrency", "2")[0] == 0
        assert server.max_in_flight == 2
        server.max_in_flight = 0
        assert run(path, "--concurrency", "6")[0] == 0
        assert server.max_in_flight > 2
    finally:
        server.close()


def test_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    server = FakeServer(lambda request: Reply(200, b"{}", delay=20))
    try:
        path = write(tmp_path, entry(f"{server.url}/v1"))
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        process = subprocess.Popen(
            [sys.executable, "-m", "factory_lint", "probe", str(path), "--timeout", "30"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
            # A test run started in the background (nohup, `cmd &` in a script) inherits SIGINT
            # ignored; give the probe the default handler a terminal would.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.default_int_handler),
        )
        deadline = time.monotonic() + 15
        while not server.requests and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server.requests, "the probe never reached the server"
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        # Generous bounds: CI machines can be heavily loaded; the server would answer only after
        # 20 s, so finishing well before that still proves the interrupt took effect.
        _, err = process.communicate(timeout=60)
        assert process.returncode == 130
        assert time.monotonic() - started < 15
        assert "probe interrupted" in err and "Traceback" not in err
    finally:
        server.close()


def test_lint_does_not_import_the_probe(tmp_path: Path) -> None:
    path = write(tmp_path, entry("http://127.0.0.1:9/v1"))
    code = (
        "import sys, io\n"
        "from factory_lint.cli import main\n"
        f"main([{str(path)!r}], stdout=io.StringIO())\n"
        "assert not [m for m in sys.modules if m.startswith('factory_lint.probe')], 'imported'\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_probe_entry_for_the_language_server(openai: FakeServer) -> None:
    text = settings_text(entry(f"{openai.url}/v1"), entry(openai.url), "not a model")  # type: ignore[arg-type]
    entries = model_entries(text, "settings")
    assert [e.index for e in entries] == [0, 1]
    assert text[entries[1].start] == "{" and text[entries[1].end - 1] == "}"
    env = {"OPENAI_API_KEY": KEY}
    assert probe_entry(text, "settings", 0, 2.0, env=env, trusted=True) == []
    [finding] = probe_entry(text, "settings", 1, 2.0, env=env, trusted=True)
    assert finding.code == "FL806"
    assert text[finding.start : finding.end] == f'"{openai.url}"'
    assert finding.pointer == "/customModels/1/baseUrl"
    assert probe_entry(text, "settings", 2) == []  # a string, not a model object


def test_help_warns_about_cost(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run("--help")
    assert "This can cost a token" in " ".join(capsys.readouterr().out.split())


def test_rules_are_documented(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "FL808"], stdout=(out := io.StringIO())) == 0
    assert "## FL808 ollama-context-too-small" in out.getvalue()
    assert "num_ctx" in out.getvalue()
