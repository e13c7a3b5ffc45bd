"""Where the game's own folders are, importable without loading anything else."""

from __future__ import annotations

import pathlib
from collections.abc import Iterable

PACKAGE_DIR = pathlib.Path(__file__).resolve().parent  # the ``game`` package
PROJECT_DIR = PACKAGE_DIR.parent
SCENARIO_DIR = PROJECT_DIR / "scenarios"
ASSETS = PROJECT_DIR / "assets"

APP = "envoy"
MODS_ENV = "ENVOY_MODS_DIR"  # overrides the user mods folder (tests, portable installs)


def user_mods_dir() -> pathlib.Path:
    """The user mods folder: ENVOY_MODS_DIR, else the platform's user data folder + mods."""
    import os

    import platformdirs

    override = os.environ.get(MODS_ENV)
    if override:
        return pathlib.Path(override)
    return pathlib.Path(platformdirs.user_data_dir(APP, appauthor=False)) / "mods"


def mod_folders(extra: Iterable[pathlib.Path] = ()) -> list[pathlib.Path]:
    """The mods folders to read: those given (``--mods``), then the user's, if it exists.

    Here rather than in :mod:`game.content.mods` so that opening the game finds
    its mods folders without importing the scenario loader.
    """
    folders: dict[pathlib.Path, pathlib.Path] = {}
    for folder in [*extra, user_mods_dir()]:
        if is_folder(folder):
            folders.setdefault(folder.resolve(), folder)
    return list(folders.values())


def is_folder(path: pathlib.Path) -> bool:
    """Whether ``path`` is a folder; a name no folder can have (a NUL, a part over 255
    characters) is simply not one, rather than an error."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def portable_name(name: str) -> str:
    """A file as saves, reports and the debrief name it: never a path of one computer.

    The game names a crisis from its own folder or from a mods folder. A name that
    is absolute (on any system) or climbs out with ``..``, as a save written by an
    older version may hold, keeps only the file's name.
    """
    for flavour in (pathlib.PurePosixPath, pathlib.PureWindowsPath):
        path = flavour(name)
        if path.anchor or ".." in path.parts:
            return path.name
    return name
