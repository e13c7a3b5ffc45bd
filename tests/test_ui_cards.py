"""Every card readable at every size: the cards, the selected move's details, the header.

The details panel below the map shows the selected move whole (its description,
its effects on success and on failure, what it costs now and later, its
cooldown, who sees it, why it cannot be played). These tests read the table's
words and the painter's layout, and check at each size that every text is
whole and inside its box; the screenshots they save are looked at.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pygame
import pytest
from test_ui_drafts import board_of
from uidrive import ARTIFACTS, make_app, press, pump, run_until, scene_name, shoot

from game.content import loader
from game.session import narrate
from game.session.match import AI, HUMAN, Classroom, Match, Seat, Source
from game.session.table import Table

FIXTURES = Path(__file__).parent / "fixtures"

#: The sizes a board must lay out for: (name, window, settings).
SIZES = [
    ("1280x720", (1280, 720), {}),
    ("1920x1080", (1920, 1080), {}),
    ("1280x720-125", (1280, 720), {"ui_scale": 125}),
    ("1280x720-150", (1280, 720), {"ui_scale": 150}),
    ("1280x720-projector", (1280, 720), {"projector": True}),
    ("1024x768", (1024, 768), {}),
]


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    monkeypatch.setenv("ENVOY_CONFIG_DIR", str(tmp_path / "config"))


def border_match(seed: int = 4, hot_seat: bool = False) -> Match:
    result = loader.load_scenario(loader.SCENARIO_DIR / "border_incident.yaml")
    if hot_seat:
        seats = [
            Seat("un_envoy", HUMAN, name="The Owls of Room 12"),
            Seat("norland_fm", HUMAN, name="Badgers"),
            Seat("vellmark_fm", AI),
        ]
    else:
        seats = [Seat("un_envoy", HUMAN), Seat("norland_fm", AI), Seat("vellmark_fm", AI)]
    match = Match.start(result.unwrap(), Source.of(result), seed, seats)
    if hot_seat:
        match.classroom = Classroom(timer_seconds=180)  # its clock shares the cards' heading
    return match


def khmer_match() -> Match:
    result = loader.load_scenario(FIXTURES / "khmer_quarrel.yaml")
    return Match.start(result.unwrap(), Source.of(result), 7, [Seat("envoy", HUMAN)])


def card(table: Table, move_id: str):
    return next(c for c in table.cards if c.move.id == move_id)


def squeezed(text: str) -> str:
    """Text without its spaces: a wrapped text's lines, joined, read the same."""
    return "".join(text.split())


# -------------------------------------------------------------- the words, without a window


def test_the_details_give_the_description_and_the_whole_failure():
    table = Table(border_match())
    talks = card(table, "back_channel")
    details = {d.kind: d.text for d in table.details(talks)}
    assert details["about"] == talks.move.text.get("en")
    seen, before = table.preview(talks), table.view()
    lose = narrate.differences(table.match.scenario, before, seen.failure)
    assert len(lose) >= 3  # the case a card cut with "…"
    assert details["fails"] == "If it fails: " + ", ".join(lose)
    assert details["visibility"].startswith("Secret")


def test_embargo_says_it_costs_capital_next_turn_before_it_is_played():
    table = Table(border_match())
    embargo = card(table, "embargo")
    assert embargo.action is not None
    assert table.cost_text(embargo) == "3 capital +2 next turn"
    details = {d.kind: d.text for d in table.details(embargo)}
    assert details["cost"] == (
        "Costs 3 capital now, and 2 more at resolution, out of next turn's capital."
    )
    assert details["cooldown"] == "Once played, it rests for 2 turns."
    # and what it says is what the rules do: the capital after its resolution is 2 less
    seen = table.preview(embargo)
    envoy = table.match.scenario.envoy_index("un_envoy")
    for outcome in (seen.success, seen.failure):
        assert table.view().capital[envoy] - outcome.capital[envoy] == 2


def test_a_move_without_later_costs_says_none():
    table = Table(border_match())
    hotline = card(table, "hotline")
    assert table.cost_text(hotline) == "2 capital"
    assert {d.kind: d.text for d in table.details(hotline)}["cost"] == "Costs 2 capital now."


def test_an_unavailable_card_says_why_in_its_details():
    table = Table(border_match())
    accord = card(table, "propose_accord")
    assert accord.action is None and accord.reason
    kinds = [(d.kind, d.text) for d in table.details(accord)]
    assert ("unavailable", accord.reason_whole + ".") in kinds
    assert not any(kind in ("works", "fails", "odds") for kind, _ in kinds)


