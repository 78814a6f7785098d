"""Secret canaries: distinctive fake keys planted everywhere a config file can hold text must never
come back out, in any output format, diff, statistics, message, help text or fix.

"Come back out" means the whole key or any 12-character window of its secret part (the part after
the well-known prefix that ``redact()`` may show, such as ``sk-ant-api03-``).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest

from factory_lint.context import FileInfo, LintContext, RelatedFile
from factory_lint.engine import run_checks
from factory_lint.jsonc import parse
from factory_lint.text import SourceText

_RANDOM = random.Random(0xCA9A8)
_ALNUM = string.ascii_letters + string.digits


def _body(length: int, alphabet: str = _ALNUM) -> str:
    return "".join(_RANDOM.choice(alphabet) for _ in range(length))


# (prefix that redact() may show, secret part); built at run time so no scanner flags the repo
CANARIES: dict[str, tuple[str, str]] = {
    "anthropic": ("sk-ant-api03-", _body(93) + "AA"),
    "openrouter": ("sk-or-v1-", _body(64, "0123456789abcdef")),
    "openai": ("sk-proj-", _body(40) + "T3BlbkFJ" + _body(40)),
    "groq": ("gsk_", _body(52)),
    "factory": ("fk-", _body(36)),
    "google": ("AIza", _body(35)),
    "generic": ("", "Cnry" + _body(36)),
    "bedrock": ("", "ABSK" + _body(120)),
    "header": ("", "Hdr" + _body(40)),
    "model": ("", "Mdl" + _body(30)),
    "display": ("", "Dsp" + _body(30)),
    "unknown_key": ("", "Unk" + _body(30)),
    "unknown_value": ("", "Unv" + _body(30)),
    "args": ("", "Arg" + _body(30)),
    "legacy": ("", "Lgc" + _body(32)),
    "mcp_env": ("ghp_", _body(36)),
    "mcp_header": ("", "Mhd" + _body(40)),
    "mcp_oauth": ("", "Moa" + _body(40)),
    "mcp_args": ("", "Mar" + _body(40)),
    "hook_cmd": ("", "Hkc" + _body(40)),
}
KEYS = {name: prefix + body for name, (prefix, body) in CANARIES.items()}


def leaks(text: str) -> list[str]:
    """Canaries (by name) found in ``text``, whole or as a 12-character window of the secret."""
    found = []
    for name, (_prefix, body) in CANARIES.items():
        windows = {body[i : i + 12] for i in range(len(body) - 11)}
        if KEYS[name] in text or any(w in text for w in windows):
            found.append(name)
    return found


def settings_text() -> str:
    k = KEYS
    return json.dumps(
        {
            "customModels": [
                {
                    "model": "claude-sonnet-4-6",
                    "displayName": "Sonnet",
                    "provider": "Anthropic",  # a safe fix, so that --diff prints something
                    "baseUrl": "https://openrouter.ai/api/v1",
                    "apiKey": k["anthropic"],
                    "extraHeaders": {
                        "Authorization": "Bearer " + k["openai"],
                        "x-api-key": k["header"],
                        "X-Title": k["groq"],
                    },
                    "extraArgs": {"api_key": k["args"], "nested": {"token": k["google"]}},
                },
                {
                    "model": k["model"],
                    "displayName": k["display"],
                    "provider": "generic-chat-completion-api",
                    "baseUrl": "http://llm.example.com/v1",
                    "apiKey": k["factory"],
                    k["unknown_key"]: k["unknown_value"],
                },
                {
                    "model": "anthropic.claude-sonnet-4-6",
                    "provider": "bedrock-converse",
                    "bedrock": {
                        "awsRegion": "us-east-1",
                        "awsProfile": k["generic"],
                        "requestMetadata": {"team": k["bedrock"]},
                    },
                },
                {
                    "model": "moonshotai/kimi-k2",
                    "displayName": "Kimi",
                    "provider": "generic-chat-completion-api",
                    "baseUrl": "https://openrouter.ai/api/v1",
                    "apiKey": k["openrouter"],
                },
                {
                    "model": "moonshotai/kimi-k2",
                    "displayName": "Kimi copy",
                    "provider": "generic-chat-completion-api",
                    "baseUrl": "https://openrouter.ai/api/v1",
                    "apiKey": k["openrouter"],
                },
            ],
            "sessionDefaultSettings": {"model": "custom:" + k["display"] + "-9"},
            "modelFavorites": ["custom:" + k["model"] + "x", k["generic"]],
            "env": {"OPENAI_API_KEY": k["openai"]},
        },
        indent=2,
    )


def legacy_text() -> str:
    k = KEYS
    return json.dumps(
        {
            "custom_models": [
                {
                    "model_display_name": "Legacy " + k["display"],
                    "model": "glm-4.6",
                    "base_url": "https://api.z.ai/api/paas/v4",
                    "api_key": k["legacy"],
                    "provider": "generic-chat-completion-api",
                    "extra_headers": {"Authorization": "Bearer " + k["header"]},
                    "extra_args": {"api_key": k["args"]},
                },
                {
                    "model_display_name": "Legacy Groq",
                    "model": "llama-3.3-70b-versatile",
                    "base_url": "http://api.groq.com/openai/v1",
                    "api_key": k["groq"],
                    "provider": "generic-chat-completion-api",
                },
            ]
        },
        indent=2,
    )


def mcp_text() -> str:
    k = KEYS
    return json.dumps(
        {
            "mcpServers": {
                "gh": {
                    "command": "npx -y gh-mcp --token " + k["mcp_args"],
                    "env": {"GITHUB_TOKEN": k["mcp_env"], "PORT": 5432},
                    "timeoutMs": 5,
                },
                "api": {
                    "url": "https://api.example.com/mcp?key=" + k["mcp_args"],
                    "headers": {"Authorization": "Bearer " + k["mcp_header"]},
                    "oauth": {"clientId": "x", "clientSecret": k["mcp_oauth"]},
                },
                k["unknown_key"]: {"type": "streamable-http", "url": "https://x.example/mcp"},
                "args": {"command": "srv", "args": "--key " + k["mcp_args"]},
            }
        },
        indent=2,
    )


def hooks_text() -> str:
    k = KEYS
    return json.dumps(
        {
            "hooks": {
                "PreToolUse": [
                    {
                        "matcher": "Bash",
                        "hooks": [
                            {
                                "type": "command",
                                "command": "./notify.sh --token " + k["hook_cmd"],
                                "timeout": "30",
                            }
                        ],
                    }
                ],
                k["unknown_key"]: [],
            }
        },
        indent=2,
    )


@pytest.fixture
def layout(tmp_path: Path) -> dict[str, Path]:
    repo = tmp_path / "repo"
    repo.mkdir()
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
    else:
        (repo / ".git").mkdir()
    factory = repo / ".factory"
    factory.mkdir()
    (factory / "settings.json").write_text(settings_text())
    (factory / "config.json").write_text(legacy_text())
    (factory / "mcp.json").write_text(mcp_text())
    (factory / "hooks.json").write_text(hooks_text())
    home = tmp_path / "home"
    (home / ".factory").mkdir(parents=True)
    user = home / ".factory" / "settings.json"
    user.write_text(settings_text())
    user.chmod(0o644)
    return {
        "home": home,
        "settings": factory / "settings.json",
        "legacy": factory / "config.json",
        "user": user,
        "mcp": factory / "mcp.json",
        "hooks": factory / "hooks.json",
    }


def run_cli(layout: dict[str, Path], *args: str) -> str:
    env = {**os.environ, "NO_COLOR": "1", "FACTORY_HOME_OVERRIDE": str(layout["home"])}
    env.pop("FACTORY_LINT_OUTPUT_FORMAT", None)
    files = [str(layout[name]) for name in ("settings", "legacy", "user", "mcp", "hooks")]
    result = subprocess.run(
        [sys.executable, "-m", "factory_lint", *args, *files],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.stdout + result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("--output-format", "full", "--statistics"),
        ("--output-format", "concise", "--statistics"),
        ("--output-format", "json", "--statistics"),
        ("--output-format", "sarif"),
        ("--output-format", "github"),
        ("--diff",),
        ("--diff", "--unsafe-fixes"),
    ],
    ids=lambda a: " ".join(a),
)
def test_no_output_shows_a_canary(layout: dict[str, Path], args: tuple[str, ...]) -> None:
    output = run_cli(layout, *args)
    assert output.strip(), "the CLI printed nothing: the test would prove nothing"
    assert leaks(output) == []


def test_the_canaries_are_found(layout: dict[str, Path]) -> None:
    """The planted keys are reported (so the test above exercises the leak rules)."""
    report = json.loads(run_cli(layout, "--output-format", "json"))
    codes = {f["code"] for f in report["findings"]}
    assert {"FL501", "FL502", "FL503", "FL504", "FL505", "FL702", "FL703", "FL704"} <= codes
    assert {"MCP102", "MCP103", "MCP104", "MCP105", "HOOK101", "HOOK107"} <= codes
    assert leaks(json.dumps(report)) == []


def test_fix_writes_no_canary_it_did_not_read(layout: dict[str, Path]) -> None:
    """--fix --unsafe-fixes replaces literal keys by ${NAME}; the legacy file's keys never move
    into settings.json (the migration fix is withheld for entries with other credentials)."""
    run_cli(layout, "--fix", "--unsafe-fixes")
    fixed = layout["settings"].read_text()
    models = json.loads(fixed)["customModels"]
    assert models[0]["apiKey"] == "${OPENROUTER_API_KEY_2}"  # the anthropic key sent there
    assert models[3]["apiKey"] == "${OPENROUTER_API_KEY}"  # the key OpenRouter issued
    for name in ("legacy", "anthropic", "openrouter", "factory"):
        assert name not in leaks(fixed)


def test_rules_themselves_never_print_a_canary() -> None:
    """Without the engine's last-line scrubbing: every FL5xx/FL7xx message, help, fix description
    and fix text, in every situation that changes the wording. (Pointers name the JSON path, which
    may pass through a key-shaped member name; the engine masks pointers centrally, and the CLI
    tests above check that.)"""
    settings = settings_text()
    related = (
        RelatedFile("/p/.factory/config.json", "config.json", legacy_text()),
        RelatedFile("/home/u/.factory/settings.json", "settings.json", settings, "user"),
    )
    infos = [
        FileInfo("/p/.factory/settings.json", "project", True, 0o644, related),
        FileInfo("/p/.factory/settings.local.json", "project", True, 0o644, related),
        FileInfo("/home/u/.factory/settings.json", "user", False, 0o644, related[:1]),
        FileInfo(None, "unknown", False, None),
    ]
    seen = 0
    for kind, text in (("settings", settings), ("legacy", legacy_text())):
        for info in infos:
            path = info.path
            if kind == "legacy" and path:
                info = FileInfo(
                    path.replace("settings.json", "config.json"),
                    info.scope,
                    info.committed,
                    info.mode,
                    (RelatedFile("/p/.factory/settings.json", "settings.json", settings),),
                )
            context = LintContext(SourceText(text), parse(text), kind, info)  # type: ignore[arg-type]
            for finding in run_checks(context):
                if finding.code[:3] not in ("FL5", "FL7"):
                    continue
                seen += 1
                parts = [finding.message, finding.help or ""]
                if finding.fix is not None:
                    parts.append(finding.fix.description)
                    parts.extend(edit.text for edit in finding.fix.edits)
                assert leaks("\n".join(parts)) == [], (finding.code, finding.message)
    assert seen > 20


def test_mcp_and_hooks_rules_never_print_a_canary() -> None:
    """Every finding of every rule on mcp.json and hooks.json, before the engine's scrubbing."""
    info = FileInfo("/p/.factory/x.json", "project", True, 0o644)
    seen = 0
    for kind, text in (("mcp", mcp_text()), ("hooks", hooks_text())):
        context = LintContext(SourceText(text), parse(text), kind, info)  # type: ignore[arg-type]
        for finding in run_checks(context):
            seen += 1
            parts = [finding.message, finding.help or ""]
            if finding.fix is not None:
                parts.append(finding.fix.description)
            assert leaks("\n".join(parts)) == [], (finding.code, finding.message)
    assert seen >= 10


