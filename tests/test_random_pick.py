"""The random envoy reads the layout of legal_actions' answer instead of every action's type.

``offered_plays`` says how many Plays lead a list that is exactly legal_actions'
last answer for a Diplomacy turn, so the agent picks among them and End without
a look at each action; any other list (changed, copied with another action,
from another turn) is looked at in full.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_engine_speed import QuietWithdraw
from test_properties import seatings

from game.ai.agents import RandomAgent
from game.engine import rng
from game.engine.actions import Amend, End, Play, Withdraw
from game.engine.rules import apply, legal_actions, new_game, offered_plays
from game.engine.view import player_view

PROFILE = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def leading_plays(legal) -> int:
    """The Plays before a run of Amends, then of Withdraws, and a final End, by each
    action's type; else -1."""
    kinds = [type(a) for a in legal]
    plays = 0
    while plays < len(kinds) and kinds[plays] is Play:
        plays += 1
    after = plays
    while after < len(kinds) and kinds[after] is Amend:
        after += 1
    if kinds[after:] == [Withdraw] * (len(kinds) - after - 1) + [End]:
        return plays
    return -1


def plain_pick(seed: int, legals: list) -> list:
    """What the random envoy picks, by every action's type: among the actions that are
    not Withdraws; where some are Amends, a kind first (Play, Amend, End), then one."""
    state, picks = rng.seed_state(seed), []
    for legal in legals:
        options = [a for a in legal if not isinstance(a, Withdraw)]
        value, state = rng.random(state)
        if not any(isinstance(a, Amend) for a in options):
            picks.append(options[min(int(value * len(options)), len(options) - 1)])
            continue
        kinds = [k for k in (Play, Amend, End) if any(type(a) is k for a in options)]
        kind = kinds[min(int(value * len(kinds)), len(kinds) - 1)]
        group = [a for a in options if type(a) is kind]
        value, state = rng.random(state)
        picks.append(group[min(int(value * len(group)), len(group) - 1)])
    return picks


@PROFILE
@given(data=st.data(), seed=st.integers(min_value=0, max_value=2**63 - 1))
def test_the_layout_of_every_answer_in_a_game_is_read_right(border, data, seed):
    playing = data.draw(seatings(border))
    state, _ = new_game(border, seed, playing)
    agent, legals, picks = RandomAgent(seed), [], []
    for _ in range(120):
        if state.is_over:
            break
        envoy_id = border.envoys[state.acting].id
        seen = data.draw(st.sampled_from([state, player_view(state, envoy_id)]))
        legal = legal_actions(seen, envoy_id)
        expected = leading_plays(legal)
        assert offered_plays(legal) == expected
        if expected >= 0:
            assert offered_plays(list(legal)) == expected  # a copy with the same actions
        legals.append(legal)
        pick = agent.choose(seen, envoy_id, legal)
        picks.append(pick)
        # Withdraws too, which the random envoy never plays, so the layout has them.
        index = data.draw(st.integers(0, len(legal) - 1))
        state, _ = apply(state, data.draw(st.sampled_from([pick, legal[index]])))
    expected = plain_pick(seed, legals)
    assert all(a is b for a, b in zip(picks, expected, strict=True))


def test_a_changed_answer_is_not_taken_for_the_answer(border):
    state, _ = new_game(border, 5)
    envoy_id = border.envoys[state.acting].id
    legal = legal_actions(state, envoy_id)
    plays = offered_plays(legal)
    assert plays == leading_plays(legal) > 0
    first = legal[0]
    quiet = QuietWithdraw(envoy_id, first.move)
    for changed in (
        [quiet, *legal[1:]],  # a Withdraw (by a subclass) where a Play was
        [*legal[:-1], Play(envoy_id, first.move, first.targets)],  # no End at the end
        legal[1:],  # shorter
        [*legal[:-1], quiet, legal[-1]],  # longer
    ):
        assert offered_plays(changed) == -1
        assert RandomAgent(9).choose(None, envoy_id, changed) is plain_pick(9, [changed])[0]