def test_delayed_effects_and_their_timing_are_stated():
    table = Table(border_match())
    exchange = card(table, "student_exchange")
    details = {d.kind: d.text for d in table.details(exchange)}
    delayed = exchange.move.delayed[0]
    assert details["delayed"] == (
        f"For {delayed.each_turn_for} turns after it works: {delayed.text.get('en')}"
    )


def test_the_log_is_one_key_away_and_comes_back_by_itself_when_no_move_is_chosen():
    table = Table(border_match())
    assert table.human_turn and not table.shows_log
    table.log_asked = True
    assert table.shows_log
    table.log_asked = False
    table.end_turn()
    assert not table.human_turn and table.shows_log


# -------------------------------------------------------------- the layout, at every size


def open_board(tmp_path, size, settings, match):
    from game.ui.scenes.board import open_match

    app = make_app(tmp_path / "saves", size, **settings)
    open_match(app, match)
    if match.hot_seat:
        run_until(app, lambda: scene_name(app) == "handoff", frames=300)
        press(app, pygame.K_SPACE)
        press(app, pygame.K_RETURN)
    run_until(app, lambda: scene_name(app) == "board" and app.scene.human_turn, frames=600)
    pump(app, 2)
    return app, app.scene


def check_status(board) -> None:
    """The header's status is whole, inside the header, clear of its buttons."""
    lines = board.painter.status_layout()
    status = board.table.status()
    assert lines, "the status vanished"
    assert squeezed("".join(line.text for line in lines)) == squeezed(status)
    bar = board.regions["bar"]
    for line in lines:
        assert bar.contains(line.rect), (line.text, line.rect, bar)
        assert line.rect.right <= board.help_button.rect.left, line.text


def check_cards(board) -> int:
    """Every visible card's texts are whole and inside it; returns how many show whole.
    The heading over them is whole too, clear of the turn timer."""
    painter = board.painter
    title = painter.cards_title_lines()
    assert squeezed("".join(title)) == squeezed(board.table.cards_title())
    clock = painter.clock_box()
    right = clock.left if clock is not None else board.regions["cards"].right
    for piece in title:
        assert (
            board.regions["cards"].left + board.px(12) + board.style.width(piece, 17, True) <= right
        ), piece
    area, boxes = board.card_layout()
    whole = 0
    for index, box in boxes:
        shown = board.table.cards[index]
        height, lines = painter.card_texts(shown, box.width)
        assert height == box.height
        inside = pygame.Rect((0, 0), box.size)
        for line in lines:
            assert inside.contains(line.rect), (shown.move.id, line.text, line.rect, box.size)
            assert "…" not in line.text or "…" in str(shown.move.name), line.text
        for a, b in itertools.pairwise(lines):
            assert not a.rect.colliderect(b.rect), (a.text, b.text)
        names = [line.text for line in lines if line.size == 17]
        assert squeezed("".join(names)) == squeezed(str(shown.move.name))
        whole += area.contains(box)
    return whole


def check_details(board) -> None:
    """The selected move's details are all there, whole, inside the panel below the map."""
    painter, table = board.painter, board.table
    shown = table.current_card()
    lines = painter.details_layout(shown)
    panel = board.regions["log"]
    for line in lines:
        assert panel.contains(line.rect), (line.text, line.rect, panel)
    for a, b in itertools.pairwise(lines):
        assert not a.rect.colliderect(b.rect), (a.text, b.text)
    said = squeezed("".join(d.text for d in table.details(shown)))
    assert squeezed("".join(line.text for line in lines)) == said


def select(app, board, move_id: str) -> None:
    for _ in board.table.cards:
        if board.table.current_card().move.id == move_id:
            break
        press(app, pygame.K_DOWN, frames=1)
    pump(app, 2)
    assert board.table.current_card().move.id == move_id


@pytest.mark.parametrize(("name", "size", "settings"), SIZES, ids=[s[0] for s in SIZES])
def test_every_card_and_its_details_are_whole_at_every_size(tmp_path, name, size, settings):
    app, board = open_board(tmp_path, size, settings, border_match())
    folder = ARTIFACTS / "screens" / "cards"
    assert not board.table.shows_log
    check_status(board)
    assert check_cards(board) >= 3
    for index in range(len(board.table.cards)):
        board.table.select(index)
        board._scroll_to_selected()
        board.dirty = True
        pump(app)
        check_cards(board)
        check_details(board)
    shoot(app, folder, f"{name}-last")
    select(app, board, "embargo")
    shoot(app, folder, f"{name}-embargo")
    select(app, board, "back_channel")
    shoot(app, folder, f"{name}-back-channel")
    press(app, pygame.K_l)
    assert board.table.shows_log
    shoot(app, folder, f"{name}-log")


