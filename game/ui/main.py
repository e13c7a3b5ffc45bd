"""Starting the desktop client: settings, the window, and the first screen."""

from __future__ import annotations

import os
import pathlib
from typing import TYPE_CHECKING

from game.ui.app import App, DemoOptions

if TYPE_CHECKING:  # the title screen opens without loading the rules
    from game.session.match import Match


def run(
    saves: pathlib.Path,
    demo: DemoOptions | None = None,
    match: Match | None = None,
    mods: list[pathlib.Path] | None = None,
) -> int:
    """Open the window and play until the player quits; returns the exit code."""
    from game.session.settings import load_settings

    settings, note = load_settings()
    if demo is not None and os.environ.get("SDL_VIDEODRIVER") == "dummy":
        settings = type(settings)(animation_speed=settings.animation_speed)
    app = App(settings, saves, demo, persist_settings=demo is None)
    app.notice = note
    app.mods = list(mods or [])
    from game.ui.scenes.title import TitleScene

    if match is not None:
        from game.ui.scenes.board import open_match

        app.push(TitleScene(app))
        open_match(app, match)
        return app.run()
    return app.run(TitleScene)
