"""A format-2 seat's brief says what it wants in the deals: per accord, the issues from
the one that matters most, each with the option best for it, and what no deal is worth
to it. Read from the seat's own view; in hot-seat play, each team reads only its own.
Screenshots go to test-artifacts/briefing."""

from __future__ import annotations

import pygame
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pygame_gui.elements import UITextBox
from uidrive import ARTIFACTS, make_app, press, pump, run_until, scene_name, shoot

from game.content.loader import SCENARIO_DIR, load_scenario
from game.engine import bargain
from game.engine.state import replace
from game.session import narrate
from game.session.match import AI, HUMAN, Classroom, Match, Seat, Source
from game.ui.scenes.board import open_match

SHOTS = ARTIFACTS / "briefing"
HEADING = "What you want in the deals"
SEEDS = st.integers(min_value=0, max_value=2**63 - 1)


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    monkeypatch.setenv("ENVOY_CONFIG_DIR", str(tmp_path / "config"))


def start(name: str, humans: tuple[str, ...], seed: int = 4) -> Match:
    result = load_scenario(SCENARIO_DIR / f"{name}.yaml")
    scenario = result.unwrap()
    seats = [Seat(e.id, HUMAN if e.id in humans else AI) for e in scenario.envoys]
    return Match.start(scenario, Source.of(result), seed, seats)


def box_texts(app) -> list[str]:
    return [
        e.html_text
        for e in app.ui.get_sprite_group().sprites()
        if isinstance(e, UITextBox) and e.alive()
    ]


def test_norland_wants_the_short_pull_back_most_and_a_stalemate_is_worth_a_point():
    match = start("border_incident", ("norland_fm",))
    said = narrate.deal_wants(match.view("norland_fm"), "norland_fm")
    assert said[0] == (
        "Osk River Ceasefire: most of all Pull-back (500 metres, 60%), "
        "then Monitors (No monitors, 30%), then The dam's water (Norland's, 10%)."
    )
    assert said[1].startswith("Joint Border Commission: most of all The ridge road")
    assert said[-1] == "No deal (a stalemate) is worth 1 point to you."


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=SEEDS, other=SEEDS, seat=st.sampled_from(["un_envoy", "norland_fm", "vellmark_fm"]))
def test_the_wants_are_the_seats_own_values_and_nothing_hidden(seed, other, seat):
    one = start("border_incident", (seat,), seed)
    scenario = one.scenario
    envoy = scenario.envoy_index(seat)
    party = scenario.envoys[envoy].party
    said = narrate.deal_wants(one.view(seat), seat)
    stakes = [
        i
        for i, accord in enumerate(scenario.accords)
        if accord.issues and bargain.envoy_interest(scenario, envoy, i) is not None
    ]
    assert len(said) == len(stakes) + 1
    for line, index in zip(said, stakes, strict=False):
        accord = scenario.accords[index]
        interest = bargain.envoy_interest(scenario, envoy, index)
        # its own party's true values (its envoy knows them), or its own declared ones
        values = (
            bargain.true_types(one.state)[party][index].values
            if party >= 0
            else bargain.expected(interest)
        )
        order = sorted(range(len(accord.issues)), key=lambda i: -values.weights[i])
        shown = [line.index(f"{accord.issues[i].name} (") for i in order]
        assert shown == sorted(shown), "from the issue that matters most"
        for i in order:
            options = values.values[i]
            best = accord.issues[i].options[options.index(max(options))]
            assert f"{accord.issues[i].name} ({best.text}, " in line
    batna = scenario.envoys[envoy].batna
    assert said[-1].startswith(f"No deal (a stalemate) is worth {batna:g}".replace("-", "−"))
    # another game that differs only in hidden types: a mediator reads the same brief
    two = start("border_incident", (seat,), seed)
    two.state = replace(one.state, seed=other)
    if party < 0:
        assert narrate.deal_wants(two.view(seat), seat) == said


def test_a_format_1_brief_says_nothing_of_deals():
    match = start("long_peace", ())
    for spec in match.scenario.envoys:
        assert narrate.deal_wants(match.view(spec.id), spec.id) == []


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["1280x720", "1920x1080"])
def test_the_briefing_shows_the_seats_wants_under_its_agenda(tmp_path, size):
    match = start("border_incident", ("norland_fm",))
    app = make_app(tmp_path / "saves", size)
    open_match(app, match, briefing=True)
    pump(app, 2)
    assert scene_name(app) == "briefing"
    brief = next(text for text in box_texts(app) if "private agenda" in text)
    assert brief.index("private agenda") < brief.index(HEADING)
    for line in narrate.deal_wants(match.view("norland_fm"), "norland_fm"):
        assert line.replace("'", "&#x27;") in brief or line in brief, line
    assert "−3 points" not in brief, "the UN envoy's stalemate is its own secret"
    shoot(app, SHOTS, f"norland-{size[0]}x{size[1]}")
    # a long brief: the keys read it to its end (its last line, what no deal is worth)
    bar = app.scene.brief.scroll_bar
    assert bar is not None and bar.start_percentage == 0
    press(app, pygame.K_END)
    assert bar.start_percentage > 0
    shoot(app, SHOTS, f"norland-{size[0]}x{size[1]}-end")
    press(app, pygame.K_RETURN)
    assert scene_name(app) == "board"


def test_a_format_1_briefing_shows_its_agenda_alone(tmp_path):
    match = start("long_peace", ("mediator",))
    app = make_app(tmp_path / "saves")
    open_match(app, match, briefing=True)
    pump(app, 2)
    texts = box_texts(app)
    assert any("private agenda" in text for text in texts)
    assert not any(HEADING in text or "No deal" in text for text in texts)


def test_each_team_reads_its_own_wants_after_its_hand_off(tmp_path):
    match = start("border_incident", ("un_envoy", "norland_fm"))
    match.classroom = Classroom(180, False, Classroom.hash_pin("1234"), True)
    app = make_app(tmp_path / "saves")
    open_match(app, match, briefing=True)
    pump(app, 2)
    assert not any(HEADING in text for text in box_texts(app)), "the room reads no one's"
    press(app, pygame.K_RETURN)
    wants = {
        seat: narrate.deal_wants(match.view(seat), seat) for seat in ("un_envoy", "norland_fm")
    }
    seen = []
    while len(seen) < 2:
        run_until(app, lambda: scene_name(app) == "handoff", frames=600)
        envoy = app.scene.envoy
        press(app, pygame.K_SPACE)
        assert app.scene.briefing
        pump(app, 2)
        brief = next(text for text in box_texts(app) if HEADING in text)
        other = next(seat for seat in wants if seat != envoy)
        assert wants[envoy][-1] in brief and wants[other][-1] not in brief
        assert wants[envoy][0].split(":")[1] in brief.replace("&#x27;", "'")
        shoot(app, SHOTS, f"handoff-{envoy}")
        seen.append(envoy)
        press(app, pygame.K_RETURN)
        run_until(app, lambda: scene_name(app) == "board" and app.scene.human_turn, frames=600)
        press(app, pygame.K_e)  # end the turn: the reflection, then the next team
        run_until(app, lambda: scene_name(app) == "reflection", frames=600)
        app.scene.skip()
    assert sorted(seen) == ["norland_fm", "un_envoy"]
