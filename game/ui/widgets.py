"""Small helpers over pygame_gui: keyboard-driven menus, labels, escaped text boxes."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UIImage, UILabel, UITextBox

from game.ui.style import FOCUS_RING, KHMER_FACE, KHMER_RUN, has_khmer
from game.ui.text import shorten

Action = Callable[[], None]


def escape(text: object) -> str:
    """Scenario and player text is shown as text, never read as markup.

    Runs of Khmer are set in the Khmer font, which the UI manager shapes.
    """
    escaped = html.escape(str(text), quote=False).replace("\n", "<br>")
    if not has_khmer(escaped):
        return escaped
    return KHMER_RUN.sub(lambda m: f"<font face={KHMER_FACE}>{m.group()}</font>", escaped)


def plain(text: object) -> str:
    """Scenario text for a label or list row, which cannot switch fonts mid-line:
    English where the chosen language needs a script Noto Sans lacks."""
    shown = str(text)
    if has_khmer(shown) and hasattr(text, "get"):
        return text.get("en")
    return shown


def button(scene, rect: pygame.Rect, text: str, kind: str = "", tip: str | None = None) -> UIButton:
    """A button; its tooltip ``tip`` is text (a name in it may hold ``<`` or Khmer)."""
    object_id = pygame_gui.core.ObjectID(class_id=f"@{kind}") if kind else None
    tip = None if tip is None else escape(tip)
    return UIButton(
        rect, text, scene.app.ui, container=scene.root, object_id=object_id, tool_tip_text=tip
    )


def fit_button_text(widget: UIButton, text: str, padding: int) -> bool:
    """Show ``text`` on a button, shortened if it is wider than the button; True if shortened."""
    fitted = shorten(lambda t: widget.font.size(t)[0], text, widget.rect.width - 2 * padding)
    if fitted != widget.text:
        widget.set_text(fitted)
    return fitted != text


class FittedLabel(UILabel):
    """A label holds one line: text wider than the label is cut with an ellipsis
    (between grapheme clusters) rather than clipped or wrapped out of sight."""

    def fitted(self, text: str) -> str:
        if self.font is None:
            return text
        return shorten(lambda line: self.font.get_rect(line).width, text, self.relative_rect.width)

    def rebuild(self) -> None:
        self.text = self.fitted(self.text)
        super().rebuild()

    def set_text(self, text: str, *, text_kwargs=None) -> None:
        super().set_text(self.fitted(text), text_kwargs=text_kwargs)


def label(scene, rect: pygame.Rect, text: str, kind: str = "") -> UILabel:
    object_id = pygame_gui.core.ObjectID(class_id=f"@{kind}") if kind else None
    return FittedLabel(rect, text, scene.app.ui, container=scene.root, object_id=object_id)


# Markup font sizes (HTML's 1-7) in pixels at 100% scale, beside 17-pixel body text.
MARKUP_SIZES = {"2": 13, "3": 14, "4": 19, "5": 22, "6": 28, "7": 36}
_SIZE = re.compile(r"<font size=([2-7])")


def scaled(scene, markup: str) -> str:
    """Markup with its font sizes turned into pixels at the current UI scale."""
    return _SIZE.sub(lambda m: f"<font pixel_size={scene.px(MARKUP_SIZES[m.group(1)])}", markup)


def text_box(scene, rect: pygame.Rect, markup: str, kind: str = "") -> UITextBox:
    object_id = pygame_gui.core.ObjectID(class_id=f"@{kind}") if kind else None
    return UITextBox(
        scaled(scene, markup), rect, scene.app.ui, container=scene.root, object_id=object_id
    )


#: Keys that scroll a text box: a line, a page, or to an end.
SCROLL_KEYS = (
    pygame.K_UP,
    pygame.K_DOWN,
    pygame.K_PAGEUP,
    pygame.K_PAGEDOWN,
    pygame.K_HOME,
    pygame.K_END,
)


def scroll_by_key(box: UITextBox, event: pygame.event.Event, line: int) -> bool:
    """Up and Down scroll a text box by ``line`` pixels, Page Up and Down by its height
    less a line (the line read last stays in sight), Home and End to its ends.

    True if the key was one of these and the box had more than it shows.
    """
    if event.type != pygame.KEYDOWN or event.key not in SCROLL_KEYS:
        return False
    bar, layout = box.scroll_bar, box.text_box_layout
    if bar is None or layout is None or not layout.layout_rect.height:
        return False
    total, view = layout.layout_rect.height, layout.view_rect.height
    page = max(line, view - line)
    step = {
        pygame.K_UP: -line,
        pygame.K_DOWN: line,
        pygame.K_PAGEUP: -page,
        pygame.K_PAGEDOWN: page,
        pygame.K_HOME: -total,
        pygame.K_END: total,
    }[event.key]
    top = max(0, min(total - view, bar.start_percentage * total + step))
    bar.set_scroll_from_start_percentage(top / total)
    return True


def heading(text: str, size: int = 5) -> str:
    return f"<font size={size}><b>{escape(text)}</b></font>"


class FocusRing(UIImage):
    """An outline around the button the keyboard is on, in the palette's focus colour.

    The mouse's hover only lightens a button, so the button Enter would press is told
    apart from the one under the pointer. The ring follows its menu each frame: it is
    shown only while the menu's chosen button is visible and enabled, so the menu of a
    screen under a dialog shows none, and one ring is on screen at a time. The mouse
    passes through it.
    """

    def __init__(self, menu: Menu, target: UIButton):
        self.menu = menu
        self.drawn: tuple | None = None
        super().__init__(
            target.relative_rect,
            pygame.Surface((1, 1), pygame.SRCALPHA),
            target.ui_manager,
            container=target.ui_container,
            object_id=pygame_gui.core.ObjectID(object_id="#focus_ring"),
            starting_height=target.get_starting_height() + 1,
            scale_func=_unscaled,
        )

    def hover_point(self, hover_x: float, hover_y: float) -> bool:
        return False

    def update(self, time_delta: float) -> None:
        super().update(time_delta)
        self.follow()

    def follow(self) -> None:
        target = self.menu.chosen
        if target is None or not (target.alive() and target.visible and target.is_enabled):
            if self.visible:
                self.hide()
            return
        if not target.is_selected:  # enabled again (a dialog above it closed): chosen again
            target.select()
        rect = target.relative_rect
        key = (rect.size, target.shape_corner_radius)
        thickness = max(2, round(rect.height / 16))
        if key != self.drawn:
            self.drawn = key
            self._draw(rect.size, thickness, target.shape_corner_radius)
        where = rect.inflate(4 * thickness, 4 * thickness).topleft
        if self.relative_rect.topleft != where:
            self.set_relative_position(where)
        if not self.visible:
            self.show()

    def _draw(self, size: tuple[int, int], thickness: int, radius) -> None:
        outer = pygame.Rect(0, 0, size[0] + 4 * thickness, size[1] + 4 * thickness)
        surface = pygame.Surface(outer.size, pygame.SRCALPHA)
        colour = self.ui_manager.get_theme().get_colour(FOCUS_RING, ["image"])
        corner = (radius[0] if isinstance(radius, list | tuple) else radius) or 0
        pygame.draw.rect(surface, colour, outer, thickness, corner + 2 * thickness)
        self.set_dimensions(outer.size)
        self.set_image(surface, scale_func=_unscaled)


def _unscaled(surface: pygame.Surface, size: tuple[int, int]) -> pygame.Surface:
    """The ring draws its own image at its size, so it never scales one. pygame_gui
    would smoothscale the placeholder, and smoothscale of a 1×1 surface can crash."""
    return pygame.Surface(size, pygame.SRCALPHA)


class Menu:
    """Buttons that also work from the keyboard: arrows or Tab move, Enter activates.

    Each item may have a letter key. The chosen button is shown selected, inside a
    :class:`FocusRing`.
    """

    def __init__(self, vertical: bool = True):
        self.items: list[tuple[UIButton, Action, int | None]] = []
        self.index = 0
        self.vertical = vertical
        self.blurred = False
        self.ring: FocusRing | None = None

    @property
    def chosen(self) -> UIButton | None:
        """The button Enter presses, or None while no button is chosen (a field types)."""
        if self.blurred or not self.items:
            return None
        return self.items[self.index][0]

    def add(self, widget: UIButton, action: Action, key: int | None = None) -> UIButton:
        self.items.append((widget, action, key))
        if len(self.items) == 1:
            self.focus(0)
        return widget

    def focus(self, index: int) -> None:
        if not self.items:
            return
        enabled = [i for i, (w, _, _) in enumerate(self.items) if w.is_enabled]
        if not enabled:
            return
        if index not in enabled:
            index = enabled[0]
        for i, (widget, _, _) in enumerate(self.items):
            widget.select() if i == index else widget.unselect()
        self.index = index
        self.blurred = False
        self._ring()

    def blur(self) -> None:
        """Show no button as chosen (while a text field has the keyboard)."""
        for widget, _, _ in self.items:
            widget.unselect()
        self.blurred = True
        self._ring()

    def _ring(self) -> None:
        target = self.chosen
        if self.ring is not None and not self.ring.alive():
            self.ring = None  # its screen was built again
        if self.ring is None and target is not None:
            self.ring = FocusRing(self, target)
        if self.ring is not None:
            self.ring.follow()

    def focus_widget(self, widget: UIButton) -> None:
        self.focus([w for w, _, _ in self.items].index(widget))

    def focus_primary(self) -> None:
        """Choose the first enabled primary button, else the first one, without pressing it."""
        for index, (widget, _, _) in enumerate(self.items):
            if "@primary" in widget.get_class_ids() and widget.is_enabled:
                self.focus(index)
                return
        self.focus(0)

    def press(self) -> None:
        """Press the chosen button, as Enter on it does."""
        if self.items and self.items[self.index][0].is_enabled:
            self.items[self.index][1]()

    def move(self, step: int) -> None:
        if not self.items:
            return
        index = self.index
        for _ in range(len(self.items)):
            index = (index + step) % len(self.items)
            if self.items[index][0].is_enabled:
                self.focus(index)
                return

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            for index, (widget, action, _) in enumerate(self.items):
                if event.ui_element is widget:
                    self.focus(index)  # the keyboard goes on from the button clicked
                    action()
                    return True
            return False
        if event.type != pygame.KEYDOWN:
            return False
        back, forward = (
            (pygame.K_UP, pygame.K_DOWN) if self.vertical else (pygame.K_LEFT, pygame.K_RIGHT)
        )
        if event.key == back or (event.key == pygame.K_TAB and event.mod & pygame.KMOD_SHIFT):
            self.move(-1)
            return True
        if event.key in (forward, pygame.K_TAB):
            self.move(1)
            return True
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE) and self.items:
            self.press()
            return True
        for widget, action, key in self.items:
            if key is not None and event.key == key and widget.is_enabled:
                action()
                return True
        return False


class Picker:
    """A selection list that also works from the keyboard: Up/Down move, Enter picks.

    The scene says what a move shows (``on_move``) and what picking does
    (``on_pick``); the picker keeps the highlighted row in step with both the
    mouse and the keys, and answers only its own list's events.
    """

    def __init__(self, widget, on_move: Action, on_pick: Action, wrap: bool = False):
        self.widget = widget
        self.on_move = on_move
        self.on_pick = on_pick
        self.wrap = wrap
        self.selected = 0 if widget.item_list else -1

    @property
    def count(self) -> int:
        return len(self.widget.item_list)

    def select(self, index: int) -> None:
        """Highlight a row and let the scene show it."""
        if not self.count:
            return
        self.selected = index % self.count if self.wrap else max(0, min(self.count - 1, index))
        for row, item in enumerate(self.widget.item_list):
            item["selected"] = row == self.selected
            element = item["button_element"]
            if element is not None:
                element.select() if row == self.selected else element.unselect()
        self.on_move()

    def handle(self, event: pygame.event.Event) -> bool:
        mine = getattr(event, "ui_element", None) is self.widget
        if event.type == pygame_gui.UI_SELECTION_LIST_NEW_SELECTION and mine:
            texts = [item["text"] for item in self.widget.item_list]
            self.select(texts.index(event.text))
            return True
        if event.type == pygame_gui.UI_SELECTION_LIST_DOUBLE_CLICKED_SELECTION and mine:
            self.on_pick()
            return True
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_UP, pygame.K_DOWN):
            self.select(self.selected + (1 if event.key == pygame.K_DOWN else -1))
            return True
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.on_pick()
            return True
        return False


def deal_wants(lines: list[str], team: bool = False) -> str:
    """A format-2 seat's wants in the deals, as its brief's markup ("" for format 1)."""
    if not lines:
        return ""
    who = "only your team sees this" if team else "only you see this"
    said = "".join(f"<br>• {escape(line)}" for line in lines)
    return f"<br><br><b>What you want in the deals</b> ({who}){said}"
