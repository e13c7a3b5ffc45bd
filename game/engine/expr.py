"""The safe condition and effect language that scenarios are written in (DESIGN §1.6).

Modders write short expressions::

    tension(north, south) >= 60 and trust(north, south) < 30
    tension(north, south) += 10
    reveal(north, red_line)

Each one is parsed and checked **once, at load**, by the small recursive-descent
parser below, and becomes a Python function ``fn(world, ctx)``, generated from the
checked expression and compiled the first time it runs. The parser accepts
only numbers, ``true``/``false``, comparisons, ``and``/``or``/``not``, ``+ - * /``,
parentheses, calls of the functions in :data:`FUNCTIONS`, and the ids that the
scenario declares. Nothing else: there is no attribute access, no indexing, and
scenario text never reaches ``eval``, ``exec`` or ``compile`` (see
:func:`_assemble` for how the function is built from the checked expression).

``world`` is anything with the game's meters as indexable sequences
(:class:`~game.engine.state.GameState` for reading, the resolver's scratch world
for writing). ``ctx`` is a tuple of indices bound to the names of a
:class:`Scope`, such as ``self`` (the acting envoy) or ``target``.

The function registry is the one place where a function is added (see
:func:`function`); MODDING.md's language reference is generated from it.
"""

from __future__ import annotations

import difflib
import functools
import re
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NoReturn

import attrs

from game.engine import meters

NUMBER = "number"
BOOL = "bool"
PARTY = "party"
SEAT = "seat"
ACCORD = "accord"
FACT = "fact"
COUNTER = "counter"

ID_KINDS = (PARTY, SEAT, ACCORD, FACT, COUNTER)
KIND_WORDS = {
    PARTY: "party",
    SEAT: "envoy",
    ACCORD: "accord",
    FACT: "hidden fact",
    COUNTER: "counter",
}

#: The one word that stands for "every party" (or "every envoy") in an effect's target.
ALL = "all"

Fn = Callable[[Any, tuple], Any]


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A "did you mean" hint, or an empty string when nothing is close."""
    options = sorted(set(candidates))
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if options and len(options) <= 8:
        return "expected one of: " + ", ".join(options)
    return ""


class ExprError(ValueError):
    """A problem in one expression, at a character offset inside its text."""

    def __init__(self, message: str, offset: int, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint

    @property
    def errors(self) -> tuple[ExprError, ...]:
        """Every problem this error stands for (itself, unless it is :class:`ExprErrors`)."""
        return (self,)


class ExprErrors(ExprError):
    """Every problem found in one expression; it reads as the first of them."""

    def __init__(self, errors: Sequence[ExprError]):
        first = errors[0]
        super().__init__(first.message, first.offset, first.hint)
        self._errors = tuple(errors)

    @property
    def errors(self) -> tuple[ExprError, ...]:
        return self._errors


@attrs.define
class Notes:
    """What compiling noticed besides errors, for a checker: warnings, and the ids named.

    ``ranges`` gives, by function name, the (low, high, why) of the values it can
    return in this scenario, so that a comparison its range settles, or an effect
    that sets a meter past its range, is flagged.
    """

    ranges: Mapping[str, tuple[float, float, str]] = attrs.field(factory=dict)
    warnings: list[ExprError] = attrs.field(factory=list)
    #: (kind, id) of every declared id an expression named.
    used: set[tuple[str, str]] = attrs.field(factory=set)
    #: what effects change or do: (function, the names of its arguments).
    changed: set[tuple[str, ...]] = attrs.field(factory=set)


# --------------------------------------------------------------------------- ids


@attrs.frozen
class IdTables:
    """The ids a scenario declares, and the lookup tables closures capture."""

    parties: tuple[str, ...]
    envoys: tuple[str, ...]
    accords: tuple[str, ...]
    counters: tuple[str, ...]
    #: (party index, fact id) pairs; a fact's index is its position here.
    facts: tuple[tuple[int, str], ...]
    #: relation index for each ordered pair of party indices, -1 where none.
    relation_of: tuple[tuple[int, ...], ...]
    #: relation indices touching each party.
    relations_of_party: tuple[tuple[int, ...], ...]
    #: how many parties and relations, for the wildcard.
    relation_count: int
    #: False when some declared relation could not be read: a pair without one
    #: may then be that relation, so it is not reported.
    relations_complete: bool = True

    def names(self, kind: str) -> tuple[str, ...]:
        if kind == PARTY:
            return self.parties
        if kind == SEAT:
            return self.envoys
        if kind == ACCORD:
            return self.accords
        if kind == COUNTER:
            return self.counters
        return tuple(dict.fromkeys(fact for _, fact in self.facts))

    def fact_index(self, party: int, fact: str) -> int:
        for i, (p, f) in enumerate(self.facts):
            if p == party and f == fact:
                return i
        return -1


@attrs.frozen
class Scope:
    """Names bound at run time, such as ``self`` or ``target``, with their kinds.

    ``allow_random`` says whether ``chance(p)`` may be used: only where the
    engine draws from the game's RNG on purpose (events and behaviours), never
    in a move's conditions, which the UI evaluates to show odds.
    """

    names: Mapping[str, str] = attrs.field(factory=dict)
    allow_random: bool = False

    def slot(self, name: str) -> int:
        return list(self.names).index(name)


# --------------------------------------------------------------------- registry

#: Writes the Python of one checked call from the :class:`Code` being generated and
#: the call's checked arguments: an expression for a reading, statements for an action.
Emit = Callable[["Code", Sequence["Node"]], "str | list[str]"]


@attrs.frozen
class Function:
    """One function of the language, and the code a call of it compiles to.

    ``meter`` functions name a value that effects may change with ``+=``, ``-=``
    or ``=``: there is one for each row of :data:`game.engine.meters.METERS`.
    ``action`` functions are effects on their own; the rest are read only.
    """

    name: str
    params: tuple[str, ...]
    returns: str
    doc: str
    emit: Emit = attrs.field(eq=False, repr=False)
    meter: bool = False
    action: bool = False
    variadic: bool = False
    random: bool = False
    example: str = ""


FUNCTIONS: dict[str, Function] = {}


def function(
    name: str,
    params: Sequence[str],
    returns: str,
    doc: str,
    *,
    example: str,
    meter: bool = False,
    action: bool = False,
    variadic: bool = False,
    random: bool = False,
) -> Callable[[Emit], Emit]:
    """Register the decorated emitter as the function ``name`` of the language.

    This is all it takes to add a function: the parser and the checker read its
    ``params`` and ``returns``, the compiler calls the emitter, and the modding
    reference prints its ``doc`` and ``example``. The emitter writes Python from
    the arguments' generated ``code`` (never from scenario text), and reads any
    table it needs through :meth:`Code.bind`. ``meter`` is for the rows of the
    meter table, which registers them below; a new meter is a row there.
    """

    def register(emit: Emit) -> Emit:
        if name in FUNCTIONS:  # a second emitter would silently replace the first
            raise ValueError(f"the function {name}() is registered twice")
        FUNCTIONS[name] = Function(
            name, tuple(params), returns, doc, emit, meter, action, variadic, random, example
        )
        return emit

    return register


class Code:
    """The Python being generated for one expression, and the names it may read.

    Besides ``w`` (the world) and ``c`` (the context tuple), generated code reads
    only what :meth:`bind` names: tables of indices computed from the scenario's ids.
    """

    def __init__(self, tables: IdTables, scope: Scope):
        self.tables = tables
        self.scope = scope
        self.names: dict[str, Any] = {}
        self._temps = 0

    def bind(self, value: Any, stem: str) -> str:
        """The name under which the generated code reads ``value``."""
        for name, bound in self.names.items():
            if bound is value:
                return name
        name = f"_{stem}{len(self.names)}"
        self.names[name] = value
        return name

    def temp(self) -> str:
        """A fresh local variable of the generated function."""
        self._temps += 1
        return f"_t{self._temps}"

    @property
    def envoy(self) -> str:
        """The acting envoy in this scope, or -1 (the public) where there is none."""
        if self.scope.names.get("self") != SEAT:
            return "-1"
        return f"c[{self.scope.slot('self')}]"

    def facts_by_party(self) -> str:
        t = self.tables
        by_party = tuple(
            tuple(i for i, (p, _) in enumerate(t.facts) if p == party)
            for party in range(len(t.parties))
        )
        return self.bind(by_party, "facts")

    def fact(self, party: Node, fact: Node) -> str:
        """The index of a party's fact, or -1 where a party named at run time has none."""
        if isinstance(party.const, int):
            return str(self.tables.fact_index(party.const, fact.const))
        index = {p: i for i, (p, f) in enumerate(self.tables.facts) if f == fact.const}
        return f"{self.bind(index, 'fact')}.get({party.code}, -1)"

    def standing_key(self, envoy: str, party: str) -> str:
        return f"{envoy} * {len(self.tables.parties)} + {party}"


