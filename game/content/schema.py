"""The scenario file format, versions 1 and 2, as frozen attrs classes.

Format 2 adds what bargaining needs: an accord's issues and starting draft, each
party's interests in them, each envoy's own values and BATNA, and tags. A format-1
file keeps loading as it always has; format-2 keys in it are refused with a hint.

A scenario file is structured into :class:`ScenarioDef` by a strict cattrs
converter: unknown keys are refused (a typo is an error, not a silently ignored
line), and numbers, strings and booleans are never coerced into each other.
Each field's ``metadata["doc"]`` is the text that MODDING.md and the JSON Schema
show for it.

The numbers a designer tunes all live in YAML: the standard library's ``rules``
block gives every default, and a scenario overrides what it needs.
"""

from __future__ import annotations

import re
import typing
from typing import Any, Literal, NewType

import attrs
import cattrs
from cattrs.errors import IterableValidationError, IterableValidationNote
from cattrs.gen import make_dict_structure_fn, override

from game.engine.expr import did_you_mean
from game.engine.meters import SCALE
from game.lang import display_language

FORMAT_VERSION = 2
#: Every format this game reads; a file declares its own.
FORMATS = (1, 2)
VALUE_MIN, VALUE_MAX = -10, 10  # how much a party likes an option
WEIGHT_MAX = 10
METER_MIN, METER_MAX = SCALE  # the meters module writes the range once

Id = NewType("Id", str)
Meter = NewType("Meter", int)
Count = NewType("Count", int)
Weight = NewType("Weight", float)
Fraction = NewType("Fraction", float)
Color = NewType("Color", str)
Expression = NewType("Expression", str)
Statement = NewType("Statement", str)  # an effect: text only (a condition may be true)
Chance = NewType("Chance", object)
Number = NewType("Number", float)
Integer = NewType("Integer", int)
#: A value for an option: one number, or [low, high] when a seed draws it (a hidden type).
Value = NewType("Value", tuple)

ID_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")
LANG_PATTERN = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")
COLOR_PATTERN = re.compile(r"#[0-9a-fA-F]{6}")
RESERVED_IDS = frozenset({"all", "self", "target", "a", "b", "true", "false", "and", "or", "not"})
RESERVED_MOVE_IDS = frozenset({"end", "decide", "withdraw", "facilitator"})


def doc(
    text: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    min_items: int | None = None,
    max_items: int | None = None,
    **kwargs: Any,
) -> Any:
    """A field with its documentation and the bounds that both the converter and the
    JSON Schema enforce (``minimum``/``maximum`` on a number, ``min_items``/``max_items`` on
    a list, which the loader checks with a message of its own)."""
    metadata: dict[str, Any] = {"doc": text}
    bounds = (
        ("minimum", minimum),
        ("maximum", maximum),
        ("min_items", min_items),
        ("max_items", max_items),
    )
    for name, bound in bounds:
        if bound is not None:
            metadata[name] = bound
    return attrs.field(metadata=metadata, **kwargs)


@attrs.frozen
class Text:
    """Player-facing text: one string, or a mapping from language code to string."""

    values: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, english: str) -> Text:
        return cls((("en", english),))

    def get(self, lang: str = "en") -> str:
        """The text in ``lang``, else in English (every Text has English)."""
        for code, text in self.values:
            if code == lang:
                return text
        return self.get("en") if lang != "en" else (self.values[0][1] if self.values else "")

    def languages(self) -> tuple[str, ...]:
        return tuple(lang for lang, _ in self.values)

    def __str__(self) -> str:
        return self.get(display_language())


# ------------------------------------------------------------------ the format


@attrs.frozen
class FactDef:
    id: Id = doc("The fact's id, unique within its party.")
    text: Text = doc("What the fact says once it is revealed.")


@attrs.frozen
class BehaviourDef:
    id: Id = doc("The behaviour's id, unique within its party.")
    text: Text = doc("What players read when the party acts this way.")
    weight: Weight = doc("How likely this reaction is against the party's other reactions.")
    when: Expression = doc("A condition; `self` is the party.", default="true")
    effects: tuple[Statement, ...] = doc("Effect statements; `self` is the party.", default=())


@attrs.frozen
class IssueValuesDef:
    issue: Id = doc("The issue of the accord.")
    weight: Weight = doc(
        "How much the issue matters, 0..10, against the same side's other issues.",
        maximum=WEIGHT_MAX,
    )
    values: dict[Id, Value] = doc(
        "Each option's value, -10..+10: a number, or [low, high] drawn per game."
    )


