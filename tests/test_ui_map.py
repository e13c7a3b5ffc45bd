"""The relations map is readable at every size: no party's name, circle or relation's
box covers another, on every built-in crisis, at every size the board lays out for.
The screenshots it saves are looked at."""

from __future__ import annotations

import itertools

import pytest
from test_ui_cards import SIZES, open_board
from uidrive import ARTIFACTS, pump, shoot

from game.content import loader
from game.session.match import AI, HUMAN, Match, Seat, Source
from game.ui.render.map import map_places

CRISES = sorted(path.stem for path in loader.SCENARIO_DIR.glob("*.yaml"))


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    monkeypatch.setenv("ENVOY_CONFIG_DIR", str(tmp_path / "config"))


def crisis_match(crisis: str) -> Match:
    result = loader.load_scenario(loader.SCENARIO_DIR / f"{crisis}.yaml")
    scenario = result.unwrap()
    seats = [Seat(e.id, HUMAN if i == 0 else AI) for i, e in enumerate(scenario.envoys)]
    return Match.start(scenario, Source.of(result), 4, seats)


def collisions(board) -> list[str]:
    """Every pair of things on the map that cover each other, and anything outside it."""
    rect = board.regions["map"]
    scenario = board.match.scenario
    laid = map_places(scenario, rect, board.style)
    things = [(f"party {p.id}", disc) for p, disc in zip(scenario.parties, laid.discs, strict=True)]
    things += [(f"name {name!r}", box) for name, box in laid.labels]
    things += [
        (f"box {scenario.parties[r.a].id}-{scenario.parties[r.b].id}", box)
        for r, box in zip(scenario.relations, laid.pills, strict=True)
    ]
    found = [f"{what} leaves the map" for what, box in things if not rect.contains(box)]
    found += [
        f"{a} covers {b}"
        for (a, x), (b, y) in itertools.combinations(things, 2)
        if x.colliderect(y)
    ]
    return found


def test_the_crises_are_all_here():
    assert len(CRISES) == 6


@pytest.mark.parametrize(("name", "size", "settings"), SIZES, ids=[s[0] for s in SIZES])
def test_no_name_circle_or_box_on_the_map_covers_another(tmp_path, name, size, settings):
    problems = []
    for crisis in CRISES:
        app, board = open_board(tmp_path / crisis, size, settings, crisis_match(crisis))
        problems += [f"{crisis}: {problem}" for problem in collisions(board)]
        board.dirty = True
        pump(app, 1)
        shoot(app, ARTIFACTS / "screens" / "map", f"{crisis}-{name}")
    assert not problems, "\n".join(problems)
