"""Engine benchmark: random complete games of two crises, on one core, beside a baseline.

Each engine runs in its own worker process, whose ``sys.path`` starts at its own
project folder, so two ``game`` packages never mix. Both workers are pinned to
the same core and take turns: the parent asks one, waits, then asks the other,
so machine noise falls on both alike. Times are CPU times of the worker
(``time.process_time``), so other programs on the machine slow neither side's
figures much. The stages, in order:

  1. with ``--baseline REV``: check REV out into a temporary git worktree
     (``git worktree add --detach``), removed at the end even on error;
  2. start the workers (the working tree's engine, and the baseline's) and let
     each load Border Incident and Middle Power at Sea and play a few warm-up
     games. With a baseline, BOTH engines load the baseline's own crisis files
     (the ``scenarios/`` folder of its worktree, each engine with its own move
     library), so the two always play the same crisis text even after the
     working tree's files change (say, a crisis rewritten in a newer format that
     plays other games); without one, the working tree's own files;
  3. ``--rounds`` rounds; in each round, for each crisis, each engine in turn
     (the order alternates from round to round):
     a. complete games: the same ``--games`` seeds with random agents in every
        seat, each seat seeing only ``player_view`` and choosing from
        ``legal_actions`` (``game.ai.play.play_game(..., "random")``);
     b. applied actions: the games just played, replayed through ``apply``
        alone from their seeds and actions.
     Each round gives a ratio of the two engines' times; the median ratio is
     the speed-up, and the median round gives games/s and applied actions/s;
  4. the floors, in each worker: ``attrs.evolve`` of a game state, and the
     project's own ``replace`` (cheaper than ``evolve``, so the honest floor
     for "one new state per action").

The defaults (5 rounds of 100 games a crisis) take about 30 s of CPU with
``--baseline 997fad7`` (the baseline's games are most of it), which was 50 to
90 s of wall time on a 2-core machine shared with other work; without a
baseline, about 10 s of CPU (20 to 30 s of wall time).

Target (issue 14): at least 3× the games per second of ``997fad7`` on both crises.

    python bench/engine.py [--baseline 997fad7] [--rounds 5] [--games 100]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CRISES = {"Border Incident": "border_incident", "Middle Power at Sea": "middle_power_at_sea"}
TARGET_SPEEDUP = 3.0

# ---------------------------------------------------------------- the worker


def serve(root: str, folder: str) -> None:
    """Answer the parent's requests, one JSON line each, with the engine found in ``root``
    playing the crisis files in ``folder``."""
    sys.path.insert(0, root)
    import attrs

    from game.ai.play import play_game
    from game.content.loader import load_scenario
    from game.engine.rules import apply, new_game
    from game.engine.state import replace

    scenarios = {
        file: load_scenario(Path(folder) / f"{file}.yaml").unwrap() for file in CRISES.values()
    }
    recorded: dict[str, list] = {file: [] for file in scenarios}

    def games(file: str, seeds: list[int]) -> dict:
        scenario = scenarios[file]
        start = time.process_time()
        records = [play_game(scenario, seed, "random") for seed in seeds]
        elapsed = time.process_time() - start
        recorded[file] = [(r.state.seed, r.actions) for r in records]
        actions = sum(len(r.actions) for r in records)
        return {"seconds": elapsed, "actions": actions}

    def replay(file: str) -> dict:
        scenario = scenarios[file]
        start = time.process_time()
        applied = 0
        for seed, actions in recorded[file]:
            state, _ = new_game(scenario, seed)
            for action in actions:
                state, _ = apply(state, action)
            applied += len(actions)
        return {"seconds": time.process_time() - start, "actions": applied}

    def floors() -> dict:
        state, _ = new_game(scenarios["border_incident"], 1)
        loops = 50_000
        result = {}
        for name, copy in (("evolve", attrs.evolve), ("replace", replace)):
            start = time.process_time()
            for _ in range(loops):
                copy(state, step=1)
            result[name] = (time.process_time() - start) / loops * 1e6
        return result

    handlers = {"games": games, "replay": replay, "floors": floors}
    for line in sys.stdin:
        request = json.loads(line)
        answer = handlers[request.pop("do")](**request)
        print(json.dumps(answer), flush=True)


class Worker:
    """One engine in its own process."""

    def __init__(self, name: str, root: Path, scenarios: Path, core: int | None):
        self.name = name
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(root), str(scenarios)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=root,
        )
        if core is not None:
            os.sched_setaffinity(self.process.pid, {core})

    def ask(self, do: str, **request) -> dict:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps({"do": do, **request}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"the {self.name} engine's worker stopped (see its error above)")
        return json.loads(line)

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=30)


# ---------------------------------------------------------------- the parent


@contextlib.contextmanager
def checked_out(rev: str) -> Iterator[Path]:
    """REV in a temporary detached worktree, removed afterwards even on error."""
    folder = Path(tempfile.mkdtemp(prefix="envoy-bench-"))
    tree = folder / "baseline"
    git = ["git", "-C", str(ROOT)]
    subprocess.run(
        [*git, "worktree", "add", "--detach", str(tree), rev], check=True, capture_output=True
    )
    try:
        yield tree
    finally:
        subprocess.run([*git, "worktree", "remove", "--force", str(tree)], capture_output=True)
        subprocess.run([*git, "worktree", "prune"], capture_output=True)
        with contextlib.suppress(OSError):
            folder.rmdir()


def one_core() -> int | None:
    if hasattr(os, "sched_getaffinity"):
        return min(os.sched_getaffinity(0))
    return None


def run(workers: list[Worker], rounds: int, per_round: int) -> None:
    for worker in workers:  # warm-up: imports, caches, the first games
        for file in CRISES.values():
            worker.ask("games", file=file, seeds=list(range(900_000, 900_005)))

    times = {(w.name, file): [] for w in workers for file in CRISES.values()}
    replays = {(w.name, file): [] for w in workers for file in CRISES.values()}
    actions = {}
    for round_ in range(rounds):
        seeds = list(range(round_ * per_round, (round_ + 1) * per_round))
        for file in CRISES.values():
            for worker in workers if round_ % 2 == 0 else workers[::-1]:
                answer = worker.ask("games", file=file, seeds=seeds)
                times[worker.name, file].append(answer["seconds"])
                actions[worker.name, file] = answer["actions"]
                answer = worker.ask("replay", file=file)
                replays[worker.name, file].append(answer["seconds"] / answer["actions"])
    floors = {w.name: w.ask("floors") for w in workers}

    for title, file in CRISES.items():
        print(f"\n{title}: {per_round} games a round, {rounds} rounds")
        for worker in workers:
            rates = [per_round / t for t in times[worker.name, file]]
            apply_us = statistics.median(replays[worker.name, file]) * 1e6
            print(
                f"  {worker.name:>9}: {statistics.median(rates):7.1f} games/s "
                f"(rounds: {', '.join(f'{r:.0f}' for r in rates)}); "
                f"{actions[worker.name, file] / per_round:.1f} actions a game; "
                f"{1e6 / apply_us:6.0f} applied actions/s ({apply_us:.1f} µs each)"
            )
        if len(workers) == 2:
            current, baseline = (w.name for w in workers)
            ratios = [
                b / c for c, b in zip(times[current, file], times[baseline, file], strict=True)
            ]
            speedup = statistics.median(ratios)
            same = actions[current, file] == actions[baseline, file]
            verdict = "meets" if speedup >= TARGET_SPEEDUP else "MISSES"
            print(
                f"  speed-up: {speedup:.2f}× (rounds: {', '.join(f'{r:.2f}' for r in ratios)}); "
                f"{verdict} the target of {TARGET_SPEEDUP:.0f}×"
                + ("" if same else "; the engines played different games (rules changed)")
            )

    print("\nFloors (a new state per action), in each engine:")
    for worker in workers:
        f = floors[worker.name]
        apply_us = statistics.median(replays[worker.name, "border_incident"]) * 1e6
        print(
            f"  {worker.name:>9}: attrs.evolve {f['evolve']:.2f} µs, replace {f['replace']:.2f} µs;"
            f" one apply() on Border Incident costs {apply_us / f['replace']:.1f}× replace"
            f" ({apply_us / f['evolve']:.1f}× evolve)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", metavar="REV", help="a commit to compare against")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of games (default 5)")
    parser.add_argument("--games", type=int, default=100, help="games a round and crisis")
    parser.add_argument("--serve", nargs=2, metavar=("ROOT", "SCENARIOS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(*args.serve)
        return 0

    started = time.perf_counter()
    core = one_core()
    print("Envoy engine benchmark: random agents in every seat")
    print(f"Python {platform.python_version()} on {platform.machine()}, ", end="")
    print("pinned to one core" if core is not None else "not pinned (this platform cannot)")
    with contextlib.ExitStack() as stack:
        tree = stack.enter_context(checked_out(args.baseline)) if args.baseline else None
        # Both engines play the baseline's crisis files when there is one (see stage 2).
        scenarios = (tree or ROOT) / "scenarios"
        workers = [Worker("current", ROOT, scenarios, core)]
        stack.callback(workers[0].close)
        if tree is not None:
            print(f"baseline: {args.baseline}, checked out in a temporary worktree;")
            print("both engines play its crisis files")
            workers.append(Worker(args.baseline, tree, scenarios, core))
            stack.callback(workers[1].close)
        run(workers, args.rounds, args.games)
    print(f"\nThe whole run took {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
