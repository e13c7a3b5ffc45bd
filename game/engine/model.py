"""A scenario as the engine uses it: frozen, cross-referenced, expressions compiled.

The content loader builds these from scenario files; the engine never reads a
file. Ids become indices here, so the rules run on tuples of integers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

import attrs

from game.engine.expr import Effect, Fn, IdTables, Need


@runtime_checkable
class Text(Protocol):
    """Player-facing scenario text, as the engine needs it (game.content.schema.Text is one).

    The engine never phrases anything itself: it carries the scenario's texts
    for the session and the UI, which read them in an explicit language. A
    Protocol, so the engine states what it needs without importing content.
    """

    def get(self, lang: str = "en") -> str:
        """The text in ``lang``, else in English."""
        ...

    def __str__(self) -> str:
        """The text in the display language (legacy UI code only)."""
        ...


@attrs.frozen
class Rules:
    capital_carry_max: int
    capital_min: int
    capital_max: int
    standing_default: int
    pressure_min: int
    pressure_max: int
    hotline_max: int
    hotline_drift_factor: float
    accord_drift_factor: float
    pool_nothing_weight: float
    behaviour_idle_weight: float
    counter_min: int
    counter_max: int
    resolution_order: tuple[str, ...]
    shared_points: dict[str, int]
    multiplier: dict[str, float]
    standing_weight: float
    #: Format 2's bargaining numbers; None where no library or scenario gives them.
    bargaining: Bargaining | None = None
    #: How repeated moves lose their force; None: a move is as good every time.
    repetition: Repetition | None = None


@attrs.frozen
class Repetition:
    """Each time in the last ``window`` turns that an envoy made the same move on the
    same targets multiplies the move's odds now by ``factor``."""

    window: int
    factor: float


@attrs.frozen
class Bargaining:
    """The library's published bargaining numbers."""

    #: The acceptance function: the margin a party of trust 0 accepts half the time,
    #: how much less it demands at trust 100, the logistic spread, and its bounds.
    midpoint: float
    trust_discount: float
    spread: float
    floor: float
    ceiling: float
    #: The share of its range each signing party gains at Nash over split, at least.
    log_rolling_min: float
    #: Concession exponent per AI difficulty (<1 Boulware, 1 linear, >1 Conceder).
    concession: dict[str, float]
    #: How the crisis scores its deals; None: as format 1, by ``Rules``' shared points.
    scoring: DealScoring | None = None
    #: How signed deals are kept or broken; None: once signed, a deal holds.
    compliance: Compliance | None = None


@attrs.frozen
class DealScoring:
    """Scoring interests (NEGOTIATION.md §3): points per point of value of a signed
    package, the peace bonus, and everyone's points in conflict; a stalemate scores
    each envoy's BATNA."""

    deal_weight: float
    peace_bonus: float
    conflict: float


def draft_refused(state: Any, accord: int) -> bool:
    """Whether the accord's draft, as it stands, is a text the parties refused (of a
    state, a seat's view, or a world the rules are running on)."""
    return bool(state.refused) and (accord, state.drafts[accord]) in state.refused


@attrs.frozen
class Compliance:
    """Keeping a signed deal (NEGOTIATION.md §5). A signing party whose deal is worth
    ``shortfall`` less than no deal breaks it in a turn with the chance
    ``ceiling * (1 - watched) / (1 + e^-((shortfall - midpoint) / spread))``, where
    ``watched`` is how surely the deal's monitors would catch it. A breach unsigns the
    accord and costs the breaking party ``tension`` and ``trust`` with each fellow
    signatory, and its envoys ``standing`` with each of them."""

    midpoint: float
    spread: float
    ceiling: float
    tension: int
    trust: int
    standing: int


@attrs.frozen
class IssueOption:
    id: str
    text: Text
    #: How surely this option, once signed, lets a breach of the deal be caught (0..1).
    verifies: float = 0.0


@attrs.frozen
class Issue:
    id: str
    name: Text
    options: tuple[IssueOption, ...]


@attrs.frozen
class Interest:
    """One side's interest in one accord's issues: what bargaining reads.

    ``weights`` are the declared weights scaled to sum to 1, so a utility stays on
    the values' scale (-10..+10). ``values[issue][option]`` is the declared range
    (low, high); a party's exact values are drawn per seed within it
    (:mod:`game.engine.bargain`). ``reservation`` is None for an envoy, whose
    no-deal point is its BATNA.
    """

    weights: tuple[float, ...]
    values: tuple[tuple[tuple[float, float], ...], ...]
    reservation: Fn | None = None
    offset: tuple[float, float] = (0.0, 0.0)


@attrs.frozen
class Family:
    id: str
    name: Text
    text: Text
    color: str


@attrs.frozen
class Fact:
    party: int
    id: str
    text: Text | None  # None in a player's view until revealed


@attrs.frozen
class Behaviour:
    id: str
    text: Text
    weight: float
    when: Fn
    effects: tuple[Effect, ...]


@attrs.frozen
class Party:
    id: str
    name: Text
    color: str
    map: tuple[float, float]
    posture: int
    resolve: int
    text: Text | None
    behaviours: tuple[Behaviour, ...]
    idle_weight: float
    #: Format 2: its interest per accord (None where it does not sign, or format 1).
    interests: tuple[Interest | None, ...] = ()


@attrs.frozen
class Relation:
    a: int
    b: int
    tension: int
    trust: int
    pressure: int
    source: str = ""  # where its pressure is written: drift's line in the "why" ledger


@attrs.frozen
class Objective:
    id: str
    text: Text
    when: Fn
    points: int


