"""The desktop client: one loop, a scene stack, and nothing else that loops.

Each frame: events go to pygame_gui first and then to the top scene; the top
scene updates; every visible scene draws, bottom to top; pygame_gui draws on
top. While a text field has the keyboard, every key goes to it and none to the
scene, so typing never fires a shortcut (see :meth:`App.dispatch`). When
nothing moves (no input for a moment, no animation, no AI thinking) the loop
blocks in ``pygame.event.wait`` instead of redrawing, so an idle board costs
next to no CPU.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import os
import pathlib
import time
import warnings
from collections.abc import Callable
from typing import Any

import pygame
import pygame_gui
from pygame_gui.core import UIElement
from pygame_gui.elements import UITextEntryBox, UITextEntryLine

from game.files import describe, make_folder
from game.lang import set_display_language
from game.session.saves import SaveFolder
from game.session.settings import Settings, save_settings
from game.ui.style import Style, effective_scale, forget_ui_manager, ui_manager
from game.ui.widgets import Menu

# pygame_gui warns when a text box needs a font size it has not preloaded; it then
# loads it, which is all we want, once per size.
warnings.filterwarnings("ignore", "Finding font with id", UserWarning)

FPS = 60
IDLE_AFTER = 0.6  # seconds without input before the loop sleeps
IDLE_WAIT_MS = 500
TEXT_FIELDS = (UITextEntryLine, UITextEntryBox)
KEYBOARD = (pygame.KEYDOWN, pygame.KEYUP, pygame.TEXTINPUT, pygame.TEXTEDITING)
ENTER = (pygame.K_RETURN, pygame.K_KP_ENTER)
#: Where a scene's widgets stand (Scene.cover): on top, seen under a dialog, or hidden.
LIVE, STILL, HIDDEN = "live", "still", "hidden"


# glibc's mallopt settings: the size from which a block gets pages of its own, and
# how much free memory at the top of the heap is kept rather than given back
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
MMAP_THRESHOLD = 256 * 2**10  # a 300 × 200 px surface; smaller blocks share the heap
TRIM_THRESHOLD = 2 * MMAP_THRESHOLD  # the ratio glibc itself keeps between the two


@functools.cache
def _glibc():
    """The C library, where it is glibc (it has malloc_trim); None elsewhere."""
    if os.name != "posix":
        return None
    import ctypes

    libc = ctypes.CDLL(None)
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def _map_large_blocks_apart() -> None:
    """Give every large block (a surface) pages of its own, returned to the system when freed.

    glibc starts so, but raises that size to the largest block freed so far, up to
    32 MB: after the first big screen has gone, the surfaces of the next ones come
    from the shared heap, where a freed one leaves a hole that a later, larger one
    cannot use, and the heap grows around them; and the free memory it keeps at the
    heap's top grows with it, to 64 MB. At 2560×1440 and 200 % each screen built
    that way left the game 100 to 240 MB heavier than what it held. Fixed sizes keep
    what the game uses and what it holds the same. Elsewhere the allocator decides
    alone.
    """
    libc = _glibc()
    if libc is not None:
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)


def _give_back_freed_memory() -> None:
    """Return the pages a collection freed to the system, where the C library can.

    glibc keeps freed memory for reuse, and a screen's surfaces freed in the middle
    of its heap stay counted against the game; in the monkey's long runs that was a
    hundred megabytes. Elsewhere the allocator decides alone.
    """
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


@dataclasses.dataclass
class DemoOptions:
    scenario: pathlib.Path | None = None  # the crisis the demo plays
    seed: int = 1
    seconds_per_screen: float = 0.6
    screenshots: pathlib.Path | None = None
    exit_when_done: bool = True


class Scene:
    """One screen. Subclasses build widgets in :meth:`build` and act on input."""

    name = "scene"
    overlay = False  # True: the scene below stays visible (a dialog)
    shade = True  # an overlay darkens what is below it
    menu: Menu | None = None  # the screen's keyboard-driven buttons, set by build

    def __init__(self, app: App):
        self.app = app
        self.root: pygame_gui.core.UIContainer | None = None
        self.covered = LIVE
        #: Each widget's (widget, enabled, visible) as the scene left the top of the stack.
        self.own: list[tuple[UIElement, bool, bool]] = []

    # Life cycle ---------------------------------------------------------
    def open(self) -> None:
        self.covered, self.own = LIVE, []
        self.root = pygame_gui.core.UIContainer(
            pygame.Rect((0, 0), self.app.size), self.app.ui, starting_height=self.app.depth(self)
        )
        self.build()

    def close(self) -> None:
        if self.root is not None:
            self.root.kill()
            self.root = None
            self.own = []
            self._forget_widgets()
            self.app.released = True

    def _forget_widgets(self) -> None:
        """Let go of the widgets just killed, as ``build`` makes them anew.

        A killed widget kept in an attribute keeps its surfaces and its UI manager,
        fonts and all; a restyle would then build every screen beside the old ones
        (at 2560×1440 and 200 %, 160 MB more for a moment, and the old manager kept).
        """
        from game.ui.widgets import Menu, Picker

        for name, value in list(vars(self).items()):
            if isinstance(value, UIElement | Menu | Picker):
                setattr(self, name, None)
            elif (
                isinstance(value, list | tuple)
                and value
                and all(isinstance(item, UIElement) for item in value)
            ):
                setattr(self, name, type(value)())

    def relayout(self) -> None:
        self.close()
        self.open()

    def cover(self, how: str) -> None:
        """Set the widgets as the scene's place on the stack says (see :meth:`App.settle`):
        ``LIVE`` on top, ``STILL`` (seen but not answering) under a dialog, ``HIDDEN``
        under a full screen.

        pygame_gui's containers enable and show every child again, whatever the scene
        had chosen; so what each widget was as the scene left the top is remembered
        and given back: a Continue with nothing to continue, the board's buttons while
        it is not a human's turn, a field the set-up hides stay as the scene made them.
        """
        if self.root is None or how == self.covered:
            return
        was, self.covered = self.covered, how
        if was == LIVE:
            self.own = [(e, e.is_enabled, e.visible) for e in _elements(self.root)]
        if how == HIDDEN:
            self.root.hide()
        else:
            self.root.show()
            self.root.enable() if how == LIVE else self.root.disable()
            for element, enabled, visible in self.own:
                if not element.alive():
                    continue
                if element.visible != visible:
                    element.show() if visible else element.hide()
                if how == LIVE and element.is_enabled != enabled:
                    element.enable() if enabled else element.disable()
        if was == LIVE:
            self.pause()
        elif how == LIVE:
            self.own = []
            self.resume()

    # Hooks ----------------------------------------------------------------
    def build(self) -> None:
        pass

    def pause(self) -> None:
        """Another screen came over this one (its widgets no longer answer)."""

    def resume(self) -> None:
        """This screen is on top again, its widgets as it left them."""

    def handle(self, event: pygame.event.Event) -> bool:
        """Act on an event pygame_gui did not consume; True if used."""
        return False

    def update(self, dt: float) -> None:
        pass

    def draw(self, surface: pygame.Surface) -> None:
        pass

    @property
    def busy(self) -> bool:
        """True while the scene animates or thinks and needs every frame."""
        return False

    def demo_step(self) -> None:
        """What the demo does next on this screen (the AI-only showcase)."""

    def key_of(self) -> str:
        """A name for screenshots: one picture per distinct screen."""
        return self.name

    # Text fields ----------------------------------------------------------------
    def text_fields(self) -> list:
        """The screen's text fields in the order they were built: Enter and Tab follow it."""
        found = (e for e in _elements(self.root) if isinstance(e, TEXT_FIELDS))
        return list(dict.fromkeys(found))  # a container may also be listed in its parent

    def typing_into(self):
        """The text field that has the keyboard, or None."""
        for field in self.text_fields():
            if field.is_focused and field.visible and field.is_enabled:
                return field
        return None

    #: A dialog that is one question (a save's name, the PIN, a reflection): Enter in
    #: its field answers it, as in any dialog. On a form of several fields (the set-up)
    #: Enter only moves on, so a team naming itself never starts the game by accident.
    enter_submits = False

    def next_field(self, field, step: int = 1, enter: bool = False) -> None:
        """Enter or Tab in ``field``: the keyboard goes to the next field, or after the
        last to the button that finishes the screen: chosen, and pressed by an Enter
        where the screen is a one-question dialog."""
        fields = [f for f in self.text_fields() if f.visible and f.is_enabled]
        at = fields.index(field) + step if field in fields else len(fields)
        if 0 <= at < len(fields):
            self.app.focus(fields[at])
            return
        self.app.focus(None)
        self.focus_primary(field)
        if enter and self.enter_submits and self.menu is not None:
            self.menu.press()

    def focus_primary(self, field) -> None:
        """Choose the button that finishes what ``field`` was typed for."""
        if self.menu is not None:
            self.menu.focus_primary()

    def typing_changed(self, field) -> None:
        """A text field took the keyboard (``field``) or gave it back (None).

        While one types, no button looks chosen: Enter and Space type, they press nothing.
        """
        if self.menu is not None:
            self.menu.blur() if field is not None else self.menu.focus(self.menu.index)

    def kept_fields(self) -> list[tuple[str, bool]]:
        """Each field's text and whether it has the keyboard, to build the screen again."""
        return [(field.get_text(), field.is_focused) for field in self.text_fields()]

    def restore_fields(self, kept: list[tuple[str, bool]], focus: bool) -> None:
        """What was typed, back in the fields of the same screen built again."""
        fields = self.text_fields()
        if len(fields) != len(kept):
            return
        for field, (text, _) in zip(fields, kept, strict=True):
            if field.get_text() != text:
                field.set_text(text)
        if focus:
            focused = [field for field, (_, had) in zip(fields, kept, strict=True) if had]
            self.app.focus(focused[0] if focused else None, select=False)

    # Helpers ------------------------------------------------------------------
    @property
    def style(self) -> Style:
        return self.app.style

    @property
    def lang(self) -> str:
        """The language the player reads the game in (the Settings' choice)."""
        return self.app.settings.language

    def px(self, value: float) -> int:
        return self.app.style.px(value)


