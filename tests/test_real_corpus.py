"""Our own real-world corpus (tests/corpus): 30 configuration files from public repositories and
provider docs, each judged finding by finding.

Every file is placed at the path it had in its repository (one folder per file) and linted the
way a user runs factory-lint. A finding that ``judgements.json`` does not list, or lists as
wrong, fails the test: a changed rule must be judged on real files again. Must-report problems
must be found, and whatever the real Droid CLI skipped or rejected (``verdicts.json``) must be an
error at that entry.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).resolve().parent / "corpus"
SOURCES = [json.loads(line) for line in (CORPUS / "sources.jsonl").read_text("utf-8").splitlines()]
JUDGEMENTS: dict[str, Any] = json.loads((CORPUS / "judgements.json").read_text("utf-8"))
VERDICTS: dict[str, Any] = json.loads((CORPUS / "verdicts.json").read_text("utf-8"))["verdicts"]
NAMES = [source["name"] for source in SOURCES]


@cache
def lint_all(tmp: str) -> dict[str, dict[str, Any]]:
    """name -> {"findings": [...], "skipped": reason or None}: one run over the whole corpus."""
    root = Path(tmp)
    home = root / "home"
    home.mkdir()
    paths = {}
    for source in SOURCES:
        place = root / "repos" / source["name"] / source["place"]
        place.parent.mkdir(parents=True, exist_ok=True)
        place.write_bytes((CORPUS / "files" / source["name"]).read_bytes())
        paths[str(place)] = source["name"]
    env = {**os.environ, "HOME": str(home), "FACTORY_HOME_OVERRIDE": str(home), "NO_COLOR": "1"}
    env.pop("FACTORY_LINT_OUTPUT_FORMAT", None)
    command = [sys.executable, "-m", "factory_lint", "--output-format", "json", "--no-cache"]
    result = subprocess.run(
        [*command, *paths], capture_output=True, text=True, env=env, cwd=root, timeout=120
    )
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    out: dict[str, dict[str, Any]] = {name: {"findings": [], "skipped": None} for name in NAMES}
    for entry in report["files"]:
        out[paths[str(Path(root, entry["file"]))]]["skipped"] = entry.get("skipped")
    for finding in report["findings"]:
        out[paths[str(Path(root, finding["file"]))]]["findings"].append(finding)
    return out


@pytest.fixture(scope="module")
def linted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    return lint_all(str(tmp_path_factory.mktemp("real-corpus")))


def key(finding: dict[str, Any]) -> str:
    return f"{finding['code']}@{finding['range']['start']['line']}"


@pytest.mark.parametrize("name", NAMES)
def test_every_finding_is_judged_right(name: str, linted: dict[str, dict[str, Any]]) -> None:
    judged = JUDGEMENTS[name]["findings"]
    for finding in linted[name]["findings"]:
        verdict = judged.get(key(finding))
        assert verdict is not None, f"unjudged finding {key(finding)}: {finding['message']}"
        assert verdict["verdict"] == "right", f"{key(finding)} judged wrong: {verdict['why']}"


@pytest.mark.parametrize("name", NAMES)
def test_must_report_problems_are_found(name: str, linted: dict[str, dict[str, Any]]) -> None:
    found = {key(finding): finding["severity"] for finding in linted[name]["findings"]}
    for must in JUDGEMENTS[name].get("must_report", []):
        assert must["at"] in found, f"missed: {must['what']}"
        assert found[must["at"]] in must["severity"], (must, found[must["at"]])


@pytest.mark.parametrize("name", NAMES)
def test_files_of_other_tools_are_skipped(name: str, linted: dict[str, dict[str, Any]]) -> None:
    if JUDGEMENTS[name].get("not_droid"):
        assert linted[name]["skipped"], "another tool's file was linted as Droid's"
        assert not linted[name]["findings"]


@pytest.mark.parametrize("name", sorted(VERDICTS))
def test_what_droid_drops_is_an_error(name: str, linted: dict[str, dict[str, Any]]) -> None:
    verdict = VERDICTS[name]
    if JUDGEMENTS[name].get("not_droid"):
        return
    errors = [f for f in linted[name]["findings"] if f["severity"] == "error"]
    if verdict["file"] == "rejected":
        assert errors, "Droid rejects this file; factory-lint reports no error"
    field = "custom_models" if name.endswith(".config.json") else "customModels"
    for index, status in enumerate(verdict["models"]):
        if status == "skipped":
            prefix = f"/{field}/{index}"
            assert any(
                f["pointer"] == prefix or f["pointer"].startswith(prefix + "/") for f in errors
            ), f"Droid skips entry {index}; no error there"
