"""The modder's balance run: ``envoy simulate border_incident --games 1000``, timed.

Runs the command as a modder does (every policy, the search at 100 games) in a
child process, three times:

  * the floor: the same command at one game per policy, so the start-up, the
    crisis loading and the report, which every run pays once;
  * ``--jobs 1``: CPU time (user + sys of the process and its workers) and
    wall-clock time;
  * ``--jobs 2``: the same, and the wall-clock speed-up over ``--jobs 1``.

Targets (issue 14): at most 60 s of CPU for the whole run; ``--jobs 2`` at
least 1.7× faster on two idle cores. The machine's load at the start of each
run is printed beside it: a speed-up measured on busy cores says little. The
full run takes about a minute and a half of CPU (each of the two timed runs
about 45 s; wall time on busy cores is several times that); ``--games`` and
``--search-games`` shrink it for a quick look.

    python bench/simulate.py [--crisis border_incident] [--games 1000] [--search-games 100]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CPU_TARGET = 60.0
SPEEDUP_TARGET = 1.7


def run(crisis: str, games: int, search_games: int, jobs: int) -> tuple[float, float, float]:
    """(CPU seconds, wall seconds, load average at the start) of one simulate command."""
    command = [
        sys.executable,
        "-m",
        "game",
        "simulate",
        crisis,
        "--games",
        str(games),
        "--search-games",
        str(search_games),
        "--jobs",
        str(jobs),
        "--json",
    ]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, load


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crisis", default="border_incident")
    parser.add_argument("--games", type=int, default=1000)
    parser.add_argument("--search-games", type=int, default=100)
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"{args.crisis}: {args.games} games per policy, search {args.search_games}; {cores} cores"
    )
    floor_cpu, floor_wall, load = run(args.crisis, 1, 1, 1)
    print(
        f"floor (one game each)  CPU {floor_cpu:6.1f} s  wall {floor_wall:6.1f} s  load {load:.1f}"
    )
    one_cpu, one_wall, load = run(args.crisis, args.games, args.search_games, 1)
    print(
        f"--jobs 1               CPU {one_cpu:6.1f} s  wall {one_wall:6.1f} s  "
        f"load {load:.1f}  ({one_cpu / floor_cpu:.0f}× the floor)"
    )
    two_cpu, two_wall, load = run(args.crisis, args.games, args.search_games, 2)
    speedup = one_wall / two_wall
    print(
        f"--jobs 2               CPU {two_cpu:6.1f} s  wall {two_wall:6.1f} s  "
        f"load {load:.1f}  speed-up {speedup:.2f}×"
    )
    cpu_ok = one_cpu <= CPU_TARGET
    print(f"CPU {one_cpu:.1f} s (target ≤ {CPU_TARGET:.0f} s): {'met' if cpu_ok else 'MISSED'}")
    fair = load < 0.5 and (cores or 0) >= 2
    verdict = (
        ("met" if speedup >= SPEEDUP_TARGET else "MISSED")
        if fair
        else ("not judged: the cores were not idle")
    )
    print(f"--jobs 2 speed-up {speedup:.2f}× (target ≥ {SPEEDUP_TARGET}× on idle cores): {verdict}")
    return 0 if cpu_ok and (speedup >= SPEEDUP_TARGET or not fair) else 1


if __name__ == "__main__":
    raise SystemExit(main())