@attrs.frozen
class InterestDef:
    accord: Id = doc("The accord, which this party signs.")
    reservation: Expression = doc(
        "The least a deal must be worth to the party (same scale as values); "
        "`self` is the party. Resolve, tension, posture and trust move it."
    )
    issues: tuple[IssueValuesDef, ...] = doc("A weight and option values for every issue.")
    offset: Value = doc(
        "Added to the reservation: a number, or [low, high] drawn per game.", default=(0.0, 0.0)
    )


@attrs.frozen
class AgendaValuesDef:
    accord: Id = doc("The accord.")
    issues: tuple[IssueValuesDef, ...] = doc("A weight and option values for every issue.")


@attrs.frozen
class PartyDef:
    id: Id = doc("The party's id, used in expressions.")
    name: Text = doc("The party's name.")
    color: Color = doc("The party's colour on the board, as #rrggbb.")
    map: tuple[Fraction, Fraction] = doc("Position on the board map: [x, y], each 0..1.")
    posture: Meter = doc("0 dove .. 100 hawk.")
    resolve: Meter = doc("Resolve to hold out; sanctions wear it down.", default=50)
    text: Text | None = doc("A short description for the briefing.", default=None)
    facts: tuple[FactDef, ...] = doc("Hidden facts that some moves reveal.", default=())
    behaviours: tuple[BehaviourDef, ...] = doc(
        "Weighted reactions at the World step; at most one fires per turn.", default=()
    )
    idle_weight: Weight | None = doc(
        "Weight of doing nothing at the World step (default: rules.behaviour_idle_weight).",
        default=None,
    )
    interests: tuple[InterestDef, ...] = doc(
        "Format 2: what the party wants from each accord it signs.", default=()
    )


@attrs.frozen
class RelationDef:
    between: tuple[Id, Id] = doc("The two parties, in either order.")
    tension: Meter = doc("Starting tension, 0..100.")
    trust: Meter = doc("Starting trust, 0..100.")
    pressure: Integer = doc("How much tension drifts up each turn when nothing is done.")


@attrs.frozen
class ObjectiveDef:
    id: Id = doc("The objective's id.")
    text: Text = doc("What the envoy wants, as shown on its private agenda.")
    when: Expression = doc("Scored if this holds at the end; `self` is the envoy.")
    points: Integer = doc("Points scored when the objective is met.")


@attrs.frozen
class EnvoyDef:
    id: Id = doc("The envoy's id (a seat).")
    name: Text = doc("The envoy's title, for example 'UN Special Envoy'.")
    capital: Count = doc("Political capital gained each turn.")
    party: Id | None = doc("The party this envoy speaks for, if any.", default=None)
    required: bool = doc("Whether every game must seat this envoy.", default=False)
    text: Text | None = doc("The envoy's role, for the briefing.", default=None)
    standing: dict[Id, Meter] = doc(
        "Starting standing with parties (others: rules.standing_default).", factory=dict
    )
    agenda: tuple[ObjectiveDef, ...] = doc("Private objectives scored at the end.", default=())
    interests: tuple[AgendaValuesDef, ...] = doc(
        "Format 2: the values of an envoy who speaks for no party (one who does has its "
        "party's); exact numbers, since an envoy knows its own mind.",
        default=(),
    )
    batna: Number | None = doc(
        "Format 2: what a stalemate is worth to this envoy, on the scale of its values.",
        minimum=VALUE_MIN,
        maximum=VALUE_MAX,
        default=None,
    )


@attrs.frozen
class IssueOptionDef:
    id: Id = doc("The option's id, unique within its issue.")
    text: Text = doc("The option as the draft shows it, for example '2 km'.")
    verifies: Fraction = doc(
        "How surely this option, once signed, would catch a party breaking the deal, "
        "0..1 (monitors on the ground): a party weighs it before it breaks the deal.",
        default=0,
    )


@attrs.frozen
class IssueDef:
    id: Id = doc("The issue's id, unique within its accord.")
    name: Text = doc("The issue's name, for example 'Pull-back'.")
    options: tuple[IssueOptionDef, ...] = doc("Two or three options.", min_items=2, max_items=3)


@attrs.frozen
class AccordDef:
    id: Id = doc("The accord's id.")
    name: Text = doc("The accord's name.")
    text: Text = doc("What the accord does, for players.")
    requires: Expression = doc("Conditions that must hold for a proposal to have a chance.")
    chance: Chance = doc("The chance a proposal succeeds once `requires` holds.", default=1)
    effects: tuple[Statement, ...] = doc("Effects applied once, when it is signed.", default=())
    signatories: tuple[Id, ...] = doc(
        "Format 2: the parties that sign it; their interests decide the draft.", default=()
    )
    issues: tuple[IssueDef, ...] = doc(
        "Format 2: two or three issues; without them the accord is one package.",
        max_items=3,
        default=(),
    )
    draft: dict[Id, Id] = doc("Format 2: the starting draft, an option per issue.", factory=dict)


