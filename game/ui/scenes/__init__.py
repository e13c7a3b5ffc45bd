"""The screens of the game, by name.

Screens open each other by name (``app.push("debrief", match)``), never by
importing each other, as Tuxemon's ``push_state`` does. :data:`SCREENS` is the
one place that knows where each lives; a screen's module is imported the first
time it is shown, so the title opens without loading the rules, and no screen
module imports another.

A name leads to one of two things:

* a scene, built as ``factory(app, *args)`` and then pushed, put in place of
  the top screen or shown alone (``app.push``, ``app.replace``, ``app.reset``);
* a route, ``route(app, *args)``, which decides itself which screens to show,
  such as opening a match on its debrief, its briefing or its board
  (``app.open``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

#: A scene's own ``name`` → "module:attribute"; the attribute may be dotted (an
#: alternative constructor, named after its scene with a suffix).
SCREENS: dict[str, str] = {
    "title": "game.ui.scenes.title:TitleScene",
    "scenarios": "game.ui.scenes.setup:BrowserScene",
    "setup": "game.ui.scenes.setup:SetupScene",
    "briefing": "game.ui.scenes.setup:BriefingScene",
    "board": "game.ui.scenes.board:BoardScene",
    "resolution": "game.ui.scenes.play:ResolutionScene",
    "decision": "game.ui.scenes.play:DecisionScene",
    "handoff": "game.ui.scenes.classroom:HandoffScene",
    "reflection": "game.ui.scenes.classroom:ReflectionScene",
    "pin": "game.ui.scenes.classroom:PinScene",
    "paused": "game.ui.scenes.classroom:PausedScene",
    "facilitator": "game.ui.scenes.classroom:FacilitatorScene",
    "debrief": "game.ui.scenes.debrief:DebriefScene",
    "menu": "game.ui.scenes.menus:PauseScene",
    "save": "game.ui.scenes.menus:SaveDialog",
    "load": "game.ui.scenes.menus:LoadScene",
    "settings": "game.ui.scenes.menus:SettingsScene",
    "howto": "game.ui.scenes.menus:HowToPlayScene",
    "mod-checker": "game.ui.scenes.mods:ModCheckerScene",
    "mod-checker-file": "game.ui.scenes.mods:ModCheckerScene.for_file",
}

#: name → "module:function" for routes (see the module docstring).
ROUTES: dict[str, str] = {
    "open-match": "game.ui.scenes.board:open_match",
    "open-facilitator": "game.ui.scenes.classroom:open_facilitator",
}


def _resolve(where: str) -> Callable[..., Any]:
    module, _, attribute = where.partition(":")
    found: Any = importlib.import_module(module)
    for part in attribute.split("."):
        found = getattr(found, part)
    return found


def screen(name: str) -> Callable[..., Any]:
    """The factory of the screen called ``name``; a KeyError names an unknown one."""
    return _resolve(SCREENS[name])


def route(name: str) -> Callable[..., Any]:
    """The route called ``name``; a KeyError names an unknown one."""
    return _resolve(ROUTES[name])
