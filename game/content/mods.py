"""Mods: folders of crises written by players, beside the built-in ones.

A mod is a folder of scenario files, with optional move-library files that its
scenarios name under ``includes:`` (a library is looked for first beside the
scenario, then among the game's own). Mods come from ``--mods DIR`` and from the
user mods folder (the platform's user data folder, then ``mods``); each
subfolder of a mods folder is one mod, and files directly inside belong to a mod
named after the folder itself.

A mod never replaces a built-in crisis silently: a mod scenario whose id is
already taken (by a built-in crisis or an earlier mod) is still listed, with a
warning at its ``id:``, and the id keeps naming the crisis that took it first.
"""

from __future__ import annotations

import pathlib
from collections.abc import Callable, Sequence

import attrs

from game.content import loader
from game.content.diagnostics import Diagnostic, Severity
from game.content.yamlsafe import read_yaml
from game.paths import APP, MODS_ENV, mod_folders, user_mods_dir  # noqa: F401 (re-exported)


def mod_name(folder: pathlib.Path, path: pathlib.Path) -> str:
    """The mod a file belongs to: its first subfolder under ``folder``, or the folder."""
    parts = path.resolve().relative_to(folder.resolve()).parts
    return parts[0] if len(parts) > 1 else folder.resolve().name


@attrs.frozen
class Listed:
    """One crisis in the catalogue: built-in (``mod`` is None) or from a mod."""

    path: pathlib.Path
    result: loader.LoadResult
    mod: str | None = None
    notes: tuple[Diagnostic, ...] = ()  # problems of its place in the catalogue (id reuse)

    @property
    def is_mod(self) -> bool:
        return self.mod is not None

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return tuple(sorted((*self.result.diagnostics, *self.notes), key=_position))


def _position(diagnostic: Diagnostic) -> tuple[str, int, int]:
    return diagnostic.file, diagnostic.line, diagnostic.col


Loader = Callable[[pathlib.Path], loader.LoadResult]


def catalogue(folders: Sequence[pathlib.Path] = (), load: Loader = loader.load_scenario):
    """Every crisis to offer: the built-in ones, then each mod's, with id-reuse warnings."""
    entries = [Listed(path, load(path)) for path in loader.builtin_scenarios()]
    owners: dict[str, str] = {}
    for entry in entries:
        if entry.result.definition is not None:
            owners.setdefault(entry.result.definition.id, "a built-in crisis")
    for folder in folders:
        for path in scenario_files(folder):
            result = load(path)
            notes: tuple[Diagnostic, ...] = ()
            definition = result.definition
            if definition is not None:
                owner = owners.setdefault(definition.id, loader.display_name(path))
                if owner != loader.display_name(path):
                    notes = (_reused_id(path, definition.id, owner),)
            entries.append(Listed(path, result, mod_name(folder, path), notes))
    return entries


def scenario_files(folder: pathlib.Path) -> list[pathlib.Path]:
    return [p for p in loader.yaml_files(folder) if not loader.is_library_file(p)]


def _reused_id(path: pathlib.Path, scenario_id: str, owner: str) -> Diagnostic:
    file = loader.display_name(path)
    line, col = 1, 1
    try:
        _, marks = read_yaml(path.read_bytes(), file)
        line, col = marks.at(("id",))
    except Exception:  # the loader has already reported an unreadable file
        pass
    return Diagnostic(
        file,
        line,
        col,
        f"the id '{scenario_id}' is already used by {owner}; the id keeps naming that one, "
        "and this crisis is listed as a mod",
        f"give it an id of its own, such as '{scenario_id[:34]}_mod'",
        Severity.WARNING,
    )


@attrs.frozen
class Checked:
    """One file of a mod and every problem in it."""

    file: str
    kind: str  # "scenario" or "library"
    mod: str
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.is_error)

    @property
    def warnings(self) -> int:
        return len(self.diagnostics) - self.errors


def check(folders: Sequence[pathlib.Path], listed: Sequence[Listed] | None = None):
    """Every file of every mod with its problems, for the mod checker."""
    listed = catalogue(folders) if listed is None else listed
    scenarios = {entry.path.resolve(): entry for entry in listed if entry.is_mod}
    report = []
    for folder in folders:
        for path in loader.yaml_files(folder):
            entry = scenarios.get(path.resolve())
            if entry is not None:
                kind, found = "scenario", entry.diagnostics
            else:
                validated = loader.validate_file(path)
                kind, found = validated.kind, validated.diagnostics
            # Named from the mods folder, which the checker shows once at the top.
            short = path.resolve().relative_to(folder.resolve()).as_posix()
            named = tuple(
                attrs.evolve(d, file=short) if d.file == loader.display_name(path) else d
                for d in found
            )
            report.append(Checked(short, kind, mod_name(folder, path), named))
    return report


def find(name: str, folders: Sequence[pathlib.Path] = ()) -> pathlib.Path | None:
    """A crisis by id (its file name) or path: built-in first, then the mods in order."""
    found = loader.find_scenario(name)
    if found is not None or name.endswith((".yaml", ".yml")):
        return found
    for folder in folders:
        for path in scenario_files(folder):
            if path.stem == name:
                return path
    return None
