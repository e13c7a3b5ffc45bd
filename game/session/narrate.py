"""Words for what happened: ledger entries and previews as text a player reads.

The engine's ledger speaks in ids; this module names parties, relations, moves
and envoys by their titles, and says why each change happened. The board's
log, the resolution playback, the move cards and the debrief all read from
here, so the game tells one story in one voice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from game.engine import ledger, meters
from game.engine.ledger import Entry
from game.engine.model import Scenario
from game.engine.state import GameState

# How a finished crisis is announced: on the debrief screen and in the printed report.
VERDICTS = {
    "peace": ("Peace", "The accords were signed: the crisis ends at the negotiating table."),
    "stalemate": ("Stalemate", "No war, but no settlement: the crisis is frozen, not solved."),
    "conflict": ("Conflict", "Tension passed the point of no return. Diplomacy failed this time."),
}

METERS = {m.name: m.label for m in meters.METERS}


def _by_id(items, wanted: str) -> str:
    for item in items:
        if item.id == wanted:
            return str(item.name)
    return wanted


def party(scenario: Scenario, party_id: str) -> str:
    return _by_id(scenario.parties, party_id)


def envoy(scenario: Scenario, envoy_id: str) -> str:
    return _by_id(scenario.envoys, envoy_id)


def move(scenario: Scenario, move_id: str) -> str:
    return _by_id(scenario.moves, move_id)


def pair(scenario: Scenario, a: str, b: str) -> str:
    return f"{party(scenario, a)}–{party(scenario, b)}"


def targets(scenario: Scenario, move_id: str, names: Sequence[str]) -> str:
    """How a move's targets read: a party, a pair, an accord's title, or nothing."""
    if not names:
        return ""
    if len(names) == 2:
        return pair(scenario, *names)
    for accord in scenario.accords:
        if accord.id == names[0]:
            return str(accord.name)
    return party(scenario, names[0])


def meter(scenario: Scenario, entry: Entry) -> str:
    """What a change is to: "Tension Norland–Sudmark", "Standing of UN Envoy with Norland"."""
    name = METERS.get(entry.meter, entry.meter.title())
    subject = entry.subject
    if entry.meter == "standing" and len(subject) == 2:
        return f"Standing of {envoy(scenario, subject[0])} with {party(scenario, subject[1])}"
    if entry.meter == "capital" and subject:
        return f"Capital of {envoy(scenario, subject[0])}"
    if len(subject) == 2:
        return f"{name} {pair(scenario, *subject)}"
    if entry.meter == "counter" and subject:
        return subject[0].replace("_", " ").capitalize()
    if subject:
        return f"{name} of {party(scenario, subject[0])}"
    return name


def cause(scenario: Scenario, entry: Entry) -> str:
    """Who or what caused an entry, in words."""
    c = entry.cause
    if c.kind == "secret":
        return "a secret move"
    by = f" by {envoy(scenario, c.seat)}" if c.seat else ""
    if c.kind in (ledger.MOVE, ledger.DELAYED):
        later = " (delayed effect)" if c.kind == ledger.DELAYED else ""
        return f"{move(scenario, c.id)}{by}{later}"
    if c.kind == ledger.DRIFT:
        return "drift: the pressure of events"
    if c.kind == "event":
        return f"news: {_by_id_title(scenario.events, c.id)}"
    if c.kind == "behaviour":
        owner = c.id.split(".")[0]
        return f"{party(scenario, owner)} acting on its own"
    if c.kind == "decision":
        return f"decision{by}"
    if c.kind == ledger.ACCORD:
        return "an accord"
    if c.kind == ledger.FACILITATOR:
        if c.id.startswith("inject."):
            return f"the facilitator: crisis update, {_by_id_title(scenario.events, c.id[7:])}"
        return "the facilitator's adjustment" if c.id == "adjust" else "the facilitator"
    return f"{c.kind} {c.id}".strip()


def _by_id_title(items, wanted: str) -> str:
    for item in items:
        if item.id == wanted:
            return str(item.title)
    return wanted


def change(scenario: Scenario, entry: Entry) -> str:
    """ "Tension Norland–Sudmark 64 to 56 (−8)"."""
    delta = entry.delta
    sign = "+" if delta > 0 else "−" if delta < 0 else "±"
    return f"{meter(scenario, entry)} {entry.before} to {entry.after} ({sign}{abs(delta)})"


def why(scenario: Scenario, entry: Entry) -> str:
    """The ledger's reason for an entry: cause, roll against chance, and source line."""
    parts = [cause(scenario, entry)]
    c = entry.cause
    if c.roll is not None and c.chance is not None:
        parts.append(f"rolled {ledger.show_roll(c.roll)} against {c.chance:.0%}")
    elif c.chance is not None:
        parts.append(f"a sure thing ({c.chance:.0%})" if c.chance >= 1 else f"{c.chance:.0%}")
    if entry.source:
        parts.append(entry.source)
    return " · ".join(parts)


