"""The safe condition and effect language that scenarios are written in (DESIGN §1.6).

Modders write short expressions::

    tension(north, south) >= 60 and trust(north, south) < 30
    tension(north, south) += 10
    reveal(north, red_line)

Each one is parsed **once, at load**, by the small recursive-descent parser below
and compiled into a Python closure ``fn(world, ctx)``. The parser accepts only
numbers, ``true``/``false``, comparisons, ``and``/``or``/``not``, ``+ - * /``,
parentheses, calls of the functions in :data:`FUNCTIONS`, and the ids that the
scenario declares. Nothing else: there is no attribute access, no indexing, and
scenario text never reaches ``eval`` or ``exec``.

``world`` is anything with the game's meters as indexable sequences
(:class:`~game.engine.state.GameState` for reading, the resolver's scratch world
for writing). ``ctx`` is a tuple of indices bound to the names of a
:class:`Scope`, such as ``self`` (the acting envoy) or ``target``.

The function registry is the one place where a function is added; MODDING.md's
language reference is generated from it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NoReturn

import attrs

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

    def index(self, kind: str, name: str) -> int:
        return self.names(kind).index(name)

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


@attrs.frozen
class Function:
    """One function of the language.

    ``meter`` functions name a value that effects may change with ``+=``, ``-=``
    or ``=``; ``action`` functions are effects on their own; the rest are read
    only.
    """

    name: str
    params: tuple[str, ...]
    returns: str
    doc: str
    meter: bool = False
    action: bool = False
    variadic: bool = False
    random: bool = False
    example: str = ""


FUNCTIONS: dict[str, Function] = {}


def _register(fn: Function) -> None:
    FUNCTIONS[fn.name] = fn


for _fn in (
    Function(
        "tension",
        (PARTY, PARTY),
        NUMBER,
        "How close two parties are to armed conflict, 0..100.",
        meter=True,
        example="tension(norland, sudmark) >= 60",
    ),
    Function(
        "trust",
        (PARTY, PARTY),
        NUMBER,
        "How much two parties believe each other, 0..100.",
        meter=True,
        example="trust(norland, sudmark) += 5",
    ),
    Function(
        "pressure",
        (PARTY, PARTY),
        NUMBER,
        "How much tension drifts up each turn on a relation.",
        meter=True,
        example="pressure(norland, sudmark) -= 1",
    ),
    Function(
        "hotline",
        (PARTY, PARTY),
        NUMBER,
        "Turns left on an open hotline between two parties (0 when closed). Set it to open one.",
        meter=True,
        example="hotline(a, b) = 3",
    ),
    Function(
        "standing",
        (SEAT, PARTY),
        NUMBER,
        "How far a party trusts an envoy, 0..100.",
        meter=True,
        example="standing(self, target) += 4",
    ),
    Function(
        "capital",
        (SEAT,),
        NUMBER,
        "An envoy's political capital left this turn.",
        meter=True,
        example="capital(self) -= 2",
    ),
    Function(
        "posture",
        (PARTY,),
        NUMBER,
        "A party's posture, 0 dove .. 100 hawk.",
        meter=True,
        example="posture(norland) >= 70",
    ),
    Function(
        "resolve",
        (PARTY,),
        NUMBER,
        "A party's resolve to hold out; sanctions wear it down, and accords come "
        "easier when it is low.",
        meter=True,
        example="resolve(target) -= 8",
    ),
    Function(
        "counter",
        (COUNTER,),
        NUMBER,
        "A number the scenario declares under `counters` and keeps itself.",
        meter=True,
        example="counter(incidents) += 1",
    ),
    Function("turn", (), NUMBER, "The current turn, from 1.", example="turn() >= 4"),
    Function("turns_left", (), NUMBER, "Turns left after this one.", example="turns_left() <= 1"),
    Function(
        "signed", (ACCORD,), BOOL, "Whether an accord has been signed.", example="signed(ceasefire)"
    ),
    Function(
        "accord_odds",
        (ACCORD,),
        NUMBER,
        "The chance a proposal of this accord succeeds now: 0 unless its "
        "`requires` holds, else its `chance`.",
        example="accord_odds(target)",
    ),
    Function(
        "revealed",
        (PARTY, FACT),
        BOOL,
        "Whether a hidden fact is known: to everyone, or to the acting envoy.",
        example="revealed(norland, red_line)",
    ),
    Function(
        "represents",
        (SEAT, PARTY),
        BOOL,
        "Whether an envoy speaks for a party.",
        example="not represents(self, a)",
    ),
    Function(
        "playing",
        (SEAT,),
        BOOL,
        "Whether an envoy has a seat in this game.",
        example="playing(kestrel_fm)",
    ),
    Function(
        "max_tension",
        (),
        NUMBER,
        "The highest tension of any relation.",
        example="max_tension() >= 80",
    ),
    Function(
        "min_trust", (), NUMBER, "The lowest trust of any relation.", example="min_trust() < 20"
    ),
    Function(
        "min",
        (NUMBER, NUMBER),
        NUMBER,
        "The smallest of two or more numbers.",
        variadic=True,
        example="min(standing(self, a), standing(self, b))",
    ),
    Function(
        "max",
        (NUMBER, NUMBER),
        NUMBER,
        "The largest of two or more numbers.",
        variadic=True,
        example="max(0, 40 - trust(a, b))",
    ),
    Function(
        "abs",
        (NUMBER,),
        NUMBER,
        "A number without its sign.",
        example="abs(posture(a) - posture(b)) > 30",
    ),
    Function(
        "chance",
        (NUMBER,),
        BOOL,
        "True with probability p (0..1), drawn from the game's seeded dice. "
        "Only in events and behaviours.",
        random=True,
        example="chance(0.25)",
    ),
    Function(
        "sign",
        (ACCORD,),
        NUMBER,
        "Sign an accord now, and apply its effects.",
        action=True,
        example="sign(ceasefire)",
    ),
    Function(
        "reveal",
        (PARTY, FACT),
        NUMBER,
        "Reveal a hidden fact to the acting envoy (to everyone outside a move).",
        action=True,
        example="reveal(target, red_line)",
    ),
    Function(
        "disclose",
        (PARTY, FACT),
        NUMBER,
        "Reveal a hidden fact to everyone.",
        action=True,
        example="disclose(norland, red_line)",
    ),
    Function(
        "secrets",
        (PARTY,),
        NUMBER,
        "How many of a party's hidden facts the acting envoy has not learned "
        "(outside a move: that are not public).",
        example="secrets(target) > 0",
    ),
    Function(
        "reveal_next",
        (PARTY,),
        NUMBER,
        "Reveal the first of a party's hidden facts the acting envoy has not learned "
        "(to everyone outside a move).",
        action=True,
        example="reveal_next(target)",
    ),
    Function(
        "disclose_next",
        (PARTY,),
        NUMBER,
        "Reveal the first of a party's hidden facts that is not public yet, to everyone.",
        action=True,
        example="disclose_next(target)",
    ),
):
    _register(_fn)

# Meter ranges other than the 0..100 of every meter are tunable in YAML rules;
# the resolver clamps, the language only names.
METERS = tuple(name for name, fn in FUNCTIONS.items() if fn.meter)

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


@attrs.frozen
class Node:
    """A parsed expression: its type, its compiled closure and where it starts."""

    type: str  # number, bool, or an id kind
    fn: Fn | None
    offset: int
    const: Any = None  # the value, when known at compile time
    name: str = ""  # the id or function name, for messages
    is_all: bool = False
    #: Part of an expression already reported as wrong: it is checked no further,
    #: so one mistake gives one message, not one for every operator around it.
    broken: bool = False


def _const(value: Any, type_: str, offset: int) -> Node:
    return Node(type_, lambda w, c, v=value: v, offset, const=value)


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
            lf, rf = left.fn, right.fn
            left = Node(BOOL, lambda w, c, lf=lf, rf=rf: lf(w, c) or rf(w, c), left.offset)
        return left

    def conjunction(self) -> Node:
        left = self.negation()
        while self.accept("and"):
            right = self.negation()
            self.need(left, BOOL, "and")
            self.need(right, BOOL, "and")
            lf, rf = left.fn, right.fn
            left = Node(BOOL, lambda w, c, lf=lf, rf=rf: lf(w, c) and rf(w, c), left.offset)
        return left

    def negation(self) -> Node:
        token = self.accept("not")
        if token:
            inner = self.negation()
            self.need(inner, BOOL, "not")
            f = inner.fn
            return Node(BOOL, lambda w, c, f=f: not f(w, c), token.offset)
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
        op, lf, rf = self._COMPARE[token.text], left.fn, right.fn
        return Node(BOOL, lambda w, c: op(lf(w, c), rf(w, c)), left.offset)

    def check_settled(self, op: str, left: Node, right: Node) -> None:
        """Warn where a comparison of a value with a constant is settled by the value's
        range in this scenario (``turn() > 99`` in a 9-turn crisis): it is a mistake,
        where a plain ``false`` is a choice."""
        if left.broken or right.broken:
            return
        value, const = (left, right.const) if right.const is not None else (right, left.const)
        if not isinstance(const, int | float) or isinstance(const, bool):
            return
        span = self.notes.ranges.get(value.name) if value.fn is not None else None
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
            lf, rf = left.fn, right.fn
            if token.text == "+":
                left = Node(NUMBER, lambda w, c, lf=lf, rf=rf: lf(w, c) + rf(w, c), left.offset)
            else:
                left = Node(NUMBER, lambda w, c, lf=lf, rf=rf: lf(w, c) - rf(w, c), left.offset)
        return left

    def product(self) -> Node:
        left = self.unary()
        while token := self.accept("*", "/"):
            right = self.unary()
            self.need(left, NUMBER, token.text)
            self.need(right, NUMBER, token.text)
            lf, rf = left.fn, right.fn
            if token.text == "*":
                left = Node(NUMBER, lambda w, c, lf=lf, rf=rf: lf(w, c) * rf(w, c), left.offset)
            else:
                left = Node(
                    NUMBER, lambda w, c, lf=lf, rf=rf: _divide(lf(w, c), rf(w, c)), left.offset
                )
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
            f = inner.fn
            return Node(NUMBER, lambda w, c, f=f: -f(w, c), token.offset)
        return self.atom()

    def atom(self) -> Node:
        token = self.tok
        if token.kind == "num":
            self.take()
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
        compiled = _compile_call(fn, args, self.tables, self.scope)
        return Node(fn.returns, compiled, token.offset, name=fn.name)

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
            slot = self.scope.slot(name)
            return Node(kind, lambda w, c, s=slot: c[s], token.offset, name=name)
        names = self.tables.names(kind)
        if name in names:
            self.notes.used.add((kind, name))
            if kind == FACT:
                return Node(kind, None, token.offset, const=name, name=name)
            index = names.index(name)
            return Node(kind, lambda w, c, i=index: i, token.offset, const=index, name=name)
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


# ------------------------------------------------------------ compiled calls


def _ids(args: Sequence[Node]) -> list[Fn]:
    return [a.fn for a in args]


def _compile_call(fn: Function, args: list[Node], t: IdTables, scope: Scope) -> Fn:
    name = fn.name
    if name in ("tension", "trust", "pressure", "hotline"):
        return _relation_reader(name, args, t)
    if name == "standing":
        (ga, gb) = _ids(args)
        parties = len(t.parties)
        return lambda w, c: w.standing[ga(w, c) * parties + gb(w, c)]
    if name in ("capital", "posture", "resolve"):
        (g,) = _ids(args)
        return lambda w, c: getattr(w, name)[g(w, c)]
    if name == "counter":
        (g,) = _ids(args)
        return lambda w, c: w.counters[g(w, c)]
    if name == "turn":
        return lambda w, c: w.turn
    if name == "turns_left":
        return lambda w, c: w.last_turn - w.turn
    if name == "signed":
        (g,) = _ids(args)
        return lambda w, c: w.signed[g(w, c)] > 0
    if name == "accord_odds":
        (g,) = _ids(args)
        return lambda w, c: w.scenario.accord_odds(w, g(w, c))
    if name == "revealed":
        return _revealed(args, t, scope)
    if name == "secrets":
        (g,) = _ids(args)
        by_party, seat = _facts_by_party(t), _seat_reader(scope)
        return lambda w, c: sum(1 for f in by_party[g(w, c)] if not w.knows(f, seat(c)))
    if name == "represents":
        (ga, gb) = _ids(args)
        return lambda w, c: w.scenario.envoy_party[ga(w, c)] == gb(w, c)
    if name == "playing":
        (g,) = _ids(args)
        return lambda w, c: g(w, c) in w.seats
    if name == "max_tension":
        return lambda w, c: max(w.tension, default=0)
    if name == "min_trust":
        return lambda w, c: min(w.trust, default=0)
    if name in ("min", "max"):
        fns = _ids(args)
        pick = min if name == "min" else max
        return lambda w, c: pick(f(w, c) for f in fns)
    if name == "abs":
        (f,) = _ids(args)
        return lambda w, c: abs(f(w, c))
    if name == "chance":
        (f,) = _ids(args)
        return lambda w, c: w.roll() < f(w, c)
    raise AssertionError(f"{name} is an effect, not a value")  # pragma: no cover


def _relation_reader(meter: str, args: list[Node], t: IdTables) -> Fn:
    a, b = args
    if isinstance(a.const, int) and isinstance(b.const, int):
        index = t.relation_of[a.const][b.const]
        return lambda w, c: getattr(w, meter)[index]
    ga, gb, table = a.fn, b.fn, t.relation_of

    def read(w, c):
        index = table[ga(w, c)][gb(w, c)]
        return getattr(w, meter)[index] if index >= 0 else 0

    return read


def _fact_getter(args: list[Node], t: IdTables) -> Fn:
    party, fact = args
    if isinstance(party.const, int):
        index = t.fact_index(party.const, fact.name)
        return lambda w, c: index
    gp, fact_name = party.fn, fact.name
    lookup = {(p, f): i for i, (p, f) in enumerate(t.facts)}
    return lambda w, c: lookup.get((gp(w, c), fact_name), -1)


def _facts_by_party(t: IdTables) -> tuple[tuple[int, ...], ...]:
    return tuple(
        tuple(i for i, (p, _) in enumerate(t.facts) if p == party)
        for party in range(len(t.parties))
    )


def _seat_reader(scope: Scope) -> Callable[[tuple], int]:
    """The acting envoy in this scope, or -1 (the public) where there is none."""
    if scope.names.get("self") != SEAT:
        return lambda c: -1
    slot = scope.slot("self")
    return lambda c: c[slot]


def _revealed(args: list[Node], t: IdTables, scope: Scope) -> Fn:
    fact = _fact_getter(args, t)
    if scope.names.get("self") != SEAT:
        return lambda w, c: w.knows(fact(w, c), -1)
    slot = scope.slot("self")
    return lambda w, c: w.knows(fact(w, c), c[slot])


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

    @property
    def source(self) -> str:
        return f"{self.file}:{self.line}" if self.file else ""


def _targets(node: Node, kind: str, t: IdTables) -> Callable[[Any, tuple], Sequence[int]]:
    """The indices an effect target names: one, or every one for ``all``."""
    if node.is_all:
        if kind == SEAT:
            return lambda w, c: w.seats
        count = len(t.parties)
        return lambda w, c: range(count)
    f = node.fn
    return lambda w, c: (f(w, c),)


def _meter_keys(fn: Function, args: list[Node], t: IdTables) -> Callable[[Any, tuple], list[int]]:
    """Compile the target of a meter effect into the meter keys it touches."""
    name = fn.name
    if fn.params == (PARTY, PARTY):
        a, b = args
        if a.is_all and b.is_all:
            every = list(range(t.relation_count))
            return lambda w, c: every
        if a.is_all or b.is_all:
            one = b if a.is_all else a
            f, by_party = one.fn, t.relations_of_party
            return lambda w, c: by_party[f(w, c)]
        ga, gb, table = a.fn, b.fn, t.relation_of

        def one_relation(w, c):
            index = table[ga(w, c)][gb(w, c)]
            return (index,) if index >= 0 else ()

        return one_relation
    if name == "standing":
        seats, parties, count = (
            _targets(args[0], SEAT, t),
            _targets(args[1], PARTY, t),
            len(t.parties),
        )
        return lambda w, c: [s * count + p for s in seats(w, c) for p in parties(w, c)]
    kind = fn.params[0]
    return _targets(args[0], kind, t)


_ASSIGN = ("+=", "-=", "=")


def compile_effect(
    text: str, tables: IdTables, scope: Scope, notes: Notes | None = None
) -> Callable[[Any, tuple], None]:
    """Compile one effect statement into ``run(world, ctx)``."""
    parser = _Parser(text, tables, scope, notes)
    return parser.run(lambda: _effect(parser))


def _effect(parser: _Parser) -> Callable[[Any, tuple], None]:
    tables, scope = parser.tables, parser.scope
    start = parser.tok
    if start.kind != "name" or parser.tokens[1].text != "(":
        parser.fatal(
            "an effect starts with a function call",
            start.offset,
            "for example: tension(a, b) -= 5, or sign(ceasefire)",
        )
    parser.take()
    fn = FUNCTIONS.get(start.text)
    changeable = [n for n, f in FUNCTIONS.items() if f.meter or f.action]
    if fn is None:
        parser.report(
            f"unknown function '{start.text}'", start.offset, did_you_mean(start.text, changeable)
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
            "effects change: " + ", ".join(changeable),
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
        return _compile_action(fn, args, tables, scope)
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
    keys, amount, meter, mode = _meter_keys(fn, args, tables), value.fn, fn.name, op.text

    def run(w, c):
        delta = amount(w, c)
        for key in keys(w, c):
            current = w.get(meter, key)
            new = delta if mode == "=" else current + delta if mode == "+=" else current - delta
            w.set(meter, key, new)

    return run


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


def _compile_action(
    fn: Function, args: list[Node], t: IdTables, scope: Scope
) -> Callable[[Any, tuple], None]:
    if fn.name == "sign":
        (g,) = _ids(args)
        return lambda w, c: w.sign(g(w, c))
    seat = _seat_reader(scope) if fn.name.startswith("reveal") else (lambda c: -1)
    if fn.name in ("reveal_next", "disclose_next"):
        (g,) = _ids(args)
        by_party = _facts_by_party(t)

        def reveal_next(w, c):
            who = seat(c)
            for fact in by_party[g(w, c)]:
                if not w.knows(fact, who):
                    w.reveal(fact, who)
                    return

        return reveal_next
    fact = _fact_getter(args, t)
    return lambda w, c: w.reveal(fact(w, c), seat(c))


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

    def parse() -> Fn:
        node = parser.expression()
        parser.done()
        parser.need(node, kind, what)
        return node.fn

    return parser.run(parse)
