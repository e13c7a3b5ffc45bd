"""The selected move's details never run past their panel unseen: where they are longer
than it (a mod's six long accords, at 150%), the panel says more lies below, and
PgDn and the wheel scroll to every line, each shown whole."""

from __future__ import annotations

from pathlib import Path

import pygame
from test_ui_cards import open_board
from uidrive import ARTIFACTS, press, pump, shoot

from game.content import loader
from game.session.match import AI, HUMAN, Match, Seat, Source


def many_accords_crisis(tmp_path: Path) -> Path:
    """The Long Peace with six accords of long names and long conditions (its own
    three ids kept, for the moves and events that name them)."""
    text = (loader.SCENARIO_DIR / "long_peace.yaml").read_text("utf-8")
    start, end = text.index("\naccords:\n"), text.index("\npeace:")
    accords = ["accords:"]
    ids = ["ceasefire", "land_and_seats", "disarmament", "port_share", "courts", "elections"]
    for n, accord in enumerate(ids):
        accords += [
            f"  - id: {accord}",
            f"    name: The Comprehensive Agreement on Highland Land Tenure, Part {n + 1}",
            "    text: A long accord a modder wrote, to see that its details stay readable.",
            "    requires: >-",
            "      trust(government, front) >= 30 and trust(government, coast) >= 30",
            "      and tension(government, front) <= 90 and tension(front, coast) <= 90",
            '    chance: "0.5"',
            "    effects:",
            '      - "trust(government, all) += 1"',
        ]
    path = tmp_path / "many_accords.yaml"
    path.write_text(text[:start] + "\n" + "\n".join(accords) + text[end:], "utf-8")
    return path


def test_long_details_scroll_with_a_visible_cue_and_every_line_is_seen(tmp_path, monkeypatch):
    result = loader.load_scenario(many_accords_crisis(tmp_path))
    scenario = result.unwrap()
    seats = [Seat(e.id, HUMAN if i == 0 else AI) for i, e in enumerate(scenario.envoys)]
    match = Match.start(scenario, Source.of(result), 4, seats)
    app, board = open_board(tmp_path, (1280, 720), {"ui_scale": 150}, match)
    table, painter = board.table, board.painter
    table.select(next(i for i, c in enumerate(table.cards) if c.move.id == "propose_accord"))
    board.dirty = True
    pump(app, 2)
    card = table.current_card()
    every = [line.text for line in painter.details_layout(card)]
    total, _ = painter.details_scroll_range(card)
    assert total > 0, "the six accords were expected to need more than the panel"
    area = painter.details_area()
    seen: list[str] = []
    for page in range(40):
        shown, above, below = painter.details_shown(card)
        assert above == (board.detail_scroll > 0)
        hint = "More below" if below else "PgUp" if above else "L: the log"
        assert hint in "".join(painter.lower_hints(card))
        for line in shown:
            assert area.contains(line.rect), line.text  # whole, never cut by the edge
        seen += [line.text for line in shown if line.text not in seen]
        shoot(app, ARTIFACTS / "screens" / "details", f"many-accords-{page}")
        if not below:
            break
        press(app, pygame.K_PAGEDOWN)
    assert not table.shows_log  # PgDn scrolled the details, it did not switch to the log
    assert set(every) <= set(seen)
    assert board.detail_scroll == total
    monkeypatch.setattr(pygame.mouse, "get_pos", lambda: board.regions["log"].center)
    pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1, flipped=False))
    pump(app, 2)  # the wheel goes back up, a line at a time
    assert 0 < board.detail_scroll < total and not table.shows_log
    # A move whose details fit keeps PgDn for the log.
    table.select(next(i for i, c in enumerate(table.cards) if c.move.id == "hotline"))
    assert painter.details_scroll_range()[0] == 0
    press(app, pygame.K_PAGEDOWN)
    assert table.log_asked
