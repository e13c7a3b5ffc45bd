"""Player settings, kept as JSON in the platform's user config folder.

A settings file is the player's own, so it is read forgivingly: an unknown
key is ignored, a value out of range is brought into range, and a damaged file
gives the defaults (with a note of why), never a crash. Writes are atomic.
The limits and defaults are in ``settings.yaml`` beside this module.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pathlib
from importlib import resources
from typing import Any

import platformdirs

from game.files import describe, read_regular, write_atomic
from game.lang import LANGUAGES
from game.tunables import difficulty_file, read_tunables

APP = "envoy"
FILE = "settings.json"
CONFIG_ENV = "ENVOY_CONFIG_DIR"  # overrides the folder (tests, portable installs)
MAX_BYTES = 64 * 1024  # a settings file is a few hundred bytes


def _limits() -> dict[str, Any]:
    text = resources.files("game.session").joinpath("settings.yaml").read_text("utf-8")
    limits = read_tunables(text)
    limits["language"]["choices"] = list(LANGUAGES)
    # The AI's own table of difficulties: the title and the settings screen need its
    # names, and must not import the AI.
    levels = difficulty_file()["difficulties"]
    limits["ai_difficulty"]["choices"] = list(levels)
    limits["ai_difficulty"]["names"] = {key: level["name"] for key, level in levels.items()}
    return limits


LIMITS = _limits()


@dataclasses.dataclass(frozen=True)
class Settings:
    width: int = LIMITS["window"]["default"][0]
    height: int = LIMITS["window"]["default"][1]
    fullscreen: bool = False
    ui_scale: int = LIMITS["ui_scale"]["default"]  # percent
    palette: str = LIMITS["palette"]["default"]
    animation_speed: str = LIMITS["animation_speed"]["default"]
    ai_difficulty: str = LIMITS["ai_difficulty"]["default"]
    language: str = LIMITS["language"]["default"]
    projector: bool = False  # larger UI and the high-contrast palette, for a classroom

    @property
    def shown_palette(self) -> str:
        """The palette in use: projector mode's own, else the chosen one."""
        return LIMITS["projector"]["palette"] if self.projector else self.palette

    @property
    def shown_scale(self) -> int:
        """The UI scale in use, in percent: projector mode raises it."""
        return (
            max(self.ui_scale, LIMITS["projector"]["ui_scale"]) if self.projector else self.ui_scale
        )

    @property
    def animation_seconds(self) -> float:
        """How long one meter animation lasts at this speed (0 for instant)."""
        return float(LIMITS["animation_speed"]["seconds"][self.animation_speed])

    def normalised(self) -> Settings:
        """The same settings with every value brought into its allowed range."""
        window = LIMITS["window"]
        scale = LIMITS["ui_scale"]

        def pick(value: str, key: str) -> str:
            allowed = LIMITS[key]["choices"]
            return value if value in allowed else LIMITS[key]["default"]

        return Settings(
            width=max(window["min"][0], min(window["max"][0], int(self.width))),
            height=max(window["min"][1], min(window["max"][1], int(self.height))),
            fullscreen=bool(self.fullscreen),
            ui_scale=max(scale["min"], min(scale["max"], int(self.ui_scale))),
            palette=pick(self.palette, "palette"),
            animation_speed=pick(self.animation_speed, "animation_speed"),
            ai_difficulty=pick(self.ai_difficulty, "ai_difficulty"),
            language=pick(self.language, "language"),
            projector=bool(self.projector),
        )


def choices(key: str) -> list[str]:
    return list(LIMITS[key]["choices"])


def config_dir() -> pathlib.Path:
    override = os.environ.get(CONFIG_ENV)
    if override:
        return pathlib.Path(override)
    return pathlib.Path(platformdirs.user_config_dir(APP, appauthor=False))


def load_settings(folder: pathlib.Path | None = None) -> tuple[Settings, str]:
    """The saved settings (or the defaults) and a note if the file could not be used."""
    path = (folder or config_dir()) / FILE
    try:
        data = json.loads(read_regular(path, MAX_BYTES).decode("utf-8"))
    except FileNotFoundError:
        return Settings(), ""
    except OSError as error:
        return Settings(), f"settings file unreadable, using defaults ({describe(error)})"
    except (ValueError, RecursionError):  # not UTF-8, not JSON, a number of 5,000 digits
        return Settings(), "settings file unreadable, using defaults (it is damaged)"
    if not isinstance(data, dict):
        return Settings(), "settings file unreadable, using defaults"
    fields = {field.name: field for field in dataclasses.fields(Settings)}
    values = {}
    for key, value in data.items():
        if key in fields and _fits(value, fields[key].default):
            values[key] = value
    return Settings(**values).normalised(), ""


def _fits(value: Any, default: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, type(default))


def save_settings(settings: Settings, folder: pathlib.Path | None = None) -> str:
    """Write the settings; returns an error message, or "" when saved."""
    path = (folder or config_dir()) / FILE
    try:
        write_atomic(path, json.dumps(dataclasses.asdict(settings), indent=1).encode())
    except OSError as error:
        return f"could not save settings: {describe(error)}"
    return ""
