"""The board: the relations map, the move cards, the log, and the turn running.

The board never computes a rule. It asks the engine for legal actions,
previews and reasons, shows them, and sends the chosen action through the
match. AI seats think in small chunks from :meth:`BoardScene.update`, so the
window stays live while they do.
"""

from __future__ import annotations

import time

import attrs
import pygame
import pygame_gui

from game.ai.agents import TUNING
from game.engine.actions import Decide, End, Play, Withdraw
from game.engine.rules import IllegalAction, preview, why_illegal
from game.engine.state import DECISION
from game.engine.view import ledger_view, public_view
from game.session import narrate
from game.session.match import Match
from game.session.settings import LIMITS
from game.ui.app import Scene
from game.ui.render.map import draw_map, hit, map_layout
from game.ui.style import has_khmer
from game.ui.widgets import button, shorten

# Seconds of AI thinking in one frame (difficulty.yaml: search.frame_budget_ms).
THINK_SECONDS = TUNING["search"]["frame_budget_ms"] / 1000
# Wakes the idle loop once a second while a turn timer runs, so the clock on screen
# moves without drawing sixty frames a second.
CLOCK_TICK = pygame.event.custom_type()


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


@attrs.define
class Card:
    """One move as the current seat sees it, with the chosen target."""

    move: object
    plays: list  # legal Play actions for this move, one per target
    target: int = 0
    reason: str = ""  # why it cannot be played, when plays is empty

    @property
    def action(self) -> Play | None:
        return self.plays[self.target] if self.plays else None


