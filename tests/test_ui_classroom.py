"""A class at one computer: three teams in hot-seat, the facilitator, and the debrief pack.

The whole game is driven by posted keyboard and mouse events through the real
app. Every string the game draws is recorded (each text the board and scenes
ask the style for, each text pygame_gui renders, and the text of every visible
widget), so the hand-off test can say what was *on the screen*: not one word
of the previous team's agenda, chosen moves or private secrets.
"""

from __future__ import annotations

import csv
import json
import os

import pygame
import pygame_gui
import pytest
from htmlpage import Page
from pygame_gui.elements import UILabel, UITextBox
from uidrive import (
    ARTIFACTS,
    buttons,
    click,
    click_button,
    keystroke,
    make_app,
    press,
    pump,
    run_until,
    scene_name,
    shoot,
    type_text,
)

from game.engine import ledger
from game.engine.state import EVERYONE, state_hash
from game.session import narrate
from game.session.codes import crisis_code, read_code
from game.session.frontier import charts
from game.session.saves import load_match

TEAMS = {"un_envoy": "Owls", "norland_fm": "Badgers", "vellmark_fm": "Foxes"}
PIN = "2468"
SEED = int(os.environ.get("ENVOY_CLASS_SEED", "4242"))  # try others to explore
SHOTS = ARTIFACTS / "classroom"


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    monkeypatch.setenv("ENVOY_CONFIG_DIR", str(tmp_path / "config"))


def widget_texts(app) -> list[str]:
    texts = []
    for element in app.ui.get_sprite_group().sprites():
        if not (element.alive() and element.visible):
            continue
        if isinstance(element, UITextBox):
            texts.append(element.html_text)
        elif isinstance(element, (UILabel, pygame_gui.elements.UIButton)):
            texts.append(element.text)
        elif isinstance(element, pygame_gui.elements.UITextEntryLine):
            texts.append(element.get_text())
    return texts


def clear_entry(app, count: int = 30) -> None:
    press(app, pygame.K_END)
    for _ in range(count):
        press(app, pygame.K_BACKSPACE, frames=1)


def private_strings(match, envoy: str) -> list[str]:
    """What only ``envoy``'s team may see now: its agenda, its chosen moves, its secrets."""
    scenario, state = match.scenario, match.state
    index = scenario.envoy_index(envoy)
    strings = [str(o.text) for o in scenario.envoys[index].agenda]
    for entry in match.ledger:
        if entry.cause.private_to == envoy and not entry.is_change and entry.turn == state.turn:
            strings.append(narrate.note(scenario, entry))
    for fact, who in state.revealed:
        if who == index and (fact, EVERYONE) not in state.revealed:
            strings.append(str(scenario.facts[fact].text))
    for chosen in state.pending:
        if chosen.envoy == index:
            strings.append(f"Chosen this turn: {scenario.moves[chosen.move].name}")
    return strings


def leaks(texts: list[str], secrets: list[str]) -> list[str]:
    return [secret for secret in secrets if any(secret in text for text in texts)]


# ------------------------------------------------------------------ the game


def set_up_three_teams(app) -> None:
    from game.ui.scenes.title import TitleScene

    app.push(TitleScene(app))
    pump(app)
    press(app, pygame.K_n)
    while "Border Incident" not in app.scene.details.html_text:
        press(app, pygame.K_DOWN)
    press(app, pygame.K_RETURN)
    setup = app.scene
    assert scene_name(app) == "setup"
    for row, envoy in enumerate(e.id for e in setup.scenario.envoys):
        if row:
            press(app, pygame.K_DOWN)
            press(app, pygame.K_LEFT)  # AI -> human team
        assert setup.kinds[row] == "human"
        press(app, pygame.K_t)
        assert setup.team_entries[row].is_focused
        type_text(app, TEAMS[envoy])  # the name was selected: typing replaces it
        press(app, pygame.K_RETURN)  # on to the next field
        assert not setup.team_entries[row].is_focused
        press(app, pygame.K_ESCAPE)  # out of it, back to the seats
        assert scene_name(app) == "setup" and app.typing is None
    assert "3 human teams" in setup.status.text
    click_button(app, "Timer: off")
    assert setup.timer_minutes == 1
    click(app, setup.pin.rect.center)
    type_text(app, PIN)
    press(app, pygame.K_RETURN)  # the PIN is done: the crisis code is next, selected
    assert "Reflections: on" in [b.text for b in buttons(app)]
    shoot(app, SHOTS, "setup-three-teams")
    code = read_code(setup.code.get_text())
    assert code.matches("border_incident") and code.tag
    # The class types the crisis it was given, so this game is the same on every run.
    assert setup.code.is_focused
    type_text(app, crisis_code("border_incident", SEED))
    press(app, pygame.K_RETURN)  # the last field: Start is chosen, not pressed
    assert scene_name(app) == "setup"
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "briefing"
    assert app.scene.match.seed == SEED
    assert not any("private agenda" in t for t in widget_texts(app))  # the class reads it together
    press(app, pygame.K_RETURN)


