"""Save files: versioned JSON, written atomically, checked by replaying on load.

A save holds everything needed to rebuild a match on any machine: the
scenario's own text (and its libraries'), its content hash, the seed, the
seats and the action log, plus a snapshot of the final state. Loading compiles
the embedded scenario, replays the log through the engine and compares the
result with the snapshot, so a save that was edited, damaged or made by
different rules is refused instead of continuing a wrong game.

Old formats are upgraded one version at a time by the functions in
:data:`UPGRADES`; a save from a newer game is refused with a message that says
so. Every problem is a :class:`SaveError` with a sentence a player can act on.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime
import json
import pathlib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import game
from game.files import TooLarge, describe, read_regular, write_atomic
from game.paths import portable_name
from game.session import savecheck

if TYPE_CHECKING:  # the title screen lists saves without loading the rules
    from game.session.match import Match

MAGIC = "envoy-save"
VERSION = 2
SUFFIX = ".envoy.json"
AUTOSAVE_PREFIX = "autosave-"
AUTOSAVES_KEPT = 5
MAX_BYTES = 16 * 1024 * 1024
VERSION_TEXT = re.compile(r"[0-9A-Za-z.+-]{1,40}")  # a game version a message may show


def _upgrade_1(document: dict[str, Any]) -> dict[str, Any]:
    """Version 2 adds the class-play block: timer, PIN, facilitator notes, reflections."""
    return {**document, "classroom": {}}


# version N -> a function turning a version-N document into version N+1.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _upgrade_1}


class SaveError(ValueError):
    """A save that cannot be written or read, with a message for the player.

    ``reason`` is why the disk refused a write ("the disk is read-only"), for a
    warning that names the folder rather than one file; "" for anything else.
    """

    def __init__(self, message: str, reason: str = ""):
        super().__init__(message)
        self.reason = reason


# ------------------------------------------------------------------ writing


def to_document(match: Match, name: str = "", lang: str = "en") -> dict[str, Any]:
    """The JSON-ready form of a match (its crisis's title in ``lang``, for the list of saves)."""
    import attrs

    from game.engine.state import state_hash, to_dict

    source = match.source
    return {
        "format": MAGIC,
        "version": VERSION,
        "game_version": game.__version__,
        "name": name,
        "saved_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "scenario": {
            "id": match.scenario.id,
            "title": match.scenario.title.get(lang),
            "hash": match.scenario.content_hash,
            "file": source.file,
            "source": _text(source.scenario),
            "libraries": [
                {"name": lib, "file": file, "source": _text(data)}
                for lib, file, data in source.libraries
            ],
        },
        "seed": match.seed,
        "seats": [attrs.asdict(seat) for seat in match.seats],
        "actions": [str(action) for action in match.actions],
        "classroom": {
            **attrs.asdict(match.classroom),
            "facilitator": [attrs.asdict(note) for note in match.facilitator],
            "reflections": [attrs.asdict(item) for item in match.reflections],
        },
        "snapshot": {
            "turn": match.state.turn,
            "outcome": match.state.outcome,
            "hash": state_hash(match.state),
            "state": to_dict(match.state),
        },
    }


def _text(data: bytes) -> dict[str, str]:
    try:
        return {"utf8": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(data).decode("ascii")}


def save_match(match: Match, path: pathlib.Path, name: str = "", lang: str = "en") -> pathlib.Path:
    """Write a match to ``path`` atomically, its crisis titled in ``lang``. Raises
    :class:`SaveError` if the disk refuses."""
    try:
        data = json.dumps(to_document(match, name, lang), ensure_ascii=False, indent=1).encode()
    except UnicodeEncodeError:  # a lone surrogate: no reader could take it back
        raise SaveError(
            f"could not save {path.name}: the game holds text that is not Unicode"
        ) from None
    try:
        write_atomic(path, data)
    except OSError as error:
        reason = describe(error)
        raise SaveError(f"could not write {path.name}: {reason}", reason) from None
    return path


# ------------------------------------------------------------------ reading


def read_document(path: pathlib.Path) -> dict[str, Any]:
    """The parsed, upgraded and checked document of a save file, or a :class:`SaveError`."""
    name = savecheck.printable(path.name)
    try:
        data = read_regular(path, MAX_BYTES)
    except TooLarge:
        raise SaveError(f"{name} is too large to be an Envoy save") from None
    except OSError as error:
        raise SaveError(f"{name} cannot be read: {describe(error)}") from None
    return parse_document(data, name)


