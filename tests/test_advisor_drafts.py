"""The advisor and the drafts (issue 15): where the AI negotiator would amend a draft,
the advisor says so in words, and A again opens the drafts with that very option
highlighted, so Enter makes the amendment it advised."""

from __future__ import annotations

import pygame
import pytest
from test_ui_drafts import board_of, border_match
from uidrive import ARTIFACTS, press, run_until, shoot

from game.ai.negotiate import negotiate
from game.engine import bargain
from game.engine.actions import Amend
from game.session.table import Table

SHOTS = ARTIFACTS / "drafts"


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    monkeypatch.setenv("ENVOY_CONFIG_DIR", str(tmp_path / "config"))


def advised(table: Table) -> None:
    # No deadline is ever reached: the advisor thinks to the end (its slices of
    # time never change what it chooses), and no clock is read.
    table.ask_advisor()
    while table.thinking is not None:
        table.think(float("inf"))


def test_the_advisor_names_the_amendment_the_negotiator_would_make_and_its_worth():
    match = border_match(("un_envoy",))
    table = Table(match)
    advised(table)
    envoy = match.scenario.envoy_index("un_envoy")
    view = match.view("un_envoy")
    wanted, _ = negotiate(view, envoy, match.legal("un_envoy"), "hard")
    assert isinstance(wanted, Amend) and table.advice_action == wanted
    accord = [a.id for a in match.scenario.accords].index(wanted.accord)
    spec = match.scenario.accords[accord]
    issue = [i.id for i in spec.issues].index(wanted.issue)
    option = [o.id for o in spec.issues[issue].options].index(wanted.option)
    values = bargain.expected(bargain.envoy_interest(view.scenario, envoy, accord))
    draft = view.drafts[accord]
    gain = values.utility((*draft[:issue], option, *draft[issue + 1 :])) - values.utility(draft)
    assert table.advice.startswith(
        f"Amend the draft of {spec.name}: {spec.issues[issue].name}, "
        f"{spec.issues[issue].options[option].text} ({gain:+.1f} to you)"
    )
    assert table.advice.endswith("Press A again to pick it in the drafts.")
    # Taking the advice shows the drafts with the advised option highlighted.
    assert not table.shows_drafts
    assert table.accept_advice()
    assert table.shows_drafts
    row, chosen = table.draft_cursor()
    assert chosen.amend == wanted and row.name == str(spec.issues[issue].name)


def test_a_then_a_then_enter_makes_the_advised_amendment(tmp_path):
    match = border_match(("un_envoy",))
    app, board = board_of(tmp_path, match)
    press(app, pygame.K_a)  # the advisor thinks in chunks, over frames
    run_until(app, lambda: board.advice != "", frames=600)
    wanted = board.table.advice_action
    assert isinstance(wanted, Amend)
    press(app, pygame.K_a)
    assert board.table.shows_drafts
    shoot(app, SHOTS, "advised-1280x720")
    press(app, pygame.K_RETURN)
    assert match.actions[-1] == wanted
    assert board.advice == ""  # advice is for a position that has passed
