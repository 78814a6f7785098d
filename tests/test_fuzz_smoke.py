"""A short run of the atheris fuzz target (fuzz/fuzz_lint.py) in CI.

The long runs are documented in fuzz/README.md; this one only proves that the target works and
finds nothing in ~20 seconds from the golden files and the regression inputs. Skipped when
atheris is not installed (it ships wheels for Linux x86-64 only).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "fuzz" / "fuzz_lint.py"
SECONDS = int(os.environ.get("FACTORY_LINT_FUZZ_SECONDS", "20"))

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("atheris") is None, reason="atheris is not installed"
)


def test_fuzz_target_runs_clean_for_a_while(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for path in [*ROOT.glob("tests/golden/*/*.json"), *ROOT.glob("tests/regressions/*.json")]:
        shutil.copy(path, seeds / f"{path.parent.name}-{path.name}")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    result = subprocess.run(
        [
            sys.executable,
            str(TARGET),
            f"-max_total_time={SECONDS}",
            "-timeout=20",  # one input taking longer is reported as a hang
            "-max_len=4096",
            f"-dict={ROOT / 'fuzz' / 'jsonc.dict'}",
            f"-artifact_prefix={tmp_path}/",
            str(corpus),
            str(seeds),
        ],
        capture_output=True,
        text=True,
        timeout=SECONDS + 120,
        check=False,
        cwd=tmp_path,
    )
    crashes = sorted(tmp_path.glob("crash-*")) + sorted(tmp_path.glob("timeout-*"))
    details = "\n".join(f"{p.name}: {p.read_bytes()[:2000]!r}" for p in crashes)
    assert result.returncode == 0 and not crashes, (
        "the fuzz target found a failing input; keep it under tests/regressions/ "
        f"(see fuzz/README.md)\n{details}\n{result.stderr[-6000:]}"
    )
    done = re.findall(r"^#(\d+)\s+DONE\s+cov: (\d+)", result.stderr, re.MULTILINE)
    assert done, result.stderr[-3000:]
    runs, coverage = map(int, done[-1])
    print(f"fuzz smoke: {runs} inputs, coverage {coverage} edges, {SECONDS} s")
    assert runs > 0