def _elements(container):
    """Every element inside a container, depth first, in the order they were made."""
    if container is None:
        return
    for element in list(container.elements):
        yield element
        inner = element.get_container() if hasattr(element, "get_container") else None
        if inner is not None and inner is not element:
            yield from _elements(inner)


class App:
    """The window, the UI manager, the scene stack and the loop."""

    def __init__(
        self,
        settings: Settings,
        saves: pathlib.Path,
        demo: DemoOptions | None = None,
        persist_settings: bool = True,
    ):
        _map_large_blocks_apart()
        self.settings = settings
        set_display_language(settings.language)
        self.mods: list[pathlib.Path] = []  # mods folders whose crises the browser offers
        self.saves = SaveFolder(saves)
        self.demo = demo
        self.persist_settings = persist_settings
        self.stack: list[Scene] = []
        self.running = False
        self.exit_code = 0
        self.notice = ""  # a one-line message shown by the next screen
        self.last_input = 0.0
        self.frame_gaps: list[float] = []
        self.shots: dict[str, pathlib.Path] = {}
        self._pending_shot = False
        self.typing = None  # the text field that has the keyboard
        self._focus_key: int | None = None  # the key that just gave a field the keyboard
        self.released = False  # a screen or a UI manager was let go since the last frame
        pygame.display.init()
        pygame.font.init()
        pygame.display.set_caption("Envoy")
        self.screen = self._open_window()
        self.size = self.screen.get_size()
        self.style = Style(settings.shown_palette, effective_scale(self.size, settings.shown_scale))
        self.ui = ui_manager(self.size, self.style.scale, self.style.palette)
        self.clock = pygame.time.Clock()

    # Window -------------------------------------------------------------------
    def _open_window(self) -> pygame.Surface:
        flags = pygame.RESIZABLE
        if self.settings.fullscreen:
            return pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        return pygame.display.set_mode((self.settings.width, self.settings.height), flags)

    def toggle_fullscreen(self) -> None:
        self.settings = dataclasses.replace(self.settings, fullscreen=not self.settings.fullscreen)
        self.screen = self._open_window()
        self.resized(self.screen.get_size())
        self.save_settings()

    def resized(self, size: tuple[int, int]) -> None:
        size = (max(320, size[0]), max(240, size[1]))
        if self.screen.get_size() != size:
            self.screen = pygame.display.get_surface() or self.screen
        self.size = self.screen.get_size()
        if not self.settings.fullscreen:
            self.settings = dataclasses.replace(
                self.settings, width=self.size[0], height=self.size[1]
            )
        self.restyle()

    def restyle(self) -> None:
        """Rebuild fonts, theme and every scene's layout (after a resize or a setting)."""
        self.style = Style(
            self.settings.shown_palette, effective_scale(self.size, self.settings.shown_scale)
        )
        kept = [scene.kept_fields() for scene in self.stack]
        chosen = [scene.menu.index if scene.menu is not None else None for scene in self.stack]
        for scene in self.stack:
            scene.close()
        # The old manager and screens go before the new ones are built, not beside them.
        self.ui = None
        forget_ui_manager()
        self.collect()
        self.ui = ui_manager(self.size, self.style.scale, self.style.palette)
        self.typing = None
        for scene, fields, index in zip(self.stack, kept, chosen, strict=True):
            scene.open()
            if scene.menu is not None and index is not None and index < len(scene.menu.items):
                scene.menu.focus(index)  # the button the keyboard was on stays chosen
            scene.restore_fields(fields, focus=scene is self.stack[-1])
        self.settle()
        self._check_typing()

    def apply_settings(self, settings: Settings) -> None:
        window_changed = (settings.width, settings.height, settings.fullscreen) != (
            self.settings.width,
            self.settings.height,
            self.settings.fullscreen,
        )
        self.settings = settings
        set_display_language(settings.language)
        if window_changed:
            self.screen = self._open_window()
            self.size = self.screen.get_size()
        self.restyle()
        self.save_settings()

    def save_settings(self) -> None:
        if self.persist_settings:
            problem = save_settings(self.settings)
            if problem:
                self.notice = problem

    # Scene stack -----------------------------------------------------------------
    @property
    def scene(self) -> Scene | None:
        return self.stack[-1] if self.stack else None

    def depth(self, scene: Scene) -> int:
        """The layer a scene's widgets start at: above those of every scene below it.

        Taken from the scene's place on the stack, not the stack's height, so a restyle
        that builds every scene again puts each at its own layer, the top one's on top.
        """
        below = self.stack.index(scene) if scene in self.stack else len(self.stack)
        return 1 + 10 * (below + 1)

    def build(self, scene: Scene | str, *args: Any) -> Scene:
        """A scene, or the screen called ``scene`` built with ``args`` (see game.ui.scenes)."""
        if isinstance(scene, str):
            from game.ui import scenes

            return scenes.screen(scene)(self, *args)
        return scene

    def open(self, route: str, *args: Any) -> None:
        """Follow the route called ``route`` (see game.ui.scenes): it shows what it decides."""
        from game.ui import scenes

        scenes.route(route)(self, *args)

    def push(self, scene: Scene | str, *args: Any) -> None:
        scene = self.build(scene, *args)
        self.stack.append(scene)
        scene.open()
        self.settle()
        self._entered()

    def pop(self) -> None:
        if self.stack:
            self.stack.pop().close()
        if self.stack:
            self.settle()
            self._entered()

    def settle(self) -> None:
        """Each scene's widgets as its place says: the top one's live, those seen under
        dialogs still, the rest hidden; after every change of the stack, so a screen
        a full screen had hidden shows again under the dialog it comes back to."""
        seen = len(self.stack) - 1
        while seen > 0 and self.stack[seen].overlay:
            seen -= 1
        for index, scene in enumerate(self.stack):
            if index == len(self.stack) - 1:
                scene.cover(LIVE)
            else:
                scene.cover(STILL if index >= seen else HIDDEN)

    def replace(self, scene: Scene | str, *args: Any) -> None:
        scene = self.build(scene, *args)
        if self.stack:
            self.stack.pop().close()
        self.push(scene)

    def reset(self, scene: Scene | str, *args: Any) -> None:
        scene = self.build(scene, *args)
        while self.stack:
            self.stack.pop().close()
        self.push(scene)

    def _entered(self) -> None:
        self.demo_clock = 0.0
        self._pending_shot = True

    def quit(self, code: int = 0) -> None:
        self.exit_code = code
        self.running = False

    # The loop --------------------------------------------------------------------------
    def run(self, first: Callable[[App], Scene] | str | None = None) -> int:
        """Loop until quit; ``first`` (a factory or a screen's name) builds the first screen."""
        self.running = True
        if first is not None:
            self.push(first if isinstance(first, str) else first(self))
        self.last_input = time.perf_counter()
        last_frame = time.perf_counter()
        while self.running and self.stack:
            if self.idle():
                event = pygame.event.wait(IDLE_WAIT_MS)
                events = [event] if event.type != pygame.NOEVENT else []
                events += pygame.event.get()
                if not events:
                    continue
            else:
                events = pygame.event.get()
            for event in events:
                self.dispatch(event)
            dt = self.clock.tick(FPS) / 1000
            now = time.perf_counter()
            self.frame_gaps.append(now - last_frame)
            if len(self.frame_gaps) > 10_000:
                del self.frame_gaps[:5000]
            last_frame = now
            self.step(dt)
        return self.exit_code

    def step(self, dt: float) -> None:
        """One frame after the events: update, demo, draw, screenshot."""
        if not self.stack:
            return
        self.scene.update(dt)
        self._check_typing()
        if self.demo is not None and self.stack:
            self.demo_clock += dt
            if self.demo_clock >= self.demo.seconds_per_screen and not self.scene.busy:
                self.demo_clock = 0.0
                self.scene.demo_step()
        self.ui.update(dt)
        self.draw()
        if self._pending_shot:
            self._pending_shot = False
            self.screenshot()
        if self.released:
            self.collect()

    def collect(self) -> None:
        """Free the screens and UI managers let go of, now rather than some day.

        pygame_gui's elements point at their containers and back, so a killed screen
        is a reference cycle, and it holds megabytes of surfaces and fonts that Python's
        collector cannot see: it counts objects, not bytes, and the few objects of a
        screen rarely set off a full collection. Without this, screens thrown away in a
        long session piled up to over a gigabyte. Once per frame in which something was
        let go, after the new screen is shown: about 15 ms, a blink on a screen change.
        """
        self.released = False
        gc.collect()
        _give_back_freed_memory()

    def draw(self) -> None:
        self.screen.fill(self.style["background"])
        first = len(self.stack) - 1
        while first > 0 and self.stack[first].overlay:
            first -= 1
        for scene in self.stack[first:]:
            if scene is not self.stack[first] and scene.overlay and scene.shade:
                # Black at alpha 150 over the screen, without a window-sized surface a frame.
                self.screen.fill((105, 105, 105), special_flags=pygame.BLEND_RGB_MULT)
            scene.draw(self.screen)
        self.ui.draw_ui(self.screen)
        pygame.display.flip()

    def idle(self) -> bool:
        if self.demo is not None or any(scene.busy for scene in self.stack):
            return False
        return time.perf_counter() - self.last_input > IDLE_AFTER

    def dispatch(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.quit(0)
            return
        if event.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, *KEYBOARD):
            self.last_input = time.perf_counter()
        if event.type == pygame.VIDEORESIZE:
            self.last_input = time.perf_counter()
            self.resized((event.w, event.h))
            return
        if self._typed_by_focus_key(event):
            return
        field = self.scene.typing_into() if self.stack else None
        if field is not None and event.type in KEYBOARD:
            self._to_field(field, event)
        else:
            self._to_scene(event)
        now = self._check_typing()
        if event.type == pygame.KEYDOWN and now is not None and now is not field:
            self._focus_key = event.key

    def _typed_by_focus_key(self, event: pygame.event.Event) -> bool:
        """True for the text of the key that gave a field the keyboard (the T that opens a
        team name, the E that ends a turn and opens the reflection): SDL sends a key's
        TEXTINPUT after its KEYDOWN, in the same frame or the next, and it is not typing.
        """
        if event.type == pygame.KEYDOWN or (
            event.type == pygame.KEYUP and event.key == self._focus_key
        ):
            self._focus_key = None
        elif event.type == pygame.TEXTINPUT and self._focus_key is not None:
            self._focus_key = None
            return True
        return False

    def _to_field(self, field, event: pygame.event.Event) -> None:
        """A key while ``field`` has the keyboard: it edits the field and nothing else.

        Enter confirms the field and moves on (Tab too); Esc leaves the field and stays
        on the screen. A box of several lines takes Enter as a new line.
        """
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.focus(None)
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_TAB:
            self.scene.next_field(field, -1 if event.mod & pygame.KMOD_SHIFT else 1)
            return
        self.ui.process_events(event)
        if (
            event.type == pygame.KEYDOWN
            and event.key in ENTER
            and not isinstance(field, UITextEntryBox)
        ):
            self.scene.next_field(field, enter=True)

    def _to_scene(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F11:
            self.toggle_fullscreen()
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F12:
            self.screenshot(force=True)
            return
        if self.ui.process_events(event):
            return
        if self.stack:
            self.scene.handle(event)

    def focus(self, field, select: bool = True) -> None:
        """Give the keyboard to a text field, the cursor at the end of its text, which is
        selected unless ``select`` is False (then typing adds to it rather than replacing
        it); with None, to no field."""
        for other in self.scene.text_fields() if self.stack else []:
            if other.is_focused and other is not field:
                other.unfocus()  # focused outside the manager, it would keep typing
        self.ui.set_focus_set(field)
        if isinstance(field, UITextEntryLine):
            end = len(field.get_text())
            field.select_range = [0, end] if select else [0, 0]
            field.edit_position = end
            field.cursor_has_moved_recently = True
        # The scene hears of it after the event or the frame (_check_typing): a scene
        # that focuses a field in build has not made its buttons yet.

    def _check_typing(self):
        """Tell the top scene when the keyboard moves into or out of a text field."""
        now = self.scene.typing_into() if self.stack else None
        if now is self.typing:
            return now
        self.typing = now
        # Text input stays on: stopped between fields, SDL would drop the text of keys
        # typed fast after the one that opens a field (E, then "we..." in one frame).
        if now is None:
            pygame.key.set_repeat(0)  # a field killed while focused leaves key repeat on
        else:
            pygame.key.set_text_input_rect(now.rect)  # where an input method shows its words
        if self.stack:
            self.scene.typing_changed(now)
        return now

    # Screenshots ---------------------------------------------------------------------------
    def screenshot(self, force: bool = False) -> pathlib.Path | None:
        folder = self.demo.screenshots if self.demo else None
        if folder is None and not force:
            return None
        folder = folder or self.saves.folder / "screenshots"
        key = self.scene.key_of() if self.scene else "empty"
        if key in self.shots and not force:
            return None
        path = folder / f"{len(self.shots) + 1:02d}-{key}.png"
        self.shots[key] = path  # tried: the demo moves on through its screens even if not saved
        try:
            make_folder(folder)
            pygame.image.save(self.screen, os.fspath(path))
        except (OSError, pygame.error) as error:  # a full or read-only disk stops no game
            reason = describe(error) if isinstance(error, OSError) else str(error)
            self.notice = f"Screenshot not saved: {reason}"
            toast = getattr(self.scene, "toast", None)
            if toast is not None:
                toast(self.notice)
            return None
        return path
