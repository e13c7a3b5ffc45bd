"""Matches and saves: the log rebuilds the game, and no damaged file gets past loading."""

from __future__ import annotations

import json
import pathlib
import signal
import subprocess
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matchplay import SEATS, finish, new_match, play

from game.engine.state import state_hash, to_dict
from game.session import saves
from game.session.saves import SaveError, SaveFolder, load_match, save_match

FIXTURE_OK = [HealthCheck.function_scoped_fixture]
BYTE_FLIP = st.tuples(st.floats(0, 1), st.integers(0, 255))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32), prefix=st.integers(0, 60))
def test_save_load_continue_equals_continue(tmp_path, seed, prefix):
    match = new_match(seed)
    play(match, prefix, seed)
    path = save_match(match, tmp_path / f"{seed}-{prefix}.envoy.json")
    loaded = load_match(path)
    assert state_hash(loaded.state) == state_hash(match.state)
    assert loaded.actions == match.actions
    assert loaded.ledger == match.ledger
    assert loaded.history == match.history
    finish(match, seed + 1)
    finish(loaded, seed + 1)
    assert state_hash(loaded.state) == state_hash(match.state)
    assert loaded.actions == match.actions


def test_a_save_keeps_seats_seed_and_scenario(tmp_path):
    match = new_match(11)
    play(match, 12)
    loaded = load_match(save_match(match, tmp_path / "a.envoy.json"))
    assert loaded.seats == SEATS
    assert loaded.seed == 11
    assert loaded.scenario.content_hash == match.scenario.content_hash
    assert loaded.source == match.source


def test_a_save_loads_without_the_scenario_file(tmp_path, monkeypatch):
    match = new_match()
    play(match, 10)
    path = save_match(match, tmp_path / "a.envoy.json")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("game.content.loader.LIBRARY_DIR", tmp_path / "nowhere")
    assert state_hash(load_match(path).state) == state_hash(match.state)


def saved_document(tmp_path: pathlib.Path) -> tuple[pathlib.Path, dict]:
    match = new_match()
    play(match, 20)
    path = save_match(match, tmp_path / "game.envoy.json")
    return path, json.loads(path.read_text())


def rewrite(path: pathlib.Path, document: dict) -> pathlib.Path:
    path.write_text(json.dumps(document))
    return path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not an Envoy save"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not an Envoy save"),
        (b"[1, 2, 3]", "not an Envoy save"),
        (b'{"format": "other-game", "version": 1}', "not an Envoy save"),
        (b'{"format": "envoy-save", "version": "one"}', "no valid format version"),
        (b'{"format": "envoy-save", "version": 1}', "damaged: game_version is missing"),
        (b"[" * 100_000, "not an Envoy save"),
    ],
)
def test_foreign_files_are_refused_with_a_reason(tmp_path, content, message):
    path = tmp_path / "x.envoy.json"
    path.write_bytes(content)
    with pytest.raises(SaveError, match=message):
        load_match(path)


def test_a_save_from_a_newer_game_asks_for_an_update(tmp_path):
    path, document = saved_document(tmp_path)
    document["version"] = saves.VERSION + 1
    document["game_version"] = "9.0"
    with pytest.raises(SaveError, match=r"Envoy 9\.0 .*update the game"):
        load_match(rewrite(path, document))


def test_a_truncated_save_is_called_damaged(tmp_path):
    path, _ = saved_document(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(SaveError, match="damaged"):
        load_match(path)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cut=st.floats(0, 1), flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=4)
)
def test_damaged_bytes_never_crash_and_never_load_a_different_game(tmp_path, cut, flips):
    match = new_match()
    play(match, 15)
    path = save_match(match, tmp_path / "g.envoy.json")
    data = bytearray(path.read_bytes())
    for where, value in flips:
        data[int(where * (len(data) - 1))] = value
    path.write_bytes(bytes(data[: max(1, int(cut * len(data)))] if cut < 1 else data))
    try:
        loaded = load_match(path)
    except SaveError as error:
        assert str(error)
    else:
        assert state_hash(loaded.state) == state_hash(match.state)


def test_an_edited_action_log_is_refused(tmp_path):
    path, document = saved_document(tmp_path)
    document["actions"][3] = "play hotline un_envoy nowhere"
    with pytest.raises(SaveError, match=r"action 4 .* does not replay"):
        load_match(rewrite(path, document))


def test_a_snapshot_that_replay_does_not_reach_is_refused(tmp_path):
    path, document = saved_document(tmp_path)
    document["actions"] = document["actions"][:-1]
    with pytest.raises(SaveError, match="does not give the saved game"):
        load_match(rewrite(path, document))


def test_an_edited_scenario_copy_is_refused(tmp_path):
    path, document = saved_document(tmp_path)
    source = document["scenario"]["source"]["utf8"]
    document["scenario"]["source"]["utf8"] = source.replace("turns: 8", "turns: 9")
    assert document["scenario"]["source"]["utf8"] != source
    with pytest.raises(SaveError, match="does not match its recorded hash"):
        load_match(rewrite(path, document))


def test_seats_that_do_not_fit_are_refused(tmp_path):
    path, document = saved_document(tmp_path)
    document["seats"][0]["envoy"] = "nobody"
    with pytest.raises(SaveError, match="seats do not fit"):
        load_match(rewrite(path, document))


KILLED_WRITER = textwrap.dedent(
    """
    import os, pathlib, sys, time
    from game import files
    from game.session import saves
    real_fsync = os.fsync
    def slow_fsync(fd):
        print("writing", flush=True)
        time.sleep(60)
    os.fsync = slow_fsync
    files.write_atomic(pathlib.Path(sys.argv[1]), b"NEW" * 1_000_000)
    """
)


