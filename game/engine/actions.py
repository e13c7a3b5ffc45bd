"""What a seat can do, as small frozen values with a stable text form.

Like a chess move in UCI, every action reads back from its text::

    >>> Action.parse("shuttle un norland sudmark")
    Play(envoy='un', move='shuttle', targets=('norland', 'sudmark'))
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

import enum
import re
from collections.abc import Callable
from typing import Any

import attrs

_WORD = re.compile(r"[a-z][a-z0-9_]*")
_NUMBER = re.compile(r"-?[0-9]{1,6}")

FACILITATOR = "facilitator"  # the "seat" of the teacher's actions (a reserved id)


class Reason(enum.Enum):
    """Which rule refuses an action. The rules find these; ``game.session.narrate`` words them.

    The value is the reason's id, stable for logs and tests.
    """

    GAME_OVER = "game_over"
    NOT_SEATED = "not_seated"  # envoy
    WRONG_PHASE = "wrong_phase"
    NOT_YOUR_TURN = "not_your_turn"
    UNKNOWN_MOVE = "unknown_move"  # move
    TARGET_SHAPE = "target_shape"  # move, target (the kind it takes), count
    UNKNOWN_TARGET = "unknown_target"  # kind (party, accord, envoy, counter), id
    NO_RELATION = "no_relation"  # a, b
    RELATION_ORDER = "relation_order"  # a, b: the order it is declared in
    ALREADY_CHOSEN = "already_chosen"  # move
    COOLING_DOWN = "cooling_down"  # move, free_turn
    CAPITAL = "capital"  # move, cost, left
    ACCORD_SIGNED = "accord_signed"  # accord
    SAME_PARTY = "same_party"  # party
    REQUIREMENTS = "requirements"  # move
    NO_DECISION = "no_decision"
    OPTION_NOT_OFFERED = "option_not_offered"  # option
    NOT_CHOSEN = "not_chosen"  # move
    UNKNOWN_ACTION = "unknown_action"
    # Amending a draft (format 2):
    NO_DRAFT = "no_draft"  # accord: a format-1 accord, one take-it-or-leave-it package
    ALREADY_AMENDED = "already_amended"
    DRAFT_LOCKED = "draft_locked"  # accord: proposed this turn
    UNKNOWN_ISSUE = "unknown_issue"  # accord, issue
    UNKNOWN_OPTION = "unknown_option"  # accord, issue, option
    SAME_OPTION = "same_option"  # accord, issue, option: the draft has it already
    DRAFT_REFUSED = "draft_refused"  # accord: its draft, as it stands, was refused
    # The facilitator's:
    UNKNOWN_EVENT = "unknown_event"  # event
    NEEDS_REASON = "needs_reason"
    UNKNOWN_METER = "unknown_meter"  # meter, choices
    WRONG_SUBJECT = "wrong_subject"  # meter, kind (the subject it has), count
    OUT_OF_RANGE = "out_of_range"  # meter, value, low, high
    TURNS_TO_ADD = "turns_to_add"  # turns, most

    @property
    def about_target(self) -> bool:
        """True when another target of the same move might not have this problem."""
        return self in _ABOUT_TARGET


_ABOUT_TARGET = frozenset(
    {
        Reason.TARGET_SHAPE,
        Reason.UNKNOWN_TARGET,
        Reason.NO_RELATION,
        Reason.RELATION_ORDER,
        Reason.ACCORD_SIGNED,
        Reason.SAME_PARTY,
        Reason.REQUIREMENTS,
        Reason.DRAFT_REFUSED,
    }
)

#: How many ids name a subject of each kind, in words (a move's target, a meter's subject).
SUBJECT_WORDS = {
    "none": "no target",
    "party": "one party",
    "accord": "one accord",
    "relation": "two parties",
    "standing": "an envoy, then a party",
    "envoy": "one envoy",
    "counter": "one counter",
}

# The engine's own one line for each reason, for logs and the command line (English only:
# a player reads narrate's words instead).
_ENGLISH: dict[Reason, Callable[[dict[str, Any]], str]] = {
    Reason.GAME_OVER: lambda d: "the game is over",
    Reason.NOT_SEATED: lambda d: f"'{d['envoy']}' has no seat in this game",
    Reason.WRONG_PHASE: lambda d: "moves are chosen in the Diplomacy phase",
    Reason.NOT_YOUR_TURN: lambda d: "it is not this seat's turn",
    Reason.UNKNOWN_MOVE: lambda d: f"unknown move '{d['move']}'",
    Reason.TARGET_SHAPE: lambda d: f"{d['move']} takes {SUBJECT_WORDS[d['target']]}",
    Reason.UNKNOWN_TARGET: lambda d: f"unknown {d['kind']} '{d['id']}'",
    Reason.NO_RELATION: lambda d: f"there is no relation between '{d['a']}' and '{d['b']}'",
    Reason.RELATION_ORDER: lambda d: f"write the relation as '{d['a']} {d['b']}'",
    Reason.ALREADY_CHOSEN: lambda d: "already chosen this turn",
    Reason.COOLING_DOWN: lambda d: f"cooling down until turn {d['free_turn']}",
    Reason.CAPITAL: lambda d: f"costs {d['cost']} capital; {d['left']} left",
    Reason.ACCORD_SIGNED: lambda d: "that accord is already signed",
    Reason.SAME_PARTY: lambda d: "a relation needs two different parties",
    Reason.REQUIREMENTS: lambda d: "its requirements are not met",
    Reason.NO_DECISION: lambda d: "there is no decision for this seat now",
    Reason.OPTION_NOT_OFFERED: lambda d: "that option is not offered",
    Reason.NOT_CHOSEN: lambda d: f"'{d['move']}' was not chosen this turn",
    Reason.UNKNOWN_ACTION: lambda d: "unknown action",
    Reason.NO_DRAFT: lambda d: f"'{d['accord']}' has no draft to amend",
    Reason.ALREADY_AMENDED: lambda d: "already amended a draft this turn",
    Reason.DRAFT_LOCKED: lambda d: f"the draft of '{d['accord']}' is proposed this turn",
    Reason.UNKNOWN_ISSUE: lambda d: f"'{d['accord']}' has no issue '{d['issue']}'",
    Reason.UNKNOWN_OPTION: lambda d: f"'{d['issue']}' has no option '{d['option']}'",
    Reason.SAME_OPTION: lambda d: f"the draft already says '{d['option']}'",
    Reason.DRAFT_REFUSED: lambda d: f"the draft of '{d['accord']}' was refused as it stands",
    Reason.UNKNOWN_EVENT: lambda d: f"unknown event '{d['event']}'",
    Reason.NEEDS_REASON: lambda d: "an adjustment needs a reason",
    Reason.UNKNOWN_METER: lambda d: (
        f"unknown meter '{d['meter']}': choose from {', '.join(d['choices'])}"
    ),
    Reason.WRONG_SUBJECT: lambda d: f"{d['meter']} names {SUBJECT_WORDS[d['kind']]}",
    Reason.OUT_OF_RANGE: lambda d: f"{d['meter']} goes from {d['low']} to {d['high']}",
    Reason.TURNS_TO_ADD: lambda d: f"add 1 to {d['most']} turns",
}


class IllegalAction(ValueError):
    """An action that the rules do not allow now; the state is left unchanged.

    Like python-chess's illegal moves, it is data: ``reason`` is the rule that
    refused it and ``details`` the ids and numbers that rule looked at::

        >>> problem = IllegalAction(Reason.COOLING_DOWN, move="hotline", free_turn=3)
        >>> problem.reason, problem.details["free_turn"]
        (<Reason.COOLING_DOWN: 'cooling_down'>, 3)
        >>> str(problem.about(Play("un", "hotline")))
        'hotline un: cooling down until turn 3'

    ``str()`` is one line of the engine's fixed English, for logs and the command
    line; ``game.session.narrate.problem`` words it for a player, in their language.
    """

    def __init__(self, reason: Reason, **details: Any):
        super().__init__(reason, details)
        self.reason = reason
        self.details = details
        self.action: Action | None = None  # the refused action, once known

    def about(self, action: Action) -> IllegalAction:
        """This problem, as the reason ``action`` is refused."""
        found = IllegalAction(self.reason, **self.details)
        found.action = action
        return found

    @property
    def message(self) -> str:
        """The reason in the engine's English, without the action: "cooling down until turn 3"."""
        return _ENGLISH[self.reason](self.details)

    def __str__(self) -> str:
        return self.message if self.action is None else f"{self.action}: {self.message}"

    def __repr__(self) -> str:
        details = "".join(f", {key}={value!r}" for key, value in self.details.items())
        return f"IllegalAction({self.reason}{details})"

    def __reduce__(self):
        return _rebuild, (self.reason, self.details, self.action)


