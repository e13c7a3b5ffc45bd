"""Typing never fires a game action: every key goes to the text field that has it.

A real keyboard sends KEYDOWN, TEXTINPUT and KEYUP for each key; the driver posts
the same, either in one frame or a frame apart (``KEYS_APART``), since SDL may
deliver them either way. Letters, Space, Enter, Backspace, F-keys and Ctrl+S are
the game's shortcuts elsewhere; typed into a field, they must only type.
"""

from __future__ import annotations

import string

import pygame
import pytest
import uidrive
import yaml
from conftest import lab_dict
from htmlpage import Page
from hypothesis import given, settings
from hypothesis import strategies as st
from uidrive import (
    ARTIFACTS,
    click,
    make_app,
    press,
    pump,
    run_until,
    scene_name,
    shoot,
    type_text,
)

from game.content import loader
from game.content.loader import load_scenario_bytes
from game.engine.actions import End
from game.session.match import HUMAN, Classroom, Match, Seat, Source
from game.session.settings import LIMITS

TEAMS = ["Blue Dolphins", "Red Foxes", "Green Owls"]
PROMPT = "What did your team want this turn?"
# Sentences full of the game's shortcut letters, with Space, Shift and punctuation.
ANSWERS = [
    "We saw a quiet day; next time we press for talks (try #2)!",
    "Ask first, withdraw later: that's our plan, 100% sure.",
    "Deals fail quickly when nobody explains what they really want.",
]
# Every key (with its modifiers) that does something somewhere when no field has the
# keyboard, Enter, Tab and Esc aside: they move the keyboard on or out of the field.
SHORTCUTS = [
    *((ord(c), 0) for c in string.ascii_lowercase + string.digits),
    *((getattr(pygame, f"K_F{n}"), 0) for n in range(1, 13)),
    *(
        (key, 0)
        for key in (
            pygame.K_SPACE,
            pygame.K_UP,
            pygame.K_DOWN,
            pygame.K_LEFT,
            pygame.K_RIGHT,
            pygame.K_PAGEUP,
            pygame.K_PAGEDOWN,
            pygame.K_HOME,
            pygame.K_END,
            pygame.K_BACKSPACE,
            pygame.K_DELETE,
        )
    ),
    (pygame.K_s, pygame.KMOD_CTRL),
    (pygame.K_x, pygame.KMOD_SHIFT),
]


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    monkeypatch.setenv("ENVOY_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture(params=["same frame", "frames apart"])
def delivery(request, monkeypatch):
    monkeypatch.setattr(uidrive, "KEYS_APART", request.param == "frames apart")
    return request.param


def three_team_result(turns: int = 1):
    """The lab crisis for three teams, with a reflection prompt every turn."""
    data = lab_dict()
    data["turns"] = turns
    third = {**data["envoys"][0], "id": "three", "name": "Envoy Three"}
    third["agenda"] = [{**third["agenda"][0], "id": "calm_three"}]
    data["envoys"].append(third)
    data["teacher"]["players"] = {"min": 1, "max": 3}
    data["teacher"]["reflection"] = [PROMPT]
    result = load_scenario_bytes(yaml.safe_dump(data, sort_keys=False).encode(), "lab.yaml")
    assert result.scenario is not None, result.errors
    return result


def class_board(tmp_path, pin: str = ""):
    """A three-team class on its board, the first team seated."""
    result = three_team_result(turns=3)
    seats = [
        Seat(e.id, HUMAN, name=team) for e, team in zip(result.scenario.envoys, TEAMS, strict=True)
    ]
    match = Match.start(result.scenario, Source.of(result), 5, seats)
    match.classroom = Classroom(reflect=True, pin_hash=Classroom.hash_pin(pin))
    from game.ui.scenes.board import open_match

    app = make_app(tmp_path / "saves")
    open_match(app, match)
    run_until(
        app, lambda: scene_name(app) == "board" and app.scene.human_turn, on_frame=onward(app)
    )
    return app, app.scene, match


def onward(app):
    """Through the hand-off and a team's private brief."""

    def step():
        if scene_name(app) == "handoff":
            press(app, pygame.K_SPACE)
        else:
            pump(app)

    return step


def setup_scene(tmp_path):
    from game.ui.scenes.setup import SetupScene

    app = make_app(tmp_path / "saves")
    result = loader.load_scenario(loader.SCENARIO_DIR / "border_incident.yaml")
    app.push(SetupScene(app, result))
    pump(app)
    return app, app.scene


def stack(app) -> list[str]:
    return [scene.name for scene in app.stack]


# ------------------------------------------------------------------ a whole class


def test_a_class_types_its_names_and_reflections_and_the_report_has_every_character(
    tmp_path, delivery
):
    from game.ui.scenes.setup import SetupScene

    app = make_app(tmp_path / "saves")
    app.push(SetupScene(app, three_team_result()))
    pump(app)
    setup = app.scene
    for _ in range(2):
        press(app, pygame.K_DOWN)
        press(app, pygame.K_LEFT)  # AI -> human team
    assert setup.kinds == [HUMAN] * 3
    press(app, pygame.K_UP)
    press(app, pygame.K_UP)
    press(app, pygame.K_t)
    for row, team in enumerate(TEAMS):
        assert setup.team_entries[row].is_focused and setup.row == row
        type_text(app, team)  # the old name was selected: typing replaces it
        assert setup.team_entries[row].get_text() == team
        press(app, pygame.K_RETURN)  # on to the next team's name
    assert setup.pin.is_focused
    press(app, pygame.K_RETURN)
    assert setup.code.is_focused
    code = setup.code.get_text()
    press(app, pygame.K_RETURN)
    assert app.typing is None and setup.menu.index == 0  # Start is chosen, not pressed
    assert scene_name(app) == "setup" and setup.code.get_text() == code
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "briefing"
    match = app.scene.match
    assert [seat.name for seat in match.seats] == TEAMS
    press(app, pygame.K_RETURN)

    seen: set[str] = set()
    answers = dict(zip((e.id for e in match.scenario.envoys), ANSWERS, strict=True))

    def play():
        name = scene_name(app)
        seen.add(name)
        if name == "handoff":
            press(app, pygame.K_SPACE if not app.scene.briefing else pygame.K_RETURN)
        elif name == "board" and app.scene.human_turn:
            press(app, pygame.K_e)
        elif name == "reflection":
            reflection = app.scene
            assert reflection.entry.get_text() == ""  # not the E that ended the turn
            type_text(app, answers[reflection.envoy])
            assert scene_name(app) == "reflection"
            assert reflection.entry.get_text() == answers[reflection.envoy]
            press(app, pygame.K_RETURN)  # a one-question dialog: Enter answers it
        elif name == "resolution":
            press(app, pygame.K_s, frames=1)
        else:
            pump(app)

    run_until(app, lambda: scene_name(app) == "debrief", frames=3000, on_frame=play)
    assert seen <= {"handoff", "board", "reflection", "resolution", "debrief"}
    assert [str(a) for a in match.actions] == [str(End(e)) for e in answers]
    assert [(r.envoy, r.team, r.answer) for r in match.reflections] == [
        (envoy, team, answer) for (envoy, answer), team in zip(answers.items(), TEAMS, strict=True)
    ]
    assert match.facilitator == [] and match.over and match.state.turn == 1
    assert [info.name for info in app.saves.listing() if not info.autosave] == []
    press(app, pygame.K_x)
    (folder,) = (tmp_path / "saves").glob("*-report")
    text = " ".join(Page((folder / "report.html").read_text("utf-8")).text)
    for team, answer in zip(TEAMS, ANSWERS, strict=True):
        assert team in text and answer in text


# ------------------------------------------------------------------ set-up


def test_t_opens_a_team_name_without_typing_a_t(tmp_path, delivery):
    app, setup = setup_scene(tmp_path)
    press(app, pygame.K_t)
    entry = setup.team_entries[0]
    assert entry.is_focused and entry.get_text() == "Team 1"
    type_text(app, "Blue Dolphins")
    assert entry.get_text() == "Blue Dolphins" and scene_name(app) == "setup"
    press(app, pygame.K_ESCAPE)
    assert setup.teams[0] == "Blue Dolphins" and scene_name(app) == "setup"


def test_space_and_start_letters_in_a_team_name_press_nothing(tmp_path, delivery):
    app, setup = setup_scene(tmp_path)
    code, kinds = setup.code.get_text(), list(setup.kinds)
    press(app, pygame.K_t)
    type_text(app, "S s  Dolphins rcf")  # Start, Space, R new code, C code, F shuffle
    assert setup.team_entries[0].get_text() == "S s  Dolphins rcf"
    assert stack(app) == ["setup"] and setup.code.get_text() == code and setup.kinds == kinds


def test_enter_in_any_set_up_field_moves_on_and_never_starts(tmp_path, delivery):
    app, setup = setup_scene(tmp_path)
    press(app, pygame.K_t)
    order = []
    while app.typing is not None:
        order.append(app.typing)
        press(app, pygame.K_RETURN)
        assert scene_name(app) == "setup"
    assert order == [setup.team_entries[0], setup.pin, setup.code]
    assert [b.text for b, _, _ in setup.menu.items][setup.menu.index] == "Start"
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "briefing"


def test_tab_moves_between_fields_and_shift_tab_back(tmp_path):
    app, setup = setup_scene(tmp_path)
    click(app, setup.pin.rect.center)
    press(app, pygame.K_TAB)
    assert app.typing is setup.code
    press(app, pygame.K_TAB, pygame.KMOD_SHIFT)
    press(app, pygame.K_TAB, pygame.KMOD_SHIFT)
    assert app.typing is setup.team_entries[0] and setup.row == 0


def test_esc_leaves_a_set_up_field_and_only_a_second_esc_leaves_the_screen(tmp_path, delivery):
    from game.ui.scenes.setup import SetupScene

    app = make_app(tmp_path / "saves")
    result = loader.load_scenario(loader.SCENARIO_DIR / "border_incident.yaml")
    app.push(SetupScene(app, result))
    app.push(SetupScene(app, result))  # something below, for Esc to go back to
    pump(app)
    setup = app.scene
    press(app, pygame.K_c)
    assert app.typing is setup.code
    press(app, pygame.K_ESCAPE)
    assert app.typing is None and app.scene is setup
    press(app, pygame.K_ESCAPE)
    assert app.scene is not setup


def test_the_crisis_code_field_opens_without_its_c_and_keeps_every_key(tmp_path, delivery):
    from game.session.codes import crisis_code

    app, setup = setup_scene(tmp_path)
    press(app, pygame.K_c)
    assert setup.code.get_text() == crisis_code("border_incident", setup.seed)  # no "c"
    typed = crisis_code("border_incident", 77)
    type_text(app, typed.lower())
    assert setup.code.get_text() == typed.lower() and stack(app) == ["setup"]
    press(app, pygame.K_RETURN)
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "briefing" and app.scene.match.seed == 77


def test_a_click_on_another_field_takes_the_keyboard_from_the_first(tmp_path):
    app, setup = setup_scene(tmp_path)
    press(app, pygame.K_t)
    click(app, setup.pin.rect.center)
    assert not setup.team_entries[0].is_focused and app.typing is setup.pin
    type_text(app, "2468")
    assert setup.pin.get_text() == "2468" and setup.team_entries[0].get_text() == "Team 1"


_NAME_APP = None


@settings(max_examples=30, deadline=None)
@given(
    name=st.text(
        alphabet=st.sampled_from(string.ascii_letters + string.digits + string.punctuation + " "),
        min_size=1,
        max_size=LIMITS["classroom"]["team_name_max_chars"],
    )
)
def test_any_team_name_arrives_whole_and_changes_nothing_else(tmp_path_factory, name):
    global _NAME_APP
    if _NAME_APP is None:
        _NAME_APP = setup_scene(tmp_path_factory.mktemp("names"))
    app, setup = _NAME_APP
    before = (setup.code.get_text(), list(setup.kinds), setup.row, setup.timer_minutes)
    press(app, pygame.K_t)
    type_text(app, name, frames=0)
    assert setup.team_entries[0].get_text() == name
    press(app, pygame.K_ESCAPE)
    assert stack(app) == ["setup"]
    assert (setup.code.get_text(), setup.kinds, setup.row, setup.timer_minutes) == before


_FRAMES_APP = None


@settings(max_examples=30, deadline=None)
@given(
    name=st.text(alphabet=st.sampled_from("Blue Dolphins tT"), min_size=1, max_size=12),
    breaks=st.sets(st.integers(min_value=0, max_value=60)),
)
def test_whichever_frames_the_key_events_fall_in_the_name_arrives_whole(
    tmp_path_factory, name, breaks
):
    """T, then the name: the same text however SDL's events are split between frames."""
    global _FRAMES_APP
    if _FRAMES_APP is None:
        _FRAMES_APP = setup_scene(tmp_path_factory.mktemp("frames"))
    app, setup = _FRAMES_APP
    events = uidrive.keystroke(pygame.K_t)
    for char in name:
        events += uidrive.keystroke(*uidrive.key_for(char), char)
    for index, event in enumerate(events):
        pygame.event.post(event)
        if index in breaks:
            pump(app)
    pump(app)
    assert setup.team_entries[0].get_text() == name and stack(app) == ["setup"]
    press(app, pygame.K_ESCAPE)


# ------------------------------------------------------------------ the reflection


def test_the_reflection_keeps_its_e_space_and_letters_and_ends_only_its_turn(tmp_path, delivery):
    app, board, match = class_board(tmp_path)
    first = board.hand
    press(app, pygame.K_e)
    reflection = app.scene
    assert scene_name(app) == "reflection" and reflection.entry.get_text() == ""
    type_text(app, "We ended it early")
    assert scene_name(app) == "reflection" and reflection.entry.get_text() == "We ended it early"
    assert match.actions == []
    chosen = [w.text for w, _, _ in reflection.menu.items if w.is_selected]
    assert chosen == []  # while the team types, no button looks as if Enter pressed it
    shoot(app, ARTIFACTS / "typing", "reflection-typed")
    press(app, pygame.K_RETURN)  # one Enter answers; the typed letters pressed nothing
    assert [str(a) for a in match.actions] == [f"end {first}"]
    assert [r.answer for r in match.reflections] == ["We ended it early"]
    assert scene_name(app) == "handoff"


def test_backspace_in_the_reflection_deletes_a_letter_not_a_chosen_move(tmp_path, delivery):
    app, board, match = class_board(tmp_path)
    playable = next(i for i, card in enumerate(board.cards) if card.action is not None)
    board.selected = playable
    press(app, pygame.K_RETURN)
    pending = list(match.state.pending)
    assert pending
    press(app, pygame.K_e)
    type_text(app, "Calm talks")
    for _ in range(5):
        press(app, pygame.K_BACKSPACE)
    assert app.scene.entry.get_text() == "Calm "
    press(app, pygame.K_DELETE)
    assert list(match.state.pending) == pending
    assert not any(str(a).startswith("withdraw") for a in match.actions)


def test_shortcut_keys_in_the_reflection_only_type(tmp_path, delivery):
    """F9 facilitator, F1 help, Ctrl+S save, F12 screenshot, F11 full screen: none fire."""
    app, board, match = class_board(tmp_path)
    press(app, pygame.K_e)
    reflection = app.scene
    for key, mod in [
        (pygame.K_F9, 0),
        (pygame.K_F1, 0),
        (pygame.K_s, pygame.KMOD_CTRL),
        (pygame.K_F12, 0),
        (pygame.K_F11, 0),
        (pygame.K_F5, 0),
        (pygame.K_a, 0),
        (pygame.K_w, 0),
    ]:
        press(app, key, mod)
        assert app.scene is reflection and app.typing is reflection.entry, key
    assert reflection.entry.get_text() == "aw"
    assert not app.settings.fullscreen and not (tmp_path / "saves" / "screenshots").exists()
    assert match.actions == [] and board.table.thinking is None


def test_esc_leaves_the_reflection_field_then_goes_back_to_the_board(tmp_path, delivery):
    app, board, match = class_board(tmp_path)
    press(app, pygame.K_e)
    reflection = app.scene
    type_text(app, "Not yet")
    press(app, pygame.K_ESCAPE)
    assert app.scene is reflection and app.typing is None
    assert reflection.entry.get_text() == "Not yet"
    press(app, pygame.K_ESCAPE)
    assert app.scene is board and match.actions == [] and board.human_turn


def test_a_window_resized_while_typing_keeps_the_text(tmp_path):
    app, _, _ = class_board(tmp_path)
    press(app, pygame.K_e)
    type_text(app, "Half an ans")
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=1280, h=720, size=(1280, 720)))
    pump(app)
    entry = app.scene.entry
    assert entry.get_text() == "Half an ans" and app.typing is entry
    type_text(app, "wer")
    assert entry.get_text() == "Half an answer"