@attrs.frozen
class DelayedDef:
    effects: tuple[Statement, ...] = doc("Effect statements, in the move's context.")
    after: Count | None = doc(
        "Apply once, this many turns later (written `in`).", minimum=1, default=None
    )
    each_turn_for: Count | None = doc(
        "Apply at each World step for this many turns.", minimum=1, default=None
    )
    text: Text | None = doc("What players read when it applies.", default=None)


@attrs.frozen
class JointDef:
    min_envoys: Count = doc(
        "How many envoys must choose this move with the same target.", minimum=2
    )


@attrs.frozen
class MoveDef:
    id: Id = doc("The move's id; a scenario move with a library move's id replaces it.")
    family: Id = doc("The move's family, such as communication or sanctions.")
    name: Text = doc("The move's name on its card.")
    text: Text = doc("What the move does, on its card.")
    cost: Count = doc("Political capital it costs.")
    target: Literal["party", "relation", "accord", "none"] = doc(
        "What the move is aimed at; in expressions, `target` (party or accord) or `a`, `b`."
    )
    requires: Expression = doc("A condition for the move to be legal.", default="true")
    chance: Chance = doc("The chance of success, a number or an expression, 0..1.", default=1)
    success: tuple[Statement, ...] = doc("Effects when the roll succeeds.", default=())
    failure: tuple[Statement, ...] = doc("Effects when the roll fails.", default=())
    delayed: tuple[DelayedDef, ...] = doc("Effects later, when the move succeeded.", default=())
    visibility: Literal["public", "secret"] = doc(
        "Whether other envoys learn of the move when it resolves.", default="public"
    )
    cooldown: Count = doc("Turns before the same envoy may choose it again.", default=0)
    joint: JointDef | None = doc("Makes it a multilateral move.", default=None)
    override: bool = doc("Set true when a scenario replaces a library move.", default=False)


@attrs.frozen
class OptionDef:
    id: Id = doc("The option's id.")
    text: Text = doc("The option as the deciding envoy reads it.")
    when: Expression = doc("The option is offered only if this holds.", default="true")
    effects: tuple[Statement, ...] = doc("Effects; `self` is the deciding envoy.", default=())


@attrs.frozen
class DecisionDef:
    envoy: Id = doc("The envoy who decides; skipped (first offered option) if not seated.")
    prompt: Text = doc("The question put to the envoy.")
    options: tuple[OptionDef, ...] = doc("Two or more options.", min_items=2)


@attrs.frozen
class PoolDef:
    weight: Weight = doc("Weight in the turn's draw.")
    when: Expression = doc("The event is in the pool only while this holds.", default="true")


@attrs.frozen
class EventDef:
    id: Id = doc("The event's id.")
    title: Text = doc("The headline.")
    text: Text = doc("The news story.")
    at_turn: Count | None = doc("Fires at the start of this turn.", default=None)
    when: Expression | None = doc("Fires at the start of a turn when this holds.", default=None)
    pool: PoolDef | None = doc("Drawn by weight, at most one pool event a turn.", default=None)
    once: bool | None = doc(
        "Fires at most once (default: true, except for pool events).", default=None
    )
    cooldown: Count = doc("Turns before it may fire again.", default=0)
    effects: tuple[Statement, ...] = doc("Effects when it fires.", default=())
    decision: DecisionDef | None = doc("A choice put to one envoy.", default=None)
    rare: bool = doc("Rare on purpose: the balance report does not flag it.", default=False)


@attrs.frozen
class FamilyDef:
    id: Id = doc("The family's id.")
    name: Text = doc("The family's name.")
    text: Text = doc("What the family teaches.")
    color: Color = doc("The family's colour on move cards.")


@attrs.frozen
class ScoringDef:
    shared: dict[Id, Integer] = doc("Shared points per outcome: peace, stalemate, conflict.")
    multiplier: dict[Id, Number] = doc("Score multiplier per outcome.")
    standing_weight: Number = doc("Points per point of mean final standing.")


@attrs.frozen
class AcceptanceDef:
    """The published chance that an unseated party accepts a draft: floor + (ceiling -
    floor) / (1 + e^-((margin - midpoint + trust_discount * trust / 100) / spread)), where
    margin is the draft's value to the party minus its reservation, and trust is its
    lowest trust in a fellow signatory."""

    midpoint: Number = doc("The margin at which a party of trust 0 accepts half the time.")
    trust_discount: Number = doc(
        "How much less margin a party demands at trust 100 than at trust 0.", minimum=0
    )
    spread: Number = doc("Margin points over which the chance climbs (larger: gentler).")
    floor: Fraction = doc("The chance however bad the draft.")
    ceiling: Fraction = doc("The chance however good the draft.")


