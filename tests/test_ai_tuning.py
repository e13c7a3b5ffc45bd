"""The AI's numbers live in YAML, are checked at start-up, and each rule lives once."""

from __future__ import annotations

import ast
import copy
import pathlib
from importlib import resources

import attrs
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from game.ai import search
from game.ai.agents import evaluate
from game.ai.negotiate import negotiate
from game.ai.policies import DIFFICULTIES, POLICIES, read_difficulties
from game.ai.search import SearchAgent, SearchTuning
from game.ai.tuning import TUNING, WEIGHTS, TuningError, read_weights
from game.content.loader import load_scenario
from game.engine.drift import drifts
from game.engine.rules import apply, legal_actions, new_game
from game.engine.state import replace
from game.engine.view import player_view
from game.paths import SCENARIO_DIR
from game.session import savecheck

ROOT = pathlib.Path(__file__).resolve().parent.parent
WEIGHTS_DATA = yaml.safe_load(resources.files("game.ai").joinpath("weights.yaml").read_text())


# ------------------------------------------------------------------ weights


def test_the_weights_are_the_yaml_files_numbers():
    weights, explain = read_weights(WEIGHTS_DATA)
    assert weights == WEIGHTS
    evaluated = WEIGHTS_DATA["evaluate"]
    assert weights.outcome == {k: float(v) for k, v in evaluated["outcome"].items()}
    assert (weights.horizon, weights.brink, weights.trust) == (
        evaluated["horizon"],
        evaluated["brink"],
        evaluated["trust"],
    )
    assert weights.threshold == WEIGHTS_DATA["greedy"]["threshold"]
    assert weights.propose_min_odds == WEIGHTS_DATA["greedy"]["propose_min_odds"]
    assert explain.signs == WEIGHTS_DATA["explain"]["signs"]


def test_a_bad_weights_file_names_every_problem_at_once():
    data = copy.deepcopy(WEIGHTS_DATA)
    data["evaluate"]["trust"] = "a lot"
    del data["evaluate"]["brink"]
    data["evaluate"]["horizon"] = 0
    data["evaluate"]["outcome"]["peace"] = True
    data["explain"]["sings"] = 3
    del data["greedy"]
    with pytest.raises(TuningError) as caught:
        read_weights(data)
    message = str(caught.value)
    assert message.startswith("weights.yaml: ") and "\n" not in message
    for problem in (
        "evaluate.trust: expected a number, got 'a lot'",
        "evaluate.brink: missing",
        "evaluate.horizon: expected whole turns, 1 or more, got 0",
        "evaluate.outcome.peace: expected a number, got True",
        "explain.sings: not a known entry",
        "greedy: expected a table of threshold, propose_min_odds",
    ):
        assert problem in message


def test_a_weight_changes_the_evaluation(border):
    state, _ = new_game(border, 1)
    trusting = attrs.evolve(WEIGHTS, trust=WEIGHTS.trust + 1)
    assert evaluate(state, 0, trusting) - evaluate(state, 0) == pytest.approx(sum(state.trust))
    over = replace(state, phase="over", outcome="conflict")
    assert evaluate(over, 0) == WEIGHTS.outcome["conflict"]


# ------------------------------------------------------------- difficulties


def test_the_difficulties_are_one_list_in_the_yaml_file():
    table = TUNING["difficulties"]
    assert list(DIFFICULTIES) == list(table) == list(savecheck.difficulties())
    for key, level in DIFFICULTIES.items():
        assert (level.policy, level.name, level.text) == (
            table[key]["policy"],
            table[key]["name"],
            table[key]["text"],
        )
        assert level.policy in POLICIES


def test_a_bad_difficulty_table_names_every_problem_at_once():
    data = copy.deepcopy(TUNING)
    data["difficulties"]["hard"]["policy"] = "oracle"
    del data["difficulties"]["easy"]["name"]
    data["difficulties"]["normal"]["colour"] = "red"
    with pytest.raises(TuningError) as caught:
        read_difficulties(data)
    message = str(caught.value)
    assert "difficulties.hard.policy: unknown policy 'oracle'" in message
    assert "difficulties.easy.name: expected some text" in message
    assert "difficulties.normal.colour: not a known entry" in message


# ------------------------------------------------------ the playout budget


