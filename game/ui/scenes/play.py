"""Scenes over the board: the resolution playback and decision cards."""

from __future__ import annotations

import pygame
import pygame_gui

from game.engine.actions import Decide
from game.engine.meters import change_tone
from game.engine.rules import apply
from game.session import narrate
from game.ui.app import Scene
from game.ui.widgets import (
    Menu,
    button,
    escape,
    fit_button_text,
    heading,
    plain,
    scaled,
    text_box,
)

#: The palette colour of a change that is good, neither, or bad for the crisis.
TONES = {1: "good", 0: "muted", -1: "bad"}


def palette_hex(style, name: str) -> str:
    """A palette colour as the widgets' markup writes it."""
    return "#" + "".join(f"{part:02x}" for part in tuple(style[name])[:3])


class ResolutionScene(Scene):
    """Outcomes told one by one, with the map's meters moving to their new values.

    The table's playback is the cursor: the board behind draws the log, the header
    and the meters as of the beat on screen, so no line tells what comes later.
    """

    name = "resolution"
    overlay = True
    shade = False

    def __init__(self, app, board, entries=()):
        super().__init__(app)
        self.board = board
        self.table = board.table
        playback = self.table.playback
        self.beats = playback.beats if playback is not None else []
        self.turn = playback.turn if playback is not None else board.match.state.turn
        self.clock = 0.0
        self.anim = 0.0
        self.start = ([], [])
        self.goal = ([], [])
        self._aim()

    @property
    def index(self) -> int:
        playback = self.table.playback
        return playback.index if playback is not None else len(self.beats)

    # Playback ---------------------------------------------------------------------------------
    def next_beat(self) -> None:
        self.table.advance()
        self._aim()

    def _aim(self) -> None:
        """Start the meters moving to their values as of the beat now told."""
        self.clock = 0.0
        if self.table.playback is None or self.table.playback.done:
            self.finish()
            return
        board = self.board
        state = self.table.view()
        self.start = (list(board.shown_tension), list(board.shown_trust))
        self.goal = ([float(v) for v in state.tension], [float(v) for v in state.trust])
        self.anim = 0.0
        board.dirty = True
        self._show()

    def finish(self) -> None:
        board = self.board
        if self.table.playback is not None:
            self.table.end_playback()
        board.sync_meters()
        app = self.app
        if self in app.stack:
            app.pop()
        if board.match.over:
            app.reset("debrief", board.match)

    def skip(self) -> None:
        self.finish()

    @property
    def seconds(self) -> float:
        seconds = self.app.settings.animation_seconds
        if self.app.demo is not None:  # a demo's pace is set by its seconds per screen
            seconds = min(seconds, self.app.demo.seconds_per_screen / 2)
        return seconds

    @property
    def busy(self) -> bool:
        return self.anim < 1.0 or self.app.demo is not None

    def update(self, dt: float) -> None:
        if self.anim < 1.0:
            self.anim = 1.0 if self.seconds <= 0 else min(1.0, self.anim + dt / self.seconds)
            ease = 1 - (1 - self.anim) ** 3
            for shown, start, goal in (
                (self.board.shown_tension, self.start[0], self.goal[0]),
                (self.board.shown_trust, self.start[1], self.goal[1]),
            ):
                for i in range(min(len(shown), len(start), len(goal))):
                    shown[i] = start[i] + (goal[i] - start[i]) * ease
            self.board.dirty = True
        if self.app.demo is not None:
            self.clock += dt
            if self.anim >= 1.0 and self.clock >= self.app.demo.seconds_per_screen / 2:
                self.next_beat()

    # Layout -------------------------------------------------------------------------------------
    def build(self) -> None:
        rect = self.board.regions.get("cards") or pygame.Rect((0, 0), self.app.size)
        px = self.px
        area = pygame.Rect(rect.left, rect.top, rect.width, rect.height + px(62))
        self.box = text_box(self, area.inflate(0, -px(60)).move(0, -px(30)), "")
        # The three buttons take the places of the board's three below the cards, so
        # none of the board's shows through between them.
        board = self.board
        if board.root is not None and hasattr(board, "play_button"):
            spots = [
                widget.relative_rect.copy()
                for widget in (board.play_button, board.end_button, board.advice_button)
            ]
        else:  # the board was never laid out: three equal buttons under the box
            third = (area.width - px(16)) // 3
            y = area.bottom - px(50)
            spots = [
                pygame.Rect(area.left + n * (third + px(8)), y, third, px(46)) for n in range(3)
            ]
        self.menu = Menu(vertical=False)
        self.menu.add(button(self, spots[0], "Next (Space)", "primary"), self.next_beat)
        self.menu.add(button(self, spots[1], "Skip all (S)"), self.skip, pygame.K_s)
        self.menu.add(button(self, spots[2], "Why? (W)"), self.toggle_why, pygame.K_w)
        self.why = False
        self._show()

    def toggle_why(self) -> None:
        self.why = not self.why
        self._show()

    def hex(self, name: str) -> str:
        return palette_hex(self.style, name)

    def _show(self) -> None:
        if self.root is None or not (0 <= self.index < len(self.beats)):
            return
        scenario = self.board.match.scenario
        parts = [
            heading(
                f"Turn {self.turn}: what happened",
                4,
            )
        ]
        parts.append(f"<br><font size=3>Step {self.index + 1} of {len(self.beats)}</font><br>")
        faint, warn = self.hex("faint"), self.hex("warn")
        for offset in range(max(0, self.index - 2), self.index):
            parts.append(f"<font color={faint}>{escape(self.beats[offset].headline)}</font><br>")
        beat = self.beats[self.index]
        parts.append(f"<br><b>{escape(beat.headline)}</b><br>")
        for change in beat.changes:
            colour = self.hex(TONES[change_tone(change.meter, change.delta)])
            words = escape(narrate.change(scenario, change, self.lang))
            parts.append(f"<font color={colour}>• {words}</font><br>")
            if self.why:
                parts.append(
                    f"<font size=3 color={warn}>   why: "
                    f"{escape(narrate.why(scenario, change, self.lang))}</font><br>"
                )
        self.box.set_text(scaled(self, "".join(parts)))

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key in (
            pygame.K_SPACE,
            pygame.K_RETURN,
            pygame.K_KP_ENTER,
            pygame.K_RIGHT,
        ):
            self.next_beat()
            return True
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.skip()
            return True
        if (
            event.type == pygame.MOUSEBUTTONDOWN
            and event.button == 1
            and self.board.regions["map"].collidepoint(event.pos)
        ):
            self.next_beat()
            return True
        return self.menu.handle(event)