# --- canaries of many shapes, in every place a file can hold them (issue 14) -------------------

import canaries  # noqa: E402  (tests/canaries.py: the shapes and the files that carry them)


@pytest.fixture
def shapes(tmp_path: Path) -> dict[str, Path]:
    """The canary files, each in its own repository's .factory folder."""
    home = tmp_path / "home"
    (home / ".factory").mkdir(parents=True)
    files: dict[str, Path] = {"home": home}
    for name, text in canaries.documents().items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        files[name] = path
    return files


def run_shapes(files: dict[str, Path], *args: str, cwd: Path | None = None) -> tuple[str, str]:
    env = {**os.environ, "NO_COLOR": "1", "FACTORY_HOME_OVERRIDE": str(files["home"])}
    env.pop("FACTORY_LINT_OUTPUT_FORMAT", None)
    paths = [str(p) for name, p in files.items() if name != "home"]
    result = subprocess.run(
        [sys.executable, "-m", "factory_lint", "--no-cache", *args, *paths],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=cwd,
    )
    assert result.returncode in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout, result.stderr


SHAPE_OUTPUTS = [
    ("--output-format", "full", "--statistics"),
    ("--output-format", "concise", "--statistics"),
    ("--output-format", "json", "--statistics"),
    ("--output-format", "json", "--unsafe-fixes"),
    ("--output-format", "sarif"),
    ("--output-format", "github"),
    ("--diff",),
    ("--diff", "--unsafe-fixes"),
]


