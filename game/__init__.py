"""Envoy, a turn-based crisis-diplomacy game."""

from importlib import metadata


def __getattr__(name: str) -> str:
    if name == "__version__":
        try:
            return metadata.version("envoy")
        except metadata.PackageNotFoundError:  # running from a source tree
            return "0.1.0"
    raise AttributeError(name)
