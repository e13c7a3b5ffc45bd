"""Smaller symptoms players met: the debrief's keys, Continue, focus and hover, disabled
buttons, and a restyle in the middle of a resolution. Each through the real app loop."""

from __future__ import annotations

import dataclasses

import pygame
import pytest
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st
from matchplay import finish, new_match, play
from uidrive import ARTIFACTS, buttons, click, make_app, press, pump, run_until, scene_name, shoot

from game.content.loader import SCENARIO_DIR, load_scenario
from game.session.match import AI, HUMAN, Match, Seat, Source
from game.session.saves import SaveFolder
from game.ui.app import Scene
from game.ui.render.chart import chart_layout
from game.ui.style import Style
from game.ui.widgets import FocusRing

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


def rings(app) -> list[FocusRing]:
    return [e for e in app.ui.get_sprite_group().sprites() if isinstance(e, FocusRing)]


def shown_rings(app) -> list[FocusRing]:
    return [ring for ring in rings(app) if ring.visible and ring.alive()]


# The debrief ---------------------------------------------------------------------------
def test_the_debrief_scrolls_by_keyboard_and_by_the_wheel(tmp_path, monkeypatch):
    app = make_app(tmp_path / "saves")
    app.push("debrief", finished_match())
    pump(app, 2)
    report = app.scene.report
    bar, layout = report.scroll_bar, report.text_box_layout
    assert bar is not None, "the report fits: nothing to scroll"
    total, view = layout.layout_rect.height, layout.view_rect.height
    line = app.style.line_height(17)

    def top() -> float:
        return bar.start_percentage * total

    press(app, pygame.K_DOWN)
    assert top() == pytest.approx(line, abs=1)
    press(app, pygame.K_PAGEDOWN)
    assert top() == pytest.approx(line + view - line, abs=1)
    press(app, pygame.K_END)
    assert top() == pytest.approx(total - view, abs=1)  # the last line in sight
    shoot(app, SHOTS, "debrief-end")
    press(app, pygame.K_PAGEUP)
    assert top() == pytest.approx(total - view - (view - line), abs=1)
    press(app, pygame.K_HOME)
    assert top() == 0
    press(app, pygame.K_UP)
    assert top() == 0  # never above the start
    assert scene_name(app) == "debrief"  # the keys scrolled; no button was pressed

    monkeypatch.setattr(pygame.mouse, "get_pos", lambda: report.rect.center)
    pump(app, 2)
    pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-2, flipped=False))
    pump(app, 30)
    assert top() > 0


def overlaps(rects: list[tuple[str, pygame.Rect]]) -> list[tuple[str, str]]:
    return [
        (a, b)
        for n, (a, one) in enumerate(rects)
        for b, other in rects[n + 1 :]
        if one.colliderect(other)
    ]


@pytest.mark.parametrize(
    ("size", "settings"),
    [
        (size, {"ui_scale": scale})
        for size in ((1280, 720), (1920, 1080))
        for scale in (100, 125, 150)
    ]
    + [((1280, 720), {"projector": True}), ((1920, 1080), {"projector": True})],
    ids=lambda v: "x".join(map(str, v)) if isinstance(v, tuple) else "-".join(map(str, v.values())),
)
def test_no_label_of_the_debrief_or_its_chart_overlaps_another(tmp_path, size, settings):
    """At 1920×1080 and 150 % the chart's title ran into its "conflict" label."""
    app = make_app(tmp_path / "saves", size, **settings)
    app.push("debrief", finished_match())
    pump(app, 2)
    scene = app.scene
    chart = scene.chart_layout()
    labels = [(label.kind + ":" + str(n), label.rect) for n, label in enumerate(chart.labels)]
    assert overlaps(labels) == []
    assert all(scene.chart_rect.contains(rect) for _, rect in labels)
    assert {label.kind for label in chart.labels} >= {"title", "conflict", "value", "turn"}
    header = [(f"header:{n}", rect) for n, (_, rect) in enumerate(scene.header)]
    window = pygame.Rect((0, 0), app.size)
    assert overlaps([*header, ("chart", scene.chart_rect)]) == []
    assert all(window.contains(rect) for _, rect in header)
    shoot(app, SHOTS, f"debrief-{size[0]}-{'-'.join(map(str, settings.values()))}")


