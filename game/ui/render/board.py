"""Drawing the board: the header bar, the map panel, the move cards and the log.

:class:`BoardPainter` draws what a :class:`~game.session.table.Table` says, in
the regions the board scene laid out; it decides nothing about the game. A
redraw after a change reuses what did not change: the map layer while the
meters and the focus stand still, and each card's surface while its content
does (both keyed by what they show), so moving the selection redraws two cards.
"""

from __future__ import annotations

import math
import weakref

import pygame

from game.paths import ASSETS
from game.session import narrate
from game.tunables import read_tunables
from game.ui.render.map import draw_map, map_layout
from game.ui.style import has_khmer
from game.ui.widgets import shorten

#: The odds' colour bands: at least ``good`` shows good, at least ``warn`` shows warn.
ODDS = read_tunables((ASSETS / "board.yaml").read_text("utf-8"))["odds"]


def odds_tone(chance: float) -> str:
    return "good" if chance >= ODDS["good"] else "warn" if chance >= ODDS["warn"] else "bad"


class BoardPainter:
    """The drawing of one board scene (``board``: its regions, scroll and focus)."""

    def __init__(self, board):
        # A proxy, so the scene and its painter make no cycle that keeps a closed
        # board (and its UI manager) alive until the collector runs.
        self.board = weakref.proxy(board)
        self._frame: tuple | None = None  # the canvas size, style and layout painted for
        self._painted: dict[str, tuple] = {}  # region -> what it shows, as last painted
        self._cards: dict[tuple, pygame.Surface] = {}
        self._heights: dict[tuple, int] = {}
        self._panels: dict[str, pygame.Surface] = {}

    @property
    def style(self):
        return self.board.style

    def px(self, value: float) -> int:
        return self.board.px(value)

    @property
    def table(self):
        return self.board.table

    @property
    def scenario(self):
        return self.board.table.match.scenario

    def look(self) -> tuple:
        """The style drawn with: a restyle makes a new one, perhaps at a freed one's id."""
        style = self.style
        return (id(style), style.palette, style.scale)

    def forget(self) -> None:
        """Paint every region again on the next render, changed or not."""
        self._frame = None

    # The whole board --------------------------------------------------------------------
    def render(self, canvas: pygame.Surface) -> None:
        """Draw the board on ``canvas``, the scene's own surface kept between frames:
        each region (header, map, log, cards) is painted again only when what it shows
        has changed, so a redraw after a click repaints one or two of them."""
        board, style = self.board, self.style
        frame = (
            id(canvas),
            canvas.get_size(),
            self.look(),
            tuple(map(tuple, board.regions.values())),
        )
        if frame != self._frame:
            canvas.fill(style["background"])
            self._frame, self._painted, self._panels = frame, {}, {}
            self._cards.clear()  # drawn at another size or in another palette
        state = self.table.view()
        focus = board.hover or board.focus
        header = self.table.header()
        regions = {
            "bar": ((header, str(self.scenario.title)), self.draw_bar),
            "map": (
                (
                    tuple(board.shown_tension),
                    tuple(board.shown_trust),
                    state,
                    focus,
                    self.table.hand,
                    self.table.advice,
                    board.toast_text,
                ),
                lambda c: self.draw_map_panel(c, state, focus),
            ),
            "log": (
                (self.table.log_entries(), board.log_index, board.save_warning),
                self.draw_log_panel,
            ),
            "cards": (self.cards_key(header), self.draw_cards_panel),
        }
        for name, (key, paint) in regions.items():
            if self._painted.get(name) != key:
                rect = board.regions[name]
                clip = canvas.get_clip()
                canvas.set_clip(rect)
                if name == "bar":
                    canvas.fill(style["background"], rect)
                paint(canvas)
                canvas.set_clip(clip)
                self._painted[name] = key

    def cards_key(self, header) -> tuple:
        """Everything the card panel shows, to tell when it must be painted again."""
        table, board = self.table, self.board
        cards = []
        for index, card in enumerate(table.cards):
            seen, effects = table.preview(card), table.effects(card)
            cards.append(self._card_key(card, index == table.selected, seen, effects))
        return (
            tuple(cards),
            board.card_scroll,
            table.clock_text(),
            table.human_turn,
            table.hand,
            tuple(table.chosen()),
            table.match.over,
            header.turn,
        )

    def draw_panel(self, canvas: pygame.Surface, name: str) -> None:
        """A region's empty panel, kept as a surface: a large rounded rectangle costs
        more to fill than to copy."""
        rect = self.board.regions[name]
        panel = self._panels.get(name)
        if panel is None or panel.get_size() != rect.size:
            panel = self._panels[name] = pygame.Surface(rect.size)
            panel.fill(self.style["background"])
            box = panel.get_rect()
            pygame.draw.rect(panel, self.style["panel"], box, border_radius=self.px(8))
            pygame.draw.rect(panel, self.style["panel_border"], box, 1, border_radius=self.px(8))
        canvas.blit(panel, rect)

    def draw_map_panel(self, canvas: pygame.Surface, state, focus) -> None:
        board, style = self.board, self.style
        self.draw_map(canvas, state, focus)
        self.draw_details(canvas, state, focus)
        if board.toast_text:
            area = board.regions["map"]
            line = self.fit(board.toast_text, 16, area.width - self.px(24 + 20), bold=True)
            text = style.text(line, 16, "text", True)
            box = text.get_rect(midtop=(area.centerx, area.top + self.px(10))).inflate(
                self.px(24), self.px(12)
            )
            pygame.draw.rect(canvas, style["card_selected"], box, border_radius=self.px(8))
            canvas.blit(text, text.get_rect(center=box.center))

    def draw_log_panel(self, canvas: pygame.Surface) -> None:
        self.draw_panel(canvas, "log")
        self.draw_log(canvas)

    def draw_cards_panel(self, canvas: pygame.Surface) -> None:
        self.draw_panel(canvas, "cards")
        self.draw_cards(canvas)

    def draw_map(self, canvas: pygame.Surface, state, focus) -> None:
        board = self.board
        rect = board.regions["map"]
        self.draw_panel(canvas, "map")
        draw_map(
            canvas,
            rect,
            self.style,
            self.scenario,
            board.shown_tension,
            board.shown_trust,
            state.hotline,
            focus,
        )

    # The header bar ---------------------------------------------------------------------
    def header_parts(self):
        """The turn, the capital (or None) and the escalation label, rendered."""
        style, header = self.style, self.table.header()
        turn = style.text(f"Turn {header.turn} of {header.last_turn}", 17, "muted", True)
        cap = None
        if header.capital is not None:
            cap = style.text(f"Capital {header.capital}", 17, "warn", True)
        worst = header.worst
        label = style.text(f"Escalation {round(worst)}/{self.scenario.conflict_at}", 15, "muted")
        return turn, cap, label

    def draw_bar(self, canvas: pygame.Surface) -> None:
        style, px = self.style, self.px
        bar = self.board.regions["bar"]
        pygame.draw.rect(canvas, style["panel"], bar)
        pygame.draw.line(canvas, style["panel_border"], bar.bottomleft, bar.bottomright)
        header = self.table.header()
        turn, cap, label = self.header_parts()
        title_w, track_w, status_w = self.bar_widths(turn, cap, label)
        x = px(16)
        if title_w:
            name = self.fit(str(self.scenario.title), 20, title_w, bold=True)
            title = style.text(name, 20, "text", True)
            canvas.blit(title, (x, bar.centery - title.get_height() // 2))
            x += title.get_width() + px(20)
        for shown in (turn, cap) if cap is not None else (turn,):
            canvas.blit(shown, (x, bar.centery - shown.get_height() // 2))
            x += shown.get_width() + px(20)
        self.draw_track(canvas, x, label, track_w, header.worst)
        x += max(track_w, label.get_width()) + px(20)
        if status_w:
            status = self.fit(header.status, 16, status_w, bold=True)
            text = style.text(status, 16, "accent", True)
            canvas.blit(text, (x, bar.centery - text.get_height() // 2))

    def bar_widths(self, turn, cap, label) -> tuple[int, int, int]:
        """How wide the title, the escalation track and the status may be in the header.

        The turn and the capital always show. Where room is short the track narrows
        first, then the title gives way to the status, which says whose turn it is:
        the title is cut, and where too little of it would be left to read, it goes.
        """
        style, px = self.style, self.px
        gap = px(20)
        room = self.board.regions["bar"].width - px(3 * 96 + 56) - px(16) - turn.get_width() - gap
        if cap is not None:
            room -= cap.get_width() + gap
        title = style.width(str(self.scenario.title), 20, True)
        status = style.width(self.table.status(), 16, True)
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

    def draw_track(self, canvas, x: int, label, track_w: int, worst: float) -> None:
        """The escalation track: the worst tension against the conflict line."""
        style, px, scenario = self.style, self.px, self.scenario
        bar = self.board.regions["bar"]
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

    # The details box ---------------------------------------------------------------------
    def draw_details(self, canvas: pygame.Surface, state, focus) -> None:
        """The box in the map's corner: what the pointer or Tab is on, or the advisor's tip."""
        style, px, scenario, table = self.style, self.px, self.scenario, self.table
        lines: list[tuple[str, str, bool]] = []
        if focus is not None and focus[0] == "party":
            index = focus[1]
            party = scenario.parties[index]
            lines.append((str(party.name), "text", True))
            lines.append(
                (f"Posture {state.posture[index]} · resolve {state.resolve[index]}", "muted", False)
            )
            if table.hand is not None:
                envoy = scenario.envoy_index(table.hand)
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
                scenario,
                scenario.parties[relation.a].id,
                scenario.parties[relation.b].id,
                self.table.lang,
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
        elif table.advice:
            lines.append(("Advisor", "warn", True))
            lines.append((table.advice, "text", False))
        else:
            return
        rect = self.board.regions["map"]
        width = min(px(300), rect.width * 2 // 5)  # narrow enough to fit between parties
        wrapped = []
        for text, colour, bold in lines:
            for piece in style.wrap(text, 14, width - px(20), bold):
                wrapped.append((piece, colour, bold))
        height = sum(style.font(14, b).get_linesize() for _, _, b in wrapped) + px(16)
        box = self.clear_corner(rect, width, height)
        pygame.draw.rect(canvas, style["background"], box, border_radius=px(8))
        pygame.draw.rect(canvas, style["accent"], box, 1, border_radius=px(8))
        y = box.top + px(8)
        for text, colour, bold in wrapped:
            surface = style.text(text, 14, colour, bold)
            canvas.blit(surface, (box.left + px(10), y))
            y += style.font(14, bold).get_linesize()

    def clear_corner(self, rect: pygame.Rect, width: int, height: int) -> pygame.Rect:
        """Where a box of this size hides the least of the map: of the places along
        its edges, the one farthest from every party and every relation's label, so a
        popup about the map never covers what it talks about. Ties keep the bottom
        right, where it has always been."""
        px = self.px
        nodes, edges = map_layout(self.scenario, rect, self.style)
        marks = [*nodes, *(((a[0] + b[0]) // 2, (a[1] + b[1]) // 2) for a, b in edges)]
        left, right = rect.left + px(10), max(rect.left + px(10), rect.right - width - px(10))
        top, bottom = rect.top + px(10), max(rect.top + px(10), rect.bottom - height - px(10))
        steps = 8
        xs = [right - (right - left) * i // steps for i in range(steps + 1)]
        ys = [bottom - (bottom - top) * i // steps for i in range(steps + 1)]
        places = [(x, y) for y in (bottom, top) for x in xs]
        places += [(x, y) for x in (right, left) for y in ys]

        def room(corner: tuple[int, int]) -> float:
            box = pygame.Rect(corner, (width, height))
            return min(
                math.hypot(max(box.left - x, 0, x - box.right), max(box.top - y, 0, y - box.bottom))
                for x, y in marks
            )

        return pygame.Rect(max(places, key=room), (width, height))

    # The cards -------------------------------------------------------------------------------
    def card_height(self) -> int:
        """Room for a card's lines: family, name, target and two lines of effects, each
        as tall as the crisis's script needs."""
        key = self.look()
        if key not in self._heights:
            line = self.card_line
            self._heights[key] = self.px(6 + 2 + 6) + sum(
                (line(12, True), line(17, True), line(14, True), line(13), line(13))
            )
        return self._heights[key]

    def card_line(self, size: int, bold: bool = False) -> int:
        khmer = any(has_khmer(str(party.name)) for party in self.scenario.parties)
        return self.style.line_height(size, bold, khmer)

    def chosen_lines(self) -> list[str]:
        """The lines naming the moves the shown seat has chosen this turn (at most two)."""
        names = self.table.chosen()
        if not names:
            return []
        text = f"Chosen this turn: {', '.join(names)}  (Backspace takes back the last)"
        return self.style.wrap(text, 14, self.board.regions["cards"].width - self.px(24))[:2]

    def card_layout(self) -> tuple[pygame.Rect, list[tuple[int, pygame.Rect]]]:
        """The card list's visible area, and where each card of the table in it is.

        Drawing and clicks both ask this, so a click always finds the card drawn (or
        about to be drawn) under it, even between a change to the cards and the frame
        that shows it.
        """
        px, board = self.px, self.board
        rect = board.regions["cards"]
        top = rect.top + px(10) + px(28)
        top += len(self.chosen_lines()) * self.style.font(14).get_linesize() + px(4)
        area = pygame.Rect(rect.left, top, rect.width, rect.bottom - top - px(6))
        h, gap = self.card_height(), px(8)
        boxes = []
        for index in range(len(self.table.cards)):
            box = pygame.Rect(
                rect.left + px(10),
                top + index * (h + gap) - board.card_scroll,
                rect.width - px(20),
                h,
            )
            if box.bottom >= area.top and box.top <= area.bottom:
                boxes.append((index, box))
        return area, boxes

    def draw_cards(self, canvas: pygame.Surface) -> None:
        style, px, table, board = self.style, self.px, self.table, self.board
        rect = board.regions["cards"]
        y = rect.top + px(10)
        match = table.match
        hot = match.hot_seat and table.hand is not None
        mine = f"{match.team(table.hand, self.table.lang)}: your moves" if hot else "Your moves"
        if table.human_turn:
            header = mine
        else:
            header = (
                f"Moves of {narrate.envoy(self.scenario, table.hand, self.table.lang)}"
                if table.hand
                else "Moves"
            )
        room = rect.width - px(24)
        clock, tone = table.clock_text()
        if clock:  # the advisory timer: words and a frame, never colour alone
            shown = style.text(clock, 17, tone, True)
            box = shown.get_rect(topright=(rect.right - px(20), y - px(2))).inflate(px(16), px(6))
            pygame.draw.rect(canvas, style[tone], box, max(1, px(2)), border_radius=px(6))
            canvas.blit(shown, shown.get_rect(center=box.center))
            room = box.left - rect.left - px(24)
        header = self.fit(header, 17, room, bold=True)
        canvas.blit(style.text(header, 17, "text", True), (rect.left + px(12), y))
        y += px(28)
        for piece in self.chosen_lines():
            canvas.blit(style.text(piece, 14, "good"), (rect.left + px(12), y))
            y += style.font(14).get_linesize()
        area, boxes = self.card_layout()
        clip = canvas.get_clip()
        canvas.set_clip(area)
        for index, box in boxes:
            self.draw_card(canvas, table.cards[index], box, index == table.selected)
        canvas.set_clip(clip)
        total = len(table.cards) * (self.card_height() + px(8))
        if total > area.height:
            bar_h = max(px(30), area.height * area.height // total)
            bar_y = area.top + (area.height - bar_h) * board.card_scroll // max(
                1, total - area.height
            )
            pygame.draw.rect(
                canvas,
                style["panel_border"],
                (rect.right - px(6), bar_y, px(4), bar_h),
                border_radius=px(2),
            )
        if not table.cards:
            text = "The crisis is over." if match.over else "No moves to show."
            if match.hot_seat and table.hand is None and not match.over:
                text = "Between teams: only what everyone may see is shown."
            canvas.blit(style.text(text, 15, "muted"), (rect.left + px(12), area.top))

    def draw_card(self, canvas: pygame.Surface, card, box: pygame.Rect, selected: bool) -> None:
        """One card, drawn from its cached surface when nothing on it has changed."""
        table = self.table
        seen = table.preview(card)
        effects = table.effects(card)
        key = (box.size, self.look(), *self._card_key(card, selected, seen, effects))
        surface = self._cards.get(key)
        if surface is None:
            if len(self._cards) > 4 * max(8, len(table.cards)):
                self._cards.clear()  # a new turn's cards: the old ones will not come back
            surface = pygame.Surface(box.size)
            surface.fill(self.style["panel"])
            self._paint_card(surface, card, surface.get_rect(), selected, seen, effects)
            self._cards[key] = surface
        canvas.blit(surface, box)

    def _card_key(self, card, selected: bool, seen, effects) -> tuple:
        return (
            card.move.id,
            card.action,
            len(card.plays),
            self.table.unavailable(card),
            selected,
            None if seen is None else seen.chance,
            None if effects is None else (tuple(effects[0]), tuple(effects[1])),
        )

    def _paint_card(self, canvas, card, box: pygame.Rect, selected: bool, seen, effects) -> None:
        style, px, scenario, table = self.style, self.px, self.scenario, self.table
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
        name = self.fit(str(card.move.name), 17, box.right - px(80) - x, bold=True)
        name = style.text(name, 17, tone, True)
        canvas.blit(name, (x, box.top + px(6) + small.get_height()))
        cost = style.text(f"{card.move.cost} capital", 14, "warn" if playable else "faint", True)
        canvas.blit(cost, (box.right - cost.get_width() - px(12), box.top + px(8)))
        y = box.top + px(6) + self.card_line(12, True) + self.card_line(17, True) + px(2)
        if not playable:
            for piece in style.wrap(table.unavailable(card), 14, box.width - px(32))[:2]:
                canvas.blit(style.text(piece, 14, "warn"), (x, y))
                y += self.card_line(14)
            return
        if seen is not None:
            odds = style.text(f"{seen.chance:.0%}", 22, odds_tone(seen.chance), True)
            canvas.blit(
                odds, (box.right - odds.get_width() - px(12), box.top + px(8) + cost.get_height())
            )
        action = card.action
        if action.targets:
            target = narrate.targets(scenario, action.move, action.targets, self.table.lang)
            arrows = f"‹ {target} ›" if len(card.plays) > 1 else target
            arrows = self.fit(arrows, 14, box.right - px(12) - x, bold=True)
            canvas.blit(style.text(arrows, 14, "accent", True), (x, y))
            y += self.card_line(14, True)
        if effects is not None:
            win, lose = effects
            text = "Works: " + (", ".join(win) if win else "no visible change")
            if seen.chance < 1:
                text += " · Fails: " + (", ".join(lose) if lose else "nothing happens")
            width = box.right - px(12) - x
            pieces = style.wrap(text, 13, width)
            if len(pieces) > 2:
                pieces = [pieces[0], self.fit(pieces[1] + " " + pieces[2], 13, width)]
            for piece in pieces:
                canvas.blit(style.text(piece, 13, "muted"), (x, y))
                y += self.card_line(13)

    # The log -----------------------------------------------------------------------------
    def draw_log(self, canvas: pygame.Surface) -> None:
        style, px, scenario, board = self.style, self.px, self.scenario, self.board
        rect = board.regions["log"]
        entries = self.table.log_entries()
        title = style.text("Log", 16, "text", True)
        canvas.blit(title, (rect.left + px(12), rect.top + px(8)))
        if board.save_warning:  # for as long as saves fail, where the log's hint was
            room = rect.width - title.get_width() - px(40)
            warning = self.fit(board.save_warning, 13, room, bold=True)
            hint = style.text(warning, 13, "bad", True)
        else:
            hint = style.text("PgUp/PgDn or click an entry to see why", 13, "faint")
        canvas.blit(hint, (rect.right - hint.get_width() - px(12), rect.top + px(10)))
        line_h = style.font(14).get_linesize()
        why_h = line_h * 2 + px(8)
        for index, line_rect in self.log_layout(entries):
            entry = entries[index]
            if index == board.log_index:
                pygame.draw.rect(canvas, style["card_selected"], line_rect, border_radius=px(4))
            text = narrate.line(scenario, entry, self.table.lang)
            colour = "text" if entry.is_change else "muted"
            if entry.cause.kind == "turn":
                colour = "accent"
            surface = style.text(
                self.fit(text, 14, line_rect.width - px(8)), 14, colour, entry.cause.kind == "turn"
            )
            canvas.blit(surface, (line_rect.left + px(4), line_rect.top))
        if 0 <= board.log_index < len(entries):
            entry = entries[board.log_index]
            why = "Why: " + narrate.why(scenario, entry, self.table.lang)
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
        px, board = self.px, self.board
        rect = board.regions["log"]
        line_h = self.style.font(14).get_linesize()
        why_h = line_h * 2 + px(8)
        area = pygame.Rect(
            rect.left + px(8), rect.top + px(34), rect.width - px(16), rect.height - px(42) - why_h
        )
        rows = max(1, area.height // line_h)
        log_index = board.log_index
        selected = log_index if 0 <= log_index < len(entries) else len(entries) - 1
        around = selected - rows // 2 if 0 <= log_index < len(entries) else selected - rows + 1
        first = max(0, min(around, len(entries) - rows))
        return [
            (index, pygame.Rect(area.left, area.top + (index - first) * line_h, area.width, line_h))
            for index in range(first, min(len(entries), first + rows))
        ]

    def fit(self, text: str, size: int, width: int, bold: bool = False) -> str:
        """``text``, shortened with an ellipsis where it is wider than ``width``."""
        return shorten(lambda line: self.style.width(line, size, bold), text, width)