def parse_document(data: bytes, name: str) -> dict[str, Any]:
    """The checked document of a save's bytes (see :mod:`game.session.savecheck`)."""
    try:
        document = savecheck.decode_json(data)
    except savecheck.Unreadable as error:
        if data.lstrip()[:1] == b"{" and b'"envoy-save"' in data[:200]:
            raise SaveError(f"{name} is damaged ({error})") from None
        raise SaveError(f"{name} is not an Envoy save") from None
    if not isinstance(document, dict) or document.get("format") != MAGIC:
        raise SaveError(f"{name} is not an Envoy save")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SaveError(f"{name} is damaged: it has no valid format version")
    if version > VERSION:
        made_by = document.get("game_version")
        if not isinstance(made_by, str) or not VERSION_TEXT.fullmatch(made_by):
            made_by = "a newer version"
        raise SaveError(
            f"{name} was made by Envoy {made_by} (save format {version}); "
            f"this Envoy reads format {VERSION} and older, so update the game to open it"
        )
    try:
        while version < VERSION:
            document = UPGRADES[version](document)
            version = document["version"] = version + 1
        savecheck.check(document)
    except savecheck.Damaged as error:
        raise SaveError(f"{name} is damaged: {error}") from None
    return document


def _bytes(text: dict[str, str], name: str) -> bytes:
    if "utf8" in text:
        return text["utf8"].encode("utf-8")
    try:
        return base64.b64decode(text["base64"], validate=True)
    except ValueError:
        raise SaveError(f"{name} is damaged: its copy of the scenario is unreadable") from None


def match_from_document(document: dict[str, Any], name: str) -> Match:
    """Rebuild a match from a checked document (see :func:`parse_document`): compile
    the embedded scenario, replay the log, check the snapshot."""
    from game.content.loader import load_scenario_bytes
    from game.engine.actions import Action, ActionSyntaxError, IllegalAction
    from game.engine.state import state_hash
    from game.session.match import Match, Seat, Source

    scenario_doc = document["scenario"]
    file = portable_name(scenario_doc["file"])
    source = Source(
        file,
        _bytes(scenario_doc["source"], name),
        tuple(
            (lib["name"], portable_name(lib["file"]), _bytes(lib["source"], name))
            for lib in scenario_doc["libraries"]
        ),
    )
    embedded = {lib: (lib_file, data) for lib, lib_file, data in source.libraries}
    result = load_scenario_bytes(source.scenario, file, None, embedded)
    if result.scenario is None:
        first = result.errors[0] if result.errors else None
        detail = f" ({first.message})" if first else ""
        raise SaveError(f"{name}: its copy of the scenario does not load{detail}")
    scenario = result.scenario
    if scenario.content_hash != scenario_doc["hash"]:
        raise SaveError(f"{name} is damaged: its scenario does not match its recorded hash")
    seats = [Seat(**seat) for seat in document["seats"]]
    try:
        match = Match.start(scenario, source, document["seed"], seats)
    except (ValueError, KeyError) as error:
        raise SaveError(f"{name} is damaged: its seats do not fit the scenario ({error})") from None
    for number, text in enumerate(document["actions"], 1):
        try:
            match.apply(Action.parse(text))
        except (ActionSyntaxError, IllegalAction) as error:
            shown = savecheck.shown(text, 60)
            raise SaveError(
                f"{name} is damaged: action {number} ({shown}) does not replay: {error}"
            ) from None
    snapshot, state = document["snapshot"], match.state
    if (snapshot["hash"], snapshot["turn"], snapshot["outcome"]) != (
        state_hash(state),
        state.turn,
        state.outcome,
    ):
        raise SaveError(f"{name} is damaged: replaying its moves does not give the saved game")
    _classroom(match, document["classroom"])
    return match


def _classroom(match: Match, block: dict[str, Any]) -> None:
    from game.session.match import Classroom, FacilitatorNote, Reflection

    match.classroom = Classroom(
        block.get("timer_seconds", 0),
        block.get("auto_pass", False),
        block.get("pin_hash", ""),
        block.get("reflect", False),
    )
    match.facilitator = [FacilitatorNote(**note) for note in block.get("facilitator", [])]
    match.reflections = [Reflection(**item) for item in block.get("reflections", [])]


def load_match(path: pathlib.Path) -> Match:
    """Read a save and rebuild its match, or raise :class:`SaveError`."""
    return match_from_document(read_document(path), savecheck.printable(path.name))


# ------------------------------------------------------------------ the save folder


