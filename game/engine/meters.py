"""The meters: one table that every other list of them is read from.

A meter is a number the rules keep per subject: per relation (tension, trust,
pressure, hotline), per envoy and party (standing), per envoy (capital), per
party (posture, resolve) or per scenario counter. The effect language reads and
writes them by ``name``; the state keeps them in the tuple ``field``; the
facilitator adjusts them by ``name`` and ``subject``; the UI labels and colours
their changes from ``label`` and ``better``.

Adding a meter is one row here, plus the state field that holds it.
"""

from __future__ import annotations

from typing import Literal

import attrs

#: The range of every meter that does not name its own bounds in ``rules``.
SCALE = (0, 100)

Subject = Literal["relation", "standing", "envoy", "party", "counter"]

#: How many ids name one subject of each kind (standing: an envoy, then a party).
SUBJECT_IDS: dict[str, int] = {"relation": 2, "standing": 2, "envoy": 1, "party": 1, "counter": 1}


@attrs.frozen
class Meter:
    name: str  # in the effect language, the ledger and the facilitator's commands
    field: str  # the GameState (and scratch World) attribute that holds its values
    subject: Subject
    label: str  # English; the phrasing layer translates it
    #: +1 when a rise is good for the crisis (shown green), -1 when it is bad
    #: (shown red), 0 when neither (a posture or a counter means what the crisis says).
    better: int
    #: The names of the ``Rules`` fields that bound it, or () for :data:`SCALE`.
    bounds: tuple[str, str] | tuple[()] = ()
    #: What the modding reference says of it, and a line of the language that uses it.
    description: str = ""
    example: str = ""


METERS: tuple[Meter, ...] = (
    Meter(
        "tension",
        "tension",
        "relation",
        "Tension",
        -1,
        description="How close two parties are to armed conflict, 0..100.",
        example="tension(norland, sudmark) >= 60",
    ),
    Meter(
        "trust",
        "trust",
        "relation",
        "Trust",
        +1,
        description="How much two parties believe each other, 0..100.",
        example="trust(norland, sudmark) += 5",
    ),
    Meter(
        "pressure",
        "pressure",
        "relation",
        "Pressure",
        -1,
        ("pressure_min", "pressure_max"),
        "How much tension drifts up each turn on a relation.",
        example="pressure(norland, sudmark) -= 1",
    ),
    Meter(
        "hotline",
        "hotline",
        "relation",
        "Hotline",
        +1,
        ("", "hotline_max"),
        "Turns left on an open hotline between two parties (0 when closed). Set it to open one.",
        example="hotline(a, b) = 3",
    ),
    Meter(
        "standing",
        "standing",
        "standing",
        "Standing",
        +1,
        description="How far a party trusts an envoy, 0..100.",
        example="standing(self, target) += 4",
    ),
    Meter(
        "capital",
        "capital",
        "envoy",
        "Capital",
        +1,
        ("capital_min", "capital_max"),
        "An envoy's political capital left this turn.",
        example="capital(self) -= 2",
    ),
    Meter(
        "posture",
        "posture",
        "party",
        "Posture",
        0,
        description="A party's posture, 0 dove .. 100 hawk.",
        example="posture(norland) >= 70",
    ),
    Meter(
        "resolve",
        "resolve",
        "party",
        "Resolve",
        -1,
        description="A party's resolve to hold out; sanctions wear it down, and accords come "
        "easier when it is low.",
        example="resolve(target) -= 8",
    ),
    Meter(
        "counter",
        "counters",
        "counter",
        "Counter",
        0,
        ("counter_min", "counter_max"),
        "A number the scenario declares under `counters` and keeps itself.",
        example="counter(incidents) += 1",
    ),
)

BY_NAME: dict[str, Meter] = {m.name: m for m in METERS}
RELATION_METERS: tuple[str, ...] = tuple(m.name for m in METERS if m.subject == "relation")


def bounds(meter: Meter, rules: object) -> tuple[int, int]:
    """The meter's range under a scenario's ``rules``; an empty bound name is :data:`SCALE`'s."""
    if not meter.bounds:
        return SCALE
    low, high = meter.bounds
    return (
        getattr(rules, low) if low else SCALE[0],
        getattr(rules, high) if high else SCALE[1],
    )


def ranges(rules: object) -> dict[str, tuple[int, int]]:
    """Every meter's range under ``rules``, by name."""
    return {m.name: bounds(m, rules) for m in METERS}


def change_tone(name: str, delta: float) -> int:
    """+1 when this change is good for the crisis, -1 when bad, 0 when neither or no change."""
    meter = BY_NAME.get(name)
    if meter is None or not delta:
        return 0
    return meter.better if delta > 0 else -meter.better
