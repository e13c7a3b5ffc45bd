"""What a seat can do, as small frozen values with a stable text form.

Like a chess move in UCI, every action reads back from its text::

    >>> Action.parse("shuttle un norland sudmark")
    Play(seat='un', move='shuttle', targets=('norland', 'sudmark'))
    >>> str(Action.parse("end un"))
    'end un'
    >>> Action.parse(str(Decide("un", "hold_firm"))) == Decide("un", "hold_firm")
    True

A facilitator (the teacher running a class) acts through the same door, so a
save replays what the teacher did too. A reason is free text at the end::

    >>> Action.parse("facilitator adjust tension norland sudmark 40 the class voted")
    Adjust(meter='tension', subject=('norland', 'sudmark'), value=40, reason='the class voted')
    >>> str(Action.parse("facilitator  inject refugees"))
    'facilitator inject refugees'
"""

from __future__ import annotations

import re

import attrs

_WORD = re.compile(r"[a-z][a-z0-9_]*")
_NUMBER = re.compile(r"-?[0-9]{1,6}")

FACILITATOR = "facilitator"  # the "seat" of the teacher's actions (a reserved id)


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
        if words[:1] == [FACILITATOR]:
            return _parse_facilitator(text, words[1:])
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


# ------------------------------------------------------------ the facilitator


def _single_line(text: str) -> str:
    return " ".join(str(text).split())


class FacilitatorAction(Action):
    """Something the teacher does to the running crisis; never offered to a seat."""

    seat = FACILITATOR


@attrs.frozen
class Inject(FacilitatorAction):
    """Fire an event from the scenario's deck now, like a Model-UN crisis update."""

    event: str

    def __str__(self) -> str:
        return f"{FACILITATOR} inject {self.event}"


@attrs.frozen
class Adjust(FacilitatorAction):
    """Set one meter to a value, with the reason the teacher gave (required)."""

    meter: str
    subject: tuple[str, ...]
    value: int
    reason: str = attrs.field(converter=_single_line)

    def __str__(self) -> str:
        words = (FACILITATOR, "adjust", self.meter, *self.subject, str(self.value), self.reason)
        return " ".join(words)


@attrs.frozen
class Extend(FacilitatorAction):
    """Add turns to the crisis."""

    turns: int

    def __str__(self) -> str:
        return f"{FACILITATOR} extend {self.turns}"


def _parse_facilitator(text: str, words: list[str]) -> Action:
    if len(words) == 2 and words[0] == "inject" and _WORD.fullmatch(words[1]):
        return Inject(words[1])
    if len(words) == 2 and words[0] == "extend" and _NUMBER.fullmatch(words[1]):
        return Extend(int(words[1]))
    if words[:1] == ["adjust"] and len(words) >= 4 and _WORD.fullmatch(words[1]):
        for at in range(2, len(words)):
            if _NUMBER.fullmatch(words[at]):
                subject = words[2:at]
                reason = " ".join(words[at + 1 :])
                if subject and all(_WORD.fullmatch(w) for w in subject) and reason:
                    return Adjust(words[1], tuple(subject), int(words[at]), reason)
                break
    raise ActionSyntaxError(f"not a facilitator action: {text!r}")