@dataclasses.dataclass(frozen=True)
class SaveInfo:
    """What the load screen lists about a save, read without replaying it."""

    path: pathlib.Path
    name: str
    scenario: str
    turn: int
    outcome: str
    saved_at: str
    autosave: bool
    error: str = ""  # why it cannot be loaded, if it cannot
    game: tuple = ()  # the crisis, seed and seats it plays: the same for each of its saves
    actions: tuple[str, ...] = ()

    @property
    def over(self) -> bool:
        return bool(self.outcome)

    def earlier_in(self, other: SaveInfo) -> bool:
        """True if this save is a moment of the game ``other`` went on to (or is)."""
        return (
            bool(self.game)
            and self.game == other.game
            and self.actions == other.actions[: len(self.actions)]
        )


def _slug(name: str) -> str:
    slug = re.sub(r"[^\w-]+", "-", name.strip().lower(), flags=re.UNICODE).strip("-")
    return slug[:48] or "save"


class SaveFolder:
    """The folder of saves: named slots and the rotating autosaves."""

    def __init__(self, folder: pathlib.Path, lang: str = "en"):
        self.folder = pathlib.Path(folder)
        self.lang = lang  # the language a save's list shows its crisis's title in
        # Why the last write failed, for a warning that saves are off ("" once one works).
        self.problem = ""

    def path_for(self, name: str) -> pathlib.Path:
        return self.folder / f"{_slug(name)}{SUFFIX}"

    def save(self, match: Match, name: str) -> pathlib.Path:
        """Save into a named slot (the same name overwrites its slot)."""
        return self._write(match, self.path_for(name), name.strip() or "save")

    def autosave(self, match: Match) -> pathlib.Path:
        """Save as the newest autosave and delete all but the newest few."""
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S-%f")
        path = self.folder / f"{AUTOSAVE_PREFIX}{stamp}{SUFFIX}"
        self._write(match, path, f"Autosave, turn {match.state.turn}")
        for old in self.autosaves()[AUTOSAVES_KEPT:]:
            with contextlib.suppress(OSError):
                old.unlink()
        return path

    def try_autosave(self, match: Match) -> bool:
        """Autosave if the disk lets us; False (and :attr:`problem` says why) if not.

        A game goes on when its saves cannot be written, so this never raises: it
        is what runs at each turn start, inside the move that began the turn.
        """
        try:
            self.autosave(match)
        except SaveError:
            return False
        return True

    def _write(self, match: Match, path: pathlib.Path, name: str) -> pathlib.Path:
        try:
            save_match(match, path, name, self.lang)
        except SaveError as error:
            # the reason first: where the line is cut short, the folder's name gives way
            where = f"{error.reason} (cannot write in the folder “{self.folder.name or '.'}”)"
            self.problem = f"Saves are off: {where if error.reason else error}"
            raise
        self.problem = ""
        return path

    def autosaves(self) -> list[pathlib.Path]:
        """Autosave files, newest first (their names sort by time)."""
        found = self.folder.glob(f"{AUTOSAVE_PREFIX}*{SUFFIX}")
        return sorted(found, key=lambda p: p.name, reverse=True)

    def to_continue(self) -> SaveInfo | None:
        """The autosave Continue goes on from: the newest that reads as a save, of a game
        that is not over.

        A damaged one is skipped, going on from the turn before (several are kept for
        that). A finished game is never offered, nor any earlier autosave of it, which
        would let its last turns be played again; it stays on the load screen.
        """
        finished: list[SaveInfo] = []
        for path in self.autosaves():
            info = self.info(path)
            if info.error:
                continue
            if info.over:
                finished.append(info)
            elif not any(info.earlier_in(end) for end in finished):
                return info
        return None

    def listing(self) -> list[SaveInfo]:
        """Every save in the folder, newest first, damaged ones included with their problem."""
        if not self.folder.is_dir():
            return []
        infos = [self.info(path) for path in self.folder.glob(f"*{SUFFIX}")]
        return sorted(infos, key=lambda i: (i.saved_at, i.path.name), reverse=True)

    def info(self, path: pathlib.Path) -> SaveInfo:
        autosave = path.name.startswith(AUTOSAVE_PREFIX)
        stem = savecheck.printable(path.name[: -len(SUFFIX)])
        try:
            document = read_document(path)
        except SaveError as error:
            return SaveInfo(path, stem, "?", 0, "", "", autosave, str(error))
        snapshot = document["snapshot"]
        return SaveInfo(
            path,
            document["name"] or stem,
            savecheck.printable(document["scenario"]["title"]),
            snapshot["turn"],
            snapshot["outcome"],
            document["saved_at"],
            autosave,
            game=(
                document["scenario"]["hash"],
                document["seed"],
                json.dumps(document["seats"], sort_keys=True),
            ),
            actions=tuple(document["actions"]),
        )
