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

import attrs
import pygame

from game.paths import ASSETS
from game.session import drafts, narrate
from game.tunables import read_tunables
from game.ui.render.map import draw_map, map_places
from game.ui.style import has_khmer
from game.ui.widgets import shorten

TUNABLES = read_tunables((ASSETS / "board.yaml").read_text("utf-8"))
#: The odds' colour bands: at least ``good`` shows good, at least ``warn`` shows warn.
ODDS = TUNABLES["odds"]
#: The share of the left column's height the map takes (the panel below has the rest).
MAP_SHARE = TUNABLES["layout"]["map_share"]
#: The least share the map keeps when the details below it need more room.
MAP_SHARE_MIN = TUNABLES["layout"]["map_share_min"]
#: The least share the map keeps while the drafts are shown below it.
DRAFTS_MAP_SHARE_MIN = TUNABLES["layout"]["drafts_map_share_min"]


#: The type sizes the move's details may be set in, largest first.
DETAIL_SIZES = TUNABLES["layout"]["detail_sizes"]
#: How each kind of a move's details is written: (bold, palette colour).
DETAIL_LOOKS = {
    "unavailable": (True, "warn"),
    "target": (True, "accent"),
    "odds": (True, "accent"),
    "cost": (True, "warn"),
    "delayed": (False, "accent"),
    "cooldown": (False, "muted"),
    "visibility": (False, "muted"),
    "joint": (False, "muted"),
}


#: How the map's box writes each kind of what it says: (palette colour, bold).
SPOT_LOOKS = {
    "title": ("text", True),
    "known": ("accent", False),
    "advisor": ("warn", True),
    "advice": ("text", False),
}


