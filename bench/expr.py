"""Expression benchmark: every condition, number and effect of the six crises, on one core.

Each expression the loader compiles while loading the six built-in crises is
compiled twice in the same run: by this tree's compiler (one generated Python
function per expression) and by the closure compiler of ``--baseline`` (read
from git, by default the last revision that built closures). Both are then run
on the same worlds, taken from random games of each crisis, with the same
contexts, and their results are checked equal before they are timed.

Times are CPU time of this process (the machine is shared), best of the rounds.
Prints, per kind (conditions, numbers, effects): nanoseconds per evaluation for
the closures, for the generated code, and for the floor, a bare Python lambda
written by hand (``lambda w, c: w.tension[0] >= 60``, or one that sets a meter
for the effects) called the same way; then the speed-up, and the time each
compiler takes for all the expressions (the generated code is compiled when each
function first runs, so that is timed apart). Last, random complete games of Border
Incident and Middle Power at Sea played with each compiler's expressions, in
interleaved rounds (the games must come out the same), and the speed-up.
The whole run takes about 30 seconds.

    python bench/expr.py [--baseline REV] [--rounds 5]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import attrs

from game.ai.play import play_game
from game.content.loader import SCENARIO_DIR, load_scenario
from game.engine import expr, meters
from game.engine.rules import World, apply, new_game

ROOT = Path(__file__).resolve().parent.parent
#: The last revision whose expressions compiled to closures.
CLOSURES = "8153379"
KINDS = ("condition", "number", "effect")
PLAYOUTS = ("border_incident", "middle_power_at_sea")
#: What each kind of expression would be at best: one hand-written Python lambda.
FLOORS = {
    "condition": lambda w, c: w.tension[0] >= 60,
    "number": lambda w, c: w.trust[0] / 100,
    "effect": lambda w, c: w.set("tension", 0, w.tension[0] + 5),
}


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        return "pinned to one core"
    return "not pinned (this platform cannot)"


def closure_compiler(revision: str, folder: Path):
    """The expression module of ``revision``, imported under another name."""
    source = subprocess.run(
        ["git", "show", f"{revision}:game/engine/expr.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = folder / "expr_closures.py"
    path.write_text(source, "utf-8")
    spec = importlib.util.spec_from_file_location("expr_closures", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def recorded_expressions():
    """(crisis, kind, text, tables, scope) of every expression the loader compiles."""
    found = []
    originals = {k: getattr(expr, f"compile_{k}") for k in KINDS}

    def spy(kind):
        def compile_(text, tables, scope, notes=None):
            found.append((crisis, kind, text, tables, scope))
            return originals[kind](text, tables, scope, notes)

        return compile_

    scenarios = {}
    try:
        for kind in KINDS:
            setattr(expr, f"compile_{kind}", spy(kind))
        for path in sorted(SCENARIO_DIR.glob("*.yaml")):
            crisis = path.stem
            scenarios[crisis] = load_scenario(path).unwrap()
    finally:
        for kind in KINDS:
            setattr(expr, f"compile_{kind}", originals[kind])
    return scenarios, found


def with_closures(old, path: Path):
    """The crisis at ``path``, every expression compiled by the closure compiler ``old``."""
    originals = {k: getattr(expr, f"compile_{k}") for k in KINDS}
    fields = {f.name for f in attrs.fields(old.IdTables)}

    def through_closures(kind):
        def compile_(text, tables, scope, notes=None):
            originals[kind](text, tables, scope, notes)  # the same checks and warnings
            kept = attrs.asdict(tables, recurse=False)
            old_tables = old.IdTables(**{k: v for k, v in kept.items() if k in fields})
            old_scope = old.Scope(dict(scope.names), scope.allow_random)
            return getattr(old, f"compile_{kind}")(text, old_tables, old_scope)

        return compile_

    try:
        for kind in KINDS:
            setattr(expr, f"compile_{kind}", through_closures(kind))
        return load_scenario(path).unwrap()
    finally:
        for kind in KINDS:
            setattr(expr, f"compile_{kind}", originals[kind])


def playouts(old, names: tuple[str, ...], games: int, rounds: int) -> list[str]:
    """Random complete games with each compiler, interleaved round by round, so that a
    busy machine slows both alike; the games must be the same games."""
    lines = []
    for name in names:
        path = SCENARIO_DIR / f"{name}.yaml"
        scenarios = {
            "closures": with_closures(old, path),
            "generated": load_scenario(path).unwrap(),
        }
        best = dict.fromkeys(scenarios, float("inf"))
        for round_ in range(rounds):
            for label, scenario in scenarios.items():
                start = time.process_time()
                records = [play_game(scenario, seed, "random") for seed in range(games)]
                best[label] = min(best[label], time.process_time() - start)
                if round_ == 0:
                    actions = [r.actions for r in records]
                    if label == "closures":
                        expected = actions
                    elif actions != expected:
                        return [f"  {name}: the two compilers played different games"]
        per_game = {k: v / games * 1e3 for k, v in best.items()}
        lines.append(
            f"  {name:22} closures {per_game['closures']:6.2f} ms a game, generated "
            f"{per_game['generated']:6.2f} ms: {per_game['closures'] / per_game['generated']:.2f}×"
        )
    return lines


def states_of(scenario, seed: int, count: int):
    """``count`` states spread over one random game of the crisis."""
    record = play_game(scenario, seed, "random")
    state, _ = new_game(scenario, seed)
    states = [state]
    for action in record.actions:
        state, _ = apply(state, action)
        states.append(state)
    step = max(1, len(states) // count)
    return states[::step][:count]


def context(scope, tables, state) -> tuple:
    """Indices for a scope's names: the first seats, and the parties of a relation."""
    pair = next(
        ((a, b) for a, row in enumerate(tables.relation_of) for b, r in enumerate(row) if r >= 0),
        (0, 0),
    )
    parties, envoys, values = list(pair), list(state.turn_order), []
    for kind in scope.names.values():
        if kind == expr.SEAT:
            values.append(envoys.pop(0) if len(envoys) > 1 else envoys[0])
        elif kind == expr.PARTY:
            values.append(parties.pop(0) if parties else 0)
        else:
            values.append(0)
    return tuple(values)


