"""Validator benchmark: how long `envoy validate` takes on good and hostile files.

The tests check that a hostile file is refused with bounded work (a number of
parser events, a number of diagnostics, a depth); this script measures the time
that work takes on this machine, which no test asserts. Prints, for each case,
the median of several runs and what the validator said:

  * every built-in crisis (loaded, checked and compiled);
  * a file at the value cap (read whole, then refused as no scenario), one just
    over it, and one over the size cap;
  * deep nesting, the "billion laughs" aliases, and a file with a mistake on
    every line (the report stops at its cap);
  * a file with eleven different mistakes, all reported in one run.

    python bench/validate.py [--runs 5]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.content.loader import builtin_scenarios, load_scenario, load_scenario_bytes
from game.content.yamlsafe import MAX_BYTES, MAX_VALUES

BILLION_LAUGHS = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(
            f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]"
            for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        "",
    ]
).encode()


def values(count: int) -> bytes:
    """A file of exactly ``count`` values: the root, its one key, a list, and its items."""
    return ("items:\n" + "".join("- 1\n" for _ in range(count - 3))).encode()


def hostile_cases() -> dict[str, bytes]:
    eleven = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "eleven_mistakes.yaml"
    cases = {
        f"{MAX_VALUES} values (the cap)": values(MAX_VALUES),
        f"{MAX_VALUES + 1} values (over the cap)": values(MAX_VALUES + 1),
        f"{MAX_BYTES + 1} bytes (over the size cap)": b"a: 1\n" + b"#" * (MAX_BYTES - 4),
        "20,000 '[' (deep nesting)": b"[" * 20_000,
        "billion laughs": BILLION_LAUGHS,
        "a duplicate key on every line": b"".join(b"a: 1\n" for _ in range(5_000)),
    }
    if eleven.is_file():
        cases["eleven mistakes"] = eleven.read_bytes()
    return cases


def median_seconds(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per case (the median counts)")
    args = parser.parse_args()
    print(f"Envoy validator benchmark, median of {args.runs} runs")
    print(f"Python {platform.python_version()} on {platform.machine()}")
    print()
    print(f"{'case':<44} {'ms':>8}  result")
    for path in builtin_scenarios():
        seconds = median_seconds(lambda path=path: load_scenario(path), args.runs)
        result = load_scenario(path)
        said = "ok" if result.ok else f"{len(result.errors)} errors"
        print(f"{path.name:<44} {seconds * 1000:8.1f}  {said}")
    for name, data in hostile_cases().items():
        seconds = median_seconds(lambda data=data: load_scenario_bytes(data, "b.yaml"), args.runs)
        result = load_scenario_bytes(data, "b.yaml")
        first = result.errors[0].message if result.errors else "accepted"
        said = f"{len(result.diagnostics)} problems; first: {first}"
        print(f"{name:<44} {seconds * 1000:8.1f}  {said[:90]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
