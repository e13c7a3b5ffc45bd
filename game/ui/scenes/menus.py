"""Screens around the game: how to play, settings, load, the pause menu, save dialog."""

from __future__ import annotations

import pygame
from pygame_gui.elements import UIDropDownMenu, UIPanel, UISelectionList, UITextEntryLine

from game.session import settings as settings_module
from game.session.saves import SaveError, load_match
from game.session.settings import Settings
from game.ui.app import Scene
from game.ui.style import ASSETS
from game.ui.widgets import Menu, Picker, button, label, text_box

HOW_TO_PLAY = ASSETS / "how_to_play.html"  # pygame_gui markup


class HowToPlayScene(Scene):
    name = "howto"

    def build(self) -> None:
        width, height = self.app.size
        margin = self.px(64)
        inner = min(width - 2 * margin, self.px(1100))
        left = (width - inner) // 2
        self.box = text_box(
            self,
            pygame.Rect(left, margin, inner, height - 2 * margin - self.px(60)),
            HOW_TO_PLAY.read_text("utf-8"),
        )
        self.menu = Menu()
        back = button(
            self,
            pygame.Rect(left, height - margin - self.px(44), self.px(160), self.px(44)),
            "Back",
        )
        self.menu.add(back, self.app.pop, pygame.K_ESCAPE)

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_DOWN, pygame.K_PAGEDOWN):
            self._scroll(1 if event.key == pygame.K_DOWN else 8)
            return True
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_UP, pygame.K_PAGEUP):
            self._scroll(-1 if event.key == pygame.K_UP else -8)
            return True
        return self.menu.handle(event)

    def _scroll(self, lines: int) -> None:
        bar = self.box.scroll_bar
        if bar is not None:
            bar.set_scroll_from_start_percentage(
                max(0.0, min(1.0, bar.start_percentage + 0.04 * lines))
            )

    def demo_step(self) -> None:
        self.app.pop()


# ------------------------------------------------------------------ settings

WINDOW_SIZES = ["1280×720", "1600×900", "1920×1080", "2560×1440"]
LABELS = {
    "palette": {"standard": "Standard", "colour_blind": "Colour-blind safe"},
    "animation_speed": {"slow": "Slow", "normal": "Normal", "fast": "Fast", "instant": "Instant"},
    "ai_difficulty": settings_module.LIMITS["ai_difficulty"]["names"],
    "language": {"en": "English", "fr": "Français", "es": "Español", "km": "Khmer"},
}