# ------------------------------------------------------------------ dialogs


def test_a_save_name_with_spaces_is_typed_whole_and_saved_only_on_enter(tmp_path, delivery):
    app, _, _ = class_board(tmp_path)
    press(app, pygame.K_s, pygame.KMOD_CTRL)
    assert scene_name(app) == "save"
    dialog = app.scene
    type_text(app, "Before the vote")  # the default name was selected: typing replaces it
    assert dialog.entry.get_text() == "Before the vote" and scene_name(app) == "save"
    assert not app.saves.listing() or all(i.autosave for i in app.saves.listing())
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "board"
    assert [i.name for i in app.saves.listing() if not i.autosave] == ["Before the vote"]


def test_the_pin_takes_its_digits_and_nothing_presses_open(tmp_path, delivery):
    app, _, _ = class_board(tmp_path, pin="2468")
    press(app, pygame.K_F9)
    assert scene_name(app) == "pin" and app.typing is app.scene.entry
    type_text(app, "24 p")  # Space and a letter: not digits, not buttons
    press(app, pygame.K_F9)  # typing: it does not close the PIN either
    assert scene_name(app) == "pin" and app.scene.entry.get_text() == "24"
    type_text(app, "68")
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "facilitator"


def test_the_facilitator_reason_takes_the_panel_letters(tmp_path, delivery):
    app, _, match = class_board(tmp_path)
    press(app, pygame.K_F9)
    panel = app.scene
    assert scene_name(app) == "facilitator"
    click(app, panel.meter_list.item_list_container.elements[0].rect.center)
    click(app, panel.value.rect.center)
    type_text(app, "35")
    press(app, pygame.K_RETURN)
    assert app.typing is panel.reason
    reason = "pause, undo, plus one turn: the class agreed"  # P, U: the panel's own keys
    type_text(app, reason)
    press(app, pygame.K_RETURN)
    assert app.scene is panel and match.facilitator == [] and app.typing is None
    assert panel.reason.get_text() == reason
    press(app, pygame.K_RETURN)  # Apply was chosen
    assert [n.kind for n in match.facilitator] == ["adjust"]
    assert match.facilitator[0].reason == reason


