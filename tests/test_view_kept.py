"""A seat's kept view is the view made from nothing, all game long.

``player_view`` keeps each seat's known facts, scenario, dice, cooldowns and
delayed effects while the state's own fields stay the same objects, and a turn
that reveals nothing or starts and ends no cooldown keeps those fields as they
were; and a seat's view of the state after a move is chosen in the state it last
viewed is that view with the choice made. These check every view of played games,
choice by choice and turn by turn, against a view built from the state alone,
whoever else looks in between.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_engine_equivalence import reference_view
from test_properties import seatings

from game.content.loader import SCENARIO_DIR, load_scenario
from game.engine import view
from game.engine.actions import Play
from game.engine.rules import apply, legal_actions, new_game
from game.engine.view import player_view

PROFILE = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(params=["border_incident", "middle_power_at_sea", "summit_on_the_brink"])
def scenario(request):
    return load_scenario(SCENARIO_DIR / f"{request.param}.yaml").unwrap()


def same_view(made, expected) -> bool:
    return (
        made == expected
        and made.scenario.envoys == expected.scenario.envoys
        and made.scenario.facts == expected.scenario.facts
        and made.scenario.parties == expected.scenario.parties
    )


@PROFILE
@given(data=st.data(), seed=st.integers(min_value=0, max_value=2**63 - 1))
def test_every_view_of_a_played_game_is_the_view_reference_view(scenario, data, seed):
    playing = data.draw(seatings(scenario))
    state, _ = new_game(scenario, seed, playing)
    for _ in range(150):
        if state.is_over:
            break
        # Someone else may look first (the board of another seat, the facilitator).
        other = data.draw(st.sampled_from([None, *playing]))
        if other is not None:
            assert same_view(player_view(state, other), reference_view(state, other))
        envoy_id = scenario.envoys[state.acting].id
        seen = player_view(state, envoy_id)
        assert same_view(seen, reference_view(state, envoy_id))
        assert player_view(state, envoy_id) is seen
        legal = legal_actions(seen, envoy_id)
        state, _ = apply(state, legal[data.draw(st.integers(0, len(legal) - 1))])


def test_a_turn_that_reveals_nothing_keeps_what_each_seat_knows(border):
    for seed in range(6):
        start, _ = new_game(border, seed)
        views = {e.id: player_view(start, e.id) for e in border.envoys}
        state = start
        while state.turn == 1:  # every seat ends its turn at once
            state, _ = apply(state, legal_actions(state, border.envoys[state.acting].id)[-1])
        if state.revealed != start.revealed:
            continue  # the news of turn 2 revealed a fact
        assert state.revealed is start.revealed
        for envoy_id, before in views.items():
            after = player_view(state, envoy_id)
            assert after.revealed is before.revealed and after.scenario is before.scenario
            assert same_view(after, reference_view(state, envoy_id))
        return
    raise AssertionError("no seed whose turn 2 reveals nothing: choose others")


@PROFILE
@given(seed=st.integers(min_value=0, max_value=2**63 - 1), picks=st.lists(st.integers(0, 999)))
def test_a_seat_s_view_after_each_move_it_chooses_is_the_view_built_from_nothing(
    scenario, seed, picks
):
    """As a game is played (the seat on turn looks, chooses, and looks again), each
    view of the state after a Play is the last view with the choice made, and that is
    the view reference_view builds from the state; for the other seats too."""
    state, _ = new_game(scenario, seed)
    for pick in picks:
        if state.is_over:
            break
        envoy_id = scenario.envoys[state.acting].id
        seen = player_view(state, envoy_id)
        assert same_view(seen, reference_view(state, envoy_id))
        legal = legal_actions(seen, envoy_id)
        state, _ = apply(state, legal[pick % len(legal)], record=False)
    for envoy in state.turn_order:  # a seat not on turn sees the same from nothing
        envoy_id = scenario.envoys[envoy].id
        assert same_view(player_view(state, envoy_id), reference_view(state, envoy_id))


def test_the_view_after_a_move_chosen_is_the_last_view_with_the_choice_made(border):
    state, _ = new_game(border, 3)
    envoy_id = border.envoys[state.acting].id
    before = player_view(state, envoy_id)
    play = next(a for a in legal_actions(before, envoy_id) if isinstance(a, Play))
    state, _ = apply(state, play)
    after = player_view(state, envoy_id)
    assert view.last_choice[1] is state  # the choice the view was made from
    assert after.scenario is before.scenario and after.rng is before.rng
    assert after.pending == (*before.pending, state.pending[-1])
    assert same_view(after, reference_view(state, envoy_id))
