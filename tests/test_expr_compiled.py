"""The compiled expressions against a plain interpreter, and the function registry.

Every expression is compiled to one generated Python function. These tests build
random well-typed expressions as small trees, write them out in the scenario
language, compile them, and check the compiled function gives what a
straightforward interpreter of the same tree gives, on random worlds.
"""

from __future__ import annotations

import types

import pytest
from conftest import compile_dict, lab_dict
from hypothesis import given, settings
from hypothesis import strategies as st

from game.content import docs
from game.engine import expr, meters
from game.engine.expr import NUMBER, PARTY, SEAT, ExprError, Scope
from game.engine.rules import World, new_game

LAB = compile_dict(lab_dict())
T = LAB.tables
MOVE = Scope({"self": SEAT, "a": PARTY, "b": PARTY})
PARTIES = len(T.parties)
FIELD = {m.name: m.field for m in meters.METERS}

# ------------------------------------------------------------------ the trees
# A tree is a tuple: ("num", v), ("bool", b), ("call", name, args...), ("neg", x),
# (op, left, right) for + - * / and the comparisons, ("and"|"or", l, r), ("not", x).
# Ids are ("id", kind, name); a scope name stands for the context's index.

party_ids = st.sampled_from(["alpha", "beta", "gamma", "a", "b"])
relation_pairs = st.sampled_from(
    [("alpha", "beta"), ("beta", "gamma"), ("gamma", "beta"), ("a", "b"), ("b", "a"), ("a", "beta")]
)
seat_ids = st.sampled_from(["one", "two", "self"])
numbers_leaf = st.one_of(
    st.integers(0, 120).map(lambda v: ("num", v)),
    st.integers(0, 800).map(lambda v: ("num", v / 8)),  # floats the language writes exactly
    relation_pairs.flatmap(
        lambda pair: st.sampled_from(["tension", "trust", "pressure", "hotline"]).map(
            lambda meter: ("call", meter, ("id", PARTY, pair[0]), ("id", PARTY, pair[1]))
        )
    ),
    st.tuples(seat_ids, party_ids).map(
        lambda sp: ("call", "standing", ("id", SEAT, sp[0]), ("id", PARTY, sp[1]))
    ),
    seat_ids.map(lambda s: ("call", "capital", ("id", SEAT, s))),
    st.tuples(st.sampled_from(["posture", "resolve", "secrets"]), party_ids).map(
        lambda mp: ("call", mp[0], ("id", PARTY, mp[1]))
    ),
    st.sampled_from(["fails", "ticks"]).map(lambda c: ("call", "counter", ("id", "counter", c))),
    st.sampled_from(["turn", "turns_left", "max_tension", "min_trust"]).map(lambda f: ("call", f)),
    st.just(("call", "accord_odds", ("id", "accord", "pact"))),
)
bools_leaf = st.one_of(
    st.booleans().map(lambda b: ("bool", b)),
    st.just(("call", "signed", ("id", "accord", "pact"))),
    st.tuples(st.sampled_from(["alpha", "a"]), st.sampled_from(["plan", "broke"])).map(
        lambda pf: ("call", "revealed", ("id", PARTY, pf[0]), ("id", "fact", pf[1]))
    ),
    st.tuples(seat_ids, party_ids).map(
        lambda sp: ("call", "represents", ("id", SEAT, sp[0]), ("id", PARTY, sp[1]))
    ),
    seat_ids.map(lambda s: ("call", "playing", ("id", SEAT, s))),
)


def _numbers(inner):
    return st.one_of(
        st.tuples(st.sampled_from(["+", "-", "*", "/"]), inner, inner),
        inner.map(lambda x: ("neg", x)),
        st.lists(inner, min_size=2, max_size=3).flatmap(
            lambda xs: st.sampled_from(["min", "max"]).map(lambda f: ("call", f, *xs))
        ),
        inner.map(lambda x: ("call", "abs", x)),
    )


numbers = st.recursive(numbers_leaf, _numbers, max_leaves=8)
comparisons = st.tuples(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), numbers, numbers)


def _bools(inner):
    return st.one_of(
        st.tuples(st.sampled_from(["and", "or"]), inner, inner),
        inner.map(lambda x: ("not", x)),
    )


