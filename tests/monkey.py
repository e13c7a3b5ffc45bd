"""A monkey at the keyboard: thousands of random inputs through the real app, on every screen.

Random clicks (anywhere, and on the buttons actually shown), mouse motion,
wheel turns, key presses and window resizes are posted to pygame's event queue
and fed through ``App.dispatch`` and ``App.step``, exactly as ``App.run`` does.
The app starts at the title and is restarted there whenever it quits; every
few hundred inputs a screen is forced (a new board, a finished game's debrief,
setup, settings, load…) so that each screen gets its share of nonsense.

Nothing may raise, and no single frame may take more than ``SLOW_STEP``
seconds of CPU (a freeze detector that other work on the machine cannot set
off; a wall-clock alarm also turns a real hang, busy or blocked, into a
failure with a traceback instead of a stuck run).

The test (``test_ui_monkey.py``) and the memory bench (``bench/memory.py``) run
it as a program of its own, so the memory it reports is the game's alone:

    python tests/monkey.py --saves DIR [--inputs 4000] [--seed 777] [--sample-every 500]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import dataclasses
import functools
import gc
import json
import os
import pathlib
import random
import signal
import sys
import time
import warnings

import pygame
from pygame_gui.elements import UIButton

from game.content.loader import SCENARIO_DIR, load_scenario
from game.engine.actions import Decide, End
from game.engine.state import DECISION
from game.session.match import AI, HUMAN, Match, Seat, Source
from game.session.settings import load_settings
from game.ui.app import App
from game.ui.scenes.board import open_match
from game.ui.scenes.title import TitleScene

EVENTS = 4_000  # random inputs (a click is one input: press and release)
FORCE_EVERY = 250  # inputs between forced screens
# CPU seconds: a frame costing more counts as a freeze. The costliest frames build a
# whole screen of widgets (at most about 0.25 s at 1920×1080 on a quiet 2-core
# machine); a second leaves room for a busy machine and still catches a real stall.
SLOW_STEP = 1.0
HANG = 20  # seconds: a frame this long is a hang, interrupted by an alarm
SEED = int(os.environ.get("ENVOY_MONKEY_SEED", "20240611"))  # try others to explore

# The screens every run must reach and poke (by Scene.name).
SCREENS = {
    "title",
    "scenarios",
    "setup",
    "briefing",
    "board",
    "resolution",
    "decision",
    "debrief",
    "settings",
    "load",
    "howto",
    "menu",
    "save",
    "handoff",
    "facilitator",
}

LETTERS = [getattr(pygame, f"K_{c}") for c in "abcdefghijklmnopqrstuvwxyz"]
DIGITS = [getattr(pygame, f"K_{d}") for d in "0123456789"]
NAVIGATION = [
    pygame.K_UP,
    pygame.K_DOWN,
    pygame.K_LEFT,
    pygame.K_RIGHT,
    pygame.K_RETURN,
    pygame.K_SPACE,
    pygame.K_TAB,
]
OTHER_KEYS = [
    pygame.K_ESCAPE,
    pygame.K_BACKSPACE,
    pygame.K_F1,
    pygame.K_F9,
    pygame.K_PAGEUP,
    pygame.K_PAGEDOWN,
    pygame.K_HOME,
    pygame.K_END,
    pygame.K_KP_ENTER,
    pygame.K_DELETE,
]


# ------------------------------------------------------------------ matches to force screens with


@functools.cache  # a crisis is immutable, and parsing it again costs more than a frame
def _border():
    result = load_scenario(SCENARIO_DIR / "border_incident.yaml")
    return result.unwrap(), Source.of(result)


def _table(seed: int) -> Match:
    """A new Border Incident: the UN envoy human (first to act), the others AI."""
    scenario, source = _border()
    seats = [Seat(e.id, HUMAN if i == 0 else AI) for i, e in enumerate(scenario.envoys)]
    return Match.start(scenario, source, seed, seats)


def _solo(seed: int) -> Match:
    """Border Incident with only the (required) UN envoy seated, played by a human."""
    scenario, source = _border()
    required = [e.id for e in scenario.envoys if e.required]
    return Match.start(scenario, source, seed, [Seat(required[0], HUMAN)])


def _class(seed: int) -> Match:
    """Border Incident for a class: three human teams in hot-seat, a timer and reflections."""
    from game.session.match import Classroom

    scenario, source = _border()
    seats = [Seat(e.id, HUMAN, name=f"Team {i + 1}") for i, e in enumerate(scenario.envoys)]
    match = Match.start(scenario, source, seed, seats)
    match.classroom = Classroom(timer_seconds=60, reflect=True)
    return match


def _play_on(match: Match, until) -> Match:
    """Play a solo match (end every turn, take the first option) until ``until(match)``."""
    while not until(match) and not match.over:
        envoy = match.acting_id
        if match.state.phase == DECISION:
            match.apply(next(a for a in match.legal(envoy) if isinstance(a, Decide)))
        else:
            match.apply(End(envoy))
    return match


# ------------------------------------------------------------------ the monkey


class Monkey:
    def __init__(self, saves, rng: random.Random):
        self.saves = saves
        self.rng = rng
        self.app: App | None = None
        self.first = True
        self.starts = 0
        self.steps = 0
        self.slowest: list[tuple[float, str]] = []  # the five costliest frames (CPU s)
        self.poked: collections.Counter[str] = collections.Counter()
        self.recent: collections.deque[str] = collections.deque(maxlen=25)
        self.start()

    # The app's life ----------------------------------------------------------------
    def start(self) -> None:
        """(Re)start as ``game.ui.main.run`` does: saved settings, the title screen."""
        settings, note = load_settings()
        # A player's restart is a new process; here the old app goes as it would.
        self.app = None
        gc.collect()
        self.app = App(settings, self.saves)
        if self.first:  # nothing left over from an earlier test
            drain()
            self.first = False
        self.app.notice = note
        self.app.running = True
        self.app.push(TitleScene(self.app))
        self.starts += 1
        self.recent.append(f"-- app started ({settings.width}×{settings.height})")

    def alive(self) -> bool:
        return self.app.running and bool(self.app.stack)

    def frame(self, what: str) -> None:
        """One pass of ``App.run``'s loop: every queued event, then a frame; timed."""
        app = self.app
        scene = self.scene_name()
        began = time.process_time()
        for event in pygame.event.get():
            app.dispatch(event)  # as App.run does, even after a QUIT in the same batch
        app.step(1 / 60)
        self.steps += 1
        spent = time.process_time() - began
        self.slowest = sorted([*self.slowest, (spent, f"{what} on {scene}")], reverse=True)[:5]
        if not self.alive():
            self.start()

    # Random input --------------------------------------------------------------------
    def scene_name(self) -> str:
        return self.app.scene.name if self.app.scene else "(none)"

    def random_point(self) -> tuple[int, int]:
        width, height = self.app.size
        return self.rng.randrange(width), self.rng.randrange(height)

    def widget_point(self) -> tuple[int, int] | None:
        """The centre of a random enabled button that is on screen, if any."""
        buttons = [
            e
            for e in self.app.ui.get_sprite_group().sprites()
            if isinstance(e, UIButton) and e.visible and e.is_enabled
        ]
        if not buttons:
            return None
        rect = self.rng.choice(buttons).rect
        return (
            self.rng.randint(rect.left, max(rect.left, rect.right - 1)),
            self.rng.randint(rect.top, max(rect.top, rect.bottom - 1)),
        )

    def act(self) -> str:
        """Post one random input and run the frames it takes; returns a description."""
        roll = self.rng.random()
        if roll < 0.33:
            return self.click()
        if roll < 0.50:
            return self.motion()
        if roll < 0.58:
            return self.wheel()
        if roll < 0.997:  # resizes rebuild every screen's layout: keep them rare
            return self.key()
        return self.resize()

    def click(self) -> str:
        pos = (self.widget_point() if self.rng.random() < 0.25 else None) or self.random_point()
        button = 1 if self.rng.random() < 0.9 else self.rng.choice((2, 3))
        what = f"click {button} at {pos}"
        pygame.mouse.set_pos(pos)  # SDL's own MOUSEMOTION, so hovering works too
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button))
        self.frame(what)
        return what

    def motion(self) -> str:
        pos = self.random_point()
        pygame.mouse.set_pos(pos)
        self.frame(f"move to {pos}")
        return f"move to {pos}"

    def wheel(self) -> str:
        amount = self.rng.choice((-3, -1, -1, 1, 1, 3))
        pygame.mouse.set_pos(self.random_point())
        pygame.event.post(
            pygame.event.Event(
                pygame.MOUSEWHEEL,
                x=0,
                y=amount,
                precise_x=0.0,
                precise_y=float(amount),
                flipped=False,
                touch=False,
                which=0,
            )
        )
        what = f"wheel {amount:+d}"
        self.frame(what)
        return what

    def key(self) -> str:
        roll = self.rng.random()
        mod = pygame.KMOD_NONE
        if roll < 0.004:
            key = pygame.K_F11
        elif roll < 0.012:
            key, mod = pygame.K_s, pygame.KMOD_LCTRL
        elif roll < 0.42:
            key = self.rng.choice(NAVIGATION)
        elif roll < 0.52:
            key = self.rng.choice(OTHER_KEYS)
        elif roll < 0.60:
            key = self.rng.choice(DIGITS)
        else:
            key = self.rng.choice(LETTERS)
        if key == pygame.K_TAB and self.rng.random() < 0.3:
            mod = pygame.KMOD_LSHIFT
        name = pygame.key.name(key)
        text = name if len(name) == 1 and not mod & pygame.KMOD_CTRL else ""
        if key == pygame.K_SPACE:
            text = " "
        unicode = text
        if mod & pygame.KMOD_SHIFT:
            unicode = text.upper()
        common = {"key": key, "mod": mod, "scancode": 0}
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, unicode=unicode, **common))
        if unicode:
            pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=unicode))
        pygame.event.post(pygame.event.Event(pygame.KEYUP, unicode=unicode, **common))
        what = f"key {pygame.key.name(key)}" + (f" mod {mod}" if mod else "")
        self.frame(what)
        return what

    def resize(self) -> str:
        """What a player dragging the window's corner causes: a new size, then VIDEORESIZE."""
        size = (self.rng.randint(800, 1920), self.rng.randint(600, 1080))
        if not self.app.settings.fullscreen:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                pygame.Window.from_display_module().size = size
        pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1], size=size))
        what = f"resize to {size[0]}×{size[1]}"
        self.frame(what)
        return what

    # Forced screens -------------------------------------------------------------------------
    def force(self, screen: str) -> None:
        """Jump to a screen, as from the title. A random crisis can miss it (a war
        before the decision turn), so a few seeds are tried."""
        for _ in range(10):
            drain()  # input (and pygame_gui's own events) meant for the screen being left
            self.open_screen(screen, self.rng.randrange(1, 1_000_000))
            self.frame(f"forced {screen}")
            if self.scene_name() == screen:
                break
        self.recent.append(f"-- forced {screen}: now on {self.scene_name()}")
        assert self.scene_name() == screen, (screen, [s.name for s in self.app.stack])

    def open_screen(self, screen: str, seed: int) -> None:
        app = self.app
        app.reset(TitleScene(app))
        title = app.scene
        if screen == "scenarios":
            title.new_game()
        elif screen == "setup":
            title.new_game()
            app.scene.choose()
        elif screen == "briefing":
            open_match(app, _table(seed), briefing=True)
        elif screen in ("board", "menu", "save"):
            open_match(app, _table(seed))
            if screen == "menu":
                app.scene.open_menu()
            elif screen == "save":
                app.scene.open_save()
        elif screen == "resolution":
            open_match(app, _solo(seed))
            app.scene.end_turn()
        elif screen == "decision":
            open_match(app, _play_on(_solo(seed), lambda m: m.state.phase == DECISION))
            self.frame("the board asks for the decision")
        elif screen == "debrief":
            open_match(app, _play_on(_solo(seed), lambda m: False))
        elif screen == "settings":
            title.settings()
        elif screen == "load":
            title.load()
        elif screen == "howto":
            title.how_to_play()
        elif screen == "handoff":
            open_match(app, _class(seed))
        elif screen == "facilitator":
            open_match(app, _class(seed))
            app.scene.open_facilitator()