# The meters, from the one meter table: a meter of each subject is named by these ids.
_SUBJECT_PARAMS: dict[str, tuple[str, ...]] = {
    "relation": (PARTY, PARTY),
    "standing": (SEAT, PARTY),
    "envoy": (SEAT,),
    "party": (PARTY,),
    "counter": (COUNTER,),
}


def _meter_reader(meter: meters.Meter) -> Emit:
    field = meter.field
    if meter.subject == "relation":

        def read(code: Code, args: Sequence[Node]) -> str:
            a, b = args
            if isinstance(a.const, int) and isinstance(b.const, int):
                return f"w.{field}[{code.tables.relation_of[a.const][b.const]}]"
            index, table = code.temp(), code.bind(code.tables.relation_of, "relation")
            pair = f"{table}[{a.code}][{b.code}]"
            return f"(w.{field}[{index}] if ({index} := {pair}) >= 0 else 0)"

    elif meter.subject == "standing":

        def read(code: Code, args: Sequence[Node]) -> str:
            return f"w.{field}[{code.standing_key(args[0].code, args[1].code)}]"

    else:

        def read(code: Code, args: Sequence[Node]) -> str:
            return f"w.{field}[{args[0].code}]"

    return read


for _meter in meters.METERS:
    function(
        _meter.name,
        _SUBJECT_PARAMS[_meter.subject],
        NUMBER,
        _meter.description,
        example=_meter.example,
        meter=True,
    )(_meter_reader(_meter))


@function("turn", (), NUMBER, "The current turn, from 1.", example="turn() >= 4")
def _turn(code: Code, args: Sequence[Node]) -> str:
    return "w.turn"


@function("turns_left", (), NUMBER, "Turns left after this one.", example="turns_left() <= 1")
def _turns_left(code: Code, args: Sequence[Node]) -> str:
    return "(w.last_turn - w.turn)"


@function(
    "signed", (ACCORD,), BOOL, "Whether an accord has been signed.", example="signed(ceasefire)"
)
def _signed(code: Code, args: Sequence[Node]) -> str:
    return f"(w.signed[{args[0].code}] > 0)"


@function(
    "accord_odds",
    (ACCORD,),
    NUMBER,
    "The chance a proposal of this accord succeeds now: 0 unless its "
    "`requires` holds, else its `chance`.",
    example="accord_odds(target)",
)
def _accord_odds(code: Code, args: Sequence[Node]) -> str:
    return f"w.scenario.accord_odds(w, {args[0].code})"


@function(
    "revealed",
    (PARTY, FACT),
    BOOL,
    "Whether a hidden fact is known: to everyone, or to the acting envoy.",
    example="revealed(norland, red_line)",
)
def _revealed(code: Code, args: Sequence[Node]) -> str:
    return f"w.knows({code.fact(*args)}, {code.envoy})"


@function(
    "represents",
    (SEAT, PARTY),
    BOOL,
    "Whether an envoy speaks for a party.",
    example="not represents(self, a)",
)
def _represents(code: Code, args: Sequence[Node]) -> str:
    return f"(w.scenario.envoy_party[{args[0].code}] == {args[1].code})"


@function(
    "playing",
    (SEAT,),
    BOOL,
    "Whether an envoy has a seat in this game.",
    example="playing(kestrel_fm)",
)
def _playing(code: Code, args: Sequence[Node]) -> str:
    return f"({args[0].code} in w.turn_order)"


@function(
    "max_tension",
    (),
    NUMBER,
    "The highest tension of any relation.",
    example="max_tension() >= 80",
)
def _max_tension(code: Code, args: Sequence[Node]) -> str:
    return "max(w.tension, default=0)"


@function("min_trust", (), NUMBER, "The lowest trust of any relation.", example="min_trust() < 20")
def _min_trust(code: Code, args: Sequence[Node]) -> str:
    return "min(w.trust, default=0)"


@function(
    "min",
    (NUMBER, NUMBER),
    NUMBER,
    "The smallest of two or more numbers.",
    variadic=True,
    example="min(standing(self, a), standing(self, b))",
)
def _min(code: Code, args: Sequence[Node]) -> str:
    return f"min({', '.join(a.code for a in args)})"


