"""The engine speaks data, one module speaks words (issue 14 §1.1, §1.2).

Why an action is refused is a :class:`Reason` with its details; a ledger note
is a kind with ids and numbers. ``game.session.narrate`` alone turns both into
words, in a language its caller names, so the engine never reads a global
language and a player never reads the engine's raw ids.
"""

from __future__ import annotations

import ast
import pathlib
import pickle
import re

import pytest
from conftest import compile_dict, lab_dict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matchplay import finish, new_match, play

from game.content import schema
from game.content.loader import builtin_scenarios, load_scenario
from game.engine import ledger, meters, rules
from game.engine.actions import (
    Adjust,
    End,
    Extend,
    IllegalAction,
    Inject,
    Play,
    Reason,
    Withdraw,
)
from game.engine.rules import apply, legal_actions, new_game, preview, problem, why_illegal
from game.engine.view import ledger_view, player_view
from game.lang import set_display_language
from game.session import narrate
from game.session.report import log_document, meters_csv, report_html

ENGINE = pathlib.Path(rules.__file__).parent
FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"
CRISES = {path.stem: load_scenario(path).unwrap() for path in builtin_scenarios()}
ID = re.compile(r"[a-z][a-z0-9_]*")
PROFILE = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def until_diplomacy(state, envoy_id: str):
    """End turns until it is ``envoy_id``'s turn to choose moves (taking decisions first)."""
    scenario = state.scenario
    while True:
        acting = scenario.envoys[state.acting].id
        if state.phase == "diplomacy" and acting == envoy_id:
            return state
        state, _ = apply(state, legal_actions(state, acting)[-1])


# ------------------------------------------------------------------ reasons


def test_an_illegal_action_is_a_reason_with_details_and_one_english_line(lab):
    state, _ = new_game(lab, 1)
    state, _ = apply(state, Play("one", "pricey"))
    action = Play("one", "calm_talk", ("alpha", "beta"))
    left = state.capital[0]
    found = problem(state, action)
    assert found.reason is Reason.CAPITAL
    assert found.details == {"move": "calm_talk", "cost": 1, "left": left}
    assert str(found) == f"calm_talk one alpha beta: costs 1 capital; {left} left"
    assert why_illegal(state, action) == f"costs 1 capital; {left} left"
    with pytest.raises(IllegalAction) as raised:
        apply(state, action)
    assert raised.value.reason is Reason.CAPITAL and raised.value.action == action
    again = pickle.loads(pickle.dumps(raised.value))  # the simulator's worker processes
    assert (again.reason, again.details, str(again)) == (found.reason, found.details, str(found))
    assert problem(state, End("one")) is None and why_illegal(state, End("one")) == ""


def test_every_reason_has_the_engine_s_line_and_a_player_s_words():
    from game.engine import actions

    assert set(actions._ENGLISH) == set(Reason)
    assert set(narrate._PROBLEMS) == set(Reason)


def test_a_targeted_move_on_cooldown_says_it_is_cooling_down(border):
    """The board filtered the engine's English for "cooldown", which says "cooling down":
    a targeted move on cooldown showed "Not possible on any target now."."""
    state, _ = new_game(border, 5, ["un_envoy"])
    state = until_diplomacy(state, "un_envoy")
    state, _ = apply(state, legal_play(state, "un_envoy", "student_exchange"))
    turn = state.turn
    state, _ = apply(state, End("un_envoy"))
    state = until_diplomacy(state, "un_envoy")
    assert state.turn == turn + 1
    view = player_view(state, "un_envoy")
    relation = border.relations[0]
    names = (border.parties[relation.a].id, border.parties[relation.b].id)
    found = problem(view, Play("un_envoy", "student_exchange", names))
    assert found.reason is Reason.COOLING_DOWN and found.details["free_turn"] == turn + 3
    words = narrate.unavailable(border, "student_exchange", found)
    assert words == f"Cooling down: playable again on turn {turn + 3}"


def legal_play(state, envoy_id: str, move: str) -> Play:
    return next(a for a in legal_actions(state, envoy_id) if isinstance(a, Play) and a.move == move)


