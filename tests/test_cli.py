"""The `envoy` command line: help, exit codes, one-line usage errors, and the commands."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import unicodedata

import pytest

from game.cli import main
from game.paths import PROJECT_DIR, SCENARIO_DIR

COMMANDS = ["demo", "validate", "simulate", "schema"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """main(argv) -> (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def exits(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int | str | None, str]:
    """For --help and --version, which leave through SystemExit: (code, stdout)."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as leaving:
        main(list(argv))
    return leaving.value.code, capsys.readouterr().out


def report(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    code, out, err = run(capsys, "simulate", *argv, "--json")
    assert (code, err) == (0, "")
    return json.loads(out)


def without(mapping: dict, *keys: str) -> dict:
    return {k: v for k, v in mapping.items() if k not in keys}


# ------------------------------------------------------------- help, version


def test_version(capsys):
    code, out = exits(capsys, "--version")
    assert code == 0
    assert out.startswith("envoy ")
    assert out.strip().endswith("(scenario format 2)")


def test_top_level_help_lists_every_command(capsys):
    code, out = exits(capsys, "--help")
    assert code == 0
    assert out.startswith("usage: envoy")
    for command in COMMANDS:
        assert command in out


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help(capsys, command):
    code, out = exits(capsys, command, "--help")
    assert code == 0
    assert out.startswith(f"usage: envoy {command}")


def test_python_dash_m_game_runs_the_cli():
    env = {**os.environ, "PYGAME_HIDE_SUPPORT_PROMPT": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "game", "--version"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("envoy ")
    assert "scenario format 2" in done.stdout


# ------------------------------------------------------------- usage errors


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["simulate"], "give one SCENARIO or --all"),
        (["simulate", "tutorial", "--all"], "give one SCENARIO or --all"),
        (["simulate", "tutorial", "--write", "x.md"], "--write needs --markdown"),
        (["simulate", "tutorial", "--json", "--markdown"], "not allowed with argument"),
        (["simulate", "tutorial", "--jobs", "0"], "argument --jobs: 0 is out of range"),
        (["simulate", "tutorial", "--games", "0"], "argument --games: 0 is out of range"),
        (["simulate", "tutorial", "--games", "x"], "argument --games: 'x' is not a whole number"),
        (["simulate", "tutorial", "--seed", "-1"], "argument --seed: -1 is out of range"),
        (["simulate", "tutorial", "--policy", "foo"], "unknown policy 'foo': choose from random"),
        (["simulate", "atlantis"], "unknown scenario 'atlantis' (built-in: border_incident"),
        (["simulate", "no_such_file.yaml"], "no such file: no_such_file.yaml"),
        (["demo", "--scenario", "atlantis"], "unknown scenario 'atlantis'"),
        (["demo", "--seconds-per-screen", "soon"], "'soon' is not a number of seconds"),
        (["demo", "--seconds-per-screen", "-1"], "-1 seconds is out of range"),
        (["play", "--window"], "unrecognized arguments: --window"),
        (["validate"], "the following arguments are required: PATH"),
        (["validate", "no/such/path.yaml"], "no such file or folder: no/such/path.yaml"),
        (["schema", "--colour"], "unrecognized arguments: --colour"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(capsys, argv, expected):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("envoy: error: ")
    assert expected in lines[0]
    assert "Traceback" not in err


# ------------------------------------------------------------------ validate


def test_validate_a_good_file_exits_0(capsys):
    code, out, _ = run(capsys, "validate", str(SCENARIO_DIR / "tutorial.yaml"))
    assert code == 0
    assert out.splitlines() == ["1 file checked: 0 errors, 0 warnings - ok."]


def test_validate_a_bad_file_exits_1_with_file_line_col(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    pathlib.Path("bad.yaml").write_text("format: 1\nid: Bad Id\n", encoding="utf-8")
    code, out, err = run(capsys, "validate", "bad.yaml")
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[0] == "bad.yaml:1:1: error: missing key 'title' (add 'title:')"
    assert "bad.yaml:2:5: error: 'Bad Id' is not a valid id" in out
    assert lines[-1] == f"1 file checked: {len(lines) - 1} errors, 0 warnings."


def test_validate_a_folder_with_a_bad_file_exits_1(capsys, tmp_path):
    # An id of its own: a copy reusing the built-in's id would be warned about.
    good = (
        (SCENARIO_DIR / "tutorial.yaml").read_bytes().replace(b"\nid: tutorial\n", b"\nid: copy\n")
    )
    (tmp_path / "good.yaml").write_bytes(good)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "bad.yml").write_text("- not a mapping\n", encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(tmp_path))
    assert code == 1
    assert out.splitlines()[-1] == "2 files checked: 1 error, 0 warnings."


def test_validate_a_folder_without_yaml_exits_2(capsys, tmp_path):
    (tmp_path / "notes.txt").write_text("not a scenario", encoding="utf-8")
    code, out, err = run(capsys, "validate", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == f"envoy: error: no .yaml files in {tmp_path}\n"


def test_simulate_a_bad_file_exits_1_with_its_problems_on_stderr(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    pathlib.Path("bad.yaml").write_text("format: 3\n", encoding="utf-8")
    code, out, err = run(capsys, "simulate", "bad.yaml", "--games", "1")
    assert (code, out) == (1, "")
    assert err == (
        "bad.yaml:1:9: error: format 3 is newer than this game reads "
        "(this version of Envoy reads format 2; update the game)\n"
    )


# ------------------------------------------------------------------ simulate


def test_simulate_json_report(capsys):
    data = report(capsys, "tutorial", "--games", "5", "--seed", "3", "--policy", "random")
    assert (data["scenario"], data["games"], data["seed"]) == ("tutorial", 5, 3)
    assert list(data["policies"]) == ["random"]
    run_ = data["policies"]["random"]
    assert set(run_["outcomes"]) == {"peace", "stalemate", "conflict"}
    assert sum(run_["outcomes"].values()) == pytest.approx(1.0)
    assert 1 <= run_["mean_turns"] <= 6  # the tutorial lasts six turns
    uses = [m["uses"] for m in run_["moves"].values()]
    assert all(isinstance(n, int) and n >= 0 for n in uses)
    assert sum(uses) > 0
    assert sum(m["share"] for m in run_["moves"].values()) == pytest.approx(1.0, abs=0.01)
    assert isinstance(run_["never_fired"], list)
    assert set(run_["meters"]) == {"ardenia-belmar"}
    assert run_["timing"]["games_per_second"] > 0


def test_simulate_is_reproducible_for_a_seed(capsys):
    argv = ("tutorial", "--games", "5", "--seed", "3", "--policy", "greedy")
    first, second = report(capsys, *argv), report(capsys, *argv)
    for one in (first, second):
        del one["policies"]["greedy"]["timing"]
    assert first == second


def test_simulate_depends_on_the_seed(capsys):
    argv = ("border_incident", "--games", "20", "--policy", "random")
    one = report(capsys, *argv, "--seed", "1")["policies"]["random"]
    two = report(capsys, *argv, "--seed", "2")["policies"]["random"]
    assert without(one, "timing", "seed") != without(two, "timing", "seed")


def test_simulate_text_report(capsys):
    code, out, _ = run(capsys, "simulate", "tutorial", "--games", "3", "--policy", "greedy")
    assert code == 0
    assert out.startswith("Tutorial: The Fishing Quarrel (tutorial): 3 games, seed 1")
    assert "== policy greedy: 3 games" in out
    assert "== policy random" not in out
    assert "events that never fired:" in out
    assert "ardenia-belmar tension" in out


# ------------------------------------------------------------ schema, demo


def test_schema_is_json_with_defs_and_parties(capsys):
    code, out, _ = run(capsys, "schema")
    assert code == 0
    document = json.loads(out)
    assert "$defs" in document
    assert "parties" in document["properties"]


def test_library_schema_describes_moves(capsys):
    code, out, _ = run(capsys, "schema", "--library")
    assert code == 0
    assert "moves" in json.loads(out)["properties"]


def test_text_demo_plays_a_whole_crisis(capsys):
    code, out, err = run(capsys, "demo", "--text", "--scenario", "tutorial", "--seed", "2")
    assert (code, err) == (0, "")
    assert out.startswith("== Tutorial: The Fishing Quarrel ==")
    assert "Outcome:" in out


def test_text_demo_accepts_a_scenario_file(capsys):
    path = SCENARIO_DIR / "tutorial.yaml"
    code, out, _ = run(capsys, "demo", "--text", "--scenario", str(path), "--seed", "2")
    assert code == 0
    assert "Outcome:" in out


def test_policy_names_match_the_agents():
    """--policy lists its choices without loading the AI; they must be the real ones."""
    from game.ai.policies import POLICIES
    from game.cli import POLICY_NAMES

    assert set(POLICY_NAMES) == set(POLICIES)


def test_starting_the_client_loads_no_rules(tmp_path):
    """Plain `envoy` reaches its title screen without importing the engine or the loader."""
    # The real entry point runs up to the window (the mods folders, the settings),
    # and stops as the App is made.
    program = (
        "import os, sys, game.cli, game.ui.app\n"
        "def stop(*args, **kwargs):\n"
        "    print(' '.join(sorted(m for m in sys.modules if m.startswith(('game.engine', "
        "'game.content', 'game.ai', 'cattrs')))), flush=True)\n"
        "    os._exit(0)\n"
        "game.ui.app.App.__init__ = stop\n"
        "game.cli.main(['--saves', sys.argv[1]])\n"
    )
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    done = subprocess.run(
        [sys.executable, "-c", program, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_DIR,
        env=env,
    )
    assert done.stdout.split() == []


# ------------------------------------------- --mods, --saves and --load anywhere

NEEDS = {"validate": ["x.yaml"], "new-scenario": ["dam"], "report": ["s.envoy.json"]}


def captured(monkeypatch, *argv: str):
    """The arguments a command receives from main(argv), after merging."""
    import game.cli

    seen = []
    for name in game.cli.COMMANDS:
        monkeypatch.setitem(game.cli.COMMANDS, name, lambda args: seen.append(args) or 0)
    assert main(list(argv)) == 0
    [args] = seen
    return args


@pytest.mark.parametrize(
    "command", ["play", "demo", "validate", "simulate", "schema", "new-scenario", "docs", "report"]
)
def test_mods_and_saves_go_before_or_after_any_command(monkeypatch, tmp_path, command):
    a, b, saves = tmp_path / "a", tmp_path / "b", tmp_path / "saves"
    rest = NEEDS.get(command, [])
    before = captured(monkeypatch, "--mods", str(a), "--saves", str(saves), command, *rest)
    after = captured(monkeypatch, command, *rest, "--mods", str(a), "--saves", str(saves))
    both = captured(monkeypatch, "--mods", str(a), command, *rest, "--mods", str(b))
    assert before.mods == after.mods == [a]
    assert before.saves == after.saves == saves
    assert both.mods == [a, b]  # those before the command first


def test_the_simulate_command_of_the_issue_is_accepted(monkeypatch, tmp_path):
    args = captured(monkeypatch, "simulate", "river_dispute", "--mods", str(tmp_path))
    assert (args.scenario, args.mods) == ("river_dispute", [tmp_path])


def test_load_works_with_or_without_play(monkeypatch, tmp_path):
    save = tmp_path / "class.envoy.json"
    for argv in (
        ["--load", str(save)],
        ["play", "--load", str(save)],
        ["--load", str(save), "play"],
    ):
        args = captured(monkeypatch, *argv)
        assert (args.command, args.load) == ("play", save)


def test_load_with_another_command_is_a_usage_error(capsys, tmp_path):
    code, out, err = run(capsys, "--load", str(tmp_path / "x.envoy.json"), "simulate", "tutorial")
    assert (code, out) == (2, "")
    assert err == "envoy: error: --load opens a saved game: give it to 'envoy' or 'envoy play'\n"


def test_envoy_load_opens_the_save_in_the_game(monkeypatch, tmp_path):
    import game.ui.main
    from game.content.loader import load_scenario
    from game.session.match import Match, Seat, Source
    from game.session.saves import save_match

    result = load_scenario(SCENARIO_DIR / "border_incident.yaml")
    seats = [Seat("un_envoy"), Seat("norland_fm"), Seat("vellmark_fm")]
    match = Match.start(result.unwrap(), Source.of(result), 2, seats)
    save = save_match(match, tmp_path / "class.envoy.json")
    opened = []
    monkeypatch.setattr(game.ui.main, "run", lambda saves, **kw: opened.append(kw) or 0)
    assert main(["--load", str(save), "--saves", str(tmp_path)]) == 0
    assert opened[0]["match"].scenario.id == "border_incident"


@pytest.mark.parametrize("where", ["before", "after"])
def test_a_mods_folder_that_is_a_file_is_one_line(capsys, tmp_path, where):
    plain = tmp_path / "mods.txt"
    plain.write_text("not a folder", "utf-8")
    argv = ["--mods", str(plain), "simulate", "tutorial"]
    if where == "after":
        argv = ["simulate", "tutorial", "--mods", str(plain)]
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err == f"envoy: error: --mods {plain}: not a folder\n"


# ------------------------------------------------------- crises found by id


def river_mod(folder: pathlib.Path) -> pathlib.Path:
    from game.content import starter

    folder.mkdir(parents=True, exist_ok=True)
    text = starter.starter_text("river").replace("id: river", "id: river_dispute", 1)
    path = folder / "river.yaml"
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize("where", ["before", "after"])
def test_simulate_finds_a_mod_crisis_by_its_id(capsys, tmp_path, where):
    river_mod(tmp_path / "mods")
    argv = ["simulate", "river_dispute", "--games", "2", "--policy", "random"]
    mods = ["--mods", str(tmp_path / "mods")]
    code, out, err = run(capsys, *(mods + argv if where == "before" else argv + mods))
    assert (code, err) == (0, "")
    assert out.startswith("River (river_dispute): 2 games")


def test_the_text_demo_finds_a_mod_crisis_by_its_id(capsys, tmp_path, monkeypatch):
    river_mod(tmp_path / "mods")
    monkeypatch.setenv("ENVOY_MODS_DIR", str(tmp_path / "mods"))  # the user's folder
    code, out, err = run(capsys, "demo", "--text", "--scenario", "river_dispute")
    assert (code, err) == (0, "")
    assert out.startswith("== River ==")


def test_an_unknown_crisis_lists_the_mods_and_names_the_file(capsys, tmp_path):
    river_mod(tmp_path / "mods")
    code, _, err = run(capsys, "simulate", "river", "--mods", str(tmp_path / "mods"))
    assert code == 2
    assert "(built-in: border_incident, " in err
    assert "; from mods: river_dispute; river.yaml holds the crisis 'river_dispute')" in err


def test_a_mod_file_name_is_found_from_any_folder(capsys, tmp_path, monkeypatch):
    river_mod(tmp_path / "mods")
    monkeypatch.chdir(tmp_path)
    argv = ("simulate", "river.yaml", "--games", "1", "--policy", "random")
    code, out, _ = run(capsys, *argv, "--mods", "mods")
    assert code == 0 and out.startswith("River (river_dispute)")
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert err == "envoy: error: no such file: river.yaml (not in the current folder)\n"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["simulate", "a\x00b.yaml"], "no such file: a\\x00b.yaml"),
        (["simulate", "a" * 300 + ".yaml"], "no such file: aaa"),
        (["simulate", "a" * 300], "unknown scenario 'aaa"),
        (["simulate", "../../../etc/passwd.yaml"], "no such file: ../../../etc/passwd.yaml"),
        (["demo", "--text", "--scenario", "a\x00b"], "unknown scenario 'a\\x00b'"),
        (["--mods", "a\x00b"], "argument --mods: a path cannot hold a NUL character"),
        (["--mods", "a" * 300], "no such mods folder: aaa"),
        (["simulate", "x", "--mods", ""], "argument --mods: an empty path"),
        (["--saves", ""], "argument --saves: an empty path"),
        (["--load", ""], "argument --load: an empty path"),
        (["--mods", "/dev/null"], "--mods /dev/null: not a folder"),
    ],
    ids=[
        "nul-file",
        "long-file",
        "long-id",
        "climbing-file",
        "nul-id",
        "nul-mods",
        "long-mods",
        "empty-mods",
        "empty-saves",
        "empty-load",
        "device-mods",
    ],
)
def test_names_no_file_can_have_are_one_line(capsys, tmp_path, argv, expected):
    river_mod(tmp_path / "mods")  # a mods folder to look in, too
    if argv[0] == "simulate" and "--mods" not in argv:
        argv = [*argv, "--mods", str(tmp_path / "mods")]
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("envoy: error: ")
    assert expected in err and len(err) < 1000


def test_a_mistyped_crisis_gets_a_did_you_mean(capsys, tmp_path):
    river_mod(tmp_path / "mods")
    code, _, err = run(capsys, "simulate", "river_dispte", "--mods", str(tmp_path / "mods"))
    assert code == 2
    assert err.startswith(
        "envoy: error: unknown scenario 'river_dispte', did you mean 'river_dispute'? ("
    )


def test_the_shipped_schemas_hold_no_invisible_character(capsys):
    # The schema lists the characters validate refuses; written raw, a bidi override in
    # it would reorder the lines an editor or a terminal shows.
    for path in SCENARIO_DIR.glob("*.schema.json"):
        text = path.read_text("utf-8")
        invisible = {c for c in text if unicodedata.category(c)[0] == "C" and c != "\n"}
        assert not invisible, (path.name, sorted(map(hex, map(ord, invisible))))
        json.loads(text)
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["$defs"]
