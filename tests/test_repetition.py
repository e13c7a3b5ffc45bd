"""Repeated moves lose their force (issue 15: "diminishing returns and backlash on
repeated moves"). A crisis's ``rules.repetition`` remembers the moves of its last
``window`` turns; each time an envoy made the same move on the same targets in them
multiplies the move's odds now by ``factor``. The odds a seat is shown are the odds
it rolls, and a seat remembers no other seat's secret moves."""

from __future__ import annotations

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import play_out, seatings

from game.engine.actions import Play
from game.engine.model import Repetition
from game.engine.rules import fading, legal_actions, move_chance, play_repeats, preview, repeats
from game.engine.state import Chosen, state_hash, to_dict
from game.engine.view import player_view, public_view
from game.session import narrate

PROFILE = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
seeds = st.integers(min_value=0, max_value=2**63 - 1)
choices = st.lists(st.integers(min_value=0, max_value=10_000), min_size=60, max_size=150)


def with_rule(scenario, window: int, factor: float):
    return attrs.evolve(
        scenario, rules=attrs.evolve(scenario.rules, repetition=Repetition(window, factor))
    )


def test_border_incident_remembers_two_turns_of_moves(border):
    assert border.rules.repetition == Repetition(window=2, factor=0.6)


@PROFILE
@given(data=st.data(), seed=seeds, picks=choices)
def test_every_move_chosen_has_the_odds_of_its_repeats(border, data, seed, picks):
    """The odds a Play is chosen with are its expression's, times factor per time the
    envoy made it on the same targets in the remembered turns, and the remembered
    moves are exactly those of the last ``window`` turns."""
    rule = border.rules.repetition
    made: list[tuple[int, int, int, tuple[int, ...]]] = []  # every move chosen, ever

    def check(state, action, new, entries):
        if state.phase != "diplomacy" or new.turn != state.turn:
            # The turn ended: what it remembers next is the last window's moves.
            if new.turn != state.turn:
                made.extend((state.turn, c.envoy, c.move, c.targets) for c in state.pending)
                expected = [m for m in made if m[0] >= new.turn - rule.window]
                assert list(new.recent) == expected
            return
        if type(action) is not Play or len(new.pending) <= len(state.pending):
            return
        chosen: Chosen = new.pending[-1]
        move = border.moves[chosen.move]
        times = sum(
            1
            for m in made
            if m[0] >= state.turn - rule.window
            and m[1:] == (chosen.envoy, chosen.move, chosen.targets)
        )
        assert repeats(state, chosen.envoy, chosen.move, chosen.targets) == times
        base = max(0.0, min(1.0, move.chance(state, (chosen.envoy, *chosen.targets))))
        assert chosen.chance == base * rule.factor**times

    play_out(border, seed, data.draw(seatings(border)), picks, check)


@PROFILE
@given(data=st.data(), seed=seeds, picks=choices)
def test_a_seat_is_shown_the_odds_it_rolls_and_remembers_no_other_seats_secret_move(
    border, data, seed, picks
):
    state, _ = play_out(border, seed, data.draw(seatings(border)), picks)
    if state.is_over or state.phase != "diplomacy":
        return
    secret = {i for i, m in enumerate(border.moves) if m.secret}
    envoy = state.acting
    envoy_id = border.envoys[envoy].id
    view = player_view(state, envoy_id)
    assert all(r[1] == envoy or r[2] not in secret for r in view.recent)
    assert [r for r in state.recent if r[1] == envoy] == [r for r in view.recent if r[1] == envoy]
    assert all(r[2] not in secret for r in public_view(state).recent)
    for action in legal_actions(view, envoy_id):
        if type(action) is not Play:
            continue
        index = border.move_index(action.move)
        if border.moves[index].target == "accord":
            continue  # a proposal's odds are the parties' acceptance, by their hidden types
        shown = preview(view, action).chance
        ctx_targets = tuple(
            border.tables.accords.index(t)
            if border.moves[index].target == "accord"
            else border.tables.parties.index(t)
            for t in action.targets
        )
        assert shown == move_chance(state, envoy, border.moves[index], ctx_targets)
        assert play_repeats(view, action) == repeats(state, envoy, index, ctx_targets)


def test_the_same_move_on_the_same_target_fades_and_another_target_does_not(border):
    state, _ = play_out(border, 3, ["un_envoy"], [])
    envoy, move = border.envoy_index("un_envoy"), border.move_index("inspectors")
    norland, sudmark = border.party_index("norland"), border.party_index("sudmark")
    made = ((state.turn - 1, envoy, move, (norland,)), (state.turn - 2, envoy, move, (norland,)))
    later = attrs.evolve(state, recent=made)
    spec = border.moves[move]
    assert fading(later, envoy, move, (norland,)) == 0.6**2
    assert (
        move_chance(later, envoy, spec, (norland,))
        == move_chance(state, envoy, spec, (norland,)) * 0.6**2
    )
    assert move_chance(later, envoy, spec, (sudmark,)) == move_chance(
        state, envoy, spec, (sudmark,)
    )
    # The card says why its odds are lower.
    play = Play("un_envoy", "inspectors", ("norland",))
    details = narrate.card_details(
        border, "inspectors", later, preview(later, play), "Norland", 1, repeated=2
    )
    (odds,) = [d.text for d in details if d.kind == "odds"]
    assert "2 times in the last 2 turns" in odds and "x0.6" in odds


def test_without_the_rule_nothing_is_remembered_and_the_state_hashes_as_before(tutorial):
    assert tutorial.rules.repetition is None
    state, _ = play_out(tutorial, 5, [e.id for e in tutorial.envoys], list(range(0, 400, 7)))
    assert state.recent == ()
    assert "recent" not in to_dict(state)
    # The same rule switched on remembers the moves, and the state is another.
    remembered, _ = play_out(
        with_rule(tutorial, 2, 0.5), 5, [e.id for e in tutorial.envoys], list(range(0, 400, 7))
    )
    assert remembered.recent and "recent" in to_dict(remembered)
    assert state_hash(remembered) != state_hash(state)