def timed(calls, rounds: int) -> float:
    """The best of ``rounds`` passes over ``calls``, in nanoseconds per call."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time_ns()
        for fn, world, ctx in calls:
            fn(world, ctx)
        best = min(best, time.process_time_ns() - start)
    return best / len(calls)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=CLOSURES, help="the revision of the closures")
    parser.add_argument("--rounds", type=int, default=5, help="passes timed, best kept")
    parser.add_argument("--repeat", type=int, default=20, help="evaluations per pass")
    parser.add_argument("--games", type=int, default=40, help="random games per round")
    args = parser.parse_args()

    pinned = pin_to_one_core()
    print(f"Envoy expression benchmark: the six crises, {pinned}")
    print(f"Python {platform.python_version()} on {platform.machine()}")
    with tempfile.TemporaryDirectory() as folder:
        old = closure_compiler(args.baseline, Path(folder))
    scenarios, found = recorded_expressions()

    # Compile every expression with both compilers, timed.
    def old_tables(t):
        fields = {f.name for f in attrs.fields(old.IdTables)}
        return old.IdTables(
            **{k: v for k, v in attrs.asdict(t, recurse=False).items() if k in fields}
        )

    converted = [
        (c, k, text, t, old_tables(t), s, old.Scope(dict(s.names), s.allow_random))
        for c, k, text, t, s in found
    ]
    best = {"closures": float("inf"), "generated": float("inf"), "first calls": float("inf")}
    for _ in range(args.rounds):
        start = time.process_time()
        old_fns = [getattr(old, f"compile_{k}")(x, ot, os_) for _, k, x, _, ot, _, os_ in converted]
        best["closures"] = min(best["closures"], time.process_time() - start)
        start = time.process_time()
        new_fns = [getattr(expr, f"compile_{k}")(x, t, s) for _, k, x, t, _, s, _ in converted]
        best["generated"] = min(best["generated"], time.process_time() - start)
        # The generated code is compiled when each function first runs.
        sources = {fn.__globals__["_source"] for fn in new_fns}
        expr._code_object.cache_clear()
        start = time.process_time()
        for source in sources:
            expr._code_object(source)
        best["first calls"] = min(best["first calls"], time.process_time() - start)
    compile_ms = {k: v * 1e3 for k, v in best.items()}

    # The worlds: states from a random game of each crisis, each a scratch World.
    states = {name: states_of(sc, 7, 6) for name, sc in scenarios.items()}
    results = {}
    for kind in KINDS:
        calls = {"closures": [], "generated": [], "floor": []}
        floor = FLOORS[kind]
        outputs = {"closures": [], "generated": []}
        for (crisis, k, _, t, _, s, _), new_fn, old_fn in zip(
            converted, new_fns, old_fns, strict=True
        ):
            if k != kind:
                continue
            for state in states[crisis]:
                ctx = context(s, t, state)
                for label, fn in (("closures", old_fn), ("generated", new_fn)):
                    world = World(state, record=False)
                    outputs[label].append(fn(world, ctx))
                    if kind == "effect":
                        outputs[label] += [getattr(world, m.field) for m in meters.METERS]
                        outputs[label] += [world.revealed, world.signed]
                    calls[label] += [(fn, World(state, record=False), ctx)] * args.repeat
                calls["floor"] += [(floor, World(state, record=False), ctx)] * args.repeat
        if outputs["closures"] != outputs["generated"]:
            print(f"  the two compilers disagree on the {kind}s: not timed")
            return 1
        results[kind] = {label: timed(c, args.rounds) for label, c in calls.items()}
        results[kind]["count"] = sum(1 for row in converted if row[1] == kind)

    print(f"\n  {len(found)} expressions in {len(scenarios)} crises; same results from both\n")
    print(
        f"  {'':10} {'count':>6} {'closures':>10} {'generated':>10} {'floor':>8} "
        f"{'speed-up':>9} {'over floor':>11}"
    )
    for kind, r in results.items():
        speed = r["closures"] / r["generated"]
        print(
            f"  {kind + 's':10} {r['count']:6d} {r['closures']:8.0f}ns {r['generated']:8.0f}ns "
            f"{r['floor']:6.0f}ns {speed:8.2f}× {r['generated'] / r['floor']:10.2f}×"
        )
    print(
        f"\n  compiling all of them at load: closures {compile_ms['closures']:.0f} ms, "
        f"generated code {compile_ms['generated']:.0f} ms, then {compile_ms['first calls']:.0f} ms "
        f"at the first calls ({len(sources)} distinct functions)"
    )
    print(f"\n  random complete games, {args.games} a round, best of {args.rounds} rounds:")
    for line in playouts(old, PLAYOUTS, args.games, args.rounds):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
