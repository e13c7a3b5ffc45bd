"""The look of what the game draws itself: palette, fonts, cached text, and scale.

Widgets take their look from ``assets/theme.json``; maps, cards, meters and
charts take theirs from ``assets/palette.yaml`` through :class:`Style`. Text
surfaces are cached, so an unchanged screen never renders a glyph twice.

Noto Sans has no Khmer, so runs of Khmer text are drawn with the bundled Noto
Sans Khmer, shaped by HarfBuzz for the Khmer script (``Font.set_script``): its
consonants stack and its vowel signs move around the consonant they follow.
"""

from __future__ import annotations

import copy
import json
import pathlib
import re
from collections import OrderedDict

import pygame
import pygame_gui
from pygame_gui.core.drawable_shapes import DrawableShape, RoundedRectangleShape
from pygame_gui.elements import UIButton

from game.paths import ASSETS
from game.session.settings import LIMITS
from game.tunables import read_tunables
from game.ui import text as lines

FONT_DIR = pathlib.Path(__import__("pygame_gui").__file__).parent / "data"
FONTS = {False: FONT_DIR / "NotoSans-Regular.ttf", True: FONT_DIR / "NotoSans-Bold.ttf"}
KHMER_FONTS = {
    False: ASSETS / "fonts" / "NotoSansKhmer-Regular.ttf",
    True: ASSETS / "fonts" / "NotoSansKhmer-Bold.ttf",
}
KHMER_FACE = "noto_sans_khmer"  # its name in pygame_gui markup: <font face=noto_sans_khmer>
# A run of Khmer: Khmer letters and symbols, with the spaces and joiners between them.
_KHMER = "\u1780-\u17ff\u19e0-\u19ff"
KHMER_RUN = re.compile(f"[{_KHMER}](?:[{_KHMER}\u200b-\u200d ]*[{_KHMER}])?")


def script_runs(text: str) -> list[tuple[str, bool]]:
    """Text cut into runs: (run, is Khmer), in order."""
    runs, at = [], 0
    for match in KHMER_RUN.finditer(text):
        if match.start() > at:
            runs.append((text[at : match.start()], False))
        runs.append((match.group(), True))
        at = match.end()
    if at < len(text):
        runs.append((text[at:], False))
    return runs


KHMER_STACK = "ស្ត្រី"  # two subscripts and a vowel above: as tall as Khmer gets


def has_khmer(text: str) -> bool:
    return KHMER_RUN.search(text) is not None


_PALETTES = read_tunables((ASSETS / "palette.yaml").read_text("utf-8"))
# The layout's design size is the default window (larger windows scale up), and the
# UI scale never shrinks it below the smallest window.
BASE_SIZE = tuple(LIMITS["window"]["default"])
MIN_LOGICAL = tuple(LIMITS["window"]["min"])


def effective_scale(size: tuple[int, int], ui_scale: int) -> float:
    """Layout scale for a window: grows with the window and the UI-scale setting,
    but never so far that a 960×540 layout would not fit."""
    width, height = size
    auto = max(1.0, min(width / BASE_SIZE[0], height / BASE_SIZE[1]))
    wanted = auto * ui_scale / 100
    fits = min(width / MIN_LOGICAL[0], height / MIN_LOGICAL[1])
    return max(0.75, min(wanted, fits))


TRANSPARENT = "#00000000"
FOCUS_RING = "focus_ring"  # the theme's name for the palette's focus colour
MEANINGFUL = ("@primary", "selection_list.#mod_item")
SURFACES = ("dark_bg", "normal_bg", "hovered_bg", "normal_border", "hovered_border")
# theme values in pixels, which grow with the UI scale (a tooltip's width with its font)
SCALED = ("size", "list_item_height", "title_bar_height", "rect_width")


def theme(scale: float, palette: str = "standard") -> dict:
    """The pygame_gui theme with every font size and item height scaled.

    A palette with a ``widgets`` block (high contrast) recolours the widgets too.
    """
    data = json.loads((ASSETS / "theme.json").read_text("utf-8"))
    colours = _PALETTES.get(palette) or _PALETTES["standard"]
    widgets = colours.get("widgets", {})
    data["defaults"]["colours"].update(widgets)
    data["defaults"]["colours"][FOCUS_RING] = colours["focus"]  # the keyboard's ring (widgets.py)
    # the browser's mod rows: the palette's colour for text by players, as in their notes
    mods = data["selection_list.#mod_item"]["colours"]
    mods.update(
        dict.fromkeys(("normal_text", "hovered_text", "selected_text"), colours["mod_text"])
    )
    for name, block in data.items():
        # Other blocks take the palette's text colours, and its surfaces and borders
        # where they have them (a transparent one stays transparent). Colours that
        # mean something keep it: the primary button, the mods' amber rows.
        colours = block.get("colours") if isinstance(block, dict) else None
        if colours is None or name in ("defaults", *MEANINGFUL):
            continue
        for key, value in widgets.items():
            if key not in colours or colours[key] == TRANSPARENT:
                continue
            if key.endswith("_text") or key in SURFACES:
                colours[key] = value

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in SCALED and isinstance(value, str):
                    node[key] = str(round(int(value) * scale))
                else:
                    walk(value)

    walk(data)
    return data


