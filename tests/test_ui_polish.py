"""Smaller symptoms players met: the debrief's keys, Continue, focus and hover, disabled
buttons, and a restyle in the middle of a resolution. Each through the real app loop."""

from __future__ import annotations

import dataclasses

import pygame
import pytest
from uidrive import ARTIFACTS, buttons, click, make_app, press, pump, run_until, scene_name, shoot

SHOTS = ARTIFACTS / "polish"


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    monkeypatch.setenv("ENVOY_CONFIG_DIR", str(tmp_path / "config"))


def button_named(app, text: str):
    found = [b for b in buttons(app) if b.text.startswith(text)]
    assert found, f"no button '{text}' among {[b.text for b in buttons(app)]}"
    return found[-1]


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
