"""Mods: folders of crises written by players, beside the built-in ones.

A mod is a folder of scenario files, with optional move-library files that its
scenarios name under ``includes:`` (a library is looked for first beside the
scenario, then among the game's own). Mods come from ``--mods DIR`` and from the
user mods folder (the platform's user data folder, then ``mods``); each
subfolder of a mods folder is one mod, and files directly inside belong to a mod
named after the folder itself.

A mods folder is walked without trusting what is in it: links are followed to
regular files and to folders (a modder often links a checkout in), a link loop,
a dangling link, a device or a FIFO is skipped with a warning, and an unreadable
folder is a warning too, so one bad entry never stops the game from starting.
Names starting with a dot (editor backups, ``.git``) are not read.

A mod never replaces a built-in crisis silently: a mod scenario whose id is
already taken (by a built-in crisis or an earlier mod) is still listed, with a
warning at its ``id:``, and the id keeps naming the crisis that took it first.
Crises are found by their id (``id:``), whatever their file is called.
"""

from __future__ import annotations

import errno
import os
import pathlib
import stat
from collections.abc import Callable, Sequence

import attrs

from game.content import loader
from game.content.diagnostics import ContentError, Diagnostic, Severity
from game.content.yamlsafe import read_bytes, read_yaml
from game.paths import (  # noqa: F401 (re-exported)
    APP,
    MODS_ENV,
    PROJECT_DIR,
    mod_folders,
    portable_name,
    user_mods_dir,
)

SUFFIXES = (".yaml", ".yml")


@attrs.frozen
class Skipped:
    """An entry of a mods folder that is not read, and why (shown by the mod checker)."""

    path: pathlib.Path
    relative: str  # from the mods folder, as the checker names it
    why: str


@attrs.frozen
class Walk:
    """What a mods folder holds: its YAML files (links resolved), and what was skipped."""

    files: tuple[pathlib.Path, ...]
    skipped: tuple[Skipped, ...]