def ui_manager(
    size: tuple[int, int], scale: float, palette: str = "standard"
) -> pygame_gui.UIManager:
    """pygame_gui's manager with the theme, and the Khmer font for markup to name."""
    lines.teach_pygame_gui()
    _draw_shapes_lean()
    _selection_keeps_the_state()
    manager = pygame_gui.UIManager(size, theme(scale, palette))
    _forget_earlier_managers(manager)
    manager.add_font_paths(KHMER_FACE, str(KHMER_FONTS[False]), str(KHMER_FONTS[True]))
    _pin_script(manager.get_theme().get_font_dictionary(), KHMER_FACE, "Khmr")
    return manager


def _draw_shapes_lean() -> None:
    """A widget draws a state when it first takes it, and keeps no drawing tools.

    pygame_gui draws each widget's five states (normal, hovered, pressed, selected,
    disabled) ahead, one a frame, three surfaces each, though most widgets only ever
    show one or two; and it draws a rounded rectangle at four times its size and
    scales it down (its anti-aliasing), keeping the large shapes it drew with for
    the next states, and after the first time for good. Each button so held two
    surfaces sixteen times its own: at 2560×1440 and 200 % the title's six buttons
    held 75 MB, a wide one on the decision screen 48 MB, and a screen being built
    held them for every button at once; the settings' drop-downs held 52 MB of
    states never shown. Here a rebuild draws the state shown, a state not yet drawn
    is drawn when the widget enters it (pygame_gui does so for a state it was not
    asked to draw ahead), and the large shapes go as soon as a state is drawn. The
    pixels drawn are the same.
    """
    shape, rounded = DrawableShape, RoundedRectangleShape
    if getattr(shape, "lean", False):
        return
    draw_all, surface_of, draw_rounded = (
        shape.redraw_all_states,
        shape.get_surface,
        rounded.redraw_state,
    )

    def redraw_rounded(self, state_str: str, add_text: bool = True):
        draw_rounded(self, state_str, add_text)
        self.clean_up_temp_shapes()

    def redraw_all_states(self, force_full_redraw: bool = False):
        draw_all(self, force_full_redraw)
        queued = self.states_to_redraw_queue
        shown = self.active_state.state_id
        if shown in queued:
            queued.remove(shown)
            self.redraw_state(shown)
        for state in queued:
            self.states[state].generated = False
        queued.clear()

    def get_surface(self, state_name: str) -> pygame.Surface:
        if state_name in self.states and not self.states[state_name].generated:
            self.redraw_state(state_name)
        return surface_of(self, state_name)

    rounded.redraw_state = redraw_rounded
    shape.redraw_all_states, shape.get_surface, shape.lean = redraw_all_states, get_surface, True


def _selection_keeps_the_state() -> None:
    """A button chosen or let go of by the keyboard keeps looking disabled, or hovered.

    pygame_gui's ``select`` and ``unselect`` set the selected and the normal look
    whatever the button's state, so a menu that chose its first enabled button
    (unselecting the others) drew a disabled one as enabled, until the screen was
    shown again; and a button the mouse was over lost its hover. Here both draw the
    state the button is in, as pygame_gui's own hover does.
    """
    if getattr(UIButton, "keeps_state", False):
        return

    def select(self) -> None:
        self.is_selected = self.is_enabled
        if self.drawable_shape is not None:
            self.drawable_shape.set_active_state(self._get_appropriate_state_name())

    def unselect(self) -> None:
        self.is_selected = False
        if self.drawable_shape is not None:
            self.drawable_shape.set_active_state(self._get_appropriate_state_name())

    UIButton.select, UIButton.unselect, UIButton.keeps_state = select, unselect, True


def _forget_earlier_managers(manager: pygame_gui.UIManager) -> None:
    """Keep nothing of the managers this one replaces.

    pygame_gui makes the first manager ever created its default for good, so it and
    everything drawn with it would live as long as the game; and each manager adds
    its translations folder to i18n's search path once more, a path searched again for
    every label holding a full stop. The newest manager is the default, and the path
    holds each folder once.
    """
    import i18n  # pygame_gui's translations library

    pygame_gui.core.utility.set_default_manager(manager)
    i18n.load_path[:] = dict.fromkeys(i18n.load_path)


def forget_ui_manager() -> None:
    """Let the current manager go: pygame_gui's default would hold it while the next is built."""
    pygame_gui.core.utility.set_default_manager(None)


def _pin_script(fonts, face: str, script: str) -> None:
    """Load every size of ``face`` shaped for ``script``.

    pygame_gui 0.6's markup always asks for Latin shaping (its parser has no way to
    name a script), and a font's script is fixed when it is loaded; so the one
    place to choose it is the font dictionary's loading.
    """
    load = fonts.preload_font

    def preload_font(font_size, font_name, *args, **kwargs):
        if font_name == face:
            kwargs["script"] = script
            args = args[:4]  # bold, italic, force_immediate_load, antialiased
        return load(font_size, font_name, *args, **kwargs)

    fonts.preload_font = preload_font


