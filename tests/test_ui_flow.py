"""The whole game through its screens, driven by posted keyboard and mouse events."""

from __future__ import annotations

import os
import subprocess
import sys

import pygame
import pytest
from uidrive import (
    ARTIFACTS,
    buttons,
    click,
    click_button,
    make_app,
    press,
    pump,
    run_demo,
    run_until,
    scene_name,
    shoot,
)

from game.engine.actions import Play
from game.engine.state import state_hash
from game.session.saves import SaveFolder, load_match


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    monkeypatch.setenv("ENVOY_CONFIG_DIR", str(tmp_path / "config"))


def to_board(app) -> None:
    """Title -> browser -> setup -> briefing -> board, by keyboard."""
    from game.ui.scenes.title import TitleScene

    app.push(TitleScene(app))
    pump(app)
    press(app, pygame.K_n)
    assert scene_name(app) == "scenarios"
    while "Border Incident" not in app.scene.details.html_text:
        press(app, pygame.K_DOWN)
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "setup"
    assert app.scene.kinds[0] == "human"
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "briefing"
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "board"


def human_turn(app) -> bool:
    return scene_name(app) == "board" and app.scene.human_turn


def answer_anything(app) -> None:
    """Move the game on from whatever screen needs an answer (not the board)."""
    name = scene_name(app)
    if name == "resolution":
        press(app, pygame.K_SPACE, frames=1)
    elif name == "decision":
        press(app, pygame.K_1)


def test_a_whole_game_by_keyboard_and_mouse_with_save_and_load(tmp_path):
    app = make_app(tmp_path / "saves")
    to_board(app)
    board = app.scene
    match = board.match
    run_until(app, lambda: human_turn(app), on_frame=lambda: answer_anything(app))

    # keyboard: pick the second playable card and choose it
    press(app, pygame.K_DOWN)
    card = board.current_card()
    assert card.action is not None
    press(app, pygame.K_RETURN)
    assert any(c.move == match.scenario.move_index(card.move.id) for c in match.state.pending)

    # mouse: click another playable card, then the Choose button
    board = app.scene
    playable = [
        (i, r)
        for i, r in board.card_rects
        if board.cards[i].action is not None and board.cards_area.collidepoint(r.center)
    ]
    index, rect = playable[-1]
    chosen_before = len(match.state.pending)
    click(app, rect.center)
    assert board.selected == index
    click_button(app, "Choose")
    assert len(match.state.pending) == chosen_before + 1

    # withdraw with Backspace, then end the turn with the mouse
    press(app, pygame.K_BACKSPACE)
    assert len(match.state.pending) == chosen_before
    click_button(app, "End turn")
    run_until(app, lambda: scene_name(app) == "resolution")
    while scene_name(app) == "resolution":
        press(app, pygame.K_SPACE, frames=1)
    run_until(app, lambda: human_turn(app), on_frame=lambda: answer_anything(app))
    assert match.state.turn == 2

    # the log shows its why
    press(app, pygame.K_PAGEUP)
    assert app.scene.log_index >= 0

    # save under a name (Ctrl+S, Enter), remember the game, play on, then load it
    press(app, pygame.K_s, pygame.KMOD_CTRL)
    assert scene_name(app) == "save"
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "board"
    saved_hash = state_hash(match.state)
    named = [i for i in SaveFolder(tmp_path / "saves").listing() if not i.autosave]
    assert len(named) == 1 and named[0].turn == 2
    press(app, pygame.K_e)
    run_until(app, lambda: human_turn(app) or match.over, on_frame=lambda: answer_anything(app))
    press(app, pygame.K_ESCAPE)
    assert scene_name(app) == "menu"
    press(app, pygame.K_l)
    assert scene_name(app) == "load"
    load = app.scene
    load.picker.select([i.path for i in load.infos].index(named[0].path))
    click_button(app, "Load")
    assert scene_name(app) == "board"
    loaded = app.scene.match
    assert loaded is not match and state_hash(loaded.state) == saved_hash

    # finish: end every turn, answer decisions, watch every resolution
    def finish_turn():
        if human_turn(app):
            press(app, pygame.K_e)
        else:
            answer_anything(app)

    run_until(app, lambda: scene_name(app) == "debrief", frames=20_000, on_frame=finish_turn)
    assert loaded.over
    assert "Back to title" in [b.text for b in buttons(app)]
    shoot(app, ARTIFACTS / "flow", "debrief")
    autosaves = SaveFolder(tmp_path / "saves").autosaves()
    assert 1 <= len(autosaves) <= 5


def test_the_board_plays_without_a_mouse_and_shows_odds(tmp_path):
    app = make_app(tmp_path / "saves")
    to_board(app)
    run_until(app, lambda: human_turn(app), on_frame=lambda: answer_anything(app))
    board = app.scene
    card = next(c for c in board.cards if c.action is not None and len(c.plays) > 1)
    board.selected = board.cards.index(card)
    first = card.action
    press(app, pygame.K_RIGHT)
    assert card.action != first and isinstance(card.action, Play)
    seen = board.card_preview(card)
    assert 0 <= seen.chance <= 1
    press(app, pygame.K_a)  # the advisor thinks in chunks
    run_until(app, lambda: board.advice != "", frames=600)
    assert board.table.advice_action is not None
    press(app, pygame.K_TAB)
    assert board.focus == ("party", 0)


def test_illegal_cards_say_why(tmp_path):
    app = make_app(tmp_path / "saves")
    to_board(app)
    run_until(app, lambda: human_turn(app), on_frame=lambda: answer_anything(app))
    board = app.scene
    blocked = [c for c in board.cards if c.action is None]
    assert blocked, "border incident has moves that need more than the first turn allows"
    assert all(c.reason for c in blocked)


def test_a_damaged_save_is_refused_on_the_load_screen(tmp_path):
    from game.ui.scenes.menus import LoadScene

    saves = tmp_path / "saves"
    saves.mkdir()
    (saves / "broken.envoy.json").write_text('{"format": "envoy-save", "version": 1')
    app = make_app(saves)
    app.push(LoadScene(app))
    pump(app)
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "load"
    assert "damaged" in app.scene.detail.text


def test_command_line_refuses_a_damaged_save(tmp_path):
    path = tmp_path / "bad.envoy.json"
    path.write_bytes(b"\x00\x01garbage")
    result = subprocess.run(
        [sys.executable, "-m", "game", "play", "--load", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "SDL_VIDEODRIVER": "dummy"},
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "envoy: error: bad.envoy.json is not an Envoy save"


def test_demo_plays_to_the_debrief_and_saves_every_screen(tmp_path):
    saves = tmp_path / "saves"
    result, names = run_demo(tmp_path, "--scenario", "tutorial")
    assert result.returncode == 0, result.stderr
    expected = {"title", "howto", "settings", "load", "scenarios", "setup", "briefing", "board"}
    assert expected | {"resolution", "debrief"} <= names
    folder = SaveFolder(saves)
    newest = folder.autosaves()[0]
    assert load_match(newest).scenario.id == "tutorial" and load_match(newest).over
    assert folder.to_continue() is None  # the demo's game is over: nothing to continue
