"""The save format, read strictly: every field's type, range and size, before any use.

A save file is data from anywhere (a USB stick, an e-mail, a pupil's edit), so
nothing reads one until :func:`decode_json` and :func:`check` have passed it:

- the JSON itself: UTF-8, no duplicate keys, no NaN or Infinity, no number
  too long for a 64-bit value, no text that is not Unicode (a lone surrogate),
  nesting no deeper than a save ever needs;
- each field of the current format version: its type, its bounds and, for the
  few words the format knows (a seat's kind and difficulty, an outcome, a
  facilitator note's kind), one of those words.

The bounds are the format's, not the game's settings: they are far above what
any game writes, so a save stays readable when a designer changes a limit in
YAML, yet no absurd value reaches the rules or the screen. Checks that need the
scenario (that a seat's envoy exists, that the log replays) are made after it
is compiled, in :func:`game.session.saves.match_from_document`.
"""

from __future__ import annotations

import datetime
import functools
import json
import math
import re
from collections.abc import Callable, Iterable
from typing import Any

from game.tunables import difficulty_file

# The longest number a save holds is the random generator's 64-bit state.
MAX_INT_DIGITS = 20
MAX_SEED = 2**63 - 1  # what `envoy demo --seed` accepts, and above every crisis code's seed
MAX_TURN = 10_000  # far past any crisis, however often a facilitator extends it
MAX_DEPTH = 24  # the snapshot nests about six deep
MAX_SEATS = 64
MAX_LIBRARIES = 64
# A long class game logs a few thousand actions; loading replays each (about 0.1 ms),
# so this also bounds how long a hostile save can keep the Load screen busy.
MAX_ACTIONS = 20_000
MAX_NOTES = 100_000  # facilitator notes, and reflections, each
MAX_TIMER_SECONDS = 24 * 3600
NAME_MAX_CHARS = 200  # a save's, a team's, a crisis's title
TEXT_MAX_CHARS = 10_000  # a note, a reflection, a prompt
LINE_MAX_CHARS = 1_000  # an action's text form, a file name, a version

HUMAN, AI = "human", "ai"
OUTCOMES = ("", "peace", "stalemate", "conflict")
NOTE_KINDS = ("inject", "adjust", "extend", "undo", "pause", "resume")
# The scenario format's ids (game.content.schema.ID_PATTERN; a test keeps them equal).
ID = re.compile(r"[a-z][a-z0-9_]{0,39}")
DIGEST = re.compile(r"[0-9a-f]{64}")
FORMS = {ID: "an id (a-z, 0-9 and _, at most 40)", DIGEST: "a SHA-256 digest"}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class Unreadable(ValueError):
    """Bytes that are not a JSON document this reader takes."""


class Damaged(ValueError):
    """A field of a save that is missing, of the wrong type or out of its bounds."""


@functools.cache
def difficulties() -> tuple[str, ...]:
    """The AI difficulties (from the AI's own YAML, without loading the AI)."""
    return tuple(difficulty_file()["difficulties"])


def shown(value: Any, limit: int = 40) -> str:
    """A value from a save as a message may show it: quoted, escaped and cut short."""
    if isinstance(value, str):
        text = value if len(value) <= limit else value[:limit] + "…"
        return repr(text)
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        text = repr(value)
        return text if len(text) <= limit else text[:limit] + "…"
    return "a list" if isinstance(value, list) else "a mapping"


def printable(text: str, limit: int = 80) -> str:
    """A file's name or a save's title as a screen or a terminal may show it: one
    line, no control characters (which a terminal would obey), at most ``limit``."""
    text = re.sub(r"[\t\n\r\u2028\u2029]", " ", text)
    text = CONTROL_OR_BREAK.sub("?", text).encode("utf-8", "replace").decode("utf-8")
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------------------ the JSON


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise Unreadable(f"it holds a number of {len(text):,} digits")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise Unreadable(f"it holds the number {shown(text)}, which is out of range")
    return value


def _constant(text: str) -> float:
    raise Unreadable(f"it holds {text}, which is not a number")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document = dict(pairs)
    if len(document) != len(pairs):
        seen: set[str] = set()
        twice = next(key for key, _ in pairs if key in seen or seen.add(key))
        raise Unreadable(f"the key {shown(twice)} appears twice in one place")
    return document