class Class:
    """The teams' play: each ends its turn after one move, and answers its reflection."""

    def __init__(self, app, drawn):
        self.app = app
        self.drawn = drawn
        self.handoffs = 0
        self.checked_boards = 0
        self.previous: str | None = None
        self.secrets: list[str] = []
        self.reflections = 0
        self.kinds_checked = {"agenda": 0, "chosen": 0, "secret": 0}

    @property
    def match(self):
        return self.app.scene.board.match if hasattr(self.app.scene, "board") else None

    def step(self) -> None:
        app = self.app
        name = scene_name(app)
        if name == "handoff":
            self.hand_off()
        elif name == "board" and app.scene.human_turn:
            self.play_turn()
        elif name == "reflection":
            type_text(app, f"We chose to talk first ({app.scene.envoy}).")
            press(app, pygame.K_RETURN)  # the answer is done
            self.reflections += 1
        elif name == "resolution":
            press(app, pygame.K_s, frames=1)
        elif name == "decision":
            press(app, pygame.K_1)
        else:
            pump(app)

    def hand_off(self) -> None:
        app = self.app
        scene = app.scene
        board, envoy = scene.board, scene.envoy
        if self.previous is not None and self.previous != envoy:
            self.secrets = private_strings(board.match, self.previous)
            assert self.secrets  # there is something to keep secret
            self._count(board.match, self.secrets)
        self.drawn.clear()
        pump(app, 3)
        if self.handoffs == 0:
            shoot(app, SHOTS, "handoff")
        texts = self.drawn + widget_texts(app)
        assert f"Pass to {TEAMS[envoy]}" in texts
        assert leaks(texts, self.secrets) == []
        press(app, pygame.K_SPACE)
        if scene_name(app) == "handoff":  # this team's first time: its private brief
            assert scene.briefing
            if self.handoffs < 3:
                shoot(app, SHOTS, f"handoff-brief-{envoy}")
            texts = self.drawn + widget_texts(app)
            assert leaks(texts, self.secrets) == []
            press(app, pygame.K_RETURN)
        # the next team's board, its first frames
        pump(app, 3)
        if scene_name(app) == "board":
            board.dirty = True
            pump(app, 2)
            texts = self.drawn + widget_texts(app)
            assert leaks(texts, self.secrets) == []
            self.checked_boards += 1
        self.handoffs += 1
        self.previous = envoy

    def _count(self, match, secrets) -> None:
        agenda = {str(o.text) for e in match.scenario.envoys for o in e.agenda}
        facts = {str(f.text) for f in match.scenario.facts}
        for secret in secrets:
            if secret in agenda:
                self.kinds_checked["agenda"] += 1
            elif secret in facts:
                self.kinds_checked["secret"] += 1
            else:
                self.kinds_checked["chosen"] += 1

    def play_turn(self) -> None:
        app = self.app
        board = app.scene
        wanted = "back_channel" if board.hand == "un_envoy" else ""
        for _ in range(len(board.cards)):
            card = board.current_card()
            if card.action is not None and (not wanted or card.move.id == wanted):
                break
            press(app, pygame.K_DOWN, frames=1)
        if board.current_card().action is not None:
            press(app, pygame.K_RETURN)
        press(app, pygame.K_e)


