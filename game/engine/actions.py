"""What a seat can do, as small frozen values with a stable text form.

Like a chess move in UCI, every action reads back from its text::

    >>> Action.parse("shuttle un norland sudmark")
    Play(seat='un', move='shuttle', targets=('norland', 'sudmark'))
    >>> str(Action.parse("end un"))
    'end un'
    >>> Action.parse(str(Decide("un", "hold_firm"))) == Decide("un", "hold_firm")
    True
"""

from __future__ import annotations

import re

import attrs

_WORD = re.compile(r"[a-z][a-z0-9_]*")


class IllegalAction(ValueError):
    """An action that the rules do not allow now; the state is left unchanged."""


class ActionSyntaxError(ValueError):
    """Text that is not an action."""


class Action:
    """Base of every action. ``seat`` is the id of the envoy who acts."""

    seat: str

    @staticmethod
    def parse(text: str) -> Action:
        words = text.split()
        if not words or not all(_WORD.fullmatch(w) for w in words):
            raise ActionSyntaxError(f"not an action: {text!r}")
        verb, rest = words[0], words[1:]
        if verb == "end" and len(rest) == 1:
            return End(rest[0])
        if verb == "withdraw" and len(rest) == 2:
            return Withdraw(rest[0], rest[1])
        if verb == "decide" and len(rest) == 2:
            return Decide(rest[0], rest[1])
        if verb in ("end", "withdraw", "decide") or not rest:
            raise ActionSyntaxError(f"not an action: {text!r}")
        return Play(rest[0], verb, tuple(rest[1:]))


@attrs.frozen
class Play(Action):
    """Choose a move for this turn, aimed at its targets (none, a party, an accord, or a pair)."""

    seat: str
    move: str
    targets: tuple[str, ...] = ()

    def __str__(self) -> str:
        return " ".join((self.move, self.seat, *self.targets))


@attrs.frozen
class Withdraw(Action):
    """Take back a move chosen this turn, before the seat ends its turn."""

    seat: str
    move: str

    def __str__(self) -> str:
        return f"withdraw {self.seat} {self.move}"


@attrs.frozen
class End(Action):
    """Commit the seat's moves and pass to the next seat."""

    seat: str

    def __str__(self) -> str:
        return f"end {self.seat}"


@attrs.frozen
class Decide(Action):
    """Answer the decision an event has put to this seat."""

    seat: str
    option: str

    def __str__(self) -> str:
        return f"decide {self.seat} {self.option}"