def test_the_browser_code_field_keeps_c_m_and_f5(tmp_path, delivery):
    from game.session.codes import crisis_code
    from game.ui.scenes.setup import BrowserScene

    app = make_app(tmp_path / "saves")
    app.push(BrowserScene(app))
    pump(app)
    browser = app.scene
    press(app, pygame.K_c)
    assert app.typing is browser.code and browser.code.get_text() == ""
    type_text(app, "m")
    press(app, pygame.K_F5)
    assert browser.code.get_text() == "m" and stack(app) == ["scenarios"]
    press(app, pygame.K_BACKSPACE)
    type_text(app, crisis_code("border_incident", 99))
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "setup" and app.scene.seed == 99


# ------------------------------------------------------------------ every field


def every_field(tmp_path):
    """(app, field) for each text field of the game, with the screen showing it."""
    from game.ui.scenes.classroom import FacilitatorScene, PinScene, ReflectionScene
    from game.ui.scenes.menus import SaveDialog
    from game.ui.scenes.setup import BrowserScene

    app, setup = setup_scene(tmp_path / "setup")
    yield app, setup.team_entries[0]
    yield app, setup.pin
    yield app, setup.code
    app = make_app(tmp_path / "browser" / "saves")
    app.push(BrowserScene(app))
    pump(app)
    yield app, app.scene.code
    for index, make in enumerate(
        [
            lambda app, board: ReflectionScene(app, board, board.hand, PROMPT),
            lambda app, board: PinScene(app, board, lambda: None),
            lambda app, board: SaveDialog(app, board),
            lambda app, board: FacilitatorScene(app, board),
        ]
    ):
        app, board, _ = class_board(tmp_path / f"board-{index}")
        app.push(make(app, board))
        pump(app)
        for field in app.scene.text_fields():
            yield app, field


def test_every_text_field_takes_every_shortcut_key_and_nothing_fires(tmp_path):
    found = []
    for app, field in every_field(tmp_path):
        found.append(type(app.scene).__name__)
        scenes = list(app.stack)
        match = getattr(getattr(app.scene, "board", None), "match", None)
        actions = list(match.actions) if match is not None else []
        app.focus(field)
        pump(app)
        for key, mod in SHORTCUTS:
            press(app, key, mod, frames=1)
            assert app.stack == scenes and app.typing is field, (app.scene.name, key)
        if match is not None:
            assert match.actions == actions and match.facilitator == []
        assert not app.settings.fullscreen and not app.shots  # F11, F12
    assert sorted(set(found)) == [
        "BrowserScene",
        "FacilitatorScene",
        "PinScene",
        "ReflectionScene",
        "SaveDialog",
        "SetupScene",
    ]
    assert found.count("FacilitatorScene") == 2 and found.count("SetupScene") == 3


def test_no_screen_focuses_a_field_behind_the_ui_managers_back(tmp_path):
    """A field focused directly would go on typing after a click elsewhere."""
    for app, field in every_field(tmp_path):
        if field.is_focused:
            assert app.ui.get_focus_set() == {field}, app.scene.name
