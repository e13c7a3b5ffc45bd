"""Engine benchmark: Border Incident played by random agents, on one core.

Prints:
  * applied actions per second: recorded games replayed through ``apply`` alone;
  * complete games per second: whole games with random agents, each seat seeing
    only ``player_view`` and choosing from ``legal_actions``;
  * the floor in the same run: ``attrs.evolve`` of a GameState (the cheapest
    possible "new state per action"), and our own ``replace``.

Target (issue 2): at least 300 complete games per second.

    python bench/engine.py [--seconds 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import attrs

from game.ai.play import play_game
from game.content.loader import SCENARIO_DIR, load_scenario
from game.engine.rules import apply, new_game
from game.engine.state import replace

TARGET_GAMES_PER_SECOND = 300


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        return "pinned to one core"
    return "not pinned (this platform cannot)"


def timed_games(scenario, seconds: float, first_seed: int) -> tuple[int, int, float]:
    games = actions = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        record = play_game(scenario, first_seed + games, "random")
        games += 1
        actions += len(record.actions)
    return games, actions, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    args = parser.parse_args()

    pinned = pin_to_one_core()
    scenario = load_scenario(SCENARIO_DIR / "border_incident.yaml").unwrap()
    print(f"Envoy engine benchmark: Border Incident, random agents, {pinned}")
    print(f"Python {platform.python_version()} on {platform.machine()}")
    timed_games(scenario, 0.3, 10_000)  # warm-up

    # Complete games, three rounds; the median is reported.
    rates, per_game = [], []
    for round_ in range(3):
        games, actions, elapsed = timed_games(scenario, args.seconds, round_ * 100_000)
        rates.append(games / elapsed)
        per_game.append(actions / games)
    games_per_second = statistics.median(rates)

    # Applied actions: replay recorded games through apply() alone.
    records = [play_game(scenario, seed, "random") for seed in range(200)]
    applied = 0
    start = time.perf_counter()
    while time.perf_counter() - start < args.seconds:
        for record in records:
            state, _ = new_game(scenario, record.state.seed)
            for action in record.actions:
                state, _ = apply(state, action)
            applied += len(record.actions)
    actions_per_second = applied / (time.perf_counter() - start)

    # The floor: the cheapest way to make a new state, measured the same way.
    state, _ = new_game(scenario, 1)
    loops = 50_000
    start = time.perf_counter()
    for _ in range(loops):
        attrs.evolve(state, step=1)
    evolve_us = (time.perf_counter() - start) / loops * 1e6
    start = time.perf_counter()
    for _ in range(loops):
        replace(state, step=1)
    replace_us = (time.perf_counter() - start) / loops * 1e6

    apply_us = 1e6 / actions_per_second
    print()
    print(
        f"  complete games per second   {games_per_second:9.0f}   "
        f"(rounds: {', '.join(f'{r:.0f}' for r in rates)}; "
        f"{statistics.mean(per_game):.1f} actions a game)"
    )
    print(f"  applied actions per second  {actions_per_second:9.0f}   ({apply_us:.1f} µs each)")
    print(f"  floor: attrs.evolve(state)  {evolve_us:9.2f} µs; replace(state) {replace_us:.2f} µs")
    print(f"  one apply() costs {apply_us / evolve_us:.1f}× a bare attrs.evolve")
    verdict = "meets" if games_per_second >= TARGET_GAMES_PER_SECOND else "MISSES"
    print(f"\n  {verdict} the target of {TARGET_GAMES_PER_SECOND} complete games per second")
    return 0


if __name__ == "__main__":
    sys.exit(main())
