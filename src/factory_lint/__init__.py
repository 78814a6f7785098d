"""factory-lint: lint Factory Droid CLI configuration files."""

__version__ = "0.1.0"
