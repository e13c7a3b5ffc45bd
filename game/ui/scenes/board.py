"""The board: the relations map, the move cards and the log of a :class:`Table`.

The board is view code. The table (``game.session.table``) knows the game at
this computer: the seat shown, the cards, the AI's thinking, the timer, the
playback of a resolution. The board lays out the screen, draws the table with
:class:`~game.ui.render.board.BoardPainter`, turns keys and clicks into the
table's calls, and opens the screens the table's state asks for (a hand-off, a
decision, the resolution). AI seats think in slices of the frame budget from
:meth:`BoardScene.update`, so the window stays live while they do.
"""

from __future__ import annotations

import time

import pygame
import pygame_gui

from game.engine.actions import Decide
from game.session.match import Match
from game.session.table import THINK_SECONDS, Acted, Card, Table
from game.ui.app import Scene
from game.ui.render.board import BoardPainter
from game.ui.render.map import hit, map_layout
from game.ui.widgets import button

# Wakes the idle loop once a second while a turn timer runs, so the clock on screen
# moves without drawing sixty frames a second.
CLOCK_TICK = pygame.event.custom_type()
COVERED = "covered"  # the timer's hold while another screen is over the board


def open_match(app, match: Match, briefing: bool = False) -> None:
    """Start showing a match: its briefing first if asked, then the board."""
    # A save folder that refuses writes turns saves off, not the game: the board
    # shows app.saves.problem for as long as writes fail.
    match.on_turn_start = app.saves.try_autosave
    if match.state.step == 0 or (briefing and not match.actions):
        app.saves.try_autosave(match)
    if match.over:
        app.reset("debrief", match)
        return
    if briefing:
        humans = [seat.envoy for seat in match.seats if seat.is_human]
        # A class reads the situation together; each team's agenda comes after its hand-off.
        private = humans[0] if humans and not match.hot_seat else None
        app.push("briefing", match, private)
        return
    app.reset(BoardScene(app, match))


