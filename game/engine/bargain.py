"""The bargaining maths of format 2: packages, utilities, hidden types, acceptance,
the frontier, the Nash package and the gain of log-rolling (MODDING.md, "Format 2").

Pure and deterministic: nothing here reads a clock, the global ``random`` module or
a file, and nothing changes a state. A party's exact values are drawn from the
game's seed through :mod:`game.engine.rng`, so the same seed gives the same types.

An accord of 2 or 3 issues of 2 or 3 options has at most 27 packages, so every
question here is answered by enumerating them exactly.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import attrs

from game.engine import rng
from game.engine.model import (
    Accord,
    Bargaining,
    Compliance,
    Interest,
    Scenario,
    register_draft_odds,
)
from game.engine.state import ALL_SEEING

#: A package: the chosen option's index, per issue of its accord.
Package = tuple[int, ...]

# Salts the types' dice apart from the game's own, so drawing them never moves a roll.
_TYPES_SALT = 0x7459_7065_7321


@attrs.frozen
class Values:
    """One side's exact values for one accord: the weights (summing to 1) and a value
    per option per issue. A utility is their weighted sum, on the -10..+10 scale."""

    weights: tuple[float, ...]
    values: tuple[tuple[float, ...], ...]

    def utility(self, package: Package) -> float:
        return sum(
            weight * options[choice]
            for weight, options, choice in zip(self.weights, self.values, package, strict=True)
        )

    def best(self, accord: Accord) -> float:
        return max(utilities(self, accord))

    def worst(self, accord: Accord) -> float:
        return min(utilities(self, accord))

    def split(self) -> float:
        """The utility of splitting the difference: the middle option of every issue
        (halfway between the two, for an issue of two options)."""
        total = 0.0
        for weight, options in zip(self.weights, self.values, strict=True):
            middle = options[1] if len(options) == 3 else (options[0] + options[-1]) / 2
            total += weight * middle
        return total


@attrs.frozen
class PartyType:
    """A party's hidden type for one accord: its exact values and reservation offset."""

    values: Values
    offset: float


def packages(accord: Accord) -> tuple[Package, ...]:
    """Every package of an accord, in a stable order (the first option first)."""
    return _kept(
        _PACKAGES,
        (accord,),
        lambda: tuple(itertools.product(*(range(len(i.options)) for i in accord.issues))),
    )


#: Work kept per object: the key is the ids of the objects it was worked out from,
#: and each entry holds those objects, so no other object can take their ids while
#: it is kept. Each table is bounded, and forgets everything when full.
_EXPECTED: dict[tuple[int, ...], tuple[tuple, Values]] = {}
_TABLES: dict[tuple[int, ...], tuple[tuple, tuple[float, ...]]] = {}
_PACKAGES: dict[tuple[int, ...], tuple[tuple, tuple[Package, ...]]] = {}
_KEPT = 4096


def _kept(table: dict, objects: tuple, make: Any) -> Any:
    """``make()``, worked out once per ``objects`` (by identity) and kept in ``table``."""
    key = tuple(map(id, objects))
    found = table.get(key)
    if found is not None:
        return found[1]
    value = make()
    if len(table) >= _KEPT:
        table.clear()
    table[key] = (objects, value)
    return value


def expected(interest: Interest) -> Values:
    """The values a side is expected to have: the middle of each declared range."""
    return _kept(
        _EXPECTED,
        (interest,),
        lambda: Values(
            interest.weights,
            tuple(tuple((low + high) / 2 for low, high in issue) for issue in interest.values),
        ),
    )


def utilities(values: Values, accord: Accord) -> tuple[float, ...]:
    """``values``' utility of every package of the accord, in :func:`packages`' order."""
    return _kept(
        _TABLES, (values, accord), lambda: tuple(values.utility(p) for p in packages(accord))
    )


def expected_offset(interest: Interest) -> float:
    low, high = interest.offset
    return (low + high) / 2