class SettingsScene(Scene):
    name = "settings"

    def build(self) -> None:
        app, current = self.app, self.app.settings
        self.draft = current
        width, _ = app.size
        panel_w = min(width - self.px(80), self.px(760))
        left = (width - panel_w) // 2
        top = self.px(24)
        label(self, pygame.Rect(left, top, panel_w, self.px(44)), "Settings", "heading")
        hint = "Kept between games. Up/Down pick a setting, Left/Right change it, Esc goes back."
        label(self, pygame.Rect(left, top + self.px(44), panel_w, self.px(30)), hint, "subtle")
        label_w = self.px(260)
        sizes = list(WINDOW_SIZES)
        now = f"{current.width}×{current.height}"
        if now not in sizes:
            sizes.insert(0, now)
        scales = [
            f"{p}%"
            for p in range(
                settings_module.LIMITS["ui_scale"]["min"],
                settings_module.LIMITS["ui_scale"]["max"] + 1,
                settings_module.LIMITS["ui_scale"]["step"],
            )
        ]
        if f"{current.ui_scale}%" not in scales:
            scales.insert(0, f"{current.ui_scale}%")
        rows = [
            ("Window size", sizes, now, "size"),
            ("Full screen", ["Off", "On"], "On" if current.fullscreen else "Off", "fullscreen"),
            ("UI scale", scales, f"{current.ui_scale}%", "ui_scale"),
            ("Colours", self._labels("palette"), LABELS["palette"][current.palette], "palette"),
            (
                "Animation speed",
                self._labels("animation_speed"),
                LABELS["animation_speed"][current.animation_speed],
                "animation_speed",
            ),
            (
                "AI difficulty (default)",
                self._labels("ai_difficulty"),
                LABELS["ai_difficulty"][current.ai_difficulty],
                "ai_difficulty",
            ),
            (
                "Scenario language",
                self._labels("language"),
                LABELS["language"][current.language],
                "language",
            ),
            (
                "Projector mode",
                ["Off", "On (large, high contrast)"],
                "On (large, high contrast)" if current.projector else "Off",
                "projector",
            ),
        ]
        # Rows 50 px apart fit a 720 px window; a shorter one (or projector mode's
        # large scale) packs them closer, so Apply and Back stay on screen.
        room = app.size[1] - top - self.px(84) - self.px(6 + 46 + 20)
        gap = max(self.px(36), min(self.px(50), room // len(rows)))
        row_h = min(self.px(40), gap - self.px(4))
        control = pygame.Rect(left + label_w, 0, panel_w - label_w, row_h)
        self.controls: dict[str, UIDropDownMenu] = {}
        for index, (text, options, chosen, key) in enumerate(rows):
            y = top + self.px(84) + index * gap
            label(self, pygame.Rect(left, y, label_w, row_h), text)
            self.controls[key] = UIDropDownMenu(
                options, chosen, control.move(0, y), app.ui, container=self.root
            )
        y = top + self.px(84) + len(rows) * gap + self.px(6)
        self.menu = Menu(vertical=False)
        self.menu.add(
            button(self, pygame.Rect(left, y, self.px(180), self.px(46)), "Apply", "primary"),
            self.apply,
        )
        self.menu.add(
            button(self, pygame.Rect(left + self.px(196), y, self.px(180), self.px(46)), "Back"),
            self.app.pop,
            pygame.K_ESCAPE,
        )
        self.keys = list(self.controls)
        self.row = -1

    @staticmethod
    def _labels(key: str) -> list[str]:
        return [LABELS[key][c] for c in settings_module.choices(key)]

    def _value(self, key: str) -> str:
        return self.controls[key].selected_option[0]

    def chosen(self) -> Settings:
        def back(key: str) -> str:
            text = self._value(key)
            return next(k for k, v in LABELS[key].items() if v == text)

        width, height = (int(n) for n in self._value("size").split("×"))
        return Settings(
            width=width,
            height=height,
            fullscreen=self._value("fullscreen") == "On",
            ui_scale=int(self._value("ui_scale").rstrip("%")),
            palette=back("palette"),
            animation_speed=back("animation_speed"),
            ai_difficulty=back("ai_difficulty"),
            language=back("language"),
            projector=self._value("projector") != "Off",
        ).normalised()

    def apply(self) -> None:
        self.app.apply_settings(self.chosen())

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_UP, pygame.K_DOWN):
            step = 1 if event.key == pygame.K_DOWN else -1
            self.row = max(0, min(len(self.keys) - 1, self.row + step))
            return True
        if (
            event.type == pygame.KEYDOWN
            and event.key in (pygame.K_LEFT, pygame.K_RIGHT)
            and self.row >= 0
        ):
            self._cycle(self.keys[self.row], 1 if event.key == pygame.K_RIGHT else -1)
            return True
        return self.menu.handle(event)

    def _cycle(self, key: str, step: int) -> None:
        """Change a setting from the keyboard by rebuilding its drop-down."""
        old = self.controls[key]
        options = [o[0] for o in old.options_list]
        index = (options.index(old.selected_option[0]) + step) % len(options)
        rect = old.relative_rect
        old.kill()
        self.controls[key] = UIDropDownMenu(
            options, options[index], rect, self.app.ui, container=self.root
        )

    def draw(self, surface: pygame.Surface) -> None:
        if self.row >= 0:
            rect = self.controls[self.keys[self.row]].rect.inflate(self.px(8), self.px(8))
            pygame.draw.rect(surface, self.style["focus"], rect, self.px(2), self.px(8))

    def demo_step(self) -> None:
        self.app.pop()


# ------------------------------------------------------------------ load


class LoadScene(Scene):
    name = "load"

    def build(self) -> None:
        width, height = self.app.size
        margin = self.px(60)
        inner = min(width - 2 * margin, self.px(1100))
        left = (width - inner) // 2
        label(self, pygame.Rect(left, margin, inner, self.px(44)), "Load a game", "heading")
        self.infos = self.app.saves.listing()
        rows = []
        for info in self.infos:
            kind = "autosave" if info.autosave else "save"
            when = info.saved_at.replace("T", " ")[:16]
            if info.error:
                rows.append(f"! {info.name}: cannot be loaded")
            else:
                state = f"turn {info.turn}" + (f", {info.outcome}" if info.outcome else "")
                rows.append(f"{info.name} — {info.scenario}, {state} · {kind} · {when}")
        list_top = margin + self.px(56)
        list_h = height - list_top - margin - self.px(120)
        self.list = UISelectionList(
            pygame.Rect(left, list_top, inner, list_h), rows, self.app.ui, container=self.root
        )
        self.detail = label(
            self,
            pygame.Rect(left, list_top + list_h + self.px(8), inner, self.px(34)),
            "No saves yet." if not rows else f"Saves are kept in {self.app.saves.folder.name}/.",
            "subtle",
        )
        y = height - margin - self.px(46)
        self.menu = Menu(vertical=False)
        self.menu.add(
            button(self, pygame.Rect(left, y, self.px(180), self.px(46)), "Load", "primary"),
            self.load,
        )
        self.menu.add(
            button(self, pygame.Rect(left + self.px(196), y, self.px(180), self.px(46)), "Back"),
            self.app.pop,
            pygame.K_ESCAPE,
        )
        self.picker = Picker(self.list, self._show, self.load)
        self.picker.select(0)

    @property
    def selected(self) -> int:
        return self.picker.selected

    def _show(self) -> None:
        if self.selected >= 0:
            info = self.infos[self.selected]
            self.detail.set_text(info.error or info.path.name)

    def handle(self, event: pygame.event.Event) -> bool:
        return self.picker.handle(event) or self.menu.handle(event)

    def load(self) -> None:
        if self.selected < 0:
            return
        info = self.infos[self.selected]
        try:
            match = load_match(info.path)
        except SaveError as error:
            self.detail.set_text(f"Cannot load: {error}")
            return
        self.app.open("open-match", match)

    def demo_step(self) -> None:
        self.app.pop()


# ------------------------------------------------------------------ in-game menus


class PauseScene(Scene):
    """Esc on the board: resume, save, load, settings, help, quit to title."""

    name = "menu"
    overlay = True

    def __init__(self, app, board):
        super().__init__(app)
        self.board = board

    def build(self) -> None:
        width, height = self.app.size
        w, h = self.px(360), self.px(400)
        self.panel = UIPanel(
            pygame.Rect((width - w) // 2, (height - h) // 2, w, h),
            manager=self.app.ui,
            container=self.root,
        )
        x = (width - self.px(300)) // 2
        y = (height - h) // 2 + self.px(24)
        self.menu = Menu()
        entries = [
            ("Resume", self.app.pop, pygame.K_ESCAPE),
            ("Save game", self.save, pygame.K_s),
            ("Load", lambda: self.app.push(LoadScene(self.app)), pygame.K_l),
            ("Settings", lambda: self.app.push(SettingsScene(self.app)), None),
            ("How to play", lambda: self.app.push(HowToPlayScene(self.app)), pygame.K_h),
            ("Quit to title", self.quit_to_title, pygame.K_q),
        ]
        for index, (text, action, key) in enumerate(entries):
            rect = pygame.Rect(x, y + index * self.px(58), self.px(300), self.px(46))
            self.menu.add(button(self, rect, text, "menu"), action, key)

    def save(self) -> None:
        self.app.replace(SaveDialog(self.app, self.board))

    def quit_to_title(self) -> None:
        self.app.reset("title")

    def handle(self, event: pygame.event.Event) -> bool:
        return self.menu.handle(event)

    def demo_step(self) -> None:
        self.app.pop()


class SaveDialog(Scene):
    """Name a save slot and write it."""

    name = "save"
    overlay = True
    enter_submits = True

    def __init__(self, app, board):
        super().__init__(app)
        self.board = board

    def build(self) -> None:
        width, height = self.app.size
        w, h = self.px(560), self.px(230)
        left, top = (width - w) // 2, (height - h) // 2
        UIPanel(pygame.Rect(left, top, w, h), manager=self.app.ui, container=self.root)
        pad = self.px(24)
        label(
            self,
            pygame.Rect(left + pad, top + pad, w - 2 * pad, self.px(42)),
            "Save game",
            "heading",
        )
        match = self.board.match
        default = f"{match.scenario.title} turn {match.state.turn}"
        self.entry = UITextEntryLine(
            pygame.Rect(left + pad, top + pad + self.px(48), w - 2 * pad, self.px(44)),
            self.app.ui,
            container=self.root,
            initial_text=default,
        )
        self.entry.set_text_length_limit(48)
        self.app.focus(self.entry)
        self.status = label(
            self,
            pygame.Rect(left + pad, top + pad + self.px(98), w - 2 * pad, self.px(28)),
            "Enter saves · Esc twice cancels",
            "subtle",
        )
        y = top + h - pad - self.px(44)
        self.menu = Menu(vertical=False)
        self.menu.add(
            button(self, pygame.Rect(left + pad, y, self.px(150), self.px(44)), "Save", "primary"),
            self.save,
        )
        self.menu.add(
            button(
                self, pygame.Rect(left + pad + self.px(166), y, self.px(150), self.px(44)), "Cancel"
            ),
            self.app.pop,
        )

    def save(self) -> None:
        name = self.entry.get_text().strip() or "save"
        try:
            path = self.app.saves.save(self.board.match, name)
        except SaveError as error:
            # The disk's reason, when there is one: the file name would push it out of
            # the dialog, and the board's header names the folder.
            self.status.set_text(f"Cannot save: {error.reason or error}")
            return
        self.board.toast(f"Saved as “{name}” ({path.name})")
        self.app.pop()

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.pop()
            return True
        return self.menu.handle(event)

    def demo_step(self) -> None:
        self.save()
