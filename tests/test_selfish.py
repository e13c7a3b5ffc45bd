"""The selfish analysis policy (issue 15, NEGOTIATION.md §7): a greedy envoy that plays
for its own score, by the numbers of ``weights.yaml: selfish``."""

from __future__ import annotations

import copy
from importlib import resources

import pytest
import yaml

from game.ai.agents import GreedyAgent, SelfishAgent, evaluate
from game.ai.lineup import Lineup, policy_names
from game.ai.policies import DIFFICULTIES, make_agent
from game.ai.tuning import SELFISH_STRATEGY, SELFISH_WEIGHTS, WEIGHTS, TuningError, read_selfish
from game.engine.rules import new_game
from game.engine.state import replace
from game.engine.view import player_view

DATA = yaml.safe_load(resources.files("game.ai").joinpath("weights.yaml").read_text())


def test_selfish_weighs_by_its_own_table_and_greedys_numbers_elsewhere():
    changed = DATA["selfish"]["evaluate"]
    assert SELFISH_STRATEGY == DATA["selfish"]["strategy"] in DIFFICULTIES
    for field in ("agenda", "trust", "peace_reached", "horizon", "brink", "tension_weight"):
        wanted = changed.get(field, getattr(WEIGHTS, field))
        assert getattr(SELFISH_WEIGHTS, field) == wanted, field
    assert SELFISH_WEIGHTS.agenda > WEIGHTS.agenda
    assert SELFISH_WEIGHTS.peace_reached < WEIGHTS.peace_reached


def test_selfish_is_a_policy_a_seat_can_play():
    assert "selfish" in policy_names()
    agent = make_agent("selfish", 7)
    assert isinstance(agent, SelfishAgent) and isinstance(agent, GreedyAgent)
    assert (agent.weights, agent.strategy) == (SELFISH_WEIGHTS, SELFISH_STRATEGY)
    # A lineup's difficulty names the strategy it bargains by.
    assert make_agent("selfish", 7, strategy="easy").strategy == "easy"
    lineup = Lineup.of("normal", [("norland_fm", "selfish")])
    assert isinstance(lineup.factory()("norland_fm", 3), SelfishAgent)
    assert not isinstance(lineup.factory()("un_envoy", 3), SelfishAgent)


def test_its_own_agenda_is_worth_more_to_a_selfish_envoy_than_the_crisis(border):
    state, _ = new_game(border, 1)
    envoy = border.envoy_index("norland_fm")
    # Norland's agenda: keep its resolve at 40 or more. Breaking it costs the selfish
    # envoy more than a calmer river gains it; the greedy envoy weighs it the other way.
    norland = border.party_index("norland")
    pair = border.relation_index(border.party_index("norland"), border.party_index("sudmark"))
    resolve = list(state.resolve)
    resolve[norland] = 10
    tension = list(state.tension)
    tension[pair] -= 30
    broken_but_calm = replace(state, resolve=tuple(resolve), tension=tuple(tension))
    view, other = (player_view(s, "norland_fm") for s in (state, broken_but_calm))
    assert evaluate(view, envoy, SELFISH_WEIGHTS) > evaluate(other, envoy, SELFISH_WEIGHTS)
    assert evaluate(view, envoy, WEIGHTS) < evaluate(other, envoy, WEIGHTS)


def test_a_bad_selfish_table_names_every_problem_at_once():
    data = copy.deepcopy(DATA)
    data["selfish"]["evaluate"]["agenda"] = "lots"
    data["selfish"]["evaluate"]["greed"] = 3
    data["selfish"]["strategy"] = "ruthless"
    data["selfish"]["mood"] = "dark"
    with pytest.raises(TuningError) as caught:
        read_selfish(data, WEIGHTS, DIFFICULTIES)
    message = str(caught.value)
    for problem in (
        "selfish.evaluate.agenda: expected a number, got 'lots'",
        "selfish.evaluate.greed: not a known entry",
        "selfish.strategy: expected a difficulty (easy, normal, hard), got 'ruthless'",
        "selfish.mood: not a known entry",
    ):
        assert problem in message
    del data["selfish"]
    with pytest.raises(TuningError, match="selfish: expected the tables evaluate and strategy"):
        read_selfish(data, WEIGHTS, DIFFICULTIES)