@attrs.frozen
class Envoy:
    id: str
    name: Text
    party: int  # -1 when the envoy speaks for no party
    required: bool
    capital: int
    text: Text | None
    standing: tuple[int, ...]  # starting standing, per party
    agenda: tuple[Objective, ...]
    #: Format 2: an envoy without a party's own values per accord (None: indifferent,
    #: or not a format-2 accord); an envoy with a party has its party's interests.
    values: tuple[Interest | None, ...] = ()
    batna: float = 0.0  # what a stalemate is worth to it, on its values' scale


@attrs.frozen
class Accord:
    id: str
    name: Text
    text: Text
    requires: Fn
    chance: Fn
    effects: tuple[Effect, ...]
    #: What ``requires`` asks, as needs that all hold exactly when it does; None when
    #: its shape has no such description (the phrasing layer then says less).
    needs: tuple[Need, ...] | None = None
    #: Format 2: the signing parties, the issues, and the starting draft (an option
    #: index per issue). Without issues an accord is one take-it-or-leave-it package.
    signatories: tuple[int, ...] = ()
    issues: tuple[Issue, ...] = ()
    draft: tuple[int, ...] = ()


@attrs.frozen
class Delayed:
    after: int  # apply once, this many turns later (0: not this kind)
    each_turn_for: int  # apply at each World step for this many turns (0: not this kind)
    effects: tuple[Effect, ...]
    text: Text | None


@attrs.frozen
class Move:
    id: str
    family: str
    name: Text
    text: Text
    cost: int
    target: str  # party, relation, accord or none
    requires: Fn
    chance: Fn
    chance_text: str
    success: tuple[Effect, ...]
    failure: tuple[Effect, ...]
    delayed: tuple[Delayed, ...]
    secret: bool
    cooldown: int
    joint_min: int  # 0 for a move one envoy makes alone
    source: str
    needs: tuple[Need, ...] | None = None  # as Accord.needs, for the move's ``requires``


@attrs.frozen
class Option:
    id: str
    text: Text
    when: Fn
    effects: tuple[Effect, ...]


@attrs.frozen
class Decision:
    envoy: int
    prompt: Text
    options: tuple[Option, ...]


@attrs.frozen
class Event:
    id: str
    title: Text
    text: Text
    at_turn: int  # 0: not scheduled
    when: Fn | None
    pool_weight: float  # 0: not in the pool
    pool_when: Fn | None
    once: bool
    cooldown: int
    effects: tuple[Effect, ...]
    decision: Decision | None
    rare: bool


@attrs.frozen(eq=False, repr=False)
class Scenario:
    """A compiled scenario. Compared by identity; ``content_hash`` names its content."""

    def __repr__(self) -> str:
        return f"<Scenario {self.id} {self.content_hash[:12]}>"

    id: str
    title: Text
    summary: Text
    briefing: Text
    difficulty: str
    inspired_by: Text | None
    teacher: Any
    turns: int
    conflict_at: int
    families: tuple[Family, ...]
    parties: tuple[Party, ...]
    relations: tuple[Relation, ...]
    envoys: tuple[Envoy, ...]
    accords: tuple[Accord, ...]
    moves: tuple[Move, ...]
    events: tuple[Event, ...]
    facts: tuple[Fact, ...]
    counters: tuple[str, ...]
    counter_start: tuple[int, ...]
    peace: Fn
    rules: Rules
    tables: IdTables
    content_hash: str
    source: str  # the scenario file, for messages
    #: The family order in which moves resolve, as an index per family id.
    family_rank: dict[str, int] = attrs.field(factory=dict)
    #: The party each envoy speaks for (-1 for none), by envoy index.
    envoy_party: tuple[int, ...] = ()
    format: int = 1
    tags: tuple[str, ...] = ()
    _views: dict = attrs.field(factory=dict, repr=False)
    #: Derived tables the engine builds once: shared with the player views'
    #: scenarios, so a table that depends on what a view hides has the view's
    #: scenario in its key.
    _memo: dict = attrs.field(factory=dict, repr=False)

    # lookups -------------------------------------------------------------
    def envoy_index(self, envoy_id: str) -> int:
        return self.tables.envoys.index(envoy_id)

    def party_index(self, party_id: str) -> int:
        return self.tables.parties.index(party_id)

    def move_index(self, move_id: str) -> int:
        for index, move in enumerate(self.moves):
            if move.id == move_id:
                return index
        return -1

    def relation_index(self, a: int, b: int) -> int:
        return self.tables.relation_of[a][b]

    def accord_odds(self, world: Any, accord: int) -> float:
        """The chance a proposal of this accord succeeds in this world."""
        spec = self.accords[accord]
        if world.signed[accord] or not spec.requires(world, ()):
            return 0.0
        if draft_refused(world, accord):
            return 0.0  # the parties refused this text: no chance until it is amended
        if spec.issues:
            # Format 2: the unseated signing parties' expected acceptance of the
            # draft (bargain.draft_odds); the seated ones' envoys accept by
            # co-sponsoring it.
            return clamp01(_DRAFT_ODDS[0](self, world, accord))
        return clamp01(spec.chance(world, ()))

    def memo(self, key: Any, build: Callable[[], Any]) -> Any:
        """A value derived once from the scenario, such as every candidate action."""
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = build()
            return value

    def view_cache(self, key: Any, build: Callable[[], Scenario]) -> Scenario:
        if key not in self._views:
            self._views[key] = build()
        return self._views[key]


#: The odds of a format-2 draft, (scenario, world, accord) -> 0..1: the bargaining
#: module's, which reads this one's types and so is registered here when imported.
_DRAFT_ODDS: list[Callable[[Scenario, Any, int], float]] = []


def register_draft_odds(odds: Callable[[Scenario, Any, int], float]) -> None:
    _DRAFT_ODDS[:] = [odds]


def clamp01(value: float) -> float:
    return 0.0 if value < 0 else 1.0 if value > 1 else float(value)
