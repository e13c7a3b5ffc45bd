"""The rules of a game's set-up: the crisis code, the human teams and their names, the PIN.

:func:`check_setup` reads what was chosen and returns either the game it sets up
or every problem that stops it, each a sentence; it changes nothing, so the
set-up screen, a test or a future class roster can all ask it. The limits are
the class-play block of ``settings.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from game.session.codes import CodeError, read_code
from game.session.match import HUMAN
from game.session.settings import LIMITS

CLASS = LIMITS["classroom"]
PIN = re.compile(r"[0-9]*")  # ASCII digits: "²" and "٣" are digits to Python, not to a keypad


@attrs.frozen
class Choices:
    """What the set-up screen holds, as typed."""

    scenario_id: str
    code: str
    kinds: Sequence[str]  # each envoy's seat: HUMAN, AI or "" (left empty)
    teams: Sequence[str]  # each envoy's team name as typed (used for human seats)
    pin: str = ""


@attrs.frozen
class Checked:
    """A set-up that can start: the seed the code gives, the names in their shown form."""

    seed: int
    teams: tuple[str, ...]  # each envoy's name trimmed, inner spaces made one
    pin: str  # "" for none


def tidy(name: str) -> str:
    """A team name as shown: no space at its ends, one space between its words."""
    return " ".join(name.split())


def check_setup(choices: Choices) -> Checked | list[str]:
    """The game these choices set up, or every reason it cannot start yet."""
    problems = []
    seed = 0
    try:
        code = read_code(choices.code)
    except CodeError as problem:
        problems.append(str(problem))
    else:
        if code.matches(choices.scenario_id):
            seed = code.seed
        else:
            problems.append(
                "That crisis code is for another crisis: type it on the crisis list instead."
            )
    teams = tuple(tidy(name) for name in choices.teams)
    humans = [name for name, kind in zip(teams, choices.kinds, strict=True) if kind == HUMAN]
    most, longest = CLASS["max_teams"], CLASS["team_name_max_chars"]
    if len(humans) > most:
        problems.append(f"At most {most} human teams can share one computer.")
    if len(humans) > 1:  # class play: each team goes by its name
        if not all(humans):
            problems.append("Give every human team a name.")
        if any(len(name) > longest for name in humans):
            problems.append(f"A team name is at most {longest} characters: shorten it.")
        named = [name.casefold() for name in humans if name]
        if len(set(named)) != len(named):
            problems.append("Two teams have the same name: give each team its own.")
    pin = choices.pin.strip()
    low, high = CLASS["pin_digits"]["min"], CLASS["pin_digits"]["max"]
    if pin and not (PIN.fullmatch(pin) and low <= len(pin) <= high):
        problems.append(f"A PIN is {low} to {high} digits, or leave it empty for none.")
    return problems if problems else Checked(seed, teams, pin)