def test_killing_the_game_during_a_save_keeps_the_previous_save(tmp_path):
    path, _ = saved_document(tmp_path)
    before = path.read_bytes()
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout.readline().strip() == "writing"
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    assert path.read_bytes() == before
    assert load_match(path).actions
    leftovers = [p for p in tmp_path.iterdir() if p != path]
    assert all(p.name.endswith(".tmp") for p in leftovers)
    assert SaveFolder(tmp_path).listing()[0].error == ""


def test_autosaves_keep_the_newest_five(tmp_path):
    folder = SaveFolder(tmp_path)
    for seed in range(100):  # the first game that lasts long enough to rotate
        match = new_match(seed)
        match.on_turn_start = folder.autosave
        finish(match, seed)
        if match.state.turn >= 7:
            break
        for path in folder.autosaves():
            path.unlink()
    autosaves = folder.autosaves()
    assert match.state.turn >= 7
    assert len(autosaves) == saves.AUTOSAVES_KEPT
    # the newest is the finished game; the one before, its last turn's start
    assert load_match(autosaves[0]).state.step == match.state.step
    before = load_match(autosaves[1])
    assert before.state.turn == match.history[-2].turn
    assert before.state.step < match.state.step
    assert folder.to_continue() is None  # a finished game is never continued


def test_continue_never_offers_a_finished_game_nor_its_last_turn(tmp_path):
    folder = SaveFolder(tmp_path)
    unfinished = new_match(3)
    unfinished.on_turn_start = folder.autosave
    while unfinished.state.turn < 2 and not unfinished.over:
        play(unfinished, 1)
    assert not unfinished.over
    finished = new_match(2)
    finished.on_turn_start = folder.autosave
    finish(finished, 2)
    assert folder.info(folder.autosaves()[0]).over
    offered = folder.to_continue()
    # the older game that is still going, not the finished one's last turn
    assert offered is not None
    assert load_match(offered.path).actions == unfinished.actions
    again = new_match(2)  # the same crisis code again: a new game, offered at once
    folder.autosave(again)
    assert folder.to_continue().actions == ()
    assert folder.to_continue().path == folder.autosaves()[0]


def test_an_autosave_at_each_turn_start_loses_at_most_that_turn(tmp_path):
    folder = SaveFolder(tmp_path)
    match = new_match(4)  # a game still going part-way into turn 3
    match.on_turn_start = folder.autosave
    while match.state.turn < 3:
        play(match, 1)
    play(match, 2)  # part-way into turn 3
    resumed = load_match(folder.to_continue().path)
    assert resumed.state.turn == 3
    assert match.actions[: len(resumed.actions)] == resumed.actions


def test_named_slots_overwrite_by_name_and_list_damaged_saves(tmp_path):
    folder = SaveFolder(tmp_path)
    match = new_match()
    play(match, 5)
    first = folder.save(match, "Before the vote")
    play(match, 5)
    second = folder.save(match, "before the vote")
    assert first == second
    (tmp_path / f"broken{saves.SUFFIX}").write_text("{")
    listing = {info.path.name: info for info in folder.listing()}
    assert listing[first.name].error == ""
    assert listing[first.name].name == "before the vote"
    assert listing[first.name].scenario == "Border Incident"
    assert "not an Envoy save" in listing[f"broken{saves.SUFFIX}"].error


def test_an_unwritable_folder_is_a_save_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(SaveError, match="could not write"):
        SaveFolder(blocker / "saves").save(new_match(), "x")


def test_ai_seats_choose_the_same_after_loading(tmp_path):
    match = new_match(5)
    play(match, 9)
    while match.acting_seat.is_human:
        play(match, 1)
    loaded = load_match(save_match(match, tmp_path / "a.envoy.json"))
    envoy = match.acting_id
    assert loaded.acting_id == envoy
    first = match.agent(envoy).choose(match.view(envoy), envoy, match.legal(envoy))
    again = loaded.agent(envoy).choose(loaded.view(envoy), envoy, loaded.legal(envoy))
    assert first == again


#: A save made before GameState's fields were renamed (seats -> turn_order,
#: active -> turn_index, Chosen/Scheduled.seat -> envoy): Border Incident, seed
#: 7, 40 random steps in, with moves pending and delayed effects waiting.
BEFORE_RENAME = pathlib.Path(__file__).parent / "fixtures" / "before_rename.envoy.json"
#: Its hash after finish(loaded, 3), measured on the tree that wrote it.
BEFORE_RENAME_FINISHED = "2238b4e83468756bf6d647fa60a2a692c70d227bdbb78288aa656d1fec626e0c"


def test_a_save_written_before_the_rename_loads_and_plays_on():
    document = json.loads(BEFORE_RENAME.read_text())
    assert {"seats", "active"} <= document["snapshot"]["state"].keys()
    assert document["snapshot"]["state"]["pending"]  # the renamed nested field is in it
    loaded = load_match(BEFORE_RENAME)  # replays the log and compares the hash
    assert state_hash(loaded.state) == document["snapshot"]["hash"]
    assert len(loaded.actions) == 40
    finish(loaded, 3)
    assert loaded.over and len(loaded.actions) == 81
    assert state_hash(loaded.state) == BEFORE_RENAME_FINISHED


def test_the_canonical_form_keeps_the_field_names_saves_were_written_with():
    match = new_match(7)
    play(match, 40, 5)
    form = to_dict(match.state)
    assert {"seats", "active"} <= form.keys()
    assert not {"turn_order", "turn_index"} & form.keys()
    assert tuple(form["seats"]) == match.state.turn_order
    assert form["active"] == match.state.turn_index
    assert all(
        item.keys() == {"seat", "move", "targets", "chance", "cost"} for item in form["pending"]
    )
    assert all("seat" in item and "envoy" not in item for item in form["delayed"])