class DecisionScene(Scene):
    """A decision an event puts to the human seat: the options and what each does."""

    name = "decision"
    overlay = True

    def __init__(self, app, board):
        super().__init__(app)
        self.board = board
        match = board.match
        self.envoy = match.acting_id
        event_index, _ = match.state.decisions[0]
        self.event = match.scenario.events[event_index]
        legal = {a.option: a for a in match.legal(self.envoy) if isinstance(a, Decide)}
        self.options = [o for o in self.event.decision.options if o.id in legal]
        view = match.view(self.envoy)
        self.effects = []
        for option in self.options:
            after, _ = apply(view, legal[option.id])
            self.effects.append(narrate.differences(match.scenario, view, after, self.lang))
        self.selected = 0

    def build(self) -> None:
        width, height = self.app.size
        px = self.px
        w = min(width - px(80), px(1000))
        left = (width - w) // 2
        top = px(70)
        prompt = (
            f"{heading(self.event.title, 5)}<br>{escape(self.event.text)}<br>"
            f"<b>{escape(self.event.decision.prompt)}</b>"
        )
        # A short window (or projector mode's large scale) packs the screen tighter,
        # so the notes under the options keep room for their lines.
        short = height < px(640)
        prompt_h, card_h = (px(150), px(60)) if short else (px(170), px(86))
        text_box(self, pygame.Rect(left, top, w, prompt_h), prompt)
        self.menu = Menu()
        y = top + prompt_h + px(12 if short else 16)
        shortened = False
        for index, option in enumerate(self.options):
            effects = ", ".join(self.effects[index]) or "no visible change"
            text = f"{index + 1}. {plain(option.text)}"
            widget = button(
                self, pygame.Rect(left, y, w, card_h), text, "menu", tip=f"Effects: {effects}"
            )
            # A long option (a large UI scale, a wordy crisis) is cut on its button and
            # given whole in the notes below, so nothing a team must weigh is hidden.
            shortened |= fit_button_text(widget, text, px(16))
            self.menu.add(widget, lambda i=index: self.decide(i), pygame.K_1 + index)
            y += card_h + px(8 if short else 10)
        lines = []
        for i, (option, effects) in enumerate(zip(self.options, self.effects, strict=True)):
            whole = f"{escape(plain(option.text))}<br>" if shortened else ""
            lines.append(
                f"<b>{i + 1}.</b> {whole}<font color={palette_hex(self.style, 'muted')}>"
                f"{escape(', '.join(effects) or 'no visible change')}</font>"
            )
        rows = len(lines) * (2 if shortened else 1)
        self.notes = text_box(
            self,
            pygame.Rect(left, y, w, min(px(40) + px(26) * rows, height - y - px(20))),
            "<br>".join(lines),
        )

    def decide(self, index: int) -> None:
        option = self.options[index]
        board = self.board
        self.app.pop()
        board.decide(self.envoy, option.id)

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            return self.menu.handle(event)
        return self.menu.handle(event)

    def demo_step(self) -> None:
        self.decide(0)