def decode_json(data: bytes) -> Any:
    """The JSON value of a save's bytes, or :class:`Unreadable` saying what is wrong."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unreadable("it is not UTF-8 text") from None
    try:
        document = json.loads(
            text,
            parse_int=_int,
            parse_float=_float,
            parse_constant=_constant,
            object_pairs_hook=_object,
        )
    except json.JSONDecodeError:
        raise Unreadable("cut short or corrupted") from None
    except RecursionError:
        raise Unreadable("it is nested too deeply") from None
    _check_values(document)
    return document


def _check_values(document: Any) -> None:
    """Depth and text everywhere, the parts no field check looks into included."""
    stack = [(document, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise Unreadable("it is nested too deeply")
        if isinstance(value, str):
            _unicode(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                _unicode(key)
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


def _unicode(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise Unreadable("it holds text that is not Unicode (a lone surrogate)") from None


# ------------------------------------------------------------------ the fields


def _fail(where: str, value: Any, expected: str) -> Damaged:
    return Damaged(f"{where} is {shown(value)}, not {expected}")


def mapping(value: Any, where: str, required: Iterable[str], optional: Iterable[str] = ()) -> dict:
    """A JSON object with these keys (the optional ones may be missing) and no others."""
    if not isinstance(value, dict):
        raise _fail(where, value, "a mapping")
    required = tuple(required)
    for key in required:
        if key not in value:
            raise Damaged(f"{where}.{key} is missing" if where else f"{key} is missing")
    known = {*required, *optional}
    for key in value:
        if key not in known:
            raise Damaged(f"{where or 'the save'} has an unknown field {shown(key)}")
    return value


def integer(value: Any, where: str, low: int, high: int) -> int:
    if type(value) is not int or not low <= value <= high:
        raise _fail(where, value, f"a whole number from {low:,} to {high:,}")
    return value


def boolean(value: Any, where: str) -> bool:
    if type(value) is not bool:
        raise _fail(where, value, "true or false")
    return value


def text(
    value: Any,
    where: str,
    max_chars: int,
    pattern: re.Pattern | None = None,
    lines: bool = False,
) -> str:
    """Text of at most ``max_chars``; one line of it unless ``lines``. Control
    characters (a NUL, an escape) are refused: the screen cannot draw them and a
    terminal would obey them."""
    if not isinstance(value, str):
        raise _fail(where, value, "text")
    if len(value) > max_chars:
        raise Damaged(f"{where} is {len(value):,} characters long (at most {max_chars:,})")
    control = (CONTROL if lines else CONTROL_OR_BREAK).search(value)
    if control is not None:
        raise Damaged(f"{where} holds the control character {shown(control.group())}")
    if pattern is not None and not pattern.fullmatch(value):
        raise _fail(where, value, FORMS.get(pattern, "in its form"))
    return value


def word(value: Any, where: str, words: Iterable[str]) -> str:
    words = tuple(words)
    if not isinstance(value, str) or value not in words:
        raise _fail(where, value, "one of " + ", ".join(repr(w) for w in words if w))
    return value


def moment(value: Any, where: str, empty_ok: bool = False) -> str:
    """A UTC time as the game writes it (ISO 8601)."""
    text(value, where, 64)
    if value == "" and empty_ok:
        return value
    try:
        datetime.datetime.fromisoformat(value)
    except ValueError:
        raise _fail(where, value, "a date and time") from None
    return value


def listed(value: Any, where: str, max_items: int, check: Callable[[Any, str], Any]) -> list:
    if not isinstance(value, list):
        raise _fail(where, value, "a list")
    if len(value) > max_items:
        raise Damaged(f"{where} has {len(value):,} entries (at most {max_items:,})")
    for index, item in enumerate(value):
        check(item, f"{where}[{index}]")
    return value


# ------------------------------------------------------------------ the format


def check(document: dict[str, Any]) -> None:
    """Raise :class:`Damaged` unless a current-version save document is well formed."""
    mapping(
        document,
        "",
        (
            "format",
            "version",
            "game_version",
            "name",
            "saved_at",
            "scenario",
            "seed",
            "seats",
            "actions",
            "classroom",
            "snapshot",
        ),
    )
    text(document["game_version"], "game_version", LINE_MAX_CHARS)
    text(document["name"], "name", NAME_MAX_CHARS)
    moment(document["saved_at"], "saved_at")
    _scenario(document["scenario"])
    integer(document["seed"], "seed", 0, MAX_SEED)
    seats = listed(document["seats"], "seats", MAX_SEATS, _seat)
    envoys = [seat["envoy"] for seat in seats]
    if not seats:
        raise Damaged("seats is empty")
    for index, envoy in enumerate(envoys):
        if envoy in envoys[:index]:
            raise Damaged(f"seats[{index}] seats {shown(envoy)} a second time")
    listed(document["actions"], "actions", MAX_ACTIONS, lambda v, w: text(v, w, LINE_MAX_CHARS))
    _classroom(document["classroom"])
    snapshot = mapping(document["snapshot"], "snapshot", ("turn", "outcome", "hash", "state"))
    integer(snapshot["turn"], "snapshot.turn", 0, MAX_TURN)
    word(snapshot["outcome"], "snapshot.outcome", OUTCOMES)
    text(snapshot["hash"], "snapshot.hash", 64, DIGEST)
    if not isinstance(snapshot["state"], dict):
        raise _fail("snapshot.state", snapshot["state"], "a mapping")


def _source(value: Any, where: str) -> None:
    if isinstance(value, dict) and len(value) == 1 and ("utf8" in value or "base64" in value):
        key = next(iter(value))
        if isinstance(value[key], str):
            return
    raise _fail(where, value, "a scenario's text")


def _scenario(value: Any) -> None:
    where = "scenario"
    mapping(value, where, ("id", "title", "hash", "file", "source", "libraries"))
    text(value["id"], f"{where}.id", 40, ID)
    text(value["title"], f"{where}.title", NAME_MAX_CHARS, lines=True)
    text(value["hash"], f"{where}.hash", 64, DIGEST)
    text(value["file"], f"{where}.file", LINE_MAX_CHARS)
    _source(value["source"], f"{where}.source")
    listed(value["libraries"], f"{where}.libraries", MAX_LIBRARIES, _library)


def _library(value: Any, where: str) -> None:
    mapping(value, where, ("name", "file", "source"))
    text(value["name"], f"{where}.name", 40, ID)
    text(value["file"], f"{where}.file", LINE_MAX_CHARS)
    _source(value["source"], f"{where}.source")


def _seat(value: Any, where: str) -> None:
    mapping(value, where, ("envoy",), ("kind", "difficulty", "name"))
    text(value["envoy"], f"{where}.envoy", 40, ID)
    word(value.get("kind", AI), f"{where}.kind", (AI, HUMAN))
    word(value.get("difficulty", "normal"), f"{where}.difficulty", difficulties())
    text(value.get("name", ""), f"{where}.name", NAME_MAX_CHARS)


def _classroom(value: Any) -> None:
    where = "classroom"
    optional = ("timer_seconds", "auto_pass", "pin_hash", "reflect", "facilitator", "reflections")
    mapping(value, where, (), optional)
    integer(value.get("timer_seconds", 0), f"{where}.timer_seconds", 0, MAX_TIMER_SECONDS)
    boolean(value.get("auto_pass", False), f"{where}.auto_pass")
    boolean(value.get("reflect", False), f"{where}.reflect")
    pin = text(value.get("pin_hash", ""), f"{where}.pin_hash", 64)
    if pin:
        text(pin, f"{where}.pin_hash", 64, DIGEST)

    def note(item: Any, at: str) -> None:
        mapping(
            item,
            at,
            ("turn", "kind", "text"),
            ("reason", "at", "action", "position", "undone"),
        )
        integer(item["turn"], f"{at}.turn", 0, MAX_TURN)
        word(item["kind"], f"{at}.kind", NOTE_KINDS)
        text(item["text"], f"{at}.text", TEXT_MAX_CHARS, lines=True)
        text(item.get("reason", ""), f"{at}.reason", TEXT_MAX_CHARS, lines=True)
        moment(item.get("at", ""), f"{at}.at", empty_ok=True)
        text(item.get("action", ""), f"{at}.action", LINE_MAX_CHARS)
        # a note of undone play keeps its place in the longer log it was made in
        integer(item.get("position", -1), f"{at}.position", -1, MAX_ACTIONS)
        boolean(item.get("undone", False), f"{at}.undone")

    def reflection(item: Any, at: str) -> None:
        mapping(item, at, ("turn", "envoy", "team", "prompt", "answer"), ("undone",))
        integer(item["turn"], f"{at}.turn", 0, MAX_TURN)
        text(item["envoy"], f"{at}.envoy", 40, ID)
        text(item["team"], f"{at}.team", NAME_MAX_CHARS)
        text(item["prompt"], f"{at}.prompt", TEXT_MAX_CHARS, lines=True)
        text(item["answer"], f"{at}.answer", TEXT_MAX_CHARS, lines=True)
        boolean(item.get("undone", False), f"{at}.undone")

    listed(value.get("facilitator", []), f"{where}.facilitator", MAX_NOTES, note)
    listed(value.get("reflections", []), f"{where}.reflections", MAX_NOTES, reflection)
