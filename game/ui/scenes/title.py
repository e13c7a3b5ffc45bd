"""The title screen: continue, new game, load, settings, how to play, quit."""

from __future__ import annotations

import math

import pygame

from game.session.saves import SaveError, load_match
from game.ui.app import Scene
from game.ui.widgets import Menu, button, label

# A decorative network drawn behind the menu: (x, y) in 0..1 and the links.
NODES = ((0.62, 0.30), (0.80, 0.22), (0.90, 0.48), (0.72, 0.62), (0.56, 0.55), (0.84, 0.78))
LINKS = ((0, 1), (1, 2), (2, 3), (3, 4), (4, 0), (3, 5), (2, 5), (0, 3))
#: Below this logical height the title screen uses its compact layout.
COMPACT_BELOW = 640


class TitleScene(Scene):
    name = "title"

    def build(self) -> None:
        app = self.app
        width, height = app.size
        left = self.px(96)
        # A short window (or a large UI scale, as in projector mode) gets a compact
        # title, so the whole menu and its hint line still fit.
        self.compact = height < self.px(COMPACT_BELOW)
        if self.compact:
            top, item, gap = self.px(170), pygame.Rect(left, 0, self.px(320), self.px(44)), 52
        else:
            top = max(self.px(250), height // 2 - self.px(90))
            item, gap = pygame.Rect(left, 0, self.px(320), self.px(48)), 58
        item.top = top
        gap = self.px(gap)
        self.menu = Menu()
        resumable = app.saves.to_continue()
        self.continue_info = (
            "" if resumable is None else f"{resumable.scenario}, turn {resumable.turn}"
        )
        entries = [
            ("Continue", self.continue_game, pygame.K_c, bool(self.continue_info)),
            ("New game", self.new_game, pygame.K_n, True),
            ("Load", self.load, pygame.K_l, True),
            ("Settings", self.settings, pygame.K_s, True),
            ("How to play", self.how_to_play, pygame.K_h, True),
            ("Quit", lambda: app.quit(0), pygame.K_q, True),
        ]
        for index, (text, action, key, enabled) in enumerate(entries):
            widget = button(self, item.move(0, index * gap), text, "menu")
            if not enabled:
                widget.disable()
            self.menu.add(widget, action, key)
        self.menu.focus(0 if self.continue_info else 1)
        if self.continue_info:
            label(
                self,
                pygame.Rect(left + self.px(332), top, self.px(420), self.px(48)),
                self.continue_info,
                "subtle",
            )
        hint = "Up/Down choose · Enter open · C N L S H Q shortcuts · F11 full screen"
        line = pygame.Rect(left, height - self.px(56), width - 2 * left, self.px(30))
        if app.notice and self.compact:
            label(self, line, app.notice, "subtle")  # no room for both: the notice matters now
        else:
            label(self, line, hint, "subtle")
            if app.notice:
                below_menu = line.move(0, top + 6 * gap + self.px(8) - line.top)
                label(self, below_menu, app.notice, "subtle")
        app.notice = ""

    def draw(self, surface: pygame.Surface) -> None:
        style, (width, height) = self.style, self.app.size
        points = [(int(x * width), int(y * height)) for x, y in NODES]
        for a, b in LINKS:
            pygame.draw.line(surface, style["panel_border"], points[a], points[b], self.px(3))
        for index, point in enumerate(points):
            radius = self.px(10 + 4 * math.sin(index * 1.7) ** 2)
            pygame.draw.circle(surface, style["card_selected"], point, radius + self.px(6))
            pygame.draw.circle(surface, style["accent"], point, radius)
        size, y = (64, self.px(30)) if self.compact else (84, self.px(70))
        title = style.text("ENVOY", size, "text", bold=True)
        surface.blit(title, (self.px(90), y))
        tagline = style.text("A game of crisis diplomacy", 24, "muted")
        surface.blit(tagline, (self.px(96), y + title.get_height()))

    def handle(self, event: pygame.event.Event) -> bool:
        if self.menu.handle(event):
            return True
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.quit(0)
            return True
        return False

    # Actions ----------------------------------------------------------------------
    def continue_game(self) -> None:
        resumable = self.app.saves.to_continue()
        if resumable is None:
            return
        try:
            match = load_match(resumable.path)
        except SaveError as error:
            self.app.notice = str(error)
            self.relayout()
            return
        self.app.open("open-match", match)

    def new_game(self) -> None:
        self.app.push("scenarios")

    def load(self) -> None:
        self.app.push("load")

    def settings(self) -> None:
        self.app.push("settings")

    def how_to_play(self) -> None:
        self.app.push("howto")

    def demo_step(self) -> None:
        demo = self.app.demo
        seen = self.app.shots
        if demo.screenshots is not None and "howto" not in seen:
            self.how_to_play()
        elif demo.screenshots is not None and "settings" not in seen:
            self.settings()
        elif demo.screenshots is not None and "load" not in seen:
            self.load()
        else:
            self.new_game()
