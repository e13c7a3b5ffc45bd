"""Matches for tests: Border Incident with one human seat, played on by random moves.

A helpers module, not a test module, so that every way of running pytest can
import it (a bare ``pytest`` cannot import ``tests.test_session``).
"""

from __future__ import annotations

from game.ai.agents import RandomAgent
from game.content.loader import SCENARIO_DIR, load_scenario
from game.session.match import HUMAN, Match, Seat, Source

BORDER = SCENARIO_DIR / "border_incident.yaml"
RESULT = load_scenario(BORDER)
SEATS = (Seat("un_envoy", HUMAN), Seat("norland_fm"), Seat("vellmark_fm", difficulty="easy"))


def new_match(seed: int = 7) -> Match:
    return Match.start(RESULT.unwrap(), Source.of(RESULT), seed, SEATS)


def play(match: Match, steps: int, seed: int = 1) -> None:
    """Apply ``steps`` random legal actions (fewer if the game ends)."""
    agent = RandomAgent(seed)
    for _ in range(steps):
        if match.over:
            return
        envoy = match.acting_id
        match.apply(agent.choose(match.view(envoy), envoy, match.legal(envoy)))


def finish(match: Match, seed: int = 2) -> None:
    play(match, 10_000, seed)
