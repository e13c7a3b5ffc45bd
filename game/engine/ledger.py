"""The "why" ledger (DESIGN §1.9): every meter change with its cause.

Each entry says what changed, from what to what, and why: the move, event,
behaviour or drift that caused it, the seat that acted, the dice roll against
the chance, and the scenario file and line that defined the effect. Notes
(``meter == ""``) narrate what happened between the changes. The UI's "why did
tension rise?", the debrief and the simulator all read this one record.
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
FACILITATOR = "facilitator"  # the teacher: an inject, an adjustment, added turns


def show_roll(roll: float) -> str:
    """A roll in 0..1 with two decimals, rounded down: 0.999 shows 0.99, never 1.00."""
    return f"{math.floor(roll * 100) / 100:.2f}"


@attrs.frozen
class Cause:
    kind: str
    id: str = ""
    seat: str = ""  # the envoy who acted, if any
    roll: float | None = None
    chance: float | None = None
    private_to: str = ""  # an envoy id when only that seat may see it


@attrs.frozen
class Entry:
    turn: int
    cause: Cause
    text: str = ""  # narration, for notes
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

    def describe(self) -> str:
        """One line a player can read: what changed, and why."""
        if not self.is_change:
            return self.text
        sign = "+" if self.delta > 0 else ""
        what = f"{self.meter}({', '.join(self.subject)}) {self.before} → {self.after}"
        what += f" ({sign}{self.delta})"
        why = f"{self.cause.kind} {self.cause.id}".strip()
        if self.cause.seat:
            why += f" by {self.cause.seat}"
        if self.cause.roll is not None and self.cause.chance is not None:
            why += f", rolled {show_roll(self.cause.roll)} against {self.cause.chance:.0%}"
        if self.source:
            why += f", {self.source}"
        return f"{what}: {why}"