bools = st.recursive(st.one_of(bools_leaf, comparisons), _bools, max_leaves=6)


def text(tree) -> str:
    """The tree written in the scenario language, every operation in parentheses."""
    head = tree[0]
    if head == "num":
        return repr(tree[1])
    if head == "bool":
        return "true" if tree[1] else "false"
    if head == "id":
        return tree[2]
    if head == "call":
        return f"{tree[1]}({', '.join(text(a) for a in tree[2:])})"
    if head == "neg":
        return f"(-{text(tree[1])})"
    if head == "not":
        return f"(not {text(tree[1])})"
    return f"({text(tree[1])} {head} {text(tree[2])})"


# ------------------------------------------------------- the plain interpreter

SLOTS = {"self": 0, "a": 1, "b": 2}


def index(node, ctx) -> int:
    _, kind, name = node
    if name in SLOTS:
        return ctx[SLOTS[name]]
    return T.names(kind).index(name)


def fact(party: int, name: str) -> int:
    return next((i for i, (p, f) in enumerate(T.facts) if p == party and f == name), -1)


def envoy_of(ctx) -> int:
    return ctx[0]


def call(name, args, w, ctx):
    if name in ("tension", "trust", "pressure", "hotline"):
        relation = T.relation_of[index(args[0], ctx)][index(args[1], ctx)]
        return getattr(w, FIELD[name])[relation] if relation >= 0 else 0
    if name == "standing":
        return w.standing[index(args[0], ctx) * PARTIES + index(args[1], ctx)]
    if name in ("capital", "posture", "resolve", "counter"):
        return getattr(w, FIELD[name])[index(args[0], ctx)]
    if name == "turn":
        return w.turn
    if name == "turns_left":
        return w.last_turn - w.turn
    if name == "max_tension":
        return max(w.tension, default=0)
    if name == "min_trust":
        return min(w.trust, default=0)
    if name == "accord_odds":
        return w.scenario.accord_odds(w, index(args[0], ctx))
    if name == "signed":
        return w.signed[index(args[0], ctx)] > 0
    if name == "revealed":
        return w.knows(fact(index(args[0], ctx), args[1][2]), envoy_of(ctx))
    if name == "secrets":
        party = index(args[0], ctx)
        mine = [i for i, (p, _) in enumerate(T.facts) if p == party]
        return sum(1 for f in mine if not w.knows(f, envoy_of(ctx)))
    if name == "represents":
        return w.scenario.envoy_party[index(args[0], ctx)] == index(args[1], ctx)
    if name == "playing":
        return index(args[0], ctx) in w.turn_order
    values = [evaluate(a, w, ctx) for a in args]
    return {"min": min, "max": max, "abs": abs}[name](*values)


def evaluate(tree, w, ctx):
    head = tree[0]
    if head in ("num", "bool"):
        return tree[1]
    if head == "call":
        return call(tree[1], tree[2:], w, ctx)
    if head == "neg":
        return -evaluate(tree[1], w, ctx)
    if head == "not":
        return not evaluate(tree[1], w, ctx)
    if head == "and":
        return evaluate(tree[1], w, ctx) and evaluate(tree[2], w, ctx)
    if head == "or":
        return evaluate(tree[1], w, ctx) or evaluate(tree[2], w, ctx)
    left, right = evaluate(tree[1], w, ctx), evaluate(tree[2], w, ctx)
    if head == "/":
        return left / right if right else 0
    ops = {
        "+": lambda x, y: x + y,
        "-": lambda x, y: x - y,
        "*": lambda x, y: x * y,
        "<": lambda x, y: x < y,
        "<=": lambda x, y: x <= y,
        ">": lambda x, y: x > y,
        ">=": lambda x, y: x >= y,
        "==": lambda x, y: x == y,
        "!=": lambda x, y: x != y,
    }
    return ops[head](left, right)


# ------------------------------------------------------------------ the worlds

meter_values = st.integers(0, 100)


