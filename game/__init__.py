"""Envoy, a turn-based crisis-diplomacy game."""


def __getattr__(name: str) -> str:
    if name == "__version__":
        # Imported here, not at the top: importlib.metadata costs about 14 ms,
        # and the title screen should not pay for it.
        from importlib import metadata

        try:
            return metadata.version("envoy")
        except metadata.PackageNotFoundError:  # running from a source tree
            return "0.1.0"
    raise AttributeError(name)