def draw_types(scenario: Scenario, seed: int) -> tuple[tuple[PartyType | None, ...], ...]:
    """Every party's hidden type per accord (None where it has no interest), for a seed.

    Each value is drawn uniformly within its declared range, in a fixed order (party,
    accord, issue, option, then the offset), from dice derived from the seed alone.
    An exact value draws nothing, so making one value a range moves no other.
    """
    state = rng.derive(rng.seed_state(seed), _TYPES_SALT)
    result = []
    for party in scenario.parties:
        types: list[PartyType | None] = []
        for interest in party.interests:
            if interest is None:
                types.append(None)
                continue
            issues = []
            for issue in interest.values:
                options = []
                for low, high in issue:
                    value, state = _draw(state, low, high)
                    options.append(value)
                issues.append(tuple(options))
            offset, state = _draw(state, *interest.offset)
            types.append(PartyType(Values(interest.weights, tuple(issues)), offset))
        result.append(tuple(types))
    return tuple(result)


#: (id of the scenario, seed): (the scenario, its types), for the games of a few seeds.
_TYPES: dict[tuple[int, int], tuple[Scenario, tuple]] = {}
_TYPES_KEPT = 64


def true_types(state: Any) -> tuple[tuple[PartyType | None, ...], ...]:
    """The parties' hidden types in this game: what the engine rolls acceptance with.

    Only the full state holds them. A seat's view (or the room's) carries no seed
    (:data:`~game.engine.state.HIDDEN_SEED`), so it is refused: what a seat knows
    of a party is the ranges in its view's scenario, narrowed to the exact values
    of the parties it has learned (:func:`narrowed`).
    """
    if state.viewer != ALL_SEEING:
        raise ValueError("a view does not hold the parties' hidden types")
    key = (id(state.scenario), state.seed)
    kept = _TYPES.get(key)
    if kept is None or kept[0] is not state.scenario:
        if len(_TYPES) >= _TYPES_KEPT:
            _TYPES.clear()
        kept = _TYPES[key] = (state.scenario, draw_types(state.scenario, state.seed))
    return kept[1]


def narrowed(interest: Interest, known: PartyType) -> Interest:
    """An interest as a seat that has learned the party's type sees it: every range
    closed on the exact value, so what it expects is what is true."""
    values = tuple(tuple((v, v) for v in options) for options in known.values.values)
    return attrs.evolve(interest, values=values, offset=(known.offset, known.offset))


def _draw(state: int, low: float, high: float) -> tuple[float, int]:
    if low == high:
        return low, state
    roll, state = rng.random(state)
    return low + (high - low) * roll, state


def envoy_interest(scenario: Scenario, envoy: int, accord: int) -> Interest | None:
    """The interest an envoy's agenda has in an accord: its party's, or its own."""
    party = scenario.envoys[envoy].party
    interests = scenario.parties[party].interests if party >= 0 else scenario.envoys[envoy].values
    return interests[accord] if accord < len(interests) else None


def reservation(
    scenario: Scenario, world: Any, party: int, accord: int, offset: float | None = None
) -> float:
    """The least a deal of this accord must be worth to a party in this world.

    ``offset`` is the party's drawn offset; None takes the expected one.
    """
    interest = scenario.parties[party].interests[accord]
    assert interest is not None and interest.reservation is not None
    base = float(interest.reservation(world, (party,)))
    return base + (expected_offset(interest) if offset is None else offset)


def trust(scenario: Scenario, world: Any, party: int, accord: int) -> int:
    """A signing party's trust in the deal: its lowest trust in a fellow signatory."""
    levels = [
        world.trust[scenario.relation_index(party, other)]
        for other in scenario.accords[accord].signatories
        if other != party and scenario.relation_index(party, other) >= 0
    ]
    return min(levels) if levels else 0


def acceptance(numbers: Bargaining, margin: float, trust_level: float) -> float:
    """The published chance that an unseated party accepts a draft.

    ``margin`` is the draft's utility to it minus its reservation; trust (0..100)
    lowers the margin it demands. Rises with both, from ``floor`` to ``ceiling``.
    """
    demanded = numbers.midpoint - numbers.trust_discount * trust_level / 100
    share = _logistic((margin - demanded) / numbers.spread)
    return numbers.floor + (numbers.ceiling - numbers.floor) * share


