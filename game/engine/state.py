"""The whole state of a game, as one frozen value.

Meters are tuples of integers indexed like the scenario's parties, relations,
envoys and accords, so a state is cheap to copy and compare, and its canonical
form hashes to the same digest on every machine. A state is only ever changed
by the rules (through :func:`replace`); nothing mutates it in place.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import attrs

from game.engine.model import Scenario

DECISION = "decision"
DIPLOMACY = "diplomacy"
OVER = "over"

PEACE = "peace"
STALEMATE = "stalemate"
CONFLICT = "conflict"

#: The "envoy" of a fact revealed to everyone: ``(fact, EVERYONE)`` in ``revealed``.
EVERYONE = -1

# Whose eyes a state is seen through (``GameState.viewer``): an envoy index for a
# seat's player_view, or one of these two, so that the full state and the
# room's public view (no seat's secrets) can be told apart.
#: The full state, every secret in it: what the engine plays and saves.
ALL_SEEING = -1
#: public_view: what everyone in the room may see, no seat's secrets.
ROOM = -2

#: The ``seed`` of every view. The game's seed draws the parties' hidden types
#: (:func:`game.engine.bargain.true_types`), so a view that kept it would let any
#: seat, AI or plug-in work out what it has not learned.
HIDDEN_SEED = -1


@attrs.frozen(slots=False)  # not slotted, so :func:`chosen` can make one as a dict
class Chosen:
    """A move a seat has chosen this turn, with the odds it was shown."""

    envoy: int
    move: int
    targets: tuple[int, ...]
    chance: float
    cost: int


@attrs.frozen
class Scheduled:
    """Delayed effects of a move that succeeded, waiting for their turn."""

    move: int
    delayed: int
    envoy: int
    ctx: tuple[int, ...]
    due: int  # the turn of the next application
    left: int  # how many applications remain


# Not slotted: a state's attributes live in its ``__dict__``, so :func:`replace`
# copies one dict instead of setting 29 slots one by one through the frozen
# class's ``object.__setattr__`` (3x cheaper), and reading a field costs the same.
@attrs.frozen(slots=False)
class GameState:
    scenario: Scenario = attrs.field(eq=False, repr=False)
    seed: int
    rng: int
    step: int
    turn: int
    last_turn: int
    phase: str
    turn_index: int  # index into turn_order of the envoy choosing moves
    turn_order: tuple[int, ...]  # envoy indices, in turn order
    capital: tuple[int, ...]  # per envoy
    standing: tuple[int, ...]  # per envoy, then per party
    posture: tuple[int, ...]  # per party
    resolve: tuple[int, ...]  # per party
    tension: tuple[int, ...]  # per relation
    trust: tuple[int, ...]
    pressure: tuple[int, ...]
    hotline: tuple[int, ...]
    signed: tuple[int, ...]  # per accord: the turn it was signed, 0 if not
    counters: tuple[int, ...]
    revealed: frozenset[tuple[int, int]]  # (fact, envoy or EVERYONE)
    pending: tuple[Chosen, ...]
    cooldowns: tuple[tuple[int, int, int], ...]  # (envoy, move, first turn it is free again)
    delayed: tuple[Scheduled, ...]
    last_fired: tuple[int, ...]  # per event: the turn it last fired, 0 if never
    fire_count: tuple[int, ...]
    decisions: tuple[tuple[int, int], ...]  # queue of (event, envoy)
    outcome: str  # "" until the game is over
    #: (party, envoy or EVERYONE): who has learned a party's exact interests (format 2).
    learned: frozenset[tuple[int, int]] = frozenset()
    viewer: int = ALL_SEEING  # the envoy whose view this is, or ALL_SEEING, or ROOM
    # Format 2 (NEGOTIATION.md §1). Public, like the meters.
    #: Per accord, its draft: an option index per issue (``()`` for a format-1 accord).
    #: A signed accord's draft is the package signed, and no longer changes.
    drafts: tuple[tuple[int, ...], ...] = ()
    amended: tuple[int, ...] = ()  # the envoys who amended a draft this turn
    locked: tuple[int, ...] = ()  # the accords proposed this turn: their drafts are locked
    #: The drafts the parties refused, as (accord, package): a text refused is not
    #: proposed again unchanged.
    refused: tuple[tuple[int, tuple[int, ...]], ...] = ()
    #: The moves made in the last turns, as (turn, envoy, move, targets), while
    #: ``rules.repetition`` remembers them: a move made again has fading odds.
    recent: tuple[tuple[int, int, int, tuple[int, ...]], ...] = ()

    # Reading helpers used by expressions and the UI -------------------------
    def knows(self, fact: int, envoy: int) -> bool:
        return (fact, EVERYONE) in self.revealed or (fact, envoy) in self.revealed

    @property
    def all_seeing(self) -> bool:
        """Whether this is the full state, not a seat's view or the room's."""
        return self.viewer == ALL_SEEING

    @property
    def acting(self) -> int:
        """The envoy whose turn it is (to decide or to choose moves), or -1."""
        if self.phase == DECISION and self.decisions:
            return self.decisions[0][1]
        if self.phase == DIPLOMACY and 0 <= self.turn_index < len(self.turn_order):
            return self.turn_order[self.turn_index]
        return -1

    def standing_of(self, envoy: int, party: int) -> int:
        return self.standing[envoy * len(self.posture) + party]

    @property
    def is_over(self) -> bool:
        return self.phase == OVER


_FIELDS = frozenset(field.name for field in attrs.fields(GameState))
_new = object.__new__
_set = object.__setattr__


def replace(state: GameState, **changes: Any) -> GameState:
    """A copy of ``state`` with some fields changed: ``attrs.evolve``, but several times faster.

    The engine makes a new state for every action (and the AI for every move it
    weighs), so this matters. GameState has no validators or converters, so the
    copy is its attribute dict, updated, on an instance made without ``__init__``.
    """
    if not _FIELDS.issuperset(changes):
        unknown = sorted(set(changes) - _FIELDS)[0]
        raise TypeError(f"GameState has no field {unknown}")
    fields = state.__dict__.copy()
    fields.update(changes)
    new = _new(GameState)
    _set(new, "__dict__", fields)
    return new


def from_fields(fields: dict[str, Any]) -> GameState:
    """The state whose attribute dict is ``fields`` (every field, no other key), unchecked.

    :func:`replace` for the few paths run on every action (a seat's view, a
    chosen move, a turn passed on), which copy the dict and set the changed
    fields themselves instead of passing them as keywords to be checked.
    """
    new = _new(GameState)
    _set(new, "__dict__", fields)
    return new


def make_chosen(
    envoy: int, move: int, targets: tuple[int, ...], chance: float, cost: int
) -> Chosen:
    """``Chosen(...)`` made as one attribute dict, not five frozen ``__setattr__`` calls:
    every move a seat chooses makes one."""
    new = _new(Chosen)
    _set(
        new,
        "__dict__",
        {"envoy": envoy, "move": move, "targets": targets, "chance": chance, "cost": cost},
    )
    return new


# The canonical form keeps the names saves were written with. A save stores
# to_dict(state) and state_hash(state), and loading replays its actions and
# compares the hash: renaming a field in the form would call every save made
# before the rename damaged. So a field renamed in code is written under its
# old name here, and only here.
#: GameState field -> its name in the canonical form.
_SAVED_AS = {"turn_index": "active", "turn_order": "seats"}
#: Field of a Chosen (pending) or Scheduled (delayed) -> its name in the form.
_SAVED_AS_IN = {"pending": {"envoy": "seat"}, "delayed": {"envoy": "seat"}}


def to_dict(state: GameState) -> dict[str, Any]:
    """The canonical, JSON-ready form of a state (the scenario by id and hash only)."""
    data = attrs.asdict(state, recurse=True, filter=lambda a, _: a.name != "scenario")
    for field, saved in _SAVED_AS.items():
        data[saved] = data.pop(field)
    for field, names in _SAVED_AS_IN.items():
        data[field] = [{names.get(k, k): v for k, v in item.items()} for item in data[field]]
    data["revealed"] = sorted(list(pair) for pair in state.revealed)
    # Written only once something is learned, so a game without it (every format-1
    # game, and every save made before format 2) keeps the form and hash it had.
    if state.learned:
        data["learned"] = sorted(list(pair) for pair in state.learned)
    else:
        del data["learned"]
    # A crisis without format-2 accords hashes as it did before drafts existed, and
    # an empty list of who amended, what is locked, what was refused or which moves
    # are remembered is not written either.
    if not any(state.drafts):
        data.pop("drafts")
    for field in ("amended", "locked", "refused", "recent"):
        if not data[field]:
            data.pop(field)
    data["scenario"] = {"id": state.scenario.id, "hash": state.scenario.content_hash}
    return data


def state_hash(state: GameState) -> str:
    """A stable digest of the whole state: equal games have equal hashes, everywhere."""
    text = json.dumps(to_dict(state), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
