"""envoy simulate's lineups: a policy in every seat, any seat set to another, plug-in
agents, each seat's mean score in the report, and the routine analysis policy."""

from __future__ import annotations

import json
import pathlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.ai import routine
from game.ai import simulate as sim
from game.ai.lineup import Lineup, LineupError, check_policy, did_you_mean, make, policy_names
from game.ai.play import play_game
from game.ai.plugins import PluginError
from game.cli import main
from game.content.loader import load_scenario
from game.engine import bargain
from game.engine.actions import Amend, Decide, End, Play
from game.engine.rules import new_game
from game.paths import PROJECT_DIR, SCENARIO_DIR

EXAMPLE = PROJECT_DIR / "examples" / "cautious_agent.py"
BORDER = ("un_envoy", "norland_fm", "vellmark_fm")
SMALL = routine.Settings(scripts=6, games=2, finalists=2, final_games=3, seed=1)


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    """Every test searches routines small and caches them in its own folder."""
    monkeypatch.setenv(routine.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(routine, "SETTINGS", SMALL)
    routine.forget()
    yield
    routine.forget()


def scenario(name: str = "border_incident"):
    return load_scenario(str(SCENARIO_DIR / f"{name}.yaml")).scenario


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def report(capsys, *argv: str) -> dict:
    code, out, err = run(capsys, "simulate", *argv, "--json")
    assert (code, err) == (0, "")
    return json.loads(out)


def without_timing(entry: dict) -> dict:
    for policy in entry["policies"].values():
        policy.pop("timing")
    return entry


# ------------------------------------------------------------------ lineups


def test_a_seat_plays_its_own_policy_and_the_report_scores_every_seat(capsys):
    entry = report(
        capsys, "border_incident", "--games", "3", "--policy", "random", "--seat", "un_envoy=greedy"
    )
    (name,) = entry["policies"]
    assert name == "random with un_envoy=greedy"
    seats = entry["policies"][name]["seats"]
    assert list(seats) == list(BORDER)
    assert {e: s["policy"] for e, s in seats.items()} == {
        "un_envoy": "greedy",
        "norland_fm": "random",
        "vellmark_fm": "random",
    }
    for seat in seats.values():
        assert seat["games"] == 3
        low, high = seat["interval_95"]
        assert low <= seat["mean_score"] <= high
    # Today's keys stay.
    assert {"outcomes", "moves", "families", "events", "meters", "timing"} <= set(
        entry["policies"][name]
    )


def test_the_text_report_shows_seat_scores_only_when_seats_differ(capsys):
    argv = ["simulate", "border_incident", "--games", "2", "--policy", "random"]
    code, out, _ = run(capsys, *argv)
    assert code == 0 and "mean score by seat" not in out
    code, out, _ = run(capsys, *argv, "--seat", "norland_fm=normal")
    assert code == 0
    assert "mean score by seat: un_envoy (random)" in out
    assert "norland_fm (normal)" in out


def test_the_markdown_table_notes_seat_scores_when_seats_differ(capsys):
    argv = ["simulate", "border_incident", "--games", "2", "--policy", "random", "--markdown"]
    code, out, _ = run(capsys, *argv, "--seat", "un_envoy=easy")
    assert code == 0
    assert (
        "- Border Incident, random with un_envoy=easy: mean score by seat: un_envoy (easy)" in out
    )
    assert "--seat un_envoy=easy --markdown" in out  # the command that reproduces it


def test_the_same_seed_and_lineup_give_the_same_report(capsys):
    argv = ["border_incident", "--games", "3", "--policy", "random", "--seat", "un_envoy=greedy"]
    first, again = report(capsys, *argv), report(capsys, *argv)
    assert without_timing(first) == without_timing(again)


def test_a_seat_set_to_the_policy_itself_changes_nothing(capsys):
    plain = report(capsys, "border_incident", "--games", "2", "--policy", "greedy")
    same = report(
        capsys, "border_incident", "--games", "2", "--policy", "greedy", "--seat", "un_envoy=greedy"
    )
    assert without_timing(plain) == without_timing(same)


def test_a_difficulty_plays_as_the_policy_behind_it(capsys):
    normal = report(capsys, "tutorial", "--games", "2", "--policy", "normal")["policies"]["normal"]
    greedy = report(capsys, "tutorial", "--games", "2", "--policy", "greedy")["policies"]["greedy"]
    for key in ("outcomes", "moves", "meters", "events"):
        assert normal[key] == greedy[key]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--policy", "greedyy"], "unknown policy 'greedyy' (did you mean 'greedy'?)"),
        (["--seat", "un_envoy=serch"], "unknown policy 'serch' (did you mean 'search'?)"),
        (["--seat", "un=greedy"], "no envoy 'un' in border_incident (did you mean 'un_envoy'?)"),
        (["--seat", "norlnd_fm=greedy"], "(did you mean 'norland_fm'?)"),
        (["--seat", "un_envoy"], "--seat un_envoy: write ENVOY=POLICY"),
        (["--seat", "=greedy"], "write ENVOY=POLICY"),
        (["--policy", "random", "--agent", f"{EXAMPLE}:CautiousAgent"], "not both"),
        (["--seat", "un_envoy=absent"], "un_envoy is required in border_incident"),
        (["--policy", "absent"], "--policy absent: a game needs someone to play"),
        (["--seat", "un_envoy=absnt"], "(did you mean 'absent'?)"),
    ],
)
def test_a_bad_seat_or_policy_is_one_line_with_what_was_meant(capsys, argv, expected):
    code, out, err = run(capsys, "simulate", "border_incident", "--games", "1", *argv)
    assert code == 2 and out == ""
    assert expected in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