def _logistic(x: float) -> float:
    # Written so that neither tail overflows.
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def watched(accord: Accord, package: Package) -> float:
    """How surely a breach of this package would be caught: one less the chance that
    every signed option's monitors miss it."""
    missed = 1.0
    for issue, choice in zip(accord.issues, package, strict=True):
        missed *= 1 - issue.options[choice].verifies
    return 1 - missed


def breach_chance(numbers: Compliance, shortfall: float, watched_share: float) -> float:
    """The published chance a signing party breaks a signed deal in a turn: none while
    the deal is worth at least no deal to it (``shortfall`` <= 0), else rising with
    the shortfall, and lower the more surely monitors would catch it."""
    if shortfall <= 0:
        return 0.0
    share = _logistic((shortfall - numbers.midpoint) / numbers.spread)
    return numbers.ceiling * (1 - watched_share) * share


def shortfall(
    scenario: Scenario,
    world: Any,
    accord: int,
    party: int,
    types: Sequence[Sequence[PartyType | None]] | None = None,
) -> float:
    """How far the accord's signed package falls short of the party's reservation in
    this world (positive: the deal is worth less to it than no deal). ``types``: the
    parties' true types; None, the expected ones (all a view may use)."""
    interest = scenario.parties[party].interests[accord]
    assert interest is not None
    utility, offset = _value_and_offset(interest, types, party, accord, world.drafts[accord])
    return reservation(scenario, world, party, accord, offset) - utility


def _value_and_offset(
    interest: Interest,
    types: Sequence[Sequence[PartyType | None]] | None,
    party: int,
    accord: int,
    package: Package,
) -> tuple[float, float | None]:
    """A party's value of a package and its reservation offset: by its true type, or
    (``types`` None) the expected value and offset (None: :func:`reservation`'s own)."""
    if types is None:
        return expected(interest).utility(package), None
    kind = types[party][accord]
    assert kind is not None
    return kind.values.utility(package), kind.offset


def dominates(a: Sequence[float], b: Sequence[float]) -> bool:
    """Whether utilities ``a`` are at least ``b`` for everyone and better for someone."""
    return all(x >= y for x, y in zip(a, b, strict=True)) and any(
        x > y for x, y in zip(a, b, strict=True)
    )


def frontier(accord: Accord, sides: Sequence[Values]) -> tuple[Package, ...]:
    """The Pareto frontier: the packages no other package makes better for one side
    without making it worse for another ("best possible deals")."""
    table = {p: tuple(side.utility(p) for side in sides) for p in packages(accord)}
    return tuple(
        p
        for p, mine in table.items()
        if not any(dominates(other, mine) for other in table.values())
    )


def nash_product(utilities: Sequence[float], disagreement: Sequence[float]) -> float | None:
    """The product of every side's gain over no deal; None unless every gain is positive."""
    product = 1.0
    for utility, base in zip(utilities, disagreement, strict=True):
        if utility <= base:
            return None
        product *= utility - base
    return product


def nash(accord: Accord, sides: Sequence[Values], disagreement: Sequence[float]) -> Package | None:
    """The Nash package ("balanced deal"): the largest product of gains over no deal,
    among packages every side prefers to no deal; the first such in package order on
    a tie. None when no package beats no deal for everyone."""
    best, best_product = None, 0.0
    for package in packages(accord):
        product = nash_product([s.utility(package) for s in sides], disagreement)
        if product is not None and (best is None or product > best_product):
            best, best_product = package, product
    return best


def zone(accord: Accord, sides: Sequence[Values], reservations: Sequence[float]) -> tuple:
    """The zone of agreement: the packages that beat its reservation for every side
    (exactly those with a Nash product, so a zone always has a Nash package)."""
    return tuple(
        p
        for p in packages(accord)
        if all(s.utility(p) > r for s, r in zip(sides, reservations, strict=True))
    )