@attrs.frozen
class DealScoringDef:
    """How a format-2 crisis scores (NEGOTIATION.md §3): each envoy's own value of each
    package signed, a small peace bonus, its BATNA in a stalemate, a loss in conflict.
    Its objectives and standing count as in format 1; nothing is multiplied."""

    deal_weight: Number = doc(
        "Points per point of an envoy's value (-10..+10) of each signed package.", minimum=0
    )
    peace_bonus: Number = doc(
        "The points of peace: small, so a bad deal can score less than no deal."
    )
    conflict: Number = doc("The points of conflict, for everyone (a heavy loss).")


@attrs.frozen
class ComplianceDef:
    """How signed deals are kept (NEGOTIATION.md §5). Each turn after an accord with
    issues is signed, a signing party whose deal has fallen short of its reservation
    (the deal is worth less to it than no deal) breaks it with the chance ceiling *
    (1 - watched) / (1 + e^-((shortfall - midpoint) / spread)); watched is how surely
    the signed options' monitors would catch it. A deal worth at least no deal to every
    party is always kept."""

    midpoint: Number = doc(
        "The shortfall at which an unwatched party breaks the deal half the time."
    )
    spread: Number = doc("Shortfall points over which the chance climbs (larger: gentler).")
    ceiling: Fraction = doc("The chance however far the deal falls short, unwatched.")
    tension: Count = doc(
        "Tension the breach adds between the breaking party and each fellow signatory."
    )
    trust: Count = doc(
        "Trust the breach costs between the breaking party and each fellow signatory."
    )
    standing: Count = doc("Standing the breaking party's envoys lose with each fellow signatory.")


@attrs.frozen
class BargainingDef:
    """The numbers of format 2's bargaining. All optional in a scenario."""

    acceptance: AcceptanceDef | None = doc("How unseated parties accept drafts.", default=None)
    log_rolling_min: Fraction | None = doc(
        "The share of its range each signing party must gain at the balanced (Nash) "
        "package over splitting the difference; `envoy validate` warns below it.",
        default=None,
    )
    concession: dict[Id, Number] | None = doc(
        "Concession exponent per AI difficulty: below 1 concedes late (Boulware), "
        "1 steadily, above 1 early (Conceder).",
        default=None,
    )
    scoring: DealScoringDef | None = doc(
        "How a format-2 crisis scores, in place of `rules.scoring`'s shared points and "
        "multipliers; without it, it scores as format 1.",
        default=None,
    )
    compliance: ComplianceDef | None = doc(
        "How signed deals are kept or broken; without it, a signed deal always holds.",
        default=None,
    )


@attrs.frozen
class RepetitionDef:
    """Repeated moves lose their force (the PeaceMaker flaw: cycle the same moves and
    win). Each time in the last ``window`` turns that an envoy made the same move on
    the same targets, its odds now are multiplied by ``factor``: the parties tire of
    the same gesture, and a move that fails has its failure effects (its backlash)."""

    window: Count = doc("How many past turns a move is remembered for.", minimum=1)
    factor: Fraction = doc("What each remembered use multiplies the move's odds by.")


@attrs.frozen
class RulesDef:
    """Every tunable number of the turn sequence. All optional in a scenario."""

    capital_carry_max: Count | None = doc("Unspent capital kept into the next turn.", default=None)
    capital_min: Integer | None = doc(
        "Lowest capital (debt) an envoy can fall to.", maximum=0, default=None
    )
    capital_max: Count | None = doc("Highest capital an envoy can hold.", minimum=1, default=None)
    standing_default: Meter | None = doc("Standing where an envoy lists none.", default=None)
    pressure_min: Integer | None = doc("Lowest pressure of a relation.", default=None)
    pressure_max: Integer | None = doc("Highest pressure of a relation.", default=None)
    hotline_max: Count | None = doc("Longest a hotline can stay open, in turns.", default=None)
    hotline_drift_factor: Number | None = doc("Drift multiplier on a hotline.", default=None)
    accord_drift_factor: Number | None = doc("Drift multiplier per signed accord.", default=None)
    pool_nothing_weight: Weight | None = doc("Weight of 'no news' in the pool.", default=None)
    behaviour_idle_weight: Weight | None = doc("Default weight of a party idling.", default=None)
    counter_min: Integer | None = doc("Lowest value of a counter.", default=None)
    counter_max: Integer | None = doc("Highest value of a counter.", default=None)
    resolution_order: tuple[Id, ...] | None = doc("The order families resolve in.", default=None)
    scoring: ScoringDef | None = doc("How seats score.", default=None)
    bargaining: BargainingDef | None = doc("Format 2: how drafts are bargained.", default=None)
    repetition: RepetitionDef | None = doc(
        "How repeated moves lose their force (none: a move is as good every time).",
        default=None,
    )