@pytest.mark.parametrize("args", SHAPE_OUTPUTS, ids=lambda a: " ".join(a))
def test_no_output_shows_any_run_of_any_canary(
    shapes: dict[str, Path], args: tuple[str, ...]
) -> None:
    """27 shapes (provider keys, AWS, GitHub, bare tokens, URL and query credentials, header
    values, escaped forms, keys in comments, unparsable text, unquoted values and root strings):
    no 8-character run of any of them in stdout or stderr."""
    out, err = run_shapes(shapes, *args)
    assert (out + err).strip(), "the CLI printed nothing: the test would prove nothing"
    assert canaries.leaks(out + err) == []


def test_fix_json_shows_no_canary(shapes: dict[str, Path]) -> None:
    """--fix --unsafe-fixes with JSON output: the report after the fixes shows no canary."""
    out, err = run_shapes(shapes, "--fix", "--unsafe-fixes", "--output-format", "json")
    json.loads(out)
    assert canaries.leaks(out + err) == []


def test_the_shapes_are_reported(shapes: dict[str, Path]) -> None:
    """The full format shows the lines that carry the canaries (so masking is exercised):
    findings on the lines of the URL credentials, the AWS fields, the unquoted key and the
    root string."""
    out, _ = run_shapes(shapes, "--output-format", "full")
    for line in (
        '"baseUrl": "https://admin:… (16 chars)@proxy.example.com/v1?key=AIza… (39 chars)"',
        '"awsAccessKeyId": "… (20 chars)"',
        '"apiKey": sk-proj-… (56 chars)',
        '"sk-or-v1-… (73 chars)"',
    ):
        assert line in out, line


