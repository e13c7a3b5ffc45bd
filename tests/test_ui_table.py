"""The board and the resolution drawn from the table: the playback does not spoil
itself, changes are coloured by whether they are good for the crisis, and the
facilitator's undo says its turn. Screenshots go to test-artifacts/table."""

from __future__ import annotations

import re

import pygame
import pytest
from uidrive import ARTIFACTS, make_app, press, pump, run_until, scene_name, shoot

from game.content.loader import SCENARIO_DIR, load_scenario
from game.engine.ledger import Cause, Entry
from game.session import narrate
from game.session.match import AI, HUMAN, Match, Seat, Source
from game.session.table import Playback
from game.ui.render.map import map_layout
from game.ui.scenes.board import BoardScene

SHOTS = ARTIFACTS / "table"


def solo(seed: int = 11) -> Match:
    result = load_scenario(SCENARIO_DIR / "border_incident.yaml")
    scenario = result.unwrap()
    seats = [Seat(e.id, HUMAN if i == 0 else AI, "easy") for i, e in enumerate(scenario.envoys)]
    return Match.start(scenario, Source.of(result), seed, seats)


def repaint(app, board) -> None:
    """Draw the whole board again from nothing, as a new frame would."""
    board.painter.forget()
    board.dirty = True
    pump(app)


def to_resolution(app) -> BoardScene:
    board = BoardScene(app, solo())
    app.push(board)
    pump(app, 2)
    press(app, pygame.K_RETURN)  # the first usable card
    press(app, pygame.K_e)
    run_until(
        app,
        lambda: scene_name(app) == "resolution",
        on_frame=lambda: press(app, pygame.K_1) if scene_name(app) == "decision" else None,
    )
    return board


def test_at_step_one_the_board_shows_nothing_of_the_later_steps(tmp_path, drawn):
    app = make_app(tmp_path / "saves")
    board = to_resolution(app)
    table, scene = board.table, app.scene
    playback = table.playback
    assert playback.index == 0 and len(playback.beats) > 2
    resolved = playback.turn
    scenario = board.match.scenario
    drawn.clear()
    repaint(app, board)
    shoot(app, SHOTS, "resolution-first-step")
    assert f"Turn {resolved} of {board.match.state.last_turn}" in drawn
    assert not any(text.startswith(f"Turn {resolved + 1} of") for text in drawn)
    shown = {narrate.line(scenario, e) for e in table.log_entries()}
    later = [
        narrate.line(scenario, e)
        for e in playback.entries[len(playback.told) :]
        if narrate.line(scenario, e) not in shown
    ]
    assert later
    painted = " ".join(drawn)
    assert not [line for line in later if line in painted]
    words = scene.box.html_text
    assert f"Step 1 of {len(playback.beats)}" in words
    headline = playback.beats[-1].headline
    if all(headline != b.headline for b in playback.beats[:1]):
        assert headline not in words
    # the last step: the board has caught up with the story, and no further
    for _ in range(len(playback.beats) - 1):
        press(app, pygame.K_SPACE, frames=1)
    assert scene_name(app) == "resolution" and table.playback.index == len(playback.beats) - 1
    pump(app, 30)
    shoot(app, SHOTS, "resolution-last-step")
    press(app, pygame.K_SPACE)
    assert table.playback is None
    drawn.clear()
    repaint(app, board)
    assert f"Turn {board.match.state.turn} of {board.match.state.last_turn}" in drawn


@pytest.mark.parametrize("palette", ["standard", "colour_blind"])
def test_a_fall_in_pressure_is_coloured_good_and_a_rise_in_tension_bad(tmp_path, palette):
    app = make_app(tmp_path / "saves", palette=palette)
    board = BoardScene(app, solo())
    app.push(board)
    pump(app)
    table, scenario = board.table, board.match.scenario
    ids = [p.id for p in scenario.parties]
    relation = scenario.relations[0]
    pair = (ids[relation.a], ids[relation.b])
    cause = Cause("move", "talks")
    changes = (
        Entry(1, cause, meter="pressure", subject=pair, before=4, after=2),
        Entry(1, cause, meter="tension", subject=pair, before=30, after=36),
        Entry(1, cause, meter="trust", subject=pair, before=30, after=26),
    )
    beat = narrate.Beat("Talks", changes, 1)
    table.playback = Playback(1, table.view(), [], [beat], [len(changes)], list(changes))
    app.push("resolution", board, list(changes))
    pump(app, 2)
    html = app.scene.box.html_text
    style = app.style

    def colour_of(entry) -> str:
        text = narrate.change(scenario, entry)
        found = re.search(r"<font color=(#[0-9a-f]{6})>• " + re.escape(text), html)
        assert found, (text, html)
        return found.group(1)

    def hex_of(name: str) -> str:
        return "#" + "".join(f"{v:02x}" for v in tuple(style[name])[:3])

    assert colour_of(changes[0]) == hex_of("good")  # pressure fell: good for the crisis
    assert colour_of(changes[1]) == hex_of("bad")
    assert colour_of(changes[2]) == hex_of("bad")  # trust fell


