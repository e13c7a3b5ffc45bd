"""The safe expression language (DESIGN §1.6): what compiles, what runs, what is refused."""

from __future__ import annotations

import re

import pytest

from game.engine.expr import (
    ACCORD,
    FUNCTIONS,
    PARTY,
    SEAT,
    ExprError,
    Scope,
    compile_condition,
    compile_effect,
    compile_number,
)
from game.engine.rules import World, new_game

MOVE = Scope({"self": SEAT, "a": PARTY, "b": PARTY})


@pytest.fixture
def world(lab):
    state, _ = new_game(lab, seed=1)
    return World(state)


def number(lab, text, world, ctx=(0, 0, 1), scope=MOVE):
    return compile_number(text, lab.tables, scope)(world, ctx)


def test_arithmetic_comparisons_and_logic(lab, world):
    assert number(lab, "1 + 2 * 3 - 4 / 2", world) == 5
    assert number(lab, "-(2 + 3) * 2", world) == -10
    assert number(lab, "min(3, 1, 2) + max(4, 9) + abs(0 - 2)", world) == 12
    assert number(lab, "7 / 0", world) == 0  # never a crash in class
    cond = compile_condition(
        "tension(a, b) >= 50 and not trust(a, b) < 50 or false", lab.tables, MOVE
    )
    assert cond(world, (0, 0, 1)) is True


def test_meters_read_through_scope_names_and_declared_ids(lab, world):
    assert number(lab, "tension(alpha, beta)", world) == 50
    assert number(lab, "tension(b, a)", world) == 50
    assert number(lab, "standing(self, gamma)", world) == lab.rules.standing_default
    assert number(lab, "turn() + turns_left()", world) == 5


def test_effects_change_meters_and_all_names_every_relation_of_a_party(lab, world):
    compile_effect("tension(beta, all) += 7", lab.tables, MOVE)(world, (0, 0, 1))
    assert world.tension == [57, 27]
    compile_effect("trust(a, b) = 200", lab.tables, MOVE)(world, (0, 0, 1))
    assert world.trust[0] == 100  # clamped to the meter's range
    compile_effect("standing(all, alpha) -= 5", lab.tables, MOVE)(world, (0, 0, 1))
    assert world.standing[0] == world.standing[3] == 45


@pytest.mark.parametrize(
    ("text", "message", "hint", "offset"),
    [
        ("tension(alpha, betta) > 3", "unknown party 'betta'", "did you mean 'beta'?", 15),
        ("tenson(a, b) > 3", "unknown function 'tenson'", "did you mean 'tension'?", 0),
        ("tension.real", "unexpected character '.'", "no attribute access", 7),
        ("__import__(os)", "unknown function '__import__'", "", 0),
        ("open('x')", "unexpected character", "without quotes", 5),
        ("tension(a, b) > 3 &&", "", "write 'and'", 18),
        ("trust(a, b)", "'a condition' needs true or false", "compare it", 0),
        ("tension(alpha, gamma) > 1", "no relation between 'alpha' and 'gamma'", "", 8),
        ("signed(alpha)", "unknown accord 'alpha'", "", 7),
        ("chance(0.5)", "chance() rolls dice", "give a move a 'chance:'", 0),
        ("revealed(alpha, plot)", "unknown hidden fact 'plot'", "expected one of: broke, plan", 16),
        ("revealed(beta, plan)", "party 'beta' has no hidden fact 'plan'", "declare it", 15),
        ("tension(a) > 1", "tension() takes 2 arguments, not 1", "for example", 0),
        ("self > 1", "'self' is an id, not a value", "", 0),
    ],
)
def test_bad_conditions_are_refused_with_position_and_hint(lab, text, message, hint, offset):
    with pytest.raises(ExprError) as caught:
        compile_condition(text, lab.tables, MOVE)
    error = caught.value
    assert message in error.message
    assert hint in error.hint
    assert error.offset == offset


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("turn() += 1", "turn() cannot be changed by an effect"),
        ("tension(a, b) > 3", "what should happen to tension()?"),
        ("tension(a, b) += true", "needs a number"),
        ("sign(all)", "'all' can only name the target of a meter"),
        ("1 + 1", "an effect starts with a function call"),
        ("explode(a)", "unknown function 'explode'"),
    ],
)
def test_bad_effects_are_refused(lab, text, message):
    with pytest.raises(ExprError, match=message.replace("(", r"\(").replace(")", r"\)")):
        compile_effect(text, lab.tables, MOVE)


def test_chance_is_allowed_where_the_engine_rolls_on_purpose(lab, world):
    rolls = compile_condition("chance(0.5)", lab.tables, Scope(allow_random=True))
    results = {rolls(world, ()) for _ in range(50)}
    assert results == {True, False}


def test_accord_scope_names_an_accord(lab, world):
    scope = Scope({"self": SEAT, "target": ACCORD})
    assert compile_number("accord_odds(target)", lab.tables, scope)(world, (0, 0)) == 0


def test_every_function_has_a_doc_and_a_working_example(lab):
    for fn in FUNCTIONS.values():
        assert fn.doc and fn.example, fn.name
    assert {"tension", "trust", "standing", "turn", "signed", "revealed", "chance"} <= set(
        FUNCTIONS
    )


def test_no_eval_or_exec_in_the_engine_or_the_loader():
    from pathlib import Path

    import game

    root = Path(game.__file__).parent
    for path in [*root.glob("engine/*.py"), *root.glob("content/*.py")]:
        text = path.read_text()
        for pattern in (
            r"(?<![\w.])eval\(",
            r"(?<![\w.])exec\(",
            r"(?<![\w.])(?<!def )compile\(",
            r"__import__\(",
            r"yaml\.load\(",
            r"unsafe_load",
            r"\bpickle\b",
        ):
            assert not re.search(pattern, text), f"{path.name} matches {pattern}"
