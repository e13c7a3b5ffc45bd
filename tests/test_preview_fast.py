"""The AI's fast weighing of moves gives the values of the straightforward path.

``preview_value`` weighs a move's outcome on the scratch world its effects ran
on (never frozen into a state) and trusts a Play ``legal_actions`` just
offered; a greedy envoy keeps the values of a position it met before. Each
must give exactly the value of freezing both outcomes with ``preview`` and
evaluating them, on random positions of all six crises, in every guise an
agent meets a position in: the full state, a seat's view of it, and the state
seen by another viewer (the search's playouts).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import play_out

from game.ai.agents import GreedyAgent, evaluate
from game.ai.search import judge
from game.content.loader import SCENARIO_DIR, load_scenario
from game.engine.actions import IllegalAction, Play, Reason
from game.engine.rules import apply, legal_actions, preview, preview_value
from game.engine.state import replace
from game.engine.view import player_view

CRISES = sorted(path.stem for path in SCENARIO_DIR.glob("*.yaml"))
PROFILE = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
seeds = st.integers(min_value=0, max_value=2**63 - 1)
picks = st.lists(st.integers(min_value=0, max_value=10_000), max_size=150)


def test_all_six_crises_are_weighed():
    assert len(CRISES) == 6


@pytest.fixture(scope="module", params=CRISES)
def crisis(request):
    return load_scenario(SCENARIO_DIR / f"{request.param}.yaml").unwrap()


def straightforward(state, action, value):
    """The odds-weighted value of both outcomes, each frozen into a GameState."""
    seen = preview(state, action, entries=False)
    return seen.chance * value(seen.success) + (1 - seen.chance) * value(seen.failure)


def guises(state, envoy_id):
    """(position, the state legal_actions was asked about) as agents meet them: the
    state, the seat's view, and each seat's view as a search's playouts show it to
    this seat's greedy envoy (the searcher's scenario, which hides its own facts)."""
    envoy = state.acting
    found = [(state, state), (replace(state, viewer=envoy), state)]
    for other in state.turn_order:
        seen = player_view(state, state.scenario.envoys[other].id)
        found.append((seen, seen) if other == envoy else (replace(seen, viewer=envoy), seen))
    found.append((player_view(state, envoy_id), state))  # the last view made: play.py's case
    return found


def position(crisis, seed, choices):
    state, _ = play_out(crisis, seed, None, choices)
    if state.is_over:
        return None, ""
    return state, crisis.envoys[state.acting].id


@PROFILE
@given(seed=seeds, choices=picks)
def test_preview_value_is_the_value_of_the_frozen_outcomes(crisis, seed, choices):
    state, envoy_id = position(crisis, seed, choices)
    if state is None:
        return
    envoy = state.acting
    for guise, asked in guises(state, envoy_id):
        for value in (lambda s: evaluate(s, envoy), lambda s: judge(s, envoy)):
            for action in legal_actions(asked, envoy_id):
                if not isinstance(action, Play):
                    continue
                legal_actions(asked, envoy_id)  # as an agent asks: the offer is this state's
                expected = straightforward(guise, action, value)
                assert preview_value(guise, action, value) == expected
                assert preview_value(guise, action, value, value(guise)) == expected


@PROFILE
@given(seed=seeds, choices=picks)
def test_a_greedy_envoy_gains_what_a_fresh_preview_gives_each_time(crisis, seed, choices):
    state, envoy_id = position(crisis, seed, choices)
    if state is None:
        return
    envoy = state.acting
    agent = GreedyAgent(seed)
    for guise, asked in guises(state, envoy_id):
        now = evaluate(guise, envoy)
        legal = legal_actions(asked, envoy_id)
        plays = [a for a in legal if isinstance(a, Play)]
        expected = [straightforward(guise, a, lambda s: evaluate(s, envoy)) - now for a in plays]
        for _ in range(2):  # weighed afresh, then from what the envoy kept
            assert [agent.gain(guise, envoy, a, now) for a in plays] == expected
        # Thinking unit by unit and choosing at once make the same choice on one seed.
        thought = GreedyAgent(seed).think(guise, envoy_id, legal).finish()
        assert GreedyAgent(seed).choose(guise, envoy_id, legal) == thought


@PROFILE
@given(seed=seeds, choices=picks)
def test_a_play_offered_for_another_state_is_checked_again(crisis, seed, choices):
    state, envoy_id = position(crisis, seed, choices)
    if state is None:
        return
    plays = [a for a in legal_actions(state, envoy_id) if isinstance(a, Play)]
    if not plays:
        return
    chosen, envoy = plays[0], state.acting
    after, _ = apply(state, chosen, record=False)
    legal_actions(state, envoy_id)  # the last offer is the state before the move was chosen
    for guise in (after, player_view(after, envoy_id), replace(after, viewer=after.viewer)):
        with pytest.raises(IllegalAction) as refused:
            preview_value(guise, chosen, lambda s: evaluate(s, envoy))
        assert refused.value.reason is Reason.ALREADY_CHOSEN
