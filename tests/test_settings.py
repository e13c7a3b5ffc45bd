"""Settings: kept between runs, forgiving of a damaged or hand-edited file."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from game.session.settings import LIMITS, Settings, load_settings, save_settings


def test_settings_survive_a_restart(tmp_path):
    chosen = Settings(1920, 1080, True, 150, "colour_blind", "fast", "hard")
    assert save_settings(chosen, tmp_path) == ""
    assert load_settings(tmp_path) == (chosen, "")


def test_no_file_means_the_defaults(tmp_path):
    assert load_settings(tmp_path) == (Settings(), "")


def test_a_damaged_file_gives_defaults_and_says_why(tmp_path):
    (tmp_path / "settings.json").write_text('{"width": 12')
    settings, note = load_settings(tmp_path)
    assert settings == Settings()
    assert "unreadable" in note


def test_wrong_types_and_unknown_keys_are_ignored(tmp_path):
    data = {"width": "wide", "fullscreen": 1, "palette": "colour_blind", "volume": 11}
    (tmp_path / "settings.json").write_text(json.dumps(data))
    settings, note = load_settings(tmp_path)
    assert (settings.width, settings.fullscreen, settings.palette) == (1280, False, "colour_blind")
    assert note == ""


@given(
    width=st.integers(-(10**6), 10**6),
    scale=st.integers(-1000, 1000),
    palette=st.text(max_size=12),
    speed=st.sampled_from(["slow", "warp", ""]),
)
def test_every_loaded_value_is_in_range(width, scale, palette, speed):
    settings = Settings(width=width, ui_scale=scale, palette=palette, animation_speed=speed)
    fixed = settings.normalised()
    assert LIMITS["window"]["min"][0] <= fixed.width <= LIMITS["window"]["max"][0]
    assert LIMITS["ui_scale"]["min"] <= fixed.ui_scale <= LIMITS["ui_scale"]["max"]
    assert fixed.palette in LIMITS["palette"]["choices"]
    assert fixed.animation_speed in LIMITS["animation_speed"]["choices"]
    assert fixed.animation_seconds >= 0


def test_projector_mode_raises_the_scale_and_switches_to_high_contrast(tmp_path):
    plain = Settings(ui_scale=100)
    projector = Settings(ui_scale=100, projector=True)
    assert plain.shown_palette == plain.palette and plain.shown_scale == 100
    assert projector.shown_palette == LIMITS["projector"]["palette"]
    assert projector.shown_scale == LIMITS["projector"]["ui_scale"]
    assert Settings(ui_scale=200, projector=True).shown_scale == 200
    assert save_settings(projector, tmp_path) == ""
    assert load_settings(tmp_path) == (projector, "")


def test_the_difficulties_offered_are_the_ais_own_table():
    from game.ai.policies import DIFFICULTIES
    from game.session.settings import LIMITS

    assert LIMITS["ai_difficulty"]["choices"] == list(DIFFICULTIES)
    assert LIMITS["ai_difficulty"]["names"] == {k: d.name for k, d in DIFFICULTIES.items()}
    assert LIMITS["ai_difficulty"]["default"] in DIFFICULTIES