@st.composite
def worlds(draw):
    state, _ = new_game(LAB, seed=draw(st.integers(0, 2**16)))
    w = World(state, record=False)
    w.turn = draw(st.integers(1, 5))
    for name in ("tension", "trust", "pressure", "hotline", "standing", "posture", "resolve"):
        values = getattr(w, name)
        values[:] = draw(st.lists(meter_values, min_size=len(values), max_size=len(values)))
    w.capital[:] = draw(st.lists(st.integers(-2, 9), min_size=2, max_size=2))
    w.counters[:] = draw(st.lists(st.integers(-5, 5), min_size=2, max_size=2))
    w.signed[:] = [draw(st.sampled_from([0, 0, 2]))]
    w.revealed = set(draw(st.sets(st.tuples(st.integers(0, 1), st.integers(-1, 1)))))
    return w


contexts = st.tuples(st.integers(0, 1), st.integers(0, 2), st.integers(0, 2))


def reaches(code: types.CodeType) -> set:
    """Every name and constant a compiled function can reach, nested code included."""
    found = set(code.co_names)
    for const in code.co_consts:
        found |= reaches(const) if isinstance(const, types.CodeType) else {const}
    return found


SCENARIO_WORDS = {*T.parties, *T.envoys, *T.accords, *T.counters, *(f for _, f in T.facts)}


@settings(max_examples=300, deadline=None)
@given(tree=st.one_of(bools, numbers), world=worlds(), ctx=contexts)
def test_compiled_expressions_agree_with_a_plain_interpreter(tree, world, ctx):
    written = text(tree)
    compile_ = expr.compile_condition if _is_bool(tree) else expr.compile_number
    try:
        fn = compile_(written, T, MOVE)
    except ExprError as error:
        # The only refusal a well-typed tree can meet: a relation the lab lacks.
        assert "no relation" in error.message, written
        return
    expected = evaluate(tree, world, ctx)
    got = fn(world, ctx)
    assert got == expected and type(got) is type(expected), written
    # No word of the scenario reached the generated code: ids are indices there.
    assert not reaches(fn.__code__) & SCENARIO_WORDS


@settings(max_examples=200, deadline=None)
@given(
    tree=bools,
    world=worlds(),
    candidates=st.lists(st.tuples(contexts, st.booleans()), max_size=6),
)
def test_a_selector_picks_what_asking_each_candidate_picks(tree, world, candidates):
    """The one-loop selector legal_actions uses answers as the condition asked
    candidate by candidate: the same actions in the same order, and the same
    exception when a candidate cannot be asked."""
    try:
        condition = expr.compile_condition(text(tree), T, MOVE)
    except ExprError:
        return  # a relation the lab lacks (see above)
    asked = [(ctx, f"action {i}", holds) for i, (ctx, holds) in enumerate(candidates)]
    select = expr.selector(condition)
    assert expr.selector(condition) is select  # made once per condition
    for w in (world, None):  # None: a world that refuses to be read
        try:
            expected = [a for c, a, h in asked if h or condition(w, c)]
        except Exception as error:
            with pytest.raises(type(error)):
                select(w, asked)
        else:
            assert select(w, asked) == expected


def test_a_selector_of_a_plain_function_asks_it_target_by_target():
    asked = [((0, 1), "a", False), ((0, 2), "b", True), ((0, 3), "c", False)]
    select = expr.selector(lambda w, c: c[1] == 3)
    assert select(None, asked) == ["b", "c"]


def _is_bool(tree) -> bool:
    head = tree[0]
    if head in ("bool", "and", "or", "not", "<", "<=", ">", ">=", "==", "!="):
        return True
    return head == "call" and expr.FUNCTIONS[tree[1]].returns == expr.BOOL


# --------------------------------------------------------------------- effects

targets = {
    "relation": st.tuples(
        st.sampled_from(["alpha", "beta", "gamma", "a", "b", "all"]),
        st.sampled_from(["alpha", "beta", "gamma", "a", "b", "all"]),
    ),
    "standing": st.tuples(
        st.sampled_from(["one", "two", "self", "all"]),
        st.sampled_from(["alpha", "beta", "a", "all"]),
    ),
    "envoy": st.tuples(st.sampled_from(["one", "two", "self", "all"])),
    "party": st.tuples(st.sampled_from(["alpha", "gamma", "b", "all"])),
    "counter": st.tuples(st.sampled_from(["fails", "ticks"])),
}
effects = st.sampled_from(meters.METERS).flatmap(
    lambda m: st.tuples(st.just(m), targets[m.subject], st.sampled_from(["+=", "-=", "="]), numbers)
)
KIND = {
    "relation": (PARTY, PARTY),
    "standing": (SEAT, PARTY),
    "envoy": (SEAT,),
    "party": (PARTY,),
    "counter": ("counter",),
}