# The text cache is bounded by its pixels, not its lines: a line across a projector's
# screen weighs a hundred small labels. This holds several screens' worth of text.
TEXT_CACHE_BYTES = 16 * 2**20


def _pixel_bytes(surface: pygame.Surface) -> int:
    return surface.get_pitch() * surface.get_height()


def colour(value: str) -> pygame.Color:
    return pygame.Color(value)


class Style:
    """Colours, fonts and cached text for one palette and scale."""

    def __init__(self, palette: str, scale: float):
        data = copy.deepcopy(_PALETTES.get(palette) or _PALETTES["standard"])
        self.palette = palette
        self.scale = scale
        self.colours = {k: colour(v) for k, v in data.items() if isinstance(v, str)}
        self.lines = [colour(v) for v in data["chart_lines"]]
        self.family_fallback = [colour(v) for v in _PALETTES["family_fallback"]]
        self._fonts: dict[tuple[int, bool], pygame.font.Font] = {}
        self._text: OrderedDict[tuple, pygame.Surface] = OrderedDict()  # least recent first
        self._text_bytes = 0

    def __getitem__(self, name: str) -> pygame.Color:
        return self.colours[name]

    def markup(self, name: str) -> str:
        """A palette colour as text markup names it: ``<font color={style.markup('muted')}>``."""
        red, green, blue, _ = self.colours[name]
        return f"#{red:02x}{green:02x}{blue:02x}"

    def px(self, value: float) -> int:
        return round(value * self.scale)

    def font(self, size: int, bold: bool = False, khmer: bool = False) -> pygame.font.Font:
        key = (self.px(size), bold, khmer)
        font = self._fonts.get(key)
        if font is None:
            font = pygame.font.Font((KHMER_FONTS if khmer else FONTS)[bold], key[0])
            if khmer:
                font.set_script("Khmr")
            self._fonts[key] = font
        return font

    def line_height(self, size: int, bold: bool = False, khmer: bool = False) -> int:
        """One line of text: with ``khmer``, tall enough for Khmer's stacked signs, which
        reach above and below the Latin line."""
        height = self.font(size, bold).get_linesize()
        if khmer:
            height = max(height, self.text(KHMER_STACK, size, "text", bold).get_height())
        return height

    def width(self, text: str, size: int = 16, bold: bool = False) -> int:
        """How wide ``text`` is drawn, Khmer runs in their own font."""
        if not has_khmer(text):
            return self.font(size, bold).size(text)[0]
        return sum(self.font(size, bold, khmer).size(run)[0] for run, khmer in script_runs(text))

    def _render(self, text: str, size: int, rgb, bold: bool) -> pygame.Surface:
        if not has_khmer(text):
            return self.font(size, bold).render(text, True, rgb)
        pieces = []
        for run, khmer in script_runs(text):
            font = self.font(size, bold, khmer)
            pieces.append((font.render(run, True, rgb), font.get_ascent()))
        ascent = max(a for _, a in pieces)
        height = max(ascent - a + s.get_height() for s, a in pieces)
        surface = pygame.Surface((sum(s.get_width() for s, _ in pieces), height), pygame.SRCALPHA)
        x = 0
        for piece, piece_ascent in pieces:
            surface.blit(piece, (x, ascent - piece_ascent))
            x += piece.get_width()
        return surface

    def text(
        self, text: str, size: int = 16, color: str | pygame.Color = "text", bold: bool = False
    ) -> pygame.Surface:
        """A rendered line of text, cached."""
        rgb = self.colours[color] if isinstance(color, str) else color
        key = (text, size, tuple(rgb), bold)
        surface = self._text.get(key)
        if surface is None:
            surface = self._render(text, size, rgb, bold)
            self._text[key] = surface
            self._text_bytes += _pixel_bytes(surface)
            while self._text_bytes > TEXT_CACHE_BYTES and len(self._text) > 1:
                self._text_bytes -= _pixel_bytes(self._text.popitem(last=False)[1])
        else:
            self._text.move_to_end(key)
        return surface

    def wrap(self, text: str, size: int, width: int, bold: bool = False) -> list[str]:
        """Split text into lines that fit ``width`` pixels, at legitimate breaks."""
        return lines.wrap(text, lambda line: self.width(line, size, bold), width)

    def family_colour(self, scenario, family_id: str) -> pygame.Color:
        for index, family in enumerate(scenario.families):
            if family.id == family_id:
                if family.color:
                    return colour(family.color)
                return self.family_fallback[index % len(self.family_fallback)]
        return self.colours["accent"]

    def tension_colour(self, value: float, conflict_at: int) -> pygame.Color:
        ratio = max(0.0, min(1.0, value / max(1, conflict_at)))
        low, mid, high = self["tension_low"], self["tension_mid"], self["tension_high"]
        if ratio < 0.5:
            return low.lerp(mid, ratio * 2)
        return mid.lerp(high, (ratio - 0.5) * 2)
