"""The frontier chart of every format-2 accord (NEGOTIATION.md, section 8): its data,
its sentence, the debrief's page reached by keyboard, and the exported report."""

from __future__ import annotations

import functools
import math
import re
import xml.etree.ElementTree as ElementTree

import pygame
import pytest
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st
from uidrive import ARTIFACTS, make_app, press, pump

from game.ai.agents import RandomAgent
from game.content.loader import SCENARIO_DIR, builtin_scenarios, load_scenario
from game.engine import bargain
from game.engine.rules import new_game
from game.session import narrate
from game.session.frontier import charts
from game.session.match import HUMAN, Match, Seat, Source

SHOTS = ARTIFACTS / "frontier"
FORMAT2 = ("tutorial", "border_incident")


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    monkeypatch.setenv("ENVOY_CONFIG_DIR", str(tmp_path / "config"))


@functools.cache
def crisis(name: str):
    result = load_scenario(SCENARIO_DIR / f"{name}.yaml")
    return result.unwrap(), Source.of(result)


def played(name: str, seed: int, steps: int = 10_000) -> Match:
    """A match of a built-in crisis, every seat played by random legal actions."""
    scenario, source = crisis(name)
    seats = [Seat(e.id, HUMAN) for e in scenario.envoys]
    match = Match.start(scenario, source, seed, seats)
    agent = RandomAgent(seed)
    for _ in range(steps):
        if match.over:
            break
        envoy = match.acting_id
        match.apply(agent.choose(match.view(envoy), envoy, match.legal(envoy)))
    return match


@examples(max_examples=25, deadline=None)
@given(st.sampled_from(FORMAT2), st.integers(0, 2**31), st.integers(0, 60))
def test_the_frontier_is_undominated_and_holds_the_balanced_deal(name, seed, steps):
    match = played(name, seed, steps)
    scenario = match.scenario
    found = charts(scenario, match.state)
    assert [f.accord for f in found] == [
        i for i, accord in enumerate(scenario.accords) if accord.issues
    ]
    for frontier in found:
        accord = scenario.accords[frontier.accord]
        assert {p.package for p in frontier.points} == set(bargain.packages(accord))
        gains = {p.package: p.gains for p in frontier.points}
        for point in frontier.points:
            beaten = any(bargain.dominates(other, point.gains) for other in gains.values())
            assert point.best == (not beaten)
            assert point.in_zone == all(g > 0 for g in point.gains)
        shown = [g[:2] for g in gains.values()]
        for package in frontier.edge:
            assert not any(bargain.dominates(other, gains[package][:2]) for other in shown)
        xs = [gains[p][0] for p in frontier.edge]
        assert xs == sorted(xs), "the edge is drawn left to right"
        if frontier.nash is None:
            assert not any(p.in_zone for p in frontier.points)
        else:
            nash = frontier.point(frontier.nash)
            assert nash.best and nash.in_zone
            if len(frontier.signatories) == 2:
                assert frontier.nash in frontier.edge
            products = [math.prod(g) for g in gains.values() if all(x > 0 for x in g)]
            assert math.prod(gains[frontier.nash]) == pytest.approx(max(products))
        assert frontier.draft == tuple(accord.draft)


def test_a_format_1_crisis_has_no_frontier():
    older = []
    for path in builtin_scenarios():
        scenario = load_scenario(path).unwrap()
        if not any(accord.issues for accord in scenario.accords):
            older.append(path.stem)
            state, _ = new_game(scenario, 1)
            assert charts(scenario, state) == []
    assert older, "no format-1 crisis left to check"


def test_the_sentence_names_who_gives_way_on_what_and_the_gains():
    match = played("border_incident", 3, 0)
    scenario = match.scenario
    ceasefire = charts(scenario, match.state)[0]
    said = narrate.frontier_sentence(scenario, ceasefire, "en")
    nash, draft = ceasefire.point(ceasefire.nash), ceasefire.point(ceasefire.draft)
    gains = [round(nash.gains[i] - draft.gains[i], 1) for i in range(2)]
    assert said.startswith("Norland gives way on The dam's water (cheap for Norland), Sudmark on")
    assert f"Norland {gains[0]:+.1f} and Sudmark {gains[1]:+.1f}" in said
    assert said.endswith(".") and ". " not in said, "one sentence"


