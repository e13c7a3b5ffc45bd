"""Files from users and files for users: special files, odd paths, leftovers, permissions."""

from __future__ import annotations

import contextlib
import errno
import os
import pathlib
import stat
import time

import pytest

from game import cli, files
from game.content.loader import SCENARIO_DIR, load_scenario
from game.files import NotAFile, TooLarge, describe, read_regular, write_atomic
from game.session.match import HUMAN, Match, Seat, Source
from game.session.saves import SaveFolder, save_match
from game.session.settings import Settings, load_settings, save_settings

posix = pytest.mark.skipif(os.name != "posix", reason="needs POSIX modes, FIFOs and /dev")
RESULT = load_scenario(SCENARIO_DIR / "border_incident.yaml")


def a_match() -> Match:
    seats = (Seat("un_envoy", HUMAN), Seat("norland_fm"), Seat("vellmark_fm"))
    return Match.start(RESULT.unwrap(), Source.of(RESULT), 5, seats)


@contextlib.contextmanager
def umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: pathlib.Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ------------------------------------------------------------------ reading


@posix
@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: os.mkfifo(p), "it is a FIFO (a named pipe), not a file"),
        (lambda p: p.mkdir(), "it is a folder, not a file"),
        (lambda p: p.symlink_to("/dev/zero"), "it is a device, not a file"),
        (lambda p: p.symlink_to("/dev/null"), "it is a device, not a file"),
    ],
    ids=["fifo", "folder", "dev-zero", "dev-null"],
)
def test_only_regular_files_are_read_and_the_rest_are_named(tmp_path, make, words):
    path = tmp_path / "thing"
    make(path)
    with pytest.raises(NotAFile) as caught:
        read_regular(path, 1000)
    assert describe(caught.value) == words


def test_a_file_over_the_limit_is_refused_from_its_size(tmp_path):
    path = tmp_path / "big"
    with open(path, "wb") as file:
        file.truncate(10**9)  # sparse
    with pytest.raises(TooLarge, match="1,000,000,000 bytes"):
        read_regular(path, 1000)
    path.write_bytes(b"x" * 1000)
    assert read_regular(path, 1000) == b"x" * 1000


def test_a_link_to_a_regular_file_is_read(tmp_path):
    (tmp_path / "real").write_bytes(b"data")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert read_regular(tmp_path / "link", 10) == b"data"


@posix
def test_the_settings_file_is_never_waited_on(tmp_path):
    os.mkfifo(tmp_path / "settings.json")
    settings, note = load_settings(tmp_path)
    assert settings == Settings() and "FIFO" in note


@pytest.mark.parametrize(
    "text", ['{"width": ' + "9" * 5000 + "}", '{"width": 1e999}', '{"width": NaN}', "[" * 100_000]
)
def test_a_hostile_settings_file_gives_the_defaults(tmp_path, text):
    (tmp_path / "settings.json").write_text(text)
    settings, note = load_settings(tmp_path)
    assert settings == Settings()
    assert note == "" or "using defaults" in note


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (errno.ENAMETOOLONG, "a name in the path is too long"),
        (errno.EACCES, "permission denied"),
        (errno.EROFS, "the disk is read-only"),
        (errno.ENOSPC, "the disk is full"),
        (errno.ENOTDIR, "a part of the path is a file, not a folder"),
    ],
)
def test_every_write_failure_is_said_in_a_few_words(number, words):
    assert describe(OSError(number, os.strerror(number), "x")) == words


# ------------------------------------------------------------------ writing


@posix
@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_written_files_follow_the_umask_as_any_program_does(tmp_path, mask, expected):
    with umask(mask):
        write_atomic(tmp_path / "plain.txt", b"x")
        save = save_match(a_match(), tmp_path / "game.envoy.json")
        save_settings(Settings(), tmp_path)
        assert cli.main(["report", str(save), "--out", str(tmp_path / "report")]) == 0
        assert cli.main(["new-scenario", "my_crisis", "--dir", str(tmp_path / "mods")]) == 0
    written = [
        tmp_path / "plain.txt",
        save,
        tmp_path / "settings.json",
        *(tmp_path / "report").iterdir(),
        *(tmp_path / "mods").iterdir(),
    ]
    assert len(written) == 8
    assert {path.name: mode(path) for path in written} == {p.name: expected for p in written}


def _temp(folder: pathlib.Path, target: str, age: float, tag: str = "a1b2c3d_") -> pathlib.Path:
    path = folder / f".{target}.{tag}.tmp"
    path.write_bytes(b"half a save")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_an_interrupted_write_is_cleaned_up_by_the_next_write_into_its_folder(tmp_path):
    stale = files.STALE_TEMP_SECONDS + 60
    old = _temp(tmp_path, "autosave-1.envoy.json", stale)
    other_target = _temp(tmp_path, "report.html", stale, "zz99zz99")
    in_progress = _temp(tmp_path, "named.envoy.json", 5)
    not_ours = [_temp(tmp_path, "notes", stale, "short"), tmp_path / ".notes.tmp"]
    not_ours[1].write_bytes(b"")
    os.utime(not_ours[1], (0, 0))
    (tmp_path / ".dir.abcdefgh.tmp").mkdir()
    (tmp_path / ".link.abcdefgh.tmp").symlink_to(tmp_path / "nowhere")
    write_atomic(tmp_path / "named.envoy.json", b"{}")
    assert not old.exists() and not other_target.exists()
    assert in_progress.exists(), "a write another process has under way is never touched"
    assert all(path.exists() for path in not_ours)
    assert (tmp_path / ".dir.abcdefgh.tmp").is_dir()
    assert (tmp_path / ".link.abcdefgh.tmp").is_symlink()