SEATS = st.dictionaries(st.sampled_from(BORDER), st.sampled_from(policy_names()), max_size=3)


@settings(max_examples=60, deadline=None)
@given(base=st.sampled_from(policy_names()), seats=SEATS)
def test_a_seat_override_never_changes_the_other_seats(base, seats):
    lineup = Lineup.of(base, list(seats.items()))
    factory = lineup.factory()
    for envoy in BORDER:
        wanted = seats.get(envoy, base)
        assert lineup.policy_of(envoy) == wanted
        assert type(factory(envoy, 7)) is type(make(wanted, 7))


CHEAP = st.sampled_from(["random", "easy", "routine"])


@settings(max_examples=12, deadline=None)
@given(
    base=CHEAP,
    seats=st.dictionaries(st.sampled_from(BORDER), CHEAP, max_size=2),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_same_seed_and_lineup_always_give_the_same_report(base, seats, seed):
    border = scenario()
    lineup = Lineup.of(base, list(seats.items()))
    first = sim.balance(border, 2, seed, [lineup])
    again = sim.balance(border, 2, seed, [Lineup.of(base, list(seats.items()))])
    assert without_timing(first) == without_timing(again)
    (report,) = first["policies"].values()
    assert {e: s["policy"] for e, s in report["seats"].items()} == {
        e: seats.get(e, base) for e in BORDER
    }


def test_every_policy_name_is_known_and_others_are_not():
    for name in policy_names():
        check_policy(name)
    with pytest.raises(LineupError, match="choose from random, greedy, search, selfish, routine"):
        check_policy("chess")
    assert did_you_mean("un", ["un_envoy"]) == " (did you mean 'un_envoy'?)"
    assert did_you_mean("zzz", ["un_envoy"]) == ""


# ---------------------------------------------------------------- plug-ins


def test_the_example_agent_plays_every_seat_and_one_seat(capsys):
    spec = f"{EXAMPLE}:CautiousAgent"
    entry = report(capsys, "border_incident", "--games", "2", "--agent", spec)
    assert set(entry["policies"]) == {spec}
    one = report(
        capsys,
        "border_incident",
        "--games",
        "2",
        "--policy",
        "greedy",
        "--seat",
        f"un_envoy={spec}",
    )
    (seats,) = (r["seats"] for r in one["policies"].values())
    assert seats["un_envoy"]["policy"] == spec and seats["norland_fm"]["policy"] == "greedy"


def test_a_plug_in_over_worker_processes_gives_the_same_report(capsys):
    spec = f"{EXAMPLE}:CautiousAgent"
    argv = ["border_incident", "--games", "4", "--policy", "random", "--seat", f"un_envoy={spec}"]
    alone = report(capsys, *argv)
    shared = report(capsys, *argv, "--jobs", "2")
    assert without_timing(alone) == without_timing(shared)


BAD_AGENTS = {
    "syntax": ("class Agent(:\n", "Agent", "bad.py:1:"),
    "no class": ("class Other:\n    pass\n", "Agent", "no class 'Agent' (classes in it: Other)"),
    "no choose": (
        "class Agent:\n    def __init__(self, seed):\n        pass\n",
        "Agent",
        "Agent has no method choose",
    ),
    "no seed": (
        "class Agent:\n    def __init__(self):\n        pass\n"
        "    def choose(self, view, envoy_id, legal):\n        return legal[0]\n",
        "Agent",
        "Agent(seed) must take one argument",
    ),
    "bad choose": (
        "class Agent:\n    def __init__(self, seed):\n        pass\n"
        "    def choose(self, view):\n        return None\n",
        "Agent",
        "Agent.choose must take (self, view, envoy_id, legal)",
    ),
    "raises on load": (
        "raise RuntimeError('oops')\n",
        "Agent",
        "bad.py:1: loading it raised RuntimeError: oops",
    ),
    "raises": (
        "class Agent:\n    def __init__(self, seed):\n        pass\n"
        "    def choose(self, view, envoy_id, legal):\n        return 1 / 0\n",
        "Agent",
        "bad.py:5: Agent.choose raised ZeroDivisionError: division by zero "
        "in game 0, turn 1, as un_envoy",
    ),
    "illegal": (
        "from game.engine.actions import Play\n"
        "class Agent:\n    def __init__(self, seed):\n        pass\n"
        "    def choose(self, view, envoy_id, legal):\n"
        "        return Play(envoy_id, 'embargo', ('nowhere',))\n",
        "Agent",
        "Agent.choose returned embargo un_envoy nowhere, which is not one of the",
    ),
    "not an action": (
        "class Agent:\n    def __init__(self, seed):\n        pass\n"
        "    def choose(self, view, envoy_id, legal):\n        return 'end'\n",
        "Agent",
        "Agent.choose returned 'end', which is not one of",
    ),
    "not a class name": ("", "1x", "'1x' is not a class name"),
    "raises when made": (
        "class Agent:\n    def __init__(self, seed):\n        raise ValueError('no seeds')\n"
        "    def choose(self, view, envoy_id, legal):\n        return legal[0]\n",
        "Agent",
        "bad.py:3: Agent(seed) raised ValueError: no seeds",
    ),
    "exits": (
        "import sys\nclass Agent:\n    def __init__(self, seed):\n        pass\n"
        "    def choose(self, view, envoy_id, legal):\n        sys.exit(3)\n",
        "Agent",
        "bad.py:6: Agent.choose raised SystemExit: 3 in game 0, turn 1",
    ),
}


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("case", sorted(BAD_AGENTS))
def test_a_bad_plug_in_is_one_line_naming_its_file(capsys, tmp_path, monkeypatch, case, jobs):
    source, cls, expected = BAD_AGENTS[case]
    monkeypatch.chdir(tmp_path)
    pathlib.Path("bad.py").write_text(source, "utf-8")
    code, out, err = run(
        capsys,
        "simulate",
        "border_incident",
        "--games",
        "2",
        "--policy",
        "greedy",
        "--seat",
        f"un_envoy=bad.py:{cls}",
        "--jobs",
        jobs,
    )
    assert code == 1 and out == ""
    assert err.startswith("envoy: error: bad.py"), err
    assert expected in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_missing_plug_in_file_is_named(capsys, tmp_path):
    code, _, err = run(capsys, "simulate", "tutorial", "--agent", f"{tmp_path}/gone.py:Agent")
    assert code == 1
    assert err.strip() == f"envoy: error: {tmp_path}/gone.py: no such file"


def test_a_plug_in_that_is_not_a_class_is_refused(tmp_path):
    path = tmp_path / "thing.py"
    path.write_text("Agent = 3\n", "utf-8")
    with pytest.raises(PluginError, match="'Agent' is not a class"):
        check_policy(f"{path}:Agent")


# ----------------------------------------------------------------- routine


def test_a_script_plays_its_moves_in_order_once_a_turn_then_ends():
    script = routine.Script(("hotline", "shuttle"))
    end = End("un")
    shuttle_a, shuttle_b = Play("un", "shuttle", ("a",)), Play("un", "shuttle", ("b",))
    hotline = Play("un", "hotline", ("a", "b"))
    other = Play("un", "embargo", ("a",))
    assert routine.pick(script, [other, shuttle_a, shuttle_b, hotline, end]) == hotline
    assert routine.pick(script, [other, shuttle_b, shuttle_a, end]) == shuttle_b
    assert routine.pick(script, [other, end]) == end
    decide = Decide("un", "hold")
    assert routine.pick(script, [decide, Decide("un", "fold")]) == decide


def test_a_script_amends_towards_its_package_first_issue_first_before_it_plays():
    terms = (("cf", "pullback", "km10"), ("cf", "water", "shared"), ("bc", "chair", "un"))
    script = routine.Script(("hotline",), terms)
    hotline, end = Play("un", "hotline", ("a", "b")), End("un")
    towards = [Amend("un", "cf", "water", "shared"), Amend("un", "bc", "chair", "un")]
    away = [Amend("un", "cf", "pullback", "m500"), Amend("un", "cf", "water", "norland")]
    # The pull-back is already at 10 km (no Amend to it is legal): the water comes next.
    assert routine.pick(script, [hotline, *away, *towards, end]) == towards[0]
    assert routine.pick(script, [hotline, *away, towards[1], end]) == towards[1]
    # Every draft is at the package, or the envoy has amended this turn: it plays.
    assert routine.pick(script, [hotline, *away, end]) == hotline


def test_the_balanced_terms_are_each_accords_nash_package_by_the_declared_ranges():
    border = scenario()
    terms = routine.balanced_terms(border)
    world = new_game(border, 0)[0]
    for index, accord in enumerate(border.accords):
        sides = [bargain.expected(border.parties[p].interests[index]) for p in accord.signatories]
        floors = [bargain.reservation(border, world, p, index) for p in accord.signatories]
        nash = bargain.nash(accord, sides, floors)
        fixed = [(i, o) for a, i, o in terms if a == accord.id]
        assert fixed == [(i.id, i.options[c].id) for i, c in zip(accord.issues, nash, strict=True)]


def test_a_routine_reaches_its_package_in_play_and_proposes_it():
    border = scenario()
    script = routine.Script(routine.ISSUE_ROUTINE, routine.balanced_terms(border))
    agent = routine.ScriptAgent(script)
    record = play_game(border, 7, lambda envoy, seed: agent)
    state = record.state
    amends = [a for a in record.actions if isinstance(a, Amend)]
    assert amends and all((a.accord, a.issue, a.option) in script.terms for a in amends)
    ceasefire = next(i for i, a in enumerate(border.accords) if a.id == "ceasefire")
    wanted = tuple(
        [o.id for o in issue.options].index(option)
        for accord, issue_id, option in script.terms
        if accord == "ceasefire"
        for issue in border.accords[ceasefire].issues
        if issue.id == issue_id
    )
    assert state.drafts[ceasefire] == wanted


def test_the_routine_search_tries_at_least_200_distinct_scripts_the_same_each_time():
    border = scenario()
    found = routine.candidates(border, 200, 1)
    assert len(found) == 200 == len(set(found))
    assert found == routine.candidates(border, 200, 1)
    assert found[0].order[0] == "propose_accord"  # the issue's routine comes first
    assert found[0].terms == () and found[1].terms == routine.balanced_terms(border)
    # Most scripts fix a package of their own for each accord: the search tries deals too.
    fixed = [s for s in found if {t[0] for t in s.terms} == {"ceasefire", "border_commission"}]
    assert len(fixed) > 100 and len({s.terms for s in fixed}) > 50
    assert routine.SETTINGS is SMALL and routine._settings().scripts >= 200


def test_the_routine_search_plays_the_simulators_games():
    assert all(routine._game_seed(s, g) == sim.game_seed(s, g) for s in (1, 9) for g in range(5))


def test_the_routine_search_is_deterministic_and_keeps_the_best_finalist():
    border = scenario()
    first, again = routine.search(border, SMALL), routine.search(border, SMALL)
    assert first == again and first.candidates == SMALL.scripts
    scripts = routine.candidates(border, SMALL.scripts, SMALL.seed)
    heats = [routine.trial(border, s, SMALL.games, SMALL.seed) for s in scripts]
    ranked = sorted(range(len(scripts)), key=lambda n: (-heats[n][0], -heats[n][1], n))
    finals = {
        n: routine.trial(border, scripts[n], SMALL.final_games, SMALL.seed)
        for n in {*ranked[: SMALL.finalists], 0}
    }
    winner = max(finals, key=lambda n: (*finals[n], -n))
    assert first.script == scripts[winner]
    assert (first.peace, first.mean_score) == (
        round(finals[winner][0], 4),
        round(finals[winner][1], 3),
    )


def test_a_routine_is_cached_by_content_hash_and_read_back(monkeypatch):
    border = scenario()
    found = routine.routine_for(border)
    path = routine.cache_path(border)
    assert path.name == f"{border.content_hash}.json" and path.is_file()
    routine.forget()

    def no_search(*args, **kwargs):
        raise AssertionError("searched again although the cache holds the routine")

    monkeypatch.setattr(routine, "search", no_search)
    assert routine.routine_for(border) == found


@pytest.mark.parametrize(
    "spoil",
    [
        lambda entry: "not json {",
        lambda entry: "[]",
        lambda entry: json.dumps({**entry, "content_hash": "0" * 64}),
        lambda entry: json.dumps({**entry, "settings": {**entry["settings"], "games": 99}}),
        lambda entry: json.dumps({**entry, "version": routine.SEARCH_VERSION - 1}),
        lambda entry: json.dumps({**entry, "order": ["no_such_move"]}),
        lambda entry: json.dumps({**entry, "order": []}),
        lambda entry: json.dumps({**entry, "peace": "all"}),
        lambda entry: json.dumps({**entry, "peace": 7}),
        lambda entry: json.dumps({k: v for k, v in entry.items() if k != "order"}),
        lambda entry: json.dumps({k: v for k, v in entry.items() if k != "terms"}),
        lambda entry: json.dumps({**entry, "terms": [["ceasefire", "pullback", "km99"]]}),
        lambda entry: json.dumps({**entry, "terms": [["ceasefire", "pullback", "km10"]]}),
        lambda entry: json.dumps({**entry, "terms": [["no_accord", "pullback", "km10"]]}),
        lambda entry: json.dumps({**entry, "terms": "all"}),
    ],
)
def test_a_stale_or_corrupt_cache_is_searched_again_and_rewritten(spoil):
    border = scenario()
    found = routine.routine_for(border)
    path = routine.cache_path(border)
    good = json.loads(path.read_text("utf-8"))
    path.write_text(spoil(good), "utf-8")
    routine.forget()
    assert routine.routine_for(border) == found
    assert json.loads(path.read_text("utf-8")) == good


def test_routine_plays_through_the_command_line_and_says_when_it_searches(capsys):
    argv = ["simulate", "border_incident", "--games", "3", "--seed", "10001", "--json"]
    code, out, err = run(capsys, *argv, "--policy", "routine")
    assert code == 0
    assert err == (
        "envoy: searching border_incident's routine among 6 scripts "
        "(once: it is kept for next time) …\n"
    )
    moves = json.loads(out)["policies"]["routine"]["moves"]
    script = routine.routine_for(scenario()).script
    used = {m for m, data in moves.items() if data["uses"]}
    assert used and used <= set(script.order)
    routine.forget()
    code, again, err = run(capsys, *argv, "--policy", "greedy", "--seat", "un_envoy=routine")
    assert (code, err) == (0, "")  # read from the cache, without a search
    seats = json.loads(again)["policies"]["greedy with un_envoy=routine"]["seats"]
    assert seats["un_envoy"]["policy"] == "routine"


def test_an_unknown_envoy_in_any_crisis_stops_before_any_game(capsys, monkeypatch):
    def no_play(*args, **kwargs):
        raise AssertionError("played before every crisis was checked")

    monkeypatch.setattr(sim, "balance", no_play)
    code, _, err = run(capsys, "simulate", "--all", "--seat", "envoy=greedy")
    assert code == 2
    assert "no envoy 'envoy' in border_incident" in err


def test_the_agent_commands_modding_shows_run(capsys, monkeypatch):
    """Every `envoy simulate` line of "One seat against the others" and "Your own agent"
    that names the shipped example runs (a game each)."""
    text = (PROJECT_DIR / "MODDING.md").read_text("utf-8")
    part = text[text.index("## One seat against the others") : text.index("## Keeping this")]
    lines = [line.split() for line in part.splitlines() if line.startswith("    envoy simulate")]
    runnable = [words for words in lines if "my_agent.py" not in " ".join(words)]
    assert len(runnable) >= 2
    monkeypatch.chdir(PROJECT_DIR)
    for words in runnable:
        code, _, err = run(capsys, *words[1:], "--games", "1")
        assert code == 0, (words, err)


@pytest.mark.slow
def test_the_real_routine_search_beats_the_issues_routine_on_its_own_games(monkeypatch):
    """With balance.yaml's numbers (200 scripts), on the tutorial, the cheapest crisis."""
    real = routine._settings()
    monkeypatch.setattr(routine, "SETTINGS", real)
    tutorial = scenario("tutorial")
    found = routine.routine_for(tutorial)
    assert found.candidates >= 200
    moves = {m.id for m in tutorial.moves}
    issue = routine.Script(tuple(m for m in routine.ISSUE_ROUTINE if m in moves))
    peace, mean = routine.trial(tutorial, issue, real.final_games, real.seed)
    assert (found.peace, found.mean_score) >= (round(peace, 4), round(mean, 3))


# ------------------------------------------------------------ absent seats (solo)


def test_an_absent_seat_is_left_empty_and_the_others_play():
    border = scenario()
    lineup = Lineup.of("greedy", [("norland_fm", "absent"), ("vellmark_fm", "absent")])
    lineup.check(border)
    assert lineup.playing(border) == ("un_envoy",)
    assert Lineup("greedy").playing(border) is None
    assert sim.is_solo(border, lineup)
    assert not sim.is_solo(border, Lineup.of("greedy", [("norland_fm", "absent")]))
    mixed = Lineup.of("greedy", [("norland_fm", "absent"), ("vellmark_fm", "random")])
    assert not sim.is_solo(border, mixed)
    summary = sim.play_summary(border, 1, 0, lineup)
    assert [envoy for envoy, _ in summary.scores] == [border.envoy_index("un_envoy")]


def test_solo_peace_is_judged_at_both_ends_of_its_interval(capsys):
    found = report(
        capsys,
        "border_incident",
        "--policy",
        "greedy",
        "--seat",
        "norland_fm=absent",
        "--seat",
        "vellmark_fm=absent",
        "--games",
        "20",
    )
    (name,) = found["policies"]
    solo = found["policies"][name]
    assert solo["solo"] is True and set(solo["seats"]) == {"un_envoy"}
    low, high = sim.wilson(solo["outcomes"]["peace"], 20)
    targets = sim.THRESHOLDS["targets"]
    missed = low < targets["solo_peace_min"] or high > targets["solo_peace_max"]
    said = [w for w in found["warnings"] if w.startswith("solo play")]
    assert len(said) == int(missed)