@examples(max_examples=100, deadline=None)
@given(
    relations=st.lists(
        st.text(st.characters(categories=("L", "M", "N", "Pd", "Zs")), min_size=1, max_size=40),
        min_size=1,
        max_size=6,
    ),
    turns=st.integers(1, 24),
    conflict_at=st.integers(0, 100),
    scale=st.sampled_from([0.75, 1.0, 1.25, 1.5, 2.0]),
    logical=st.tuples(st.integers(960, 1920), st.integers(540, 1080)),
)
def test_the_chart_keeps_its_labels_apart_for_any_crisis(
    relations, turns, conflict_at, scale, logical
):
    """Up to six relations with any names, a game as long as a facilitator can make it,
    any conflict line, in the debrief's chart at any window the layout allows (never
    smaller than 960×540 at its scale): no two labels meet, and the first and last turns
    are labelled."""
    pygame.font.init()
    style = Style("standard", scale)
    px = style.px
    width, height = (round(side * scale) for side in logical)
    rect = pygame.Rect(px(24), px(96), int((width - 3 * px(24)) * 0.52), height - px(216))
    history = [*range(1, turns + 1), turns]  # the final point is the end of the last turn
    chart = chart_layout(rect, style, relations, history, conflict_at)
    labels = [(label.kind + ":" + str(n), label.rect) for n, label in enumerate(chart.labels)]
    assert overlaps(labels) == []
    assert all(rect.contains(r) for _, r in labels)
    shown = [label.text for label in chart.labels if label.kind == "turn"]
    assert shown[0] == "1" and shown[-1] == "end"


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
    going = new_match(5)  # a game still going at turn 3
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


