"""The facilitator's actions: a crisis inject, a meter adjustment, added turns.

They go through the engine's one door like any seat's move, so they are in the
action log, replay from a save, and leave ledger entries marked as the
facilitator's.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine import ledger
from game.engine.actions import (
    FACILITATOR,
    Action,
    ActionSyntaxError,
    Adjust,
    Extend,
    IllegalAction,
    Inject,
    Withdraw,
)
from game.engine.rules import ADJUSTABLE, apply, legal_actions, new_game, why_illegal
from game.engine.state import DECISION, DIPLOMACY, EVERYONE, OVER, state_hash
from game.engine.view import ledger_view, public_view
from game.session import narrate

PROFILE = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def test_facilitator_actions_read_back_from_their_text():
    for action in (
        Inject("refugees"),
        Extend(2),
        Adjust("tension", ("norland", "sudmark"), 40, "the class voted to calm things"),
        Adjust("standing", ("un_envoy", "norland"), 0, "a scandal: the envoy's aide leaked"),
    ):
        assert Action.parse(str(action)) == action
        assert action.envoy == FACILITATOR


@given(st.text(min_size=1, max_size=80).filter(lambda t: t.split()))
def test_any_reason_survives_the_text_form(reason):
    action = Adjust("trust", ("norland", "sudmark"), 55, reason)
    assert Action.parse(str(action)) == action
    assert action.reason == " ".join(reason.split())


@pytest.mark.parametrize(
    "text",
    [
        "facilitator",
        "facilitator inject",
        "facilitator inject Refugees",
        "facilitator extend two",
        "facilitator adjust tension norland sudmark 40",  # no reason
        "facilitator adjust tension 40 no subject",
        "facilitator dance",
    ],
)
def test_malformed_facilitator_text_is_a_syntax_error(text):
    with pytest.raises(ActionSyntaxError):
        Action.parse(text)


def test_an_inject_fires_the_event_now_and_the_ledger_names_the_facilitator(border):
    state, _ = new_game(border, 5)
    before = state.tension[0]
    new, entries = apply(state, Inject("shots_at_dawn"))
    assert new.tension[0] == min(100, before + 4)
    assert all(e.cause.kind == ledger.FACILITATOR for e in entries)
    assert narrate.note(border, entries[0]).startswith("Crisis update from the facilitator")
    assert any(e.is_change and e.cause.id == "inject.shots_at_dawn" for e in entries)
    assert new.step == state.step + 1 and new.turn == state.turn


def test_an_injected_decision_interrupts_diplomacy_and_then_returns_to_it(border):
    state, _ = new_game(border, 5)
    while state.phase != DIPLOMACY:
        state, _ = apply(state, legal_actions(state, border.envoys[state.acting].id)[0])
    turn_index = state.turn_index
    state, _ = apply(state, Inject("sanctions_vote"))
    assert state.phase == DECISION and state.acting == border.envoy_index("un_envoy")
    decide = legal_actions(state, "un_envoy")[0]
    state, _ = apply(state, decide)
    assert state.phase == DIPLOMACY and state.turn_index == turn_index


def test_an_adjustment_sets_the_meter_and_records_the_reason(border):
    state, _ = new_game(border, 5)
    action = Adjust("trust", ("sudmark", "norland"), 61, "both sides apologised in class")
    new, entries = apply(state, action)
    index = border.relation_index(border.party_index("norland"), border.party_index("sudmark"))
    assert new.trust[index] == 61
    note, change = entries
    assert note.args[-1] == "both sides apologised in class"
    assert narrate.note(border, note) == (
        "The facilitator sets Trust Norland–Sudmark to 61: both sides apologised in class"
    )
    assert change.meter == "trust" and change.after == 61
    assert change.cause.kind == ledger.FACILITATOR and change.cause.id == "adjust"


@pytest.mark.parametrize(
    "action, problem",
    [
        (Adjust("tension", ("norland", "sudmark"), 101, "too far"), "from 0 to 100"),
        (Adjust("tension", ("norland", "sudmark"), -1, "too far"), "from 0 to 100"),
        (Adjust("tension", ("norland",), 10, "half a pair"), "names two parties"),
        (Adjust("mood", ("norland",), 10, "no such meter"), "unknown meter"),
        (Adjust("posture", ("atlantis",), 10, "no such party"), "unknown party"),
        (Adjust("posture", ("norland",), 10, "   "), "needs a reason"),
        (Inject("alien_landing"), "unknown event"),
        (Extend(0), "add 1 to"),
    ],
)
def test_bad_facilitator_actions_are_refused_and_change_nothing(border, action, problem):
    state, _ = new_game(border, 5)
    assert problem in why_illegal(state, action)
    with pytest.raises(IllegalAction):
        apply(state, action)
    assert state_hash(state) == state_hash(new_game(border, 5)[0])


def test_extra_turns_let_the_crisis_run_past_its_last_turn(border):
    state, _ = new_game(border, 9, ["un_envoy"])
    state, entries = apply(state, Extend(2))
    assert state.last_turn == border.turns + 2
    assert "ends after turn 10" in narrate.note(border, entries[0])
    while state.phase != OVER:
        state, _ = apply(state, legal_actions(state, "un_envoy")[-1])
    assert state.turn == border.turns + 2 or state.outcome != "stalemate"


def test_adjusting_tension_to_the_conflict_line_ends_the_crisis(border):
    state, _ = new_game(border, 5)
    state, _ = apply(state, Adjust("tension", ("norland", "sudmark"), 100, "war game"))
    assert state.phase == OVER and state.outcome == "conflict"
    with pytest.raises(IllegalAction):
        apply(state, Extend(1))


def _subjects(scenario, meter):
    t = scenario.tables
    kind = ADJUSTABLE[meter]
    if kind == "relation":
        return [(t.parties[r.a], t.parties[r.b]) for r in scenario.relations]
    if kind == "standing":
        return [(e, p) for e in t.envoys for p in t.parties]
    return [(x,) for x in {"envoy": t.envoys, "party": t.parties, "counter": t.counters}[kind]]


@PROFILE
@given(data=st.data(), value=st.integers(min_value=-500, max_value=500))
def test_every_meter_stays_in_range_after_any_adjustment(border, data, value):
    meter = data.draw(st.sampled_from([m for m in ADJUSTABLE if _subjects(border, m)]))
    subject = data.draw(st.sampled_from(_subjects(border, meter)))
    state, _ = new_game(border, data.draw(st.integers(0, 2**32)))
    try:
        new, _ = apply(state, Adjust(meter, subject, value, "a test"))
    except IllegalAction:
        new = state
    rules = border.rules
    for meters in (new.tension, new.trust, new.standing, new.posture, new.resolve):
        assert all(0 <= v <= 100 for v in meters)
    assert all(rules.capital_min <= v <= rules.capital_max for v in new.capital)
    assert all(rules.pressure_min <= v <= rules.pressure_max for v in new.pressure)
    assert all(0 <= v <= rules.hotline_max for v in new.hotline)
    assert all(rules.counter_min <= v <= rules.counter_max for v in new.counters)


def test_a_hotline_and_its_pressure_can_be_set_for_a_relation(border):
    state, _ = new_game(border, 5)
    index = border.tables.relation_of[border.tables.parties.index("norland")][
        border.tables.parties.index("sudmark")
    ]
    state, entries = apply(state, Adjust("hotline", ("norland", "sudmark"), 2, "a phone line"))
    state, more = apply(state, Adjust("pressure", ("norland", "sudmark"), 0, "calm at sea"))
    assert state.hotline[index] == 2 and state.pressure[index] == 0
    changes = [e for e in entries + more if e.is_change]
    assert [e.meter for e in changes] == ["hotline", "pressure"]
    assert all(e.cause.kind == ledger.FACILITATOR for e in changes)
    with pytest.raises(IllegalAction, match="hotline goes from 0 to"):
        apply(state, Adjust("hotline", ("norland", "sudmark"), 99, "too long"))


def test_the_public_view_holds_no_seat_s_secrets(border):
    """Random play that prefers back-channel talks (which reveal facts to one seat only)."""
    seen_private = seen_pending = False
    for seed in range(6):
        state, entries = new_game(border, seed)
        step = 0
        while state.phase != OVER:
            view = public_view(state)
            assert view.pending == ()
            assert all(not envoy.agenda for envoy in view.scenario.envoys)
            assert all(who == EVERYONE for _, who in view.revealed)
            hidden = [i for i in range(len(border.facts)) if not view.knows(i, EVERYONE)]
            assert all(view.scenario.facts[i].text is None for i in hidden)
            seen_private |= any(who != EVERYONE for _, who in state.revealed)
            seen_pending |= bool(state.pending)
            envoy_id = border.envoys[state.acting].id
            legal = [a for a in legal_actions(state, envoy_id) if not isinstance(a, Withdraw)]
            talks = [a for a in legal if getattr(a, "move", "") == "back_channel"]
            state, more = apply(state, talks[0] if talks else legal[(seed + step) % len(legal)])
            entries += more
            step += 1
        assert all(not e.cause.private_to for e in ledger_view(entries, ""))
    assert seen_private and seen_pending  # the check above had secrets to keep