def test_a_target_s_problem_is_said_for_every_target_and_a_seat_s_as_it_is(lab):
    state, _ = new_game(lab, 1)
    found = problem(state, Play("one", "propose_accord", ("pact",)))
    assert found.reason is Reason.REQUIREMENTS and found.reason.about_target
    assert narrate.unavailable(lab, "propose_accord", found) == (
        "Not possible on any target now: its requirements are not met"
    )
    assert narrate.problem(lab, found) == "Its requirements are not met"
    state, _ = apply(state, Play("one", "pricey"))
    left = state.capital[0]
    found = problem(state, Play("one", "calm_talk", ("alpha", "beta")))
    assert found.reason is Reason.CAPITAL and not found.reason.about_target
    assert narrate.unavailable(lab, "calm_talk", found) == f"Costs 1 capital; you have {left} left"
    found = problem(state, Play("one", "pricey"))
    assert narrate.unavailable(lab, "pricey", found) == "Already chosen this turn"
    assert narrate.unavailable(lab, "pricey", None) == "Not possible now"
    # the one target tried says nothing of the others
    found = problem(state, Play("one", "propose_accord", ("nowhere",)))
    assert found.reason is Reason.UNKNOWN_TARGET
    assert narrate.unavailable(lab, "propose_accord", found) == "Not possible on any target now"


@pytest.mark.parametrize(
    "action, reason, words",
    [
        (Inject("alien_landing"), Reason.UNKNOWN_EVENT, "This crisis has no event 'alien_landing'"),
        (Extend(0), Reason.TURNS_TO_ADD, "Add 1 to 99 turns"),
        (Adjust("posture", ("norland",), 10, " "), Reason.NEEDS_REASON, "An adjustment needs"),
        (Adjust("mood", ("norland",), 1, "x"), Reason.UNKNOWN_METER, "choose from Tension, Trust"),
        (
            Adjust("trust", ("norland",), 1, "x"),
            Reason.WRONG_SUBJECT,
            "Trust belongs to two parties",
        ),
        (Adjust("posture", ("atlantis",), 1, "x"), Reason.UNKNOWN_TARGET, "no party 'atlantis'"),
        (Adjust("tension", ("norland", "sudmark"), 101, "x"), Reason.OUT_OF_RANGE, "0 to 100"),
    ],
)
def test_the_facilitator_s_mistakes_are_reasons_too(border, action, reason, words):
    state, _ = new_game(border, 5)
    found = problem(state, action)
    assert found.reason is reason
    assert words in narrate.problem(border, found)


# ------------------------------------------------------------------ notes


def test_every_kind_of_note_has_its_words():
    assert set(narrate._NOTES) == set(ledger.NOTES)


def _check_note(entry: ledger.Entry) -> None:
    """A note holds its kind and, slot by slot, ids, numbers and a typed reason: no words."""
    slots = ledger.NOTES[entry.note]
    assert len(entry.args) == len(slots), entry
    for value, (name, kind) in zip(entry.args, slots, strict=True):
        if kind == "id":
            assert isinstance(value, str) and ID.fullmatch(value), (entry, name)
        elif kind == "ids":
            assert isinstance(value, tuple), (entry, name)
            assert all(isinstance(v, str) and ID.fullmatch(v) for v in value), (entry, name)
        elif kind == "int":
            assert type(value) is int, (entry, name)
        elif kind == "chance":
            assert isinstance(value, int | float) and 0 <= value <= 1, (entry, name)
        else:
            assert kind == "text" and entry.note == ledger.ADJUSTED and isinstance(value, str)


def _check_entry(entry: ledger.Entry) -> None:
    assert not any(isinstance(v, schema.Text) for v in attrs_values(entry))
    if entry.is_change:
        assert entry.note == "" and entry.args == ()
        assert entry.meter in meters.BY_NAME and all(ID.fullmatch(s) for s in entry.subject)
    else:
        _check_note(entry)
    cause = entry.cause
    assert cause.id == "" or re.fullmatch(r"[a-z0-9_.\-]+", cause.id), cause


def attrs_values(entry):
    return [*entry.args, entry.cause.id, entry.meter, *entry.subject, entry.source]


@pytest.fixture
def no_implicit_text(monkeypatch):
    """Any str() of a crisis's text (which reads the global display language) fails."""

    def refuse(self):
        raise AssertionError(f"str() of a Text reads the global language: {self.get('en')!r}")

    monkeypatch.setattr(schema.Text, "__str__", refuse)