# Focus and hover -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "settings", [{}, {"palette": "colour_blind"}, {"projector": True}], ids=str
)
def test_focus_has_a_ring_of_its_own_and_one_at_a_time(tmp_path, settings):
    app = make_app(tmp_path / "saves", **settings)
    app.push("title")
    pump(app, 2)
    chosen = app.scene.menu.chosen
    [ring] = shown_rings(app)
    assert ring.rect.contains(chosen.rect) and ring.rect != chosen.rect
    # the ring is drawn in the palette's focus colour, on the screen itself
    edge = (ring.rect.centerx, ring.rect.top + 1)
    assert app.screen.get_at(edge)[:3] == app.style["focus"][:3]
    # the mouse over another button lightens it, in a look of its own
    other = button_named(app, "Load")
    states = other.drawable_shape
    hovered = states.get_surface("hovered").get_at((other.rect.width // 2, 2))
    selected = states.get_surface("selected").get_at((other.rect.width // 2, 2))
    assert hovered != selected
    press(app, pygame.K_DOWN)
    assert app.scene.menu.chosen is not chosen
    assert len(shown_rings(app)) == 1
    # a dialog over a screen: the screen below shows no ring, the dialog its own
    press(app, pygame.K_s)
    assert scene_name(app) == "settings"
    assert len(shown_rings(app)) == 1
    press(app, pygame.K_ESCAPE)
    assert len(shown_rings(app)) == 1 and shown_rings(app)[0].menu is app.scene.menu
    shoot(app, SHOTS, f"title-focus-{'-'.join(map(str, settings.values())) or 'standard'}")


def test_a_click_moves_the_keyboards_choice_to_the_button_clicked(tmp_path):
    app = make_app(tmp_path / "saves")
    app.push("debrief", finished_match())
    pump(app, 2)
    menu = app.scene.menu
    assert menu.chosen.text == "Back to title"
    export = button_named(app, "Export report")
    click(app, export.rect.center)
    assert menu.chosen is export
    [ring] = shown_rings(app)
    assert ring.rect.contains(export.rect)


# Disabled buttons ----------------------------------------------------------------------
def test_a_disabled_button_is_drawn_disabled_from_the_first_frame(tmp_path):
    """The title without saves: Continue is disabled, and so is what is drawn."""
    app = make_app(tmp_path / "saves")
    app.push("title")
    pump(app)
    for widget, _, _ in app.scene.menu.items:
        state = widget.drawable_shape.active_state.state_id
        assert state == ("disabled" if not widget.is_enabled else state), widget.text
    cont = button_named(app, "Continue")
    assert cont.drawable_shape.active_state.state_id == "disabled"
    # and after another screen over it and back, and after a restyle
    press(app, pygame.K_s)
    press(app, pygame.K_ESCAPE)
    assert button_named(app, "Continue").drawable_shape.active_state.state_id == "disabled"
    app.apply_settings(dataclasses.replace(app.settings, ui_scale=150))
    pump(app)
    assert button_named(app, "Continue").drawable_shape.active_state.state_id == "disabled"
    shoot(app, SHOTS, "title-continue-disabled")


class Dialog(Scene):
    """A dialog with nothing in it, over whatever screen a test shows: Esc closes it."""

    name = "dialog"
    overlay = True

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.pop()
            return True
        return False


def looks(widget) -> tuple[bool, bool, str]:
    return widget.is_enabled, widget.visible, widget.drawable_shape.active_state.state_id


def test_a_dialog_over_the_title_leaves_continue_disabled_when_it_closes(tmp_path):
    app = make_app(tmp_path / "saves")
    app.push("title")
    pump(app)
    cont = button_named(app, "Continue")
    assert looks(cont) == (False, True, "disabled")
    app.push(Dialog(app))
    pump(app)
    assert not any(b.is_enabled for b in buttons(app) if b.ui_container is app.stack[0].root)
    press(app, pygame.K_ESCAPE)
    assert scene_name(app) == "title"
    assert looks(cont) == (False, True, "disabled")
    assert button_named(app, "New game").is_enabled
    press(app, pygame.K_c)
    assert scene_name(app) == "title"  # nothing to continue, and nothing opened


def ai_first_match() -> Match:
    """Border Incident with two hard AIs before the human seat: the board opens on
    their turns, its End turn and Advisor greyed."""
    result = load_scenario(SCENARIO_DIR / "border_incident.yaml")
    seats = [Seat("un_envoy", AI, "hard"), Seat("norland_fm", AI, "hard")]
    seats.append(Seat("vellmark_fm", HUMAN))
    return Match.start(result.unwrap(), Source.of(result), 4, seats)


def test_the_boards_greyed_buttons_stay_greyed_under_the_menu_and_after_it(tmp_path):
    app = make_app(tmp_path / "saves")
    app.open("open-match", ai_first_match())
    press(app, pygame.K_ESCAPE)  # before the AI's first frame: it is not the human's turn
    board = app.stack[0]
    assert scene_name(app) == "menu" and not board.table.human_turn
    greyed = (board.end_button, board.advice_button, board.play_button)
    assert all(looks(widget) == (False, True, "disabled") for widget in greyed)
    # How to play covers the whole window; back on the menu, the board shows under it
    press(app, pygame.K_h)
    assert scene_name(app) == "howto" and not board.menu_button.visible
    press(app, pygame.K_ESCAPE)
    assert scene_name(app) == "menu"
    assert all(looks(widget) == (False, True, "disabled") for widget in greyed)
    assert looks(board.menu_button) == (False, True, "disabled")  # seen, not answering
    shoot(app, SHOTS, "menu-over-board-after-help")
    press(app, pygame.K_ESCAPE, frames=1)  # one slice of the AI's thinking: still its turn
    assert app.scene is board and not board.table.human_turn
    assert all(looks(widget) == (False, True, "disabled") for widget in greyed)
    assert board.menu_button.is_enabled and board.help_button.is_enabled


def test_choosing_and_letting_go_keep_a_buttons_state(tmp_path):
    app = make_app(tmp_path / "saves")
    app.push("title")
    pump(app)
    load = button_named(app, "Load")
    load.disable()
    for act in (load.select, load.unselect):
        act()
        assert load.drawable_shape.active_state.state_id == "disabled"
        assert not load.is_selected
    load.enable()
    load.hovered = True
    load.unselect()
    assert load.drawable_shape.active_state.state_id == "hovered"


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


def test_the_ui_scale_changed_from_the_pause_menu_leaves_the_board_and_its_resolution_whole(
    tmp_path,
):
    """Esc, Settings, UI scale 150 %, Apply, back to the board, end the turn: the board
    shows under the menu on the way back, and the resolution has its own Next, Skip and
    Why over the board's buttons."""
    from test_ui_screens import border_match

    app = make_app(tmp_path / "saves")
    app.open("open-match", border_match())
    run_until(app, lambda: scene_name(app) == "board" and app.scene.human_turn)
    press(app, pygame.K_ESCAPE)
    click(app, button_named(app, "Settings").rect.center)
    settings_screen = app.scene
    assert scene_name(app) == "settings"
    for _ in range(settings_screen.keys.index("ui_scale") + 1):
        press(app, pygame.K_DOWN)
    press(app, pygame.K_RIGHT)
    press(app, pygame.K_RIGHT)
    click(app, button_named(app, "Apply").rect.center)
    assert app.settings.ui_scale == 150 and app.style.scale > 1  # as far as 1280×720 allows
    press(app, pygame.K_ESCAPE)
    assert scene_name(app) == "menu"
    board = app.stack[0]
    assert board.end_button.visible and not board.end_button.is_enabled  # seen, still
    press(app, pygame.K_ESCAPE)
    assert app.scene is board and board.end_button.is_enabled
    press(app, pygame.K_e)
    run_until(app, lambda: scene_name(app) == "resolution")
    pump(app, 2)
    shoot(app, SHOTS, "resolution-after-settings-150")
    below = max(e.get_top_layer() for e in board.root.elements)
    for text in ("Next", "Skip all", "Why?"):
        widget = button_named(app, text)
        assert widget.is_enabled and widget.visible and widget.get_top_layer() > below
    click(app, button_named(app, "Why?").rect.center)
    assert app.scene.why
