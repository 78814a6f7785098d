"""Allow ``python -m factory_lint``."""

from factory_lint.cli import main

raise SystemExit(main())
