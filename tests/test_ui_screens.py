"""Every screen at 1280×720 and 1920×1080 (and in projector mode), saved to be looked at.

Besides the pictures, each screen is checked for what a player needs on it,
and for widgets that spill out of the window.
"""

from __future__ import annotations

import pygame
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pygame_gui.elements import UIButton, UITextBox, UITextEntryLine
from uidrive import (
    ARTIFACTS,
    buttons,
    make_app,
    press,
    pump,
    run_until,
    scene_name,
    shoot,
    type_text,
)

from game.content import loader
from game.session.match import AI, HUMAN, Match, Seat, Source
from game.ui.widgets import FocusRing, plain

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


@pytest.mark.parametrize(
    ("size", "projector"),
    [(size, False) for size in SIZES] + [((1280, 720), True)],
    ids=lambda v: f"{v[0]}x{v[1]}" if isinstance(v, tuple) else ("projector" if v else "standard"),
)
def test_every_screen_at_both_sizes(tmp_path, monkeypatch, size, projector):
    """Every screen at 1280×720 and 1920×1080, and in projector mode at 1280×720."""
    from game.ui.scenes.board import open_match
    from game.ui.scenes.title import TitleScene

    mode = "-projector" if projector else ""
    folder = ARTIFACTS / "screens" / f"{size[0]}x{size[1]}{mode}"
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN)
    builtin = loader.builtin_scenarios()
    monkeypatch.setattr(loader, "builtin_scenarios", lambda: [*builtin, broken])
    app = make_app(tmp_path / "saves", size, projector=projector)
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
    press(app, pygame.K_d)
    assert board.table.shows_drafts
    snap("10a-board-drafts")
    press(app, pygame.K_d)
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
        decision = app.scene
        for option, (widget, _, _) in zip(decision.options, decision.menu.items, strict=True):
            whole = plain(option.text)
            # the whole option is on its button, or (cut there) in the notes below
            assert whole in widget.text or whole in decision.notes.html_text
            assert widget.font.size(widget.text)[0] <= widget.rect.width
        press(app, pygame.K_1)
    run_until(
        app,
        lambda: scene_name(app) == "debrief",
        frames=20_000,
        on_frame=lambda: press(app, pygame.K_1) if scene_name(app) == "decision" else onward(),
    )
    snap("17-debrief")
    assert len(list(folder.glob("*.png"))) >= 16


def class_match(seed: int = 4) -> Match:
    from game.session.match import Classroom

    result = loader.load_scenario(loader.SCENARIO_DIR / "border_incident.yaml")
    seats = [
        Seat("un_envoy", HUMAN, name="The Owls of Room 12"),
        Seat("norland_fm", HUMAN, name="Badgers"),
        Seat("vellmark_fm", AI),
    ]
    match = Match.start(result.unwrap(), Source.of(result), seed, seats)
    match.classroom = Classroom(180, False, Classroom.hash_pin("1234"), True)
    return match


def no_overlaps(app) -> None:
    """Visible widgets of the top scene (not its panels, which hold them) do not overlap,
    and the keyboard's focus ring touches no control but the button it is around."""
    root = app.scene.root
    shown = [
        e
        for e in app.ui.get_sprite_group().sprites()
        if e.alive()
        and e.visible
        and getattr(e, "ui_container", None) is root
        and type(e).__name__ not in ("UIPanel", "UIContainer", "UIVerticalScrollBar")
    ]
    rings = [e for e in shown if isinstance(e, FocusRing)]
    widgets = [e for e in shown if not isinstance(e, FocusRing)]
    rects = [(getattr(e, "text", type(e).__name__), e.rect) for e in widgets]
    for i, (name, rect) in enumerate(rects):
        for other, second in rects[i + 1 :]:
            assert not rect.colliderect(second), (name, other)
    controls = [e for e in widgets if isinstance(e, UIButton | UITextEntryLine)]
    for ring in rings:
        for widget in controls:
            if widget is not ring.menu.chosen:
                assert not ring.rect.colliderect(widget.rect), (ring.menu.chosen.text, widget)


