"""Desktop client benchmark: startup, board frame cost and idle CPU, each beside a floor.

Every figure is measured in fresh subprocesses (a cold start each time) and the
median of several runs is reported, beside a bare pygame-ce program measured
the same way in the same run:

  * startup to the first title frame: from the moment the parent spawns the
    process to the first ``pygame.display.flip()`` of the title screen, going
    through the real entry point (plain ``envoy``, with default settings and an
    empty save folder), with the game's compiled modules cached as they are
    from a player's second start on. Floor: a script
    that imports pygame, opens a 1280×720 window and flips it once.
    Target: at most 3× the floor.
  * board frame CPU time at 1280×720: ``App.step(1/60)`` (update, draw, flip)
    on a Border Incident board (turn 1 and a later turn) and a Middle Power at
    Sea board (the later turn), the human seat first, timed with
    ``time.process_time()`` frame by frame; "steady" is the board drawn from
    its cached canvas, "redraw" marks it dirty with nothing changed, "change"
    makes a change before every frame as a player would (the selection moves,
    the pointer goes onto a relation and off it, a log entry is picked), so the
    board paints again what that change touched.
    Floor: ``screen.fill(); pygame.display.flip()``. Target: 2 ms (steady and
    change).
  * CPU while the board sits idle: the real ``App.run()`` loop with no input,
    stopped after a few seconds by a QUIT timer; CPU time over wall time.
    "settled" leaves out the first second (the loop runs at full rate for a
    moment after the last input before it sleeps). Floor: a bare
    ``pygame.event.wait`` loop. Target: at most 3 % (settled).
  * the longest frame gap while the hard AI thinks: whole AI-only demo games
    of Border Incident and of Middle Power at Sea, every envoy on hard; the
    board thinks in slices of ``search.frame_budget_ms`` of the clock. Floor: a
    bare 60 fps fill-and-flip loop. Target: 50 ms.

The whole run takes a few minutes (the demo games are most of it).
The video driver is SDL's dummy one unless SDL_VIDEODRIVER says otherwise.

    python bench/ui.py [--runs 5] [--frames 600] [--idle-seconds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TARGET_STARTUP_RATIO = 3.0
TARGET_FRAME_MS = 2.0
TARGET_IDLE_ABOVE_FLOOR = 1.0  # percentage points over a bare sleeping loop
TARGET_THINK_GAP_MS = 50.0
WIDTH, HEIGHT = 1280, 720

# ---------------------------------------------------------------- the child programs
# Each runs with ``python -c`` from the project folder, so the app and its floor
# pay the same interpreter start and nothing of this file is imported.

STARTUP_FLOOR = f"""
import time
import pygame
pygame.display.set_mode(({WIDTH}, {HEIGHT}))
pygame.display.flip()
print(time.perf_counter())
"""

STARTUP_APP = """
import json, os, sys, time
marks = {}
import pygame
marks["pygame"] = time.perf_counter()
import pygame_gui
marks["pygame_gui"] = time.perf_counter()
# What ``envoy`` imports before its first frame, in the order it imports them:
# importing them here first only splits the time into stages.
import game.cli, game.ui.main, game.ui.scenes.title
from game.ui.app import App
marks["game"] = time.perf_counter()
real_init, real_draw = App.__init__, App.draw

def init(self, *args, **kwargs):
    real_init(self, *args, **kwargs)
    marks["app"] = time.perf_counter()

def draw(self):
    real_draw(self)  # ends with pygame.display.flip()
    marks["frame"] = time.perf_counter()
    print(json.dumps({"marks": marks, "scene": self.scene.name}))
    sys.stdout.flush()
    os._exit(0)

App.__init__, App.draw = init, draw
game.cli.main(["--saves", sys.argv[1]])  # the real entry point: plain `envoy`
"""

# Opens a Border Incident board with the human seat first, at turn ``TURN``: the
# turns before are played with seeded random legal moves, so the log has grown.
BOARD_SETUP = """
import json, pathlib, random, sys, time
import pygame
from game.content.loader import SCENARIO_DIR, load_scenario
from game.engine.state import DECISION
from game.session.match import HUMAN, Match, Seat, Source
from game.session.settings import Settings
from game.ui.app import App
from game.ui.scenes.board import BoardScene, open_match