def drain() -> None:
    """Throw away the queued events.

    Not ``pygame.event.clear()``: pygame-ce 2.5 never frees the attributes of the events
    it clears, and pygame_gui's events carry their element, with its whole screen and
    UI manager behind it, so each forced screen leaked the one before.
    """
    pygame.event.get()


@contextlib.contextmanager
def hang_alarm(seconds: int):
    """Turn a frame that never ends into an exception (where SIGALRM exists)."""
    if not hasattr(signal, "SIGALRM"):
        yield lambda: None
        return

    def ring(signum, frame):
        raise TimeoutError(f"a frame ran for more than {seconds} s: the app hangs")

    previous = signal.signal(signal.SIGALRM, ring)
    try:
        yield lambda: signal.alarm(seconds)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def clear_queue_after():
    """Leave no posted input behind for the next test."""
    try:
        yield
    finally:
        if pygame.display.get_init():
            drain()


def memory_mb() -> tuple[float | None, float | None]:
    """This process's resident memory now and at its peak, in MB, where the system tells."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            fields = dict(line.split(":", 1) for line in status if ":" in line)
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024
    except (OSError, KeyError, ValueError):
        pass
    try:
        import resource
    except ImportError:  # Windows
        return None, None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # bytes on macOS, else KB
    return None, peak / 2**20 if sys.platform == "darwin" else peak / 1024


@dataclasses.dataclass
class Report:
    """What a monkey run did; ``curve`` is (inputs so far, resident MB) every few inputs."""

    seed: int
    inputs: int
    frames: int = 0
    starts: int = 0
    forced: int = 0
    cpu_seconds: float = 0.0
    slowest: list[tuple[float, str]] = dataclasses.field(default_factory=list)
    poked: dict[str, int] = dataclasses.field(default_factory=dict)
    curve: list[tuple[int, float]] = dataclasses.field(default_factory=list)
    peak_mb: float | None = None
    peak_at: str = ""  # the input that raised the peak last

    def summary(self) -> str:
        peak = f"peak {self.peak_mb:.0f} MB" if self.peak_mb is not None else "peak unknown"
        if self.peak_at:
            peak += f" ({self.peak_at})"
        return (
            f"seed {self.seed}: {self.inputs} inputs, {self.frames} frames, {self.starts} starts, "
            f"{self.forced} forced screens, {self.cpu_seconds:.1f} s of CPU, {peak}; "
            f"costliest frames (CPU): {', '.join(f'{t:.3f} s ({w})' for t, w in self.slowest)}; "
            f"inputs per screen: {dict(sorted(self.poked.items()))}"
        )


def run(inputs: int, seed: int, saves: pathlib.Path, sample_every: int = 0, on_sample=None):
    """Feed ``inputs`` random inputs to the app, forcing a screen every ``FORCE_EVERY``.

    Every ``sample_every`` inputs (0: never) the resident memory joins the report's
    curve and ``on_sample(inputs_so_far, mb)`` is called. An input that raises becomes
    an AssertionError naming the screen, the window and the last inputs.
    """
    began = time.process_time()
    monkey = Monkey(saves, random.Random(seed))
    order = sorted(SCREENS - {"title"})
    random.Random(seed).shuffle(order)
    report = Report(seed, inputs)
    peak = 0.0
    with hang_alarm(HANG) as rearm, clear_queue_after():
        for number in range(inputs):
            if number and number % FORCE_EVERY == 0:
                rearm()
                monkey.force(order[report.forced % len(order)])
                report.forced += 1
            if sample_every and number % sample_every == 0:
                report.curve.append((number, memory_mb()[0] or 0.0))
                if on_sample is not None:
                    on_sample(*report.curve[-1])
            scene = monkey.scene_name()
            rearm()
            try:
                what = monkey.act()
            except Exception as error:
                history = "\n  ".join(monkey.recent)
                app = monkey.app
                raise AssertionError(
                    f"seed {seed}, input #{number} on the {scene} screen raised "
                    f"{type(error).__name__}: {error}\n"
                    f"window {app.size}, layout scale {app.style.scale:.3f}, {app.settings}\n"
                    f"last inputs:\n  {history}"
                ) from error
            monkey.poked[scene] += 1
            monkey.recent.append(f"#{number} {scene}: {what}")
            now = memory_mb()[1] or 0.0
            if now > peak + 1:  # a megabyte: the last input that raised it much
                peak = now
                app = monkey.app
                report.peak_at = (
                    f"#{number} {what} on {scene}, now {monkey.scene_name()}, "
                    f"window {app.size[0]}×{app.size[1]}, layout scale {app.style.scale:.2f}"
                )
    report.frames, report.starts = monkey.steps, monkey.starts
    report.cpu_seconds = time.process_time() - began
    report.slowest, report.poked = monkey.slowest, dict(monkey.poked)
    report.peak_mb = memory_mb()[1]
    return report


def main(argv: list[str] | None = None) -> int:
    """Run the monkey in this process and print its report as one line of JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=EVENTS)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--saves", type=pathlib.Path, required=True)
    parser.add_argument("--sample-every", type=int, default=0, help="inputs between samples")
    parser.add_argument(
        "--clipped-text",
        choices=("error", "warn"),
        default="error",
        help="a label too small for its text fails the run (as in the tests), or is reported",
    )
    args = parser.parse_args(argv)
    action = {"error": "error", "warn": "default"}[args.clipped_text]
    warnings.filterwarnings(action, "Label Rect is too small", UserWarning)
    report = run(
        args.inputs,
        args.seed,
        args.saves,
        args.sample_every,
        lambda inputs, mb: print(f"{inputs} inputs: {mb:.0f} MB", file=sys.stderr, flush=True),
    )
    print(json.dumps({**dataclasses.asdict(report), "summary": report.summary()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