def test_the_facilitator_panel_says_the_turn_an_undo_goes_back_to(tmp_path):
    app = make_app(tmp_path / "saves")
    board = to_resolution(app)
    press(app, pygame.K_s)  # skip the story
    run_until(app, lambda: scene_name(app) == "board" and board.human_turn)
    shoot(app, SHOTS, "board")
    press(app, pygame.K_F9)
    assert scene_name(app) == "facilitator"
    pump(app, 2)
    shoot(app, SHOTS, "facilitator")
    texts = [b.text for b in app.scene.root.elements if hasattr(b, "text")]
    assert "Undo to the start of turn 1 (U)" in texts
    press(app, pygame.K_u)
    assert board.match.state.turn == 1
    assert board.toast_text == "Back to the start of turn 1."


def test_the_hand_off_shows_only_what_everyone_may_see(tmp_path, drawn):
    result = load_scenario(SCENARIO_DIR / "border_incident.yaml")
    scenario = result.unwrap()
    seats = [Seat(e.id, HUMAN, name=f"Team {i + 1}") for i, e in enumerate(scenario.envoys)]
    match = Match.start(scenario, Source.of(result), 5, seats)
    app = make_app(tmp_path / "saves")
    board = BoardScene(app, match)
    app.push(board)
    pump(app, 2)
    assert scene_name(app) == "handoff" and board.table.viewer is None
    shoot(app, SHOTS, "handoff")
    press(app, pygame.K_SPACE)  # the first team's private brief
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "board" and board.table.viewer == match.acting_id
    first = match.acting_id
    agenda = [str(o.text) for o in scenario.envoys[scenario.envoy_index(first)].agenda]
    press(app, pygame.K_e)
    assert scene_name(app) == "handoff" and board.table.viewer is None
    drawn.clear()
    pump(app, 2)
    assert "Pass to Team 2" in drawn
    assert not [text for text in drawn if any(a in text for a in agenda)]


def test_the_odds_bands_come_from_the_board_tunables():
    from game.ui.render.board import ODDS, odds_tone

    assert 0 < ODDS["warn"] < ODDS["good"] <= 1
    assert odds_tone(ODDS["good"]) == "good"
    assert odds_tone(ODDS["good"] - 0.01) == "warn"
    assert odds_tone(ODDS["warn"]) == "warn"
    assert odds_tone(ODDS["warn"] - 0.01) == "bad"


@pytest.mark.parametrize(
    "crisis", ["border_incident", "middle_power_at_sea", "summit_on_the_brink", "long_peace"]
)
def test_the_advisor_suggests_without_moving_and_hides_no_party(tmp_path, crisis):
    """A asks; the answer moves nothing; A again takes it. Its box covers no party."""
    result = load_scenario(SCENARIO_DIR / f"{crisis}.yaml")
    scenario = result.unwrap()
    seats = [Seat(e.id, HUMAN if i == 0 else AI, "easy") for i, e in enumerate(scenario.envoys)]
    app = make_app(tmp_path / "saves")
    board = BoardScene(app, Match.start(scenario, Source.of(result), 5, seats))
    app.push(board)
    run_until(app, lambda: board.table.human_turn)
    table = board.table
    last = max(i for i, card in enumerate(table.cards) if card.usable)
    table.selected = last  # the advice is most likely about another card
    board.dirty = True
    press(app, pygame.K_a)
    run_until(app, lambda: bool(table.advice))
    assert table.selected == last  # nothing moved until the player takes the advice
    advised = table.advised_card()
    if advised is not None:
        assert "Press A again" in table.advice
        press(app, pygame.K_a)
        assert table.selected == advised
        assert table.cards[advised].plays[table.cards[advised].target] == table.advice_action
    # Its box goes where it is farthest from the parties and the relations' labels,
    # so it never covers more of them than the corner it always sat in.
    rect = board.regions["map"]
    width, height = min(board.px(300), rect.width * 2 // 5), board.px(140)
    nodes, _ = map_layout(scenario, rect, board.style)
    radius = board.px(24)

    def covered(box: pygame.Rect) -> int:
        return sum(box.inflate(2 * radius, 2 * radius).collidepoint(n) for n in nodes)

    box = board.painter.clear_corner(rect, width, height)
    old = pygame.Rect(
        rect.right - width - board.px(10), rect.bottom - height - board.px(10), width, height
    )
    assert rect.contains(box)
    assert covered(box) <= covered(old)
    shoot(app, ARTIFACTS / "table", f"advisor-{crisis}")