class BoardScene(Scene):
    name = "board"

    def __init__(self, app, match: Match, table: Table | None = None):
        super().__init__(app)
        self.table = table or Table(match, save=app.saves.try_autosave, lang=app.settings.language)
        self.match = self.table.match
        self.painter = BoardPainter(self)
        self.clock_shown = -1
        self.ticking = False  # the once-a-second wake-up for the timer is set
        self.card_scroll = 0
        self._detail_scroll: tuple[str, int] = ("", 0)  # the move detailed, and how far down
        self.focus: tuple[str, int] | None = None
        self.hover: tuple[str, int] | None = None
        self.log_index = -1  # -1: follow the newest entry
        self.toast_text = ""
        self.toast_until = 0.0
        self.save_warning = app.saves.problem  # why saves are off; "" while they work
        self.shown_tension = [float(v) for v in match.state.tension]
        self.shown_trust = [float(v) for v in match.state.trust]
        self.dirty = True
        self.canvas: pygame.Surface | None = None
        self.regions: dict[str, pygame.Rect] = {}

    # What the table says, as the other screens and the tests read it ---------------------
    @property
    def cards(self) -> list[Card]:
        return self.table.cards

    @property
    def selected(self) -> int:
        return self.table.selected

    @selected.setter
    def selected(self, index: int) -> None:
        self.table.select(index)
        self._changed()

    @property
    def hand(self) -> str | None:
        return self.table.hand

    @property
    def human_turn(self) -> bool:
        return self.table.human_turn

    @property
    def viewer(self) -> str | None:
        return self.table.viewer

    @property
    def advice(self) -> str:
        return self.table.advice

    def current_card(self) -> Card | None:
        return self.table.current_card()

    def log_entries(self):
        return self.table.log_entries()

    def take_seat(self, envoy: str) -> None:
        """The team at the computer is now ``envoy``'s (after the hand-off screen)."""
        self.table.take_seat(envoy)
        self.log_index = -1
        self.focus = self.hover = None
        if self.root is not None:  # another team's cards, perhaps with longer details
            self.regions = self.painter.lay_out(self.app.size)
        self._changed()

    # Layout -------------------------------------------------------------------
    def build(self) -> None:
        self.table.lang = self.app.settings.language  # the Settings may have changed it
        self.regions = self.painter.lay_out(self.app.size)
        for name, (rect, label, kind, tip) in self.painter.button_places().items():
            setattr(self, f"{name}_button", button(self, rect, label, kind, tip))
        self._buttons_state()
        self.dirty = True

    def _buttons_state(self) -> None:
        if self.root is None or self.play_button is None:
            return
        mine = self.table.human_turn
        for widget in (self.end_button, self.advice_button):
            widget.enable() if mine else widget.disable()
        card = self.table.current_card()
        if mine and card is not None and card.action is not None:
            self.play_button.enable()
        else:
            self.play_button.disable()

    def _changed(self) -> None:
        self._buttons_state()
        self.dirty = True

    # Acting -------------------------------------------------------------------
    def refresh(self) -> None:
        """Rebuild the cards from the engine after a change made outside the table."""
        self.table.refresh()
        self._changed()

    def toast(self, text: str, seconds: float = 3.0) -> None:
        self.toast_text = text
        self.toast_until = time.perf_counter() + seconds
        self.dirty = True

    def card_preview(self, card: Card):
        return self.table.preview(card)

    def act(self, action) -> None:
        """Send one action through the table and show what it caused."""
        self.acted(self.table.act(action))

    def acted(self, acted: Acted | None) -> None:
        if acted is None:
            return
        if acted.problem:
            self.toast(acted.problem)
            return
        self.log_index = -1
        self._changed()
        if acted.resolved is not None:
            self.app.push("resolution", self, acted.resolved)
        else:
            self.sync_meters()
            # A chosen card moves the selection on, perhaps below the list's edge:
            # the card the details describe must be one the player can see.
            if self.root is not None and "cards" in self.regions:
                self._scroll_to_selected()

    def sync_meters(self) -> None:
        state = self.table.view()
        self.shown_tension = [float(v) for v in state.tension]
        self.shown_trust = [float(v) for v in state.trust]
        self.dirty = True

    def choose_selected(self) -> None:
        self.acted(self.table.choose_selected())

    def withdraw_last(self) -> None:
        self.acted(self.table.withdraw_last())

    def end_turn(self, ask: bool = True) -> None:
        """End the human seat's turn, after its reflection prompt if the class uses them."""
        if not self.table.human_turn:
            return
        envoy = self.table.hand
        prompt = self.table.reflection_due() if ask else ""
        if prompt:
            self.app.push("reflection", self, envoy, prompt)
            return
        self.commit_end(envoy)

    def commit_end(self, envoy: str) -> None:
        self.acted(self.table.end_turn(envoy))

    def decide(self, envoy: str, option: str) -> None:
        self.acted(self.table.act(Decide(envoy, option)))

    # The facilitator ----------------------------------------------------------------
    def open_facilitator(self) -> None:
        self.app.open("open-facilitator", self)

    def facilitate(self, action) -> str:
        """Apply a facilitator's action; returns a problem to show, or ""."""
        problem, done = self.table.facilitate(action)
        if not problem:
            self._after_facilitator(done)
        return problem

    def undo_turn(self, reason: str) -> str:
        problem, done = self.table.undo_turn(reason)
        if not problem:
            self._after_facilitator(done)
        return problem

    def _after_facilitator(self, done: str) -> None:
        self.log_index = -1
        self._changed()
        self.sync_meters()
        self.toast(done, 5)

    # The advisory turn timer ----------------------------------------------------------
    @property
    def turn_clock(self) -> float:
        """Seconds the seat at the computer has spent on this turn."""
        return self.table.timer.seconds

    def clock_text(self) -> tuple[str, str]:
        return self.table.clock_text()

    def _tick_clock(self) -> None:
        out_of_time = self.table.tick()
        running = self.table.timer.since is not None
        self._wake_every_second(running)
        shown = int(self.table.timer.seconds)
        if shown != self.clock_shown:
            self.clock_shown = shown
            self.dirty = True
        if out_of_time:
            self.toast("Time is up: the turn passes on.")
            self.end_turn(ask=False)

    def _wake_every_second(self, on: bool) -> None:
        if on != self.ticking:
            pygame.time.set_timer(CLOCK_TICK, 1000 if on else 0)
            self.ticking = on

    def pause(self) -> None:
        super().pause()
        self.table.timer.hold(COVERED)  # a dialog over the board stops the team's clock

    def close(self) -> None:
        self._wake_every_second(False)
        super().close()

    # The advisor ----------------------------------------------------------------------
    def ask_advisor(self) -> None:
        self.table.ask_advisor()
        self.dirty = True

    # Frame --------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return (
            self.table.thinking is not None
            or self.table.ai_to_move
            or time.perf_counter() < self.toast_until
        )

    def update(self, dt: float) -> None:
        if self.toast_text and time.perf_counter() >= self.toast_until:
            self.toast_text = ""
            self.dirty = True
        if self.app.saves.problem != self.save_warning:
            self.save_warning = self.app.saves.problem
            self.dirty = True
        if self.app.scene is not self:
            return
        table = self.table
        handoff = table.handing_off
        if handoff is not None:
            self.app.push("handoff", self, handoff)
            return
        self._tick_clock()
        if self.app.scene is not self:
            return
        if table.decision_pending():
            self.app.push("decision", self)
            return
        if table.thinking is None and table.ai_to_move:
            demo = self.app.demo
            pace = demo.seconds_per_screen / 2 if demo else self.app.settings.animation_seconds
            if not table.wait_for_ai(dt, pace):
                return
            self.dirty = True
        if table.thinking is not None:
            advising = table.thinking_for[0] == "advice"
            acted = table.think(time.perf_counter() + THINK_SECONDS)
            if table.thinking is None:
                self.dirty = True
                if advising:
                    self._scroll_to_selected()
                    self._buttons_state()
            self.acted(acted)

    def draw(self, surface: pygame.Surface) -> None:
        if self.dirty or self.canvas is None or self.canvas.get_size() != surface.get_size():
            self.render()
        surface.blit(self.canvas, (0, 0))

    def render(self) -> None:
        self.dirty = False
        if self.canvas is None or self.canvas.get_size() != self.app.size:
            self.canvas = pygame.Surface(self.app.size)
        self.painter.render(self.canvas)

    # Where things are: drawing and clicks ask the painter alike -------------------------
    def card_layout(self):
        return self.painter.card_layout()

    @property
    def cards_area(self) -> pygame.Rect:
        return self.card_layout()[0]

    @property
    def card_rects(self) -> list[tuple[int, pygame.Rect]]:
        return self.card_layout()[1]

    def log_layout(self, entries):
        return self.painter.log_layout(entries)

    # Input --------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            return self._pressed(event.ui_element)
        if event.type == pygame.MOUSEMOTION:
            self._hover_card(event.pos)
            spot = self._map_hit(event.pos) if self.regions["map"].collidepoint(event.pos) else None
            if spot != self.hover:
                self.hover = spot
                self.dirty = True
            return False
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            return self._click(event.pos)
        if event.type == pygame.MOUSEWHEEL:
            return self._wheel(event.y)
        if event.type == pygame.KEYDOWN:
            return self._key(event)
        return False

    def _pressed(self, element) -> bool:
        actions = {
            self.play_button: self.choose_selected,
            self.end_button: self.end_turn,
            self.advice_button: self.ask_advisor,
            self.menu_button: self.open_menu,
            self.save_button: self.open_save,
            self.help_button: self.open_help,
        }
        action = actions.get(element)
        if action is None:
            return False
        action()
        return True

    def _card_at(self, pos) -> int | None:
        area, boxes = self.card_layout()
        if area.collidepoint(pos):
            for index, box in boxes:
                if box.collidepoint(pos):
                    return index
        return None

    def _hover_card(self, pos) -> None:
        """The card under the pointer becomes the selected one, so the focus ring and the
        details below the map always show one card, whether the mouse or the keys chose."""
        index = self._card_at(pos)
        if index is not None and index != self.table.selected:
            self.table.select(index)
            self._changed()

    def _click_drafts(self, pos) -> bool:
        """A click on the drafts' chip opens or closes them; on an option, highlights
        it, and on the highlighted one, amends the draft to it."""
        chip = self.painter.drafts_chip()
        if chip is not None and chip[0].collidepoint(pos):
            self.toggle_drafts()
            return True
        if not self.table.shows_drafts:
            return False
        for row, option, box, highlighted, _ in self.painter.drafts_layout()[1]:
            if box.collidepoint(pos):
                if highlighted:
                    self.amend_highlighted()
                else:
                    self.table.point_draft(row, option)
                self.dirty = True
                return True
        return False

    def _click(self, pos) -> bool:
        if self._click_drafts(pos):
            return True
        index = self._card_at(pos)
        if index is not None:
            box = dict(self.card_layout()[1])[index]
            card = self.table.cards[index]
            if index == self.table.selected and len(card.plays) > 1:
                self.table.turn_target(-1 if pos[0] < box.centerx - box.width // 4 else 1)
            self.table.select(index)
            self.table.log_asked = False
            self._changed()
            return True
        for index, line_rect in self.log_layout(self.log_entries()):
            if line_rect.collidepoint(pos):
                self.log_index = index
                self.dirty = True
                return True
        if self.regions["map"].collidepoint(pos):
            self.focus = self._map_hit(pos)
            self.dirty = True
            return True
        return False

    def _map_hit(self, pos) -> tuple[str, int] | None:
        nodes, edges = map_layout(self.match.scenario, self.regions["map"], self.style)
        return hit(pos, nodes, edges, self.px(30))

    def _wheel(self, amount: int) -> bool:
        pos = pygame.mouse.get_pos()
        if self.regions["cards"].collidepoint(pos):
            self._scroll_cards(-amount * self.px(60))
            return True
        if self.regions["log"].collidepoint(pos):
            if not self._scroll_details(-amount):
                self._move_log(-amount)
            return True
        return False

    @property
    def detail_scroll(self) -> int:
        """How far the selected move's details are scrolled: from their top for each move."""
        card = self.table.current_card()
        move, offset = self._detail_scroll
        return offset if card is not None and card.move.id == move else 0

    def _scroll_details(self, steps: int) -> bool:
        """Scroll the move's details by ``steps`` lines; False when they fit whole, or
        the log is shown, so the key or the wheel keeps its other use."""
        card = self.table.current_card()
        if card is None or self.table.shows_log:
            return False
        total, step = self.painter.details_scroll_range(card)
        if not total:
            return False
        offset = max(0, min(total, self.detail_scroll + steps * step))
        # Never rest between the last lines: the bottom line shows whole.
        if steps > 0 and offset < total and total - offset < step:
            offset = total
        self._detail_scroll = (card.move.id, offset)
        self.dirty = True
        return True

    def _page(self, step: int) -> None:
        """PgUp/PgDn: the move's details, where they are longer than their panel; else
        the log's entries."""
        if self.table.shows_drafts:
            return
        if not self._scroll_details(step * 3):
            self._move_log(step)

    def _scroll_cards(self, delta: int) -> None:
        area = self.cards_area
        total = self.painter.cards_height()
        self.card_scroll = max(0, min(max(0, total - area.height), self.card_scroll + delta))
        self.dirty = True

    def _scroll_to_selected(self) -> None:
        area = self.cards_area
        spans = self.painter.card_spans()
        if not 0 <= self.table.selected < len(spans):
            return
        top, height = spans[self.table.selected]
        if top < self.card_scroll:
            self.card_scroll = top
        elif top + height > self.card_scroll + area.height:
            self.card_scroll = top + height - area.height
        self.dirty = True

    def _move_log(self, step: int) -> None:
        self.table.log_asked = True
        entries = self.log_entries()
        if not entries:
            return
        current = self.log_index if self.log_index >= 0 else len(entries)
        self.log_index = max(0, min(len(entries) - 1, current + step))
        self.dirty = True

    def _key(self, event) -> bool:
        key, mod = event.key, event.mod
        if key == pygame.K_s and mod & pygame.KMOD_CTRL:
            self.open_save()
            return True
        if key == pygame.K_TAB:
            self._cycle_focus(-1 if mod & pygame.KMOD_SHIFT else 1)
            return True
        keys = self._draft_keys() if self.table.shows_drafts else {}
        action = keys.get(key) or self._keys().get(key)
        if action is None:
            return False
        action()
        self.dirty = True
        return True

    def _keys(self) -> dict:
        """The board's keys (besides Ctrl+S and Tab) and what each does."""
        return {
            pygame.K_ESCAPE: self._escape,
            pygame.K_F1: self.open_help,
            pygame.K_F9: self.open_facilitator,
            pygame.K_UP: lambda: self._select_by_key(-1),
            pygame.K_DOWN: lambda: self._select_by_key(1),
            pygame.K_LEFT: lambda: self.table.turn_target(-1),
            pygame.K_RIGHT: lambda: self.table.turn_target(1),
            pygame.K_RETURN: self.choose_selected,
            pygame.K_KP_ENTER: self.choose_selected,
            pygame.K_BACKSPACE: self.withdraw_last,
            pygame.K_DELETE: self.withdraw_last,
            pygame.K_w: self.withdraw_last,
            pygame.K_e: self.end_turn,
            pygame.K_a: self._advisor_key,
            pygame.K_l: self._toggle_log,
            pygame.K_d: self.toggle_drafts,
            pygame.K_PAGEUP: lambda: self._page(-1),
            pygame.K_PAGEDOWN: lambda: self._page(1),
            pygame.K_HOME: lambda: self._log_to(0),
            pygame.K_END: lambda: self._log_to(-1),
        }

    def _draft_keys(self) -> dict:
        """The keys that work the drafts panel while it shows, over the board's own."""
        return {
            pygame.K_ESCAPE: self.toggle_drafts,
            pygame.K_UP: lambda: self.table.move_draft_row(-1),
            pygame.K_DOWN: lambda: self.table.move_draft_row(1),
            pygame.K_LEFT: lambda: self.table.move_draft_option(-1),
            pygame.K_RIGHT: lambda: self.table.move_draft_option(1),
            pygame.K_RETURN: self.amend_highlighted,
            pygame.K_KP_ENTER: self.amend_highlighted,
        }

    def toggle_drafts(self) -> None:
        """D: the panel below the map shows the drafts, or goes back to what it showed."""
        self.table.toggle_drafts()
        self._lay_out()

    def _lay_out(self) -> None:
        """The regions again: the drafts may take more of the map's room than a move's
        details do, and give it back."""
        if self.root is not None:
            self.regions = self.painter.lay_out(self.app.size)
        self.dirty = True

    def amend_highlighted(self) -> None:
        """Enter on the drafts: amend to the highlighted option; a refusal is said in
        the panel itself, not in a toast."""
        acted = self.table.amend_highlighted()
        if acted is not None and not acted.problem:
            self.acted(acted)
        self.dirty = True

    def _escape(self) -> None:
        """Esc lets go of the map's focus, the log's entry and the log itself first."""
        if self.focus is not None or self.log_index >= 0 or self.table.log_asked:
            self.focus, self.log_index = None, -1
            self.table.log_asked = False
        else:
            self.open_menu()

    def _select_by_key(self, step: int) -> None:
        if self.table.cards:
            self.table.move_selection(step)
            self.table.log_asked = False
            self._scroll_to_selected()
            self._changed()

    def _advisor_key(self) -> None:
        # A asks the advisor; once it has answered, A takes its advice (an amendment's
        # in the drafts, which then show, with the option to amend to highlighted).
        shown = self.table.shows_drafts
        if not self.table.accept_advice():
            self.ask_advisor()
        elif self.table.shows_drafts != shown:
            self._lay_out()
        else:
            self._changed()

    def _toggle_log(self) -> None:
        if self.table.shows_drafts:  # L from the drafts goes to the log
            self.table.drafts_asked = False
            self.table.log_asked = True
            self._lay_out()
            return
        self.table.log_asked = not self.table.log_asked

    def _log_to(self, index: int) -> None:
        self.table.log_asked = True
        self.log_index = index

    def _cycle_focus(self, step: int) -> None:
        self.focus = self.table.next_spot(self.focus, step)
        self.dirty = True

    def open_menu(self) -> None:
        self.app.push("menu", self)

    def open_save(self) -> None:
        self.app.push("save", self)

    def open_help(self) -> None:
        self.app.push("howto")

    def resume(self) -> None:
        super().resume()
        self.table.timer.release(COVERED)
        self.refresh()
        if self.table.playback is None:
            self.sync_meters()

    def key_of(self) -> str:
        return "board"

    def demo_step(self) -> None:
        """An AI-only demo plays itself; a demo with a human seat takes the advisor's pick."""
        if self.table.human_turn:
            self.end_turn()


__all__ = ["BoardScene", "open_match"]
