"""Starting the desktop client: settings, the window, and the first screen."""

from __future__ import annotations

import os
import pathlib
import sys
from typing import TYPE_CHECKING

import pygame

from game.terminal import safe
from game.ui.app import App, DemoOptions

if TYPE_CHECKING:  # the title screen opens without loading the rules
    from game.session.match import Match

OFF_SCREEN = frozenset({"dummy", "offscreen"})  # SDL drivers that draw into memory only
HINT = (
    "open the game from a desktop session; to watch a game without a window, "
    "run 'envoy demo --headless'"
)


def display_problem() -> str | None:
    """Why no window can be shown here, or None.

    Without a display, SDL falls back to its off-screen driver: the game then runs
    in an invisible window and waits for input that can never come. So that fallback
    counts as no display, unless SDL_VIDEODRIVER asked for it (tests, the headless
    demo).
    """
    wanted = {d.strip() for d in os.environ.get("SDL_VIDEODRIVER", "").lower().split(",")} - {""}
    unix_desktop = os.name == "posix" and sys.platform != "darwin"
    # Checked before SDL starts, which would print lines of its own while it looks.
    if (
        unix_desktop
        and not wanted
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    ):
        return "no display found: DISPLAY and WAYLAND_DISPLAY are not set"
    try:
        pygame.display.init()
    except pygame.error as error:
        return f"no display found: {safe(error)}"
    driver = pygame.display.get_driver()
    if driver in OFF_SCREEN and not wanted & OFF_SCREEN:
        pygame.display.quit()
        return f"no display found: only SDL's {driver} driver works here"
    return None


def run(
    saves: pathlib.Path,
    demo: DemoOptions | None = None,
    match: Match | None = None,
    mods: list[pathlib.Path] | None = None,
) -> int:
    """Open the window and play until the player quits; returns the exit code."""
    from game.session.settings import load_settings

    problem = display_problem()
    if problem is not None:
        return _fail(f"{problem} ({HINT})")
    settings, note = load_settings()
    if demo is not None and os.environ.get("SDL_VIDEODRIVER") == "dummy":
        settings = type(settings)(animation_speed=settings.animation_speed)
    try:
        app = App(settings, saves, demo, persist_settings=demo is None)
    except pygame.error as error:
        return _fail(f"could not open the window: {safe(error)} ({HINT})")
    app.notice = note
    app.mods = list(mods or [])
    if match is not None:
        app.push("title")
        app.open("open-match", match)
        return app.run()
    return app.run("title")


def _fail(message: str) -> int:
    print(f"envoy: error: {message}", file=sys.stderr)
    return 1