@function(
    "max",
    (NUMBER, NUMBER),
    NUMBER,
    "The largest of two or more numbers.",
    variadic=True,
    example="max(0, 40 - trust(a, b))",
)
def _max(code: Code, args: Sequence[Node]) -> str:
    return f"max({', '.join(a.code for a in args)})"


@function(
    "abs",
    (NUMBER,),
    NUMBER,
    "A number without its sign.",
    example="abs(posture(a) - posture(b)) > 30",
)
def _abs(code: Code, args: Sequence[Node]) -> str:
    return f"abs({args[0].code})"


@function(
    "chance",
    (NUMBER,),
    BOOL,
    "True with probability p (0..1), drawn from the game's seeded dice. "
    "Only in events and behaviours.",
    random=True,
    example="chance(0.25)",
)
def _chance(code: Code, args: Sequence[Node]) -> str:
    return f"(w.roll() < {args[0].code})"


@function(
    "sign",
    (ACCORD,),
    NUMBER,
    "Sign an accord now, and apply its effects.",
    action=True,
    example="sign(ceasefire)",
)
def _sign(code: Code, args: Sequence[Node]) -> list[str]:
    return [f"w.sign({args[0].code})"]


@function(
    "reveal",
    (PARTY, FACT),
    NUMBER,
    "Reveal a hidden fact to the acting envoy (to everyone outside a move).",
    action=True,
    example="reveal(target, red_line)",
)
def _reveal(code: Code, args: Sequence[Node]) -> list[str]:
    return [f"w.reveal({code.fact(*args)}, {code.envoy})"]


@function(
    "disclose",
    (PARTY, FACT),
    NUMBER,
    "Reveal a hidden fact to everyone.",
    action=True,
    example="disclose(norland, red_line)",
)
def _disclose(code: Code, args: Sequence[Node]) -> list[str]:
    return [f"w.reveal({code.fact(*args)}, -1)"]


@function(
    "secrets",
    (PARTY,),
    NUMBER,
    "How many of a party's hidden facts the acting envoy has not learned "
    "(outside a move: that are not public).",
    example="secrets(target) > 0",
)
def _secrets(code: Code, args: Sequence[Node]) -> str:
    facts, fact = code.facts_by_party(), code.temp()
    return f"sum(1 for {fact} in {facts}[{args[0].code}] if not w.knows({fact}, {code.envoy}))"


@function(
    "learn",
    (PARTY,),
    NUMBER,
    "The acting envoy learns a party's exact interests (format 2): its value for each "
    "option of every accord it signs, and how much it demands (to everyone outside a move). "
    "Until then a seat knows only the declared ranges, and odds show as a range.",
    action=True,
    example="learn(target)",
)
def _learn(code: Code, args: Sequence[Node]) -> list[str]:
    return [f"w.learn({args[0].code}, {code.envoy})"]


def _reveal_first(code: Code, party: str, envoy: str) -> list[str]:
    """Reveal the first fact of a party that ``envoy`` does not know."""
    fact, who = code.temp(), code.temp()
    return [
        f"{who} = {envoy}",
        f"for {fact} in {code.facts_by_party()}[{party}]:",
        f"    if not w.knows({fact}, {who}):",
        f"        w.reveal({fact}, {who})",
        "        break",
    ]


@function(
    "reveal_next",
    (PARTY,),
    NUMBER,
    "Reveal the first of a party's hidden facts the acting envoy has not learned "
    "(to everyone outside a move).",
    action=True,
    example="reveal_next(target)",
)
def _reveal_next(code: Code, args: Sequence[Node]) -> list[str]:
    return _reveal_first(code, args[0].code, code.envoy)


@function(
    "disclose_next",
    (PARTY,),
    NUMBER,
    "Reveal the first of a party's hidden facts that is not public yet, to everyone.",
    action=True,
    example="disclose_next(target)",
)
def _disclose_next(code: Code, args: Sequence[Node]) -> list[str]:
    return _reveal_first(code, args[0].code, "-1")


# ------------------------------------------------------------------------ lexer

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<num>\d+(?:\.\d*)?|\.\d+)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\+=|-=|<=|>=|==|!=|[-+*/<>=(),])
    """,
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "true", "false"}
_FORBIDDEN_HINTS = {
    ".": "there is no attribute access; call a function such as tension(a, b)",
    "[": "there is no indexing; call a function such as tension(a, b)",
    "&": "write 'and'",
    "|": "write 'or'",
    "!": "write 'not'",
    "%": "only + - * / are available",
    "'": "ids are written without quotes",
    '"': "ids are written without quotes",
}


@attrs.frozen
class Token:
    kind: str  # num, name, op, end
    text: str
    offset: int


def tokenize(text: str, errors: list[ExprError]) -> list[Token]:
    """The tokens of text. A character outside the language is recorded in ``errors``
    and skipped, so every one is reported at once."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            char = text[pos]
            hint = _FORBIDDEN_HINTS.get(char, "")
            errors.append(ExprError(f"unexpected character {char!r}", pos, hint))
            # A quoted word is one mistake, not two: go on after its closing quote.
            close = text.find(char, pos + 1) if char in "'\"" else -1
            pos = close + 1 if close > 0 else pos + 1
            continue
        kind = match.lastgroup
        if kind != "ws":
            tokens.append(Token(kind, match.group(), pos))
        pos = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


# ----------------------------------------------------------------------- parser

#: Most problems reported for one expression; past this the rest is noise.
MAX_ERRORS = 20
#: The longest number, in characters; the meters go from 0 to 100.
MAX_DIGITS = 20


@attrs.frozen
class Node:
    """A parsed and checked expression: its type, its Python and where it starts.

    ``code`` is a Python expression over ``w`` and ``c`` and the names bound in
    the expression's :class:`Code`; None where there is nothing to run (a fact,
    ``all``, or a part with errors).
    """

    type: str  # number, bool, or an id kind
    code: str | None
    offset: int
    const: Any = None  # the value, when known at compile time
    name: str = ""  # the id or function name, for messages
    is_all: bool = False
    #: Part of an expression already reported as wrong: it is checked no further,
    #: so one mistake gives one message, not one for every operator around it.
    broken: bool = False


def _const(value: bool | int | float, type_: str, offset: int) -> Node:
    # repr of a bool, an int or a finite float is a Python literal of the same value.
    return Node(type_, f"({value!r})", offset, const=value)


def _join(type_: str, template: str, left: Node, right: Node) -> Node:
    """An operator's node, its code made from its operands' (None if either has none)."""
    code = None
    if left.code is not None and right.code is not None:
        code = template.format(left.code, right.code)
    return Node(type_, code, left.offset)


def _broken(type_: str, offset: int) -> Node:
    return Node(type_, None, offset, broken=True)