def line(scenario: Scenario, entry: Entry) -> str:
    """One log line: the note itself, or the change."""
    return change(scenario, entry) if entry.is_change else entry.text


@attrs.frozen
class Beat:
    """One step of the resolution story: a headline and the changes it caused."""

    headline: str
    changes: tuple[Entry, ...]
    turn: int


def beats(scenario: Scenario, entries: Iterable[Entry]) -> list[Beat]:
    """Group entries into story beats: each note with the changes that follow it."""
    result: list[Beat] = []
    headline, changes, key, turn = "", [], None, 0
    for entry in entries:
        this = (entry.cause.kind, entry.cause.id, entry.cause.seat)
        if not entry.is_change or this != key:
            if headline or changes:
                result.append(Beat(headline or cause(scenario, changes[0]), tuple(changes), turn))
            headline, changes, key, turn = "", [], this, entry.turn
            if not entry.is_change:
                headline = entry.text
                continue
        changes.append(entry)
    if headline or changes:
        result.append(Beat(headline or cause(scenario, changes[0]), tuple(changes), turn))
    return result


def turning_points(entries: Iterable[Entry], count: int = 5) -> list[Entry]:
    """The biggest changes to tension and trust, in the order they happened."""
    changes = [
        (index, e) for index, e in enumerate(entries) if e.meter in ("tension", "trust") and e.delta
    ]
    biggest = sorted(changes, key=lambda item: (-abs(item[1].delta), item[0]))[:count]
    return [e for _, e in sorted(biggest, key=lambda item: item[0])]


def differences(scenario: Scenario, before: GameState, after: GameState) -> list[str]:
    """What a preview would change, as short lines ("Tension Norland–Sudmark −8")."""
    lines = []
    for index, relation in enumerate(scenario.relations):
        name = pair(scenario, scenario.parties[relation.a].id, scenario.parties[relation.b].id)
        for field, label in (("tension", "Tension"), ("trust", "Trust"), ("hotline", "Hotline")):
            delta = getattr(after, field)[index] - getattr(before, field)[index]
            if delta:
                lines.append(f"{label} {name} {_signed(delta)}")
    for index, item in enumerate(scenario.parties):
        for field, label in (("posture", "Posture"), ("resolve", "Resolve")):
            delta = getattr(after, field)[index] - getattr(before, field)[index]
            if delta:
                lines.append(f"{label} of {item.name} {_signed(delta)}")
    viewer = after.viewer
    if viewer >= 0:
        for index, item in enumerate(scenario.parties):
            delta = after.standing_of(viewer, index) - before.standing_of(viewer, index)
            if delta:
                lines.append(f"Your standing with {item.name} {_signed(delta)}")
    for index, accord in enumerate(scenario.accords):
        if after.signed[index] and not before.signed[index]:
            lines.append(f"Signs the {accord.name}")
    return lines


def _signed(delta: int) -> str:
    return f"+{delta}" if delta > 0 else f"−{-delta}"
