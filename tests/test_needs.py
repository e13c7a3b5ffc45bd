"""A move that cannot be played says what it needs, and what it says is what the rules do.

Each move's ``requires`` and each accord's conditions are described at load as
needs (a reading, a comparison, a number). The properties below check, over
every built-in crisis, that a description either phrases or falls back without
raising, and that on random states all its needs hold exactly when the compiled
condition does.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.content.loader import SCENARIO_DIR, load_scenario
from game.engine import expr
from game.engine.actions import Play, Reason
from game.engine.expr import ACCORD, PARTY, SEAT, Scope
from game.engine.rules import new_game, problem
from game.engine.state import replace
from game.engine.view import player_view
from game.session import narrate

CRISES = sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))
SCENARIOS = {name: load_scenario(SCENARIO_DIR / f"{name}.yaml").unwrap() for name in CRISES}
PROFILE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: Values at and around the crises' thresholds, so that needs flip often.
NEAR = (0, 1, 3, 5, 24, 25, 34, 35, 39, 40, 44, 45, 49, 50, 54, 55, 59, 60, 61, 64, 65, 100)


def random_state(scenario, seed: int):
    """A state of the crisis with every meter, signature and counter drawn at random."""
    pick = random.Random(seed)
    state, _ = new_game(scenario, seed, [e.id for e in scenario.envoys])

    def draw(values):
        return tuple(pick.choice(NEAR) for _ in values)

    return replace(
        state,
        tension=draw(state.tension),
        trust=draw(state.trust),
        resolve=draw(state.resolve),
        posture=draw(state.posture),
        standing=draw(state.standing),
        hotline=tuple(pick.choice((0, 0, 1, 3)) for _ in state.hotline),
        counters=tuple(pick.randrange(7) for _ in state.counters),
        signed=tuple(pick.choice((0, 0, 2)) for _ in state.signed),
    )


def contexts(scenario, move):
    """Every (self, targets...) a move's expressions may be run with."""
    t = scenario.tables
    for envoy in range(len(t.envoys)):
        if move.target == "none":
            yield (envoy,)
        elif move.target == "party":
            yield from ((envoy, p) for p in range(len(t.parties)))
        elif move.target == "accord":
            yield from ((envoy, a) for a in range(len(t.accords)))
        else:
            for a, row in enumerate(t.relation_of):
                yield from ((envoy, a, b) for b, r in enumerate(row) if r >= 0)


@pytest.mark.parametrize("name", CRISES)
@PROFILE
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_the_needs_hold_exactly_when_the_requirement_does(name, seed):
    scenario = SCENARIOS[name]
    state = random_state(scenario, seed)
    for accord in scenario.accords:
        if accord.needs is not None:
            assert all(n.holds(state, ()) for n in accord.needs) == bool(
                accord.requires(state, ())
            ), accord.id
    for move in scenario.moves:
        if move.needs is None:
            continue
        for ctx in contexts(scenario, move):
            said = all(n.holds(state, ctx) for n in move.needs)
            assert said == bool(move.requires(state, ctx)), (move.id, ctx)


@pytest.mark.parametrize("name", CRISES)
@PROFILE
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_every_need_phrases_or_falls_back_and_never_raises(name, seed):
    scenario = SCENARIOS[name]
    state = random_state(scenario, seed)
    for envoy in scenario.envoys:
        view = player_view(state, envoy.id)
        for accord in scenario.accords:
            words = narrate.needs_words(scenario, accord.needs, view, (), "en")
            assert words is None or all(w.text for w in words)
        for move in scenario.moves:
            for ctx in [(view.viewer,), *contexts(scenario, move)]:
                if ctx[0] != view.viewer:
                    continue
                words = narrate.needs_words(scenario, move.needs, view, ctx, "en")
                assert (words is None) == (move.needs is None)
                assert words is None or all(w.text for w in words)


def test_every_crisis_describes_its_accords_and_most_moves():
    for scenario in SCENARIOS.values():
        assert all(a.needs is not None for a in scenario.accords)
        described = [m for m in scenario.moves if m.needs is not None]
        assert len(described) >= len(scenario.moves) - 1