class _Fatal(Exception):
    """The parser cannot go on: the expression's problems so far are final."""


class _Parser:
    def __init__(self, text: str, tables: IdTables, scope: Scope, notes: Notes | None = None):
        self.text = text
        self.errors: list[ExprError] = []
        self.tokens = tokenize(text, self.errors)
        self.pos = 0
        self.tables = tables
        self.scope = scope
        self.notes = notes if notes is not None else Notes()
        self.code = Code(tables, scope)
        self.warnings: list[ExprError] = []
        if self.errors:  # the text is not made of the language's tokens: parsing it is noise
            raise self.failure()

    def failure(self) -> ExprErrors:
        return ExprErrors(self.errors[:MAX_ERRORS])

    def report(self, message: str, offset: int, hint: str = "") -> None:
        """Record a problem the parser can read past."""
        self.errors.append(ExprError(message, offset, hint))
        if len(self.errors) >= MAX_ERRORS:
            raise _Fatal

    def fatal(self, message: str, offset: int, hint: str = "") -> NoReturn:
        """Record a problem the parser cannot read past, and stop."""
        self.errors.append(ExprError(message, offset, hint))
        raise _Fatal

    def warn(self, message: str, offset: int, hint: str = "") -> None:
        self.warnings.append(ExprError(message, offset, hint))

    def finish(self) -> None:
        """Raise every problem found; else hand the warnings to the notes."""
        if self.errors:
            raise self.failure()
        self.notes.warnings.extend(self.warnings)

    def run(self, parse: Callable[[], Any]) -> Any:
        try:
            result = parse()
        except _Fatal:
            raise self.failure() from None
        self.finish()
        return result

    # token helpers
    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def accept(self, *texts: str) -> Token | None:
        if self.tok.kind in ("op", "name") and self.tok.text in texts:
            return self.take()
        return None

    def expect(self, text: str) -> Token:
        token = self.accept(text)
        if token is None:
            got = self.tok.text or "the end"
            self.fatal(f"expected '{text}' but found '{got}'", self.tok.offset)
        return token

    def done(self) -> None:
        if self.tok.kind != "end":
            hint = ""
            if self.tok.text in ("+=", "-=", "="):
                hint = "changes like '+=' belong in effects, not in conditions"
            self.fatal(f"unexpected '{self.tok.text}'", self.tok.offset, hint)

    def skip_arguments(self) -> None:
        """Read past a call's parenthesised arguments without checking them."""
        self.expect("(")
        depth = 1
        while depth:
            token = self.take()
            if token.kind == "end":
                self.fatal("expected ')' but found 'the end'", token.offset)
            depth += {"(": 1, ")": -1}.get(token.text, 0) if token.kind == "op" else 0

    # grammar
    def expression(self) -> Node:
        return self.disjunction()

    def disjunction(self) -> Node:
        left = self.conjunction()
        while self.accept("or"):
            right = self.conjunction()
            self.need(left, BOOL, "or")
            self.need(right, BOOL, "or")
            left = _join(BOOL, "({} or {})", left, right)
        return left

    def conjunction(self) -> Node:
        left = self.negation()
        while self.accept("and"):
            right = self.negation()
            self.need(left, BOOL, "and")
            self.need(right, BOOL, "and")
            left = _join(BOOL, "({} and {})", left, right)
        return left

    def negation(self) -> Node:
        token = self.accept("not")
        if token:
            inner = self.negation()
            self.need(inner, BOOL, "not")
            code = None if inner.code is None else f"(not {inner.code})"
            return Node(BOOL, code, token.offset)
        return self.comparison()

    _COMPARE = {
        "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b,
        ">": lambda a, b: a > b,
        ">=": lambda a, b: a >= b,
        "==": lambda a, b: a == b,
        "!=": lambda a, b: a != b,
    }

    def comparison(self) -> Node:
        left = self.sum()
        token = self.accept(*self._COMPARE)
        if token is None:
            if self.tok.text != "=":
                return left
            self.report("'=' is not a comparison", self.tok.offset, "write '=='")
            token = Token("op", "==", self.take().offset)
        right = self.sum()
        self.need(left, NUMBER, token.text)
        self.need(right, NUMBER, token.text)
        while self.tok.text in self._COMPARE:
            self.report("comparisons cannot be chained", self.tok.offset, "join them with 'and'")
            self.take()
            self.sum()
        self.check_settled(token.text, left, right)
        # Each side is parenthesised, so Python never chains two comparisons.
        return _join(BOOL, f"({{}} {token.text} {{}})", left, right)

    def check_settled(self, op: str, left: Node, right: Node) -> None:
        """Warn where a comparison of a value with a constant is settled by the value's
        range in this scenario (``turn() > 99`` in a 9-turn crisis): it is a mistake,
        where a plain ``false`` is a choice."""
        if left.broken or right.broken:
            return
        value, const = (left, right.const) if right.const is not None else (right, left.const)
        if not isinstance(const, int | float) or isinstance(const, bool):
            return
        span = self.notes.ranges.get(value.name) if value.code is not None else None
        if span is None:
            return
        low, high, why = span
        if value is right:  # read 'c < f()' as 'f() > c'
            op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(op, op)
        compare = self._COMPARE[op]
        if op in ("==", "!="):
            outside = not low <= const <= high
            known = (op == "!=") if outside else None
        else:
            at_low, at_high = compare(low, const), compare(high, const)
            known = at_low if at_low == at_high else None
        if known is not None:
            self.warn(
                f"{value.name}() goes from {low:g} to {high:g}, so this is always "
                f"{'true' if known else 'false'}",
                value.offset if value is left else left.offset,
                why,
            )

    def sum(self) -> Node:
        left = self.product()
        while token := self.accept("+", "-"):
            right = self.product()
            self.need(left, NUMBER, token.text)
            self.need(right, NUMBER, token.text)
            left = _join(NUMBER, f"({{}} {token.text} {{}})", left, right)
        return left

    def product(self) -> Node:
        left = self.unary()
        while token := self.accept("*", "/"):
            right = self.unary()
            self.need(left, NUMBER, token.text)
            self.need(right, NUMBER, token.text)
            if token.text == "*":
                left = _join(NUMBER, "({} * {})", left, right)
            elif isinstance(right.const, int | float) and right.const:
                left = _join(NUMBER, "({} / {})", left, right)
            else:
                left = _join(NUMBER, self.code.bind(_divide, "divide") + "({}, {})", left, right)
        return left

    def unary(self) -> Node:
        token = self.accept("-", "+")
        if token:
            inner = self.unary()
            self.need(inner, NUMBER, token.text)
            if token.text == "+":
                return inner
            if isinstance(inner.const, int | float):
                return _const(-inner.const, NUMBER, token.offset)
            code = None if inner.code is None else f"(-{inner.code})"
            return Node(NUMBER, code, token.offset)
        return self.atom()

    def atom(self) -> Node:
        token = self.tok
        if token.kind == "num":
            self.take()
            if len(token.text) > MAX_DIGITS:
                # Past this, int() refuses the text and float() gives infinity.
                self.report(
                    "this number is too long", token.offset, f"write at most {MAX_DIGITS} digits"
                )
                return _broken(NUMBER, token.offset)
            value = float(token.text) if "." in token.text else int(token.text)
            return _const(value, NUMBER, token.offset)
        if token.kind == "op" and token.text == "(":
            self.take()
            inner = self.expression()
            self.expect(")")
            return inner
        if token.kind == "name":
            self.take()
            if token.text in ("true", "false"):
                return _const(token.text == "true", BOOL, token.offset)
            if token.text in _KEYWORDS:
                self.fatal(f"'{token.text}' needs something before it", token.offset)
            if self.tok.text == "(":
                return self.call(token)
            return self.name(token)
        got = token.text or "the end"
        self.fatal(f"expected a value but found '{got}'", token.offset)

    def call(self, token: Token) -> Node:
        fn = FUNCTIONS.get(token.text)
        if fn is None:
            hint = did_you_mean(token.text, FUNCTIONS)
            self.report(f"unknown function '{token.text}'", token.offset, hint)
            self.skip_arguments()
            return _broken("?", token.offset)
        if fn.random and not self.scope.allow_random:
            self.report(
                "chance() rolls dice, so it can only be used in events and behaviours",
                token.offset,
                "give a move a 'chance:' instead",
            )
        args = self.arguments(fn)
        if not self.check_arity(fn, args, token):
            return _broken(fn.returns, token.offset)
        for arg in args:
            if arg.is_all:
                self.report(
                    "'all' can only name the target of an effect",
                    arg.offset,
                    "to read every relation, use max_tension() or min_trust()",
                )
                return _broken(fn.returns, token.offset)
        if fn.action:
            self.report(
                f"{fn.name}() is an effect, not a value", token.offset, "write it as an effect"
            )
            return _broken(fn.returns, token.offset)
        if self.errors or any(a.broken for a in args):
            return _broken(fn.returns, token.offset)  # never run, so not compiled
        return Node(fn.returns, fn.emit(self.code, args), token.offset, name=fn.name)

    def arguments(self, fn: Function) -> list[Node]:
        self.expect("(")
        args: list[Node] = []
        if not self.accept(")"):
            while True:
                args.append(self.argument(fn, len(args)))
                if self.accept(")"):
                    break
                self.expect(",")
        return args

    def argument(self, fn: Function, index: int) -> Node:
        kind = fn.params[min(index, len(fn.params) - 1)] if fn.params else NUMBER
        token = self.tok
        if kind in ID_KINDS and token.kind == "name" and self.tokens[self.pos + 1].text != "(":
            self.take()
            return self.identifier(token, kind, fn)
        node = self.expression()
        if kind in ID_KINDS:
            self.report(
                f"{fn.name}() needs {_a(KIND_WORDS[kind])} here",
                node.offset,
                f"write an id such as {self.example_id(kind)}",
            )
            return _broken(kind, node.offset)
        return node

    def example_id(self, kind: str) -> str:
        names = self.tables.names(kind)
        return f"'{names[0]}'" if names else f"a declared {KIND_WORDS[kind]} id"

    def identifier(self, token: Token, kind: str, fn: Function) -> Node:
        name = token.text
        if name == ALL:
            return Node(kind, None, token.offset, name=name, is_all=True)
        if name in self.scope.names:
            bound = self.scope.names[name]
            if bound != kind:
                self.report(
                    f"'{name}' is {_a(KIND_WORDS.get(bound, bound))} here, but {fn.name}() "
                    f"needs {_a(KIND_WORDS[kind])}",
                    token.offset,
                )
                return _broken(kind, token.offset)
            return Node(kind, f"c[{self.scope.slot(name)}]", token.offset, name=name)
        names = self.tables.names(kind)
        if name in names:
            self.notes.used.add((kind, name))
            if kind == FACT:
                return Node(kind, None, token.offset, const=name, name=name)
            index = names.index(name)
            return Node(kind, str(index), token.offset, const=index, name=name)
        hint = did_you_mean(name, [*names, *(n for n, k in self.scope.names.items() if k == kind)])
        self.report(f"unknown {KIND_WORDS[kind]} '{name}'", token.offset, hint)
        return _broken(kind, token.offset)

    def name(self, token: Token) -> Node:
        if token.text in self.scope.names or any(
            token.text in self.tables.names(kind) for kind in ID_KINDS
        ):
            self.report(
                f"'{token.text}' is an id, not a value",
                token.offset,
                "ids go inside a function call, such as tension(a, b)",
            )
        else:
            self.report(
                f"unknown name '{token.text}'",
                token.offset,
                did_you_mean(token.text, [*FUNCTIONS, "true", "false", *self.scope.names]),
            )
        return _broken("?", token.offset)

    def check_arity(self, fn: Function, args: list[Node], token: Token) -> bool:
        """Check a call's arguments; False when they are too wrong to check further."""
        count = len(fn.params)
        if fn.variadic:
            if len(args) < count:
                self.report(f"{fn.name}() needs at least {count} values", token.offset)
                return False
        elif len(args) != count:
            plural = "s" if count != 1 else ""
            self.report(
                f"{fn.name}() takes {count} argument{plural}, not {len(args)}",
                token.offset,
                f"for example: {fn.example}" if fn.example else "",
            )
            return False
        for index, arg in enumerate(args):
            kind = fn.params[min(index, count - 1)]
            if kind not in ID_KINDS:
                self.need(arg, kind, f"{fn.name}()")
        if not any(a.broken for a in args):
            self.check_facts(fn, args)
            self.check_relation(fn, args)
        return True

    def check_facts(self, fn: Function, args: list[Node]) -> None:
        if FACT not in fn.params:
            return
        party, fact = args[0], args[1]
        if isinstance(party.const, int) and self.tables.fact_index(party.const, fact.name) < 0:
            known = [f for p, f in self.tables.facts if p == party.const]
            self.report(
                f"party '{party.name}' has no hidden fact '{fact.name}'",
                fact.offset,
                did_you_mean(fact.name, known) or "declare it under the party's 'facts'",
            )

    def check_relation(self, fn: Function, args: list[Node]) -> None:
        if fn.params != (PARTY, PARTY):
            return
        a, b = args
        known = isinstance(a.const, int) and isinstance(b.const, int)
        if (
            known
            and self.tables.relation_of[a.const][b.const] < 0
            and self.tables.relations_complete
        ):
            self.report(
                f"there is no relation between '{a.name}' and '{b.name}'",
                a.offset,
                "declare it under 'relations'",
            )

    def need(self, node: Node, type_: str, where: str) -> None:
        if node.broken:
            return
        if node.is_all:
            self.report(
                "'all' can only name the target of an effect",
                node.offset,
                "for example: tension(target, all) -= 3",
            )
            return
        if node.type == type_:
            return
        words = {NUMBER: "a number", BOOL: "true or false"}
        got = words.get(node.type, _a(KIND_WORDS.get(node.type, node.type)))
        hint = ""
        if type_ == BOOL and node.type == NUMBER:
            hint = "compare it, for example: ... >= 50"
        self.report(f"'{where}' needs {words.get(type_, type_)}, not {got}", node.offset, hint)