def share_of_range(accord: Accord, side: Values, utility: float) -> float:
    """Where a utility lies between a side's worst package (0) and its best (1)."""
    low, high = side.worst(accord), side.best(accord)
    return 0.0 if high == low else (utility - low) / (high - low)


def log_rolling_gain(
    accord: Accord, sides: Sequence[Values], disagreement: Sequence[float]
) -> tuple[float, ...] | None:
    """Each side's share of its range at the Nash package minus its share at split
    (the balance target validate checks); None when there is no Nash package."""
    package = nash(accord, sides, disagreement)
    if package is None:
        return None
    return tuple(
        share_of_range(accord, s, s.utility(package)) - share_of_range(accord, s, s.split())
        for s in sides
    )


def same_ranking(accord: Accord, sides: Sequence[Values]) -> bool:
    """Whether every side orders every pair of packages the same way (ties included):
    then there is nothing to bargain over, only a puzzle to solve."""
    every = packages(accord)
    tables = [[s.utility(p) for p in every] for s in sides]
    for i, j in itertools.combinations(range(len(every)), 2):
        signs = {_sign(table[i] - table[j]) for table in tables}
        if len(signs) > 1:
            return False
    return True


def _sign(x: float) -> int:
    return (x > 1e-12) - (x < -1e-12)


def concession_target(best: float, floor: float, progress: float, exponent: float) -> float:
    """What a time-dependent negotiator demands at ``progress`` (0 at the start, 1 at the
    deadline): from its best package down to its floor, as progress ** (1 / exponent).
    An exponent below 1 concedes late (Boulware), 1 steadily, above 1 early (Conceder)."""
    progress = min(max(progress, 0.0), 1.0)
    return best - (best - floor) * progress ** (1 / exponent)


# ------------------------------------------------------------------ in play


def unseated_signatories(scenario: Scenario, world: Any, accord: int) -> tuple[int, ...]:
    """The signing parties of an accord that no seated envoy represents: they accept
    or refuse by the acceptance function."""
    seated = {scenario.envoys[e].party for e in world.turn_order}
    return tuple(p for p in scenario.accords[accord].signatories if p not in seated)


def draft_odds(
    scenario: Scenario,
    world: Any,
    accord: int,
    types: Sequence[Sequence[PartyType | None]] | None = None,
    package: Package | None = None,
) -> float:
    """The chance every unseated signing party accepts the accord's draft now (or
    ``package``, were it the draft): the product of their acceptances. ``types`` are
    the parties' types (None: the expected ones, from the declared ranges, which is
    all a view may use)."""
    numbers = scenario.rules.bargaining
    draft = world.drafts[accord] if package is None else package
    odds = 1.0
    for party in unseated_signatories(scenario, world, accord):
        interest = scenario.parties[party].interests[accord]
        utility, offset = _value_and_offset(interest, types, party, accord, draft)
        margin = utility - reservation(scenario, world, party, accord, offset)
        odds *= acceptance(numbers, margin, trust(scenario, world, party, accord))
    return odds


def draft_odds_range(scenario: Scenario, world: Any, accord: int) -> tuple[float, float]:
    """The lowest and highest chance :func:`draft_odds` can be over the declared ranges
    of the unseated signing parties' values and offsets (acceptance rises with margin)."""
    numbers = scenario.rules.bargaining
    draft = world.drafts[accord]
    low = high = 1.0
    for party in unseated_signatories(scenario, world, accord):
        interest = scenario.parties[party].interests[accord]
        level = trust(scenario, world, party, accord)
        base = reservation(scenario, world, party, accord, 0.0)
        least = sum(
            w * v[c][0] for w, v, c in zip(interest.weights, interest.values, draft, strict=True)
        )
        most = sum(
            w * v[c][1] for w, v, c in zip(interest.weights, interest.values, draft, strict=True)
        )
        low *= acceptance(numbers, least - base - interest.offset[1], level)
        high *= acceptance(numbers, most - base - interest.offset[0], level)
    return low, high


register_draft_odds(draft_odds)
