"""Every colour the UI names goes through the palette, so each palette (the
colour-blind one, projector mode's high contrast) reaches all of it."""

from __future__ import annotations

import pathlib
import re

import pytest

from game.paths import ASSETS
from game.tunables import read_tunables

UI = pathlib.Path(__file__).resolve().parent.parent / "game" / "ui"
PALETTES = read_tunables((ASSETS / "palette.yaml").read_text("utf-8"))
NAMES = ("standard", "colour_blind", "high_contrast")
HEX = re.compile(r"(?<![\w&])#[0-9a-fA-F]{6}(?:[0-9a-fA-F]{2})?(?![0-9a-fA-F])")
#: The palette's own code, where a colour literal is what it means.
PALETTE_CODE = {"style.py"}


#: Files another change is rewriting; their colours move to the palette there, and
#: this list is emptied when it lands.
def literals(path: pathlib.Path) -> list[str]:
    found = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        found += [f"{path.name}:{number}: {m.group()}" for m in HEX.finditer(line)]
    return found


def test_no_colour_is_written_in_the_ui_code_outside_the_palette():
    found = [
        hit
        for path in sorted(UI.rglob("*.py"))
        if path.name not in PALETTE_CODE
        for hit in literals(path)
    ]
    assert found == []


def test_the_scan_finds_a_colour_written_in_markup(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('x = f"<font color=#a9b6c6>why</font>"\ny = "&#123456;"\nz = "#0000007f"\n')
    assert literals(sample) == ["sample.py:1: #a9b6c6", "sample.py:3: #0000007f"]


@pytest.mark.parametrize("name", NAMES)
def test_every_palette_names_every_colour(name):
    names = {key for key, value in PALETTES["standard"].items() if isinstance(value, str)}
    mine = {key for key, value in PALETTES[name].items() if isinstance(value, str)}
    assert mine == names


def test_every_colour_the_ui_asks_for_is_in_the_palettes():
    asked = set()
    for path in UI.rglob("*.py"):
        text = path.read_text("utf-8")
        asked |= set(re.findall(r"""markup\(["'](\w+)["']\)""", text))
    assert {"muted", "error_text", "warning_text", "ok_text", "mod_text", "warn"} <= asked
    for name in NAMES:
        assert asked <= set(PALETTES[name]), name


def test_markup_colours_follow_the_palette():
    from game.ui.style import Style

    shown = {name: Style(name, 1.0).markup("error_text") for name in NAMES}
    assert shown == {name: PALETTES[name]["error_text"] for name in NAMES}
    assert len(set(shown.values())) == len(NAMES)
