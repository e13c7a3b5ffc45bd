"""Shared fixtures: the built-in scenarios, and a small "lab" crisis built in code.

The lab scenario's moves are sure things (chance 1) or sure failures (chance 0)
unless a test says otherwise, so each rule can be checked without luck.
"""

from __future__ import annotations

import copy
import os

import pytest
import yaml
from hypothesis import settings

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
# No test reads the real user mods folder; tests that need mods make their own.
os.environ["ENVOY_MODS_DIR"] = os.path.join(os.path.dirname(__file__), "no-user-mods-folder")

from game.content.loader import SCENARIO_DIR, load_scenario, load_scenario_bytes
from game.engine.model import Scenario

# No example has a deadline: speed is the benchmarks' to measure (bench/), and a
# test that fails because the machine is busy proves nothing. A test may still set
# its own settings; these are the defaults under them.
settings.register_profile("envoy", deadline=None)
settings.load_profile("envoy")

TEACHER = {
    "learning_goals": ["Rules work."],
    "duration_minutes": 10,
    "players": {"min": 1, "max": 2},
    "age": "10+",
    "debrief_questions": ["Did it work?"],
    "notes": "For tests.",
}


def party(pid: str, x: float, **extra) -> dict:
    return {
        "id": pid,
        "name": pid.title(),
        "color": "#808080",
        "map": [x, 0.5],
        "posture": 50,
        **extra,
    }


def move(mid: str, family: str, target: str, cost: int = 1, **extra) -> dict:
    return {
        "id": mid,
        "family": family,
        "name": mid.title(),
        "text": f"The {mid} move.",
        "cost": cost,
        "target": target,
        **extra,
    }


LAB = {
    "format": 1,
    "id": "lab",
    "title": "Lab",
    "summary": "A crisis for tests.",
    "briefing": "Nothing here is real.",
    "difficulty": "standard",
    "teacher": TEACHER,
    "turns": 5,
    "parties": [
        party(
            "alpha",
            0.2,
            facts=[
                {"id": "plan", "text": "Alpha plans a parade."},
                {"id": "broke", "text": "Alpha is broke."},
            ],
        ),
        party("beta", 0.5),
        party("gamma", 0.8),
    ],
    "relations": [
        {"between": ["alpha", "beta"], "tension": 50, "trust": 50, "pressure": 4},
        {"between": ["beta", "gamma"], "tension": 20, "trust": 50, "pressure": 0},
    ],
    "envoys": [
        {
            "id": "one",
            "name": "Envoy One",
            "capital": 3,
            "agenda": [
                {
                    "id": "calm",
                    "text": "Keep alpha and beta calm (one's secret).",
                    "when": "tension(alpha, beta) <= 40",
                    "points": 5,
                }
            ],
        },
        {
            "id": "two",
            "name": "Envoy Two",
            "capital": 3,
            "party": "beta",
            "agenda": [
                {
                    "id": "trusty",
                    "text": "Two wants trust (two's secret).",
                    "when": "trust(alpha, beta) >= 60",
                    "points": 3,
                }
            ],
        },
    ],
    "accords": [
        {
            "id": "pact",
            "name": "Pact",
            "text": "A pact.",
            "requires": "trust(alpha, beta) >= 60",
            "effects": ["tension(alpha, beta) -= 10"],
        },
    ],
    "peace": "signed(pact)",
    "counters": {"fails": 0, "ticks": 0},
    "disable_moves": [],
    "moves": [
        move("calm_talk", "communication", "relation", success=["tension(a, b) -= 5"]),
        move("doomed", "mediation", "none", chance=0, failure=["counter(fails) += 1"]),
        move(
            "summit",
            "mediation",
            "relation",
            joint={"min_envoys": 2},
            success=["trust(a, b) += 10", "standing(self, a) += 1"],
        ),
        move("later", "cultural", "relation", delayed=[{"in": 2, "effects": ["trust(a, b) += 4"]}]),
        move(
            "slow",
            "cultural",
            "relation",
            delayed=[{"each_turn_for": 2, "effects": ["trust(a, b) += 1"]}],
        ),
        move("squeeze", "sanctions", "party", success=["resolve(target) -= 5"]),
        move(
            "whisper",
            "communication",
            "party",
            visibility="secret",
            success=["reveal(target, plan)", "standing(self, target) += 2"],
        ),
        move("cool", "communication", "none", cooldown=2, success=["counter(ticks) += 1"]),
        move("pricey", "mediation", "none", cost=3, success=["counter(ticks) += 5"]),
    ],
}


def lab_dict() -> dict:
    """A fresh, deep copy of the lab scenario's data, for a test to change."""
    return copy.deepcopy(LAB)


def compile_dict(data: dict, file: str = "lab.yaml") -> Scenario:
    """Dump data to YAML and load it; fails the test on any diagnostic."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    result = load_scenario_bytes(text.encode(), file)
    problems = [str(d) for d in result.diagnostics]
    assert not problems, "\n".join(problems)
    return result.scenario


@pytest.fixture
def lab() -> Scenario:
    return compile_dict(lab_dict())


@pytest.fixture
def drawn(monkeypatch) -> list[str]:
    """Every string drawn from now on: through the style's text, any font's render, and
    each text box's markup as it is set."""
    import pygame
    import pygame_gui.core.gui_font_pygame as gui_font
    from pygame_gui.elements import UITextBox

    from game.ui import style as style_module

    seen: list[str] = []
    real_text, real_set = style_module.Style.text, UITextBox.set_text

    def text(self, value, *args, **kwargs):
        seen.append(str(value))
        return real_text(self, value, *args, **kwargs)

    def set_text(self, html_text, *args, **kwargs):
        seen.append(str(html_text))
        return real_set(self, html_text, *args, **kwargs)

    class RecordingFont(pygame.font.Font):
        def render(self, value, *args, **kwargs):
            seen.append(str(value))
            return super().render(value, *args, **kwargs)

    monkeypatch.setattr(style_module.Style, "text", text)
    monkeypatch.setattr(UITextBox, "set_text", set_text)
    monkeypatch.setattr(pygame.font, "Font", RecordingFont)
    monkeypatch.setattr(gui_font, "Font", RecordingFont)
    return seen


@pytest.fixture(scope="session")
def border() -> Scenario:
    return load_scenario(SCENARIO_DIR / "border_incident.yaml").unwrap()


@pytest.fixture(scope="session")
def tutorial() -> Scenario:
    return load_scenario(SCENARIO_DIR / "tutorial.yaml").unwrap()