def test_a_killed_write_leaves_only_a_temp_file_that_the_game_removes_later(tmp_path):
    real_replace = os.replace

    def power_cut(*args):
        raise KeyboardInterrupt

    os.replace = power_cut
    try:
        with pytest.raises(KeyboardInterrupt):
            write_atomic(tmp_path / "a.envoy.json", b"new")
    finally:
        os.replace = real_replace
    assert list(tmp_path.iterdir()) == []  # the writer removes its own temp when it can
    left = _temp(tmp_path, "a.envoy.json", files.STALE_TEMP_SECONDS + 1)
    assert files.remove_stale_temps(tmp_path) == [left]


def test_the_temp_files_are_named_as_the_cleanup_expects(tmp_path, monkeypatch):
    seen = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: seen.extend(tmp_path.iterdir()) or real_fsync(fd))
    write_atomic(tmp_path / "game.envoy.json", b"{}")
    temps = [p for p in seen if p.name.endswith(".tmp")]
    assert temps and all(files._TEMP.fullmatch(p.name) for p in temps)


# ------------------------------------------------------------------ the command line


def _path_arguments():
    """(command words, option) for every argument of every command that is a path."""
    parser = cli.build_parser()
    found = []
    subparsers = next(a for a in parser._actions if a.dest == "command")
    for name, sub in [("", parser), *subparsers.choices.items()]:
        for action in sub._actions:
            if action.type is pathlib.Path:
                found.append((name, action.option_strings[0] if action.option_strings else ""))
    return found


PATH_ARGUMENTS = _path_arguments()


def test_the_path_arguments_are_all_found():
    names = {f"{command} {option}".strip() for command, option in PATH_ARGUMENTS}
    assert {"validate", "report", "report --out", "demo --screenshots", "play --load"} <= names
    assert {"new-scenario --dir", "simulate --write", "--saves", "--mods"} <= names


@pytest.mark.parametrize(("command", "option"), PATH_ARGUMENTS)
@pytest.mark.parametrize("empty", ["", "   "])
def test_no_path_argument_takes_an_empty_path(capsys, command, option, empty):
    argv = [*([command] if command else []), *([option] if option else []), empty]
    extra = {"report --out": ["x.envoy.json"], "new-scenario --dir": ["crisis"]}
    argv += extra.get(f"{command} {option}", [])
    if command == "simulate":
        argv = [*argv, "border_incident", "--markdown"]
    assert cli.main(argv) == cli.USAGE_ERROR
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "an empty path names no file or folder" in err


def test_validate_an_empty_path_does_not_scan_this_folder(capsys):
    assert cli.main(["validate", ""]) == cli.USAGE_ERROR
    assert "checked" not in capsys.readouterr().out


def test_report_out_empty_writes_nothing_here(tmp_path, capsys, monkeypatch):
    save = save_match(a_match(), tmp_path / "g.envoy.json")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["report", str(save), "--out", ""]) == cli.USAGE_ERROR
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.envoy.json"]


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("envoy: error: "), err
    assert "Traceback" not in err
    return err


LONG = "n" * 300  # over the 255 bytes a file name may have on every common file system


@pytest.mark.parametrize(
    ("where", "words"),
    [
        (lambda t: t / "file" / "out", "a part of the path is a file, not a folder"),
        (lambda t: t / "file" / "deeper" / "out", "a part of the path is a file, not a folder"),
        (lambda t: t / LONG, "a name in the path is too long"),
        (lambda t: t / LONG / "out", "a name in the path is too long"),
    ],
    ids=["under-a-file", "deep-under-a-file", "long-name", "long-parent"],
)
def test_report_out_that_cannot_be_written_is_one_line(tmp_path, capsys, where, words):
    save = save_match(a_match(), tmp_path / "g.envoy.json")
    (tmp_path / "file").write_text("")
    assert cli.main(["report", str(save), "--out", str(where(tmp_path))]) == 1
    assert words in one_line_error(capsys)