def test_the_sentence_when_the_draft_is_balanced_or_there_is_no_deal():
    import attrs

    match = played("tutorial", 3, 0)
    scenario = match.scenario
    frontier = charts(scenario, match.state)[0]
    balanced = attrs.evolve(frontier, draft=frontier.nash)
    assert narrate.frontier_sentence(scenario, balanced, "en").startswith(
        "The starting draft is the balanced deal: against splitting every difference"
    )
    hopeless = attrs.evolve(frontier, nash=None)
    assert "nothing to agree" in narrate.frontier_sentence(scenario, hopeless, "en")


@pytest.mark.parametrize("projector", [False, True], ids=["desk", "projector"])
@pytest.mark.parametrize("name", FORMAT2)
def test_the_debrief_shows_each_accords_deals_by_keyboard(tmp_path, name, projector):
    match = played(name, 5)
    app = make_app(tmp_path / "saves", projector=projector)
    app.push("debrief", match)
    pump(app, 2)
    scene = app.scene
    assert scene.frontier is None
    seen = []
    for _ in scene.frontiers:
        press(app, pygame.K_f)
        assert app.scene is scene and scene.frontier is not None
        seen.append(scene.frontier.accord)
        press(app, pygame.K_RIGHTBRACKET)
        assert scene.selected == 0
        pump(app)
        mode = "projector" if projector else "desk"
        SHOTS.mkdir(parents=True, exist_ok=True)
        pygame.image.save(app.screen, str(SHOTS / f"{name}-{scene.frontier.accord}-{mode}.png"))
        layout = scene.frontier_layout()
        inside = scene.chart_rect
        for label in layout.labels:
            assert inside.contains(label.rect), f"{label.kind} '{label.text}' leaves the chart"
        texts = [label.text for label in layout.labels]
        assert "balanced deal" in texts and "best possible deals" in texts
        assert "starting draft" in texts
        marks = [label.rect for label in layout.labels if label.kind == "mark"]
        assert all(a.collidelist([b for b in marks if b is not a]) < 0 for a in marks)
    assert seen == [i for i, a in enumerate(match.scenario.accords) if a.issues]
    press(app, pygame.K_f)
    assert scene.frontier is None, "F comes back round to the tension chart"


@pytest.mark.parametrize("name", FORMAT2)
def test_the_exported_report_holds_each_accords_deals(tmp_path, name):
    from game.session.report import write_report

    match = played(name, 5)
    paths = write_report(match, tmp_path / "pack", "en")
    page = next(p for p in paths if p.name == "report.html").read_text("utf-8")
    found = charts(match.scenario, match.state)
    assert page.count('<svg class="frontier"') == len(found) > 0
    for frontier in found:
        sentence = narrate.frontier_sentence(match.scenario, frontier, "en")
        assert sentence.replace("'", "&#x27;") in page
        assert page.count('<circle class="package"') >= len(frontier.points)
    assert page.count('<polygon class="nash"') == sum(f.nash is not None for f in found)
    assert "best possible deals" in page and "balanced deal" in page
    svg = "{http://www.w3.org/2000/svg}"
    drawn = re.findall(r'<svg class="frontier".*?</svg>', page, flags=re.S)
    for frontier, chart in zip(found, drawn, strict=True):
        root = ElementTree.fromstring(chart)  # well-formed, so a browser draws it whole
        dots = root.findall(f"{svg}circle[@class='package']")
        assert len(dots) == len(frontier.points)
        named = {dot.find(f"{svg}title").text for dot in dots}
        assert len(named) == len(frontier.points), "every package is named on hover"


def test_a_format_1_report_has_no_deals_chart(tmp_path):
    from game.session.report import write_report

    scenario, source = crisis("long_peace")
    match = Match.start(scenario, source, 1, [Seat(e.id, HUMAN) for e in scenario.envoys])
    paths = write_report(match, tmp_path / "pack", "en")
    page = next(p for p in paths if p.name == "report.html").read_text("utf-8")
    assert 'class="frontier"' not in page and "Every possible deal" not in page