def test_three_teams_hot_seat_with_the_facilitator_and_the_debrief_pack(tmp_path, drawn):
    app = make_app(tmp_path / "saves")
    set_up_three_teams(app)
    play = Class(app, drawn)

    # turn 1 and into turn 2
    def in_turn_two():
        return (
            scene_name(app) == "board" and app.scene.human_turn and app.scene.match.state.turn == 2
        )

    run_until(app, in_turn_two, frames=4000, on_frame=play.step)
    board = app.scene
    match = board.match
    assert play.handoffs >= 3 and play.checked_boards >= 3
    assert board.match.classroom.timer_seconds == 60
    shoot(app, SHOTS, "board-hot-seat-timer")
    assert any(text.endswith(" left") for text in drawn)  # the timer is on the board

    # the facilitator: a wrong PIN is refused kindly, the right one opens the panel
    press(app, pygame.K_F9)
    assert scene_name(app) == "pin"
    type_text(app, "1111")
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "pin" and "not right" in app.scene.status.text
    type_text(app, PIN)
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "facilitator"
    panel = app.scene
    shoot(app, SHOTS, "facilitator")

    # a crisis inject from the deck
    titles = [str(e.title) for e in panel.events]
    click(app, _list_item(panel.event_list, "Families cross into Vellmark").rect.center)
    assert panel.event_list.get_single_selection() == "Families cross into Vellmark"
    click_button(app, "Fire event")
    assert titles and match.facilitator[-1].kind == "inject"
    assert any(e.cause.kind == ledger.FACILITATOR for e in match.ledger)

    # an adjustment needs a reason
    panel = app.scene
    click(app, panel.meter_list.item_list_container.elements[0].rect.center)
    click(app, panel.value.rect.center)
    type_text(app, "35")
    click_button(app, "Apply")
    assert "reason" in app.scene.status.text
    click(app, app.scene.reason.rect.center)
    type_text(app, "the class agreed to calm the border")
    click_button(app, "Apply")
    assert match.facilitator[-1].kind == "adjust"
    assert match.facilitator[-1].reason == "the class agreed to calm the border"

    # undo the last turn: back to the start of turn 1
    actions_before = len(match.actions)
    click_button(app, "Undo to the start of turn 1 (U)")
    assert match.state.turn == 1 and len(match.actions) < actions_before
    assert match.facilitator[-1].kind == "undo"
    assert all(n.undone for n in match.facilitator[:-1])
    assert scene_name(app) == "handoff"  # the panel closed: the class starts turn 1 again

    # pause from the panel: an opaque screen; the timer stands still
    press(app, pygame.K_SPACE)
    run_until(app, lambda: scene_name(app) == "board" and app.scene.human_turn, on_frame=play.step)
    press(app, pygame.K_F9)
    type_text(app, PIN)
    press(app, pygame.K_RETURN)
    press(app, pygame.K_p)
    assert scene_name(app) == "paused"
    clock = app.scene.board.turn_clock
    pump(app, 30)
    shoot(app, SHOTS, "paused")
    assert app.scene.board.turn_clock == clock > 0
    press(app, pygame.K_F9)
    type_text(app, PIN)
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "board"
    pump(app, 2)
    assert app.scene.turn_clock >= clock  # resumed where it stood, not from zero
    assert [n.kind for n in match.facilitator[-2:]] == ["pause", "resume"]

    # one more turn for a class that is nearly there
    last_turn = match.state.last_turn
    press(app, pygame.K_F9)
    type_text(app, PIN)
    press(app, pygame.K_RETURN)
    click_button(app, "+1 turn")
    assert match.state.last_turn == last_turn + 1 and match.facilitator[-1].kind == "extend"
    assert "Added 1 turn(s)" in app.scene.status.text
    press(app, pygame.K_ESCAPE)
    assert scene_name(app) == "board"

    # save, play to the end
    save = app.saves.save(match, "class")
    run_until(app, lambda: scene_name(app) == "debrief", frames=30_000, on_frame=play.step)
    assert match.over
    assert play.reflections >= 3
    # the hand-offs were checked against every kind of private string at least once
    assert all(play.kinds_checked.values()), play.kinds_checked
    loaded = load_match(save)
    assert [str(a) for a in loaded.actions] == [
        str(a) for a in match.actions[: len(loaded.actions)]
    ]
    assert loaded.facilitator == match.facilitator[: len(loaded.facilitator)]

    # the debrief shows the facilitator's actions and the reflections; Export writes the pack
    debrief_text = " ".join(widget_texts(app))
    assert (
        "The facilitator&#x27;s actions" in debrief_text
        or "The facilitator's actions" in debrief_text
    )
    assert "Reflections" in debrief_text and "Owls" in debrief_text
    code = crisis_code("border_incident", SEED)
    assert any(code in text for text in drawn)  # so another class can play the same crisis
    press(app, pygame.K_x)
    shoot(app, SHOTS, "debrief-exported")
    assert "Report written beside the saves" in app.scene.export_status.text
    folders = list((tmp_path / "saves").glob("*-report"))
    assert len(folders) == 1
    check_pack(folders[0], match)

    # the save replays to the same game
    final = app.saves.save(match, "final")
    assert state_hash(load_match(final).state) == state_hash(match.state)


