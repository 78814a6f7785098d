"""Print the corpus findings that judgements.json does not cover yet (for a human to judge).

    python tests/corpus/judge.py            # unjudged findings only
    python tests/corpus/judge.py --all      # every finding with its verdict
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import test_real_corpus as corpus


def main() -> None:
    show_all = "--all" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        linted = corpus.lint_all(tmp)
    for name in corpus.NAMES:
        judged = corpus.JUDGEMENTS.get(name, {}).get("findings", {})
        rows = [
            (corpus.key(f), f, judged.get(corpus.key(f)))
            for f in linted[name]["findings"]
            if show_all or corpus.key(f) not in judged
        ]
        if rows or (show_all and linted[name]["skipped"]):
            print(f"== {name}  skipped={linted[name]['skipped']!r}")
        for at, finding, verdict in rows:
            mark = verdict["verdict"] if verdict else "UNJUDGED"
            print(f"  {mark:9} {at:12} {finding['severity']:7} {finding['message'][:230]}")


if __name__ == "__main__":
    main()
