"""The scenario library: six crises that load cleanly, carry what a teacher needs, and play."""

from __future__ import annotations

import attrs
import pytest
from uidrive import run_demo

from game.ai.agents import GreedyAgent
from game.ai.play import play_game
from game.content.loader import builtin_scenarios, load_scenario, validate_file
from game.engine.actions import Play
from game.engine.rules import legal_actions, new_game
from game.engine.state import DIPLOMACY
from game.paths import SCENARIO_DIR

LIBRARY = [
    "tutorial",
    "border_incident",
    "ping_pong_thaw",
    "long_peace",
    "middle_power_at_sea",
    "summit_on_the_brink",
]
NEW = LIBRARY[2:]
FAMILIES = {"communication", "mediation", "cultural", "sanctions"}
MODELINE = "# yaml-language-server: $schema=scenario.schema.json"


def test_the_library_is_the_six_crises():
    assert sorted(p.stem for p in builtin_scenarios()) == sorted(LIBRARY)


@pytest.mark.parametrize("name", LIBRARY)
def test_each_crisis_validates_without_any_warning(name):
    path = SCENARIO_DIR / f"{name}.yaml"
    checked = validate_file(path)
    assert (checked.kind, checked.diagnostics) == ("scenario", ())
    assert load_scenario(path).unwrap().id == name


@pytest.mark.parametrize("name", NEW)
def test_each_new_crisis_names_the_schema_for_editors_on_its_first_line(name):
    text = (SCENARIO_DIR / f"{name}.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == MODELINE


@pytest.mark.parametrize("name", LIBRARY)
def test_each_crisis_carries_what_a_teacher_needs(name):
    scenario = load_scenario(SCENARIO_DIR / f"{name}.yaml").unwrap()
    teacher = scenario.teacher
    assert teacher.learning_goals
    assert 3 <= len(teacher.debrief_questions) <= 5
    assert teacher.duration_minutes > 0
    assert 1 <= teacher.players.min <= teacher.players.max <= len(scenario.envoys)
    assert teacher.age and str(teacher.notes)
    assert scenario.inspired_by is not None and "fictional" in str(scenario.inspired_by)
    assert teacher.sensitive_topics  # even "nothing violent happens" tells a teacher something


def test_the_flagship_seats_four_to_six_teams():
    scenario = load_scenario(SCENARIO_DIR / "middle_power_at_sea.yaml").unwrap()
    players = scenario.teacher.players
    assert (players.min, players.max) == (4, 6)
    assert len(scenario.envoys) == 6
    assert any(move.joint_min >= 2 for move in scenario.moves)


@pytest.mark.parametrize("name", LIBRARY)
def test_every_family_is_open_to_some_envoy_on_the_first_turn(name):
    scenario = load_scenario(SCENARIO_DIR / f"{name}.yaml").unwrap()
    state, _ = new_game(scenario, seed=1)
    assert state.phase == DIPLOMACY
    families = set()
    for turn_index, envoy in enumerate(state.turn_order):
        as_acting = attrs.evolve(state, turn_index=turn_index)
        for action in legal_actions(as_acting, scenario.envoys[envoy].id):
            if isinstance(action, Play):
                families.add(scenario.moves[scenario.move_index(action.move)].family)
    assert families == FAMILIES


@pytest.mark.slow  # 80 greedy games
def test_ping_pong_thaw_hard_power_backfires():
    """Aurelia sanctioning Hanlan in the first turns wrecks the thaw that the same
    envoys otherwise reach: a proud, isolated government digs in."""
    scenario = load_scenario(SCENARIO_DIR / "ping_pong_thaw.yaml").unwrap()

    class Hawk(GreedyAgent):
        def choose(self, view, envoy_id, legal):
            for action in legal:
                if (
                    view.turn <= 3
                    and isinstance(action, Play)
                    and action.move in ("targeted_sanctions", "embargo")
                    and "hanlan" in action.targets
                ):
                    return action
            return super().choose(view, envoy_id, legal)

    def peace(hawk: bool) -> float:
        def agent(envoy_id, seed):
            return (Hawk if hawk and envoy_id == "aurelia_adviser" else GreedyAgent)(seed)

        games = 40
        return (
            sum(play_game(scenario, 1000 + g, agent).state.outcome == "peace" for g in range(games))
            / games
        )

    assert peace(hawk=True) <= peace(hawk=False) - 0.4


@pytest.mark.slow  # a whole game through the real screens, per crisis
@pytest.mark.parametrize("name", LIBRARY)
def test_each_crisis_plays_to_the_debrief_in_the_headless_demo(name, tmp_path):
    result, names = run_demo(tmp_path, "--scenario", name)
    assert result.returncode == 0, result.stderr
    assert {"briefing", "board", "resolution", "debrief"} <= names
