"""A click finds what is drawn under it, even in the frame after the board changed.

The monkey (seed 777, about 9,300 inputs) ended a hot-seat turn and clicked in the
same frame: the board hit-tested the cards with positions kept from the last frame,
of a hand that had just emptied, and raised an IndexError. Cards, log lines and map
nodes are now placed by the same function for drawing and for clicks.
"""

from __future__ import annotations

import pygame
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from uidrive import make_app, pump

from game.content.loader import SCENARIO_DIR, load_scenario
from game.session.match import AI, HUMAN, Classroom, Match, Seat, Source
from game.session.settings import Settings
from game.ui.render.board import BoardPainter
from game.ui.render.map import map_layout
from game.ui.scenes.board import BoardScene

BORDER = load_scenario(SCENARIO_DIR / "border_incident.yaml")


def class_match(seed: int = 3) -> Match:
    """Border Incident with every envoy a human team, in hot-seat, no reflections."""
    scenario = BORDER.unwrap()
    seats = [Seat(e.id, HUMAN, name=f"Team {i + 1}") for i, e in enumerate(scenario.envoys)]
    match = Match.start(scenario, Source.of(BORDER), seed, seats)
    match.classroom = Classroom(timer_seconds=0, reflect=False)
    return match


def solo_match(seed: int = 3) -> Match:
    scenario = BORDER.unwrap()
    seats = [Seat(e.id, HUMAN if i == 0 else AI) for i, e in enumerate(scenario.envoys)]
    return Match.start(scenario, Source.of(BORDER), seed, seats)


def seated_board(tmp_path, match: Match, size=(1280, 720)):
    app = make_app(tmp_path / "saves", size)
    board = BoardScene(app, match)
    app.push(board)
    if match.hot_seat:
        board.take_seat(match.acting_id)  # as the hand-off screen does
    pump(app)
    assert app.scene is board and board.cards
    return app, board


def post_key(key: int) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))


def post_click(pos) -> None:
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))


def test_a_click_in_the_frame_a_team_ends_its_turn_finds_no_stale_card(tmp_path):
    app, board = seated_board(tmp_path, class_match())
    last_card = board.card_rects[-1][1].center
    post_key(pygame.K_e)  # the team ends its turn: the screen is everyone's, no cards shown
    post_click(last_card)  # in the same frame, before the board is drawn again
    pump(app)
    assert board.viewer is None and not board.cards and not board.card_rects


def test_every_card_drawn_is_where_a_click_finds_it(tmp_path, monkeypatch):
    _, board = seated_board(tmp_path, solo_match())
    drawn = []
    real = BoardPainter.draw_card
    monkeypatch.setattr(
        BoardPainter,
        "draw_card",
        lambda self, canvas, card, box, selected: (
            drawn.append((self.table.cards.index(card), pygame.Rect(box))),
            real(self, canvas, card, box, selected),
        ),
    )
    board.painter.forget()  # a whole frame, every region painted
    board.render()
    area, boxes = board.card_layout()
    assert drawn == boxes
    for index, box in drawn:
        assert board._click(box.clip(area).center)  # a card half out of view: its visible part
        assert board.selected == index


# Things a player does between two frames that change the cards, the log or the layout.
STEPS = st.lists(
    st.sampled_from(["choose", "withdraw", "down", "end", "scroll", "wheel_up", "resize"]),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS, sizes=st.lists(st.sampled_from([(960, 540), (1280, 720), (1600, 900)])))
def test_clicks_between_frames_only_find_cards_and_log_lines_that_exist(tmp_path, steps, sizes):
    app, board = seated_board(tmp_path, class_match())
    sizes = [*sizes, (1280, 720)]
    for step in steps:
        if step == "choose":
            post_key(pygame.K_RETURN)
        elif step == "withdraw":
            post_key(pygame.K_BACKSPACE)
        elif step == "down":
            post_key(pygame.K_DOWN)
        elif step == "end":
            post_key(pygame.K_e)
        elif step == "scroll":
            board._scroll_cards(board.px(200))
        elif step == "wheel_up":
            board._scroll_cards(-board.px(60))
        else:
            width, height = sizes.pop(0) if len(sizes) > 1 else sizes[0]
            app.apply_settings(Settings(width=width, height=height))
        for event in pygame.event.get():
            app.dispatch(event)
        # No frame has been drawn since: every position must still name a card or a line.
        area, boxes = board.card_layout()
        assert all(0 <= index < len(board.cards) for index, _ in boxes)
        entries = board.log_entries()
        assert all(0 <= index < len(entries) for index, _ in board.log_layout(entries))
        for index, box in boxes:
            if area.collidepoint(box.center):
                board._click(box.center)
                assert board.selected == index
        for row in range(len(board.log_layout(entries))):
            index, line = board.log_layout(entries)[row]  # a click re-centres the log
            board._click(line.center)
            assert board.log_index == index
        pump(app)
        if app.scene is not board:  # the turn resolved, or the next team is asked for
            break


def test_after_a_resize_the_map_is_hit_where_it_will_be_drawn(tmp_path):
    app, board = seated_board(tmp_path, solo_match())
    app.apply_settings(Settings(width=1600, height=900))  # no frame drawn yet at the new size
    nodes, _ = map_layout(board.match.scenario, board.regions["map"], board.style)
    for index, centre in enumerate(nodes):
        board._click(centre)
        assert board.focus == ("party", index)
