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

from game.ai.agents import GreedyAgent, RandomAgent
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


@functools.cache
def negotiated(name: str, seed: int) -> Match:
    """A match of a built-in crisis played to its end by greedy envoys, who sign."""
    scenario, source = crisis(name)
    match = Match.start(scenario, source, seed, [Seat(e.id, HUMAN) for e in scenario.envoys])
    agent = GreedyAgent(seed)
    while not match.over:
        envoy = match.acting_id
        match.apply(agent.choose(match.view(envoy), envoy, match.legal(envoy)))
    return match


@examples(max_examples=10, deadline=None)
@given(st.sampled_from(FORMAT2), st.integers(0, 2**31), st.booleans())
def test_the_chart_holds_the_package_signed_and_nothing_while_unsigned(name, seed, greedy):
    match = negotiated(name, seed % 50) if greedy else played(name, seed)
    state = match.state
    for frontier in charts(match.scenario, state):
        if state.signed[frontier.accord]:
            assert frontier.signed == tuple(state.drafts[frontier.accord])
            assert frontier.signed in {p.package for p in frontier.points}
        else:
            assert frontier.signed is None


def test_greedy_envoys_sign_so_the_chart_has_a_deal_to_show():
    found = charts(
        negotiated("border_incident", 0).scenario, negotiated("border_incident", 0).state
    )
    assert found and all(f.signed is not None for f in found)


def test_the_sentence_compares_the_deal_signed_with_the_balanced_deal():
    import attrs

    match = played("border_incident", 3, 0)
    scenario = match.scenario
    ceasefire = charts(scenario, match.state)[0]
    other = next(p for p in ceasefire.points if p.package != ceasefire.nash)
    said = narrate.frontier_sentence(scenario, attrs.evolve(ceasefire, signed=other.package), "en")
    nash = ceasefire.point(ceasefire.nash)
    assert said == (
        f"The deal signed gives Norland {other.gains[0]:+.1f} and Sudmark {other.gains[1]:+.1f}; "
        f"the balanced deal would have given {nash.gains[0]:+.1f} and {nash.gains[1]:+.1f}."
    )
    same = narrate.frontier_sentence(scenario, attrs.evolve(ceasefire, signed=ceasefire.nash), "en")
    assert same.startswith("The deal signed gives Norland") and "balanced deal." in same
    assert "would have" not in same


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["720p", "1080p"])
def test_the_debrief_marks_and_names_the_deal_signed(tmp_path, size):
    match = negotiated("border_incident", 2)
    app = make_app(tmp_path / "saves", size=size)
    app.push("debrief", match)
    pump(app, 2)
    scene = app.scene
    for _ in scene.frontiers:
        press(app, pygame.K_f)
        frontier = scene.frontier
        assert frontier.signed == tuple(match.state.drafts[frontier.accord])
        pump(app)
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot = SHOTS / f"signed-{frontier.accord}-{size[0]}x{size[1]}.png"
        pygame.image.save(app.screen, str(shot))
        layout = scene.frontier_layout()
        named = [label for label in layout.labels if label.text == "the deal signed"]
        assert [label.kind for label in named] == ["legend", "mark"]
        assert "signed" in [kind for kind, _ in layout.legend]
        for label in layout.labels:
            assert scene.chart_rect.contains(label.rect), f"'{label.text}' leaves the chart"
        # no name covers another, nor the diamond round the deal signed
        marks = [label.rect for label in layout.labels if label.kind == "mark"]
        assert all(a.collidelist([b for b in marks if b is not a]) < 0 for a in marks)
        centre = layout.dots[[p.package for p in frontier.points].index(frontier.signed)]
        reach = scene.style.px(15)
        diamond = pygame.Rect(0, 0, 2 * reach, 2 * reach)
        diamond.center = centre
        assert diamond.collidelist(marks) < 0
        # the diamond is drawn in the signed colour on the screen
        x, y = centre
        assert tuple(app.screen.get_at((x, y - reach + 1)))[:3] == tuple(scene.style["signed"])[:3]
        said = narrate.frontier_sentence(match.scenario, frontier, "en")
        assert said.startswith("The deal signed gives")
        lines = [label for label in layout.labels if label.kind == "sentence"]
        lines.sort(key=lambda label: label.rect.top)
        sentence = " ".join(line.text for line in lines)
        assert sentence == said


def test_the_exported_report_marks_the_deal_signed(tmp_path):
    from game.session.report import write_report

    match = negotiated("border_incident", 2)
    page = next(
        p for p in write_report(match, tmp_path / "pack", "en") if p.name == "report.html"
    ).read_text("utf-8")
    found = charts(match.scenario, match.state)
    assert page.count('<polygon class="signed"') == sum(f.signed is not None for f in found) > 0
    assert page.count("the deal signed") == 1 + len(found), "in the key and beside each mark"
    unsigned = write_report(played("border_incident", 5), tmp_path / "other", "en")
    other = next(p for p in unsigned if p.name == "report.html").read_text("utf-8")
    assert 'class="signed"' not in other and "the deal signed" not in other
