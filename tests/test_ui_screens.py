"""Every screen at 1280×720 and 1920×1080, saved as test artifacts to be looked at.

Besides the pictures, each screen is checked for what a player needs on it,
and for widgets that spill out of the window.
"""

from __future__ import annotations

import pygame
import pytest
from pygame_gui.elements import UITextBox
from uidrive import ARTIFACTS, buttons, make_app, press, pump, run_until, scene_name, shoot

from game.content import loader
from game.session.match import AI, HUMAN, Match, Seat, Source

SIZES = [(1280, 720), (1920, 1080)]
BROKEN = """format: 1
id: broken
title: A broken crisis
summary: It has mistakes on purpose.
turns: 0
"""


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    monkeypatch.setenv("ENVOY_CONFIG_DIR", str(tmp_path / "config"))


def inside_window(app) -> None:
    width, height = app.size
    for widget in buttons(app):
        rect = widget.rect
        assert rect.left >= 0 and rect.right <= width, (widget.text, rect)
        assert rect.top >= 0 and rect.bottom <= height, (widget.text, rect)


def box_texts(app) -> list[str]:
    return [
        e.html_text
        for e in app.ui.get_sprite_group().sprites()
        if isinstance(e, UITextBox) and e.alive()
    ]


def border_match(seed: int = 4) -> Match:
    result = loader.load_scenario(loader.SCENARIO_DIR / "border_incident.yaml")
    seats = [Seat("un_envoy", HUMAN), Seat("norland_fm", AI), Seat("vellmark_fm", AI)]
    return Match.start(result.unwrap(), Source.of(result), seed, seats)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_screen_at_both_sizes(tmp_path, monkeypatch, size):
    from game.ui.scenes.board import open_match
    from game.ui.scenes.title import TitleScene

    folder = ARTIFACTS / "screens" / f"{size[0]}x{size[1]}"
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN)
    builtin = loader.builtin_scenarios()
    monkeypatch.setattr(loader, "builtin_scenarios", lambda: [*builtin, broken])
    app = make_app(tmp_path / "saves", size)
    assert app.size == size

    def snap(name: str) -> None:
        pump(app, 2)
        inside_window(app)
        shoot(app, folder, name)

    app.push(TitleScene(app))
    snap("01-title")
    press(app, pygame.K_h)
    snap("02-how-to-play")
    press(app, pygame.K_ESCAPE)
    press(app, pygame.K_s)
    snap("03-settings")
    press(app, pygame.K_ESCAPE)
    press(app, pygame.K_n)
    snap("04-scenarios")
    while "errors" not in app.scene.details.html_text:
        press(app, pygame.K_DOWN)
    assert not app.scene.choose_button.is_enabled
    snap("05-scenarios-broken")
    while "Border Incident" not in app.scene.details.html_text:
        press(app, pygame.K_DOWN)
    press(app, pygame.K_RETURN)
    snap("06-setup")
    press(app, pygame.K_RETURN)
    snap("07-briefing")
    assert any("Your private agenda" in text for text in box_texts(app))

    match = border_match()
    open_match(app, match)
    run_until(app, lambda: scene_name(app) == "board" and app.scene.human_turn)
    board = app.scene
    snap("08-board")
    board.hover = ("relation", 0)
    board.dirty = True
    snap("09-board-relation-details")
    board.hover = None
    press(app, pygame.K_PAGEUP)
    press(app, pygame.K_PAGEUP)
    snap("10-board-log-why")
    press(app, pygame.K_a)
    run_until(app, lambda: board.advice != "", frames=600)
    snap("11-board-advisor")
    press(app, pygame.K_ESCAPE)
    press(app, pygame.K_ESCAPE)
    snap("12-menu")
    press(app, pygame.K_s)
    snap("13-save-dialog")
    press(app, pygame.K_RETURN)
    press(app, pygame.K_ESCAPE)
    press(app, pygame.K_l)
    snap("14-load")
    press(app, pygame.K_ESCAPE)
    press(app, pygame.K_ESCAPE)
    press(app, pygame.K_e)
    run_until(app, lambda: scene_name(app) == "resolution")
    press(app, pygame.K_SPACE)
    press(app, pygame.K_w)
    snap("15-resolution")

    def onward():
        name = scene_name(app)
        if name == "resolution":
            press(app, pygame.K_s)
        elif name == "board" and app.scene.human_turn:
            press(app, pygame.K_e)

    run_until(app, lambda: scene_name(app) in ("decision", "debrief"), frames=5000, on_frame=onward)
    if scene_name(app) == "decision":
        snap("16-decision")
        press(app, pygame.K_1)
    run_until(
        app,
        lambda: scene_name(app) == "debrief",
        frames=20_000,
        on_frame=lambda: press(app, pygame.K_1) if scene_name(app) == "decision" else onward(),
    )
    snap("17-debrief")
    assert len(list(folder.glob("*.png"))) >= 16