def test_a_small_playout_budget_plays_fewer_rounds_each_on_the_same_dice(border):
    state, _ = new_game(border, 3)
    view = player_view(state, "un_envoy")
    # Its negotiator's amendment made first: an amendment is weighed alone, with no playout.
    amend, _ = negotiate(view, view.viewer, legal_actions(view, "un_envoy"))
    if amend is not None:
        state, _ = apply(state, amend)
        view = player_view(state, "un_envoy")
    legal = legal_actions(view, "un_envoy")
    full = SearchAgent(5, attrs.evolve(search.DEFAULT_TUNING, playout_work=10**9))
    tight = SearchAgent(5, attrs.evolve(search.DEFAULT_TUNING, playout_work=1))
    wide, narrow = full.think(view, "un_envoy", legal), tight.think(view, "un_envoy", legal)
    wide.finish(), narrow.finish()
    rollouts = search.DEFAULT_TUNING.rollouts
    assert set(wide.counts) == {rollouts} and set(narrow.counts) == {1}
    assert narrow.work < wide.work and narrow.result in legal
    # The first round is the same work on the same dice, whatever the budget.
    firsts = SearchAgent(5, attrs.evolve(search.DEFAULT_TUNING, rollouts=1)).think(
        view, "un_envoy", legal
    )
    firsts.finish()
    assert firsts.means == narrow.means


def test_the_playout_budget_comes_from_the_yaml_file():
    assert search.DEFAULT_TUNING.playout_work == TUNING["search"]["playout_work"]
    with pytest.raises(TuningError, match="playout_work must be 1 or more"):
        SearchTuning.from_dict({**TUNING["search"], "playout_work": 0})


# -------------------------------------------------------------------- drift


@given(
    pressure=st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=6),
    data=st.data(),
    signed=st.lists(st.integers(min_value=0, max_value=3), max_size=3),
)
def test_the_drift_is_pressure_damped_by_hotlines_and_accords(border, pressure, data, signed):
    hotline = data.draw(st.lists(st.integers(0, 3), min_size=len(pressure), max_size=len(pressure)))
    rules = border.rules
    got = drifts(rules, pressure, hotline, signed)
    damping = rules.accord_drift_factor ** sum(1 for s in signed if s)
    for p, h, d in zip(pressure, hotline, got, strict=True):
        assert d == pytest.approx(p * damping * (rules.hotline_drift_factor if h else 1))


def test_the_drift_formula_is_written_once():
    """Only game/engine/drift.py damps the drift by accords, in the engine and in the AI."""
    readers = []
    for folder in ("game/engine", "game/ai"):
        for path in sorted((ROOT / folder).glob("*.py")):
            tree = ast.parse(path.read_text("utf-8"))
            if any(
                isinstance(node, ast.Attribute) and node.attr == "accord_drift_factor"
                for node in ast.walk(tree)
            ):
                readers.append(path.name)
    assert readers == ["drift.py"]


# ----------------------------------------------------------------- layering


def imports(path: pathlib.Path) -> set[str]:
    """Every module a file imports, including inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_agents_do_not_import_each_other_nor_the_registry():
    ai = ROOT / "game" / "ai"
    assert not imports(ai / "agents.py") & {"game.ai.search", "game.ai.policies", "game.ai"}
    assert "game.ai.policies" not in imports(ai / "search.py")


def test_the_simulator_does_not_import_the_content_layer():
    used = imports(ROOT / "game" / "ai" / "simulate.py")
    assert not [name for name in used if name.startswith("game.content")]


def test_the_hard_ai_on_a_crowded_crisis_stays_near_its_work_budget():
    """Middle Power at Sea's first envoy plays before five others: the worst case."""
    crisis = load_scenario(SCENARIO_DIR / "middle_power_at_sea.yaml").unwrap()
    budget = search.DEFAULT_TUNING.playout_work
    for seed in range(3):
        state, _ = new_game(crisis, seed)
        envoy_id = crisis.envoys[state.acting].id
        view = player_view(state, envoy_id)
        thinking = SearchAgent(seed).think(view, envoy_id, legal_actions(view, envoy_id))
        thinking.finish()
        rounds = max(thinking.counts)
        assert set(thinking.counts) == {rounds}
        # One round of playouts there is about the whole budget: no second one starts.
        assert rounds == 1 < search.DEFAULT_TUNING.rollouts
        assert budget / 2 < thinking.work < 2 * budget