def _list_item(selection_list, text: str):
    for element in selection_list.item_list_container.elements:
        if element.text == text:
            return element
    raise AssertionError(f"{text!r} is not in the list")


def check_pack(folder, match) -> None:
    page = Page((folder / "report.html").read_text("utf-8"))  # strict: every element closed
    relations = len(match.scenario.relations)
    deals = len(charts(match.scenario, match.state))  # a format-2 accord's deals chart each
    assert page.figures == relations and page.tags.count("svg") == relations + deals
    text = " ".join(page.text)
    for team in TEAMS.values():
        assert team in text
    assert "We chose to talk first" in text
    assert "the class agreed to calm the border" in text and "(undone later)" in text
    assert "Undid play from turn 2" in text
    rows = list(csv.DictReader((folder / "meters.csv").open(encoding="utf-8")))
    assert len(rows) == len(match.history) * relations
    log = json.loads((folder / "log.json").read_text("utf-8"))
    assert len(log["ledger"]) == len(match.ledger)
    assert [n["kind"] for n in log["facilitator"]] == [
        "inject",
        "adjust",
        "undo",
        "pause",
        "resume",
        "extend",
    ]


# ------------------------------------------------------------------ smaller class matters


def test_a_crisis_code_typed_at_new_game_opens_that_crisis_with_its_seed(tmp_path):
    from game.session.codes import crisis_code
    from game.ui.scenes.title import TitleScene

    app = make_app(tmp_path / "saves")
    app.push(TitleScene(app))
    pump(app)
    press(app, pygame.K_n)
    browser = app.scene
    press(app, pygame.K_c)
    assert browser.code.is_focused
    type_text(app, "NBH-72DW8-K5")  # one character wrong
    press(app, pygame.K_RETURN)  # opens the code, which is refused
    assert not browser.code.is_focused and browser.code.get_text() == "NBH-72DW8-K5"
    assert scene_name(app) == "scenarios" and "mistyped" in browser.code_status.text
    click(app, browser.code.rect.center)
    clear_entry(app)
    type_text(app, crisis_code("border_incident", 424242).lower().replace("-", " "))
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "setup"
    assert app.scene.scenario.id == "border_incident" and app.scene.seed == 424242
    assert app.scene.code.get_text() == crisis_code("border_incident", 424242)


def test_setup_refuses_a_short_pin_and_a_code_for_another_crisis(tmp_path):
    from game.content import loader
    from game.session.codes import crisis_code
    from game.ui.scenes.setup import SetupScene

    app = make_app(tmp_path / "saves")
    result = loader.load_scenario(loader.SCENARIO_DIR / "border_incident.yaml")
    app.push(SetupScene(app, result))
    setup = app.scene
    click(app, setup.pin.rect.center)
    type_text(app, "12")
    press(app, pygame.K_RETURN)  # to the crisis code
    press(app, pygame.K_RETURN)  # to Start
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "setup" and "PIN is 3 to 8 digits" in setup.status.text
    click(app, setup.pin.rect.center)
    clear_entry(app)
    press(app, pygame.K_RETURN)
    assert setup.code.is_focused
    type_text(app, crisis_code("tutorial", 5))
    press(app, pygame.K_RETURN)
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "setup" and "another crisis" in setup.status.text


