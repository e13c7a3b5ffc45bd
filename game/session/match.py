"""A match being played: the scenario, the seats, the action log and the state.

Everything that changes a match goes through :meth:`Match.apply`, which runs
the engine's reducer and records the action, so the log alone rebuilds the
match (that is what a save holds). The seats say who plays each envoy: a human
at this computer, or an AI at some difficulty. An AI seat's agent is built
afresh for every choice, with a seed derived from the game and the step, so a
loaded game continues exactly as the uninterrupted one would have.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Sequence

import attrs

from game.ai import policies
from game.ai.agents import Agent
from game.ai.play import agent_seed
from game.content.loader import LoadResult
from game.engine import rng
from game.engine.actions import Action, Adjust, Extend, FacilitatorAction, Inject
from game.engine.ledger import Entry
from game.engine.model import Scenario
from game.engine.rules import apply, legal_actions, new_game
from game.engine.state import GameState
from game.engine.view import ledger_view, player_view
from game.session import narrate

HUMAN = "human"
AI = "ai"


@attrs.frozen
class Seat:
    """Who plays one envoy."""

    envoy: str
    kind: str = AI  # HUMAN or AI
    difficulty: str = "normal"
    name: str = ""  # a team name in a class; empty for the envoy's own title

    @property
    def is_human(self) -> bool:
        return self.kind == HUMAN


@attrs.frozen
class Source:
    """The scenario as text, exactly as it was loaded: what a save embeds."""

    file: str
    scenario: bytes
    libraries: tuple[tuple[str, str, bytes], ...] = ()  # (name, file, text)

    @classmethod
    def of(cls, result: LoadResult) -> Source:
        """The source of a scenario that loaded (see :func:`load_scenario`)."""
        return cls(result.unwrap().source, result.source_bytes, result.library_bytes)


@attrs.frozen
class Snapshot:
    """Meters at one moment, for the debrief chart."""

    turn: int
    tension: tuple[int, ...]
    trust: tuple[int, ...]


@attrs.frozen
class Classroom:
    """How a teacher set up a class game: the advisory timer and the facilitator's PIN."""

    timer_seconds: int = 0  # 0: no turn timer
    auto_pass: bool = False  # True: a human seat whose time is up ends its turn
    pin_hash: str = ""  # "" for no PIN; a digest, so a save does not show the PIN
    reflect: bool = False  # ask each human team the scenario's reflection prompt each turn

    @staticmethod
    def hash_pin(pin: str) -> str:
        return hashlib.sha256(f"envoy-pin:{pin}".encode()).hexdigest() if pin else ""

    def pin_ok(self, pin: str) -> bool:
        return not self.pin_hash or self.hash_pin(pin.strip()) == self.pin_hash


@attrs.frozen
class FacilitatorNote:
    """One thing the facilitator did, kept even when an undo takes its effect away."""

    turn: int
    kind: str  # inject, adjust, extend, undo, pause or resume
    text: str  # what was done, in words
    reason: str = ""
    at: str = ""  # UTC time, ISO 8601
    action: str = ""  # the action's text form ("" for an undo)
    position: int = -1  # its index in the action log (-1 for an undo)
    undone: bool = False


@attrs.frozen
class Reflection:
    """A team's typed answer to the scenario's reflection prompt at the end of its turn."""

    turn: int
    envoy: str
    team: str
    prompt: str
    answer: str
    undone: bool = False  # written for a turn the facilitator undid later


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