def test_values_that_are_not_secrets_stay_visible(tmp_path: Path) -> None:
    """Model ids and dummy keys are never masked (one message printed "… (22 chars)" for
    MiniMax-M2.7-highspeed): on the source line, in messages and in diffs."""
    folder = tmp_path / ".factory"
    folder.mkdir()
    path = folder / "settings.json"
    path.write_text(
        '{"customModels": [{"model": "MiniMax-M2.7-highspeed", "apiKey": "dummy-not-used", '
        '"baseUrl": "https://api.minimax.io/anthropic", "provider": "Anthropic", '
        '"displayName": "MiniMax", "maxOutputTokens": "8192"}]}\n'
    )
    files = {"home": tmp_path / "home", "settings": path}
    (tmp_path / "home" / ".factory").mkdir(parents=True)
    out, _ = run_shapes(files, "--output-format", "full")
    assert "MiniMax-M2.7-highspeed" in out and "dummy-not-used" in out, out
    assert "chars)" not in out, out
    diff, _ = run_shapes(files, "--diff")
    assert '"model": "MiniMax-M2.7-highspeed"' in diff and "dummy-not-used" in diff, diff


def _git_apply_and_patch(folder: Path, diff: str) -> None:
    (folder / "x.patch").write_text(diff)
    for command in (
        ["git", "apply", "--check", "x.patch"],
        ["patch", "-p1", "--dry-run", "-i", "x.patch"],
    ):
        if shutil.which(command[0]) is None:
            continue
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
        assert done.returncode == 0, (command, done.stdout, done.stderr, diff)