@pytest.mark.parametrize(("name", "size", "settings"), SIZES, ids=[s[0] for s in SIZES])
def test_a_team_name_in_the_header_is_whole_at_every_size(tmp_path, name, size, settings):
    app, board = open_board(tmp_path, size, settings, border_match(hot_seat=True))
    assert board.table.status() == "The Owls of Room 12: choose moves"
    check_status(board)
    check_cards(board)
    check_details(board)
    shoot(app, ARTIFACTS / "screens" / "cards", f"{name}-class")


def test_khmer_cards_and_details_have_room_for_their_lines(tmp_path):
    app, board = open_board(tmp_path, (1280, 720), {"language": "km"}, khmer_match())
    assert board.painter.khmer
    check_status(board)
    for index in range(len(board.table.cards)):
        board.table.select(index)
        board._scroll_to_selected()
        board.dirty = True
        pump(app)
        check_cards(board)
        check_details(board)
    shoot(app, ARTIFACTS / "screens" / "cards", "1280x720-khmer")


def test_the_card_under_the_pointer_is_the_one_selected_and_detailed(tmp_path):
    app, board = open_board(tmp_path, (1280, 720), {}, border_match())
    _, boxes = board.card_layout()
    index, box = boxes[2]
    pygame.event.post(
        pygame.event.Event(pygame.MOUSEMOTION, pos=box.center, rel=(0, 0), buttons=(0, 0, 0))
    )
    pump(app, 2)
    assert board.table.selected == index
    assert board.painter.lower_key()[2] == board.table.cards[index].move.id
    press(app, pygame.K_UP)  # the keys go on from there: one card, one focus
    assert board.table.selected == index - 1
    assert board.painter.lower_key()[2] == board.table.cards[index - 1].move.id


@pytest.mark.parametrize(("name", "size", "settings"), SIZES, ids=[s[0] for s in SIZES])
def test_a_long_toast_is_whole_inside_the_map(tmp_path, name, size, settings):
    app, board = open_board(tmp_path, size, settings, border_match())
    said = "Saved as “Border Incident turn 1” (border-incident-turn-1.json in the saves folder)"
    board.toast(said)
    pump(app, 2)
    box, lines = board.painter.toast_layout()
    assert board.regions["map"].contains(box)
    assert squeezed("".join(line.text for line in lines)) == squeezed(said)
    assert all(box.contains(line.rect) for line in lines)
    shoot(app, ARTIFACTS / "screens" / "cards", f"{name}-toast")


@pytest.mark.parametrize(("name", "size", "settings"), SIZES, ids=[s[0] for s in SIZES])
def test_the_selected_log_entry_and_its_why_are_whole_below_the_list(
    tmp_path, name, size, settings
):
    app, board = open_board(tmp_path, size, settings, border_match())
    entries = board.log_entries()
    news = next(
        i
        for i, e in enumerate(entries)
        if e.note and "Shots at dawn" in (narrate.line(board.match.scenario, e))
    )
    press(app, pygame.K_HOME)
    while board.log_index != news:
        press(app, pygame.K_PAGEDOWN, frames=1)
    pump(app, 2)
    scenario = board.match.scenario
    lines = board.painter.why_layout(entries)
    said = squeezed("".join(line.text for line in lines))
    whole = squeezed(narrate.line(scenario, entries[news]))
    why = squeezed("Why: " + narrate.why(scenario, entries[news]))
    assert said in (whole + why, why)
    if board.style.width(narrate.line(scenario, entries[news]), 14) > board.regions[
        "log"
    ].width - board.px(24):
        assert said == whole + why  # its line in the list is cut: the foot says it whole
    panel = board.regions["log"]
    rows = board.log_layout(entries)
    for line in lines:
        assert panel.contains(line.rect)
        assert not any(line.rect.colliderect(row) for _, row in rows), line.text
    shoot(app, ARTIFACTS / "screens" / "cards", f"{name}-log-why")


def statuses() -> list[str]:
    """Every status the header can show in the built-in crises, the longest team name
    the set-up allows among them."""
    from game.session.settings import LIMITS

    team = "W" * LIMITS["classroom"]["team_name_max_chars"]
    said = [f"{team}: choose moves", f"{team}: decide", "Your turn: choose moves"]
    for path in loader.builtin_scenarios():
        scenario = loader.load_scenario(path).unwrap()
        for envoy in scenario.envoys:
            said += [f"Thinking: {envoy.name.get('en')}", f"AI turn: {envoy.name.get('en')}"]
    return said