def _a(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _divide(a: float, b: float) -> float:
    # Division by zero gives 0 rather than an exception: a modder's formula
    # must never crash a classroom game.
    return a / b if b else 0


# ------------------------------------------------------------ generated code

# Why turning a scenario's expressions into Python is safe:
#
# * Scenario text never reaches the generated source. The source is this module's
#   fixed templates, filled in with the Python literals of the numbers the
#   tokenizer read as digits (the repr of an int or a finite float), the indices
#   that declared ids were resolved to while checking, the fields of the meter
#   table, and names this module makes up (_t1, _relation0...). An id becomes an
#   integer; a fact's name is only a key of a table that the code reads by a
#   made-up name.
# * Only an expression that parsed and checked without a single error is built.
# * Compiling runs nothing. Before the code can run, _verify inspects what it can
#   reach: a function reaches the world only through its arguments, its constants
#   and the names it looks up (globals, builtins, attributes, methods), so every
#   constant must be a number or a boolean and every name one of a fixed list of
#   the world's fields and methods, one of five builtins, or a made-up name. Even a
#   bug in a template cannot import, call eval or open, touch a dunder or a string.
# * The function runs with a namespace of its own tables and those five builtins,
#   not the interpreter's. It is made with types.FunctionType and given its
#   verified code object at its first call: nothing is handed to eval or exec.

_BUILTINS: dict[str, Any] = {"abs": abs, "max": max, "min": min, "range": range, "sum": sum}
_ATTRIBUTES = frozenset(
    {m.field for m in meters.METERS}
    | {"turn", "last_turn", "turn_order", "signed", "scenario", "envoy_party", "accord_odds"}
    | {"knows", "roll", "set", "sign", "reveal", "learn", "get"}
)
#: The names Code makes up: temporaries and bound tables.
_MADE_UP = re.compile(r"_[a-z]+[0-9]+")
#: The names of keyword arguments (max(..., default=0)), which CPython keeps as constants.
_KEYWORDS_USED = (("default",),)


def _verify(code: types.CodeType) -> None:
    """Refuse compiled code that reaches beyond what the templates write (see above)."""
    for name in code.co_names:
        if not (name in _ATTRIBUTES or name in _BUILTINS or _MADE_UP.fullmatch(name)):
            raise AssertionError(f"generated code reads {name!r}")
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            _verify(const)  # a generator expression
        elif not (_is_number(const) or const is None or const in _KEYWORDS_USED):
            raise AssertionError(f"generated code holds {const!r}")


def _is_number(value: Any) -> bool:
    if isinstance(value, tuple):  # CPython folds (3,) into one constant
        return all(_is_number(v) for v in value)
    return type(value) in (int, float, bool)


@functools.lru_cache(maxsize=4096)
def _code_object(source: str) -> types.CodeType:
    """The verified code of one generated function; expressions written alike share it."""
    module = compile(source, "<expression>", "exec")
    function = next(k for k in module.co_consts if isinstance(k, types.CodeType))
    _verify(function)
    return function


def _assemble(lines: Sequence[str], code: Code) -> Callable[[Any, tuple], Any]:
    """The Python function ``(w, c)`` whose body is ``lines``, reading ``code``'s names.

    It is compiled the first time it runs, not now: a crisis loaded to be listed in
    the catalogue or checked by ``envoy validate`` never pays for compiling its
    expressions, and one that is played pays once for each expression it reaches.
    """
    source = "def expression(w, c):\n" + "".join(f"    {line}\n" for line in lines)
    names = {"__builtins__": _BUILTINS, **code.names, "_source": source}
    names["_compile_first"] = _compile_first
    function = types.FunctionType(_first_call.__code__, names, "expression")
    names["_self"] = function
    return function


def selector(condition: Fn) -> Callable[[Any, Sequence[tuple]], list]:
    """``select(w, candidates)``: the action of each (context, action, holds) candidate
    whose ``holds`` is true or for which ``condition`` holds in ``w``, in order.

    A legal-move list asks one move's requirements of every target; for a compiled
    condition this is one generated comprehension, not a call per target: the
    condition's own checked code in a loop over the contexts (the same code, so
    the same answers, and the same first exception if one cannot be asked). Made
    once per condition, when first asked for.
    """
    names = getattr(condition, "__globals__", None)
    value = names.get("_value") if names is not None else None
    if value is None:  # not a generated condition: ask it target by target
        return lambda w, candidates: [a for c, a, h in candidates if h or condition(w, c)]
    select = names.get("_selector")
    if select is None:
        loop = f"[a for c, a, h in candidates if h or ({value})]"
        source = f"def select(w, candidates):\n    return {loop}\n"
        select = types.FunctionType(_code_object(source), names, "select")
        names["_selector"] = select
    return select


def _first_call(w, c):
    # The code of every generated function until its first call; _self is the function.
    return _compile_first(_self, w, c)  # noqa: F821 (names of the function's own namespace)


def _compile_first(function: types.FunctionType, w: Any, c: tuple) -> Any:
    """Give the function its generated code, then run it."""
    function.__code__ = _code_object(function.__globals__["_source"])
    return function(w, c)


# ------------------------------------------------------------------- effects


@attrs.frozen
class Effect:
    """One compiled effect statement, with where it was written."""

    text: str
    run: Callable[[Any, tuple], None]
    file: str = ""
    line: int = 0
    col: int = 0
    #: Whether it names ``self``: in a joint move, only these apply to every participant.
    uses_self: bool = False
    #: "file:line", or "" when it has no file: what a ledger entry names it by,
    #: made once rather than for every entry.
    source: str = attrs.field(init=False, eq=False)

    @source.default
    def _source(self) -> str:
        return f"{self.file}:{self.line}" if self.file else ""


def _meter_change(
    code: Code, fn: Function, args: Sequence[Node], mode: str, value: Node
) -> list[str]:
    """The statements of a meter effect: the amount first, then each key it changes."""
    meter = meters.BY_NAME[fn.name]
    field, name = meter.field, code.bind(meter.name, "meter")
    if value.const is None:
        delta = code.temp()
        amount = [f"{delta} = {value.code}"]
    else:
        delta, amount = value.code, []

    def change(key: str) -> str:
        new = delta if mode == "=" else f"w.{field}[{key}] {mode[0]} {delta}"
        return f"w.set({name}, {key}, {new})"

    return [*amount, *_each_key(code, meter, args, change)]


def _each_key(
    code: Code, meter: meters.Meter, args: Sequence[Node], change: Callable[[str], str]
) -> list[str]:
    """Statements that apply ``change`` to each key of the meter that ``args`` name, in
    the order of the ids (``all`` is every relation of a party, every seat, every party)."""
    t = code.tables
    parties = len(t.parties)

    def each(keys: str) -> list[str]:
        key = code.temp()
        return [f"for {key} in {keys}:", "    " + change(key)]

    if meter.subject == "relation":
        a, b = args
        if a.is_all and b.is_all:
            return each(f"range({t.relation_count})")
        if a.is_all or b.is_all:
            one = b if a.is_all else a
            return each(f"{code.bind(t.relations_of_party, 'touching')}[{one.code}]")
        if isinstance(a.const, int) and isinstance(b.const, int):
            index = t.relation_of[a.const][b.const]
            return [change(str(index))] if index >= 0 else ["pass"]
        key, table = code.temp(), code.bind(t.relation_of, "relation")
        return [f"{key} = {table}[{a.code}][{b.code}]", f"if {key} >= 0:", "    " + change(key)]
    if meter.subject == "standing":
        envoy, party = args
        if not (envoy.is_all or party.is_all):
            return [change(code.standing_key(envoy.code, party.code))]
        s, p = code.temp(), code.temp()
        envoys = "w.turn_order" if envoy.is_all else f"({envoy.code},)"
        of = f"range({parties})" if party.is_all else f"({party.code},)"
        return [
            f"for {s} in {envoys}:",
            f"    for {p} in {of}:",
            "        " + change(code.standing_key(s, p)),
        ]
    (one,) = args
    if one.is_all:
        return each("w.turn_order" if meter.subject == "envoy" else f"range({parties})")
    return [change(one.code)]


_ASSIGN = ("+=", "-=", "=")


def compile_effect(
    text: str, tables: IdTables, scope: Scope, notes: Notes | None = None
) -> Callable[[Any, tuple], None]:
    """Compile one effect statement into ``run(world, ctx)``."""
    parser = _Parser(text, tables, scope, notes)
    return parser.run(lambda: _effect(parser))


def _effect(parser: _Parser) -> Callable[[Any, tuple], None]:
    start = parser.tok
    if start.kind != "name" or parser.tokens[1].text != "(":
        parser.fatal(
            "an effect starts with a function call",
            start.offset,
            "for example: tension(a, b) -= 5, or sign(ceasefire)",
        )
    parser.take()
    fn = FUNCTIONS.get(start.text)
    if fn is None:
        parser.report(
            f"unknown function '{start.text}'",
            start.offset,
            did_you_mean(start.text, _changeable()),
        )
        parser.skip_arguments()
        if parser.accept(*_ASSIGN):
            parser.expression()
        parser.done()
        return _nothing
    if not (fn.meter or fn.action):
        parser.report(
            f"{fn.name}() cannot be changed by an effect",
            start.offset,
            "effects change: " + ", ".join(_changeable()),
        )
    args = parser.arguments(fn)
    parser.check_arity(fn, args, start)
    if fn.action:
        if any(a.is_all for a in args):
            parser.report("'all' can only name the target of a meter", start.offset)
        parser.done()
        if parser.errors:
            return _nothing
        parser.notes.changed.add((fn.name, *(a.name for a in args)))
        return _assemble(fn.emit(parser.code, args), parser.code)
    for arg, kind in zip(args, fn.params, strict=False):
        if arg.is_all and kind not in (PARTY, SEAT):
            parser.report(
                f"'all' names every party or envoy, not every {KIND_WORDS[kind]}",
                arg.offset,
                f"name one, for example: {fn.example}",
            )
    op = parser.accept(*_ASSIGN)
    if op is None:
        parser.fatal(
            f"what should happen to {fn.name}()?",
            parser.tok.offset,
            f"write '{fn.name}(...) += N', '-= N' or '= N'",
        )
    value = parser.expression()
    parser.need(value, NUMBER, op.text)
    parser.done()
    if parser.errors or any(a.broken for a in args):
        return _nothing
    _check_change(parser, fn, op.text, value)
    parser.notes.changed.add((fn.name, *(a.name for a in args)))
    return _assemble(_meter_change(parser.code, fn, args, op.text, value), parser.code)


def _changeable() -> list[str]:
    """The functions an effect may name, for hints."""
    return [name for name, f in FUNCTIONS.items() if f.meter or f.action]


def _nothing(w, c) -> None:
    """The effect an expression with errors compiles to; it never runs."""


def _check_change(parser: _Parser, fn: Function, mode: str, value: Node) -> None:
    """Warn where an effect's constant change cannot work as written: the meter is kept
    in its range, so setting it past the range, or moving it by more than the whole
    range, does less than it says."""
    span = parser.notes.ranges.get(fn.name)
    if span is None or not isinstance(value.const, int | float):
        return
    low, high, why = span
    amount = value.const
    if mode == "=" and not low <= amount <= high:
        kept = low if amount < low else high
        parser.warn(
            f"{fn.name}() is kept from {low:g} to {high:g}, so this sets it to {kept:g}",
            value.offset,
            why,
        )
    elif mode != "=" and abs(amount) > high - low:
        parser.warn(
            f"{fn.name}() goes from {low:g} to {high:g}, so a change of {abs(amount):g} "
            "does the same as a change of the whole range",
            value.offset,
            why,
        )


def compile_condition(text: str, tables: IdTables, scope: Scope, notes: Notes | None = None) -> Fn:
    """Compile a condition (true or false)."""
    return _compile_value(text, tables, scope, notes, BOOL, "a condition")


def compile_number(text: str, tables: IdTables, scope: Scope, notes: Notes | None = None) -> Fn:
    """Compile a number, such as a move's chance."""
    return _compile_value(text, tables, scope, notes, NUMBER, "this")


def _compile_value(
    text: str, tables: IdTables, scope: Scope, notes: Notes | None, kind: str, what: str
) -> Fn:
    parser = _Parser(text, tables, scope, notes)

    def parse() -> Fn | None:
        node = parser.expression()
        parser.done()
        parser.need(node, kind, what)
        if parser.errors:
            return None  # never returned: run() raises them
        function = _assemble([f"return {node.code}"], parser.code)
        function.__globals__["_value"] = node.code
        return function

    return parser.run(parse)


# ------------------------------------------------------------------- needs


@attrs.frozen
class Ref:
    """An id a need names: a declared one (``index``, or the fact's id) or one the
    scope binds at run time (``slot`` in the context, such as ``target``)."""

    kind: str
    name: str
    index: Any = None
    slot: int | None = None


#: A comparison of a reading with a number, read with the reading on the left.
_NEED_KINDS = {"<": "below", "<=": "at_most", ">": "above", ">=": "at_least"}
_NEED_KINDS.update({"==": "equal", "!=": "not_equal"})
_MIRRORED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_HOLDS = {
    "below": lambda v, n: v < n,
    "at_most": lambda v, n: v <= n,
    "above": lambda v, n: v > n,
    "at_least": lambda v, n: v >= n,
    "equal": lambda v, n: v == n,
    "not_equal": lambda v, n: v != n,
    "is": lambda v, n: bool(v),
    "is_not": lambda v, n: not v,
}


@attrs.frozen
class Need:
    """One thing a condition asks, as data for the phrasing layer: ``kind`` (one of
    below, at_most, above, at_least, equal, not_equal, is, is_not), the function it
    reads with its ``refs``, and the ``number`` it is compared with (None for is and
    is_not). ``read`` is the checked call compiled: it gives the value now."""

    kind: str
    function: str
    refs: tuple[Ref, ...]
    number: float | None
    read: Fn = attrs.field(eq=False, repr=False)

    def value(self, w: Any, c: tuple) -> Any:
        return self.read(w, c)

    def holds(self, w: Any, c: tuple) -> bool:
        return bool(_HOLDS[self.kind](self.read(w, c), self.number))


class _Describer(_Parser):
    """The checking parser, keeping the shape of what it parses: for each node made
    by a grammar rule below, the rule and the nodes its own rules gave it."""

    _RULES = ("conjunction", "negation", "comparison", "sum", "call", "argument")

    def __init__(self, text: str, tables: IdTables, scope: Scope):
        super().__init__(text, tables, scope)
        self.frames: list[list[tuple[Node, int]]] = []
        # id -> (node, rule, children): the node is held so that no id is reused.
        self.shapes: dict[int, tuple[Node, str, list[tuple[Node, int]]]] = {}

    def recorded(self, rule: str, parse: Callable[..., Node], *args: Any) -> Node:
        self.frames.append([])
        try:
            node = parse(*args)
        finally:
            children = self.frames.pop()
        # A rule that only passes its child on keeps the child's (innermost) shape.
        self.shapes.setdefault(id(node), (node, rule, children))
        if self.frames:
            self.frames[-1].append((node, self.pos))
        return node

    def conjunction(self) -> Node:
        return self.recorded("conjunction", super().conjunction)

    def negation(self) -> Node:
        return self.recorded("negation", super().negation)

    def comparison(self) -> Node:
        return self.recorded("comparison", super().comparison)

    def sum(self) -> Node:
        return self.recorded("sum", super().sum)

    def call(self, token: Token) -> Node:
        return self.recorded("call", super().call, token)

    def argument(self, fn: Function, index: int) -> Node:
        return self.recorded("argument", super().argument, fn, index)

    def shape(self, node: Node) -> tuple[str, list[tuple[Node, int]]] | None:
        found = self.shapes.get(id(node))
        return (found[1], found[2]) if found is not None and found[0] is node else None

    def needs(self, node: Node) -> list[Need] | None:
        shape = self.shape(node)
        if shape is not None and shape[0] == "conjunction":
            result: list[Need] = []
            for child, _ in shape[1]:
                more = self.needs(child)
                if more is None:
                    return None
                result.extend(more)
            return result
        if node.const is True:
            return []
        need = self.need_of(node, shape)
        return None if need is None else [need]

    def need_of(self, node: Node, shape) -> Need | None:
        if shape is None:
            return None
        rule, children = shape
        if rule == "negation" and len(children) == 1:
            inner = children[0][0]
            need = self.reading(inner, "is")
            return None if need is None else attrs.evolve(need, kind="is_not")
        if rule == "call":
            return self.reading(node, "is")
        if rule == "comparison" and len(children) == 2:
            (left, end), (right, _) = children
            op = self.tokens[end].text
            if op not in _MIRRORED:
                return None
            if isinstance(right.const, int | float) and not isinstance(right.const, bool):
                return self.reading(left, _NEED_KINDS[op], right.const)
            if isinstance(left.const, int | float) and not isinstance(left.const, bool):
                return self.reading(right, _NEED_KINDS[_MIRRORED[op]], left.const)
        return None

    def reading(self, node: Node, kind: str, number: float | None = None) -> Need | None:
        """The need that ``node``, a call of a function on ids, is ``kind`` ``number``."""
        shape = self.shape(node)
        if shape is None or shape[0] != "call" or node.code is None:
            return None
        fn = FUNCTIONS[node.name]
        if (fn.returns == BOOL) != (number is None):
            return None
        refs = []
        for arg, _ in shape[1]:
            if arg.type not in ID_KINDS or arg.is_all:
                return None
            slot = self.scope.slot(arg.name) if arg.name in self.scope.names else None
            refs.append(Ref(arg.type, arg.name, arg.const, slot))
        read = _assemble([f"return {node.code}"], self.code)
        return Need(kind, fn.name, tuple(refs), number, read)


def describe_condition(text: str, tables: IdTables, scope: Scope) -> tuple[Need, ...] | None:
    """What a condition asks, as the needs that all hold exactly when it does; None
    when it is not a conjunction of readings compared with numbers (arithmetic, an
    ``or``), or does not compile. The shape is read from the checked parse, never
    from the text."""
    try:
        parser = _Describer(text, tables, scope)
    except ExprError:
        return None

    def parse() -> tuple[Need, ...] | None:
        node = parser.expression()
        parser.done()
        parser.need(node, BOOL, "a condition")
        if parser.errors:
            return None
        needs = parser.needs(node)
        return None if needs is None else tuple(needs)

    try:
        return parser.run(parse)
    except ExprError:
        return None