def test_lift_sanctions_needs_a_target_below_45_resolve_not_your_own_party():
    scenario = SCENARIOS["border_incident"]
    lift = next(m for m in scenario.moves if m.id == "lift_sanctions")
    assert [(n.kind, n.function, n.number) for n in lift.needs] == [
        ("below", "resolve", 45),
        ("is_not", "represents", None),
    ]
    state, _ = new_game(scenario, 1, [e.id for e in scenario.envoys])
    view = player_view(state, "un_envoy")
    norland = scenario.tables.parties.index("norland")
    words = narrate.needs_words(scenario, lift.needs, view, (view.viewer, norland), "en")
    resolve = view.resolve[norland]
    met = ", met" if resolve < 45 else ""
    assert words[0].said() == f"Norland's resolve below 45 (now {resolve}{met})"
    assert words[0].holds == (resolve < 45)
    assert (words[1].said(), words[1].holds) == ("not your own party (met)", True)
    anyone = narrate.needs_words(scenario, lift.needs, view, (view.viewer,), "en")
    values = ", ".join(
        f"{p.name.get('en')} {view.resolve[i]}" for i, p in enumerate(scenario.parties)
    )
    assert narrate.needs_line(anyone, short=True) == (
        f"Needs, for any target: resolve below 45 (now {values}), not your own party"
    )


def test_an_accord_proposal_needs_the_accords_own_conditions():
    scenario = SCENARIOS["border_incident"]
    propose = next(m for m in scenario.moves if m.id == "propose_accord")
    state, _ = new_game(scenario, 1, [e.id for e in scenario.envoys])
    view = player_view(state, "un_envoy")
    words = narrate.needs_words(scenario, propose.needs, view, (view.viewer, 0), "en")
    tension, trust = view.tension[0], view.trust[0]
    calm, trusting = ", met" * (tension <= 65), ", met" * (trust >= 40)
    assert words[0].said() == (
        "Osk River Ceasefire's conditions: tension Norland–Sudmark at most 65 "
        f"(now {tension}{calm}), trust Norland–Sudmark at least 40 (now {trust}{trusting})"
    )
    signed = player_view(replace(state, signed=(3, 0)), "un_envoy")
    words = narrate.needs_words(scenario, propose.needs, signed, (view.viewer, 0), "en")
    assert [(w.text, w.holds) for w in words] == [("Osk River Ceasefire not signed yet", False)]


@pytest.mark.parametrize(
    "text",
    [
        "tension(a, b) + 1 < 5",  # arithmetic
        "tension(a, b) < 5 or trust(a, b) > 5",  # a choice
        "not (tension(a, b) < 5 and trust(a, b) > 5)",
        "tension(a, b) < trust(a, b)",  # two readings
        "min(standing(self, a), standing(self, b)) >= 40",
        "tension(a, b) <",  # does not compile
    ],
)
def test_shapes_without_words_have_no_needs(text):
    tables = SCENARIOS["border_incident"].tables
    scope = Scope({"self": SEAT, "a": PARTY, "b": PARTY})
    assert expr.describe_condition(text, tables, scope) is None


def test_a_constant_on_the_left_is_read_from_the_reading():
    tables = SCENARIOS["border_incident"].tables
    needs = expr.describe_condition("45 > resolve(target)", tables, Scope({"target": PARTY}))
    assert [(n.kind, n.function, n.number) for n in needs] == [("below", "resolve", 45)]
    signed = expr.describe_condition("signed(ceasefire)", tables, Scope({"target": ACCORD}))
    assert [(n.kind, n.refs[0].name) for n in signed] == [("is", "ceasefire")]


def test_a_move_without_words_keeps_the_old_sentence():
    scenario = SCENARIOS["border_incident"]
    offices = next(m for m in scenario.moves if m.id == "good_offices")
    assert offices.needs is None
    state, _ = new_game(scenario, 1, [e.id for e in scenario.envoys])
    view = player_view(replace(state, standing=(0,) * len(state.standing)), "un_envoy")
    found = problem(view, Play("un_envoy", "good_offices", ("norland", "sudmark")))
    assert found is not None and found.reason is Reason.REQUIREMENTS
    said = narrate.unavailable(scenario, "good_offices", found, "en", view)
    assert said == "Not possible on any target now: its requirements are not met"
