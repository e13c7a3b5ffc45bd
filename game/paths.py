"""Where the game's own folders are, importable without loading anything else."""

from __future__ import annotations

import pathlib

PACKAGE_DIR = pathlib.Path(__file__).resolve().parent  # the ``game`` package
PROJECT_DIR = PACKAGE_DIR.parent
SCENARIO_DIR = PROJECT_DIR / "scenarios"
ASSETS = PROJECT_DIR / "assets"