@attrs.define
class Line:
    """One text as laid out: drawn at ``rect``, whose size is the text's own."""

    text: str
    size: int
    bold: bool
    colour: object  # a palette name, or ("family", id) for a family's colour
    rect: pygame.Rect


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
        self._texts: dict[tuple, tuple] = {}  # a card's texts, keyed by what it shows
        self._placed: dict[tuple, list[Line]] = {}  # a move's details, laid out
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

    # Where everything goes ------------------------------------------------------------
    def lay_out(self, size: tuple[int, int]) -> dict[str, pygame.Rect]:
        """The board's regions in a window of ``size``: the header bar, the map, the panel
        below it (the selected move's details, the log or the drafts) and the cards. The
        map gives up room, down to its least share, until every move's details fit whole
        below it; while the drafts are shown, until every accord's draft does."""
        width, height = size
        px = self.px
        pad, bar = px(14), px(58)
        right_w = self.right_width(width)
        left_w = width - right_w - 3 * pad
        share = MAP_SHARE
        drafts = self.table.shows_drafts
        least = DRAFTS_MAP_SHARE_MIN if drafts else MAP_SHARE_MIN
        while True:
            map_h = int((height - bar - 3 * pad) * share)
            lower_h = height - bar - 3 * pad - map_h
            regions = {
                "bar": pygame.Rect(0, 0, width, bar),
                "map": pygame.Rect(pad, bar + pad, left_w, map_h),
                "log": pygame.Rect(pad, bar + 2 * pad + map_h, left_w, lower_h),
                "cards": pygame.Rect(
                    2 * pad + left_w, bar + pad, right_w, height - bar - 3 * pad - px(52)
                ),
            }
            fits = self.drafts_fit if drafts else self.details_fit
            if share <= least or fits(regions["log"]):
                return regions
            share = max(least, share - 0.03)

    def right_width(self, width: int) -> int:
        return max(self.px(400), int(width * 0.36))

    def button_places(self) -> dict[str, tuple[pygame.Rect, str, str, str]]:
        """The board's buttons: name -> (where, label, kind, tooltip). The move's three
        go under the cards; Help, Save and Menu at the header's right end."""
        px, regions = self.px, self.board.regions
        cards, width = regions["cards"], regions["bar"].width
        pad, gap, bw = px(14), px(8), px(96)
        y = cards.bottom + pad - px(4)
        first = int((cards.width - 2 * gap) * 0.38)  # the widest label, bold
        third = (cards.width - 2 * gap - first) // 2
        return {
            "play": (
                pygame.Rect(cards.left, y, first, px(46)),
                "Choose (Enter)",
                "primary",
                "Choose the selected move (Enter)",
            ),
            "end": (
                pygame.Rect(cards.left + first + gap, y, third, px(46)),
                "End turn (E)",
                "",
                "Commit your moves and pass (E)",
            ),
            "advice": (
                pygame.Rect(cards.left + first + third + 2 * gap, y, third, px(46)),
                "Advisor (A)",
                "",
                "Suggest a move (A)",
            ),
            "menu": (
                pygame.Rect(width - pad - bw, px(10), bw, px(38)),
                "Menu",
                "",
                "Pause menu (Esc)",
            ),
            "save": (
                pygame.Rect(width - pad - 2 * bw - gap, px(10), bw, px(38)),
                "Save",
                "",
                "Save the game (Ctrl+S)",
            ),
            "help": (
                pygame.Rect(width - pad - 3 * bw - 2 * gap, px(10), bw, px(38)),
                "Help",
                "",
                "How to play (F1)",
            ),
        }

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
            "log": (self.lower_key(), self.draw_log_panel),
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
            cards.append(self._card_key(card, index == table.selected))
        return (
            tuple(cards),
            board.card_scroll,
            table.clock_text(),
            table.human_turn,
            table.hand,
            table.cards_title(),
            table.chosen_text(),
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
            box, lines = self.toast_layout()
            pygame.draw.rect(canvas, style["card_selected"], box, border_radius=self.px(8))
            for line in lines:
                self.blit_line(canvas, line)

    def toast_layout(self) -> tuple[pygame.Rect, list[Line]]:
        """The toast at the top of the map: its box, and its text whole, on as many
        lines as it takes, each centred."""
        style, px, area = self.style, self.px, self.board.regions["map"]
        pieces = style.wrap(self.board.toast_text, 16, area.width - px(24 + 20), True)
        line_h = self.card_line(16, True)
        width = max(style.width(piece, 16, True) for piece in pieces)
        box = pygame.Rect(0, 0, width, line_h * len(pieces)).inflate(px(24), px(12))
        box.midtop = (area.centerx, area.top + px(10))
        lines, y = [], box.top + px(6)
        for piece in pieces:
            rect = pygame.Rect(0, y, style.width(piece, 16, True), line_h)
            rect.centerx = box.centerx
            lines.append(Line(piece, 16, True, "text", rect))
            y += line_h
        return box, lines

    def lower_key(self) -> tuple:
        """What the panel below the map shows: the log, or the selected move in full."""
        table, board = self.table, self.board
        if table.shows_drafts:
            return (
                "drafts",
                tuple(table.drafts()),
                table.draft_row,
                table.draft_option,
                table.draft_note,
                board.save_warning,
            )
        if table.shows_log:
            return ("log", table.log_entries(), board.log_index, board.save_warning)
        card = table.current_card()
        details = tuple(table.details(card))
        return ("move", details, card.move.id, board.save_warning, board.detail_scroll)

    def draw_log_panel(self, canvas: pygame.Surface) -> None:
        self.draw_panel(canvas, "log")
        if self.table.shows_drafts:
            self.draw_drafts(canvas)
        elif self.table.shows_log:
            self.draw_log(canvas)
        else:
            self.draw_move_details(canvas)

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
        title_w, track_w, _status_w = self.bar_widths(turn, cap, label)
        x = px(16)
        if title_w:
            name = self.fit(str(self.scenario.title), 20, title_w, bold=True)
            title = style.text(name, 20, "text", True)
            canvas.blit(title, (x, bar.centery - title.get_height() // 2))
            x += style.width(name, 20, True) + px(20)
        for shown in (turn, cap) if cap is not None else (turn,):
            canvas.blit(shown, (x, bar.centery - shown.get_height() // 2))
            x += shown.get_width() + px(20)
        self.draw_track(canvas, x, label, track_w, header.worst)
        for line in self.status_layout():
            self.blit_line(canvas, line)

    def status_layout(self) -> list[Line]:
        """The status in the header, whole, where it goes: on one line, or on two where
        the header is short (it says whose turn it is, so it is the last to give way)."""
        style, px = self.style, self.px
        bar = self.board.regions["bar"]
        turn, cap, label = self.header_parts()
        title_w, track_w, status_w = self.bar_widths(turn, cap, label)
        if not status_w:
            return []
        x = px(16)
        if title_w:
            x += style.width(self.fit(str(self.scenario.title), 20, title_w, True), 20, True)
            x += px(20)
        for shown in (turn, cap) if cap is not None else (turn,):
            x += shown.get_width() + px(20)
        x += max(track_w, label.get_width()) + px(20)
        status = self.table.status()
        pieces = style.wrap(status, 16, status_w, True)
        if len(pieces) > 2:
            pieces = [pieces[0], self.fit(" ".join(pieces[1:]), 16, status_w, bold=True)]
        line_h = self.card_line(16, True)
        y = bar.centery - len(pieces) * line_h // 2
        lines = []
        for piece in pieces:
            rect = pygame.Rect(x, y, style.width(piece, 16, True), line_h)
            lines.append(Line(piece, 16, True, "accent", rect))
            y += line_h
        return lines

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
        style, px = self.style, self.px
        placed = self.spot_layout(focus)
        if placed is None:
            return
        box, lines = placed
        pygame.draw.rect(canvas, style["background"], box, border_radius=px(8))
        pygame.draw.rect(canvas, style["accent"], box, 1, border_radius=px(8))
        for line in lines:
            self.blit_line(canvas, line)

    def spot_layout(self, focus) -> tuple[pygame.Rect, list[Line]] | None:
        """The map's box and its lines, whole: narrow enough to fit between the parties
        where it can be, wider (then in smaller type) where the map is too short for it."""
        style, px = self.style, self.px
        details = self.table.spot_details(focus)
        if not details:
            return None
        rect = self.board.regions["map"]
        narrow = min(px(300), rect.width * 2 // 5)
        widths = [narrow, rect.width // 2, rect.width * 3 // 4, rect.width - px(20)]
        for size in (14, 13, 12):
            for width in widths:
                wrapped = []
                for detail in details:
                    colour, bold = SPOT_LOOKS.get(detail.kind, ("muted", False))
                    for piece in style.wrap(detail.text, size, width - px(20), bold):
                        wrapped.append((piece, colour, bold))
                height = sum(self.card_line(size, b) for _, _, b in wrapped) + px(16)
                if height <= rect.height - px(20):
                    break
            else:
                continue
            break
        box = self.clear_corner(rect, width, height)
        lines, y = [], box.top + px(8)
        for text, colour, bold in wrapped:
            line_h = self.card_line(size, bold)
            rect_line = pygame.Rect(box.left + px(10), y, style.width(text, size, bold), line_h)
            lines.append(Line(text, size, bold, colour, rect_line))
            y += line_h
        return box, lines

    def clear_corner(self, rect: pygame.Rect, width: int, height: int) -> pygame.Rect:
        """Where a box of this size hides the least of the map: of the places along
        its edges, the one farthest from every party and every relation's label, so a
        popup about the map never covers what it talks about. Ties keep the bottom
        right, where it has always been."""
        px = self.px
        laid = map_places(self.scenario, rect, self.style)
        marks = [*laid.nodes, *(box.center for box in laid.pills)]
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
    def card_line(self, size: int, bold: bool = False) -> int:
        """A line as tall as the crisis's script needs (Khmer stacks above and below)."""
        return self.style.line_height(size, bold, self.khmer)

    @property
    def khmer(self) -> bool:
        return any(has_khmer(str(party.name)) for party in self.scenario.parties)

    def clock_box(self) -> pygame.Rect | None:
        """Where the turn timer's frame goes, at the top right of the cards; None without one."""
        clock = self.table.clock_text()[0]
        if not clock:
            return None
        px, rect = self.px, self.board.regions["cards"]
        width = self.style.width(clock, 17, True)
        box = pygame.Rect(0, 0, width, self.card_line(17, True))
        box.topright = (rect.right - px(20), rect.top + px(8))
        return box.inflate(px(16), px(6))

    def cards_title_lines(self) -> list[str]:
        """The heading over the cards, whole: on two lines where a team's name is long."""
        rect, px = self.board.regions["cards"], self.px
        box = self.clock_box()
        room = (box.left if box is not None else rect.right) - rect.left - px(24)
        pieces = self.style.wrap(self.table.cards_title(), 17, room, True)
        if len(pieces) > 2:
            pieces = [pieces[0], self.fit(" ".join(pieces[1:]), 17, room, bold=True)]
        return pieces

    def chosen_lines(self) -> list[str]:
        """The lines naming the moves the shown seat has chosen this turn, whole."""
        text = self.table.chosen_text()
        if not text:
            return []
        return self.style.wrap(text, 14, self.board.regions["cards"].width - self.px(24))

    def card_texts(self, card, width: int) -> tuple[int, list[Line]]:
        """A card ``width`` wide: its height, and each text on it with where it goes
        (relative to the card's corner). Every text is whole and inside the card: a
        name or a reason too long for one line takes two, and the card grows."""
        style, px, table = self.style, self.px, self.table
        key = (self.look(), width, *self._card_key(card, False))
        found = self._texts.get(key)
        if found is not None:
            return found
        playable = card.action is not None
        x, right = px(16), width - px(12)
        lines: list[Line] = []

        def put(text, size, bold, colour, left, top, room) -> Line:
            line = Line(text, size, bold, colour, pygame.Rect(left, top, room, 0))
            line.rect.size = (style.width(text, size, bold), self.card_line(size, bold))
            lines.append(line)
            return line

        y = px(6)
        cost = table.cost_text(card)
        cost_w = style.width(cost, 13, True)
        put(cost, 13, True, "warn" if playable else "faint", right - cost_w, y, cost_w)
        family = next(
            (str(f.name) for f in self.scenario.families if f.id == card.move.family),
            card.move.family,
        ).upper()
        room = right - cost_w - px(8) - x
        put(self.fit(family, 12, room, True), 12, True, ("family", card.move.family), x, y, room)
        y += max(self.card_line(12, True), self.card_line(13, True))
        seen = table.preview(card)
        room = right - x
        if seen is not None:
            odds = table.odds_text(card)
            odds_w = style.width(odds, 18, True)
            put(odds, 18, True, odds_tone(seen.chance), right - odds_w, y, odds_w)
            room -= odds_w + px(8)
        tone = "text" if playable else "faint"
        for piece in style.wrap(str(card.move.name), 17, room, True):
            put(piece, 17, True, tone, x, y, room)
            y += self.card_line(17, True)
        if seen is not None:
            y = max(y, lines[2].rect.bottom)  # the odds, beside a one-line name
        bottom = ""
        if not playable:
            bottom, size, bold, colour = table.unavailable(card), 14, False, "warn"
        elif card.action.targets:
            action = card.action
            target = narrate.targets(self.scenario, action.move, action.targets, table.lang)
            bottom = f"‹ {target} ›" if len(card.plays) > 1 else target
            size, bold, colour = 14, True, "accent"
        if bottom:
            for piece in style.wrap(bottom, size, right - x, bold):
                put(piece, size, bold, colour, x, y, right - x)
                y += self.card_line(size, bold)
        found = self._texts[key] = (y + px(6), lines)
        return found

    def card_spans(self) -> list[tuple[int, int]]:
        """Each card's top (in the list, before scrolling) and height."""
        width = self.board.regions["cards"].width - self.px(20)
        spans, top = [], 0
        for card in self.table.cards:
            height = self.card_texts(card, width)[0]
            spans.append((top, height))
            top += height + self.px(8)
        return spans

    def cards_height(self) -> int:
        """How tall the whole card list is, gaps included."""
        spans = self.card_spans()
        return spans[-1][0] + spans[-1][1] if spans else 0

    def card_layout(self) -> tuple[pygame.Rect, list[tuple[int, pygame.Rect]]]:
        """The card list's visible area, and where each card of the table in it is.

        Drawing and clicks both ask this, so a click always finds the card drawn (or
        about to be drawn) under it, even between a change to the cards and the frame
        that shows it.
        """
        px, board = self.px, self.board
        rect = board.regions["cards"]
        top = rect.top + px(10) + len(self.cards_title_lines()) * self.card_line(17, True) + px(6)
        top += len(self.chosen_lines()) * self.card_line(14) + px(4)
        area = pygame.Rect(rect.left, top, rect.width, rect.bottom - top - px(6))
        boxes = []
        for index, (offset, height) in enumerate(self.card_spans()):
            box = pygame.Rect(
                rect.left + px(10), top + offset - board.card_scroll, rect.width - px(20), height
            )
            if box.bottom >= area.top and box.top <= area.bottom:
                boxes.append((index, box))
        return area, boxes

    def draw_cards(self, canvas: pygame.Surface) -> None:
        style, px, table, board = self.style, self.px, self.table, self.board
        rect = board.regions["cards"]
        y = rect.top + px(10)
        clock, tone = table.clock_text()
        box = self.clock_box()
        if box is not None:  # the advisory timer: words and a frame, never colour alone
            shown = style.text(clock, 17, tone, True)
            pygame.draw.rect(canvas, style[tone], box, max(1, px(2)), border_radius=px(6))
            canvas.blit(shown, shown.get_rect(center=box.center))
        for piece in self.cards_title_lines():
            canvas.blit(style.text(piece, 17, "text", True), (rect.left + px(12), y))
            y += self.card_line(17, True)
        y += px(6)
        for piece in self.chosen_lines():
            canvas.blit(style.text(piece, 14, "good"), (rect.left + px(12), y))
            y += self.card_line(14)
        area, boxes = self.card_layout()
        clip = canvas.get_clip()
        canvas.set_clip(area)
        for index, box in boxes:
            self.draw_card(canvas, table.cards[index], box, index == table.selected)
        canvas.set_clip(clip)
        total = self.cards_height()
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
            text = style.text(table.no_cards_text(), 15, "muted")
            canvas.blit(text, (rect.left + px(12), area.top))

    def draw_card(self, canvas: pygame.Surface, card, box: pygame.Rect, selected: bool) -> None:
        """One card, drawn from its cached surface when nothing on it has changed."""
        key = (box.size, self.look(), *self._card_key(card, selected))
        surface = self._cards.get(key)
        if surface is None:
            if len(self._cards) > 4 * max(8, len(self.table.cards)):
                self._cards.clear()  # a new turn's cards: the old ones will not come back
                self._texts.clear()
            surface = pygame.Surface(box.size)
            surface.fill(self.style["panel"])
            self._paint_card(surface, card, selected)
            self._cards[key] = surface
        canvas.blit(surface, box)

    def _card_key(self, card, selected: bool) -> tuple:
        seen = self.table.preview(card)
        return (
            card.move.id,
            card.action,
            len(card.plays),
            card.reason,
            selected,
            None if seen is None else seen.chance,
            self.table.cost_text(card),
        )

    def _paint_card(self, canvas, card, selected: bool) -> None:
        style, px, scenario = self.style, self.px, self.scenario
        box = canvas.get_rect()
        playable = card.action is not None
        background = (
            style["card_selected"]
            if selected
            else style["card"]
            if playable
            else style["card_disabled"]
        )
        pygame.draw.rect(canvas, background, box, border_radius=px(8))
        if selected:  # the keyboard's focus ring, and the card the details below the map show
            pygame.draw.rect(canvas, style["focus"], box, px(2), border_radius=px(8))
        stripe = pygame.Rect(box.left, box.top, px(6), box.height)
        pygame.draw.rect(
            canvas,
            style.family_colour(scenario, card.move.family),
            stripe,
            border_top_left_radius=px(8),
            border_bottom_left_radius=px(8),
        )
        for line in self.card_texts(card, box.width)[1]:
            self.blit_line(canvas, line)

    def blit_line(self, canvas, line: Line) -> None:
        colour = line.colour
        if isinstance(colour, tuple):  # a family's own colour
            colour = self.style.family_colour(self.scenario, colour[1])
        canvas.blit(self.style.text(line.text, line.size, colour, line.bold), line.rect)

    # The move's details, below the map ----------------------------------------------------
    def details_area(self, rect: pygame.Rect | None = None) -> pygame.Rect:
        """Where a move's details go in the panel below the map (``rect``, by default
        the panel as laid out now)."""
        rect, px = rect or self.board.regions["log"], self.px
        return pygame.Rect(
            rect.left + px(12), rect.top + px(36), rect.width - px(24), rect.height - px(44)
        )

    def details_layout(self, card) -> list[Line]:
        """The selected move's details in the panel below the map, whole: in two columns
        where the panel is wide, in smaller type where even that is too little room."""
        area = self.details_area()
        key = (self.look(), tuple(area), tuple(self.table.details(card)))
        found = self._placed.get(key)
        if found is None:
            if len(self._placed) > 4 * max(8, len(self.table.cards)):
                self._placed.clear()  # another turn's details: they will not come back
            found = self._placed[key] = self._place_details(card, area)[0]
        return found

    def details_fit(self, panel: pygame.Rect) -> bool:
        """Whether every card's details fit whole in ``panel``, in type no smaller than the
        smallest the board allows (the layout gives the panel more room if not)."""
        area = self.details_area(panel)
        return all(self._place_details(card, area)[1] for card in self.table.cards)

    def _place_details(self, card, area: pygame.Rect) -> tuple[list[Line], bool]:
        gap = self.px(20)
        details = self.table.details(card)
        most = 2 if area.width >= 2 * self.px(220) + gap else 1  # never too narrow to read
        # Largest type first; at each size one column, then two with each detail whole
        # in its column, then two with a long detail going on at the next column's top.
        tries = [(1, False), (2, False), (2, True)] if most == 2 else [(1, False)]
        for size in DETAIL_SIZES:
            for columns, split in tries:
                width = (area.width - gap * (columns - 1)) // columns
                placed = self._flow(details, size, area, width, gap, columns, split)
                if placed is not None:
                    return placed, True
        # Too long for the panel even so: one column that scrolls, read top to bottom.
        return self._flow(details, size, area, area.width, gap, 1, True, force=True), False

    def _flow(
        self, details, size, area, width, gap, columns, split, force=False
    ) -> list[Line] | None:
        """Details laid out column by column (a detail split between two only with
        ``split``); None when they do not fit (with ``force``, they run on below)."""
        style = self.style
        line_h = self.card_line(size, True)
        placed: list[Line] = []
        column, y = 0, area.top
        for detail in details:
            bold, colour = DETAIL_LOOKS.get(detail.kind, (False, "text"))
            pieces = style.wrap(detail.text, size, width, bold)
            if not split and y + len(pieces) * line_h > area.bottom and y > area.top:
                column, y = column + 1, area.top
            for piece in pieces:
                last = column + 1 >= columns
                if y + line_h > area.bottom and y > area.top and not (force and last):
                    column, y = column + 1, area.top
                if column >= columns and not force:
                    return None
                x = area.left + min(column, columns - 1) * (width + gap)
                rect = pygame.Rect(x, y, style.width(piece, size, bold), line_h)
                placed.append(Line(piece, size, bold, colour, rect))
                y += line_h
            y += self.px(3)
        return placed

    def drafts_chip(self) -> tuple[pygame.Rect, str] | None:
        """The clickable "D: the drafts" (or "D: back") at the top of the panel below
        the map, after its title; None in a crisis without drafts."""
        table, style, px = self.table, self.style, self.px
        if not table.has_drafts or table.playback is not None:
            return None
        rect = self.board.regions["log"]
        label = "D: back" if table.shows_drafts else "D: the drafts"
        title_w = min(style.width(self.lower_title(), 16, True), rect.width // 2)
        chip = pygame.Rect(0, 0, style.width(label, 13, True) + px(16), self.card_line(13) + px(4))
        chip.midleft = (rect.left + px(12) + title_w + px(12), rect.top + px(8) + px(10))
        return chip, label

    def lower_title(self) -> str:
        """The title of the panel below the map: the drafts', the log's or the move's."""
        table = self.table
        if table.shows_drafts:
            shown, count = self.drafts_shown(), len(table.drafts())
            if shown is None or count < 2:
                return "Drafts"
            place = [a.index for a in table.drafts()].index(shown[0].index) + 1
            return f"Drafts ({place} of {count})"
        if table.shows_log:
            return "Log"
        return narrate.move(self.scenario, table.current_card().move.id, table.lang)

    def draw_lower_header(self, canvas: pygame.Surface, title: str, hints: list[str]) -> None:
        """The panel's title and the drafts' chip, then on the right the save warning
        while saves fail, else the first of ``hints`` (longest first) that fits whole."""
        style, px, board = self.style, self.px, self.board
        rect = board.regions["log"]
        shown = style.text(self.fit(title, 16, rect.width // 2, True), 16, "text", True)
        canvas.blit(shown, (rect.left + px(12), rect.top + px(8)))
        left = rect.left + px(24) + shown.get_width()
        chip = self.drafts_chip()
        if chip is not None:
            box, label = chip
            pygame.draw.rect(canvas, style["card_selected"], box, border_radius=px(6))
            pygame.draw.rect(canvas, style["panel_border"], box, 1, border_radius=px(6))
            text = style.text(label, 13, "accent", True)
            canvas.blit(text, text.get_rect(center=box.center))
            left = box.right + px(12)
        room = rect.right - px(12) - left
        if board.save_warning:  # for as long as saves fail, where the hint was
            text = style.text(self.fit(board.save_warning, 13, room, bold=True), 13, "bad", True)
        else:
            hint = next((h for h in hints if style.width(h, 13) <= room), "")
            text = style.text(hint, 13, "faint")
        canvas.blit(text, (rect.right - text.get_width() - px(12), rect.top + px(10)))

    def details_scroll_range(self, card=None) -> tuple[int, int]:
        """How far the details can scroll (0 when they fit whole), and one step of it."""
        card = card or self.table.current_card()
        if card is None:
            return 0, 1
        lines, area = self.details_layout(card), self.details_area()
        bottom = max((line.rect.bottom for line in lines), default=area.top)
        step = min((line.rect.height for line in lines), default=1)
        return max(0, bottom - area.bottom), step

    def details_shown(self, card) -> tuple[list[Line], bool, bool]:
        """The details lines in view at the panel's scroll (each whole, none cut by the
        panel's edge), and whether more lie above and below it."""
        area, scroll = self.details_area(), self.board.detail_scroll
        shown, above, below = [], False, False
        for line in self.details_layout(card):
            rect = line.rect.move(0, -scroll)
            if rect.top < area.top:
                above = True
            elif rect.bottom > area.bottom:
                below = True
            else:
                shown.append(attrs.evolve(line, rect=rect))
        return shown, above, below

    def lower_hints(self, card) -> list[str]:
        """The details panel's hints, longest first: where its details are longer than
        the panel, that more lies below (or above), so nothing is cut silently."""
        _, above, below = self.details_shown(card)
        if below:
            return ["More below: PgDn or the wheel · L: the log", "More below: PgDn", "More ↓"]
        if above:
            return ["PgUp: back to the top · L: the log", "PgUp: the top", "More ↑"]
        return ["L: the log"]

    def draw_move_details(self, canvas: pygame.Surface) -> None:
        card = self.table.current_card()
        name = self.lower_title()
        shown = self.details_shown(card)[0]
        self.draw_lower_header(canvas, name, self.lower_hints(card))
        for line in shown:
            self.blit_line(canvas, line)
        total, _ = self.details_scroll_range(card)
        if total:
            area, px = self.details_area(), self.px
            bar_h = max(px(20), area.height * area.height // (area.height + total))
            bar_y = area.top + (area.height - bar_h) * self.board.detail_scroll // total
            pygame.draw.rect(
                canvas,
                self.style["panel_border"],
                (self.board.regions["log"].right - px(6), bar_y, px(4), bar_h),
                border_radius=px(2),
            )

    # The log -----------------------------------------------------------------------------
    def draw_log(self, canvas: pygame.Surface) -> None:
        style, px, scenario, board = self.style, self.px, self.scenario, self.board
        rect = board.regions["log"]
        entries = self.table.log_entries()
        why = "PgUp/PgDn or click an entry to see why"
        hints = [f"L: the move's details · {why}", why] if self.table.log_asked else [why]
        self.draw_lower_header(canvas, self.lower_title(), [*hints, "PgUp/PgDn: why"])
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
        lines = self.why_layout(entries)
        if lines:
            y = lines[0].rect.top
            pygame.draw.line(
                canvas,
                style["panel_border"],
                (rect.left + px(8), y - px(4)),
                (rect.right - px(8), y - px(4)),
            )
            for line in lines:
                self.blit_line(canvas, line)

    def why_texts(self, entries) -> list[tuple[str, str]]:
        """What the foot of the log says of the selected entry, as (text, colour): the
        entry whole where its line in the list is cut, then its why."""
        index = self.board.log_index
        if not 0 <= index < len(entries):
            return []
        scenario, lang, entry = self.scenario, self.table.lang, entries[index]
        said = narrate.line(scenario, entry, lang)
        width = self.board.regions["log"].width - self.px(16 + 8)
        texts = [] if self.style.width(said, 14) <= width else [(said, "text")]
        return [*texts, ("Why: " + narrate.why(scenario, entry, lang), "warn")]

    def why_layout(self, entries) -> list[Line]:
        """The selected entry's foot lines, whole, at the bottom of the log panel."""
        style, px = self.style, self.px
        rect = self.board.regions["log"]
        line_h = self.card_line(14)
        pieces = [
            (piece, colour)
            for text, colour in self.why_texts(entries)
            for piece in style.wrap(text, 14, rect.width - px(24))
        ]
        y = rect.bottom - px(6) - len(pieces) * line_h
        lines = []
        for piece, colour in pieces:
            lines.append(
                Line(
                    piece,
                    14,
                    False,
                    colour,
                    pygame.Rect(rect.left + px(12), y, style.width(piece, 14), line_h),
                )
            )
            y += line_h
        return lines

    def log_layout(self, entries) -> list[tuple[int, pygame.Rect]]:
        """The log lines shown, as (index in ``entries``, line): the newest ones, or
        those around the selected entry. Drawing and clicks both ask this, with the
        entries as they are now (a new turn, or another team at the computer)."""
        px, board = self.px, self.board
        rect = board.regions["log"]
        if not self.table.shows_log or self.table.shows_drafts:
            return []
        line_h = self.card_line(14)
        # room for the selected entry's foot, and never less than two lines of it, so
        # the list does not jump as entries with shorter whys are picked
        foot = max(2, len(self.why_layout(entries))) * self.card_line(14)
        why_h = foot + px(8)
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

    # The drafts ---------------------------------------------------------------------------
    def drafts_shown(self):
        """The accord whose draft the panel shows (the highlighted row's), with its
        first row's index among all rows; None when there is none."""
        table = self.table
        drafts = table.drafts()
        found = table.draft_cursor()
        if found is None:
            return None
        first = 0
        for accord in drafts:
            if accord.index == found[0].accord:
                return accord, first
            first += len(accord.issues)
        return None

    def drafts_fit(self, panel: pygame.Rect) -> bool:
        """Whether every accord's draft fits whole in ``panel`` in the smallest type
        allowed (the layout gives the panel more room if not)."""
        table = self.table
        if not table.has_drafts:
            return True
        area = self.details_area(panel)
        return all(
            self._place_drafts(accord, area, DETAIL_SIZES[-1])[2] for accord in table.drafts()
        )

    def drafts_layout(self) -> tuple[list[Line], list[tuple[int, int, pygame.Rect, bool, bool]]]:
        """The drafts panel as laid out: its lines, and its option cells as (row index
        among all rows, option, box, highlighted, in the draft), in the largest type in
        which the accord shown fits whole."""
        shown = self.drafts_shown()
        if shown is None:
            return [], []
        accord, first = shown
        area = self.details_area()
        for size in DETAIL_SIZES:
            lines, cells, fits = self._place_drafts(accord, area, size, first)
            if fits:
                break
        return lines, cells

    def _place_drafts(self, accord, area: pygame.Rect, size: int, first: int = 0):
        """One accord's draft in ``area`` at type ``size``: (lines, cells, whether it fits)."""
        style, px, table = self.style, self.px, self.table
        line_h = self.card_line(size, True)
        lines: list[Line] = []
        cells: list[tuple[int, int, pygame.Rect, bool, bool]] = []
        y = area.top

        fits = True

        def put(text: str, bold: bool, colour, most: int = 3) -> None:
            nonlocal y, fits
            pieces = style.wrap(text, size, area.width, bold)
            if len(pieces) > most:  # said in short, and the type or the room must grow
                fits = False
                pieces = [*pieces[: most - 1], " ".join(pieces[most - 1 :])]
            for piece in pieces:
                piece = self.fit(piece, size, area.width, bold)
                lines.append(Line(piece, size, bold, colour, pygame.Rect(area.left, y, 0, line_h)))
                y += line_h
            y += px(3)

        tone = "good" if accord.signed else "warn"
        if accord.chance is not None:
            tone = odds_tone(accord.chance)
        put(f"{accord.name}: {accord.status}", True, tone)
        cursor = table.draft_cursor()
        gap = px(6)

        def labelled(issue) -> int:  # an issue's name and the seat's weight beside it
            weight = style.width(issue.mine_weight, size) + gap if issue.mine_weight else 0
            return style.width(issue.name, size, True) + weight

        label_w = min(max(labelled(issue) for issue in accord.issues) + px(10), area.width // 4)
        most = max(len(issue.options) for issue in accord.issues)
        cell_w = (area.width - label_w) // most
        for offset, issue in enumerate(accord.issues):
            row = first + offset
            texts = []
            for option in issue.options:
                value_w = style.width(option.mine, size, True) + px(8) if option.mine else 0
                room = cell_w - px(18) - value_w
                pieces = style.wrap(option.text, size, room, True)
                if len(pieces) > 3:
                    fits = False
                    pieces = [*pieces[:2], self.fit(" ".join(pieces[2:]), size, room, True)]
                texts.append(pieces)
            label = style.wrap(issue.name, size, label_w - px(10), True)
            if len(label) > 2:
                fits = False
                label = [label[0], self.fit(" ".join(label[1:]), size, label_w - px(10), True)]
            for number, piece in enumerate(label):
                top = y + px(2) + number * line_h
                lines.append(
                    Line(piece, size, True, "text", pygame.Rect(area.left, top, 0, line_h))
                )
            if issue.mine_weight:
                # how much the issue matters to the seat: after its name, or under it
                last = style.width(label[-1], size, True) + gap
                weight_w = style.width(issue.mine_weight, size)
                left, number = area.left + last, len(label) - 1
                if last + weight_w > label_w - px(10):
                    left, number = area.left, len(label)
                top = y + px(2) + number * line_h
                lines.append(
                    Line(issue.mine_weight, size, False, "muted", pygame.Rect(left, top, 0, line_h))
                )
                label = [*label, ""] if number == len(label) else label
            lines_in_row = max(len(label), *(len(pieces) for pieces in texts))
            cell_h = lines_in_row * line_h + px(4)
            for index, option in enumerate(issue.options):
                box = pygame.Rect(area.left + label_w + index * cell_w, y, cell_w - px(6), cell_h)
                here = cursor is not None and row == table.draft_row
                look = here and index == table.draft_option
                cells.append((row, index, box, look, option.in_draft))
                colour = "text" if option.in_draft or look else "muted"
                for number, piece in enumerate(texts[index]):
                    top = box.top + px(2) + number * line_h
                    lines.append(
                        Line(
                            piece,
                            size,
                            option.in_draft,
                            colour,
                            pygame.Rect(box.left + px(6), top, 0, line_h),
                        )
                    )
                if option.mine:
                    tone = "good" if option.mine.startswith("+") else "muted"
                    tone = "bad" if option.mine.startswith("−") else tone
                    lines.append(
                        Line(
                            option.mine,
                            size,
                            True,
                            tone,
                            pygame.Rect(
                                box.right - px(6) - style.width(option.mine, size, True),
                                box.top + px(2),
                                0,
                                line_h,
                            ),
                        )
                    )
            y += cell_h + px(2)
        y += px(2)
        if cursor is None or cursor[0].accord != accord.index:
            # laid out only to see that it fits: the foot as if its first row were chosen
            cursor = (accord.issues[0], accord.issues[0].options[accord.issues[0].draft])
        if cursor is not None:
            issue, option = cursor
            put(drafts.option_line(option, issue), False, "accent", 1)
            weights = drafts.weight_line(issue)
            if weights:
                put(weights, False, "muted", 1)
            note = table.draft_note
            if note:
                put(note, True, "good" if note.startswith("Amended") else "warn")
            elif option.amend is not None:
                put(f"Enter (or click it again): amend the draft to {option.text}", False, "text")
            elif option.in_draft:
                put("The draft says this now.", False, "muted", 1)
            else:
                put(option.refusal, False, "muted")
        put(accord.sponsors, False, "muted")
        for line in lines:
            line.rect.width = style.width(line.text, line.size, line.bold)
        return lines, cells, fits and y - px(3) <= area.bottom

    def draw_drafts(self, canvas: pygame.Surface) -> None:
        style, px = self.style, self.px
        title = self.lower_title()
        hints = [
            "Up/Down: issue · Left/Right: option · Enter: amend · Esc: back",
            "Up/Down · Left/Right · Enter: amend",
            "Enter: amend",
        ]
        self.draw_lower_header(canvas, title, hints)
        lines, cells = self.drafts_layout()
        for _, _, box, highlighted, in_draft in cells:
            if highlighted:
                pygame.draw.rect(canvas, style["card_selected"], box, border_radius=px(5))
            edge = "accent" if in_draft else "text" if highlighted else "panel_border"
            pygame.draw.rect(
                canvas, style[edge], box, px(2) if in_draft else 1, border_radius=px(5)
            )
        for line in lines:
            self.blit_line(canvas, line)

    def fit(self, text: str, size: int, width: int, bold: bool = False) -> str:
        """``text``, shortened with an ellipsis where it is wider than ``width``."""
        return shorten(lambda line: self.style.width(line, size, bold), text, width)