def _random_facilitator(data, scenario):
    t = scenario.tables
    relation = scenario.relations[0]
    subjects = {
        "relation": (t.parties[relation.a], t.parties[relation.b]),
        "standing": (t.envoys[-1], t.parties[0]),
        "envoy": (t.envoys[0],),
        "party": (t.parties[-1],),
        "counter": t.counters[:1],
    }
    kind = data.draw(st.sampled_from(["inject", "adjust", "extend"]))
    if kind == "inject":
        return Inject(data.draw(st.sampled_from([e.id for e in scenario.events])))
    if kind == "extend":
        return Extend(data.draw(st.integers(1, 3)))
    meter = data.draw(st.sampled_from([m for m in meters.METERS if subjects[m.subject]]))
    return Adjust(meter.name, subjects[meter.subject], data.draw(st.integers(0, 40)), "a vote")


@PROFILE
@given(
    crisis=st.sampled_from(sorted(CRISES)),
    seed=st.integers(0, 2**32),
    data=st.data(),
    lang=st.sampled_from(["en", "fr", "km"]),
)
def test_the_engine_records_ids_and_numbers_and_narrate_words_them(
    no_implicit_text, crisis, seed, data, lang
):
    scenario = CRISES[crisis]
    state, entries = new_game(scenario, seed)
    every = list(entries)
    for _ in range(data.draw(st.integers(20, 160))):
        if state.is_over:
            break
        envoy_id = scenario.envoys[state.acting].id
        legal = legal_actions(state, envoy_id)
        view = player_view(state, envoy_id)
        for action in legal[:3]:
            if isinstance(action, Play):
                seen = preview(view, action)
                narrate.differences(scenario, view, seen.success, lang)
                for entry in seen.success_entries:
                    _check_entry(entry)
        for move in scenario.moves[:4]:
            found = problem(view, Play(envoy_id, move.id, ()))
            if found is not None:
                assert narrate.unavailable(scenario, move.id, found, lang)
                assert str(found)
        if data.draw(st.integers(0, 9)) == 0:
            action = _random_facilitator(data, scenario)
        else:
            action = legal[data.draw(st.integers(0, len(legal) - 1))]
        try:
            state, entries = apply(state, action)
        except IllegalAction as refused:
            assert narrate.problem(scenario, refused, lang)
            continue
        every += entries
    for entry in every:
        _check_entry(entry)
        for words in (
            narrate.line(scenario, entry, lang),
            narrate.why(scenario, entry, lang),
            narrate.describe(scenario, entry, lang),
        ):
            assert words and "Text(" not in words
    narrate.beats(scenario, every, lang)
    narrate.beats(scenario, ledger_view(every, scenario.envoys[0].id), lang)


def test_the_debrief_pack_reads_no_global_language(no_implicit_text):
    match = new_match(3)
    play(match, 6, 3)
    match.facilitate(Adjust("tension", ("norland", "sudmark"), 40, "the class voted"))
    finish(match, 3)
    for lang in ("en", "km"):
        assert "Debrief: Border Incident" in report_html(match, lang)
        assert meters_csv(match, lang) and log_document(match, lang)["ledger"]


