"""The drafts panel on the board (issue 15), driven as a player would: D opens it, the
arrows move over the issues and their options, Enter amends the draft; a refusal is
said in the panel; the mouse does the same. Screenshots go to test-artifacts/drafts."""

from __future__ import annotations

import attrs
import pygame
import pytest
from uidrive import ARTIFACTS, click, make_app, press, pump, run_until, scene_name, shoot

from game.content.loader import SCENARIO_DIR, load_scenario
from game.engine import bargain
from game.engine.actions import Amend
from game.engine.ledger import AMEND
from game.engine.state import replace
from game.session.drafts import number
from game.session.match import AI, HUMAN, Match, Seat, Source
from game.ui.scenes.board import open_match

SHOTS = ARTIFACTS / "drafts"


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    monkeypatch.setenv("ENVOY_CONFIG_DIR", str(tmp_path / "config"))


def border_match(humans=("un_envoy",), seed: int = 4, trust: int | None = None) -> Match:
    result = load_scenario(SCENARIO_DIR / "border_incident.yaml")
    scenario = result.unwrap()
    seats = [Seat(e.id, HUMAN if e.id in humans else AI) for e in scenario.envoys]
    match = Match.start(scenario, Source.of(result), seed, seats)
    if trust is not None:  # every relation's trust, so the ceasefire can be proposed
        match.state = attrs.evolve(match.state, trust=tuple(trust for _ in match.state.trust))
    return match


def board_of(tmp_path, match: Match, size=(1280, 720), **settings):
    app = make_app(tmp_path / "saves", size, **settings)
    open_match(app, match)
    run_until(app, lambda: scene_name(app) == "board" and app.scene.human_turn, frames=600)
    return app, app.scene


def repaint(app, board) -> None:
    board.painter.forget()
    board.dirty = True
    pump(app)


def proposal_odds(board, accord_id: str) -> str:
    """The odds the proposal card shows for ``accord_id`` (selected on the card)."""
    table = board.table
    card = next(c for c in table.cards if c.move.target == "accord")
    card.target = [a.targets for a in card.plays].index((accord_id,))
    return table.odds_text(card)


def test_d_opens_the_drafts_and_enter_amends_the_highlighted_option(tmp_path, drawn):
    match = border_match(trust=60)
    # A ceasefire text Sudmark may accept (the water shared), so the odds are a range.
    match.state = attrs.evolve(match.state, drafts=((1, 1, 1), *match.state.drafts[1:]))
    app, board = board_of(tmp_path, match)
    scenario, table = match.scenario, board.table
    assert not table.shows_drafts
    press(app, pygame.K_d)
    assert table.shows_drafts
    press(app, pygame.K_DOWN)  # the ceasefire's monitors
    press(app, pygame.K_RIGHT)
    issue = scenario.accords[0].issues[1]
    before = match.state.drafts[0][1]
    wanted = (before + 1) % len(issue.options)
    assert table.draft_cursor()[1].text == str(issue.options[wanted].text)
    press(app, pygame.K_RETURN)
    assert match.state.drafts[0][1] == wanted
    amend = Amend("un_envoy", scenario.accords[0].id, issue.id, issue.options[wanted].id)
    assert match.actions[-1] == amend
    assert match.ledger[-1].cause.kind == AMEND
    # the card's odds follow the new draft, as the engine works them out from the view
    low, high = bargain.draft_odds_range(scenario, match.view("un_envoy"), 0)
    odds = f"{low:.0%}–{high:.0%}"
    assert proposal_odds(board, scenario.accords[0].id) == odds
    drawn.clear()
    repaint(app, board)
    assert f"Osk River Ceasefire: Odds if proposed now: {odds}" in drawn
    assert f"Amended: {issue.name}, {issue.options[wanted].text}." in drawn
    shoot(app, SHOTS, "amended-1280x720")
    # a second amendment the same turn is refused, in words in the panel
    press(app, pygame.K_DOWN)
    press(app, pygame.K_RIGHT)
    drafts, actions = match.state.drafts, len(match.actions)
    drawn.clear()
    press(app, pygame.K_RETURN)
    assert match.state.drafts == drafts and len(match.actions) == actions
    assert "You have already amended a draft this turn" in drawn
    shoot(app, SHOTS, "refused-1280x720")
    press(app, pygame.K_ESCAPE)  # Esc goes back to the move's details, not the menu
    assert not table.shows_drafts and scene_name(app) == "board"