def test_time_up_only_warns_unless_the_teacher_chose_auto_pass(tmp_path):
    from game.content import loader
    from game.session.match import HUMAN, Classroom, Match, Seat, Source
    from game.ui.scenes.board import open_match

    result = loader.load_scenario(loader.SCENARIO_DIR / "border_incident.yaml")
    for auto_pass in (False, True):
        seats = [Seat("un_envoy", HUMAN, name="Owls"), Seat("norland_fm", HUMAN, name="Badgers")]
        match = Match.start(result.unwrap(), Source.of(result), 8, seats)
        match.classroom = Classroom(timer_seconds=60, auto_pass=auto_pass, reflect=True)
        app = make_app(tmp_path / f"saves-{auto_pass}")
        open_match(app, match)
        run_until(
            app,
            lambda app=app: scene_name(app) == "board" and app.scene.human_turn,
            on_frame=lambda app=app: (
                press(app, pygame.K_SPACE) if scene_name(app) == "handoff" else pump(app)
            ),
        )
        board = app.scene
        envoy = board.hand
        pump(app, 2)
        assert board.ticking and not board.busy  # a wake-up a second, not sixty frames
        now = [board.table.timer.clock()]
        board.table.timer.clock = lambda now=now: now[0]
        for _ in range(3):  # three frames 25 s apart: past the minute
            now[0] += 25
            board.update(1 / 60)
        if auto_pass:
            assert match.actions and str(match.actions[-1]) == f"end {envoy}"
            assert scene_name(app) != "reflection"  # an auto-pass asks nothing
        else:
            assert board.clock_text() == ("TIME IS UP", "bad") and board.human_turn
            assert not any(str(a).startswith("end") for a in match.actions)


def test_shuffle_deals_the_team_names_to_the_human_seats_only(tmp_path):
    from game.content import loader
    from game.ui.scenes.setup import SetupScene

    app = make_app(tmp_path / "saves")
    result = loader.load_scenario(loader.SCENARIO_DIR / "border_incident.yaml")
    app.push(SetupScene(app, result))
    setup = app.scene
    press(app, pygame.K_DOWN)
    press(app, pygame.K_LEFT)  # the second seat becomes a human team; the third stays AI
    assert setup.kinds == ["human", "human", "ai"]
    seen = set()
    for _ in range(30):
        press(app, pygame.K_f, frames=1)
        seats = setup.seats()
        assert sorted(s.name for s in seats if s.is_human) == ["Team 1", "Team 2"]
        assert [s.name for s in seats if not s.is_human] == [""]
        seen.add(seats[0].name)
    assert seen == {"Team 1", "Team 2"}  # both deals happen (a 1 in 500 million chance not to)


def test_setup_takes_at_most_six_human_teams(tmp_path):
    import copy

    import yaml
    from conftest import lab_dict

    from game.content.loader import load_scenario_bytes
    from game.ui.scenes.setup import SetupScene

    data = lab_dict()
    first = data["envoys"][0]
    data["envoys"] = [
        {**copy.deepcopy(first), "id": f"envoy_{n}", "name": f"Envoy {n}"} for n in range(7)
    ]
    data["teacher"]["players"] = {"min": 1, "max": 7}
    result = load_scenario_bytes(yaml.safe_dump(data).encode(), "seven.yaml")
    assert result.scenario is not None, result.errors
    app = make_app(tmp_path / "saves")
    app.push(SetupScene(app, result))
    setup = app.scene
    pump(app, 2)
    for _ in range(6):
        press(app, pygame.K_DOWN)
        press(app, pygame.K_LEFT)
    assert setup.kinds.count("human") == 7
    pump(app, 3)
    shoot(app, SHOTS, "setup-seven-envoys")
    assert all(b.rect.bottom <= app.size[1] for b in buttons(app))
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "setup" and "At most 6 human teams" in setup.status.text
    press(app, pygame.K_RIGHT)  # one seat back to AI
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "briefing"
    shoot(app, SHOTS, "briefing-six-teams")