@attrs.frozen
class PlayersDef:
    min: Count = doc("Fewest envoys.", minimum=1)
    max: Count = doc("Most envoys.", minimum=1)


@attrs.frozen
class TeacherDef:
    learning_goals: tuple[Text, ...] = doc("What the class should take away.")
    duration_minutes: Count = doc("How long a game takes, in minutes.")
    players: PlayersDef = doc("How many envoys can play.")
    age: str = doc("Age guidance, for example '13+'.")
    debrief_questions: tuple[Text, ...] = doc("Questions for the discussion afterwards.")
    notes: Text = doc("Teacher-only notes.")
    sensitive_topics: tuple[Text, ...] = doc("Topics to handle with care.", default=())
    reflection: tuple[Text, ...] = doc(
        "Short questions a team answers in writing at the end of its turn in class play, "
        "one a turn in order (then again from the first); the answers are in the debrief.",
        default=(),
    )


@attrs.frozen
class ScenarioDef:
    format: Count = doc("The format version: 1, or 2 for issues, drafts and interests.")
    id: Id = doc("The scenario's id.")
    title: Text = doc("The scenario's title.")
    summary: Text = doc("One or two sentences for the scenario browser.")
    briefing: Text = doc("The situation, read before the first turn.")
    difficulty: Literal["introductory", "standard", "hard"] = doc("How hard it is to win.")
    teacher: TeacherDef = doc("Metadata for teachers.")
    turns: Count = doc("How many turns the crisis lasts.", minimum=1)
    parties: tuple[PartyDef, ...] = doc("The states, blocs or factions in the crisis.", min_items=2)
    relations: tuple[RelationDef, ...] = doc("Pairs of parties and their meters.", min_items=1)
    envoys: tuple[EnvoyDef, ...] = doc("The seats, in turn order.", min_items=1)
    peace: Expression = doc("The peace condition, usually 'these accords are signed'.")
    inspired_by: Text | None = doc("What history inspired the scenario, if anything.", default=None)
    conflict_at: Meter = doc("Tension at which conflict breaks out.", default=100)
    includes: tuple[Id, ...] = doc("Move libraries to include.", default=("standard",))
    rules: RulesDef = doc("Overrides of the library's rules.", factory=RulesDef)
    accords: tuple[AccordDef, ...] = doc("Agreements the parties can sign.", default=())
    moves: tuple[MoveDef, ...] = doc("Moves added to or replacing the library's.", default=())
    disable_moves: tuple[Id, ...] = doc("Library moves this scenario leaves out.", default=())
    events: tuple[EventDef, ...] = doc("News: scheduled, triggered and pool events.", default=())
    counters: dict[Id, Integer] = doc("Numbers the scenario keeps, with their start.", factory=dict)
    tags: tuple[Id, ...] = doc(
        "Format 2: what kind of crisis it is, such as 'dilemma' (a public good).", default=()
    )


@attrs.frozen
class LibraryDef:
    format: Count = doc("The format version, 1 or 2.")
    library: Id = doc("The library's id, as scenarios include it.")
    families: tuple[FamilyDef, ...] = doc("Move families.", default=())
    rules: RulesDef = doc("Default rules.", factory=RulesDef)
    moves: tuple[MoveDef, ...] = doc("Moves.", default=())


# --------------------------------------------------------------- the converter