@pytest.mark.parametrize("length", [255, 200])
def test_a_name_as_long_as_the_disk_allows_is_written_atomically(tmp_path, length):
    path = tmp_path / ("é" * ((length - 11) // 2) + "s" * ((length - 11) % 2) + ".envoy.json")
    assert len(path.name.encode()) == length
    save_match(a_match(), path)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


@posix
def test_a_read_only_folder_is_one_line_for_report_and_new_scenario(tmp_path, capsys):
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    save = save_match(a_match(), tmp_path / "g.envoy.json")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    assert cli.main(["report", str(save), "--out", str(locked / "r")]) == 1
    assert "permission denied" in one_line_error(capsys)
    assert cli.main(["new-scenario", "x_crisis", "--dir", str(locked)]) == 1
    assert "permission denied" in one_line_error(capsys)


@pytest.mark.parametrize(
    "where",
    [
        lambda t: t / "file" / "shots",
        lambda t: t / "missing" / "file" / "shots",
        lambda t: t / LONG,
    ],
    ids=["under-a-file", "under-a-missing-parent-then-a-file", "long-name"],
)
def test_demo_screenshots_that_cannot_be_written_stop_before_the_window(tmp_path, capsys, where):
    (tmp_path / "file").write_text("")
    (tmp_path / "missing").mkdir()
    (tmp_path / "missing" / "file").write_text("")
    argv = ["demo", "--headless", "--screenshots", str(where(tmp_path))]
    assert cli.main([*argv, "--saves", str(tmp_path / "saves")]) == 1
    assert "cannot write screenshots into" in one_line_error(capsys)


def test_demo_screenshots_under_a_missing_parent_are_made(tmp_path, monkeypatch):
    from game.ui import main as ui_main

    seen = {}

    def run(saves, demo, mods):
        seen["demo"] = demo
        return 0

    monkeypatch.setattr(ui_main, "run", run)
    shots = tmp_path / "new" / "deeper" / "shots"
    assert cli.main(["demo", "--headless", "--screenshots", str(shots)]) == 0
    assert shots.is_dir() and seen["demo"].screenshots == shots


@pytest.mark.parametrize("name", [LONG + ".yaml", "missing/crisis.yaml"])
def test_validate_a_path_that_cannot_be_read_is_one_line(tmp_path, capsys, name):
    assert cli.main(["validate", str(tmp_path / name)]) == cli.USAGE_ERROR
    err = one_line_error(capsys)
    assert "too long" in err or "no such file or folder" in err


def test_validate_under_a_file_says_so(tmp_path, capsys):
    (tmp_path / "file").write_text("")
    assert cli.main(["validate", str(tmp_path / "file" / "crisis.yaml")]) == cli.USAGE_ERROR
    assert "a part of the path is a file, not a folder" in one_line_error(capsys)


@posix
def test_simulate_write_never_waits_on_a_fifo_and_a_refused_write_is_one_line(tmp_path, capsys):
    os.mkfifo(tmp_path / "pipe.md")
    argv = ["simulate", "tutorial", "--games", "1", "--policy", "random", "--markdown"]
    assert cli.main([*argv, "--write", str(tmp_path / "pipe.md")]) == cli.USAGE_ERROR
    assert "it is a FIFO" in one_line_error(capsys)
    (tmp_path / "file").write_text("")
    assert cli.main([*argv, "--write", str(tmp_path / "file" / "x.md")]) == cli.USAGE_ERROR
    assert "a part of the path is a file" in one_line_error(capsys)


def test_saving_into_a_folder_under_a_file_says_saves_are_off_and_why(tmp_path):
    (tmp_path / "file").write_text("")
    folder = SaveFolder(tmp_path / "file" / "saves")
    assert folder.try_autosave(a_match()) is False
    assert folder.problem == (
        "Saves are off: a part of the path is a file, not a folder"
        " (cannot write in the folder “saves”)"
    )
    working = SaveFolder(tmp_path / "saves")
    working.problem = folder.problem
    assert working.try_autosave(a_match()) is True
    assert working.problem == ""  # the warning goes once saves work again


def test_a_file_problem_no_command_foresaw_is_still_one_line(capsys, monkeypatch):
    def refused(args):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), "/somewhere/file")

    monkeypatch.setitem(cli.COMMANDS, "schema", refused)
    assert cli.main(["schema"]) == 1
    assert one_line_error(capsys) == "envoy: error: /somewhere/file: permission denied\n"


def test_text_that_is_not_unicode_turns_saves_off_instead_of_crashing(tmp_path):
    seats = (Seat("un_envoy", HUMAN, name="Blue \ud800"), Seat("norland_fm"), Seat("vellmark_fm"))
    match = Match.start(RESULT.unwrap(), Source.of(RESULT), 5, seats)
    folder = SaveFolder(tmp_path)
    assert folder.try_autosave(match) is False
    assert folder.problem.startswith("Saves are off: could not save autosave-")
    assert folder.problem.endswith("the game holds text that is not Unicode")
    assert list(tmp_path.iterdir()) == []


def test_continue_goes_on_from_the_newest_autosave_that_reads(tmp_path):
    folder = SaveFolder(tmp_path)
    older = folder.autosave(a_match())
    newer = folder.autosave(a_match())
    newer.write_bytes(newer.read_bytes()[:100])  # a disk that lost the end of it
    assert folder.to_continue().path == older
    older.write_text("{}")
    assert folder.to_continue() is None