class BoardScene(Scene):
    name = "board"

    def __init__(self, app, match: Match):
        super().__init__(app)
        self.match = match
        # In hot-seat play the viewer is the team at the computer, None between teams
        # (then the board shows only what everyone may see); alone, it is the one human.
        self.viewer = None if match.hot_seat else self._first_human()
        self.turn_clock = 0.0  # seconds the seat at the computer has spent on this turn
        self.clock_key: tuple | None = None  # (envoy, turn, step at hand-off) being timed
        self.clock_shown = -1
        self.briefed: set[str] = set()  # teams that have read their private brief
        self.ticking = False  # the once-a-second wake-up for the timer is set
        self.cards: list[Card] = []
        self.selected = 0
        self.card_scroll = 0
        self.focus: tuple[str, int] | None = None
        self.hover: tuple[str, int] | None = None
        self.log_index = -1  # -1: follow the newest entry
        self.advice = ""
        self.advice_action = None
        self.thinking = None
        self.thinking_for = None
        self.ai_wait = 0.0
        self.toast_text = ""
        self.toast_until = 0.0
        self.save_warning = app.saves.problem  # why saves are off; "" while they work
        self.resolving = 0  # the turn being played back, while it is
        self.shown_tension = [float(v) for v in match.state.tension]
        self.shown_trust = [float(v) for v in match.state.trust]
        self.previews: dict = {}
        self.dirty = True
        self.canvas: pygame.Surface | None = None
        self.regions: dict[str, pygame.Rect] = {}
        self.refresh()

    # The seat being shown ------------------------------------------------------------------
    def _first_human(self) -> str | None:
        for seat in self.match.seats:
            if seat.is_human:
                return seat.envoy
        return None

    @property
    def hand(self) -> str | None:
        """Whose cards are shown: the human whose turn it is, or the seat acting."""
        if self.match.hot_seat:
            return self.viewer
        active = self.match.active
        if active is not None and active.is_human:
            return active.envoy
        if self.viewer is not None:
            return self.viewer
        return self.match.active_envoy

    @property
    def human_turn(self) -> bool:
        active = self.match.active
        if active is None or not active.is_human or self.match.state.phase == DECISION:
            return False
        return not self.match.hot_seat or active.envoy == self.viewer

    def view(self):
        envoy = self.hand
        if envoy is not None:
            return self.match.view(envoy)
        return public_view(self.match.state) if self.match.hot_seat else self.match.state

    def ledger_shown(self, entries):
        """Ledger entries as the screen may show them: the viewer's, or everyone's."""
        if self.viewer is not None:
            return ledger_view(entries, self.viewer)
        return ledger_view(entries, "") if self.match.hot_seat else list(entries)

    @property
    def handing_off(self) -> str | None:
        """The human seat the computer must be passed to before play goes on, if any."""
        active = self.match.active
        if not self.match.hot_seat or self.match.over or active is None or not active.is_human:
            return None
        return active.envoy if active.envoy != self.viewer else None

    def take_seat(self, envoy: str) -> None:
        """The team at the computer is now ``envoy``'s (after the hand-off screen)."""
        self.drop_advice()
        self.viewer = envoy
        self.log_index = -1
        self.focus = self.hover = None
        self.refresh()

    # Layout -------------------------------------------------------------------
    def build(self) -> None:
        width, height = self.app.size
        px = self.px
        pad = px(14)
        bar = px(58)
        right_w = max(px(400), int(width * 0.36))
        left_w = width - right_w - 3 * pad
        map_h = int((height - bar - 3 * pad) * 0.64)
        self.regions = {
            "bar": pygame.Rect(0, 0, width, bar),
            "map": pygame.Rect(pad, bar + pad, left_w, map_h),
            "log": pygame.Rect(pad, bar + 2 * pad + map_h, left_w, height - bar - 3 * pad - map_h),
            "cards": pygame.Rect(
                2 * pad + left_w, bar + pad, right_w, height - bar - 3 * pad - px(52)
            ),
        }
        cards = self.regions["cards"]
        y = cards.bottom + pad - px(4)
        first = int((right_w - 2 * px(8)) * 0.38)  # the widest label, bold
        third = (right_w - 2 * px(8) - first) // 2
        self.play_button = button(
            self,
            pygame.Rect(cards.left, y, first, px(46)),
            "Choose (Enter)",
            "primary",
            "Choose the selected move (Enter)",
        )
        self.end_button = button(
            self,
            pygame.Rect(cards.left + first + px(8), y, third, px(46)),
            "End turn (E)",
            "",
            "Commit your moves and pass (E)",
        )
        self.advice_button = button(
            self,
            pygame.Rect(cards.left + first + third + 2 * px(8), y, third, px(46)),
            "Advisor (A)",
            "",
            "Suggest a move (A)",
        )
        bw = px(96)
        self.menu_button = button(
            self, pygame.Rect(width - pad - bw, px(10), bw, px(38)), "Menu", "", "Pause menu (Esc)"
        )
        self.save_button = button(
            self,
            pygame.Rect(width - pad - 2 * bw - px(8), px(10), bw, px(38)),
            "Save",
            "",
            "Save the game (Ctrl+S)",
        )
        self.help_button = button(
            self,
            pygame.Rect(width - pad - 3 * bw - px(16), px(10), bw, px(38)),
            "Help",
            "",
            "How to play (F1)",
        )
        self._buttons_state()
        self.dirty = True

    def _buttons_state(self) -> None:
        if self.root is None:
            return
        mine = self.human_turn
        for widget in (self.end_button, self.advice_button):
            widget.enable() if mine else widget.disable()
        card = self.current_card()
        if mine and card is not None and card.action is not None:
            self.play_button.enable()
        else:
            self.play_button.disable()

    # State --------------------------------------------------------------------
    def refresh(self) -> None:
        """Rebuild the cards from the engine after any change."""
        envoy = self.hand
        self.previews = {}
        self.cards = []
        if envoy is not None and not self.match.over:
            view = self.view()
            legal = self.match.legal(envoy) if self.match.state.phase != DECISION else []
            index = self.match.scenario.envoy_index(envoy)
            for move in self.match.scenario.moves:
                plays = [a for a in legal if isinstance(a, Play) and a.move == move.id]
                reason = ""
                if not plays:
                    reason = self._reason(view, envoy, index, move)
                self.cards.append(Card(move, plays, 0, reason))
            self.cards.sort(
                key=lambda c: (not c.plays, self.match.scenario.family_rank.get(c.move.family, 0))
            )
        self.selected = min(self.selected, max(0, len(self.cards) - 1))
        self.advice = "" if self.advice_action is None else self.advice
        self._buttons_state()
        self.dirty = True

    def _reason(self, view, envoy: str, index: int, move) -> str:
        scenario = self.match.scenario
        if move.target == "none":
            targets = ()
        elif move.target == "party":
            targets = (scenario.parties[0].id,)
        elif move.target == "accord":
            targets = (scenario.accords[0].id,) if scenario.accords else ("-",)
        else:
            relation = scenario.relations[0]
            targets = (scenario.parties[relation.a].id, scenario.parties[relation.b].id)
        reason = why_illegal(view, Play(envoy, move.id, targets))
        if (
            move.target != "none"
            and "target" not in reason
            and "capital" not in reason
            and "cooldown" not in reason
        ):
            return "Not possible on any target now."
        return reason[:1].upper() + reason[1:] if reason else "Not possible now."

    def current_card(self) -> Card | None:
        return self.cards[self.selected] if 0 <= self.selected < len(self.cards) else None

    def card_preview(self, card: Card):
        action = card.action
        if action is None:
            return None
        if action not in self.previews:
            try:
                self.previews[action] = preview(self.view(), action)
            except IllegalAction:
                self.previews[action] = None
        return self.previews[action]

    def toast(self, text: str, seconds: float = 3.0) -> None:
        self.toast_text = text
        self.toast_until = time.perf_counter() + seconds
        self.dirty = True

    # Acting -------------------------------------------------------------------
    def act(self, action) -> None:
        """Send one action through the match and react to what it caused."""
        before_turn = self.match.state.turn
        try:
            entries = self.match.apply(action)
        except IllegalAction as problem:
            self.toast(str(problem))
            return
        self.drop_advice()
        self.log_index = -1
        resolved = self.match.state.turn != before_turn or self.match.over
        self.refresh()
        if resolved:
            self.app.push("resolution", self, entries)
        else:
            self.sync_meters()

    def sync_meters(self) -> None:
        self.shown_tension = [float(v) for v in self.match.state.tension]
        self.shown_trust = [float(v) for v in self.match.state.trust]
        self.dirty = True

    def choose_selected(self) -> None:
        card = self.current_card()
        if self.human_turn and card is not None and card.action is not None:
            self.act(card.action)

    def withdraw_last(self) -> None:
        if not self.human_turn:
            return
        envoy = self.hand
        mine = [a for a in self.match.legal(envoy) if isinstance(a, Withdraw)]
        if mine:
            self.act(mine[-1])

    def end_turn(self, ask: bool = True) -> None:
        """End the human seat's turn, after its reflection prompt if the class uses them."""
        if not self.human_turn:
            return
        envoy = self.hand
        prompt = self.match.reflection_prompt(self.match.state.turn) if ask else ""
        if prompt and not self.match.has_reflected(envoy):
            self.app.push("reflection", self, envoy, prompt)
            return
        self.commit_end(envoy)

    def commit_end(self, envoy: str) -> None:
        if self.match.hot_seat:
            self.viewer = None  # the screen is everyone's until the next team takes it
        self.act(End(envoy))

    # The facilitator ----------------------------------------------------------------
    def open_facilitator(self) -> None:
        self.app.open("open-facilitator", self)

    def facilitate(self, action) -> str:
        """Apply a facilitator's action; returns a problem to show, or ""."""
        try:
            entries = self.match.facilitate(action)
        except IllegalAction as problem:
            return str(problem).split(": ", 1)[-1]
        self._after_facilitator()
        self.toast(narrate.line(self.match.scenario, entries[0]) if entries else str(action), 5)
        return ""

    def undo_turn(self, reason: str) -> str:
        try:
            turn = self.match.undo_turn(reason)
        except ValueError as problem:
            return str(problem)
        if self.match.hot_seat:
            self.viewer = None
        self._after_facilitator()
        self.toast(f"Back to the start of turn {turn}.", 5)
        return ""

    def _after_facilitator(self) -> None:
        self.thinking = self.thinking_for = None
        self.advice, self.advice_action = "", None
        self.clock_key = None
        self.log_index = -1
        self.refresh()
        self.sync_meters()
        self.app.saves.try_autosave(self.match)

    # The advisory turn timer ----------------------------------------------------------
    def _tick_clock(self, dt: float) -> None:
        limit = self.match.classroom.timer_seconds
        running = bool(limit) and self.human_turn
        self._wake_every_second(running)
        if not running:
            return
        key = (self.hand, self.match.state.turn)
        if key != self.clock_key:
            self.clock_key, self.turn_clock = key, 0.0
        self.turn_clock += dt
        shown = int(self.turn_clock)
        if shown != self.clock_shown:
            self.clock_shown = shown
            self.dirty = True
        if self.turn_clock >= limit and self.match.classroom.auto_pass:
            self.toast("Time is up: the turn passes on.")
            self.end_turn(ask=False)

    def _wake_every_second(self, on: bool) -> None:
        if on != self.ticking:
            pygame.time.set_timer(CLOCK_TICK, 1000 if on else 0)
            self.ticking = on

    def close(self) -> None:
        self._wake_every_second(False)
        super().close()

    def clock_text(self) -> tuple[str, str]:
        """The timer's words and colour name, or ("", "") when there is no timer."""
        limit = self.match.classroom.timer_seconds
        if not limit or not self.human_turn:
            return "", ""
        left = max(0, limit - int(self.turn_clock))
        if left <= 0:
            return "TIME IS UP", "bad"
        warning = left <= LIMITS["classroom"]["timer_warning_seconds"]
        return f"{left // 60}:{left % 60:02d} left", "warn" if warning else "good"

    def ask_advisor(self) -> None:
        if not self.human_turn:
            return
        envoy = self.hand
        self.thinking = self.match.agent(envoy, "hard")
        self.thinking_for = ("advice", envoy)
        self._start_thinking(envoy)

    def drop_advice(self) -> None:
        """Forget the advice, and the advisor's thinking if it is still at work: it was
        for a position that has passed, and perhaps for a team that has left the computer."""
        if self.thinking_for is not None and self.thinking_for[0] == "advice":
            self.thinking = self.thinking_for = None
        self.advice, self.advice_action = "", None

    def _start_thinking(self, envoy: str) -> None:
        agent = self.thinking
        legal = self.match.legal(envoy)
        view = self.match.view(envoy)
        if hasattr(agent, "think"):
            self.thinking = agent.think(view, envoy, legal)
        else:
            self.thinking = _Instant(agent.choose(view, envoy, legal))
        self.dirty = True

    def _finish_advice(self, result, reason: str) -> None:
        self.advice_action = result
        if isinstance(result, Play):
            for index, card in enumerate(self.cards):
                if result in card.plays:
                    self.selected = index
                    card.target = card.plays.index(result)
                    self._scroll_to_selected()
            self.advice = reason or f"Try {narrate.move(self.match.scenario, result.move)}."
        elif isinstance(result, End):
            self.advice = reason or "Nothing more is worth its cost this turn: end your turn."
        self._buttons_state()
        self.dirty = True

    # Frame --------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return (
            self.thinking is not None
            or self._ai_to_move()
            or time.perf_counter() < self.toast_until
        )

    def _ai_to_move(self) -> bool:
        active = self.match.active
        return not self.match.over and active is not None and not active.is_human

    def update(self, dt: float) -> None:
        if self.toast_text and time.perf_counter() >= self.toast_until:
            self.toast_text = ""
            self.dirty = True
        if self.app.saves.problem != self.save_warning:
            self.save_warning = self.app.saves.problem
            self.dirty = True
        if self.app.scene is not self:
            return
        handoff = self.handing_off
        if handoff is not None:
            self.app.push("handoff", self, handoff)
            return
        self._tick_clock(dt)
        if self.app.scene is not self:
            return
        if self.match.state.phase == DECISION and not self.match.over:
            active = self.match.active
            if active is not None and active.is_human:
                self.app.push("decision", self)
                return
        if self.thinking is None and self._ai_to_move():
            self.ai_wait += dt
            pace = (
                self.app.demo.seconds_per_screen / 2
                if self.app.demo
                else self.app.settings.animation_seconds
            )
            if self.ai_wait < pace:
                return
            self.ai_wait = 0.0
            envoy = self.match.active_envoy
            self.thinking = self.match.agent(envoy)
            self.thinking_for = ("play", envoy)
            self._start_thinking(envoy)
        if self.thinking is not None:
            deadline = time.perf_counter() + THINK_SECONDS
            while time.perf_counter() < deadline:
                if self.thinking.step():
                    self._thought()
                    break

    def _thought(self) -> None:
        thinking, (purpose, envoy) = self.thinking, self.thinking_for
        self.thinking = self.thinking_for = None
        result = thinking.result
        if purpose == "advice":
            if self.human_turn and self.hand == envoy:
                self._finish_advice(result, getattr(thinking, "reason", ""))
        elif not self.match.over and self.match.active_envoy == envoy:
            self.act(result)

    def draw(self, surface: pygame.Surface) -> None:
        if self.dirty or self.canvas is None or self.canvas.get_size() != surface.get_size():
            self.render()
        surface.blit(self.canvas, (0, 0))

    # Rendering ----------------------------------------------------------------
    def render(self) -> None:
        self.dirty = False
        if self.canvas is None or self.canvas.get_size() != self.app.size:
            self.canvas = pygame.Surface(self.app.size)
        canvas, style = self.canvas, self.style
        canvas.fill(style["background"])
        self._draw_bar(canvas)
        for key in ("map", "log", "cards"):
            rect = self.regions[key]
            pygame.draw.rect(canvas, style["panel"], rect, border_radius=self.px(8))
            pygame.draw.rect(canvas, style["panel_border"], rect, 1, border_radius=self.px(8))
        state = self.view()
        focus = self.hover or self.focus
        clip = canvas.get_clip()
        canvas.set_clip(self.regions["map"])
        draw_map(
            canvas,
            self.regions["map"],
            style,
            self.match.scenario,
            self.shown_tension,
            self.shown_trust,
            state.hotline,
            focus,
        )
        canvas.set_clip(clip)
        self._draw_details(canvas, state, focus)
        self._draw_cards(canvas)
        self._draw_log(canvas)
        if self.toast_text:
            area = self.regions["map"]
            line = self._fit(self.toast_text, 16, area.width - self.px(24 + 20), bold=True)
            text = style.text(line, 16, "text", True)
            box = text.get_rect(midtop=(area.centerx, area.top + self.px(10))).inflate(
                self.px(24), self.px(12)
            )
            pygame.draw.rect(canvas, style["card_selected"], box, border_radius=self.px(8))
            canvas.blit(text, text.get_rect(center=box.center))

    def _draw_bar(self, canvas: pygame.Surface) -> None:
        style, px, match = self.style, self.px, self.match
        bar = self.regions["bar"]
        pygame.draw.rect(canvas, style["panel"], bar)
        pygame.draw.line(canvas, style["panel_border"], bar.bottomleft, bar.bottomright)
        state = match.state
        turn = style.text(f"Turn {state.turn} of {state.last_turn}", 17, "muted", True)
        cap = None
        if self.hand is not None and not match.over:
            capital = state.capital[match.scenario.envoy_index(self.hand)]
            cap = style.text(f"Capital {capital}", 17, "warn", True)
        worst = max(self.shown_tension) if self.shown_tension else 0
        label = style.text(f"Escalation {round(worst)}/{match.scenario.conflict_at}", 15, "muted")
        title_w, track_w, status_w = self._bar_widths(turn, cap, label)
        x = px(16)
        if title_w:
            name = self._fit(str(match.scenario.title), 20, title_w, bold=True)
            title = style.text(name, 20, "text", True)
            canvas.blit(title, (x, bar.centery - title.get_height() // 2))
            x += title.get_width() + px(20)
        for shown in (turn, cap) if cap is not None else (turn,):
            canvas.blit(shown, (x, bar.centery - shown.get_height() // 2))
            x += shown.get_width() + px(20)
        self._draw_track(canvas, x, label, track_w, worst)
        x += max(track_w, label.get_width()) + px(20)
        if status_w:
            status = self._fit(self._status(), 16, status_w, bold=True)
            text = style.text(status, 16, "accent", True)
            canvas.blit(text, (x, bar.centery - text.get_height() // 2))

    def _bar_widths(self, turn, cap, label) -> tuple[int, int, int]:
        """How wide the title, the escalation track and the status may be in the header.

        The turn and the capital always show. Where room is short the track narrows
        first, then the title gives way to the status, which says whose turn it is:
        the title is cut, and where too little of it would be left to read, it goes.
        """
        style, px = self.style, self.px
        gap = px(20)
        room = self.regions["bar"].width - px(3 * 96 + 56) - px(16) - turn.get_width() - gap
        if cap is not None:
            room -= cap.get_width() + gap
        title = style.width(str(self.match.scenario.title), 20, True)
        status = style.width(self._status(), 16, True)
        track = px(210)
        short = title + gap + max(track, label.get_width()) + gap + status - room
        if short > 0:
            track = max(px(110), track - short)
        room -= max(track, label.get_width()) + gap
        if title + gap + status <= room:
            return title, track, status
        title_room = room - gap - status
        if title_room < px(80):  # too little of the title to read: the status takes it all
            return 0, track, max(0, room)
        return title_room, track, status

    def _draw_track(self, canvas, x: int, label, track_w: int, worst: float) -> None:
        """The escalation track: the worst tension against the conflict line."""
        style, px, scenario = self.style, self.px, self.match.scenario
        bar = self.regions["bar"]
        canvas.blit(label, (x, bar.top + px(6)))
        track = pygame.Rect(x, bar.top + px(6) + label.get_height() + px(2), track_w, px(12))
        pygame.draw.rect(canvas, style["card"], track, border_radius=px(4))
        segments = 10
        for i in range(segments):
            lit = worst >= (i + 1) * scenario.conflict_at / segments - 1e-9
            seg = pygame.Rect(
                track.left + i * track_w // segments + 1,
                track.top + 1,
                track_w // segments - 2,
                track.height - 2,
            )
            colour = style.tension_colour(
                (i + 0.5) * scenario.conflict_at / segments, scenario.conflict_at
            )
            pygame.draw.rect(
                canvas, colour if lit else style["card_disabled"], seg, border_radius=px(2)
            )

    def _status(self) -> str:
        match = self.match
        if self.resolving:
            return f"Resolving turn {self.resolving}"
        if match.over:
            return f"The crisis is over: {match.state.outcome}"
        active = match.active
        if active is None:
            return ""
        name = narrate.envoy(match.scenario, active.envoy)
        if active.is_human:
            doing = "decide" if match.state.phase == DECISION else "choose moves"
            if match.hot_seat:
                return f"{match.team(active.envoy)}: {doing}"
            return f"Your turn: {doing}"
        # The verb first: where the header is short, the end of the name gives way.
        return f"{'Thinking' if self.thinking is not None else 'AI turn'}: {name}"

    def _draw_details(self, canvas: pygame.Surface, state, focus) -> None:
        """The box in the map's corner: what the pointer or Tab is on, or the advisor's tip."""
        style, px, scenario = self.style, self.px, self.match.scenario
        lines: list[tuple[str, str, bool]] = []
        if focus is not None and focus[0] == "party":
            index = focus[1]
            party = scenario.parties[index]
            lines.append((str(party.name), "text", True))
            lines.append(
                (f"Posture {state.posture[index]} · resolve {state.resolve[index]}", "muted", False)
            )
            if self.hand is not None:
                envoy = scenario.envoy_index(self.hand)
                lines.append((f"Your standing {state.standing_of(envoy, index)}", "muted", False))
            for fact_index, fact in enumerate(scenario.facts):
                if fact.party == index and state.knows(
                    fact_index, state.viewer if state.viewer >= 0 else -1
                ):
                    view_fact = state.scenario.facts[fact_index]
                    if view_fact.text is not None:
                        lines.append((f"Known: {view_fact.text}", "accent", False))
            if party.text:
                lines.append((str(party.text), "muted", False))
        elif focus is not None and focus[0] == "relation":
            index = focus[1]
            relation = scenario.relations[index]
            name = narrate.pair(
                scenario, scenario.parties[relation.a].id, scenario.parties[relation.b].id
            )
            lines.append((name, "text", True))
            lines.append(
                (
                    f"Tension {state.tension[index]} (conflict at {scenario.conflict_at})",
                    "muted",
                    False,
                )
            )
            lines.append(
                (
                    f"Trust {state.trust[index]} · pressure {state.pressure[index]:+d} a turn",
                    "muted",
                    False,
                )
            )
            if state.hotline[index]:
                lines.append(
                    (f"Hotline open for {state.hotline[index]} more turns", "accent", False)
                )
        elif self.advice:
            lines.append(("Advisor", "warn", True))
            lines.append((self.advice, "text", False))
        else:
            return
        rect = self.regions["map"]
        width = min(px(380), rect.width // 2)
        wrapped = []
        for text, colour, bold in lines:
            for piece in style.wrap(text, 14, width - px(20), bold):
                wrapped.append((piece, colour, bold))
        height = sum(style.font(14, b).get_linesize() for _, _, b in wrapped) + px(16)
        box = pygame.Rect(rect.right - width - px(10), rect.bottom - height - px(10), width, height)
        pygame.draw.rect(canvas, style["background"], box, border_radius=px(8))
        pygame.draw.rect(canvas, style["accent"], box, 1, border_radius=px(8))
        y = box.top + px(8)
        for text, colour, bold in wrapped:
            surface = style.text(text, 14, colour, bold)
            canvas.blit(surface, (box.left + px(10), y))
            y += style.font(14, bold).get_linesize()

    def _card_height(self) -> int:
        """Room for a card's lines: family, name, target and two lines of effects, each
        as tall as the crisis's script needs."""
        line = self._card_line
        return self.px(6 + 2 + 6) + sum(
            (line(12, True), line(17, True), line(14, True), line(13), line(13))
        )

    def _card_line(self, size: int, bold: bool = False) -> int:
        scenario = self.match.scenario
        khmer = any(has_khmer(str(party.name)) for party in scenario.parties)
        return self.style.line_height(size, bold, khmer)

    def _chosen_lines(self) -> list[str]:
        """The lines naming the moves the shown seat has chosen this turn (at most two)."""
        scenario = self.match.scenario
        if not self.hand:
            return []
        seat = scenario.envoy_index(self.hand)
        chosen = [c for c in self.view().pending if c.seat == seat]
        if not chosen:
            return []
        names = ", ".join(str(scenario.moves[c.move].name) for c in chosen)
        text = f"Chosen this turn: {names}  (Backspace takes back the last)"
        return self.style.wrap(text, 14, self.regions["cards"].width - self.px(24))[:2]

    def card_layout(self) -> tuple[pygame.Rect, list[tuple[int, pygame.Rect]]]:
        """The card list's visible area, and where each card of ``self.cards`` in it is.

        Drawing and clicks both ask this, so a click always finds the card drawn (or
        about to be drawn) under it, even between a change to the cards and the frame
        that shows it: positions kept from the last frame once pointed past the end of
        a hand that had just shrunk.
        """
        px = self.px
        rect = self.regions["cards"]
        top = rect.top + px(10) + px(28)
        top += len(self._chosen_lines()) * self.style.font(14).get_linesize() + px(4)
        area = pygame.Rect(rect.left, top, rect.width, rect.bottom - top - px(6))
        h, gap = self._card_height(), px(8)
        boxes = []
        for index in range(len(self.cards)):
            box = pygame.Rect(
                rect.left + px(10),
                top + index * (h + gap) - self.card_scroll,
                rect.width - px(20),
                h,
            )
            if box.bottom >= area.top and box.top <= area.bottom:
                boxes.append((index, box))
        return area, boxes

    @property
    def cards_area(self) -> pygame.Rect:
        return self.card_layout()[0]

    @property
    def card_rects(self) -> list[tuple[int, pygame.Rect]]:
        return self.card_layout()[1]

    def _draw_cards(self, canvas: pygame.Surface) -> None:
        style, px = self.style, self.px
        rect = self.regions["cards"]
        scenario = self.match.scenario
        y = rect.top + px(10)
        hot = self.match.hot_seat and self.hand is not None
        mine = f"{self.match.team(self.hand)}: your moves" if hot else "Your moves"
        header = (
            mine
            if self.human_turn
            else (f"Moves of {narrate.envoy(scenario, self.hand)}" if self.hand else "Moves")
        )
        room = rect.width - px(24)
        clock, tone = self.clock_text()
        if clock:  # the advisory timer: words and a frame, never colour alone
            shown = style.text(clock, 17, tone, True)
            box = shown.get_rect(topright=(rect.right - px(20), y - px(2))).inflate(px(16), px(6))
            pygame.draw.rect(canvas, style[tone], box, max(1, px(2)), border_radius=px(6))
            canvas.blit(shown, shown.get_rect(center=box.center))
            room = box.left - rect.left - px(24)
        header = self._fit(header, 17, room, bold=True)
        canvas.blit(style.text(header, 17, "text", True), (rect.left + px(12), y))
        y += px(28)
        for piece in self._chosen_lines():
            canvas.blit(style.text(piece, 14, "good"), (rect.left + px(12), y))
            y += style.font(14).get_linesize()
        area, boxes = self.card_layout()
        clip = canvas.get_clip()
        canvas.set_clip(area)
        for index, box in boxes:
            self._draw_card(canvas, self.cards[index], box, index == self.selected)
        canvas.set_clip(clip)
        total = len(self.cards) * (self._card_height() + px(8))
        if total > area.height:
            bar_h = max(px(30), area.height * area.height // total)
            bar_y = area.top + (area.height - bar_h) * self.card_scroll // max(
                1, total - area.height
            )
            pygame.draw.rect(
                canvas,
                style["panel_border"],
                (rect.right - px(6), bar_y, px(4), bar_h),
                border_radius=px(2),
            )
        if not self.cards:
            text = "The crisis is over." if self.match.over else "No moves to show."
            if self.match.hot_seat and self.hand is None and not self.match.over:
                text = "Between teams: only what everyone may see is shown."
            canvas.blit(style.text(text, 15, "muted"), (rect.left + px(12), area.top))

    def _draw_card(self, canvas, card: Card, box: pygame.Rect, selected: bool) -> None:
        style, px, scenario = self.style, self.px, self.match.scenario
        playable = card.action is not None
        background = (
            style["card_selected"]
            if selected
            else style["card"]
            if playable
            else style["card_disabled"]
        )
        pygame.draw.rect(canvas, background, box, border_radius=px(8))
        if selected:
            pygame.draw.rect(canvas, style["focus"], box, px(2), border_radius=px(8))
        stripe = pygame.Rect(box.left, box.top, px(6), box.height)
        pygame.draw.rect(
            canvas,
            style.family_colour(scenario, card.move.family),
            stripe,
            border_top_left_radius=px(8),
            border_bottom_left_radius=px(8),
        )
        x = box.left + px(16)
        family = next(
            (f.name for f in scenario.families if f.id == card.move.family), card.move.family
        )
        tone = "text" if playable else "faint"
        small = style.text(
            str(family).upper(), 12, style.family_colour(scenario, card.move.family), True
        )
        canvas.blit(small, (x, box.top + px(6)))
        name = self._fit(str(card.move.name), 17, box.right - px(80) - x, bold=True)
        name = style.text(name, 17, tone, True)
        canvas.blit(name, (x, box.top + px(6) + small.get_height()))
        cost = style.text(f"{card.move.cost} capital", 14, "warn" if playable else "faint", True)
        canvas.blit(cost, (box.right - cost.get_width() - px(12), box.top + px(8)))
        y = box.top + px(6) + self._card_line(12, True) + self._card_line(17, True) + px(2)
        if not playable:
            for piece in style.wrap(card.reason, 14, box.width - px(32))[:2]:
                canvas.blit(style.text(piece, 14, "warn"), (x, y))
                y += self._card_line(14)
            return
        seen = self.card_preview(card)
        if seen is not None:
            odds = style.text(
                f"{seen.chance:.0%}",
                22,
                "good" if seen.chance >= 0.7 else "warn" if seen.chance >= 0.4 else "bad",
                True,
            )
            canvas.blit(
                odds, (box.right - odds.get_width() - px(12), box.top + px(8) + cost.get_height())
            )
        action = card.action
        if action.targets:
            target = narrate.targets(scenario, action.move, action.targets)
            arrows = f"‹ {target} ›" if len(card.plays) > 1 else target
            arrows = self._fit(arrows, 14, box.right - px(12) - x, bold=True)
            canvas.blit(style.text(arrows, 14, "accent", True), (x, y))
            y += self._card_line(14, True)
        if seen is not None:
            before = self.view()
            win = narrate.differences(scenario, before, seen.success)
            lose = narrate.differences(scenario, before, seen.failure)
            text = "Works: " + (", ".join(win) if win else "no visible change")
            if seen.chance < 1:
                text += " · Fails: " + (", ".join(lose) if lose else "nothing happens")
            width = box.right - px(12) - x
            pieces = style.wrap(text, 13, width)
            if len(pieces) > 2:
                pieces = [pieces[0], self._fit(pieces[1] + " " + pieces[2], 13, width)]
            for piece in pieces:
                canvas.blit(style.text(piece, 13, "muted"), (x, y))
                y += self._card_line(13)

    def _draw_log(self, canvas: pygame.Surface) -> None:
        style, px, scenario = self.style, self.px, self.match.scenario
        rect = self.regions["log"]
        entries = self.log_entries()
        title = style.text("Log", 16, "text", True)
        canvas.blit(title, (rect.left + px(12), rect.top + px(8)))
        if self.save_warning:  # for as long as saves fail, where the log's hint was
            room = rect.width - title.get_width() - px(40)
            warning = self._fit(self.save_warning, 13, room, bold=True)
            hint = style.text(warning, 13, "bad", True)
        else:
            hint = style.text("PgUp/PgDn or click an entry to see why", 13, "faint")
        canvas.blit(hint, (rect.right - hint.get_width() - px(12), rect.top + px(10)))
        line_h = style.font(14).get_linesize()
        why_h = line_h * 2 + px(8)
        for index, line_rect in self.log_layout(entries):
            entry = entries[index]
            if index == self.log_index:
                pygame.draw.rect(canvas, style["card_selected"], line_rect, border_radius=px(4))
            text = narrate.line(scenario, entry)
            colour = "text" if entry.is_change else "muted"
            if entry.cause.kind == "turn":
                colour = "accent"
            surface = style.text(
                self._fit(text, 14, line_rect.width - px(8)), 14, colour, entry.cause.kind == "turn"
            )
            canvas.blit(surface, (line_rect.left + px(4), line_rect.top))
        if 0 <= self.log_index < len(entries):
            entry = entries[self.log_index]
            why = "Why: " + narrate.why(scenario, entry)
            pieces = style.wrap(why, 14, rect.width - px(24))[:2]
            y = rect.bottom - why_h + px(2)
            pygame.draw.line(
                canvas,
                style["panel_border"],
                (rect.left + px(8), y - px(4)),
                (rect.right - px(8), y - px(4)),
            )
            for piece in pieces:
                canvas.blit(style.text(piece, 14, "warn"), (rect.left + px(12), y))
                y += line_h

    def log_layout(self, entries) -> list[tuple[int, pygame.Rect]]:
        """The log lines shown, as (index in ``entries``, line): the newest ones, or
        those around the selected entry. Drawing and clicks both ask this, with the
        entries as they are now (a new turn, or another team at the computer)."""
        px, rect = self.px, self.regions["log"]
        line_h = self.style.font(14).get_linesize()
        why_h = line_h * 2 + px(8)
        area = pygame.Rect(
            rect.left + px(8), rect.top + px(34), rect.width - px(16), rect.height - px(42) - why_h
        )
        rows = max(1, area.height // line_h)
        selected = self.log_index if 0 <= self.log_index < len(entries) else len(entries) - 1
        around = selected - rows // 2 if 0 <= self.log_index < len(entries) else selected - rows + 1
        first = max(0, min(around, len(entries) - rows))
        return [
            (index, pygame.Rect(area.left, area.top + (index - first) * line_h, area.width, line_h))
            for index in range(first, min(len(entries), first + rows))
        ]

    def _fit(self, text: str, size: int, width: int, bold: bool = False) -> str:
        """``text``, shortened with an ellipsis where it is wider than ``width``."""
        return shorten(lambda line: self.style.width(line, size, bold), text, width)

    def log_entries(self):
        if self.match.hot_seat:
            return self.ledger_shown(self.match.ledger)
        return self.match.log_for(self.viewer if self.viewer is not None else self.hand)

    # Input --------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            return self._pressed(event.ui_element)
        if event.type == pygame.MOUSEMOTION:
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

    def _click(self, pos) -> bool:
        area, boxes = self.card_layout()
        for index, box in boxes:
            if box.collidepoint(pos) and area.collidepoint(pos):
                card = self.cards[index]
                if index == self.selected and len(card.plays) > 1:
                    step = -1 if pos[0] < box.centerx - box.width // 4 else 1
                    card.target = (card.target + step) % len(card.plays)
                self.selected = index
                self._buttons_state()
                self.dirty = True
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
            self._move_log(-amount)
            return True
        return False

    def _scroll_cards(self, delta: int) -> None:
        area = self.cards_area
        total = len(self.cards) * (self._card_height() + self.px(8))
        self.card_scroll = max(0, min(max(0, total - area.height), self.card_scroll + delta))
        self.dirty = True

    def _scroll_to_selected(self) -> None:
        area = self.cards_area
        step = self._card_height() + self.px(8)
        top = self.selected * step
        if top < self.card_scroll:
            self.card_scroll = top
        elif top + step > self.card_scroll + area.height:
            self.card_scroll = top + step - area.height
        self.dirty = True

    def _move_log(self, step: int) -> None:
        entries = self.log_entries()
        if not entries:
            return
        current = self.log_index if self.log_index >= 0 else len(entries)
        self.log_index = max(0, min(len(entries) - 1, current + step))
        self.dirty = True

    def _key(self, event) -> bool:
        key, mod = event.key, event.mod
        if key == pygame.K_ESCAPE:
            if self.focus is not None or self.log_index >= 0:
                self.focus, self.log_index = None, -1
                self.dirty = True
            else:
                self.open_menu()
            return True
        if key == pygame.K_s and mod & pygame.KMOD_CTRL:
            self.open_save()
            return True
        if key == pygame.K_F1:
            self.open_help()
            return True
        if key == pygame.K_F9:
            self.open_facilitator()
            return True
        if key in (pygame.K_UP, pygame.K_DOWN) and self.cards:
            self.selected = (self.selected + (1 if key == pygame.K_DOWN else -1)) % len(self.cards)
            self._scroll_to_selected()
            self._buttons_state()
            return True
        if key in (pygame.K_LEFT, pygame.K_RIGHT):
            card = self.current_card()
            if card is not None and len(card.plays) > 1:
                card.target = (card.target + (1 if key == pygame.K_RIGHT else -1)) % len(card.plays)
                self.dirty = True
            return True
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.choose_selected()
            return True
        if key in (pygame.K_BACKSPACE, pygame.K_DELETE, pygame.K_w):
            self.withdraw_last()
            return True
        if key == pygame.K_e:
            self.end_turn()
            return True
        if key == pygame.K_a:
            self.ask_advisor()
            return True
        if key == pygame.K_TAB:
            self._cycle_focus(-1 if mod & pygame.KMOD_SHIFT else 1)
            return True
        if key in (pygame.K_PAGEUP, pygame.K_PAGEDOWN):
            self._move_log(-1 if key == pygame.K_PAGEUP else 1)
            return True
        if key in (pygame.K_HOME, pygame.K_END):
            self.log_index = 0 if key == pygame.K_HOME else -1
            self.dirty = True
            return True
        return False

    def _cycle_focus(self, step: int) -> None:
        scenario = self.match.scenario
        spots = [("party", i) for i in range(len(scenario.parties))] + [
            ("relation", i) for i in range(len(scenario.relations))
        ]
        index = spots.index(self.focus) if self.focus in spots else -1
        index = (index + step) % (len(spots) + 1)
        self.focus = spots[index] if index < len(spots) else None
        self.dirty = True

    def open_menu(self) -> None:
        self.app.push("menu", self)

    def open_save(self) -> None:
        self.app.push("save", self)

    def open_help(self) -> None:
        self.app.push("howto")

    def resume(self) -> None:
        super().resume()
        self.refresh()
        self.sync_meters()

    def key_of(self) -> str:
        return "board"

    def demo_step(self) -> None:
        """An AI-only demo plays itself; a demo with a human seat takes the advisor's pick."""
        if self.human_turn:
            self.end_turn()


class _Instant:
    """A finished 'thinking' for agents that choose at once."""

    def __init__(self, result):
        self.result = result
        self.reason = ""

    def step(self) -> bool:
        return True


__all__ = ["BoardScene", "Decide", "open_match"]
