"""The simulator: many complete AI games, summed up for balancing a crisis.

The report depends only on the scenario, the number of games, the seed and the
policy; only its ``timing`` part changes from run to run.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from game.ai.play import play_game
from game.engine import rng
from game.engine.actions import Play
from game.engine.model import Scenario

OUTCOMES = ("peace", "stalemate", "conflict")


def game_seed(seed: int, game: int) -> int:
    """The seed of one game of a run: a run's games are independent but repeatable."""
    return rng.derive(rng.seed_state(seed), game)


def simulate(scenario: Scenario, games: int, seed: int, policy: str) -> dict[str, Any]:
    """Play ``games`` games with ``policy`` in every seat and report what happened."""
    outcomes: Counter[str] = Counter()
    moves: Counter[str] = Counter()
    fired: Counter[str] = Counter()
    turns = 0
    actions = 0
    started = time.perf_counter()
    for game in range(games):
        record = play_game(scenario, game_seed(seed, game), policy)
        state = record.state
        outcomes[state.outcome] += 1
        turns += state.turn
        actions += len(record.actions)
        for action in record.actions:
            if isinstance(action, Play):
                moves[action.move] += 1
        for event, count in zip(scenario.events, state.fire_count, strict=True):
            if count:
                fired[event.id] += 1
    seconds = time.perf_counter() - started
    return {
        "scenario": scenario.id,
        "title": str(scenario.title),
        "content_hash": scenario.content_hash,
        "policy": policy,
        "games": games,
        "seed": seed,
        "outcomes": {o: round(outcomes[o] / games, 4) for o in OUTCOMES},
        "mean_turns": round(turns / games, 3),
        "moves": {m.id: moves[m.id] for m in scenario.moves},
        "moves_per_game": {m.id: round(moves[m.id] / games, 3) for m in scenario.moves},
        "events_fired": {e.id: round(fired[e.id] / games, 4) for e in scenario.events},
        "never_fired": [e.id for e in scenario.events if not fired[e.id]],
        "timing": {
            "seconds": round(seconds, 3),
            "games_per_second": round(games / seconds, 1) if seconds else None,
            "actions_per_second": round(actions / seconds, 1) if seconds else None,
        },
    }
