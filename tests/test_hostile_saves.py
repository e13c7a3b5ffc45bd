"""Hostile save files: every reader refuses them as damaged, in one line, and never hangs.

The readers are the Load screen's listing (SaveFolder.info), load_match (play
--load, Continue, the Load screen's Load) and `envoy report`. Each case below
is a valid save with one thing wrong, as an edit, a bad disk or a prank makes.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import pathlib
import re
import signal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game import cli
from game.ai.agents import RandomAgent
from game.ai.policies import DIFFICULTIES
from game.content.loader import SCENARIO_DIR, load_scenario
from game.content.schema import ID_PATTERN
from game.engine.state import state_hash
from game.session import savecheck
from game.session.match import AI, HUMAN, Classroom, Match, Seat, Source
from game.session.report import meters_csv, report_html
from game.session.saves import (
    MAX_BYTES,
    SaveError,
    SaveFolder,
    load_match,
    parse_document,
    save_match,
    to_document,
)

RESULT = load_scenario(SCENARIO_DIR / "border_incident.yaml")
SEATS = (Seat("un_envoy", HUMAN, name="Blue Team"), Seat("norland_fm"), Seat("vellmark_fm"))


def played_match() -> Match:
    """A class game part-way through: seats, a timer, a PIN, reflections and a note."""
    match = Match.start(RESULT.unwrap(), Source.of(RESULT), 11, SEATS)
    match.classroom = Classroom(120, True, Classroom.hash_pin("4321"), True)
    agent = RandomAgent(3)
    for _ in range(25):
        envoy = match.acting_id
        if envoy is None:
            break
        match.apply(agent.choose(match.view(envoy), envoy, match.legal(envoy)))
        if match.acting_id == "un_envoy" and not match.reflections:
            match.reflect("un_envoy", "We talked first.")
    match.note("pause", "Paused for a question.")
    return match


MATCH = played_match()
DOCUMENT = json.loads(json.dumps(to_document(MATCH, "Before the vote")))


@contextlib.contextmanager
def no_hang(seconds: int = 20):
    """Fail, instead of waiting for ever, if the code under test blocks (on a FIFO)."""

    def give_up(signum, frame):
        raise AssertionError(f"blocked for {seconds} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def edited(**changes) -> dict:
    """The valid document with fields replaced; a key is a dotted path ("seats.1.kind")."""
    document = copy.deepcopy(DOCUMENT)
    for dotted, value in changes.items():
        *parents, last = dotted.split(".")
        node = document
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = value
        elif value is DELETE:
            del node[last]
        else:
            node[last] = value
    return document


DELETE = object()
GOOD = json.dumps(DOCUMENT, ensure_ascii=False).encode()


def raw(old: str, new: str) -> bytes:
    """The valid save's bytes with one piece of JSON text replaced (for what json.dumps
    cannot write: 1e999, NaN, duplicate keys, lone surrogates)."""
    assert old.encode() in GOOD, old
    return GOOD.replace(old.encode(), new.encode(), 1)


def as_bytes(document) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()


TURN = f'"turn": {DOCUMENT["snapshot"]["turn"]}, "outcome"'
SEED = f'"seed": {DOCUMENT["seed"]}'
TIMER = '"timer_seconds": 120'
NAME = '"name": "Before the vote"'

# (case id, the file's bytes, what the one-line message says)
HOSTILE = [
    ("turn-1e999", raw(TURN, TURN.replace(str(DOCUMENT["snapshot"]["turn"]), "1e999")), "range"),
    ("seed-5000-digits", raw(SEED, '"seed": ' + "9" * 5000), "5,000 digits"),
    ("seat-impossible", as_bytes(edited(**{"seats.1.difficulty": "impossible"})), "difficulty"),
    ("timer-nan", raw(TIMER, '"timer_seconds": NaN'), "NaN"),
    ("timer-infinity", raw(TIMER, '"timer_seconds": -Infinity'), "Infinity"),
    ("timer-negative", as_bytes(edited(**{"classroom.timer_seconds": -5})), "timer_seconds"),
    ("timer-absurd", as_bytes(edited(**{"classroom.timer_seconds": 10**12})), "timer_seconds"),
    ("timer-fraction", as_bytes(edited(**{"classroom.timer_seconds": 1.5})), "timer_seconds"),
    ("timer-text", as_bytes(edited(**{"classroom.timer_seconds": "60"})), "timer_seconds"),
    ("timer-bool", as_bytes(edited(**{"classroom.timer_seconds": True})), "timer_seconds"),
    ("turn-negative", as_bytes(edited(**{"snapshot.turn": -1})), "snapshot.turn"),
    ("turn-absurd", as_bytes(edited(**{"snapshot.turn": 10**15})), "snapshot.turn"),
    ("turn-other", as_bytes(edited(**{"snapshot.turn": 1})), "does not give the saved game"),
    ("outcome-unknown", as_bytes(edited(**{"snapshot.outcome": "victory"})), "outcome"),
    ("seed-negative", as_bytes(edited(seed=-1)), "seed"),
    ("seed-too-big", as_bytes(edited(seed=2**63)), "seed"),
    ("seed-text", as_bytes(edited(seed="11")), "seed"),
    ("seat-kind", as_bytes(edited(**{"seats.0.kind": "robot"})), "kind"),
    ("seat-name-long", as_bytes(edited(**{"seats.0.name": "B" * 5000})), "5,000 characters"),
    ("seat-name-nul", as_bytes(edited(**{"seats.0.name": "Blue\0Team"})), "control character"),
    ("seat-envoy-twice", as_bytes(edited(**{"seats.1.envoy": "un_envoy"})), "second time"),
    ("seat-envoy-path", as_bytes(edited(**{"seats.1.envoy": "../../etc"})), "envoy"),
    ("seat-extra-field", as_bytes(edited(**{"seats.1.cheat": True})), "unknown field"),
    ("seats-empty", as_bytes(edited(seats=[])), "seats is empty"),
    ("seats-not-list", as_bytes(edited(seats={"un_envoy": "human"})), "seats"),
    ("name-escape", as_bytes(edited(name="\x1b[2J\x1b[31mhacked")), "control character"),
    ("name-newline", as_bytes(edited(name="two\nlines")), "control character"),
    ("name-long", as_bytes(edited(name="n" * 100_000)), "characters long"),
    ("name-surrogate", raw(NAME, '"name": "\\ud800"'), "not Unicode"),
    ("team-surrogate", raw('"name": "Blue Team"', '"name": "Blue \\udfff"'), "not Unicode"),
    ("duplicate-key", raw(SEED, f'"seed": 1, {SEED}'), "appears twice"),
    ("pin-short", as_bytes(edited(**{"classroom.pin_hash": "1234"})), "pin_hash"),
    ("pin-number", as_bytes(edited(**{"classroom.pin_hash": 1234})), "pin_hash"),
    (
        "reflection-long",
        as_bytes(edited(**{"classroom.reflections.0.answer": "a" * 20_000})),
        "long",
    ),
    ("reflection-turn", as_bytes(edited(**{"classroom.reflections.0.turn": -3})), "turn"),
    ("reflection-extra", as_bytes(edited(**{"classroom.reflections.0.x": 1})), "unknown field"),
    ("note-kind", as_bytes(edited(**{"classroom.facilitator.0.kind": "hack"})), "kind"),
    ("note-position", as_bytes(edited(**{"classroom.facilitator.0.position": 1.5})), "position"),
    ("note-time", as_bytes(edited(**{"classroom.facilitator.0.at": "noon"})), "date and time"),
    ("notes-not-list", as_bytes(edited(**{"classroom.facilitator": "none"})), "facilitator"),
    ("classroom-extra", as_bytes(edited(**{"classroom.admin": True})), "unknown field"),
    ("auto-pass-number", as_bytes(edited(**{"classroom.auto_pass": 1})), "auto_pass"),
    ("saved-at", as_bytes(edited(saved_at="yesterday")), "saved_at"),
    ("top-extra", as_bytes(edited(evil=1)), "unknown field"),
    ("no-snapshot", as_bytes(edited(snapshot=DELETE)), "snapshot is missing"),
    ("state-not-dict", as_bytes(edited(**{"snapshot.state": [1, 2]})), "snapshot.state"),
    ("hash-not-hex", as_bytes(edited(**{"snapshot.hash": "x" * 64})), "snapshot.hash"),
    ("scenario-id", as_bytes(edited(**{"scenario.id": "Border Incident!"})), "scenario.id"),
    ("scenario-title-nul", as_bytes(edited(**{"scenario.title": "A\0B"})), "control character"),
    (
        "scenario-source-both",
        as_bytes(edited(**{"scenario.source": {"utf8": "", "base64": ""}})),
        "scenario.source",
    ),
    (
        "scenario-base64-bad",
        as_bytes(edited(**{"scenario.source": {"base64": "!!"}})),
        "unreadable",
    ),
    ("libraries-not-list", as_bytes(edited(**{"scenario.libraries": {}})), "libraries"),
    (
        "library-name",
        as_bytes(edited(**{"scenario.libraries.0.name": "../x"})),
        "libraries[0].name",
    ),
    ("action-not-text", as_bytes(edited(**{"actions.0": 7})), "actions[0]"),
    ("action-long", as_bytes(edited(**{"actions.0": "play " + "x" * 5000})), "actions[0]"),
    ("actions-too-many", as_bytes(edited(actions=["end un_envoy"] * 20_001)), "at most 20,000"),
    (
        "seats-too-many",
        as_bytes(edited(seats=[{"envoy": f"e{i}"} for i in range(65)])),
        "at most 64",
    ),
    ("game-version-list", as_bytes(edited(game_version=["0", "1"])), "game_version"),
    ("scenario-file-long", as_bytes(edited(**{"scenario.file": "f/" * 3000})), "scenario.file"),
    ("scenario-hash-number", as_bytes(edited(**{"scenario.hash": 12})), "scenario.hash"),
    ("library-file-null", as_bytes(edited(**{"scenario.libraries.0.file": None})), "file"),
    ("reflect-text", as_bytes(edited(**{"classroom.reflect": "yes"})), "classroom.reflect"),
    ("note-undone-text", as_bytes(edited(**{"classroom.facilitator.0.undone": "no"})), "undone"),
    ("note-turn-huge", as_bytes(edited(**{"classroom.facilitator.0.turn": 10**9})), "turn"),
    ("reflection-envoy", as_bytes(edited(**{"classroom.reflections.0.envoy": "X Y"})), "envoy"),
    ("reflection-bell", as_bytes(edited(**{"classroom.reflections.0.prompt": "\a"})), "control"),
    ("reflection-team", as_bytes(edited(**{"classroom.reflections.0.team": ["Blue"]})), "team"),
    ("note-text", as_bytes(edited(**{"classroom.facilitator.0.text": "t" * 20_000})), "text"),
    ("note-reason", as_bytes(edited(**{"classroom.facilitator.0.reason": 5})), "reason"),
    ("note-action", as_bytes(edited(**{"classroom.facilitator.0.action": "a\x00"})), "action"),
    ("library-source", as_bytes(edited(**{"scenario.libraries.0.source": "yaml"})), "source"),
    ("format-other", as_bytes(edited(format="envoy-save-2")), "not an Envoy save"),
    ("action-unknown", as_bytes(edited(**{"actions.0": "play nothing"})), "does not replay"),
    (
        "deep-nesting",
        as_bytes(edited(**{"snapshot.state.extra": json.loads("[" * 60 + "]" * 60)})),
        "nested too deeply",
    ),
    (
        "very-deep-nesting",
        b'{"format": "envoy-save", "version": 2, "x": ' + b"[" * 200_000,
        "damaged",
    ),
    ("not-utf8", GOOD.replace(b"Before the vote", b"Before the v\xffte", 1), "not UTF-8"),
    ("json-list", b"[1, 2, 3]", "not an Envoy save"),
    ("json-null", b"null", "not an Envoy save"),
    ("json-string", b'"envoy-save"', "not an Envoy save"),
    ("empty", b"", "not an Envoy save"),
    ("cut-short", GOOD[: len(GOOD) // 3], "damaged"),
    ("version-float", raw('"version": 2', '"version": 2.0'), "format version"),
]
IDS = [case[0] for case in HOSTILE]


def damaged(folder: pathlib.Path, data: bytes) -> pathlib.Path:
    path = folder / "hostile.envoy.json"
    path.write_bytes(data)
    return path


def test_the_valid_save_loads_so_each_case_tests_its_one_change(tmp_path):
    loaded = load_match(damaged(tmp_path, GOOD))
    assert state_hash(loaded.state) == state_hash(MATCH.state)
    assert loaded.classroom == MATCH.classroom
    assert loaded.reflections == MATCH.reflections and loaded.facilitator == MATCH.facilitator
    assert len({case for case, _, _ in HOSTILE}) == len(HOSTILE)


@pytest.mark.parametrize(("case", "data", "message"), HOSTILE, ids=IDS)
def test_a_hostile_save_is_refused_by_load_match(tmp_path, case, data, message):
    with pytest.raises(SaveError, match=re.escape(message)) as caught:
        load_match(damaged(tmp_path, data))
    text = str(caught.value)
    assert "\n" not in text and len(text) < 300
    assert text.startswith("hostile.envoy.json ")


@pytest.mark.parametrize(("case", "data", "message"), HOSTILE, ids=IDS)
def test_a_hostile_save_is_listed_as_unloadable(tmp_path, case, data, message):
    path = damaged(tmp_path, data)
    info = SaveFolder(tmp_path).info(path)
    if "does not replay" in message or "saved game" in message or "unreadable" in message:
        assert info.error == ""  # found only by replaying; the Load button says so then
    else:
        assert message in info.error


REPORTED = ("turn-1e999", "seed-5000-digits", "seat-impossible", "timer-nan", "name-escape")


@pytest.mark.parametrize(
    ("case", "data", "message"), [c for c in HOSTILE if c[0] in REPORTED], ids=REPORTED
)
def test_envoy_report_refuses_a_hostile_save_in_one_line(tmp_path, capsys, case, data, message):
    path = damaged(tmp_path, data)
    assert cli.main(["report", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "\x1b" not in err
    assert not (tmp_path / "hostile-report").exists()


def test_play_load_refuses_a_hostile_save_before_any_window(tmp_path, capsys):
    path = damaged(tmp_path, HOSTILE[2][1])
    assert cli.main(["play", "--load", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("envoy: error: hostile.envoy.json is damaged: seats[1].difficulty")
    assert err.count("\n") == 1


def test_an_impossible_difficulty_never_reaches_the_ai():
    assert set(savecheck.difficulties()) == set(DIFFICULTIES)
    with pytest.raises(SaveError, match="one of 'easy', 'normal', 'hard'"):
        parse_document(HOSTILE[2][1], "x")


def test_the_save_format_ids_are_the_scenario_format_ids():
    assert savecheck.ID.pattern == ID_PATTERN.pattern


def test_a_huge_file_is_refused_from_its_size_without_reading_it(tmp_path):
    path = tmp_path / "huge.envoy.json"
    with open(path, "wb") as file:
        file.truncate(MAX_BYTES + 1)  # sparse: no disk used
    with pytest.raises(SaveError, match="too large to be an Envoy save"):
        load_match(path)
    assert "too large" in SaveFolder(tmp_path).info(path).error


# ------------------------------------------------------------------ special files

special = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and /dev/zero")


@special
def test_a_fifo_among_the_saves_is_listed_as_unloadable_without_waiting(tmp_path):
    os.mkfifo(tmp_path / "pipe.envoy.json")
    (tmp_path / "folder.envoy.json").mkdir()
    (tmp_path / "zero.envoy.json").symlink_to("/dev/zero")
    save_match(MATCH, tmp_path / "good.envoy.json")
    with no_hang():
        listing = {info.path.name: info for info in SaveFolder(tmp_path).listing()}
    assert listing["good.envoy.json"].error == ""
    assert "is a FIFO" in listing["pipe.envoy.json"].error
    assert "is a folder" in listing["folder.envoy.json"].error
    assert "is a device" in listing["zero.envoy.json"].error


@special
@pytest.mark.parametrize("make", ["fifo", "device", "folder"])
@pytest.mark.parametrize("command", ["report", "play --load"])
def test_report_and_play_load_name_a_special_file_in_one_line(tmp_path, capsys, make, command):
    path = tmp_path / "x.envoy.json"
    if make == "fifo":
        os.mkfifo(path)
    elif make == "device":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    words = {"fifo": "a FIFO", "device": "a device", "folder": "a folder"}[make]
    with no_hang():
        assert cli.main([*command.split(), str(path)]) == 1
    err = capsys.readouterr().err
    assert (
        err
        == f"envoy: error: x.envoy.json cannot be read: it is {words}"
        + (" (a named pipe)" if make == "fifo" else "")
        + ", not a file\n"
    )


@special
@pytest.mark.parametrize("target", ["/dev/zero", "fifo"])
def test_validate_says_what_a_special_file_is(tmp_path, capsys, target):
    if target == "fifo":
        target = str(tmp_path / "crisis.yaml")
        os.mkfifo(target)
    with no_hang():
        assert cli.main(["validate", target]) == cli.USAGE_ERROR
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert ("a FIFO" if target.endswith(".yaml") else "a device") in err
    assert "no such file" not in err


@special
def test_a_fifo_in_a_folder_given_to_validate_is_never_opened(tmp_path, capsys):
    (tmp_path / "crisis.yaml").write_text((SCENARIO_DIR / "tutorial.yaml").read_text("utf-8"))
    os.mkfifo(tmp_path / "pipe.yaml")
    with no_hang():
        assert cli.main(["validate", str(tmp_path)]) == 0
    assert "1 file checked" in capsys.readouterr().out


# ------------------------------------------------------------------ the property

JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["", "human", "ai", "hard", "impossible", "peace", "inject", "un_envoy"]),
)
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in ("source",):  # the scenario's text: its loader has its own tests
                yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node[:3]):
            yield from _paths(value, (*prefix, index))


PATHS = [path for path in _paths(DOCUMENT) if path]


@st.composite
def mutated(draw):
    """The valid document with a few fields replaced, removed or added."""
    document = copy.deepcopy(DOCUMENT)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        node = document
        with contextlib.suppress(KeyError, IndexError, TypeError):
            for part in path[:-1]:
                node = node[part]
            action = draw(st.sampled_from(["replace", "delete", "add"]))
            if action == "replace":
                node[path[-1]] = draw(JSON_VALUE)
            elif action == "delete":
                del node[path[-1]]
            elif isinstance(node, dict):
                node[draw(st.text(max_size=8))] = draw(JSON_VALUE)
    return document


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=mutated())
def test_a_mutated_save_loads_as_a_consistent_game_or_is_refused(document):
    data = json.dumps(document, ensure_ascii=False).encode()
    try:
        match = load_match_bytes(data)
    except SaveError as error:
        assert str(error) and "\n" not in str(error)
        return
    # it loaded: everything the game will use is in range and the game is the saved one
    assert state_hash(match.state) == document["snapshot"]["hash"]
    for seat in match.seats:
        assert seat.kind in (AI, HUMAN) and seat.difficulty in DIFFICULTIES
        match.agent(seat.envoy)
    assert 0 <= match.classroom.timer_seconds <= savecheck.MAX_TIMER_SECONDS
    assert all(0 <= note.turn <= savecheck.MAX_TURN for note in match.facilitator)
    assert "<html" in report_html(match) and meters_csv(match)  # the debrief pack reads it all
    again = parse_document(json.dumps(to_document(match)).encode(), "again")
    assert again["seats"] == [
        {"envoy": s.envoy, "kind": s.kind, "difficulty": s.difficulty, "name": s.name}
        for s in match.seats
    ]


WORDS = sorted({word for action in DOCUMENT["actions"] for word in action.split()})
VERBS = ["facilitator", "inject", "adjust", "extend", "withdraw", "tension", "standing", "end"]
ODD = ["0", "-1", "3", "100", "999999", "1e9", "x" * 50, "Norland", "ünïcode"]
ACTION_WORDS = st.sampled_from([*WORDS, *VERBS, *ODD])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    keep=st.integers(0, len(DOCUMENT["actions"])),
    extra=st.lists(st.lists(ACTION_WORDS, min_size=1, max_size=6).map(" ".join), max_size=4),
)
def test_an_edited_action_log_replays_or_is_refused_and_nothing_else(keep, extra):
    document = copy.deepcopy(DOCUMENT)
    document["actions"] = document["actions"][:keep] + extra
    try:
        match = load_match_bytes(as_bytes(document))
    except SaveError as error:
        assert "\n" not in str(error)
    else:  # only the unedited log reaches the saved game
        assert [str(action) for action in match.actions] == DOCUMENT["actions"]


def load_match_bytes(data: bytes) -> Match:
    from game.session.saves import match_from_document

    return match_from_document(parse_document(data, "mutated.envoy.json"), "mutated.envoy.json")