@pytest.mark.parametrize("projector", [False, True], ids=["standard", "projector"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_class_screens_at_both_sizes(tmp_path, size, projector):
    """Hand-off, private brief, reflection, PIN, facilitator, pause; and in projector mode."""
    from game.ui.scenes.board import open_match
    from game.ui.scenes.setup import SetupScene

    mode = "projector" if projector else "standard"
    folder = ARTIFACTS / "screens" / f"class-{mode}-{size[0]}x{size[1]}"
    app = make_app(tmp_path / "saves", size, projector=projector)
    if projector:
        assert app.style.palette == "high_contrast" and app.style.scale >= 1.3

    def snap(name: str) -> None:
        pump(app, 2)
        inside_window(app)
        no_overlaps(app)
        shoot(app, folder, name)

    result = loader.load_scenario(loader.SCENARIO_DIR / "border_incident.yaml")
    app.push(SetupScene(app, result))
    setup = app.scene
    setup.kinds[1] = setup.kinds[2] = HUMAN
    setup._refresh()
    snap("01-setup-class")
    match = class_match()
    open_match(app, match, briefing=True)
    snap("02-briefing-public")
    assert not any("private agenda" in text for text in box_texts(app))
    press(app, pygame.K_RETURN)
    run_until(app, lambda: scene_name(app) == "handoff", frames=300)
    snap("03-handoff")
    press(app, pygame.K_SPACE)
    snap("04-handoff-private-brief")
    assert any("private agenda" in text for text in box_texts(app))
    press(app, pygame.K_RETURN)
    run_until(app, lambda: scene_name(app) == "board" and app.scene.human_turn, frames=600)
    snap("05-board-team-timer")
    board = app.scene
    board.table.timer.spent = 10_000
    board.dirty = True
    pump(app, 2)
    assert board.clock_text() == ("TIME IS UP", "bad")
    snap("06-board-time-is-up")
    press(app, pygame.K_F9)
    snap("07-pin")
    type_text(app, "1234")
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "facilitator"
    snap("08-facilitator")
    press(app, pygame.K_p)
    snap("09-paused")
    press(app, pygame.K_F9)
    type_text(app, "1234")
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "board"
    press(app, pygame.K_e)
    assert scene_name(app) == "reflection"
    snap("10-reflection")
    if projector:
        app.scene.skip()
        run_until(app, lambda: scene_name(app) in ("resolution", "handoff"), frames=900)
        snap("11-after-a-team")
    finished = class_match(9)
    while not finished.over:
        envoy = finished.acting_id
        finished.apply(finished.legal(envoy)[-1])
    open_match(app, finished)
    snap("12-debrief")
    press(app, pygame.K_x)
    snap("13-debrief-exported")
    assert "Report written" in app.scene.export_status.text


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("abcdefghij KLMNOP–…·ស្ដ"), max_size=60),
    width=st.integers(min_value=30, max_value=600),
    bold=st.booleans(),
)
def test_a_line_too_wide_is_shortened_with_an_ellipsis_and_fits(
    tmp_path_factory, text, width, bold
):
    """The board's header status and its log lines: never cut mid-letter, never wider."""
    from game.ui.scenes.board import open_match

    global _FIT_APP
    if _FIT_APP is None:
        _FIT_APP = make_app(tmp_path_factory.mktemp("saves"))
        open_match(_FIT_APP, border_match())
    board = _FIT_APP.scene
    fitted = board.painter.fit(text, 16, width, bold=bold)
    if board.style.width(text, 16, bold) <= width:
        assert fitted == text
    else:
        assert fitted.endswith("…")
        assert text.startswith(fitted[:-1])
        assert board.style.width(fitted, 16, bold) <= width or fitted == "…"


_FIT_APP = None