def test_advice_asked_for_by_one_team_never_reaches_the_next(tmp_path):
    """A team asks the advisor and ends its turn before the advice is ready:
    the advice must not appear on the next team's board."""
    from game.content import loader
    from game.session.match import HUMAN, Classroom, Match, Seat, Source
    from game.ui.scenes.board import open_match

    result = loader.load_scenario(loader.SCENARIO_DIR / "border_incident.yaml")
    seats = [Seat("un_envoy", HUMAN, name="Owls"), Seat("norland_fm", HUMAN, name="Badgers")]
    match = Match.start(result.unwrap(), Source.of(result), 8, seats)
    match.classroom = Classroom(reflect=False)
    app = make_app(tmp_path / "saves")
    open_match(app, match)

    def to_the_board(app=app):
        if scene_name(app) == "handoff":
            press(app, pygame.K_SPACE)
        else:
            pump(app)

    run_until(
        app, lambda: scene_name(app) == "board" and app.scene.human_turn, on_frame=to_the_board
    )
    board = app.scene
    first = board.hand
    # both in one frame: the advisor has no time to answer
    for event in keystroke(pygame.K_a) + keystroke(pygame.K_e):
        pygame.event.post(event)
    pump(app)
    assert [str(a) for a in match.actions][-1] == f"end {first}"
    run_until(
        app,
        lambda: scene_name(app) == "board" and app.scene.human_turn and board.hand != first,
        on_frame=to_the_board,
    )
    pump(app, 30)  # long enough for any stray thinking to finish
    assert board.table.thinking is None
    assert board.advice == "" and board.table.advice_action is None


def test_projector_mode_is_switched_on_in_settings_and_the_whole_ui_follows(tmp_path):
    from game.session.settings import LIMITS
    from game.ui.scenes.title import TitleScene

    app = make_app(tmp_path / "saves")
    app.push(TitleScene(app))
    pump(app, 2)
    before = app.style.scale
    press(app, pygame.K_s)
    settings = app.scene
    assert scene_name(app) == "settings"
    settings.row = settings.keys.index("projector") - 1
    press(app, pygame.K_DOWN)
    press(app, pygame.K_RIGHT)
    assert settings._value("projector") == "On (large, high contrast)"
    click_button(app, "Apply")
    assert app.settings.projector
    assert app.style.palette == LIMITS["projector"]["palette"]
    assert app.style.scale > before
    shoot(app, SHOTS, "settings-projector-on")


def test_the_boards_log_words_a_facilitator_adjustment_as_players_read_it(tmp_path, drawn):
    """Facilitator lines in the log showed raw ids ("adjusts tension (norland, sudmark)")."""
    from matchplay import new_match

    app = make_app(tmp_path / "saves")
    app.open("open-match", new_match(3))
    run_until(app, lambda: scene_name(app) == "board" and app.scene.human_turn)
    press(app, pygame.K_F9)
    panel = app.scene
    assert scene_name(app) == "facilitator"
    row = next(n for n, (_, meter, _, _) in enumerate(panel.rows) if meter == "tension")
    click(app, panel.meter_list.item_list_container.elements[row].rect.center)
    click(app, panel.value.rect.center)
    type_text(app, "35")
    click(app, panel.reason.rect.center)
    type_text(app, "the class voted")
    click_button(app, "Apply")
    press(app, pygame.K_ESCAPE)
    assert scene_name(app) == "board"
    drawn.clear()
    app.scene.painter.forget()  # the whole board drawn again, not from its cache
    app.scene.dirty = True
    pump(app, 2)
    shoot(app, SHOTS, "board-after-adjustment")
    said = [line for line in drawn if "facilitator" in line.lower()]
    assert any("sets Tension Norland–Sudmark to 35: the class voted" in line for line in said)
    ids = ("norland", "sudmark", "vellmark", "un_envoy", "tension(")
    assert not [line for line in drawn if any(word in line for word in ids)]


def test_a_screen_over_the_facilitator_panel_does_not_pause_the_crisis(tmp_path):
    """The panel's own "pause the crisis" once shared its name with the hook a screen
    runs when another comes over it, so covering the panel paused the class."""
    from matchplay import new_match

    match = new_match(3)
    app = make_app(tmp_path / "saves")
    app.open("open-match", match)
    run_until(app, lambda: scene_name(app) == "board" and app.scene.human_turn)
    press(app, pygame.K_F9)
    assert scene_name(app) == "facilitator"
    app.push("howto")
    pump(app, 2)
    assert scene_name(app) == "howto"
    assert [n.kind for n in match.facilitator] == []
    app.pop()
    pump(app, 2)
    assert scene_name(app) == "facilitator"
    press(app, pygame.K_p)  # the panel's own Pause still pauses the crisis
    run_until(app, lambda: scene_name(app) == "paused")
    assert [n.kind for n in match.facilitator] == ["pause"]
