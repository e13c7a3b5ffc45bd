"""The balance report (`envoy simulate`): per policy, per move, per event, and the warnings."""

from __future__ import annotations

import functools
import json

import pytest
import yaml
from conftest import TEACHER, party
from hypothesis import given
from hypothesis import strategies as st

from game.ai import simulate as simulate_module
from game.ai.simulate import (
    BEGIN,
    END,
    THRESHOLDS,
    balance,
    replace_between_markers,
    simulate,
    spread,
    warnings,
    wilson,
)
from game.cli import _scenario_at, main
from game.content.loader import load_scenario
from game.engine.rules import new_game
from game.paths import SCENARIO_DIR

STANDARD_MOVES = [
    "hotline",
    "back_channel",
    "public_statement",
    "good_offices",
    "shuttle",
    "inspectors",
    "propose_accord",
    "sports_exchange",
    "student_exchange",
    "cultural_festival",
    "targeted_sanctions",
    "embargo",
    "lift_sanctions",
]


# Never true in play, though no range settles it at load (that would be warned about).
NEVER = "turn() > turns_left() + 50"


def one_trick_crisis() -> dict:
    """A crisis won only by chanting for trust every turn, then signing: chanting dominates."""
    return {
        "format": 1,
        "id": "one_trick",
        "title": "One Trick",
        "summary": "A crisis with one good move.",
        "briefing": "Chant until they trust each other.",
        "difficulty": "standard",
        "teacher": {**TEACHER, "players": {"min": 1, "max": 1}},
        "turns": 6,
        "parties": [party("alpha", 0.2), party("beta", 0.8)],
        "relations": [{"between": ["alpha", "beta"], "tension": 30, "trust": 30, "pressure": 1}],
        "envoys": [{"id": "one", "name": "Envoy One", "capital": 3, "required": True}],
        "accords": [
            {
                "id": "pact",
                "name": "Pact",
                "text": "A pact.",
                "requires": "trust(alpha, beta) >= 50",
            }
        ],
        "peace": "signed(pact)",
        "disable_moves": STANDARD_MOVES,
        "moves": [
            {
                "id": "chant",
                "family": "cultural",
                "name": "Chant",
                "text": "Sing together.",
                "cost": 1,
                "target": "relation",
                "success": ["trust(a, b) += 5"],
            },
            {
                "id": "sign_it",
                "family": "mediation",
                "name": "Sign it",
                "text": "Sign the pact.",
                "cost": 2,
                "target": "accord",
                "requires": "accord_odds(target) > 0",
                "success": ["sign(target)"],
            },
        ],
        "events": [
            {"id": "opening", "title": "Opening", "text": "It begins.", "at_turn": 1},
            {"id": "never", "title": "Never", "text": "Not today.", "when": NEVER},
            {
                "id": "meteor",
                "title": "Meteor",
                "text": "Rare on purpose.",
                "when": NEVER,
                "rare": True,
            },
        ],
    }


@pytest.fixture
def one_trick_file(tmp_path):
    path = tmp_path / "one_trick.yaml"
    path.write_text(yaml.safe_dump(one_trick_crisis(), sort_keys=False), encoding="utf-8")
    return path


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------- the report