app = App(Settings(), pathlib.Path(sys.argv[1]), persist_settings=False)
result = load_scenario(SCENARIO_DIR / f"{CRISIS}.yaml")
scenario = result.unwrap()
seats = [Seat(e.id, HUMAN if i == 0 else "ai") for i, e in enumerate(scenario.envoys)]

def ready(match):
    acting = match.acting_seat
    return match.state.turn >= TURN and acting.is_human and match.state.phase != DECISION

for seed in range(12345, 12445):
    match = Match.start(scenario, Source.of(result), seed, seats)
    choose = random.Random(seed).choice
    while not match.over and not ready(match):
        match.apply(choose(match.legal(match.acting_id)))
    if not match.over:
        break
open_match(app, match)
board = app.scene
assert isinstance(board, BoardScene) and board.human_turn, app.stack
"""


def board_setup(turn: int, crisis: str = "border_incident") -> str:
    return f"TURN = {turn}\nCRISIS = {crisis!r}\n" + BOARD_SETUP


FRAMES_APP = """
frames = int(sys.argv[2])

# What a player does between two frames, in turn: the selection moves down or up,
# the pointer goes onto the first relation and off it, a log entry is picked.
def change(frame):
    kind = frame % 3
    if kind == 0:
        board.table.move_selection(1 if frame % 2 else -1)
        board._changed()
    elif kind == 1:
        board.hover = ("relation", 0) if board.hover is None else None
    else:
        board.log_index = -1 if board.log_index >= 0 else len(board.log_entries()) - 1
    board.dirty = True


def timed(count, redraw):
    times = []
    for frame in range(count):
        if redraw == "redraw":
            board.dirty = True
        elif redraw == "change":
            change(frame)
        start = time.process_time()
        app.step(1 / 60)
        times.append(time.process_time() - start)
    return times

for frame in range(30):  # warm-up: the first render, text caches
    change(frame)
    app.step(1 / 60)