def walk(folder: pathlib.Path) -> Walk:
    """The YAML files under a mods folder in a stable order, never raising.

    Paths stay under ``folder`` as written (a link is not replaced by its target),
    so every file is named from the mods folder even when it lives elsewhere.
    """
    files: list[pathlib.Path] = []
    skipped: list[Skipped] = []
    seen: set[tuple[int, int]] = set()
    read: dict[tuple[int, int], str] = {}  # each file read, by device and inode
    stack: list[tuple[pathlib.Path, tuple[str, ...]]] = [(pathlib.Path(folder), ())]
    while stack:
        directory, parts = stack.pop()
        where = "/".join(parts) or "."
        try:
            info = directory.stat()
            key = (info.st_dev, info.st_ino)
            if key in seen:
                skipped.append(Skipped(directory, where, "a link back to a folder already read"))
                continue
            seen.add(key)
            with os.scandir(directory) as entries:
                listed = sorted(entries, key=lambda entry: entry.name)
        except OSError as error:
            skipped.append(Skipped(directory, where, f"cannot read it: {_reason(error)}"))
            continue
        folders = []
        for entry in listed:
            if entry.name.startswith("."):
                continue
            path, relative = pathlib.Path(entry.path), (*parts, entry.name)
            is_yaml = entry.name.endswith(SUFFIXES)
            try:
                info = os.stat(entry.path)  # through a link, to what it names
            except OSError as error:
                if is_yaml or entry.is_symlink():
                    why = _broken_link(error) if entry.is_symlink() else _reason(error)
                    skipped.append(Skipped(path, "/".join(relative), why))
                continue
            mode = info.st_mode
            if stat.S_ISDIR(mode):
                folders.append((path, relative))
            elif is_yaml and stat.S_ISREG(mode):
                file_key = (info.st_dev, info.st_ino)
                if file_key in read:  # reached again through a link: one file, one crisis
                    why = f"the same file as {read[file_key]}, reached through a link"
                    skipped.append(Skipped(path, "/".join(relative), why))
                    continue
                read[file_key] = "/".join(relative)
                files.append(path)
            elif is_yaml:
                why = f"{_kind(mode)}, not a file"
                if entry.is_symlink():
                    why = f"a link to {_kind(mode)}, not to a file"
                skipped.append(Skipped(path, "/".join(relative), why))
        stack.extend(reversed(folders))
    files.sort(key=lambda p: p.relative_to(folder).parts)
    return Walk(tuple(files), tuple(skipped))


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def _broken_link(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "a link that loops back on itself"
    if error.errno == errno.ENOENT:
        return "a link to something that does not exist"
    return f"a link that cannot be followed: {_reason(error)}"


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def relative_name(folder: pathlib.Path, path: pathlib.Path) -> str:
    """A file's name from its mods folder, as the game shows it (``harbour/harbour.yaml``)."""
    return path.relative_to(folder).as_posix()


def mod_name(folder: pathlib.Path, path: pathlib.Path) -> str:
    """The mod a file belongs to: its first subfolder under ``folder``, or the folder."""
    parts = path.relative_to(folder).parts
    return parts[0] if len(parts) > 1 else folder.resolve().name


def shown_name(path: pathlib.Path, folders: Sequence[pathlib.Path] = ()) -> str:
    """How the game names a crisis file in what it shows, saves and exports.

    Never an absolute path of this computer: a built-in crisis is named from the
    game's folder (``scenarios/tutorial.yaml``), a mod's from its mods folder,
    and any other file by its name alone.
    """
    path = pathlib.Path(path)
    for base in (*folders, PROJECT_DIR):
        for candidate, root in ((path, base), (path.absolute(), base.absolute())):
            if candidate.is_relative_to(root):
                return candidate.relative_to(root).as_posix()
    return portable_name(path.as_posix())


def load(path: pathlib.Path, folders: Sequence[pathlib.Path] = ()) -> loader.LoadResult:
    """Load a crisis for play, named as :func:`shown_name` says."""
    return loader.load_scenario(path, shown_name(path, folders))


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


Loader = Callable[[pathlib.Path, str], loader.LoadResult]


def catalogue(folders: Sequence[pathlib.Path] = (), load: Loader = loader.load_scenario):
    """Every crisis to offer: the built-in ones, then each mod's, with id-reuse warnings."""
    entries = [Listed(path, load(path, shown_name(path))) for path in loader.builtin_scenarios()]
    owners: dict[str, str] = {}
    for entry in entries:
        if entry.result.definition is not None:
            owners.setdefault(entry.result.definition.id, "a built-in crisis")
    for folder in folders:
        for path in scenario_files(folder):
            name = relative_name(folder, path)
            result = load(path, name)
            notes: tuple[Diagnostic, ...] = ()
            definition = result.definition
            if definition is not None:
                owner = owners.setdefault(definition.id, name)
                if owner != name:
                    notes = (_reused_id(path, name, definition.id, owner),)
            entries.append(Listed(path, result, mod_name(folder, path), notes))
    return entries


def scenario_files(folder: pathlib.Path) -> list[pathlib.Path]:
    return [p for p in walk(folder).files if not loader.is_library_file(p)]


def _reused_id(path: pathlib.Path, file: str, scenario_id: str, owner: str) -> Diagnostic:
    line, col = 1, 1
    try:
        _, marks = read_yaml(read_bytes(path, file), file)
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
    kind: str  # "scenario", "library", or "skipped" (not read, see its warning)
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
    scenarios = {entry.path: entry for entry in listed if entry.is_mod}
    report = []
    for folder in folders:
        found = walk(folder)
        for path in found.files:
            # Named from the mods folder, which the checker shows once at the top.
            short = relative_name(folder, path)
            entry = scenarios.get(path)
            if entry is not None:
                kind, diagnostics = "scenario", entry.diagnostics
            else:
                file = loader.display_name(path)
                validated = loader.validate_file(path)
                kind = validated.kind
                diagnostics = tuple(
                    attrs.evolve(d, file=short) if d.file == file else d
                    for d in validated.diagnostics
                )
            report.append(Checked(short, kind, mod_name(folder, path), diagnostics))
        for skip in found.skipped:
            note = Diagnostic(skip.relative, 1, 1, f"not read: {skip.why}", "", Severity.WARNING)
            mod = skip.relative.split("/")[0] if "/" in skip.relative else folder.resolve().name
            report.append(Checked(skip.relative, "skipped", mod, (note,)))
    return report


def find(name: str, folders: Sequence[pathlib.Path] = ()) -> pathlib.Path | None:
    """A crisis by id or by file: built-in first, then the mods in order.

    An id is the crisis's ``id:``, whatever its file is called. A file name is
    looked for where it is given, then in each mods folder, so the file that
    ``envoy new-scenario`` wrote into the mods folder is found by its name too.
    """
    if name.endswith(SUFFIXES):
        if _is_file(pathlib.Path(name)):
            return pathlib.Path(name)
        for folder in folders:
            if _is_file(folder / name, folder):
                return folder / name
        return None
    for scenario_id, path in ids(folders):
        if scenario_id == name:
            return path
    return None


def _is_file(path: pathlib.Path, inside: pathlib.Path | None = None) -> bool:
    """Whether ``path`` is a regular file (under ``inside``, if given). A name that no
    file can have (a NUL, a part too long) is simply not one."""
    try:
        if inside is not None and not path.resolve().is_relative_to(inside.resolve()):
            return False
        return path.is_file()
    except (OSError, ValueError):
        return False


def ids(folders: Sequence[pathlib.Path] = ()) -> list[tuple[str, pathlib.Path]]:
    """(id, file) of every crisis, built-in first, then each mod's, as the catalogue orders them.

    Only the ``id:`` is read, not the whole crisis. A file whose id cannot be read
    is left out (the mod checker says why).
    """
    found = [(path.stem, path) for path in loader.builtin_scenarios()]
    for folder in folders:
        for path in scenario_files(folder):
            scenario_id = _read_id(path)
            if scenario_id is not None:
                found.append((scenario_id, path))
    return found


def _read_id(path: pathlib.Path) -> str | None:
    try:
        tree, _ = read_yaml(read_bytes(path), path.name)
    except ContentError:
        return None
    value = tree.get("id") if isinstance(tree, dict) else None
    return value if isinstance(value, str) else None
