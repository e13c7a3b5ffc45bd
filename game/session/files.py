"""Writing files so that a crash or a killed process never leaves one half-written."""

from __future__ import annotations

import contextlib
import os
import pathlib
import tempfile


def write_atomic(path: pathlib.Path, data: bytes) -> None:
    """Write a file so that it is either the old one or the whole new one, never half.

    The bytes go to a temporary file in the same folder, are flushed to disk,
    and only then renamed over the target (an atomic step on every platform
    Envoy runs on).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    if os.name == "posix":  # make the rename itself durable
        with contextlib.suppress(OSError):
            folder = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)
