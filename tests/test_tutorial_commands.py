"""The tutorial runs as written: every `envoy` command in MODDING.md's "Write your first
crisis" and in the README's "Writing a crisis" is run in order, in a fresh folder with
its own user mods folder, and must exit 0 (as python-chess runs its README)."""

from __future__ import annotations

import os
import pathlib
import re
import shlex
import subprocess
import sys

import pytest

from game.cli import build_parser, main
from game.content import mods
from game.paths import PROJECT_DIR

SECTIONS = {
    "MODDING.md": ("## Write your first crisis in 15 minutes", 6),
    "README.md": ("## Writing a crisis", 3),
}
MOST_GAMES = 2  # a thousand games measure balance; two run the same code, which is what is checked
COMMAND = re.compile(r"^    (envoy\b.*)$|`(envoy\b[^`]*)`", re.M)


def tutorial_commands(document: str) -> list[list[str]]:
    """The `envoy` commands of a document's tutorial section, in the order a reader meets them:
    the indented command lines and the inline ones."""
    heading, _ = SECTIONS[document]
    text = (PROJECT_DIR / document).read_text("utf-8")
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    section = text[start : end if end != -1 else len(text)]
    return [shlex.split(m.group(1) or m.group(2)) for m in COMMAND.finditer(section)]


def opens_a_window(argv: list[str]) -> bool:
    args = build_parser().parse_args(argv[1:])
    if args.command in (None, "play"):
        return True
    return args.command == "demo" and not (args.headless or args.text)


def fewer_games(argv: list[str]) -> list[str]:
    out = list(argv)
    for index, word in enumerate(out[:-1]):
        if word in ("--games", "--search-games"):
            out[index + 1] = str(min(int(out[index + 1]), MOST_GAMES))
    return out


def check_window_command(argv, monkeypatch) -> None:
    """The game's window cannot open in a test: the command runs up to it, and the
    crises it would offer must be there, without errors."""
    import game.ui.main

    opened = []
    monkeypatch.setattr(game.ui.main, "run", lambda saves, **kw: opened.append(kw) or 0)
    assert main(argv[1:]) == 0, argv
    [options] = opened
    offered = [e for e in mods.catalogue(options["mods"]) if e.is_mod]
    assert all(e.result.ok for e in offered), argv
    if "--mods" in argv:
        assert offered, argv


@pytest.mark.parametrize("document", list(SECTIONS))
def test_the_tutorial_commands_work_as_written(document, tmp_path, monkeypatch):
    commands = tutorial_commands(document)
    assert len(commands) >= SECTIONS[document][1], commands  # the extraction found them
    folder, user_mods = tmp_path / "work", tmp_path / "user-mods"
    folder.mkdir()
    env = {
        **os.environ,
        "ENVOY_MODS_DIR": str(user_mods),
        "ENVOY_CONFIG_DIR": str(tmp_path / "config"),
        "SDL_VIDEODRIVER": "dummy",
        "SDL_AUDIODRIVER": "dummy",
    }
    monkeypatch.chdir(folder)
    monkeypatch.setenv("ENVOY_MODS_DIR", str(user_mods))
    for argv in commands:
        if opens_a_window(argv):
            check_window_command(argv, monkeypatch)
            continue
        done = subprocess.run(
            [sys.executable, "-m", "game", *fewer_games(argv)[1:]],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, f"{shlex.join(argv)}\n{done.stdout}\n{done.stderr}"


def test_the_commands_are_found_in_order():
    commands = [shlex.join(argv) for argv in tutorial_commands("MODDING.md")]
    new = commands.index("envoy new-scenario dam_crisis --dir my_crises")
    check = commands.index("envoy validate my_crises/dam_crisis.yaml")
    simulate = commands.index(
        "envoy simulate dam_crisis --mods my_crises --games 1000 --policy greedy"
    )
    assert new < check < simulate
    assert fewer_games(["envoy", "simulate", "x", "--games", "1000"])[-1] == str(MOST_GAMES)


def test_the_step_the_issue_found_broken_works_from_the_games_folder(tmp_path, capsys):
    """`envoy simulate dam_crisis.yaml` in the game's folder, after a plain `envoy
    new-scenario dam_crisis`: the file is in the user mods folder, and is found there."""
    user_mods = pathlib.Path(os.environ["ENVOY_MODS_DIR"])
    assert not user_mods.exists()
    try:
        assert main(["new-scenario", "dam_crisis"]) == 0
        capsys.readouterr()
        code = main(["simulate", "dam_crisis.yaml", "--games", "2", "--policy", "random"])
        out = capsys.readouterr().out
        assert code == 0 and out.startswith("Dam crisis (dam_crisis)")
        assert main(["simulate", "dam_crisis", "--games", "2", "--policy", "random"]) == 0
    finally:
        import shutil

        shutil.rmtree(user_mods, ignore_errors=True)


@pytest.mark.parametrize("where", [[], ["--dir", "my crises"]], ids=["mods-folder", "dir"])
def test_the_commands_new_scenario_prints_work_when_pasted(tmp_path, monkeypatch, capsys, where):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ENVOY_MODS_DIR", str(tmp_path / "user mods"))
    assert main(["new-scenario", "dam_crisis", *where]) == 0
    lines = capsys.readouterr().out.splitlines()
    printed = [line.split(": ", 1)[-1] for line in lines]
    commands = [shlex.split(text) for text in printed if text.startswith("envoy ")]
    expected = ["validate", "--mods", "simulate"] if where else ["validate", "simulate"]
    assert [argv[1] for argv in commands] == expected
    for argv in commands:
        if opens_a_window(argv):
            check_window_command(argv, monkeypatch)
        else:
            assert main(fewer_games(argv)[1:]) == 0, argv
