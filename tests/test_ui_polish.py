"""Smaller symptoms players met: the debrief's keys, Continue, focus and hover, disabled
buttons, and a restyle in the middle of a resolution. Each through the real app loop."""

from __future__ import annotations

import dataclasses

import pygame
import pytest
from matchplay import finish, new_match, play
from uidrive import ARTIFACTS, buttons, click, make_app, press, pump, run_until, scene_name, shoot

from game.session.saves import SaveFolder

SHOTS = ARTIFACTS / "polish"


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    monkeypatch.setenv("ENVOY_CONFIG_DIR", str(tmp_path / "config"))


def finished_match():
    match = new_match(3)
    finish(match, 3)
    assert match.over
    return match


def button_named(app, text: str):
    found = [b for b in buttons(app) if b.text.startswith(text)]
    assert found, f"no button '{text}' among {[b.text for b in buttons(app)]}"
    return found[-1]


# Continue ------------------------------------------------------------------------------
def test_continue_offers_no_finished_game_and_load_opens_it_on_its_debrief(tmp_path):
    saves = tmp_path / "saves"
    folder = SaveFolder(saves)
    match = new_match(3)
    match.on_turn_start = folder.autosave
    finish(match, 3)
    assert len(folder.autosaves()) > 1  # the finished game and its last turn's start
    app = make_app(saves)
    app.push("title")
    pump(app, 2)
    cont = button_named(app, "Continue")
    assert not cont.is_enabled
    assert cont.drawable_shape.active_state.state_id == "disabled"
    press(app, pygame.K_c)
    assert scene_name(app) == "title"
    press(app, pygame.K_l)
    assert scene_name(app) == "load"
    picker = app.scene.picker
    finished = [info.over for info in app.scene.infos]
    picker.select(finished.index(True))
    press(app, pygame.K_RETURN)
    run_until(app, lambda: scene_name(app) == "debrief", frames=60)


def test_continue_goes_on_with_the_game_not_over(tmp_path):
    saves = tmp_path / "saves"
    folder = SaveFolder(saves)
    going = new_match(3)
    going.on_turn_start = folder.autosave
    while going.state.turn < 3 and not going.over:
        play(going, 1)
    assert not going.over
    played = new_match(4)  # a game finished later: its last turn's start and its end saved
    finish(played, 4)
    last_start = max(played.turn_starts.values())
    done = new_match(4)
    for number, action in enumerate(played.actions, 1):
        if number == last_start:
            done.on_turn_start = folder.autosave
        done.apply(action)
    autosaves = folder.autosaves()
    assert len(autosaves) <= 5 and folder.info(autosaves[0]).over
    assert not folder.info(autosaves[1]).over and folder.info(autosaves[1]).game
    app = make_app(saves)
    app.push("title")
    pump(app, 2)
    assert button_named(app, "Continue").is_enabled
    assert app.scene.continue_info.endswith("turn 3")
    press(app, pygame.K_c)
    run_until(app, lambda: app.stack[0].name == "board", frames=60)
    assert app.stack[0].match.actions == going.actions


# Changing the UI scale mid-game --------------------------------------------------------
@pytest.mark.parametrize(
    "change", [{"ui_scale": 150}, {"projector": True}, {"palette": "colour_blind"}], ids=str
)
def test_a_restyle_during_the_resolution_keeps_its_buttons_on_top(tmp_path, monkeypatch, change):
    from test_ui_screens import border_match

    app = make_app(tmp_path / "saves")
    app.open("open-match", border_match())
    run_until(app, lambda: scene_name(app) == "board" and app.scene.human_turn)
    press(app, pygame.K_e)
    run_until(app, lambda: scene_name(app) == "resolution")
    app.apply_settings(dataclasses.replace(app.settings, **change))
    pump(app, 2)
    resolution = app.scene
    assert scene_name(app) == "resolution"
    shoot(app, SHOTS, f"resolution-after-{'-'.join(map(str, change.values()))}")
    board = app.stack[0]
    below = max(e.get_top_layer() for e in board.root.elements)
    for text in ("Next", "Skip all", "Why?"):
        widget = button_named(app, text)
        assert widget.is_enabled and widget.visible
        assert widget.get_top_layer() > below  # drawn over the board's greyed buttons
        # the pointer there is over the top scene's button, not the board's below it
        monkeypatch.setattr(pygame.mouse, "get_pos", lambda at=widget.rect.center: at)
        pump(app, 2)
        assert widget.hovered or widget is resolution.menu.chosen  # chosen: no hover look
        assert not any(b.hovered for b in buttons(app) if b.ui_container is board.root)
    monkeypatch.undo()
    assert not resolution.why
    click(app, button_named(app, "Why?").rect.center)
    assert resolution.why
    step = resolution.index
    click(app, button_named(app, "Next").rect.center)
    assert resolution.index == step + 1 or scene_name(app) != "resolution"
    for scene in app.stack[:-1]:
        assert scene.root.get_top_layer() < app.scene.root.get_top_layer()
