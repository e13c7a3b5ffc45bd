"""Class play in a match: facilitator notes, undo, reflections, and saves that keep them."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matchplay import finish, new_match, play

from game.engine import ledger
from game.engine.actions import Adjust, Extend, IllegalAction, Inject
from game.engine.state import state_hash
from game.session import saves
from game.session.match import Classroom, Reflection
from game.session.saves import SaveError, load_match, save_match

FACILITATOR_ACTIONS = st.sampled_from(
    [
        Inject("refugees"),
        Inject("sanctions_vote"),
        Extend(1),
        Adjust("trust", ("norland", "sudmark"), 50, "a handshake on television"),
        Adjust("standing", ("un_envoy", "sudmark"), 20, "the envoy insulted Sudmark"),
        Adjust("tension", ("norland", "vellmark"), 10, "a calm week"),
    ]
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 2**32),
    prefix=st.integers(0, 40),
    moves=st.lists(st.tuples(FACILITATOR_ACTIONS, st.integers(0, 6)), max_size=4),
)
def test_save_load_continue_equals_continue_with_facilitator_actions(tmp_path, seed, prefix, moves):
    match = new_match(seed)
    play(match, prefix, seed)
    for action, steps in moves:
        if match.over:
            break
        match.facilitate(action)
        play(match, steps, seed + steps)
    path = save_match(match, tmp_path / "class.envoy.json")
    loaded = load_match(path)
    assert loaded.actions == match.actions
    assert state_hash(loaded.state) == state_hash(match.state)
    assert loaded.facilitator == match.facilitator
    finish(match, seed)
    finish(loaded, seed)
    assert state_hash(loaded.state) == state_hash(match.state)


def test_facilitator_changes_are_marked_in_the_ledger_and_noted_with_their_reason():
    match = new_match(3)
    match.facilitate(Adjust("trust", ("norland", "sudmark"), 44, "students asked for a reset"))
    changes = [e for e in match.ledger if e.is_change and e.cause.kind == ledger.FACILITATOR]
    assert changes and changes[-1].after == 44
    (note,) = match.facilitator
    assert note.kind == "adjust" and note.reason == "students asked for a reset"
    assert note.turn == 1 and note.at.endswith("+00:00")


def test_an_illegal_facilitator_action_is_not_noted():
    match = new_match(3)
    with pytest.raises(IllegalAction):
        match.facilitate(Inject("no_such_event"))
    assert match.facilitator == [] and match.actions == []


def test_undo_goes_back_to_the_start_of_the_previous_turn():
    match = new_match(11)
    while match.state.turn < 3 and not match.over:
        play(match, 1, 4)
    assert match.state.turn == 3
    start_of_two = match.turn_starts[2]
    hash_at_two = state_hash(_replayed(match, start_of_two).state)
    match.facilitate(Inject("refugees"))
    turn = match.undo_turn("a student pressed the wrong key")
    assert turn == 2 and match.state.turn == 2
    assert len(match.actions) == start_of_two
    assert state_hash(match.state) == hash_at_two
    inject, undo = match.facilitator
    assert inject.undone and not undo.undone
    assert undo.kind == "undo" and undo.reason == "a student pressed the wrong key"
    assert "back to the start of turn 2" in undo.text
    assert [h.turn for h in match.history] == [1, 2]


def test_undo_keeps_the_undone_turns_reflections_marked_and_asks_again(tmp_path):
    match = new_match(11)
    match.classroom = Classroom(reflect=True)
    while match.state.turn < 3 and not match.over:
        if not match.has_reflected("un_envoy"):
            match.reflect("un_envoy", f"Our answer in turn {match.state.turn}.")
        play(match, 1, 4)
    assert match.state.turn == 3 and match.has_reflected("un_envoy") is False
    match.reflect("un_envoy", "Our answer in turn 3.")
    assert match.has_reflected("un_envoy") and not match.has_reflected("norland_fm")
    assert match.undo_turn() == 2
    assert [(r.turn, r.undone) for r in match.reflections] == [(1, False), (2, True), (3, True)]
    assert not match.has_reflected("un_envoy")  # the team answers turn 2 again
    match.reflect("un_envoy", "Turn 2, the second time.")
    assert match.has_reflected("un_envoy")
    loaded = load_match(save_match(match, tmp_path / "undone.envoy.json"))
    assert loaded.reflections == match.reflections
    from game.session.report import report_html

    page = report_html(loaded)
    assert "Turn 2 (that turn was undone)" in page and "Turn 2, the second time." in page
    assert "Turn 1 (that turn was undone)" not in page


def test_undo_with_nothing_played_is_refused_kindly():
    match = new_match(11)
    assert match.undo_target() is None
    with pytest.raises(ValueError, match="nothing to undo"):
        match.undo_turn()


def test_undo_in_the_first_turn_clears_its_moves():
    match = new_match(11)
    play(match, 1, 1)
    assert match.undo_turn() == 1 and match.actions == []


def test_class_notes_survive_a_save(tmp_path):
    match = new_match(5)
    match.classroom = Classroom(180, True, Classroom.hash_pin("4321"))
    match.reflections.append(Reflection(1, "un_envoy", "Owls", "What surprised you?", "<b>All</b>"))
    play(match, 12, 5)
    match.facilitate(Extend(2))
    match.undo_turn("redo")
    loaded = load_match(save_match(match, tmp_path / "notes.envoy.json"))
    assert loaded.classroom == match.classroom
    assert loaded.classroom.pin_ok("4321") and not loaded.classroom.pin_ok("1234")
    assert loaded.reflections == match.reflections
    assert loaded.facilitator == match.facilitator
    assert "4321" not in (tmp_path / "notes.envoy.json").read_text()


def test_a_version_1_save_upgrades_with_no_class_notes(tmp_path):
    match = new_match(5)
    play(match, 10, 5)
    document = saves.to_document(match)
    document["version"] = 1
    del document["classroom"]
    path = tmp_path / "old.envoy.json"
    path.write_text(json.dumps(document))
    loaded = load_match(path)
    assert state_hash(loaded.state) == state_hash(match.state)
    assert loaded.facilitator == [] and loaded.reflections == [] and loaded.classroom == Classroom()


@pytest.mark.parametrize(
    "classroom",
    [
        {"timer_seconds": "long"},
        {"auto_pass": 1},
        {"facilitator": [{"turn": "one", "kind": "undo", "text": "x"}]},
        {"reflections": [{"turn": 1, "envoy": "un_envoy"}]},
        {"reflections": "yes"},
    ],
)
def test_damaged_class_notes_are_refused_with_a_message(tmp_path, classroom):
    document = saves.to_document(new_match(5))
    document["classroom"] = classroom
    path = tmp_path / "bad.envoy.json"
    path.write_text(json.dumps(document))
    with pytest.raises(SaveError, match="class"):
        load_match(path)


def _replayed(match, count):
    from game.session.match import Match

    copy = Match.start(match.scenario, match.source, match.seed, match.seats)
    for action in match.actions[:count]:
        copy.apply(action)
    return copy


def test_reflection_prompts_load_from_the_teacher_block_and_are_in_the_json_schema(capsys):
    from game.cli import main
    from game.content.loader import SCENARIO_DIR, load_scenario

    scenario = load_scenario(SCENARIO_DIR / "border_incident.yaml").unwrap()
    prompts = [str(p) for p in scenario.teacher.reflection]
    assert len(prompts) == 3 and all(p.endswith("?") for p in prompts)
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    teacher = json.dumps(schema)
    assert '"reflection"' in teacher and "end of its turn" in teacher


def test_the_reflection_prompt_cycles_by_turn_and_only_when_the_class_uses_them():
    match = new_match(3)
    assert match.reflection_prompt(1) == ""  # reflections off
    match.classroom = Classroom(reflect=True)
    prompts = [str(p) for p in match.scenario.teacher.reflection]
    assert [match.reflection_prompt(t) for t in (1, 2, 3, 4)] == [*prompts, prompts[0]]
    match.reflect("un_envoy", "   ")
    assert match.reflections == []
    match.reflect("un_envoy", " We wanted calm. ")
    assert match.reflections == [
        Reflection(1, "un_envoy", "UN Special Envoy", prompts[0], "We wanted calm.")
    ]
