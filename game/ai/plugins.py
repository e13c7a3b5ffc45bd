"""Plug-in agents: a teacher's or modder's own Python strategy in the simulator.

``envoy simulate ID --agent FILE.py:ClassName`` (or ``--seat ENVOY=FILE.py:ClassName``)
loads the class from the file and plays it. This runs the user's own program on
purpose, as ``python FILE.py`` would: it is never done for a scenario file.

The agent API (MODDING.md, "Your own agent") is kept stable:

- ``ClassName(seed)`` makes one agent for one seat of one game; ``seed`` is an int
  for any dice it rolls, so the same run plays the same games.
- ``agent.choose(view, envoy_id, legal)`` returns one of ``legal``: ``view`` is
  the game as that envoy sees it (``player_view``), ``envoy_id`` the envoy's id,
  ``legal`` the legal actions, in the engine's order.

Every problem (no such file, a syntax error, no such class, a class that does
not follow the API, an agent that raises or returns an illegal action) is a
:class:`PluginError`: one line that names the file, and for a game's problem,
the action, the game and the turn.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import pathlib
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from game.engine.actions import Action
from game.engine.state import GameState

#: What separates the file from the class in a plug-in's name.
SEPARATOR = ":"


class PluginError(Exception):
    """A plug-in agent's problem, in one line that names its file."""


def is_plugin(spec: str) -> bool:
    """Whether a policy name is a plug-in's ``FILE.py:ClassName``."""
    file, sep, _ = spec.rpartition(SEPARATOR)
    return bool(sep) and file.endswith(".py")


def split(spec: str) -> tuple[str, str]:
    file, _, name = spec.rpartition(SEPARATOR)
    return file, name


def _where(error: BaseException, file: str) -> str:
    """The line of ``file`` an exception came from, as ``file:line``, else ``file``."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if pathlib.Path(frame.filename) == pathlib.Path(file).resolve():
            return f"{file}:{frame.lineno}"
    return file


def _described(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


#: Classes loaded in this process, by spec: a worker process loads each file once.
_LOADED: dict[tuple[str, str], type] = {}


def load(spec: str) -> type:
    """The agent class a ``FILE.py:ClassName`` names, checked against the API."""
    file, name = split(spec)
    path = pathlib.Path(file)
    # By the file itself: the same relative name may be another file elsewhere.
    key = (str(path.resolve()), name)
    found = _LOADED.get(key)
    if found is not None:
        return found
    if not name.isidentifier():
        raise PluginError(f"{file}: '{name}' is not a class name (write FILE.py:ClassName)")
    if not path.is_file():
        raise PluginError(f"{file}: no such file")
    digest = hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:12]
    module_name = f"envoy_agent_{digest}"
    module_spec = importlib.util.spec_from_file_location(module_name, path)
    if module_spec is None or module_spec.loader is None:
        raise PluginError(f"{file}: cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[module_name] = module  # as an import does: dataclasses look it up
    try:
        module_spec.loader.exec_module(module)
    except SyntaxError as error:
        sys.modules.pop(module_name, None)
        raise PluginError(f"{file}:{error.lineno}:{error.offset}: {error.msg}") from None
    except OSError as error:
        sys.modules.pop(module_name, None)
        raise PluginError(f"{file}: cannot be read: {error.strerror or error}") from None
    except (Exception, SystemExit) as error:  # an agent's sys.exit() ends only its run
        sys.modules.pop(module_name, None)
        raise PluginError(f"{_where(error, file)}: loading it raised {_described(error)}") from None
    cls = getattr(module, name, None)
    if cls is None:
        known = sorted(n for n, v in vars(module).items() if inspect.isclass(v))
        hint = f" (classes in it: {', '.join(known)})" if known else ""
        raise PluginError(f"{file}: no class '{name}'{hint}")
    check(cls, file, name)
    _LOADED[key] = cls
    return cls


def _takes(function: Callable[..., Any], *args: object) -> bool:
    try:
        inspect.signature(function).bind(*args)
    except (TypeError, ValueError):
        return False
    return True


def check(cls: Any, file: str, name: str) -> None:
    """Raise PluginError unless ``cls`` is a class made with a seed, with ``choose``."""
    if not inspect.isclass(cls):
        raise PluginError(f"{file}: '{name}' is not a class")
    if not _takes(cls, 0):
        raise PluginError(f"{file}: {name}(seed) must take one argument, the seed")
    choose = getattr(cls, "choose", None)
    if not callable(choose):
        raise PluginError(f"{file}: {name} has no method choose(self, view, envoy_id, legal)")
    if not _takes(choose, None, None, None, None):
        raise PluginError(f"{file}: {name}.choose must take (self, view, envoy_id, legal)")


class Checked:
    """A plug-in agent in one seat of one game, whose every choice is checked."""

    def __init__(self, spec: str, seed: int, game: int):
        self.file, self.cls = split(spec)
        self.game = game
        cls = load(spec)
        try:
            self.agent = cls(seed)
        except (Exception, SystemExit) as error:  # an agent's sys.exit() ends only its run
            raise PluginError(
                f"{_where(error, self.file)}: {self.cls}(seed) raised {_described(error)}"
            ) from None
        self.name = spec

    def choose(self, view: GameState, envoy_id: str, legal: Sequence[Action]) -> Action:
        where = f"in game {self.game}, turn {view.turn}, as {envoy_id}"
        try:
            action = self.agent.choose(view, envoy_id, legal)
        except (Exception, SystemExit) as error:  # an agent's sys.exit() ends only its run
            raise PluginError(
                f"{_where(error, self.file)}: {self.cls}.choose raised {_described(error)} {where}"
            ) from None
        if action not in legal:
            shown = str(action) if isinstance(action, Action) else repr(action)[:80]
            raise PluginError(
                f"{self.file}: {self.cls}.choose returned {shown}, which is not one of "
                f"the {len(legal)} legal actions, {where}"
            )
        return action