@pytest.mark.parametrize(("name", "size", "settings"), SIZES, ids=[s[0] for s in SIZES])
def test_every_status_of_every_crisis_is_whole_in_the_header(tmp_path, name, size, settings):
    _, board = open_board(tmp_path, size, settings, border_match())
    for status in statuses():
        board.table.status = lambda status=status: status
        check_status(board)


@pytest.mark.parametrize(("name", "size", "settings"), SIZES, ids=[s[0] for s in SIZES])
def test_the_maps_box_is_whole_inside_the_map(tmp_path, name, size, settings):
    app, board = open_board(tmp_path, size, settings, border_match())
    long = (
        "Student exchange (Norland–Sudmark) looks best: it builds trust by 9 and lowers "
        "tension by 3 where it is highest (100% chance it works); played out 3 times to "
        "the next turn, nothing else did clearly better. Press A again to select it."
    )
    board.table.advice = long
    spots = [None, *board.table.spots()]
    for spot in spots:
        box, lines = board.painter.spot_layout(spot)
        assert board.regions["map"].contains(box), (spot, box)
        for line in lines:
            assert box.contains(line.rect), (spot, line.text)
        said = "".join(d.text for d in board.table.spot_details(spot))
        assert squeezed("".join(line.text for line in lines)) == squeezed(said)
    board.dirty = True
    pump(app, 2)
    shoot(app, ARTIFACTS / "screens" / "cards", f"{name}-advice")


@pytest.mark.parametrize(("name", "size", "settings"), SIZES[:1] + SIZES[3:4], ids=["100", "150"])
def test_lift_sanctions_says_on_the_board_what_it_needs(tmp_path, name, size, settings):
    app, board = open_board(tmp_path, size, settings, border_match())
    lift = card(board.table, "lift_sanctions")
    assert not lift.usable
    assert lift.reason.startswith("Needs, for any target: resolve below 45 (now Norland ")
    select(app, board, "lift_sanctions")
    check_cards(board)
    check_details(board)
    _, boxes = board.card_layout()
    box = next(b for i, b in boxes if board.table.cards[i] is lift)
    _, lines = board.painter.card_texts(lift, box.width)
    assert squeezed(lift.reason) in squeezed("".join(line.text for line in lines))
    detailed = squeezed("".join(line.text for line in board.painter.details_layout(lift)))
    assert squeezed(lift.reason_whole) in detailed
    shoot(app, ARTIFACTS / "screens" / "cards", f"{name}-lift-sanctions-needs")
    select(app, board, "propose_accord")  # the accords' own conditions, each whole
    check_details(board)
    shoot(app, ARTIFACTS / "screens" / "cards", f"{name}-propose-accord-needs")


@pytest.mark.parametrize(("name", "size", "settings"), SIZES, ids=[s[0] for s in SIZES])
def test_while_an_ai_plays_the_cards_wait_dimmed_under_one_whole_heading(
    tmp_path, name, size, settings, monkeypatch
):
    app, board = open_board(tmp_path, size, settings, border_match())
    table = board.table
    select(app, board, "hotline")
    press(app, pygame.K_RETURN)
    assert "Backspace" in table.chosen_text()
    # The AI waits before it thinks, for good: the board is shot while it is playing.
    monkeypatch.setattr(type(table), "wait_for_ai", lambda self, dt, pace: False)
    press(app, pygame.K_e)
    assert not table.human_turn and "is playing" in table.cards_title()
    board.dirty = True
    pump(app, 2)
    check_cards(board)  # the heading, whole, clear of the timer; the cards' texts whole
    assert all(c.action is None and not table.unavailable(c) for c in table.cards)
    assert "Backspace" not in table.chosen_text()
    shoot(app, ARTIFACTS / "screens" / "cards", f"{name}-waiting")


def test_after_a_card_is_chosen_the_selected_card_is_in_view(tmp_path):
    # The details below the map describe the selected card, so a choice that moves
    # the selection on (the chosen card is used up) must bring that card into view.
    app, board = board_of(tmp_path, border_match())
    area = board.cards_area
    # Down to the last card wholly in view, back up to one that can be chosen, choose it.
    while board.selected < max(i for i, r in board.card_rects if area.contains(r)):
        press(app, pygame.K_DOWN)
    while board.current_card().action is None:
        press(app, pygame.K_UP)
    before = board.selected
    press(app, pygame.K_RETURN)
    pump(app)
    assert board.selected != before
    shown = dict(board.card_rects).get(board.selected)
    assert shown is not None and area.contains(shown), (board.selected, shown, area)