def keys(meter, names, w, ctx) -> list[int]:
    """The meter keys an effect's target names, in the order the rules change them."""
    kinds = KIND[meter.subject]
    ids = [
        None if n == "all" else index(("id", k, n), ctx) for k, n in zip(kinds, names, strict=True)
    ]
    if meter.subject == "relation":
        a, b = ids
        if a is None and b is None:
            return list(range(T.relation_count))
        if a is None or b is None:
            return list(T.relations_of_party[b if a is None else a])
        return [T.relation_of[a][b]] if T.relation_of[a][b] >= 0 else []
    if meter.subject == "standing":
        envoys = list(w.turn_order) if ids[0] is None else [ids[0]]
        parties = range(PARTIES) if ids[1] is None else [ids[1]]
        return [s * PARTIES + p for s in envoys for p in parties]
    if ids[0] is None:
        return list(w.turn_order) if meter.subject == "envoy" else list(range(PARTIES))
    return ids


@settings(max_examples=300, deadline=None)
@given(effect=effects, world=worlds(), ctx=contexts)
def test_compiled_effects_agree_with_a_plain_interpreter(effect, world, ctx):
    meter, names, mode, amount = effect
    written = f"{meter.name}({', '.join(names)}) {mode} {text(amount)}"
    try:
        run = expr.compile_effect(written, T, MOVE)
    except ExprError as error:
        assert "no relation" in error.message, written
        return
    reference = World(world.state, record=False)
    for m in meters.METERS:
        getattr(reference, m.field)[:] = getattr(world, m.field)
    reference.turn, reference.revealed, reference.signed = world.turn, world.revealed, world.signed
    delta = evaluate(amount, reference, ctx)
    for key in keys(meter, names, reference, ctx):
        old = reference.get(meter.name, key)
        new = delta if mode == "=" else old + delta if mode == "+=" else old - delta
        reference.set(meter.name, key, new)
    run(world, ctx)
    for m in meters.METERS:
        assert getattr(world, m.field) == getattr(reference, m.field), written


actions = st.one_of(
    st.tuples(
        st.sampled_from(["reveal", "disclose"]),
        st.sampled_from(["alpha", "a"]),
        st.sampled_from(["plan", "broke"]),
    ),
    st.tuples(st.sampled_from(["reveal_next", "disclose_next"]), party_ids),
    st.just(("sign", "pact")),
)


@settings(max_examples=200, deadline=None)
@given(action=actions, world=worlds(), ctx=contexts)
def test_compiled_actions_agree_with_a_plain_interpreter(action, world, ctx):
    name, *names = action
    run = expr.compile_effect(f"{name}({', '.join(names)})", T, MOVE)
    reference = World(world.state, record=False)
    reference.revealed, reference.signed = set(world.revealed), list(world.signed)
    reference.turn = world.turn
    # the acting envoy learns, outside a move or with disclose everyone does
    envoy = -1 if name.startswith("disclose") else envoy_of(ctx)
    if name == "sign":
        reference.sign(0)
    elif name.endswith("_next"):
        party = index(("id", PARTY, names[0]), ctx)
        mine = [i for i, (p, _) in enumerate(T.facts) if p == party]
        unknown = [f for f in mine if not reference.knows(f, envoy)]
        if unknown:
            reference.reveal(unknown[0], envoy)
    else:
        reference.reveal(fact(index(("id", PARTY, names[0]), ctx), names[1]), envoy)
    run(world, ctx)
    assert world.revealed == reference.revealed and world.signed == reference.signed


# -------------------------------------------------------------------- registry