def test_a_move_that_wins_every_game_alone_gets_a_dominant_move_warning(capsys, one_trick_file):
    code, out, err = run_cli(
        capsys, "simulate", str(one_trick_file), "--games", "4", "--policy", "greedy", "--json"
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    greedy = data["policies"]["greedy"]
    assert greedy["outcomes"]["peace"] == 1.0
    assert greedy["moves"]["chant"]["share_won"] > THRESHOLDS["dominant_move_share"]
    assert [d["move"] for d in greedy["dominant_moves"]] == ["chant"]
    assert any("dominant move: Chant (chant)" in w for w in data["warnings"])
    assert not any("sign_it" in w for w in data["warnings"])


def test_events_that_never_fired_are_listed_unless_rare_on_purpose(capsys, one_trick_file):
    code, out, _ = run_cli(
        capsys, "simulate", str(one_trick_file), "--games", "3", "--policy", "random", "--json"
    )
    assert code == 0
    data = json.loads(out)
    report = data["policies"]["random"]
    assert report["events"] == {"opening": 1.0, "never": 0.0, "meteor": 0.0}
    assert report["never_fired"] == ["never"]
    assert report["rarely_fired"] == ["never"]
    assert report["rare_on_purpose"] == ["meteor"]
    flagged = [w for w in data["warnings"] if w.startswith("event")]
    assert flagged == [
        "event 'never' never fired (under 1% with every policy; "
        "mark it 'rare: true' if that is on purpose)"
    ]


def test_the_text_report_shows_every_policy_and_the_warnings(capsys, one_trick_file):
    argv = ("simulate", str(one_trick_file), "--games", "3", "--search-games", "1")
    code, out, _ = run_cli(capsys, *argv)
    assert code == 0
    assert [line for line in out.splitlines() if line.startswith("== policy")] == [
        "== policy random: 3 games",
        "== policy greedy: 3 games",
        "== policy search: 1 game",
    ]
    assert "events that never fired: never" in out
    assert "alpha-beta trust" in out
    assert "Warnings:" in out
    assert "dominant move: Chant (chant)" in out


def test_moves_share_in_won_and_lost_games_adds_up(border):
    report = simulate(border, 12, seed=5, policy="random")
    moves = report["moves"].values()
    assert sum(m["uses"] for m in moves) > 0
    for key in ("share", "share_lost"):
        assert sum(m[key] for m in moves) == pytest.approx(1.0, abs=0.01)
    families = report["families"]
    assert set(families) == {"communication", "mediation", "cultural", "sanctions"}
    assert sum(families.values()) == pytest.approx(1.0, abs=0.01)
    assert all(share > 0 for share in families.values())  # random play tries every family
    assert report["outcomes"]["conflict"] > 0  # random play loses some Border Incidents


def test_final_meters_spread_is_ordered_and_within_the_meters(border):
    report = simulate(border, 10, seed=2, policy="random")
    start, _ = new_game(border, 1)
    assert len(report["meters"]) == len(start.tension)
    for meters in report["meters"].values():
        for values in meters.values():
            ordered = [values[k] for k in ("min", "q1", "median", "q3", "max")]
            assert ordered == sorted(ordered)
            assert ordered[0] >= 0 and ordered[-1] <= 100


def test_spread_uses_nearest_ranks():
    assert spread([5, 1, 3, 2, 4]) == {"min": 1, "q1": 2, "median": 3, "q3": 4, "max": 5}
    assert spread([7]) == {"min": 7, "q1": 7, "median": 7, "q3": 7, "max": 7}


def test_missed_targets_are_warnings(tutorial):
    report = balance(tutorial, 4, seed=1, policies=("random",))
    assert list(report["policies"]) == ["random"]
    # Greedy and search were not played, so their targets are not judged.
    assert not any("greedy" in w or "search" in w for w in report["warnings"])


@given(
    random_peace=st.floats(0, 1),
    greedy_peace=st.floats(0, 1),
    search_peace=st.floats(0, 1),
)
def test_each_missed_target_is_one_warning_and_a_met_one_is_none(
    tutorial, random_peace, greedy_peace, search_peace
):
    def report(peace):
        return {
            "dominant_moves": [],
            "events": {event.id: 0.5 for event in tutorial.events},
            "outcomes": {"peace": peace, "stalemate": 1 - peace, "conflict": 0.0},
        }

    peace = {"random": random_peace, "greedy": greedy_peace, "search": search_peace}
    found = warnings(tutorial, {policy: report(rate) for policy, rate in peace.items()})
    targets = THRESHOLDS["targets"]
    expected = {
        "random play reaches peace": random_peace > targets["random_peace_max"],
        "greedy play reaches peace": greedy_peace < targets["greedy_peace_min"],
        "search reaches peace less often than greedy": search_peace < greedy_peace,
    }
    for start, missed in expected.items():
        assert sum(w.startswith(start) for w in found) == int(missed), (start, found)
    assert len(found) == sum(expected.values())


def test_the_targets_at_their_edges(tutorial):
    scenario = tutorial

    def judged(random_peace, greedy_peace, search_peace):
        rates = {"random": random_peace, "greedy": greedy_peace, "search": search_peace}
        reports = {
            policy: {
                "dominant_moves": [],
                "events": {event.id: 0.5 for event in scenario.events},
                "outcomes": {"peace": rate},
            }
            for policy, rate in rates.items()
        }
        return warnings(scenario, reports)

    assert judged(0.35, 0.50, 0.50) == []  # "at most 35%", "at least 50%", "as often"
    assert judged(0.351, 0.50, 0.50) == [
        "random play reaches peace in 35.1% of games (target: at most 35%)"
    ]
    assert judged(0.0, 0.499, 0.6) == [
        "greedy play reaches peace in 49.9% of games (target: at least 50%)"
    ]
    assert judged(0.0, 0.9, 0.89) == [
        "search reaches peace less often than greedy (89.0% against 90.0%)"
    ]


def untimed(report):
    """A balance report without its timings, the one part that changes from run to run."""
    for policy in report["policies"].values():
        del policy["timing"]
    return report


def test_jobs_change_nothing_but_the_timing():
    path = SCENARIO_DIR / "border_incident.yaml"
    scenario = load_scenario(path).unwrap()
    alone = simulate(scenario, 20, seed=3, policy="random")
    shared = simulate(scenario, 20, seed=3, policy="random", jobs=2)
    del alone["timing"], shared["timing"]
    assert alone == shared
    # Every policy's games share one pool, cut into tasks of different sizes.
    policies = ("random", "greedy")
    one = balance(scenario, 9, seed=2, policies=policies, search_games=3)
    two = balance(scenario, 9, seed=2, policies=policies, jobs=2, search_games=3)
    assert untimed(one) == untimed(two)


def test_workers_that_cannot_fork_build_the_scenario_with_the_loader(monkeypatch):
    path = SCENARIO_DIR / "tutorial.yaml"
    scenario = load_scenario(path).unwrap()
    monkeypatch.setattr(simulate_module, "_can_fork", lambda: False)
    with pytest.raises(ValueError, match="needs a loader of the scenario"):
        simulate(scenario, 6, seed=3, policy="random", jobs=2)
    load = functools.partial(_scenario_at, str(path))
    spawned = simulate(scenario, 6, seed=3, policy="random", jobs=2, load=load)
    alone = simulate(scenario, 6, seed=3, policy="random")
    del alone["timing"], spawned["timing"]
    assert alone == spawned


# ------------------------------------------------------------------ markdown


def test_markdown_table_for_every_built_in_scenario(capsys):
    code, out, _ = run_cli(
        capsys, "simulate", "--all", "--games", "2", "--policy", "random", "--markdown"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        "Measured with `envoy simulate --all --games 2 --seed 1 --policy random --markdown`; "
        "the same command gives the same table."
    )
    rows = [line for line in lines if line.startswith("| ") and "| random |" in line]
    assert len(rows) == len(list(SCENARIO_DIR.glob("*.yaml")))
    assert any(row.startswith("| Border Incident | random | 2 |") for row in rows)


def test_the_table_names_the_search_games_it_played(capsys):
    argv = ("simulate", "tutorial", "--games", "2", "--search-games", "1", "--markdown")
    code, out, _ = run_cli(capsys, *argv)
    assert code == 0
    assert out.startswith(
        "Measured with `envoy simulate tutorial --games 2 --search-games 1 --seed 1 --markdown`"
    )
    assert "| Tutorial: The Fishing Quarrel | greedy | 2 |" in out
    assert "| Tutorial: The Fishing Quarrel | search | 1 |" in out


def test_write_puts_the_table_between_the_markers(capsys, tmp_path):
    document = tmp_path / "MODDING.md"
    document.write_text(f"# Modding\n\n{BEGIN}\nold table\n{END}\n\nThe end.\n", encoding="utf-8")
    argv = ("simulate", "tutorial", "--games", "2", "--policy", "random", "--markdown")
    code, out, _ = run_cli(capsys, *argv, "--write", str(document))
    assert code == 0
    assert out == f"Wrote the balance table into {document}.\n"
    text = document.read_text(encoding="utf-8")
    assert "old table" not in text
    assert text.startswith(f"# Modding\n\n{BEGIN}\nMeasured with `envoy simulate tutorial")
    assert "--write MODDING.md`" in text
    assert "| Tutorial: The Fishing Quarrel | random | 2 |" in text
    assert text.endswith(f"{END}\n\nThe end.\n")
    # Writing again gives the same file.
    run_cli(capsys, *argv, "--write", str(document))
    assert document.read_text(encoding="utf-8") == text


def test_write_refuses_a_file_without_markers(capsys, tmp_path):
    document = tmp_path / "notes.md"
    document.write_text("# Notes\n", encoding="utf-8")
    argv = ("simulate", "tutorial", "--games", "1", "--policy", "random", "--markdown")
    code, out, err = run_cli(capsys, *argv, "--write", str(document))
    assert (code, out) == (1, "")
    markers = f"it needs the markers {BEGIN} and {END}, in that order"
    assert err == f"envoy: error: {document}: {markers}\n"
    assert document.read_text(encoding="utf-8") == "# Notes\n"


def test_replace_between_markers_keeps_the_rest():
    document = f"a\n{BEGIN}\nb\n{END}\nc\n"
    assert replace_between_markers(document, "new\n") == f"a\n{BEGIN}\nnew\n{END}\nc\n"
    with pytest.raises(ValueError):
        replace_between_markers(f"{END}\n{BEGIN}\n", "x")


def _peace_reports(scenario, rates: dict[str, float], games: int = 300) -> dict:
    return {
        policy: {
            "games": games,
            "dominant_moves": [],
            "events": {event.id: 0.5 for event in scenario.events},
            "outcomes": {"peace": rate},
        }
        for policy, rate in rates.items()
    }


def test_a_routine_that_wins_is_a_warning_judged_at_the_top_of_its_interval(border):
    def judged(routine, games=300, greedy=None):
        rates = {"routine": routine} if greedy is None else {"routine": routine, "greedy": greedy}
        return [w for w in warnings(border, _peace_reports(border, rates, games)) if "rote" in w]

    low, high = wilson(0.15, 300)
    assert low < 0.15 < high < 0.2  # 45 wins in 300: the target holds at the top
    assert judged(0.15) == []
    # The same share over 30 games could be over 20%: not judged met.
    assert judged(0.15, games=30) == [
        "a board-blind routine reaches peace in 15.0% of games (95% interval up to "
        f"{wilson(0.15, 30)[1]:.1%}; target: at most 20%): the crisis can be won by rote"
    ]
    assert len(judged(0.893)) == 1


def test_a_routine_over_half_of_greedys_peace_is_a_warning(border):
    def judged(routine, greedy):
        rates = {"routine": routine, "greedy": greedy}
        return [w for w in warnings(border, _peace_reports(border, rates, 3000)) if "routine" in w]

    assert judged(0.1, 0.18) == [
        "a board-blind routine reaches peace in 10.0% of games, over 50% of greedy's 18.0%"
    ]
    assert judged(0.1, 0.2) == []


def test_a_tutorial_is_exempt_from_the_routine_targets(tutorial):
    assert "tutorial" in tutorial.tags
    assert warnings(tutorial, _peace_reports(tutorial, {"routine": 0.9, "greedy": 0.9})) == []


def test_the_wilson_interval_holds_its_share_and_stays_in_zero_to_one():
    for games in (1, 10, 300):
        for wins in range(games + 1):
            low, high = wilson(wins / games, games)
            assert 0.0 <= low <= wins / games <= high <= 1.0
    assert wilson(0.0, 300)[1] == pytest.approx(0.0126, abs=1e-3)  # the rule of three, nearly