class FieldError(ValueError):
    """A value problem, with an optional hint for the modder."""

    def __init__(self, message: str, hint: str = "", key: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.key = key


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({value!r})" if len(value) < 30 else "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _strict_str(value: Any, _: Any) -> str:
    if not isinstance(value, str):
        raise FieldError(f"expected text, got {_describe(value)}", "put it in quotes")
    return value


def _strict_int(value: Any, _: Any = None) -> int:
    # 9.0 is the whole number 9, as JSON Schema (and so the editor) reads it.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(f"expected a whole number, got {_describe(value)}")
    return value


def _strict_float(value: Any, _: Any = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldError(f"expected a number, got {_describe(value)}")
    return value


def _strict_bool(value: Any, _: Any) -> bool:
    if not isinstance(value, bool):
        raise FieldError(f"expected true or false, got {_describe(value)}")
    return value


def _id(value: Any, _: Any) -> str:
    if not isinstance(value, str):
        hint = ""
        if isinstance(value, bool):
            hint = "quote it, or choose another id"
        raise FieldError(f"expected an id, got {_describe(value)}", hint)
    if not ID_PATTERN.fullmatch(value):
        suggestion = re.sub(r"[^a-z0-9_]", "_", value.lower()).strip("_") or "my_id"
        if not suggestion[0].isalpha():
            suggestion = "x_" + suggestion
        raise FieldError(
            f"'{value}' is not a valid id",
            f"ids are lower-case letters, digits and _, starting with a letter: "
            f"'{suggestion[:40]}'",
        )
    if value in RESERVED_IDS:
        raise FieldError(f"'{value}' is a reserved word", "choose another id")
    return value


def _meter(value: Any, _: Any) -> int:
    number = _strict_int(value)
    if not METER_MIN <= number <= METER_MAX:
        raise FieldError(f"{number} is out of range", f"meters go from {METER_MIN} to {METER_MAX}")
    return number


def _count(value: Any, _: Any) -> int:
    number = _strict_int(value)
    if number < 0:
        raise FieldError(f"{number} is negative", "use 0 or more")
    return number


def _weight(value: Any, _: Any) -> float:
    number = _strict_float(value)
    if number < 0:
        raise FieldError(f"{number} is negative", "weights are 0 or more")
    return number


def _fraction(value: Any, _: Any) -> float:
    number = _strict_float(value)
    if not 0 <= number <= 1:
        raise FieldError(f"{number} is out of range", "use a number from 0 to 1")
    return number


def _color(value: Any, _: Any) -> str:
    text = _strict_str(value, None)
    if not COLOR_PATTERN.fullmatch(text):
        raise FieldError(f"'{text}' is not a colour", "write it as #rrggbb, for example '#3366cc'")
    return text


def _expression(value: Any, _: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str):
        raise FieldError(f"expected an expression, got {_describe(value)}", "write it in quotes")
    return value


def _statement(value: Any, _: Any) -> str:
    if not isinstance(value, str):
        raise FieldError(
            f"expected an effect, got {_describe(value)}",
            "write it in quotes, for example: 'tension(a, b) -= 5'",
        )
    return value


def _chance(value: Any, _: Any) -> object:
    if isinstance(value, bool):
        raise FieldError("expected a chance, got a boolean", "write a number from 0 to 1")
    if isinstance(value, int | float):
        return _fraction(value, None)
    if isinstance(value, str):
        return value
    raise FieldError(f"expected a chance, got {_describe(value)}", "a number 0..1 or a formula")


def _value_number(value: Any) -> float:
    number = _strict_float(value)
    if not VALUE_MIN <= number <= VALUE_MAX:
        raise FieldError(
            f"{number:g} is out of range", f"values go from {VALUE_MIN} to +{VALUE_MAX}"
        )
    return float(number)


def _value(value: Any, _: Any) -> tuple[float, float]:
    if isinstance(value, list):
        if len(value) != 2:
            raise FieldError(
                f"expected [low, high], got a list of {len(value)}", "for example [-4, 2]"
            )
        low, high = (_value_number(v) for v in value)
        if low > high:
            raise FieldError(f"the range [{low:g}, {high:g}] runs backwards", "write [low, high]")
        return low, high
    number = _value_number(value)
    return number, number


def _text(value: Any, _: Any) -> Text:
    if isinstance(value, str):
        return Text.of(value)
    if isinstance(value, dict):
        if not value:
            raise FieldError("expected text, got an empty mapping")
        pairs = []
        for lang, text in value.items():
            if not LANG_PATTERN.fullmatch(lang):
                raise FieldError(f"'{lang}' is not a language code", "for example: en, km, fr")
            if not isinstance(text, str):
                raise FieldError(f"the '{lang}' text is {_describe(text)}", "put it in quotes")
            pairs.append((lang, text))
        if "en" not in value:
            raise FieldError("translations need an English text", "add an 'en:' entry")
        return Text(tuple(pairs))
    raise FieldError(f"expected text, got {_describe(value)}", "put it in quotes")


class KeyedErrors(ValueError):
    """Problems in a mapping's entries, by key."""

    def __init__(self, errors: list[tuple[str, FieldError]]):
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


def _id_mapping(value_hook, forgiving: bool = False):
    def structure(value: Any, _: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            if forgiving:
                return {}
            raise FieldError(f"expected a mapping, got {_describe(value)}")
        result, errors = {}, []
        for key, item in value.items():
            try:
                _id(key, None)
            except FieldError as error:
                error.key = "key"  # the problem is the key itself, not its value
                errors.append((key, error))
                continue
            try:
                result[key] = value_hook(item, None)
            except FieldError as error:
                errors.append((key, error))
        if errors and not forgiving:
            raise KeyedErrors(errors)
        return result

    return structure


def _sequence(value: Any, _: Any) -> list:
    if not isinstance(value, list):
        raise FieldError(
            f"expected a list, got {_describe(value)}", "write it as - items or [a, b]"
        )
    return value


def _clamp(value: Any, low: float, high: float) -> Any:
    return min(max(value, low), high)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _forgiven_text(value: Any) -> Text:
    if isinstance(value, dict):
        pairs = tuple((k, v) for k, v in value.items() if isinstance(v, str))
        if pairs:
            return Text(pairs if "en" in value else (("en", pairs[0][1]), *pairs))
    return Text.of(value if isinstance(value, str) else "")


# What the forgiving converter keeps in place of a value that is not valid: the
# value itself where a checker can still use it (an id that breaks the pattern
# still names its party), else something neutral.
_FALLBACKS: dict[Any, Any] = {
    str: lambda v: v if isinstance(v, str) else "",
    int: lambda v: v if _is_number(v) else 0,
    float: lambda v: v if _is_number(v) else 0.0,
    bool: lambda v: v if isinstance(v, bool) else False,
    Id: lambda v: v if isinstance(v, str) else "",
    Meter: lambda v: _clamp(int(v), METER_MIN, METER_MAX) if _is_number(v) else METER_MIN,
    Count: lambda v: max(int(v), 0) if _is_number(v) else 0,
    Weight: lambda v: max(v, 0) if _is_number(v) else 0.0,
    Fraction: lambda v: _clamp(v, 0, 1) if _is_number(v) else 0.0,
    Color: lambda v: "#000000",
    Expression: lambda v: v if isinstance(v, str) else "true",
    Statement: lambda v: v if isinstance(v, str) else "",
    Chance: lambda v: v if isinstance(v, str) else _clamp(v, 0, 1) if _is_number(v) else 1.0,
    Number: lambda v: v if _is_number(v) else 0.0,
    Integer: lambda v: int(v) if _is_number(v) else 0,
    Text: _forgiven_text,
    Value: lambda v: (float(v), float(v)) if _is_number(v) else (0.0, 0.0),
}

# A required key that the file lacks, as the forgiving converter sees it: every
# hook refuses it, so the field gets its fallback.
_ABSENT = object()


def _forgiving(hook, fallback):
    def structure(value: Any, type_: Any) -> Any:
        try:
            return hook(value, type_)
        except FieldError:
            return fallback(value)

    return structure


def _bounded(hook, field: attrs.Attribute, forgiving: bool):
    """A field hook that also enforces the field's ``minimum`` and ``maximum``."""
    low, high = field.metadata.get("minimum"), field.metadata.get("maximum")

    def structure(value: Any, type_: Any) -> Any:
        number = hook(value, type_)
        if number is None:
            return None
        if low is not None and number < low:
            if forgiving:
                return low
            raise FieldError(f"{number} is too small", f"use {low} or more")
        if high is not None and number > high:
            if forgiving:
                return high
            raise FieldError(f"{number} is too large", f"use {high} or less")
        return number

    return structure


def make_converter(forgiving: bool = False) -> cattrs.Converter:
    """The converter from parsed YAML to the format's classes.

    The strict one (the default) refuses anything not exactly right. The forgiving
    one never raises on a value: it drops unknown keys and keeps a fallback where a
    value is wrong or missing, so the loader can still check the references and
    expressions of a file whose structure has errors (reported by the strict one).
    """
    converter = cattrs.Converter(forbid_extra_keys=not forgiving, detailed_validation=True)
    simple = {
        str: _strict_str,
        int: _strict_int,
        float: _strict_float,
        bool: _strict_bool,
        Id: _id,
        Meter: _meter,
        Count: _count,
        Weight: _weight,
        Fraction: _fraction,
        Color: _color,
        Expression: _expression,
        Statement: _statement,
        Chance: _chance,
        Number: _strict_float,
        Integer: _strict_int,
        Text: _text,
        Value: _value,
    }
    if forgiving:
        simple = {t: _forgiving(hook, _FALLBACKS[t]) for t, hook in simple.items()}
    mappings = {
        dict[Id, Meter]: (simple[Meter], Meter),
        dict[Id, Integer]: (simple[Integer], Integer),
        dict[Id, Number]: (simple[Number], Number),
        dict[Id, Value]: (simple[Value], Value),
        dict[Id, Id]: (simple[Id], Id),
    }
    for type_, (hook, value_type) in mappings.items():
        simple[type_] = _id_mapping(lambda v, _=None, h=hook, t=value_type: h(v, t), forgiving)
    for type_, hook in simple.items():
        if isinstance(type_, type):
            # A class needs the direct registration: cattrs dispatches str, int,
            # float and bool to its own coercing hooks before any predicate.
            converter.register_structure_hook(type_, hook)
        else:
            converter.register_structure_hook_func(lambda t, type_=type_: t == type_, hook)

    def items_of(value: Any) -> list:
        if forgiving:
            return value if isinstance(value, list) else []
        return _sequence(value, None)

    def is_tuple(type_: Any) -> bool:
        return getattr(type_, "__origin__", None) is tuple

    def tuple_hook_factory(type_: Any):
        args = type_.__args__
        if len(args) == 2 and args[1] is Ellipsis:
            item = converter.get_structure_hook(args[0])

            def structure_homogeneous(value: Any, _: Any) -> tuple:
                items = items_of(value)
                return tuple(_structure_items(items, [item] * len(items), [args[0]] * len(items)))

            return structure_homogeneous

        hooks = [converter.get_structure_hook(arg) for arg in args]

        def structure_fixed(value: Any, _: Any) -> tuple:
            items = items_of(value)
            if forgiving:
                items = [*items[: len(args)], *[_ABSENT] * (len(args) - len(items))]
            elif len(items) != len(args):
                raise FieldError(f"expected a list of {len(args)}, got {len(items)} items")
            return tuple(_structure_items(items, hooks, args))

        return structure_fixed

    converter.register_structure_hook_factory(is_tuple, tuple_hook_factory)

    def literal_hook_factory(type_: Any):
        allowed = tuple(type_.__args__)
        listed = ", ".join(allowed)

        def structure_literal(value: Any, _: Any) -> str:
            if not isinstance(value, str):
                raise FieldError(f"expected one of {listed}, got {_describe(value)}")
            if value not in allowed:
                hint = did_you_mean(value, allowed) or f"expected one of: {listed}"
                raise FieldError(f"'{value}' is not allowed here", hint)
            return value

        if forgiving:
            return _forgiving(structure_literal, lambda v: allowed[0])
        return structure_literal

    converter.register_structure_hook_factory(
        lambda t: getattr(t, "__origin__", None) is Literal, literal_hook_factory
    )

    def class_hook_factory(cls: type):
        hints = typing.get_type_hints(cls)
        overrides = {}
        for field in attrs.fields(cls):
            options: dict[str, Any] = {}
            if (cls, field.name) in YAML_NAMES:
                options["rename"] = YAML_NAMES[cls, field.name]
            if "minimum" in field.metadata or "maximum" in field.metadata:
                hook = converter.get_structure_hook(hints[field.name])
                options["struct_hook"] = _bounded(hook, field, forgiving)
            if options:
                overrides[field.name] = override(**options)
        inner = make_dict_structure_fn(
            cls, converter, _cattrs_forbid_extra_keys=not forgiving, **overrides
        )
        required = [
            YAML_NAMES.get((cls, f.name), f.name)
            for f in attrs.fields(cls)
            if f.default is attrs.NOTHING
        ]

        def structure_class(value: Any, _: Any):
            if not isinstance(value, dict):
                if not forgiving:
                    raise FieldError(
                        f"expected a mapping, got {_describe(value)}", "write key: value"
                    )
                value = {}
            if forgiving:
                value = {**dict.fromkeys(required, _ABSENT), **value}
            return inner(value, cls)

        return structure_class

    converter.register_structure_hook_factory(
        lambda t: attrs.has(t) and t is not Text, class_hook_factory
    )
    return converter


def _structure_items(items: list, hooks: list, types: tuple | list) -> list:
    """Structure list items, reporting each failing index the way cattrs does."""
    result, errors = [], []
    for index, (item, hook, type_) in enumerate(zip(items, hooks, types, strict=True)):
        try:
            result.append(hook(item, type_))
        except Exception as error:
            note = IterableValidationNote(f"Structuring item @ index {index}", index, type_)
            error.__notes__ = [*getattr(error, "__notes__", []), note]
            errors.append(error)
    if errors:
        raise IterableValidationError("while structuring a list", errors, list)
    return result


#: The YAML key of each attrs field whose name differs from it.
YAML_NAMES = {(DelayedDef, "after"): "in"}

#: Fields of which exactly one must be given (and not null), by class.
EXACTLY_ONE = {
    EventDef: ("at_turn", "when", "pool"),
    DelayedDef: ("after", "each_turn_for"),
}

CONVERTER = make_converter()
FORGIVING = make_converter(forgiving=True)
