"""Reading the game's own tunable YAML files (settings limits, palettes, AI numbers).

These files ship with the game, so they are read with PyYAML's safe loader
(never the unsafe one) and, where PyYAML has it, the libyaml-backed
``CSafeLoader``, which reads them about ten times faster and keeps a few
milliseconds off the start-up. Scenario files do not come here: they go
through :mod:`game.content.yamlsafe`, which also reports positions and limits.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_tunables(text: str) -> Any:
    """Parse one of the game's own YAML files."""
    return yaml.load(text, Loader=_LOADER)


@functools.cache
def difficulty_file() -> Any:
    """``game/ai/difficulty.yaml``, read once for the whole game.

    The settings and the save checks need its difficulties at start-up, the AI its
    search numbers later. It is read as data through the ``game`` package, so asking
    for it never imports ``game.ai``: the title screen starts without the rules.
    """
    return read_tunables(
        resources.files("game").joinpath("ai", "difficulty.yaml").read_text("utf-8")
    )
