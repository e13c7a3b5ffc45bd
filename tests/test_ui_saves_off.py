"""A save folder that refuses writes: the class plays on, and the screen says saves are off."""

from __future__ import annotations

import errno
import os

import pygame
import pytest
from uidrive import ARTIFACTS, click_button, make_app, press, pump, run_until, scene_name, shoot

from game import files
from game.content.loader import SCENARIO_DIR, load_scenario
from game.session.match import HUMAN, Match, Seat, Source
from game.ui.scenes.board import open_match
from game.ui.scenes.title import TitleScene

RESULT = load_scenario(SCENARIO_DIR / "border_incident.yaml")


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    monkeypatch.setenv("ENVOY_CONFIG_DIR", str(tmp_path / "config"))


def start(app, seats) -> Match:
    match = Match.start(RESULT.unwrap(), Source.of(RESULT), 3, seats)
    app.push(TitleScene(app))
    open_match(app, match)
    pump(app, 2)
    return match


def move_on(app) -> None:
    """Answer whatever the screen asks that is not the board (results, decisions)."""
    if scene_name(app) == "resolution":
        press(app, pygame.K_SPACE, frames=1)
    elif scene_name(app) == "decision":
        press(app, pygame.K_1)


def read_only_disk(monkeypatch) -> None:
    """Every new file refused as on a read-only school share (root ignores chmod)."""
    real_open = os.open

    def refuse(path, flags, *args, **kwargs):
        if flags & os.O_CREAT:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(files.os, "open", refuse)


def test_an_ai_game_plays_to_its_end_with_saves_under_a_file(tmp_path):
    (tmp_path / "file").write_text("")
    app = make_app(tmp_path / "file" / "saves")
    match = start(app, (Seat("un_envoy"), Seat("norland_fm"), Seat("vellmark_fm")))
    assert app.saves.problem == (
        "Saves are off: a part of the path is a file, not a folder"
        " (cannot write in the folder “saves”)"
    )
    assert scene_name(app) == "board"
    press(app, pygame.K_F12)  # a screenshot goes beside the saves: it cannot be written either
    assert app.scene.toast_text == (
        "Screenshot not saved: a part of the path is a file, not a folder"
    )
    turn_starts = 0

    def watch():
        nonlocal turn_starts
        move_on(app)
        turn_starts = max(turn_starts, match.state.turn)

    run_until(app, lambda: match.over and scene_name(app) == "debrief", 6000, watch)
    assert turn_starts >= 3, "several turn-start autosaves failed, and the game went on"
    press(app, pygame.K_x)  # export the report: it cannot be written either
    assert app.scene.exported == (
        "Could not export the report: a part of the path is a file, not a folder"
    )


def test_the_board_warns_while_saves_fail_and_manual_save_says_why(tmp_path, monkeypatch):
    app = make_app(tmp_path / "saves")
    read_only_disk(monkeypatch)
    start(app, (Seat("un_envoy", HUMAN), Seat("norland_fm"), Seat("vellmark_fm")))
    run_until(
        app,
        lambda: scene_name(app) == "board" and app.scene.human_turn,
        on_frame=lambda: move_on(app),
    )
    board = app.scene
    assert board.save_warning == (
        "Saves are off: the disk is read-only (cannot write in the folder “saves”)"
    )
    pump(app, 2)
    shot = shoot(app, ARTIFACTS, "board-saves-off")
    assert shot.exists()
    # the warning is drawn on the log's header line, in the palette's "bad" colour
    area = board.regions["log"]
    corner = pygame.Rect(area.left, area.top, area.width, board.px(30))
    bad = pygame.Color(board.style["bad"])
    assert any(
        app.screen.get_at((x, y))[:3] == bad[:3]
        for x in range(corner.left, corner.right, 2)
        for y in range(corner.top, corner.bottom, 2)
    )
    click_button(app, "Save")
    assert scene_name(app) == "save"
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "save", "a save that failed keeps its dialog open"
    assert app.scene.status.text == "Cannot save: the disk is read-only"  # whole, not cut
    press(app, pygame.K_ESCAPE)
    monkeypatch.undo()  # the disk is writable again: the next save turns the warning off
    monkeypatch.setenv("ENVOY_CONFIG_DIR", str(tmp_path / "config"))
    click_button(app, "Save")
    press(app, pygame.K_RETURN)
    pump(app, 2)
    assert scene_name(app) == "board" and board.save_warning == ""


def test_the_load_screen_lists_hostile_saves_as_unloadable_and_never_waits(tmp_path):
    from game.session.saves import save_match
    from game.ui.scenes.menus import LoadScene

    saves = tmp_path / "saves"
    saves.mkdir()
    match = Match.start(RESULT.unwrap(), Source.of(RESULT), 3, (Seat("un_envoy", HUMAN),))
    good = save_match(match, saves / "good.envoy.json", "A good one")
    text = good.read_text("utf-8")
    (saves / "turn.envoy.json").write_text(
        text.replace('"turn": 1,\n  "outcome"', '"turn": 1e999,\n  "outcome"')
    )
    (saves / "digits.envoy.json").write_text(text.replace('"seed": 3', '"seed": ' + "7" * 5000, 1))
    (saves / "ai.envoy.json").write_text(
        text.replace('"difficulty": "normal"', '"difficulty": "impossible"', 1)
    )
    (saves / "line\nbreak\x1b[2J.envoy.json").write_text(
        text.replace('"A good one"', '"x\\u0000y"')
    )
    (saves / "folder.envoy.json").mkdir()
    (saves / os.fsdecode(b"not-utf8-\xff.envoy.json")).write_text(text.replace(": 3", ": -3"))
    if hasattr(os, "mkfifo"):
        os.mkfifo(saves / "pipe.envoy.json")
        (saves / "zero.envoy.json").symlink_to("/dev/zero")
    app = make_app(saves)
    app.push(TitleScene(app))
    pump(app)
    app.push(LoadScene(app))
    pump(app, 2)
    scene = app.scene
    by_file = {info.path.name: info for info in scene.infos}
    assert by_file["good.envoy.json"].error == ""
    unloadable = [name for name, info in by_file.items() if info.error]
    assert len(unloadable) == len(by_file) - 1
    rows = [item["text"] for item in scene.list.item_list]
    assert all("\n" not in row and "\x1b" not in row for row in rows)
    assert all(row.encode("utf-8") for row in rows)  # drawable: no lone surrogates
    for index, info in enumerate(scene.infos):
        scene.picker.select(index)
        pump(app)
        if info.error:
            press(app, pygame.K_RETURN)
            assert scene_name(app) == "load"
            assert "\n" not in scene.detail.text and "\x1b" not in scene.detail.text
            assert scene.detail.text.startswith("Cannot load: ") or scene.detail.text == info.error
    shoot(app, ARTIFACTS, "load-hostile-saves")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_continue_on_the_title_never_waits_on_a_fifo_or_offers_a_damaged_autosave(tmp_path):
    saves = tmp_path / "saves"
    saves.mkdir()
    os.mkfifo(saves / "autosave-99991231-235959-000000.envoy.json")
    (saves / "autosave-99991231-235958-000000.envoy.json").write_text(
        '{"format": "envoy-save", "version": 2, "seed": 1e999}'
    )
    app = make_app(saves)
    app.push(TitleScene(app))
    pump(app, 2)
    assert app.scene.continue_info == ""
    press(app, pygame.K_c)
    assert scene_name(app) == "title"
