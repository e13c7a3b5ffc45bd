"""The "why" ledger (DESIGN §1.9): every meter change with its cause.

Each entry says what changed, from what to what, and why: the move, event,
behaviour or drift that caused it, the seat that acted, the dice roll against
the chance, and the scenario file and line that defined the effect. Notes
(``meter == ""``) record what happened between the changes as a kind and its
ids and numbers (``note="accord_signed", args=("ceasefire",)``), never as words:
``game.session.narrate`` phrases them, in the reader's language. The UI's "why
did tension rise?", the debrief and the simulator all read this one record.
"""

from __future__ import annotations

import math

import attrs

MOVE = "move"
EVENT = "event"
DECISION = "decision"
BEHAVIOUR = "behaviour"
DRIFT = "drift"
DELAYED = "delayed"
ACCORD = "accord"
TURN = "turn"
AMEND = "amend"  # an envoy amended a draft (format 2)
BREACH = "breach"  # a party broke a signed deal (format 2); id: "party.accord"
FACILITATOR = "facilitator"  # the teacher: an inject, an adjustment, added turns

# The kinds of note, each with what its ``args`` hold, in order. A slot is an
# "id" (of the named table), "ids" (a tuple of them), "int", "chance" (0..1), or
# "text": words a person typed (the facilitator's reason), the only words a note holds.
TURN_BEGINS = "turn_begins"
CHOSE = "chose"
WITHDREW = "withdrew"
MOVE_SUCCEEDED = "move_succeeded"
MOVE_FAILED = "move_failed"
TOO_FEW_ENVOYS = "too_few_envoys"
NO_LONGER_POSSIBLE = "no_longer_possible"
DELAYED_TEXT = "delayed_text"
ACCORD_SIGNED = "accord_signed"
REVEALED = "revealed"
LEARNED = "learned"
NEWS = "news"
DECIDED = "decided"
DECIDED_UNSEATED = "decided_unseated"
BEHAVED = "behaved"
ENDED = "ended"
INJECTED = "injected"
ADJUSTED = "adjusted"
EXTENDED = "extended"
AMENDED = "amended"
NOT_COSPONSORED = "not_cosponsored"
BREACHED = "breached"
DRAFT_REFUSED = "draft_refused"

NOTES: dict[str, tuple[tuple[str, str], ...]] = {
    TURN_BEGINS: (("turn", "int"), ("last_turn", "int")),
    CHOSE: (("move", "id"), ("targets", "ids"), ("chance", "chance")),
    WITHDREW: (("move", "id"),),
    MOVE_SUCCEEDED: (("move", "id"), ("targets", "ids"), ("envoys", "ids")),
    MOVE_FAILED: (("move", "id"), ("targets", "ids"), ("envoys", "ids")),
    TOO_FEW_ENVOYS: (("move", "id"), ("targets", "ids"), ("needed", "int"), ("found", "int")),
    NO_LONGER_POSSIBLE: (("move", "id"), ("targets", "ids"), ("envoys", "ids")),
    DELAYED_TEXT: (("move", "id"), ("delayed", "int")),
    ACCORD_SIGNED: (("accord", "id"),),
    REVEALED: (("party", "id"), ("fact", "id")),
    LEARNED: (("party", "id"),),
    NEWS: (("event", "id"),),
    DECIDED: (("envoy", "id"), ("event", "id"), ("option", "id")),
    DECIDED_UNSEATED: (("envoy", "id"), ("event", "id"), ("option", "id")),
    BEHAVED: (("party", "id"), ("behaviour", "id")),
    ENDED: (("outcome", "id"),),
    INJECTED: (("event", "id"),),
    ADJUSTED: (("meter", "id"), ("subject", "ids"), ("value", "int"), ("reason", "text")),
    EXTENDED: (("turns", "int"), ("last_turn", "int")),
    AMENDED: (("envoy", "id"), ("accord", "id"), ("issue", "id"), ("option", "id")),
    NOT_COSPONSORED: (("move", "id"), ("targets", "ids"), ("envoys", "ids"), ("missing", "ids")),
    BREACHED: (("party", "id"), ("accord", "id"), ("ratifying", "int")),
    DRAFT_REFUSED: (("accord", "id"),),
}


def show_roll(roll: float) -> str:
    """A roll in 0..1 with two decimals, rounded down: 0.999 shows 0.99, never 1.00."""
    return f"{math.floor(roll * 100) / 100:.2f}"


@attrs.frozen
class Cause:
    kind: str
    id: str = ""
    envoy: str = ""  # the envoy who acted, if any
    roll: float | None = None
    chance: float | None = None
    private_to: str = ""  # an envoy id when only that seat may see it


@attrs.frozen
class Entry:
    turn: int
    cause: Cause
    note: str = ""  # for a note, its kind (one of NOTES); empty for a change
    args: tuple = ()  # a note's ids and numbers, as NOTES lists them
    meter: str = ""  # e.g. "tension"; empty for a note
    subject: tuple[str, ...] = ()  # the ids the meter belongs to
    before: int = 0
    after: int = 0
    source: str = ""  # scenario file:line of the effect

    @property
    def is_change(self) -> bool:
        return bool(self.meter)

    @property
    def delta(self) -> int:
        return self.after - self.before

    def visible_to(self, envoy_id: str) -> bool:
        return not self.cause.private_to or self.cause.private_to == envoy_id