def test_the_panel_says_how_much_each_issue_matters(tmp_path, drawn):
    match = border_match(humans=("norland_fm",))
    app, board = board_of(tmp_path, match)
    press(app, pygame.K_d)
    lines, _ = board.painter.drafts_layout()
    texts = [line.text for line in lines]
    # the seat's own weight beside each issue's name, on the name's line
    for name, weight in (("Pull-back", "60%"), ("Monitors", "30%"), ("The dam's water", "10%")):
        label = next(line for line in lines if line.text == name)
        share = next(line for line in lines if line.text == weight)
        assert share.rect.top == label.rect.top and share.rect.left > label.rect.right
    assert "How much it matters: you 60% · Sudmark 20%" in texts
    press(app, pygame.K_DOWN)
    press(app, pygame.K_DOWN)
    texts = [line.text for line in board.painter.drafts_layout()[0]]
    assert "How much it matters: you 10% · Sudmark 70%" in texts
    drawn.clear()
    repaint(app, board)
    assert "How much it matters: you 10% · Sudmark 70%" in drawn
    shoot(app, SHOTS, "weights-water-1280x720")
    whole(board)


def test_the_mouse_opens_the_drafts_and_amends_with_a_second_click(tmp_path):
    match = border_match()
    app, board = board_of(tmp_path, match)
    chip, label = board.painter.drafts_chip()
    assert label == "D: the drafts"
    click(app, chip.center)
    assert board.table.shows_drafts
    cells = board.painter.drafts_layout()[1]
    row, option, box, _, _ = next(c for c in cells if c[0] == 2 and not c[4])
    click(app, box.center)
    assert (board.table.draft_row, board.table.draft_option) == (row, option)
    assert match.state.drafts[0][2] != option
    click(app, box.center)
    assert match.state.drafts[0][2] == option
    assert isinstance(match.actions[-1], Amend)
    click(app, board.painter.drafts_chip()[0].center)
    assert not board.table.shows_drafts


def test_the_keys_say_why_out_of_turn(tmp_path, drawn):
    """An AI's turn: the panel can be read, and Enter says whose turn it is."""
    match = border_match(humans=("vellmark_fm",))
    app = make_app(tmp_path / "saves")
    open_match(app, match)
    pump(app, 2)
    board = app.scene
    assert match.acting_id == "un_envoy" and not board.table.human_turn
    press(app, pygame.K_d)
    press(app, pygame.K_RIGHT)
    drawn.clear()
    press(app, pygame.K_RETURN)
    assert "It is not your turn" in drawn
    assert not [a for a in match.actions if isinstance(a, Amend) and a.envoy == "vellmark_fm"]


def panel_words(tmp_path, match: Match, drawn) -> list[str]:
    app, board = board_of(tmp_path, match)
    press(app, pygame.K_d)
    drawn.clear()
    board.painter.draw_drafts(app.screen)
    return list(drawn)


@pytest.mark.parametrize("seed", [4, 11])
def test_the_panel_never_shows_hidden_values(tmp_path, drawn, seed):
    """Two games differing only in the parties' hidden types draw the same panel for
    a seat that speaks for no party; learning Sudmark shows its exact values."""
    one = border_match(seed=seed)
    two = border_match(seed=seed)
    two.state = replace(one.state, seed=seed + 1)
    assert bargain.true_types(one.state) != bargain.true_types(two.state)
    first = panel_words(tmp_path / "one", one, drawn)
    second = panel_words(tmp_path / "two", two, drawn)
    assert any(text.startswith("Osk River Ceasefire:") for text in first)
    assert first == second


