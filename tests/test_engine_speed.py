"""The second round of engine shortcuts agrees with the plain way each stands for.

The random agent's pick without a filtered copy of the legal actions, and
``apply`` trusting a Play that ``legal_actions`` offered for the same state (or
for a seat's view of it) instead of checking it again.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from game.ai.agents import RandomAgent
from game.engine import rng
from game.engine.actions import Decide, End, Play, Withdraw

actions = st.one_of(
    st.builds(Play, st.just("un"), st.sampled_from(["shuttle", "hotline", "embargo"])),
    st.builds(Withdraw, st.just("un"), st.sampled_from(["shuttle", "hotline"])),
    st.builds(End, st.just("un")),
    st.builds(Decide, st.just("un"), st.sampled_from(["hold", "yield"])),
)


def plain_random_pick(seed: int, legals: list) -> list:
    """What RandomAgent chose before: a uniform pick among the actions that are not Withdraws."""
    state, picks = rng.seed_state(seed), []
    for legal in legals:
        options = [a for a in legal if not isinstance(a, Withdraw)]
        value, state = rng.random(state)
        picks.append(options[min(int(value * len(options)), len(options) - 1)])
    return picks


@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**63 - 1),
    legals=st.lists(
        st.lists(actions, min_size=1, max_size=12).filter(
            lambda legal: any(not isinstance(a, Withdraw) for a in legal)
        ),
        min_size=1,
        max_size=8,
    ),
)
def test_the_random_agent_picks_what_it_picked_from_a_filtered_copy(seed, legals):
    agent = RandomAgent(seed)
    picks = [agent.choose(None, "un", legal) for legal in legals]
    expected = plain_random_pick(seed, legals)
    assert picks == expected
    assert all(a is b for a, b in zip(picks, expected, strict=True))
