"""The frontier chart of a format-2 accord, as data (NEGOTIATION.md, section 8).

For each accord with issues: every package as a point of the first two signatories'
gains over no deal, the outer edge ("best possible deals"), the Nash package
("balanced deal"), the starting draft, the package signed (if any) and the zone of
agreement. No deal is each
signatory's reservation as the game's state stands, with expected values (the middle
of each declared range): the hidden drawn values are never shown here.

Pure: the debrief's painter and the exported report both draw from :func:`charts`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from game.engine import bargain
from game.engine.bargain import Package, Values
from game.engine.model import Scenario


@attrs.frozen
class Point:
    package: Package
    #: Each signatory's utility minus its reservation; the first two are the axes.
    gains: tuple[float, ...]
    in_zone: bool  # better than no deal for every signatory
    best: bool  # on the Pareto frontier of every signatory


@attrs.frozen
class Frontier:
    accord: int
    signatories: tuple[int, ...]  # party indices; the chart's axes are the first two
    points: tuple[Point, ...]
    #: The outer edge as drawn, left to right: the points no other beats for both shown sides.
    edge: tuple[Package, ...]
    nash: Package | None
    draft: Package | None
    #: The package the accord was signed at, as the game ended; None while unsigned.
    signed: Package | None
    #: Each signatory's gain when every issue splits the difference.
    split: tuple[float, ...]
    sides: tuple[Values, ...]

    def point(self, package: Package) -> Point:
        return next(p for p in self.points if p.package == package)


def chart(scenario: Scenario, world: Any, index: int) -> Frontier | None:
    """The frontier of accord ``index`` in ``world`` (a game state); None for an accord
    without issues or with fewer than two signing parties."""
    accord = scenario.accords[index]
    if not accord.issues or len(accord.signatories) < 2:
        return None
    interests = [scenario.parties[p].interests[index] for p in accord.signatories]
    if any(interest is None for interest in interests):
        return None
    sides = tuple(bargain.expected(interest) for interest in interests)
    floors = [bargain.reservation(scenario, world, p, index) for p in accord.signatories]
    best = set(bargain.frontier(accord, sides))
    zone = set(bargain.zone(accord, sides, floors))
    points = tuple(
        Point(
            package,
            tuple(s.utility(package) - f for s, f in zip(sides, floors, strict=True)),
            package in zone,
            package in best,
        )
        for package in bargain.packages(accord)
    )
    shown = [p.gains[:2] for p in points]
    edge = sorted(
        (p for p in points if not any(bargain.dominates(o, p.gains[:2]) for o in shown)),
        key=lambda p: (p.gains[0], -p.gains[1]),
    )
    draft = tuple(accord.draft) if len(accord.draft) == len(accord.issues) else None
    signed = _signed(world, index)
    return Frontier(
        index,
        tuple(accord.signatories),
        points,
        tuple(p.package for p in edge),
        bargain.nash(accord, sides, floors),
        draft,
        signed,
        tuple(s.split() - f for s, f in zip(sides, floors, strict=True)),
        sides,
    )


def _signed(world: Any, index: int) -> Package | None:
    """The package accord ``index`` was signed at in ``world``: its draft, frozen once signed."""
    signed, drafts = world.signed, world.drafts
    if index >= len(signed) or not signed[index] or index >= len(drafts) or not drafts[index]:
        return None
    return tuple(drafts[index])


def charts(scenario: Scenario, world: Any) -> list[Frontier]:
    """Every format-2 accord's frontier, in the crisis's order (none for format 1)."""
    found = (chart(scenario, world, index) for index in range(len(scenario.accords)))
    return [f for f in found if f is not None]


def issue_gains(frontier: Frontier, side: int, issue: int, a: int, b: int) -> float:
    """What moving one issue from option ``a`` to option ``b`` is worth to a side."""
    values = frontier.sides[side]
    return values.weights[issue] * (values.values[issue][b] - values.values[issue][a])


def changed(a: Sequence[int], b: Sequence[int]) -> list[int]:
    return [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
