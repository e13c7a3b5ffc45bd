"""The AI baseline: seeded, fair (views only), and greedy plays better than random."""

from __future__ import annotations

from collections import Counter

from game.ai.agents import GreedyAgent, RandomAgent, evaluate
from game.ai.play import play_game
from game.ai.policies import make_agent
from game.ai.simulate import simulate
from game.engine.actions import Withdraw
from game.engine.state import state_hash


class Spy:
    """Wraps an agent and records what it was shown."""

    name = "spy"

    def __init__(self, inner):
        self.inner = inner
        self.seen = []

    def choose(self, view, envoy_id, legal):
        self.seen.append((view, envoy_id, list(legal)))
        return self.inner.choose(view, envoy_id, legal)


def test_agents_see_only_their_own_view(border):
    spies = {}

    def factory(envoy_id, seed):
        spies[envoy_id] = Spy(GreedyAgent(seed))
        return spies[envoy_id]

    play_game(border, 5, factory)
    for envoy_id, spy in spies.items():
        envoy = border.envoy_index(envoy_id)
        assert spy.seen
        for view, shown_id, _ in spy.seen:
            assert shown_id == envoy_id and view.viewer == envoy
            assert all(c.envoy == envoy for c in view.pending)


def test_the_same_seed_gives_the_same_game_for_each_policy(border):
    for policy in ("random", "greedy"):
        first = play_game(border, 11, policy)
        again = play_game(border, 11, policy)
        assert first.actions == again.actions
        assert state_hash(first.state) == state_hash(again.state)
    assert play_game(border, 11, "random").actions != play_game(border, 12, "random").actions


def test_random_agent_never_withdraws(border):
    record = play_game(border, 3, "random")
    assert not any(isinstance(a, Withdraw) for a in record.actions)


def test_greedy_reaches_peace_more_often_than_random(border):
    random_run = simulate(border, 40, seed=1, policy="random")
    greedy_run = simulate(border, 40, seed=1, policy="greedy")
    assert greedy_run["outcomes"]["peace"] > random_run["outcomes"]["peace"] + 0.3
    assert greedy_run["outcomes"]["conflict"] < random_run["outcomes"]["conflict"]


def test_evaluation_prefers_calm_to_the_brink(border):
    from game.engine.rules import new_game
    from game.engine.state import replace

    state, _ = new_game(border, 1)
    calm = replace(state, tension=tuple(max(0, t - 30) for t in state.tension))
    brink = replace(state, tension=tuple(min(99, t + 30) for t in state.tension))
    assert evaluate(calm, 0) > evaluate(state, 0) > evaluate(brink, 0)


def test_simulation_report_is_repeatable_apart_from_timing(tutorial):
    first = simulate(tutorial, 15, seed=4, policy="random")
    again = simulate(tutorial, 15, seed=4, policy="random")
    first.pop("timing"), again.pop("timing")
    assert first == again
    assert sum(first["outcomes"].values()) == 1
    assert set(first["moves"]) == {m.id for m in tutorial.moves}


def test_make_agent_knows_the_policies():
    assert isinstance(make_agent("random", 1), RandomAgent)
    assert isinstance(make_agent("greedy", 1), GreedyAgent)
    try:
        make_agent("genius", 1)
    except ValueError as error:
        assert "unknown policy 'genius'" in str(error)
    else:
        raise AssertionError("an unknown policy must be refused")


def test_greedy_uses_every_family_on_border_incident(border):
    used = Counter()
    families = {m.id: m.family for m in border.moves}
    for seed in range(10):
        for action in play_game(border, seed, "greedy").actions:
            if hasattr(action, "move") and action.move in families:
                used[families[action.move]] += 1
    assert {"communication", "mediation", "cultural"} <= set(used)