def test_the_engine_imports_nothing_that_reads_a_language():
    """Every import in game/engine, those inside functions too, stays in game.engine."""
    for path in sorted(ENGINE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name != "game.lang", (path.name, name)
                if name.startswith("game"):
                    assert name.startswith("game.engine"), (path.name, name)


def test_notes_are_words_in_the_language_asked_for_whatever_the_display_shows():
    khmer = load_scenario(FIXTURES / "khmer_quarrel.yaml").unwrap()
    state, entries = new_game(khmer, 5)
    while not state.is_over:
        envoy_id = khmer.envoys[state.acting].id
        legal = legal_actions(state, envoy_id)
        state, more = apply(state, legal[0] if not isinstance(legal[0], Withdraw) else legal[-1])
        entries += more
    news = [e for e in entries if e.note in (ledger.NEWS, ledger.ACCORD_SIGNED, ledger.BEHAVED)]
    assert news
    try:
        set_display_language("km")
        english = [narrate.note(khmer, e, "en") for e in entries]
    finally:
        set_display_language("en")
    khmer_words = [narrate.note(khmer, e, "km") for e in entries]
    assert english == [narrate.note(khmer, e) for e in entries]  # "en" is the default
    for entry in news:
        index = entries.index(entry)
        assert not re.search("[\u1780-\u17ff]", english[index])
        assert re.search("[\u1780-\u17ff]", khmer_words[index])
    assert "អាដេនៀ" in narrate.pair(khmer, "ardenia", "belmar", "km")


# ------------------------------------------------------------------ the words


def test_the_why_of_a_roll_speaks_to_students_and_keeps_the_numbers(lab):
    """It said "rolled 0.73 against 75%"."""
    for roll, verdict in ((0.731, "it worked"), (0.8, "it failed")):
        cause = ledger.Cause(ledger.MOVE, "calm_talk", "one", roll, 0.75)
        change = ledger.Entry(3, cause, meter="tension", subject=("alpha", "beta"), after=5)
        shown = f"the dice came up {int(roll * 100)} against odds of 75%: {verdict}"
        assert narrate.why(lab, change) == f"Calm_Talk by Envoy One · {shown}"


def test_a_resolved_move_tells_its_dice_in_the_same_words():
    data = lab_dict()
    data["moves"][0]["chance"] = 0.5
    scenario = compile_dict(data)
    state, _ = new_game(scenario, 1)
    state, _ = apply(state, Play("one", "calm_talk", ("alpha", "beta")))
    state, entries = apply(state, End("one"))
    state, more = apply(state, End("two"))
    resolved = next(
        e for e in entries + more if e.note in (ledger.MOVE_SUCCEEDED, ledger.MOVE_FAILED)
    )
    dice = narrate.dice(resolved.cause.roll, 0.5)
    verdict = "succeeded" if resolved.note == ledger.MOVE_SUCCEEDED else "failed"
    assert narrate.note(scenario, resolved) == (
        f"Envoy One: Calm_Talk between Alpha and Beta {verdict} ({dice})."
    )


@given(st.floats(0, 0.9999), st.floats(0.01, 0.99))
def test_the_dice_never_read_as_the_other_verdict(roll, chance):
    words = narrate.dice(roll, chance)
    shown, odds = re.fullmatch(
        r"the dice came up ([\d.]+) against odds of ([\d.]+)%", words
    ).groups()
    assert (float(shown) < float(odds)) == (roll < chance)


def test_a_facilitator_line_names_the_meter_and_its_subject_as_players_read_them():
    """They showed raw ids: "adjusts tension (norland, sudmark)"."""
    match = new_match(2)
    match.facilitate(Adjust("tension", ("sudmark", "norland"), 40, "the class voted"))
    match.facilitate(Adjust("standing", ("un_envoy", "norland"), 30, "a leak"))
    texts = [note.text for note in match.facilitator]
    assert texts == [
        "The facilitator sets Tension Norland–Sudmark to 40: the class voted",
        "The facilitator sets Standing of UN Special Envoy with Norland to 30: a leak",
    ]


def test_an_inject_and_the_news_fire_an_event_the_same_way(border):
    """One function fires an event for the News phase and for the facilitator."""
    state, _ = new_game(border, 11)
    index = next(i for i, e in enumerate(border.events) if e.decision is None and e.effects)
    event = border.events[index]
    injected, entries = apply(state, Inject(event.id))
    assert injected.fire_count[index] == state.fire_count[index] + 1
    assert injected.last_fired[index] == state.turn
    assert entries[0].note == ledger.INJECTED and entries[0].args == (event.id,)
    changed = [(e.meter, e.subject, e.delta) for e in entries if e.is_change]
    world = rules.World(state)
    fired_last, fired_count = list(state.last_fired), list(state.fire_count)
    rules._fire(world, index, entries[0].cause, ledger.NEWS, fired_last, fired_count, [])
    assert [(e.meter, e.subject, e.delta) for e in world.entries if e.is_change] == changed
    assert (fired_last, fired_count) == (list(injected.last_fired), list(injected.fire_count))


def test_a_preview_names_every_meter_it_moves_the_capital_an_embargo_costs_too(border):
    """It listed tension, trust, hotline, posture, resolve and standing only, so the
    capital an embargo takes was invisible until capital fell below zero."""
    state, _ = new_game(border, 5)
    state = until_diplomacy(state, "un_envoy")
    view = player_view(state, "un_envoy")
    embargo = legal_play(view, "un_envoy", "embargo")
    seen = preview(view, embargo)
    capital = [e for e in seen.success_entries if e.meter == "capital"]
    assert capital, "the embargo's cost is an effect of the move"
    lines = narrate.differences(border, view, seen.success)
    assert f"Your capital −{-capital[0].delta}" in lines
    target = narrate.party(border, embargo.targets[0])
    assert any(line.startswith(f"Resolve of {target} −") for line in lines)
