"""Names in class play: the facilitator's lists report the chosen row by its text, so
two events that share a title must still be two rows; a long team name heads its
reflection whole."""

from __future__ import annotations

import pygame
from uidrive import click, make_app, press, pump, scene_name

from game.content.loader import SCENARIO_DIR, load_scenario_bytes
from game.engine.actions import Inject
from game.session.match import HUMAN, Match, Seat, Source
from game.ui.scenes.board import BoardScene


def twin_titles_match() -> Match:
    data = (SCENARIO_DIR / "border_incident.yaml").read_bytes()
    data = data.replace(b"title: A friendly match", b"title: A radar misreading", 1)
    result = load_scenario_bytes(data, "twins.yaml")
    scenario = result.unwrap()
    seats = [Seat(e.id, HUMAN, name=f"Team {i + 1}") for i, e in enumerate(scenario.envoys)]
    return Match.start(scenario, Source("twins.yaml", data, result.library_bytes), 3, seats)


def test_two_events_with_one_title_are_two_rows_and_each_fires_itself(tmp_path):
    match = twin_titles_match()
    app = make_app(tmp_path / "saves")
    board = BoardScene(app, match)
    app.push(board)
    board.take_seat(match.acting_id)
    pump(app)
    press(app, pygame.K_F9)
    panel = app.scene
    assert scene_name(app) == "facilitator"
    rows = [item["text"] for item in panel.event_list.item_list]
    assert len(rows) == len(set(rows)) == len(match.scenario.events)
    assert "A radar misreading (misunderstanding)" in rows
    assert "A radar misreading (football_match)" in rows
    second = rows.index("A radar misreading (football_match)")
    click(app, panel.event_list.item_list_container.elements[second].rect.center)
    panel.fire()
    fired = [a for a in match.actions if isinstance(a, Inject)]
    assert [a.event for a in fired] == ["football_match"]


def test_a_long_team_name_heads_its_reflection_whole(tmp_path):
    from game.content.loader import load_scenario
    from game.session.match import Classroom

    border = load_scenario(SCENARIO_DIR / "border_incident.yaml")
    scenario = border.unwrap()
    long_name = "The Delegation of the Federated Northern Provinces"
    seats = [
        Seat(e.id, HUMAN, name=long_name if i == 0 else "") for i, e in enumerate(scenario.envoys)
    ]
    match = Match.start(scenario, Source.of(border), 3, seats)
    match.classroom = Classroom(timer_seconds=0, reflect=True)
    app = make_app(tmp_path / "saves", (1280, 720), ui_scale=200)
    board = BoardScene(app, match)
    app.push(board)
    board.take_seat(match.acting_id)
    pump(app)
    press(app, pygame.K_e)
    assert scene_name(app) == "reflection"
    texts = [getattr(e, "text", "") for e in app.scene.root.elements]
    assert long_name in texts  # not "The Delegation of the Federated Northern Prov…: a mo…"


def test_the_projector_header_says_whose_turn_it_is_whole(tmp_path):
    """At 1280x720 in projector mode the header is short: the crisis title gives way,
    never the status that tells the class whose turn it is."""
    match = twin_titles_match()
    app = make_app(tmp_path / "saves", (1280, 720), projector=True)
    board = BoardScene(app, match)
    app.push(board)
    board.take_seat(match.acting_id)
    pump(app)
    status = board.table.status()
    assert status.startswith("Team 1: ")
    assert board.style.scale > 1  # projector mode enlarges everything
    _, _, status_room = board.painter.bar_widths(*header(board))
    assert board.painter.fit(status, 16, status_room, bold=True) == status


def header(board):
    style, state = board.style, board.match.state
    turn = style.text(f"Turn {state.turn} of {state.last_turn}", 17, "muted", True)
    cap = style.text(f"Capital {state.capital[0]}", 17, "warn", True)
    label = style.text("Escalation 64/100", 15, "muted")
    return turn, cap, label
