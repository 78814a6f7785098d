"""factory-lint: lint Factory Droid CLI configuration files."""

import os as _os

__version__ = "0.1.0"


def read_data(*parts: str) -> str:
    """The text of a packaged data file, ``factory_lint/data/<parts>``.

    Read straight from the package folder; ``importlib.resources`` (which imports zipfile,
    tempfile and more, several milliseconds) only when the package is not a plain folder.
    """
    try:
        with open(_os.path.join(_os.path.dirname(__file__), "data", *parts), encoding="utf-8") as f:
            return f.read()
    except OSError:
        from importlib import resources

        return resources.files("factory_lint").joinpath("data", *parts).read_text("utf-8")