class Match:
    """One game in play. Create it with :meth:`start`; change it only with :meth:`apply`."""

    def __init__(
        self,
        scenario: Scenario,
        source: Source,
        seed: int,
        seats: Sequence[Seat],
        state: GameState,
        entries: Sequence[Entry],
    ):
        self.scenario = scenario
        self.source = source
        self.seed = seed
        self.seats = tuple(seats)
        self.state = state
        self.actions: list[Action] = []
        self.ledger: list[Entry] = list(entries)
        self.history: list[Snapshot] = [self._snapshot()]
        self.turn_starts: dict[int, int] = {state.turn: 0}  # turn -> actions before it
        # Called at each turn's start and once more when the game ends (the autosaves:
        # the last then says the game is over, so Continue does not offer its last turn).
        self.on_turn_start: Callable[[Match], None] | None = None
        self.classroom = Classroom()
        self.facilitator: list[FacilitatorNote] = []
        self.reflections: list[Reflection] = []

    @classmethod
    def start(cls, scenario: Scenario, source: Source, seed: int, seats: Sequence[Seat]) -> Match:
        """A new match. ``seats`` lists the envoys that play, in turn order."""
        state, entries = new_game(scenario, seed, [seat.envoy for seat in seats])
        return cls(scenario, source, seed, seats, state, entries)

    # Reading --------------------------------------------------------------
    @property
    def over(self) -> bool:
        return self.state.is_over

    @property
    def acting_id(self) -> str | None:
        """The envoy id whose turn it is (to decide or to choose moves), or None."""
        envoy = self.state.acting
        return self.scenario.envoys[envoy].id if envoy >= 0 else None

    def seat(self, envoy: str) -> Seat:
        for seat in self.seats:
            if seat.envoy == envoy:
                return seat
        raise KeyError(envoy)

    @property
    def acting_seat(self) -> Seat | None:
        envoy = self.acting_id
        return self.seat(envoy) if envoy is not None else None

    def view(self, envoy: str) -> GameState:
        """What one envoy may see (see :func:`player_view`)."""
        return player_view(self.state, envoy)

    def legal(self, envoy: str) -> list[Action]:
        return legal_actions(self.view(envoy), envoy)

    def log_for(self, envoy: str | None) -> list[Entry]:
        """The ledger as one envoy may read it; the whole ledger for None (the debrief)."""
        return list(self.ledger) if envoy is None else ledger_view(self.ledger, envoy)

    def agent(self, envoy: str, difficulty: str | None = None) -> Agent:
        """An AI for one envoy at this step: seeded by game, seat and step, so replayable."""
        index = self.scenario.envoy_index(envoy)
        seed = rng.derive(rng.seed_state(agent_seed(self.seed, index)), self.state.step)
        return policies.make_agent_for(difficulty or self.seat(envoy).difficulty, seed)

    # Changing -------------------------------------------------------------
    def apply(self, action: Action) -> list[Entry]:
        """Apply one action (raises :class:`IllegalAction` and changes nothing if illegal)."""
        before = self.state.turn
        self.state, entries = apply(self.state, action)
        self.actions.append(action)
        self.ledger.extend(entries)
        if self.state.turn != before or self.state.is_over:
            self.history.append(self._snapshot())
            self.turn_starts.setdefault(self.state.turn, len(self.actions))
            if self.on_turn_start is not None:
                self.on_turn_start(self)
        return entries

    def _snapshot(self) -> Snapshot:
        return Snapshot(self.state.turn, self.state.tension, self.state.trust)

    # Class play -----------------------------------------------------------
    def team(self, envoy: str, lang: str = "en") -> str:
        """The name a seat goes by: its team's name, else the envoy's title."""
        seat = self.seat(envoy)
        return seat.name or self.scenario.envoys[self.scenario.envoy_index(envoy)].name.get(lang)

    @property
    def hot_seat(self) -> bool:
        """True when several human teams share this computer and must not see each other's."""
        return sum(seat.is_human for seat in self.seats) > 1

    def reflection_prompt(self, turn: int, lang: str = "en") -> str:
        """The prompt for a turn ("" when reflections are off or the scenario has none)."""
        prompts = self.scenario.teacher.reflection
        if not self.classroom.reflect or not prompts:
            return ""
        return prompts[(turn - 1) % len(prompts)].get(lang)

    def has_reflected(self, envoy: str) -> bool:
        """True once ``envoy``'s team has answered this turn's prompt (an undone answer
        does not count: the turn is being played again)."""
        turn = self.state.turn
        return any(r.turn == turn and r.envoy == envoy and not r.undone for r in self.reflections)

    def reflect(self, envoy: str, answer: str, lang: str = "en") -> None:
        """Keep a team's answer to this turn's prompt (an empty answer is not kept)."""
        turn, prompt = self.state.turn, self.reflection_prompt(self.state.turn, lang)
        if answer.strip() and prompt:
            self.reflections.append(
                Reflection(turn, envoy, self.team(envoy, lang), prompt, answer.strip())
            )

    def facilitate(self, action: FacilitatorAction, lang: str = "en") -> list[Entry]:
        """Apply a facilitator's action and note it, in words in ``lang`` (raises
        IllegalAction if it is not legal)."""

        turn, position = self.state.turn, len(self.actions)
        entries = self.apply(action)
        kind = {Inject: "inject", Adjust: "adjust", Extend: "extend"}[type(action)]
        reason = action.reason if isinstance(action, Adjust) else ""
        text = narrate.note(self.scenario, entries[0], lang) if entries else str(action)
        note = FacilitatorNote(turn, kind, text, reason, _now(), str(action), position)
        self.facilitator.append(note)
        return entries

    def note(self, kind: str, text: str) -> None:
        """Note something the facilitator did that does not change the game (a pause)."""
        self.facilitator.append(FacilitatorNote(self.state.turn, kind, text, "", _now()))

    def undo_target(self) -> int | None:
        """The turn an undo goes back to the start of, or None when there is nothing to undo."""
        if not self.actions:
            return None
        turn = self.state.turn
        if turn - 1 in self.turn_starts:
            return turn - 1
        return turn if self.turn_starts.get(turn, 0) < len(self.actions) else None

    def undo_turn(self, reason: str = "") -> int:
        """Go back to the start of the previous turn by replaying the log up to it.

        Returns the turn now being played. Facilitator notes and reflections of what
        was undone stay, marked as undone (a class's words are never thrown away), and
        the undo itself is noted. Raises ``ValueError`` when there is nothing to undo.
        """
        target = self.undo_target()
        if target is None:
            raise ValueError("there is nothing to undo yet")
        keep = self.turn_starts[target]
        was = self.state.turn
        replayed = Match.start(self.scenario, self.source, self.seed, self.seats)
        for action in self.actions[:keep]:
            replayed.apply(action)
        notes = [
            attrs.evolve(note, undone=True) if note.position >= keep else note
            for note in self.facilitator
        ]
        self.state, self.actions = replayed.state, replayed.actions
        self.ledger, self.history = replayed.ledger, replayed.history
        self.turn_starts = replayed.turn_starts
        text = f"Undid play from turn {was} back to the start of turn {target}."
        notes.append(FacilitatorNote(was, "undo", text, " ".join(reason.split()), _now()))
        self.facilitator = notes
        self.reflections = [
            attrs.evolve(item, undone=True) if item.turn >= target else item
            for item in self.reflections
        ]
        return target