def _rebuild(reason: Reason, details: dict[str, Any], action: Action | None) -> IllegalAction:
    problem = IllegalAction(reason, **details)
    problem.action = action
    return problem


class ActionSyntaxError(ValueError):
    """Text that is not an action."""


class Action:
    """Base of every action. ``envoy`` is the id of the envoy who acts."""

    envoy: str

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
        if verb == "amend" and len(rest) == 4:
            return Amend(*rest)
        if verb in ("end", "withdraw", "decide", "amend") or not rest:
            raise ActionSyntaxError(f"not an action: {text!r}")
        return Play(rest[0], verb, tuple(rest[1:]))


@attrs.frozen
class Play(Action):
    """Choose a move for this turn, aimed at its targets (none, a party, an accord, or a pair)."""

    envoy: str
    move: str
    targets: tuple[str, ...] = ()

    def __str__(self) -> str:
        return " ".join((self.move, self.envoy, *self.targets))


@attrs.frozen
class Withdraw(Action):
    """Take back a move chosen this turn, before the seat ends its turn."""

    envoy: str
    move: str

    def __str__(self) -> str:
        return f"withdraw {self.envoy} {self.move}"


@attrs.frozen
class End(Action):
    """Commit the seat's moves and pass to the next seat."""

    envoy: str

    def __str__(self) -> str:
        return f"end {self.envoy}"


@attrs.frozen
class Decide(Action):
    """Answer the decision an event has put to this seat."""

    envoy: str
    option: str

    def __str__(self) -> str:
        return f"decide {self.envoy} {self.option}"


@attrs.frozen
class Amend(Action):
    """Change one issue of an accord's public draft to another option (format 2)::

    >>> str(Action.parse("amend norland_fm ceasefire pullback km10"))
    'amend norland_fm ceasefire pullback km10'
    """

    envoy: str
    accord: str
    issue: str
    option: str

    def __str__(self) -> str:
        return f"amend {self.envoy} {self.accord} {self.issue} {self.option}"


# ------------------------------------------------------------ the facilitator


def _single_line(text: str) -> str:
    return " ".join(str(text).split())


class FacilitatorAction(Action):
    """Something the teacher does to the running crisis; never offered to a seat."""

    envoy = FACILITATOR


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