steady = timed(frames, "")
redraw = timed(frames // 2, "redraw")
changed = timed(frames // 2, "change")
print(json.dumps({
    "steady": steady, "redraw": redraw, "change": changed, "log": len(board.log_entries())
}))
"""

FRAMES_FLOOR = f"""
import json, sys, time
import pygame
screen = pygame.display.set_mode(({WIDTH}, {HEIGHT}))
frames = int(sys.argv[2])

def timed():
    times = []
    for _ in range(frames):
        start = time.process_time()
        screen.fill((24, 28, 36))
        pygame.display.flip()
        times.append(time.process_time() - start)
    return times

for _ in range(30):
    screen.fill((24, 28, 36))
    pygame.display.flip()
print(json.dumps({{"steady": timed()}}))
"""

# Both idle children: QUIT arrives after argv[3] ms, a MARK after SETTLE_MS.
IDLE_TIMERS = """
SETTLE_MS = 1000
seconds_ms = int(sys.argv[3])
MARK = pygame.event.custom_type()
marks = []
pygame.time.set_timer(MARK, SETTLE_MS, loops=1)
pygame.time.set_timer(pygame.QUIT, seconds_ms, loops=1)
begin = (time.perf_counter(), time.process_time())
"""

IDLE_REPORT = """
end = (time.perf_counter(), time.process_time())
mark = marks[0] if marks else begin

def percent(a, b):
    return 100 * (b[1] - a[1]) / max(1e-9, b[0] - a[0])

print(json.dumps({"whole": percent(begin, end), "settled": percent(mark, end)}))
"""

IDLE_APP = (
    board_setup(1)
    + """
real_dispatch = app.dispatch

def dispatch(event):
    if event.type == MARK:
        marks.append((time.perf_counter(), time.process_time()))
    real_dispatch(event)

app.dispatch = dispatch
"""
    + IDLE_TIMERS
    + """
app.run()
"""
    + IDLE_REPORT
)

IDLE_FLOOR = (
    f"""
import json, sys, time
import pygame
pygame.display.set_mode(({WIDTH}, {HEIGHT}))
pygame.display.flip()
"""
    + IDLE_TIMERS
    + """
while True:
    event = pygame.event.wait(500)
    if event.type == MARK:
        marks.append((time.perf_counter(), time.process_time()))
    if event.type == pygame.QUIT:
        break
"""
    + IDLE_REPORT
)


# A whole AI-only game of the crisis argv[3] through the real scenes (the demo),
# every envoy on "hard", the search AI. Records the time between flips for every
# frame in which a board was thinking at the start or at the end of the frame, so
# the frame in which the AI finally acts (the move resolves, the next screen is
# built) counts too.
THINK_APP = """
import json, pathlib, sys, time
from game.paths import SCENARIO_DIR
from game.session.settings import Settings
from game.ui.app import App, DemoOptions
from game.ui.scenes.board import BoardScene
from game.ui.scenes.title import TitleScene

demo = DemoOptions(
    scenario=SCENARIO_DIR / f"{sys.argv[3]}.yaml", seed=int(sys.argv[2]), seconds_per_screen=0.2
)
settings = Settings(ai_difficulty="hard", animation_speed="fast")
app = App(settings, pathlib.Path(sys.argv[1]), demo, persist_settings=False)
gaps, last, choices = [], [None], [0]
real_step = App.step

def thinking(app):
    return any(isinstance(s, BoardScene) and s.table.thinking is not None for s in app.stack)

def step(self, dt):
    before = thinking(self)
    real_step(self, dt)
    now, after = time.perf_counter(), thinking(self)
    if before and last[0] is not None:
        gaps.append(now - last[0])
    if before and not after:
        choices[0] += 1
    last[0] = now

App.step = step
code = app.run(TitleScene)
end = app.scene.name if app.stack else "none"
print(json.dumps({"gaps": gaps, "choices": choices[0], "code": code, "end": end}))
"""

THINK_FLOOR = f"""
import json, sys, time
import pygame
screen = pygame.display.set_mode(({WIDTH}, {HEIGHT}))
clock = pygame.time.Clock()
gaps, last = [], time.perf_counter()
for _ in range(int(sys.argv[2])):
    pygame.event.get()
    clock.tick(60)
    screen.fill((24, 28, 36))
    pygame.display.flip()
    now = time.perf_counter()
    gaps.append(now - last)
    last = now
print(json.dumps({{"gaps": gaps[1:]}}))
"""

# ---------------------------------------------------------------- running children


def child_env(config: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("SDL_VIDEODRIVER", "dummy")
    env.setdefault("SDL_AUDIODRIVER", "dummy")
    env["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"
    env["ENVOY_CONFIG_DIR"] = str(config)  # never the player's own settings
    env.pop("PYTHONSTARTUP", None)
    # A player's Python caches compiled modules, so a start after the first reads
    # them from __pycache__. Measure that start, not one that recompiles the game's
    # own modules every time (the warm-up run below writes the cache).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_child(program: str, env: dict[str, str], *args: str) -> tuple[float, str]:
    """Run one child; returns the parent's perf_counter at spawn and the child's stdout."""
    with tempfile.TemporaryDirectory(prefix="envoy-bench-saves-") as saves:
        spawned = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", program, saves, *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    if done.returncode != 0:
        raise SystemExit(f"a benchmark child failed:\n{done.stderr}")
    return spawned, done.stdout.strip().splitlines()[-1]


def median(values) -> float:
    return statistics.median(values)


def p95(values) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def measure_startup(env, runs: int) -> dict:
    app, floor, stages = [], [], {}
    run_child(STARTUP_FLOOR, env)  # warm the file cache, not the process
    run_child(STARTUP_APP, env)
    for _ in range(runs):
        spawned, out = run_child(STARTUP_FLOOR, env)
        floor.append(float(out) - spawned)
        spawned, out = run_child(STARTUP_APP, env)
        report = json.loads(out)
        if report["scene"] != "title":
            raise SystemExit(f"the first frame showed {report['scene']!r}, not the title")
        marks = report["marks"]
        app.append(marks["frame"] - spawned)
        last = spawned
        for key, value in marks.items():
            stages.setdefault(key, []).append(value - last)
            last = value
    return {
        "app": median(app),
        "floor": median(floor),
        "app_runs": app,
        "floor_runs": floor,
        "stages": {key: median(values) for key, values in stages.items()},
    }


CRISES = {"border_incident": "Border Incident", "middle_power_at_sea": "Middle Power at Sea"}


def boards(late_turn: int) -> list[tuple[str, int]]:
    """The boards timed: Border Incident at turn 1 and later, Middle Power later."""
    return [
        ("border_incident", 1),
        ("border_incident", late_turn),
        ("middle_power_at_sea", late_turn),
    ]


def measure_frames(env, runs: int, frames: int, late_turn: int) -> dict:
    """Mean and p95 frame CPU in ms, medians over runs, for the floor and the boards."""
    samples: dict[str, list[tuple[float, float]]] = {}
    logs = {}

    def add(key, times):
        samples.setdefault(key, []).append((statistics.mean(times), p95(times)))

    for _ in range(runs):
        add("floor", json.loads(run_child(FRAMES_FLOOR, env, str(frames))[1])["steady"])
        for crisis, turn in boards(late_turn):
            program = board_setup(turn, crisis) + FRAMES_APP
            data = json.loads(run_child(program, env, str(frames))[1])
            for kind in ("steady", "redraw", "change"):
                add(f"{kind} {crisis} {turn}", data[kind])
            logs[(crisis, turn)] = data["log"]
    figures = {
        key: (median(m for m, _ in pairs) * 1000, median(p for _, p in pairs) * 1000)
        for key, pairs in samples.items()
    }
    return {"figures": figures, "logs": logs}


def measure_thinking(env, games: int, crisis: str) -> dict:
    """Frame gaps while the hard AI thinks, over whole demo games, beside a bare 60 fps loop."""
    gaps, choices, endings = [], 0, []
    for seed in range(1, games + 1):
        data = json.loads(run_child(THINK_APP, env, str(seed), crisis)[1])
        gaps += data["gaps"]
        choices += data["choices"]
        endings.append(data["end"])
    floor = json.loads(run_child(THINK_FLOOR, env, "300")[1])["gaps"]

    def summary(values):
        ms = sorted(v * 1000 for v in values)
        return {"max": ms[-1], "p99": ms[min(len(ms) - 1, int(0.99 * len(ms)))], "n": len(ms)}

    return {"app": summary(gaps), "floor": summary(floor), "choices": choices, "ends": endings}


def measure_idle(env, runs: int, seconds: float) -> dict:
    ms = str(int(seconds * 1000))
    app, floor = [], []
    for _ in range(runs):
        app.append(json.loads(run_child(IDLE_APP, env, "0", ms)[1]))
        floor.append(json.loads(run_child(IDLE_FLOOR, env, "0", ms)[1]))
    return {
        name: {key: median(r[key] for r in results) for key in ("whole", "settled")}
        for name, results in (("app", app), ("floor", floor))
    }


# ---------------------------------------------------------------- report


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        return "pinned to one core"
    return "not pinned (this platform cannot)"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="startup runs of each program")
    parser.add_argument("--frame-runs", type=int, default=3, help="frame-timing runs of each")
    parser.add_argument("--frames", type=int, default=600, help="steady frames timed per run")
    parser.add_argument("--late-turn", type=int, default=6, help="the later board's turn")
    parser.add_argument("--idle-runs", type=int, default=3, help="idle runs of each")
    parser.add_argument("--idle-seconds", type=float, default=3.0, help="length of an idle run")
    parser.add_argument("--think-games", type=int, default=3, help="hard-AI demo games timed")
    parser.add_argument("--no-pin", action="store_true", help="do not pin to one core")
    args = parser.parse_args()

    pinned = "not pinned" if args.no_pin else pin_to_one_core()
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="envoy-bench-config-") as config:
        env = child_env(Path(config))
        probe = "import pygame, pygame_gui, importlib.metadata as m; print(pygame.version.ver, "
        probe += "'.'.join(map(str, pygame.get_sdl_version())), m.version('pygame_gui'))"
        _, versions = run_child(probe, env)
        pygame_ver, sdl_ver, gui_ver = versions.split()
        print(
            f"Envoy UI benchmark: {WIDTH}×{HEIGHT}, SDL video driver "
            f"'{env['SDL_VIDEODRIVER']}', {pinned}"
        )
        print(
            f"Python {platform.python_version()} on {platform.machine()}, pygame-ce {pygame_ver} "
            f"(SDL {sdl_ver}), pygame_gui {gui_ver}; medians of fresh processes"
        )
        startup = measure_startup(env, args.runs)
        frames = measure_frames(env, args.frame_runs, args.frames, args.late_turn)
        idle = measure_idle(env, args.idle_runs, args.idle_seconds)
        think = {crisis: measure_thinking(env, args.think_games, crisis) for crisis in CRISES}

    s_ratio = startup["app"] / startup["floor"]
    figures = frames["figures"]
    floor = figures["floor"]

    def frame_row(key: str, what: str, target: bool) -> tuple[str, ...]:
        mean, tail = figures[key]
        return (
            what,
            f"{mean:.2f} ms (p95 {tail:.2f})",
            f"{floor[0]:.2f} ms (p95 {floor[1]:.2f})",
            f"{mean / floor[0]:.1f}×",
            f"≤ {TARGET_FRAME_MS:g} ms" if target else "(none)",
            verdict(mean <= TARGET_FRAME_MS) if target else "",
        )

    late = args.late_turn
    rows = [
        (
            "startup to first title frame",
            f"{startup['app'] * 1000:.0f} ms",
            f"{startup['floor'] * 1000:.0f} ms",
            f"{s_ratio:.1f}×",
            f"≤ {TARGET_STARTUP_RATIO:g}× floor",
            verdict(s_ratio <= TARGET_STARTUP_RATIO),
        ),
        *(
            frame_row(
                f"{kind} {crisis} {turn}",
                f"board {kind}, {CRISES[crisis]} turn {turn}",
                kind != "redraw",
            )
            for crisis, turn in boards(late)
            for kind in ("steady", "redraw", "change")
        ),
        (
            "idle board CPU, settled",
            f"{idle['app']['settled']:.2f} %",
            f"{idle['floor']['settled']:.2f} %",
            "",
            f"≤ floor + {TARGET_IDLE_ABOVE_FLOOR:g} pt",
            verdict(idle["app"]["settled"] <= idle["floor"]["settled"] + TARGET_IDLE_ABOVE_FLOOR),
        ),
        (
            f"idle board CPU, whole {args.idle_seconds:g} s",
            f"{idle['app']['whole']:.2f} %",
            f"{idle['floor']['whole']:.2f} %",
            "",
            "",
            "",
        ),
    ]
    for crisis, name in CRISES.items():
        gaps = think[crisis]
        rows.append(
            (
                f"longest frame gap, hard AI thinking, {name}",
                f"{gaps['app']['max']:.1f} ms (p99 {gaps['app']['p99']:.1f})",
                f"{gaps['floor']['max']:.1f} ms (p99 {gaps['floor']['p99']:.1f})",
                "",
                f"≤ {TARGET_THINK_GAP_MS:g} ms",
                verdict(gaps["app"]["max"] <= TARGET_THINK_GAP_MS),
            )
        )
    header = ("measure", "Envoy", "floor", "ratio", "target", "")
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    print()
    for row in (header, *rows):
        cells = [row[0].ljust(widths[0])] + [
            cell.rjust(width) for cell, width in zip(row[1:4], widths[1:4], strict=True)
        ]
        cells += [row[4].ljust(widths[4]), row[5]]
        print("  " + "  ".join(cells).rstrip())
    stages = startup["stages"]
    names = {
        "pygame": "start + import pygame",
        "pygame_gui": "import pygame_gui",
        "game": "import game",
        "app": "App()",
        "frame": "first title frame",
    }
    print()
    print(
        "  startup, where the time goes (medians): "
        + ", ".join(f"{names[k]} {v * 1000:.0f} ms" for k, v in stages.items())
    )
    print(
        "  startup runs (ms): app "
        + " ".join(f"{v * 1000:.0f}" for v in startup["app_runs"])
        + "; floor "
        + " ".join(f"{v * 1000:.0f}" for v in startup["floor_runs"])
    )
    print(
        f"  frames: {args.frames} steady, {args.frames // 2} redraw and {args.frames // 2} "
        "change frames a run, "
        f"{args.frame_runs} runs; log lines on the board: "
        + ", ".join(f"{CRISES[c]} turn {t}: {n}" for (c, t), n in frames["logs"].items())
        + "; "
        f"idle: {args.idle_runs} runs of {args.idle_seconds:g} s, settled = after the first second"
    )
    for crisis, name in CRISES.items():
        gaps = think[crisis]
        print(
            f"  hard AI: {args.think_games} demo games of {name}, every envoy on hard, "
            f"{gaps['choices']} choices over {gaps['app']['n']} thinking frames "
            f"(ended on: {', '.join(sorted(set(gaps['ends'])))}); floor: a bare 60 fps "
            "fill + flip loop"
        )
    print(f"  benchmark took {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