def test_registering_a_function_is_all_it_takes(monkeypatch):
    monkeypatch.setattr(expr, "FUNCTIONS", dict(expr.FUNCTIONS))

    @expr.function(
        "double", (NUMBER,), NUMBER, "Twice a number.", example="double(trust(a, b)) > 90"
    )
    def _double(code, args):
        return f"(2 * {args[0].code})"

    state, _ = new_game(LAB, seed=1)
    # the parser and the compiler
    assert expr.compile_number("double(tension(alpha, beta)) + 1", T, MOVE)(state, (0, 0, 1)) == 101
    # the checker: its arity, its argument's type, and the hints that name it
    with pytest.raises(ExprError, match=r"double\(\) takes 1 argument, not 2"):
        expr.compile_number("double(1, 2)", T, MOVE)
    with pytest.raises(ExprError, match="needs a number"):
        expr.compile_number("double(true)", T, MOVE)
    with pytest.raises(ExprError) as caught:
        expr.compile_number("doubel(2)", T, MOVE)
    assert caught.value.hint == "did you mean 'double'?"
    with pytest.raises(ExprError, match=r"double\(\) cannot be changed by an effect"):
        expr.compile_effect("double(2) += 1", T, MOVE)

    # an action, which is a statement of its own
    @expr.function(
        "disclose_all",
        (PARTY,),
        NUMBER,
        "Every secret of a party, to all.",
        example="x",
        action=True,
    )
    def _disclose_all(code, args):
        fact = code.temp()
        return [
            f"for {fact} in {code.facts_by_party()}[{args[0].code}]:",
            f"    w.reveal({fact}, -1)",
        ]

    world = World(state)
    expr.compile_effect("disclose_all(a)", T, MOVE)(world, (0, 0, 1))
    assert world.revealed == {(0, -1), (1, -1)}
    with pytest.raises(ExprError, match=r"disclose_all\(\) is an effect, not a value"):
        expr.compile_condition("disclose_all(a) > 0", T, MOVE)
    # the modding reference
    reference = docs.functions_section()
    assert (
        "| `double(number)` | number | Twice a number. | `double(trust(a, b)) > 90` |" in reference
    )
    assert (
        "| `disclose_all(party)` | (an effect) | Every secret of a party, to all. | `x` |"
        in reference
    )


def test_a_function_cannot_be_registered_twice(monkeypatch):
    monkeypatch.setattr(expr, "FUNCTIONS", dict(expr.FUNCTIONS))
    with pytest.raises(ValueError, match=r"turn\(\) is registered twice"):
        expr.function("turn", (), NUMBER, "Again.", example="turn()")(lambda code, args: "0")
    assert expr.FUNCTIONS["turn"].doc == "The current turn, from 1."


def test_the_meter_functions_are_the_meter_table():
    readable = [f for f in expr.FUNCTIONS.values() if f.meter]
    assert [f.name for f in readable] == [m.name for m in meters.METERS]
    for fn, meter in zip(readable, meters.METERS, strict=True):
        assert fn.doc == meter.description and fn.example == meter.example
        assert len(fn.params) == meters.SUBJECT_IDS[meter.subject]


@pytest.mark.parametrize(
    "source",
    [
        "def expression(w, c):\n    return open\n",
        "def expression(w, c):\n    return w.__class__\n",
        "def expression(w, c):\n    return 'alpha'\n",
        "def expression(w, c):\n    import os\n",
    ],
)
def test_generated_code_that_reaches_further_than_the_templates_is_refused(source):
    expr._code_object.cache_clear()
    with pytest.raises(AssertionError, match="generated code"):
        expr._code_object(source)


def test_loading_a_crisis_compiles_nothing_until_an_expression_runs():
    state, _ = new_game(LAB, seed=1)
    expr._code_object.cache_clear()
    compile_dict(lab_dict())
    later = expr.compile_condition("turn() > 3 and signed(pact)", T, MOVE)
    assert expr._code_object.cache_info().currsize == 0  # listing or validating is cheap
    assert later(state, (0, 0, 1)) is False
    assert later(state, (0, 0, 1)) is False
    # compiled once, at the first call, and kept
    info = expr._code_object.cache_info()
    assert (info.currsize, info.hits) == (1, 0)