def test_canary_diff_applies_and_says_what_it_withholds(
    shapes: dict[str, Path], tmp_path: Path
) -> None:
    """The changes that would show a secret are left out, and stderr says so; the rest applies."""
    main = shapes["main/.factory/settings.json"]
    out, err = run_shapes(
        {"home": shapes["home"], "main": Path(".factory/settings.json")},
        "--diff",
        "--unsafe-fixes",
        cwd=main.parent.parent,
    )
    assert "changes not shown in the diff" in err and "would show a secret" in err, err
    assert out.startswith("--- a/.factory/settings.json\n"), out
    assert canaries.leaks(out + err) == []
    _git_apply_and_patch(main.parent.parent, out)


CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")
@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_every_corpus_diff_applies(tmp_path: Path, unsafe: bool) -> None:
    """issue 16: with --unsafe-fixes, 5 of the 9 corpus files that change gave a diff that
    `git apply` rejected. Every diff applies with `git apply` and `patch`, and when nothing was
    withheld, applying it gives exactly what --fix writes."""
    files = sorted(p for p in CORPUS.glob("*.json") if not p.name.startswith("DROID"))
    if not files:
        pytest.skip("no corpus")
    flags = ["--unsafe-fixes"] if unsafe else []
    changed = 0
    for source in files:
        repo = tmp_path / source.stem
        (repo / ".factory").mkdir(parents=True)
        name = "config.json" if "legacy" in source.name else "settings.json"
        target = repo / ".factory" / name
        shutil.copyfile(source, target)
        env = {**os.environ, "FACTORY_HOME_OVERRIDE": str(tmp_path / "nohome"), "NO_COLOR": "1"}
        relative = f".factory/{name}"
        diff = subprocess.run(
            [sys.executable, "-m", "factory_lint", "--diff", *flags, relative],
            cwd=repo,
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        if not diff.stdout:
            continue
        changed += 1
        _git_apply_and_patch(repo, diff.stdout)
        if "not shown" in diff.stderr:
            continue
        fixed = repo / "fixed"
        (fixed / ".factory").mkdir(parents=True)
        shutil.copyfile(source, fixed / ".factory" / name)
        subprocess.run(
            [sys.executable, "-m", "factory_lint", "--fix", *flags, relative],
            cwd=fixed,
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        subprocess.run(["git", "apply", "x.patch"], cwd=repo, check=True)
        assert target.read_bytes() == (fixed / ".factory" / name).read_bytes(), source.name
    assert changed >= (7 if unsafe else 0)


def test_a_fix_that_would_show_a_secret_says_so(shapes: dict[str, Path]) -> None:
    """A fix that rewrites the string holding a key (single quotes to double quotes) keeps its
    range in JSON but not its text; fixes without secrets keep their newText."""
    out, _ = run_shapes(shapes, "--output-format", "json")
    edits = [
        edit
        for finding in json.loads(out)["findings"]
        if finding["fix"]
        for edit in finding["fix"]["edits"]
    ]
    withheld = [e for e in edits if e["newText"] is None]
    assert withheld and all("would show a secret" in e["withheld"] for e in withheld)
    assert any(e["newText"] == '"${ANTHROPIC_API_KEY}"' for e in edits)
    assert canaries.leaks(out) == []
