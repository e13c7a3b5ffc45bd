"""Every way of running the tests finds them all: ``make test`` and a bare ``pytest``."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

PROJECT = pathlib.Path(__file__).resolve().parent.parent


def collect(*python_flags: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            *python_flags,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        timeout=300,
    )


@pytest.mark.slow  # a second pytest process collects the whole suite
def test_a_bare_pytest_collects_every_test_module():
    # -P leaves the current folder off the import path, as the ``pytest`` script does
    # (``python -m pytest`` puts it on, so ``tests.x`` imports worked only that way).
    bare = collect("-P")
    assert bare.returncode == 0, bare.stdout[-3000:] + bare.stderr[-3000:]
    # With the project's -q, one line per module: "tests/test_x.py: N".
    found = {line.split(":")[0] for line in bare.stdout.splitlines() if line.startswith("tests/")}
    assert found == {f"tests/{p.name}" for p in (PROJECT / "tests").glob("test_*.py")}
