"""Memory in a long session: what the app lets go of is freed, and its caches are bounded.

A monkey run of 9,400 inputs grew to 1.6 GB while Python's object count stayed
flat: screens thrown away are reference cycles holding megabytes of surfaces,
which Python's collector, counting objects, got round to only rarely; and
pygame_gui kept the first UI manager of all for good. ``bench/memory.py`` shows the
whole curve over 50,000 inputs; these tests pin each mechanism.
"""

from __future__ import annotations

import gc
import weakref

import i18n
import pygame
import pygame_gui
from hypothesis import given, settings
from hypothesis import strategies as st
from pygame_gui.core.drawable_shapes import RoundedRectangleShape
from uidrive import make_app, pump

from game.session.settings import Settings
from game.ui import app as app_module
from game.ui.scenes.menus import HowToPlayScene
from game.ui.scenes.title import TitleScene
from game.ui.style import TEXT_CACHE_BYTES, Style, ui_manager


def managers() -> list[pygame_gui.UIManager]:
    return [o for o in gc.get_objects() if isinstance(o, pygame_gui.UIManager)]


def test_a_screen_closed_is_freed_by_the_next_frame(tmp_path):
    app = make_app(tmp_path / "saves")
    app.push(TitleScene(app))
    pump(app)
    title = set(app.ui.get_sprite_group().sprites())
    app.push(HowToPlayScene(app))
    pump(app)
    elements = [weakref.ref(e) for e in app.ui.get_sprite_group().sprites() if e not in title]
    assert elements
    gc.collect()
    gc.disable()  # only the app's own collection may free them
    try:
        app.pop()
        # Killed, but alive: pygame_gui's elements and their containers point at each other.
        assert any(ref() is not None for ref in elements)
        pump(app)
        assert all(ref() is None for ref in elements)
    finally:
        gc.enable()


def test_a_restyle_leaves_one_ui_manager_and_no_repeated_translation_paths(tmp_path, monkeypatch):
    app = make_app(tmp_path / "saves")
    app.push(TitleScene(app))
    app.push(HowToPlayScene(app))  # a screen below another is rebuilt too
    pump(app)
    alive_when_built = []

    def counting(*args):
        alive_when_built.append(len(managers()))
        return ui_manager(*args)

    monkeypatch.setattr(app_module, "ui_manager", counting)
    for width, height in [(1600, 900), (960, 540), (1280, 720)] * 3:
        app.apply_settings(Settings(width=width, height=height))
        pump(app)
    # The old manager and its screens were gone before the new ones were built.
    assert alive_when_built == [0] * 9
    alive = managers()
    assert alive == [app.ui]
    assert pygame_gui.core.utility.get_default_manager() is app.ui
    assert len(i18n.load_path) == len(set(i18n.load_path))


@settings(max_examples=20, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=20),
            st.integers(10, 40),
            st.booleans(),
        ),
        min_size=1,
        max_size=60,
    )
)
def test_the_text_cache_holds_at_most_its_pixel_budget(lines):
    pygame.font.init()
    style = Style("standard", 3.0)  # a projector's scale: the largest lines there are
    for text, size, bold in lines * 3:
        style.text(text * 4, size, "text", bold)
        style.text(text, size, "muted", bold)
    held = sum(s.get_pitch() * s.get_height() for s in style._text.values())
    assert held == style._text_bytes
    assert held <= TEXT_CACHE_BYTES or len(style._text) == 1
    # The newest line is always there, so the screen being drawn never renders twice.
    text, size, bold = lines[-1]
    assert style.text(text, size, "muted", bold) is style.text(text, size, "muted", bold)


def held_bytes(shape) -> int:
    """The pixels a widget's shape holds: its states' surfaces and its drawing tools."""
    surfaces = [
        getattr(state, name, None)
        for state in shape.states.values()
        for name in ("surface", "pre_text_surface", "text_surface")
    ]
    surfaces += [shape.temp_additive_shape, shape.temp_subtractive_shape]
    surfaces += [shape.temp_shadow_subtractive_shape]
    unique = {id(s): s for s in surfaces if s is not None}.values()
    return sum(s.get_pitch() * s.get_height() for s in unique)


def test_widgets_hold_only_the_states_shown_and_no_drawing_tools(tmp_path):
    # The largest window and UI scale, where each button's four-times drawing tools
    # weighed 12.8 MB and the title's buttons held 75 MB beside 4 MB of pixels shown.
    app = make_app(tmp_path / "saves", size=(2560, 1440), ui_scale=200)
    app.push(TitleScene(app))
    pump(app, 8)  # pygame_gui drew the other states one a frame
    buttons = [
        e
        for e in app.ui.get_sprite_group().sprites()
        if isinstance(getattr(e, "drawable_shape", None), RoundedRectangleShape)
    ]
    assert len(buttons) >= 5
    for button in buttons:
        shape = button.drawable_shape
        assert shape.temp_additive_shape is shape.temp_subtractive_shape is None
        shown = {name for name, state in shape.states.items() if state.generated}
        # normal, and the look it has now (the keyboard's choice, Continue without saves)
        assert len(shown) <= 2 and "normal" in shown and "active" not in shown
        width, height = button.rect.size
        # each state drawn: its surface, and the same before and after its text
        assert held_bytes(shape) <= len(shown) * 3 * width * height * 4

    # A state never drawn is drawn when the button enters it, with the button's text.
    button = buttons[-1]
    button.disable()
    pump(app)
    disabled = button.drawable_shape.states["disabled"]
    assert disabled.generated and button.image.get_size() == button.rect.size
    assert button.drawable_shape.temp_additive_shape is None
    button.enable()
    button.set_text("Quit now")
    pump(app)
    assert not disabled.generated  # drawn again, with the new text, when next entered

    # Square widgets too: the settings' drop-downs drew five states each, ahead.
    app.scene.settings()
    pump(app, 8)
    shapes = [getattr(e, "drawable_shape", None) for e in app.ui.get_sprite_group().sprites()]
    drawn = [sum(s.generated for s in shape.states.values()) for shape in shapes if shape]
    assert len(drawn) > 20 and max(drawn) <= 2
