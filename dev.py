"""Set-up and everyday commands for Envoy, the same on Linux, macOS and Windows.

    python3 dev.py play     # create .venv on first use, then launch the game
    python3 dev.py test     # create .venv on first use, then lint and run every test

The virtual environment is (re)filled whenever pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".envoy-installed"


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def ensure_venv() -> Path:
    python = venv_python()
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if python.exists() and STAMP.exists() and STAMP.read_text() == wanted:
        return python
    if not python.exists():
        print("Creating the virtual environment in .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing Envoy and its dependencies …", flush=True)
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)
    return python


def run(python: Path, *args: str) -> int:
    return subprocess.run([str(python), *args], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    commands = ("play", "demo", "test", "lint", "bench")
    if not argv or argv[0] not in commands:
        print(f"usage: python3 dev.py {{{','.join(commands)}}} [args...]", file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    python = ensure_venv()
    if command == "play":
        return run(python, "-m", "game", *rest)
    if command == "demo":
        return run(python, "-m", "game", "demo", *rest)
    if command == "bench":
        for script in ("bench/engine.py", "bench/ui.py"):
            code = run(python, script, *rest)
            if code:
                return code
        return 0
    lint = run(python, "-m", "ruff", "check", ".") or run(
        python, "-m", "ruff", "format", "--check", "."
    )
    if command == "lint" or lint:
        return lint
    return run(python, "-m", "pytest", *spread(rest))


def spread(args: list[str]) -> list[str]:
    """pytest's arguments, with the tests spread over every core (pytest-xdist) unless
    they say how many workers (``-n``) already. Each worker takes another test as
    soon as it is free, so the few long ones do not hold the others up."""
    if any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in args):
        return args
    return ["-n", "auto", "--dist", "worksteal", *args]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
