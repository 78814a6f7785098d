"""Secrets (FL5xx) and cross-references (FL7xx) beyond the goldens: what files.file_info tells the
rules (git-ignored files, neighbouring files, ~/.factory), Droid's `custom:` resolution order,
and the migration fix on real layouts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from factory_lint import files
from factory_lint.context import FileInfo, RelatedFile
from factory_lint.engine import lint_text
from factory_lint.files import file_info, prefetch_git_ignored
from factory_lint.fixes import fix_text
from factory_lint.jsonc import parse
from factory_lint.rules.references import CustomModel, load_models, resolve

# Synthetic, format-valid keys built from pieces (no scanner should mistake the repo for a leak).
OPENROUTER_KEY = "sk-or-v1-" + "5e0c" * 16
GENERIC_KEY = "sk-" + "UnitTestOnly" + "q7Rw2Zp9Lk4Xv8Bn3Mc6Td1Yh5"

HAS_GIT = shutil.which("git") is not None


def settings_with(key: str) -> str:
    return json.dumps(
        {
            "customModels": [
                {
                    "model": "moonshotai/kimi-k2",
                    "displayName": "Kimi K2",
                    "provider": "generic-chat-completion-api",
                    "baseUrl": "https://openrouter.ai/api/v1",
                    "apiKey": key,
                }
            ]
        },
        indent=2,
    )


def codes(text: str, info: FileInfo, kind: str = "settings") -> list[str]:
    return [f.code for f in lint_text(text, kind, info).findings]  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def fresh_caches(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(files, "_IGNORED", {})
    monkeypatch.setattr(files, "_TEXT_CACHE", {})
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("FACTORY_HOME_OVERRIDE", str(home))


def git_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    return path


# --- files.file_info: committed ----------------------------------------------------------------


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
def test_git_ignored_local_file_is_not_committed(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo")
    (repo / ".gitignore").write_text(".factory/settings.local.json\n")
    factory = repo / ".factory"
    factory.mkdir()
    local = factory / "settings.local.json"
    local.write_text(settings_with(OPENROUTER_KEY))
    shared = factory / "settings.json"
    shared.write_text(settings_with(OPENROUTER_KEY))
    assert file_info(local, 0o644, has_secrets=True).committed is False
    assert file_info(shared, 0o644, has_secrets=True).committed is True
    # without secrets git is not asked: the file counts as committed (nothing to leak anyway)
    assert file_info(local, 0o644, has_secrets=False).committed is True
    # the pre-commit hook hands over staged files: committed whatever .gitignore says
    assert file_info(local, 0o644, pre_commit=True, has_secrets=True).committed is True
    info = file_info(local, 0o644, has_secrets=True)
    assert "FL501" not in codes(local.read_text(), info)
    assert "FL501" in codes(shared.read_text(), file_info(shared, 0o644, has_secrets=True))


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
def test_tracked_file_stays_committed_even_if_ignored_later(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo")
    factory = repo / ".factory"
    factory.mkdir()
    local = factory / "settings.local.json"
    local.write_text(settings_with(OPENROUTER_KEY))
    subprocess.run(["git", "-C", str(repo), "add", "-f", str(local)], check=True)
    (repo / ".gitignore").write_text(".factory/settings.local.json\n")
    assert file_info(local, 0o644, has_secrets=True).committed is True


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
def test_prefetch_asks_git_once_per_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = git_repo(tmp_path / "repo")
    (repo / ".gitignore").write_text("ignored*/\n")
    paths = []
    for name in ("kept1", "kept2", "ignored1", "ignored2"):
        folder = repo / name / ".factory"
        folder.mkdir(parents=True)
        path = folder / "settings.json"
        path.write_text(settings_with(OPENROUTER_KEY))
        paths.append(path)
    calls: list[list[str]] = []
    real_run = subprocess.run

    def counting_run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        calls.append(args)
        return real_run(args, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(files.subprocess, "run", counting_run)
    prefetch_git_ignored(paths)
    assert len(calls) == 1
    states = [file_info(p, 0o644, has_secrets=True).committed for p in paths]
    assert states == [True, True, False, False]
    assert len(calls) == 1, "file_info must use the prefetched answers"


def test_fake_git_folder_counts_as_committed(tmp_path: Path) -> None:
    """A `.git` folder git does not accept (tests, broken clones): git cannot tell, so the file
    stays committed rather than silently hiding a leak."""
    (tmp_path / ".git").mkdir()
    factory = tmp_path / ".factory"
    factory.mkdir()
    path = factory / "settings.local.json"
    path.write_text(settings_with(OPENROUTER_KEY))
    assert file_info(path, 0o644, has_secrets=True).committed is True


# --- files.file_info: neighbours ---------------------------------------------------------------


def test_related_files_are_the_folder_and_the_users_files(tmp_path: Path) -> None:
    home = Path(os.environ["FACTORY_HOME_OVERRIDE"]) / ".factory"
    home.mkdir()
    (home / "settings.json").write_text('{"customModels": []}')
    (home / "config.json").write_text('{"custom_models": []}')
    project = tmp_path / "project" / ".factory"
    project.mkdir(parents=True)
    (project / "settings.json").write_text("{}")
    (project / "settings.local.json").write_text("{}")
    (project / "config.json").write_text('{"custom_models": []}')
    (project / "mcp.json").write_text("{}")
    info = file_info(project / "settings.json", 0o644)
    assert info.scope == "project"
    seen = {(Path(r.path).parent.name, r.name, r.level) for r in info.related}
    assert seen == {
        (".factory", "settings.local.json", "folder"),
        (".factory", "config.json", "folder"),
        (".factory", "mcp.json", "folder"),  # for the hooks and MCP rules (issue 17)
        (".factory", "settings.json", "user"),
        (".factory", "config.json", "user"),
    }
    assert all(Path(r.path).parent == home for r in info.related if r.level == "user")
    user = file_info(home / "settings.json", 0o600)
    assert user.scope == "user"
    assert [(r.name, r.level) for r in user.related] == [("config.json", "folder")]


def test_chezmoi_names_and_unrelated_folders(tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles" / "private_dot_factory"
    dotfiles.mkdir(parents=True)
    (dotfiles / "private_settings.json").write_text("{}")
    (dotfiles / "private_config.json").write_text('{"custom_models": []}')
    info = file_info(dotfiles / "private_settings.json", 0o600)
    assert [r.name for r in info.related] == ["config.json"]
    elsewhere = tmp_path / "random"
    elsewhere.mkdir()
    (elsewhere / "settings.json").write_text("{}")
    (elsewhere / "config.json").write_text("{}")
    assert file_info(elsewhere / "settings.json", None).related == ()


def test_project_reference_to_a_user_model_resolves(tmp_path: Path) -> None:
    home = Path(os.environ["FACTORY_HOME_OVERRIDE"]) / ".factory"
    home.mkdir()
    (home / "settings.json").write_text(settings_with("${OPENROUTER_API_KEY}"))
    project = tmp_path / "project" / ".factory"
    project.mkdir(parents=True)
    path = project / "settings.json"
    text = '{"sessionDefaultSettings": {"model": "custom:Kimi-K2-0"}}'
    path.write_text(text)
    assert "FL702" not in codes(text, file_info(path, 0o644))
    findings = lint_text(text.replace("Kimi-K2-0", "Kimi-K3-0"), "settings", file_info(path, 0o644))
    [finding] = [f for f in findings.findings if f.code == "FL702"]
    assert "in this file, next to it or in ~/.factory" in finding.message
    assert 'did you mean "custom:Kimi-K2-0"?' in finding.message


# --- Droid's resolution order (spec §3.2, checked against droid 0.225.2) -----------------------


def models_of(entries: list[dict[str, object]]) -> list[CustomModel]:
    text = json.dumps({"customModels": entries})
    return [m for m in load_models(parse(text).root, "settings", "x") if m.skipped is None]


BASE = {"provider": "openai", "baseUrl": "https://api.openai.com/v1"}


@pytest.mark.parametrize(
    ("reference", "found"),
    [
        ("custom:my-id", "a"),  # exact id
        ("custom:GPT-5-0", "gpt-5-mini"),  # generated from the display name (whitespace runs → "-")
        ("custom:GPT-5-1", "c"),  # the second "GPT  5" gets the counter 1
        ("custom:Opus-7", "d"),  # the old index-based id (index 7)
        ("custom:Haiku-42", "e"),  # the only "Haiku" whose id starts custom:Haiku-
        ("custom:gpt-5-mini", "gpt-5-mini"),  # custom:<model>
        ("custom:GPT-5", None),  # no suffix, and no entry's model is "GPT-5"
        ("custom:GPT-5-00", None),  # the suffix must be a canonical number
        ("gpt-5", None),  # not a custom reference
    ],
)
def test_resolution_order(reference: str, found: str | None) -> None:
    models = models_of(
        [
            {"model": "a", "id": "custom:my-id", **BASE},
            {"model": "gpt-5-mini", "displayName": "GPT 5", **BASE},
            {"model": "c", "displayName": "GPT  5", **BASE},
            {"model": "d", "displayName": "Opus", "index": 7, **BASE},
            {"model": "e", "displayName": "Haiku", "id": "custom:Haiku-3", **BASE},
        ]
    )
    resolved = resolve(reference, models)
    assert (resolved.model if resolved else None) == found


def test_dropped_entries_are_not_visible() -> None:
    models = load_models(
        parse(
            json.dumps(
                {
                    "customModels": [
                        {"model": "x", "provider": "openai"},  # no baseUrl: dropped
                        {"model": "y", "apiKey": "YOUR_API_KEY", **BASE},  # dropped placeholder
                    ]
                }
            )
        ).root,
        "settings",
        "x",
    )
    assert [m.skipped is not None for m in models] == [True, True]
    assert resolve("custom:x", [m for m in models if m.skipped is None]) is None


def test_legacy_ids_count_entries_with_a_bad_provider() -> None:
    """Droid numbers legacy entries before it checks their provider."""
    text = json.dumps(
        {
            "custom_models": [
                {
                    "model": "a",
                    "model_display_name": "Same",
                    "provider": "open-proxy",
                    "base_url": "u",
                },
                {"model": "b", "model_display_name": "Same", "provider": "openai", "base_url": "u"},
            ]
        }
    )
    models = load_models(parse(text).root, "legacy", "config.json")
    assert [(m.id, m.index, m.skipped is None) for m in models] == [
        ("custom:Same-0", 0, False),
        ("custom:Same-1", 1, True),
    ]


# --- the migration fix on real layouts ---------------------------------------------------------

LEGACY = json.dumps(
    {
        "custom_models": [
            {
                "model_display_name": "Kimi K2",
                "model": "moonshotai/kimi-k2",
                "base_url": "https://openrouter.ai/api/v1",
                "api_key": OPENROUTER_KEY,
                "provider": "generic-chat-completion-api",
                "max_tokens": 16384,
                "reasoning_effort": "HIGH",
            }
        ]
    }
)


def migrated(settings: str, legacy: str = LEGACY) -> str:
    info = FileInfo(
        "/home/u/.factory/settings.json",
        "user",
        False,
        0o600,
        (RelatedFile("/home/u/.factory/config.json", "config.json", legacy),),
    )
    result = fix_text(settings, lambda t: lint_text(t, "settings", info).findings, unsafe=True)
    assert not parse(result.text).problems, result.text
    return result.text


MIGRATED_ENTRY = {
    "model": "moonshotai/kimi-k2",
    "id": "custom:Kimi-K2-0",
    "index": 0,
    "baseUrl": "https://openrouter.ai/api/v1",
    "apiKey": "${OPENROUTER_API_KEY}",
    "displayName": "Kimi K2",
    "maxOutputTokens": 16384,
    "reasoningEffort": "high",
    "noImageSupport": True,
    "provider": "generic-chat-completion-api",
}


@pytest.mark.parametrize(
    "settings",
    [
        "{}",
        "{\n}\n",
        '{ "diffMode": "github" }',
        '// header\n{\n  "diffMode": "github" // trailing comment\n}\n',
        '{\n\t"customModels": [],\n\t"diffMode": "github"\n}\n',
        '{"customModels": [ ]}',
        '{\n  "customModels": [\n    { "model": "m", "provider": "openai", "baseUrl": "u" } // c\n  ]\n}',
        '{"customModels": [{"model": "m", "provider": "openai", "baseUrl": "u"}], "x": 1}',
    ],
)
def test_migration_fix_layouts(settings: str) -> None:
    text = migrated(settings)
    data = json.loads(
        "\n".join(line.split(" //")[0] for line in text.splitlines() if not line.startswith("//"))
    )
    assert data["customModels"][-1] == MIGRATED_ENTRY
    assert OPENROUTER_KEY not in text
    assert migrated(text) == text, "a second run changes nothing"


def test_migration_keeps_comments_and_indentation() -> None:
    settings = '// Factory CLI Settings\n{\n\t"customModels": [\n\t\t{ "model": "m", "provider": "openai", "baseUrl": "u" }\n\t]\n}\n'
    text = migrated(settings)
    assert text.startswith('// Factory CLI Settings\n{\n\t"customModels": [\n\t\t{ "model": "m"')
    assert '\n\t\t{\n\t\t\t"model": "moonshotai/kimi-k2",' in text


def test_no_migration_fix_when_a_credential_sits_outside_api_key() -> None:
    legacy = json.loads(LEGACY)
    legacy["custom_models"][0]["extra_headers"] = {"Authorization": "Bearer " + GENERIC_KEY}
    info = FileInfo(
        "/home/u/.factory/settings.json",
        "user",
        False,
        0o600,
        (RelatedFile("/home/u/.factory/config.json", "config.json", json.dumps(legacy)),),
    )
    [finding] = [f for f in lint_text("{}", "settings", info).findings if f.code == "FL704"]
    assert finding.fix is None and "copy them by hand" in finding.message
    assert GENERIC_KEY not in finding.message


# --- the CLI end to end ------------------------------------------------------------------------


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
def test_cli_migration_and_leak_in_a_repository(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo")
    factory = repo / ".factory"
    factory.mkdir()
    (factory / "config.json").write_text(LEGACY)
    settings = factory / "settings.json"
    settings.write_text('{\n  "customModels": []\n}\n')
    env = {**os.environ, "NO_COLOR": "1"}
    run = [sys.executable, "-m", "factory_lint", "--output-format", "json"]
    report = subprocess.run(
        [*run, str(settings), str(factory / "config.json")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert OPENROUTER_KEY not in report.stdout + report.stderr
    found = {(Path(f["file"]).name, f["code"]) for f in json.loads(report.stdout)["findings"]}
    assert {("settings.json", "FL704"), ("config.json", "FL704"), ("config.json", "FL501")} <= found
    fixed = subprocess.run(
        [sys.executable, "-m", "factory_lint", "--fix", "--unsafe-fixes", str(settings)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert OPENROUTER_KEY not in fixed.stdout + fixed.stderr
    assert json.loads(settings.read_text())["customModels"] == [MIGRATED_ENTRY]


def test_missing_user_files_are_looked_for_once_per_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factory_lint import files

    home = tmp_path / "home"
    (home / ".factory").mkdir(parents=True)
    (home / ".factory" / "settings.json").write_text('{ "customModels": [] }')
    monkeypatch.setenv("FACTORY_HOME_OVERRIDE", str(home))
    looked: list[str] = []
    real = files._cached_text
    monkeypatch.setattr(files, "_cached_text", lambda p: looked.append(p.name) or real(p))
    targets = []
    for index in range(3):
        target = tmp_path / f"p{index}" / ".factory" / "settings.json"
        target.parent.mkdir(parents=True)
        target.write_text("{}")
        targets.append(target)
    files.begin_batch()
    try:
        infos = [files.file_info(t, 0o644, False) for t in targets]
    finally:
        files.end_batch()
    assert [[r.name for r in info.related] for info in infos] == [["settings.json"]] * 3
    # the existing user file is checked each time; the two missing ones once
    assert looked.count("settings.json") == 3
    assert looked.count("settings.local.json") == looked.count("config.json") == 1
