"""Reading the game's own tunable YAML files (settings limits, palettes, AI numbers).

These files ship with the game, so they are read with PyYAML's safe loader
(never the unsafe one) and, where PyYAML has it, the libyaml-backed
``CSafeLoader``, which reads them about ten times faster and keeps a few
milliseconds off the start-up. Scenario files do not come here: they go
through :mod:`game.content.yamlsafe`, which also reports positions and limits.
"""

from __future__ import annotations

from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_tunables(text: str) -> Any:
    """Parse one of the game's own YAML files."""
    return yaml.load(text, Loader=_LOADER)