def test_between_teams_the_panel_closes_and_the_next_team_sees_its_own(tmp_path, drawn):
    match = border_match(humans=("un_envoy", "norland_fm"))
    app = make_app(tmp_path / "saves")
    open_match(app, match)
    run_until(app, lambda: scene_name(app) == "handoff", frames=300)
    press(app, pygame.K_SPACE)
    press(app, pygame.K_RETURN)
    run_until(app, lambda: scene_name(app) == "board" and app.scene.human_turn, frames=600)
    board = app.scene
    press(app, pygame.K_d)
    un_values = [o.mine for i in board.table.draft_rows() for o in i.options]
    assert any(un_values)
    press(app, pygame.K_e)
    run_until(app, lambda: scene_name(app) == "handoff", frames=900)
    assert not board.table.shows_drafts and board.table.hand is None
    assert all(o.mine == "" for i in board.table.draft_rows() for o in i.options)
    press(app, pygame.K_SPACE)
    press(app, pygame.K_RETURN)
    run_until(app, lambda: scene_name(app) == "board" and app.scene.human_turn, frames=600)
    assert board.table.hand == "norland_fm"
    press(app, pygame.K_d)
    norland = [p.id for p in match.scenario.parties].index("norland")
    exact = bargain.true_types(match.state)[norland][0].values.values
    row = board.table.draft_rows()[0]
    assert [o.mine for o in row.options] == [number(v) for v in exact[0]]


@pytest.mark.parametrize(
    ("size", "projector"),
    [((1280, 720), False), ((1920, 1080), False), ((1280, 720), True), ((1920, 1080), True)],
    ids=["1280x720", "1920x1080", "projector-1280x720", "projector-1920x1080"],
)
def test_screenshots_of_the_panel(tmp_path, size, projector):
    match = border_match(humans=("norland_fm",), trust=60)
    app, board = board_of(tmp_path, match, size, projector=projector)
    name = f"{'projector-' if projector else ''}{size[0]}x{size[1]}"
    press(app, pygame.K_d)
    press(app, pygame.K_RIGHT)
    shoot(app, SHOTS, f"{name}-ceasefire")
    for _ in range(3):
        press(app, pygame.K_DOWN)
    press(app, pygame.K_LEFT)
    shoot(app, SHOTS, f"{name}-commission")
    whole(board)


def whole(board) -> None:
    """Every text of the panel inside it and uncut, and no option's box over another."""
    area = board.painter.details_area()
    lines, cells = board.painter.drafts_layout()
    assert lines and cells
    for line in lines:
        assert area.contains(line.rect), line.text
        assert not line.text.endswith("…"), line.text
    for i, (_, _, box, _, _) in enumerate(cells):
        assert area.contains(box)
        assert not any(box.colliderect(other[2]) for other in cells[i + 1 :])


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["1280x720", "1920x1080"])
def test_the_tutorials_longer_options_fit_whole_on_a_projector(tmp_path, size):
    result = load_scenario(SCENARIO_DIR / "tutorial.yaml")
    scenario = result.unwrap()
    seats = [Seat(e.id, HUMAN if i == 0 else AI) for i, e in enumerate(scenario.envoys)]
    match = Match.start(scenario, Source.of(result), 4, seats)
    app, board = board_of(tmp_path, match, size, projector=True)
    map_before = board.regions["map"].height
    press(app, pygame.K_d)
    press(app, pygame.K_RIGHT)
    shoot(app, SHOTS, f"tutorial-projector-{size[0]}x{size[1]}")
    whole(board)
    press(app, pygame.K_d)  # the map has its room back
    assert board.regions["map"].height == map_before
