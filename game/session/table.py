"""The table: a match as the people at one computer play it, without any drawing.

The board scene draws a :class:`Table` and turns keys and clicks into its calls;
everything else about running a game at a screen lives here, so it can be
tested without a window:

- who is looking (the viewer) and, in hot-seat play, what that team may see:
  the table hands out only ``player_view`` / ``ledger_view`` of the viewer, or
  the public view between two teams, never the whole state;
- the cards: each move with its legal targets, its odds and why it cannot be
  played, in one order fixed for the game;
- the AI seats and the advisor, thinking in slices of a time budget;
- the advisory turn timer;
- the facilitator's actions and the autosave after them;
- the playback of a resolution, one beat at a time, with the log and the header
  as of the beat on screen, so the story never tells its own ending early.

Time comes from an injected clock, so tests run the timer and the AI's slices
on a fake one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import attrs

from game.ai.search import DEFAULT_TUNING
from game.ai.thinking import Thinking
from game.engine import bargain, meters
from game.engine.actions import Action, Amend, Decide, End, FacilitatorAction, Play, Withdraw
from game.engine.ledger import Entry
from game.engine.model import Scenario
from game.engine.rules import IllegalAction, Preview, play_repeats, preview, problem
from game.engine.state import DECISION, DIPLOMACY, GameState
from game.engine.view import ledger_view, public_view
from game.session import drafts, narrate
from game.session.match import Match
from game.session.settings import LIMITS

Clock = Callable[[], float]

#: Seconds of AI thinking in one frame (difficulty.yaml: search.frame_budget_ms).
THINK_SECONDS = DEFAULT_TUNING.frame_budget_ms / 1000


@attrs.define
class Card:
    """One move as the seat shown sees it, with the chosen target."""

    move: object
    plays: list  # legal Play actions for this move, one per target
    target: int = 0
    reason: str = ""  # why it cannot be played, when plays is empty
    reason_whole: str = ""  # the same, whole, for the details panel

    @property
    def action(self) -> Play | None:
        return self.plays[self.target] if self.plays else None

    @property
    def usable(self) -> bool:
        return bool(self.plays)


@attrs.frozen
class Header:
    """What the header bar says: as of the beat on screen while a resolution plays."""

    turn: int
    last_turn: int
    capital: int | None  # the shown seat's capital, None when no seat is shown
    worst: float  # the highest tension, against the scenario's conflict line
    status: str


@attrs.frozen
class Acted:
    """What one action through the table caused."""

    problem: str = ""  # why it was refused ("" when it was applied)
    resolved: tuple[Entry, ...] | None = None  # the turn's entries, when it resolved


class TurnTimer:
    """The advisory timer: seconds a seat has spent on its turn, on the injected clock.

    It runs only while the table says a human seat is choosing and nothing holds it
    (the facilitator's pause, a dialog over the board). A hold stops it; letting go
    continues from where it stood. A new seat or a new turn starts it from zero.
    """

    def __init__(self, clock: Clock):
        self.clock = clock
        self.key: tuple | None = None
        self.spent = 0.0
        self.since: float | None = None  # when it last started running
        self.holds: set[str] = set()

    @property
    def seconds(self) -> float:
        running = 0.0 if self.since is None else self.clock() - self.since
        return self.spent + running

    def run(self, key: tuple | None) -> None:
        """Time ``key`` (a seat's turn); None stops the clock where it stands (a decision
        the seat must take first), and a new key starts from zero."""
        if key is not None and key != self.key:
            self.key, self.spent, self.since = key, 0.0, None
        self._set(key is not None and not self.holds)

    def hold(self, why: str) -> None:
        self.holds.add(why)
        self._set(False)

    def release(self, why: str) -> None:
        self.holds.discard(why)
        self._set(self.key is not None and not self.holds)

    def reset(self) -> None:
        self.key, self.spent, self.since = None, 0.0, None

    def _set(self, running: bool) -> None:
        if running and self.since is None:
            self.since = self.clock()
        elif not running and self.since is not None:
            self.spent += self.clock() - self.since
            self.since = None


@attrs.define
class Playback:
    """A resolution being told, beat by beat, to the seat shown."""

    turn: int  # the turn resolved
    before: GameState  # the view of the state just before the resolution
    earlier: list[Entry]  # the log shown before the resolution
    beats: list[narrate.Beat]
    ends: list[int]  # for each beat, how many of ``entries`` have been told after it
    entries: list[Entry]  # the resolution's entries as the seat shown may read them
    index: int = 0

    @property
    def done(self) -> bool:
        return self.index >= len(self.beats)

    @property
    def told(self) -> list[Entry]:
        """The resolution's entries up to and including the beat on screen."""
        if not self.beats:
            return []
        return self.entries[: self.ends[min(self.index, len(self.beats) - 1)]]


def _beat_ends(
    scenario: Scenario, entries: list[Entry], beats: list[narrate.Beat], lang: str
) -> list[int]:
    """For each beat, how many of ``entries`` have been told once it has.

    A beat holds the very entries it tells (its changes), after the note that is its
    headline, if any; a note with no words tells nothing, so it falls to the next beat.
    """
    ends, at = [], 0
    for beat in beats:
        if beat.changes:
            last = beat.changes[-1]
            while at < len(entries) and entries[at] is not last:
                at += 1
        else:
            while at < len(entries) and (
                entries[at].is_change or narrate.note(scenario, entries[at], lang) != beat.headline
            ):
                at += 1
        at = min(at + 1, len(entries))
        ends.append(at)
    return ends


def as_of(state: GameState, entries: Sequence[Entry]) -> GameState:
    """``state`` with the meter changes of ``entries`` applied (their ``after`` values),
    the turn moved on to the latest entry's: what the screen shows mid-playback."""
    scenario = state.scenario
    fields: dict[str, list] = {}
    parties = [p.id for p in scenario.parties]
    turn = state.turn
    for entry in entries:
        turn = max(turn, entry.turn)
        meter = meters.BY_NAME.get(entry.meter)
        if meter is None:
            continue
        index = _meter_index(scenario, parties, meter, entry.subject)
        if index is None:
            continue
        values = fields.setdefault(meter.field, list(getattr(state, meter.field)))
        if 0 <= index < len(values):
            values[index] = entry.after
    changed = {name: tuple(values) for name, values in fields.items()}
    return attrs.evolve(state, turn=turn, **changed)


def _meter_index(scenario, parties: list[str], meter: meters.Meter, subject) -> int | None:
    try:
        if meter.subject == "relation":
            return scenario.relation_index(parties.index(subject[0]), parties.index(subject[1]))
        if meter.subject == "standing":
            return scenario.envoy_index(subject[0]) * len(parties) + parties.index(subject[1])
        if meter.subject == "envoy":
            return scenario.envoy_index(subject[0])
        if meter.subject == "party":
            return parties.index(subject[0])
        return list(scenario.counters).index(subject[0])
    except (ValueError, IndexError, KeyError, TypeError):
        return None


class Table:
    """One match at one computer. Scenes read it and call it; it never draws."""

    def __init__(
        self,
        match: Match,
        clock: Clock = time.perf_counter,
        save: Callable[[Match], object] | None = None,
        lang: str = "en",
    ):
        self.match = match
        self.lang = lang  # the language every line the table words is in
        self.clock = clock
        self.save = save
        # In hot-seat play the viewer is the team at the computer, None between teams
        # (then only what everyone may see is handed out); alone, it is the one human.
        self.viewer = None if match.hot_seat else self._first_human()
        self.briefed: set[str] = set()  # teams that have read their private brief
        self.timer = TurnTimer(clock)
        self.cards: list[Card] = []
        self.selected = 0
        self.advice = ""
        self.advice_action: Action | None = None
        self.thinking: Thinking | None = None
        self.thinking_for: tuple[str, str] | None = None
        self.ai_wait = 0.0  # seconds since an AI seat could have started to move
        self.playback: Playback | None = None
        self._previews: dict = {}
        self._seen: tuple = (None, None, None)  # (state, seat shown, its view)
        self._told: tuple = (None, None)  # (beat, the view as of it)
        self._log: tuple = (None, [])  # (what it was built from, the log shown)
        self._details: dict = {}
        self.log_asked = False  # the player asked for the log where the move's details go
        self.drafts_asked = False  # ... or for the drafts, which come before both
        self.draft_row = 0  # the issue row highlighted, counted across the accords
        self.draft_option = 0  # the option highlighted in that row
        self.draft_note = ""  # what the last try to amend caused, or why it could not
        self._drafts: tuple = (None, None, [])  # (the view, who and how, the drafts shown)
        self._order = self._move_order()
        self.refresh()

    # Who is looking -----------------------------------------------------------------
    def _first_human(self) -> str | None:
        return next((seat.envoy for seat in self.match.seats if seat.is_human), None)

    @property
    def hand(self) -> str | None:
        """Whose cards are shown: the viewer in hot-seat play; else the human whose turn
        it is, the one human, or the seat acting."""
        match = self.match
        if match.hot_seat:
            return self.viewer
        acting = match.acting_seat
        if acting is not None and acting.is_human:
            return acting.envoy
        return self.viewer if self.viewer is not None else match.acting_id

    @property
    def human_turn(self) -> bool:
        """True while the seat shown is a human choosing moves (not deciding, not resolving)."""
        acting = self.match.acting_seat
        if acting is None or not acting.is_human or self.match.state.phase == DECISION:
            return False
        if self.playback is not None:
            return False
        return not self.match.hot_seat or acting.envoy == self.viewer

    @property
    def handing_off(self) -> str | None:
        """The human seat the computer must be passed to before play goes on, if any."""
        match, acting = self.match, self.match.acting_seat
        if not match.hot_seat or match.over or acting is None or not acting.is_human:
            return None
        return acting.envoy if acting.envoy != self.viewer else None

    def take_seat(self, envoy: str) -> None:
        """The team at the computer is now ``envoy``'s (after the hand-off screen)."""
        self.drop_advice()
        self.viewer = envoy
        self.log_asked = self.drafts_asked = False
        self.draft_note = ""
        self.refresh()

    def leave_seat(self) -> None:
        """The team at the computer has finished: the screen is everyone's until the next."""
        if self.match.hot_seat:
            self.viewer = None
            self.drafts_asked = False
            self.draft_note = ""
            self.drop_advice()

    def view(self) -> GameState:
        """The state as the screen may show it now (as of the beat told, mid-playback)."""
        playback = self.playback
        if playback is None:
            return self._view_now()
        key = (id(playback), playback.index)
        if self._told[0] != key:
            self._told = (key, as_of(playback.before, playback.told))
        return self._told[1]

    def _view_now(self) -> GameState:
        state, envoy = self.match.state, self.hand
        if self._seen[0] is state and self._seen[1] == envoy:
            return self._seen[2]
        if envoy is not None:
            view = self.match.view(envoy)
        else:
            view = public_view(state) if self.match.hot_seat else state
        self._seen = (state, envoy, view)
        return view

    def ledger_shown(self, entries: Sequence[Entry]) -> list[Entry]:
        """Ledger entries as the screen may show them: the viewer's, or everyone's."""
        if self.viewer is not None:
            return ledger_view(entries, self.viewer)
        return ledger_view(entries, "") if self.match.hot_seat else list(entries)

    def log_entries(self) -> list[Entry]:
        """The log on screen: up to the beat told while a resolution plays. The same
        list comes back until something is added to the log or someone else looks."""
        playback, ledger = self.playback, self.match.ledger
        told = (id(playback), playback.index) if playback is not None else None
        key = (id(ledger), len(ledger), self.viewer, self.hand, told)
        if self._log[0] == key:
            return self._log[1]
        if playback is not None:
            entries = playback.earlier + playback.told
        elif self.match.hot_seat:
            entries = self.ledger_shown(ledger)
        else:
            entries = self.match.log_for(self.viewer if self.viewer is not None else self.hand)
        self._log = (key, entries)
        return entries

    def header(self) -> Header:
        state = self.view()
        capital = None
        envoy = self.hand
        if envoy is not None and (not self.match.over or self.playback is not None):
            capital = state.capital[self.match.scenario.envoy_index(envoy)]
        worst = max(state.tension) if state.tension else 0
        return Header(state.turn, state.last_turn, capital, worst, self.status())

    def status(self) -> str:
        match = self.match
        if self.playback is not None:
            return f"Resolving turn {self.playback.turn}"
        if match.over:
            return f"The crisis is over: {match.state.outcome}"
        acting = match.acting_seat
        if acting is None:
            return ""
        if acting.is_human:
            doing = "decide" if match.state.phase == DECISION else "choose moves"
            if match.hot_seat:
                return f"{match.team(acting.envoy)}: {doing}"
            return f"Your turn: {doing}"
        name = narrate.envoy(match.scenario, acting.envoy, self.lang)
        # The verb first: where the header is short, the end of the name gives way.
        return f"{'Thinking' if self.thinking is not None else 'AI turn'}: {name}"

    # The cards ------------------------------------------------------------------------
    def _move_order(self) -> list:
        """The crisis's moves by family, in the order the crisis lists them: fixed for the
        game, so a card never moves when another becomes playable or not."""
        scenario = self.match.scenario
        ranked = enumerate(scenario.moves)
        return [
            move
            for _, move in sorted(
                ranked, key=lambda item: (scenario.family_rank.get(item[1].family, 0), item[0])
            )
        ]

    def refresh(self, chosen: str | None = None) -> None:
        """Rebuild the cards from the engine after any change. The focus stays on the
        card it was on (or ``chosen``'s, the move just chosen) while that is usable, else
        it moves on to the next usable card; it never rests on one that is not."""
        envoy = self.hand
        before = self.current_card()
        keep = chosen or (before.move.id if before is not None else None)
        targets = {card.move.id: card.action for card in self.cards if card.action is not None}
        self._previews, self._details = {}, {}
        self.cards = []
        if envoy is not None and not self.match.over:
            view = self._view_now()
            # While another seat plays, or a decision comes first, no card is playable
            # for that one reason: the heading says it once, not every card.
            deciding = self.match.state.phase == DECISION
            waiting = deciding or self.waiting_for() is not None
            legal = self.match.legal(envoy) if not deciding else []
            for move in self._order:
                plays = [a for a in legal if isinstance(a, Play) and a.move == move.id]
                card = Card(move, plays)
                if targets.get(move.id) in plays:
                    card.target = plays.index(targets[move.id])
                if not plays and not waiting:
                    card.reason, card.reason_whole = self._reason(view, envoy, move)
                self.cards.append(card)
        ids = [card.move.id for card in self.cards]
        start = ids.index(keep) if keep in ids else 0
        self.selected = self._usable_from(start)
        if self.advice_action is None:
            self.advice = ""

    def _usable_from(self, start: int) -> int:
        """The first usable card at or after ``start`` (wrapping round); ``start`` itself
        when none is usable, so keys still move through the cards to read them."""
        count = len(self.cards)
        for step in range(count):
            index = (start + step) % count
            if self.cards[index].usable:
                return index
        return min(start, max(0, count - 1))

    def current_card(self) -> Card | None:
        return self.cards[self.selected] if 0 <= self.selected < len(self.cards) else None

    def select(self, index: int) -> None:
        if 0 <= index < len(self.cards):
            self.selected = index

    def move_selection(self, step: int) -> None:
        if self.cards:
            self.selected = (self.selected + step) % len(self.cards)

    def turn_target(self, step: int) -> None:
        card = self.current_card()
        if card is not None and len(card.plays) > 1:
            card.target = (card.target + step) % len(card.plays)

    def unavailable(self, card: Card) -> str:
        """Why ``card`` cannot be played now, in words ("" when it can)."""
        return card.reason

    def _reason(self, view: GameState, envoy: str, move) -> tuple[str, str]:
        """Why a move has no legal target now, from the engine's structured reason:
        in short for the card, and whole for the details."""
        scenario = self.match.scenario
        if move.target == "none":
            targets: tuple = ()
        elif move.target == "party":
            targets = (scenario.parties[0].id,)
        elif move.target == "accord":
            targets = (scenario.accords[0].id,) if scenario.accords else ("-",)
        else:
            relation = scenario.relations[0]
            targets = (scenario.parties[relation.a].id, scenario.parties[relation.b].id)
        found = problem(view, Play(envoy, move.id, targets))
        short = narrate.unavailable(scenario, move.id, found, self.lang, view)
        return short, narrate.unavailable(scenario, move.id, found, self.lang, view, short=False)

    def preview(self, card: Card) -> Preview | None:
        """The odds and outcomes of the card's action, from the shown seat's view."""
        action = card.action
        if action is None:
            return None
        if action not in self._previews:
            try:
                self._previews[action] = preview(self._view_now(), action)
            except IllegalAction:
                self._previews[action] = None
        return self._previews[action]

    def cost_text(self, card: Card) -> str:
        """The card's price in short, with what it takes later: "3 capital +2 next turn"."""
        key = ("cost", card.move.id, card.action)
        found = self._details.get(key)
        if found is None:
            found = self._details[key] = narrate.card_cost(
                self.match.scenario, card.move, self._view_now(), self.preview(card), self.lang
            )
        return found

    def details(self, card: Card) -> list[narrate.Detail]:
        """The whole move of ``card``, as the details panel shows it (see narrate.card_details)."""
        key = (card.move.id, card.action, len(card.plays), card.reason_whole)
        found = self._details.get(key)
        if found is None:
            action, scenario = card.action, self.match.scenario
            target = ""
            if action is not None and action.targets:
                target = narrate.targets(scenario, action.move, action.targets, self.lang)
            found = self._details[key] = narrate.card_details(
                scenario,
                card.move.id,
                self._view_now(),
                self.preview(card),
                target,
                len(card.plays),
                card.reason_whole,
                self.lang,
                self.odds_text(card),
                0 if action is None else play_repeats(self._view_now(), action),
            )
        return found

    def odds_text(self, card: Card) -> str:
        """The card's odds as shown: "35%", or a range "35–70%" while the values behind
        them are unknown; "" when it cannot be played now."""
        seen = self.preview(card)
        if seen is None:
            return ""
        key = ("odds", card.action)
        found = self._details.get(key)
        if found is None:
            found = self._details[key] = narrate.odds(self._view_now(), card.action, seen.chance)
        return found

    @property
    def shows_log(self) -> bool:
        """Whether the panel below the map shows the log rather than the selected move's
        details: when asked for, and whenever there is no move being chosen to detail."""
        return self.log_asked or not self.human_turn or self.current_card() is None

    # The drafts ------------------------------------------------------------------------
    @property
    def has_drafts(self) -> bool:
        """Whether the crisis has accords with drafts (format 2) for the panel to show."""
        return any(accord.issues for accord in self.match.scenario.accords)

    @property
    def shows_drafts(self) -> bool:
        """Whether the panel below the map shows the drafts (asked for with D)."""
        return self.drafts_asked and self.has_drafts and self.playback is None

    def toggle_drafts(self) -> None:
        self.drafts_asked = self.has_drafts and not self.drafts_asked
        self.draft_note = ""
        if self.drafts_asked:
            self._to_draft_row(self.draft_row)

    def drafts(self) -> list[drafts.AccordDraft]:
        """Every accord's draft as the seat shown may see it, from its view alone; the
        same list comes back until the game moves on or someone else looks."""
        view, envoy = self.view(), self.hand
        key = (envoy, self.lang, self.match.over)
        seen, kept, found = self._drafts
        if seen is not view or kept != key:
            legal = self.match.legal(envoy) if envoy is not None and not self.match.over else []
            found = drafts.accord_drafts(view, envoy, legal, self.lang, self._proposal_odds)
            self._drafts = (view, key, found)
        return found

    def _proposal_odds(self, play: Play, chance: float) -> str:
        """A proposal's odds in the words its card uses (see :meth:`odds_text`)."""
        return narrate.odds(self.view(), play, chance)

    def draft_rows(self) -> list[drafts.DraftIssue]:
        """The panel's rows: every issue of every accord with a draft, in order."""
        return [issue for accord in self.drafts() for issue in accord.issues]

    def draft_cursor(self) -> tuple[drafts.DraftIssue, drafts.DraftOption] | None:
        """The row and the option highlighted, or None when there is no draft."""
        rows = self.draft_rows()
        if not rows:
            return None
        row = rows[min(self.draft_row, len(rows) - 1)]
        return row, row.options[min(self.draft_option, len(row.options) - 1)]

    def _to_draft_row(self, index: int) -> None:
        rows = self.draft_rows()
        if rows:
            self.draft_row = index % len(rows)
            self.draft_option = rows[self.draft_row].draft

    def move_draft_row(self, step: int) -> None:
        """Up/Down: the next issue row, across the accords; its option in the draft
        is highlighted first."""
        self.draft_note = ""
        self._to_draft_row(self.draft_row + step)

    def move_draft_option(self, step: int) -> None:
        """Left/Right: the highlight moves over the row's options."""
        found = self.draft_cursor()
        if found is not None:
            self.draft_note = ""
            self.draft_option = (self.draft_option + step) % len(found[0].options)

    def point_draft(self, row: int, option: int) -> None:
        """The highlight on ``option`` of ``row`` (a click on it)."""
        rows = self.draft_rows()
        if 0 <= row < len(rows) and 0 <= option < len(rows[row].options):
            if (row, option) != (self.draft_row, self.draft_option):
                self.draft_note = ""
            self.draft_row, self.draft_option = row, option

    def amend_highlighted(self) -> Acted | None:
        """Enter: amend the draft to the highlighted option, with the engine's own offered
        action; where none is offered, the panel's note says why in words."""
        found = self.draft_cursor()
        if found is None:
            return None
        row, option = found
        if option.amend is None:
            self.draft_note = option.refusal
            return Acted(option.refusal)
        row_index, option_index = self.draft_row, self.draft_option
        acted = self.act(option.amend)
        if acted.problem:
            self.draft_note = acted.problem
            return acted
        self.draft_row, self.draft_option = row_index, option_index
        self.draft_note = f"Amended: {row.name}, {option.text}."
        return Acted(resolved=acted.resolved)

    def chosen(self) -> list[str]:
        """The names of the moves the shown seat has chosen this turn."""
        envoy = self.hand
        if not envoy:
            return []
        scenario = self.match.scenario
        index = scenario.envoy_index(envoy)
        return [
            scenario.moves[c.move].name.get(self.lang)
            for c in self._view_now().pending
            if c.envoy == index
        ]

    def waiting_for(self) -> str | None:
        """Who is playing while the cards shown are another seat's (a team's name, or
        an AI's envoy); None when the shown seat may play, or no one is choosing."""
        match, acting = self.match, self.match.acting_seat
        if match.over or acting is None or self.hand is None or self.playback is not None:
            return None
        if acting.envoy == self.hand or match.state.phase != DIPLOMACY:
            return None
        if acting.is_human and match.hot_seat:
            return match.team(acting.envoy, self.lang)
        return narrate.envoy(match.scenario, acting.envoy, self.lang)

    def cards_title(self) -> str:
        """The heading over the cards: whose moves they are, and while another seat
        plays, who that is (the one line that says why none can be played now)."""
        match = self.match
        if self.human_turn:
            if match.hot_seat and self.hand is not None:
                return f"{match.team(self.hand, self.lang)}: your moves"
            return "Your moves"
        if not self.hand:
            return "Moves"
        seat = next((s for s in match.seats if s.envoy == self.hand), None)
        if seat is not None and seat.is_human:
            whose = "Your moves"
        else:
            whose = f"Moves of {narrate.envoy(match.scenario, self.hand, self.lang)}"
        if match.state.phase == DECISION and not match.over:
            return f"{whose}: a decision comes first"
        other = self.waiting_for()
        return f"{whose}: {other} is playing, wait" if other else whose

    @property
    def can_withdraw(self) -> bool:
        """Whether Backspace would take back a chosen move now."""
        if not self.human_turn:
            return False
        return any(isinstance(a, Withdraw) for a in self.match.legal(self.hand))

    def no_cards_text(self) -> str:
        """What the card list says when it holds no card."""
        match = self.match
        if match.over:
            return "The crisis is over."
        if match.hot_seat and self.hand is None:
            return "Between teams: only what everyone may see is shown."
        return "No moves to show."

    def chosen_text(self) -> str:
        """The moves the shown seat has chosen this turn, in one sentence ("" for none)."""
        names = self.chosen()
        if not names:
            return ""
        text = f"Chosen this turn: {', '.join(names)}"
        return f"{text}  (Backspace takes back the last)" if self.can_withdraw else text

    def spot_details(self, spot: tuple[str, int] | None) -> list[narrate.Detail]:
        """What the box on the map says about ``spot`` (a party or a relation under the
        pointer or Tab), else the advisor's advice; [] when it has nothing to say. Kinds:
        "title", "fact", "known" (a secret the viewer has learned) and "advice"."""
        scenario, state, lang = self.match.scenario, self.view(), self.lang
        Detail = narrate.Detail
        if spot is not None and spot[0] == "party":
            index = spot[1]
            party = scenario.parties[index]
            lines = [
                Detail("title", party.name.get(lang)),
                Detail("fact", f"Posture {state.posture[index]} · resolve {state.resolve[index]}"),
            ]
            if self.hand is not None:
                envoy = scenario.envoy_index(self.hand)
                lines.append(Detail("fact", f"Your standing {state.standing_of(envoy, index)}"))
            viewer = state.viewer if state.viewer >= 0 else -1
            for fact_index, fact in enumerate(scenario.facts):
                if fact.party == index and state.knows(fact_index, viewer):
                    text = state.scenario.facts[fact_index].text
                    if text is not None:
                        lines.append(Detail("known", f"Known: {text.get(lang)}"))
            if party.text:
                lines.append(Detail("fact", party.text.get(lang)))
            return lines
        if spot is not None and spot[0] == "relation":
            index = spot[1]
            relation = scenario.relations[index]
            a, b = scenario.parties[relation.a].id, scenario.parties[relation.b].id
            lines = [
                Detail("title", narrate.pair(scenario, a, b, lang)),
                Detail(
                    "fact", f"Tension {state.tension[index]} (conflict at {scenario.conflict_at})"
                ),
                Detail(
                    "fact",
                    f"Trust {state.trust[index]} · pressure {state.pressure[index]:+d} a turn",
                ),
            ]
            if state.hotline[index]:
                lines.append(Detail("known", f"Hotline open for {state.hotline[index]} more turns"))
            return lines
        if self.advice:
            return [Detail("advisor", "Advisor"), Detail("advice", self.advice)]
        return []

    def spots(self) -> list[tuple[str, int]]:
        """The places on the map Tab moves through: the parties, then the relations."""
        scenario = self.match.scenario
        return [("party", i) for i in range(len(scenario.parties))] + [
            ("relation", i) for i in range(len(scenario.relations))
        ]

    def next_spot(self, spot: tuple[str, int] | None, step: int) -> tuple[str, int] | None:
        """The spot after ``spot`` (before it, for a negative step); None is the place
        between the last and the first, where the map has no focus."""
        spots = self.spots()
        index = spots.index(spot) if spot in spots else -1
        index = (index + step) % (len(spots) + 1)
        return spots[index] if index < len(spots) else None

    # Acting ---------------------------------------------------------------------------
    def act(self, action: Action) -> Acted:
        """Send one action through the match. When it resolves the turn, the playback
        of what happened starts, told to the seat shown."""
        before_turn, before_view = self.match.state.turn, self._view_now()
        earlier = self.log_entries()
        try:
            entries = self.match.apply(action)
        except IllegalAction as refused:
            return Acted(narrate.problem(self.match.scenario, refused, self.lang))
        self.drop_advice()
        resolved = self.match.state.turn != before_turn or self.match.over
        # the focus follows this seat's own choice, never another seat's
        chosen = action.move if isinstance(action, Play) and action.envoy == self.hand else None
        if resolved:
            self.log_asked = False  # a new turn opens on the moves to choose from
            self._start_playback(before_turn, before_view, earlier, entries)
        self.refresh(chosen)
        return Acted(resolved=tuple(entries) if resolved else None)

    def _start_playback(self, turn, before, earlier, entries) -> None:
        scenario = self.match.scenario
        shown = self.ledger_shown(entries)
        beats = [b for b in narrate.beats(scenario, shown, self.lang) if b.headline or b.changes]
        told = entries[0].turn if entries else turn
        ends = _beat_ends(scenario, shown, beats, self.lang)
        self.playback = Playback(told, before, earlier, beats, ends, shown)

    def advance(self) -> bool:
        """The next beat of the playback; False once the story is told (it then ends)."""
        playback = self.playback
        if playback is None:
            return False
        playback.index += 1
        if playback.done:
            self.end_playback()
            return False
        return True

    def end_playback(self) -> None:
        self.playback = None
        self.refresh()

    def choose_selected(self) -> Acted | None:
        card = self.current_card()
        if self.human_turn and card is not None and card.action is not None:
            return self.act(card.action)
        return None

    def withdraw_last(self) -> Acted | None:
        if not self.human_turn:
            return None
        mine = [a for a in self.match.legal(self.hand) if isinstance(a, Withdraw)]
        return self.act(mine[-1]) if mine else None

    def reflection_due(self) -> str:
        """The reflection prompt the shown seat must answer before it ends its turn, or ""."""
        prompt = self.match.reflection_prompt(self.match.state.turn)
        return prompt if prompt and not self.match.has_reflected(self.hand) else ""

    def end_turn(self, envoy: str | None = None) -> Acted | None:
        """End the turn of ``envoy`` (the seat shown by default), if it is that seat's."""
        envoy = envoy or self.hand
        if envoy is None or self.match.acting_id != envoy or self.playback is not None:
            return None
        self.leave_seat()
        return self.act(End(envoy))

    def decide(self, envoy: str, option: str) -> Acted:
        return self.act(Decide(envoy, option))

    def decision_pending(self) -> bool:
        acting = self.match.acting_seat
        return (
            self.match.state.phase == DECISION
            and not self.match.over
            and acting is not None
            and acting.is_human
        )

    # The AI and the advisor ---------------------------------------------------------------
    @property
    def ai_to_move(self) -> bool:
        acting = self.match.acting_seat
        return not self.match.over and acting is not None and not acting.is_human

    def wait_for_ai(self, seconds: float, pace: float) -> bool:
        """``seconds`` more of the pause before an AI seat moves, so a person can follow
        the moves; once ``pace`` seconds have passed it starts thinking (True)."""
        self.ai_wait += seconds
        if self.ai_wait < pace:
            return False
        self.ai_wait = 0.0
        self.start_ai()
        return True

    def start_ai(self) -> None:
        """The seat to move is an AI: it starts thinking."""
        envoy = self.match.acting_id
        self._start(self.match.agent(envoy), envoy, "play")

    def ask_advisor(self) -> None:
        if self.human_turn:
            self._start(self.match.agent(self.hand, "hard"), self.hand, "advice")

    def _start(self, agent, envoy: str, purpose: str) -> None:
        match = self.match
        legal = match.legal(envoy)
        self.thinking = agent.think(match.view(envoy), envoy, legal, lang=self.lang)
        self.thinking_for = (purpose, envoy)

    def drop_advice(self) -> None:
        """Forget the advice, and the advisor's thinking if it is still at work: it was
        for a position that has passed, and perhaps for a team that has left the computer."""
        if self.thinking_for is not None and self.thinking_for[0] == "advice":
            self.thinking = self.thinking_for = None
        self.advice, self.advice_action = "", None

    def think(self, deadline: float) -> Acted | None:
        """Let the thinking in hand work until ``deadline``; when an AI seat's choice is
        made it is played (returned as what it caused), and the advisor's is shown."""
        thinking = self.thinking
        if thinking is None or not thinking.step(deadline, self.clock):
            return None
        purpose, envoy = self.thinking_for
        self.thinking = self.thinking_for = None
        result = thinking.result
        if purpose == "advice":
            if self.human_turn and self.hand == envoy:
                self._advise(result, thinking.reason)
            return None
        if not self.match.over and self.match.acting_id == envoy:
            return self.act(result)
        return None

    def _advise(self, result, reason: str) -> None:
        # The advisor suggests; the selection stays where the player left it until
        # they take the advice (accept_advice).
        self.advice_action = result
        if isinstance(result, Play):
            name = narrate.move(self.match.scenario, result.move, self.lang)
            advice = reason or f"Try {name}"
            if not advice.endswith((".", "!", "?")):
                advice += "."
            if self.advised_card() is not None:
                advice += " Press A again to select it."
            self.advice = advice
        elif isinstance(result, Amend):
            self.advice = self._amend_advice(result)
        elif isinstance(result, End):
            self.advice = reason or "Nothing more is worth its cost this turn: end your turn."

    def _amend_advice(self, amend: Amend) -> str:
        """The advice to amend a draft, in words: the accord, the issue, the option, and
        what the change is worth to the seat by its own view."""
        scenario = self.match.scenario
        accord = scenario.tables.accords.index(amend.accord)
        spec = scenario.accords[accord]
        issue = [i.id for i in spec.issues].index(amend.issue)
        option = [o.id for o in spec.issues[issue].options].index(amend.option)
        view = self.view()
        name, text = narrate.issue_and_option(
            scenario, amend.accord, amend.issue, amend.option, self.lang
        )
        title = narrate.accord(scenario, amend.accord, self.lang)
        said = f"Amend the draft of {title}: {name}, {text}"
        interest = bargain.envoy_interest(view.scenario, scenario.envoy_index(self.hand), accord)
        if interest is not None:
            values = bargain.expected(interest)
            draft = view.drafts[accord]
            changed = (*draft[:issue], option, *draft[issue + 1 :])
            gain = values.utility(changed) - values.utility(draft)
            said += f" ({gain:+.1f} to you)"
        return (
            f"{said}: towards the best deal you can expect every signing party to accept."
            " Press A again to pick it in the drafts."
        )

    def advised_draft(self) -> tuple[int, int] | None:
        """The drafts panel's (row, option) the advice is about, if it is an amendment."""
        result = self.advice_action
        if not isinstance(result, Amend):
            return None
        for row, issue in enumerate(self.draft_rows()):
            for index, option in enumerate(issue.options):
                if option.amend == result:
                    return row, index
        return None

    def advised_card(self) -> int | None:
        """The index of the card the advice is about, if it is one of the cards."""
        result = self.advice_action
        if isinstance(result, Play):
            for index, card in enumerate(self.cards):
                if result in card.plays and card.plays:
                    return index
        return None

    def accept_advice(self) -> bool:
        """Select the advised card and target, or show the drafts with the advised
        amendment highlighted; False when there is no such advice."""
        spot = self.advised_draft()
        if spot is not None:
            self.drafts_asked = True
            self.log_asked = False
            self.draft_note = ""
            self.draft_row, self.draft_option = spot
            return True
        index = self.advised_card()
        if index is None:
            return False
        card = self.cards[index]
        self.selected = index
        card.target = card.plays.index(self.advice_action)
        return True

    # The turn timer ----------------------------------------------------------------------
    def tick(self) -> bool:
        """Keep the timer on the seat choosing; True when its time ran out and the class
        set turns to pass on then (the caller ends the turn)."""
        limit = self.match.classroom.timer_seconds
        if not limit or not self.human_turn:
            self.timer.run(None)
            return False
        self.timer.run((self.hand, self.match.state.turn))
        return self.timer.seconds >= limit and self.match.classroom.auto_pass

    def clock_text(self) -> tuple[str, str]:
        """The timer's words and colour name, or ("", "") when there is no timer."""
        limit = self.match.classroom.timer_seconds
        if not limit or not self.human_turn:
            return "", ""
        left = max(0, limit - int(self.timer.seconds))
        if left <= 0:
            return "TIME IS UP", "bad"
        warning = left <= LIMITS["classroom"]["timer_warning_seconds"]
        return f"{left // 60}:{left % 60:02d} left", "warn" if warning else "good"

    def pause(self) -> None:
        """The facilitator paused the game: the timer stands still until :meth:`resume`."""
        self.timer.hold("pause")
        self.match.note("pause", "Paused the game.")

    def resume(self, paused_seconds: float) -> None:
        minutes, seconds = divmod(round(paused_seconds), 60)
        self.match.note("resume", f"Resumed the game after {minutes} min {seconds} s.")
        self.timer.release("pause")

    # The facilitator ---------------------------------------------------------------------
    def facilitate(self, action: FacilitatorAction) -> tuple[str, str]:
        """Apply a facilitator's action: (a problem to show or "", what was done in words)."""
        try:
            entries = self.match.facilitate(action)
        except IllegalAction as refused:
            return narrate.problem(self.match.scenario, refused, self.lang), ""
        self._after_facilitator()
        done = narrate.line(self.match.scenario, entries[0], self.lang) if entries else ""
        return "", done or str(action)

    def undo_label(self) -> str:
        """What the undo button says: the turn it goes back to the start of."""
        target = self.match.undo_target()
        return f"Undo to the start of turn {target}" if target else "Nothing to undo"

    def undo_turn(self, reason: str) -> tuple[str, str]:
        """Go back to the start of the previous turn: (a problem or "", what was done)."""
        try:
            turn = self.match.undo_turn(reason)
        except ValueError as problem:
            return str(problem), ""
        self.leave_seat()
        self._after_facilitator()
        return "", f"Back to the start of turn {turn}."

    def _after_facilitator(self) -> None:
        self.thinking = self.thinking_for = None
        self.advice, self.advice_action = "", None
        self.playback = None
        self.timer.reset()
        self.refresh()
        if self.save is not None:
            self.save(self.match)
