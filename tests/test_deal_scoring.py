"""Scoring interests (NEGOTIATION.md §3): in a crisis with drafts, each envoy scores
its own value of every package signed, a small peace bonus, its BATNA in a
stalemate and a heavy loss in conflict, with nothing multiplied; a crisis without
drafts scores as format 1 always did."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import play_out

from game.content.loader import LIBRARY_DIR, SCENARIO_DIR, load_scenario, load_scenario_bytes
from game.engine import bargain
from game.engine.outcome import deal_values, negotiated, score
from game.engine.rules import new_game
from game.engine.state import CONFLICT, PEACE, STALEMATE, replace
from game.engine.view import player_view

PROFILE = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
packages = st.integers(min_value=0, max_value=26)


def signed_with(state, drafts):
    """The state with every format-2 accord signed at the given packages."""
    signed = tuple(1 if draft else 0 for draft in drafts)
    return replace(state, drafts=drafts, signed=signed)


def package(accord, index: int) -> tuple[int, ...]:
    every = bargain.packages(accord)
    return every[index % len(every)]


@PROFILE
@given(seed=st.integers(0, 2**32), picks=st.lists(packages, min_size=2, max_size=2))
def test_each_envoy_scores_its_own_value_of_the_deals_and_the_outcome(border, seed, picks):
    state, _ = new_game(border, seed)
    drafts = tuple(package(a, p) for a, p in zip(border.accords, picks, strict=True))
    done = signed_with(state, drafts)
    numbers = border.rules.bargaining.scoring
    types = bargain.true_types(state)
    for envoy, spec in enumerate(border.envoys):
        expected_deals = 0.0
        for accord, draft in enumerate(drafts):
            interest = bargain.envoy_interest(border, envoy, accord)
            if interest is None:
                continue
            values = (
                types[spec.party][accord].values if spec.party >= 0 else bargain.expected(interest)
            )
            expected_deals += values.utility(draft)
        peace = score(done, envoy, PEACE)
        assert peace.deals == pytest.approx(numbers.deal_weight * expected_deals, abs=0.01)
        assert peace.shared == numbers.peace_bonus and peace.multiplier == 1.0
        assert peace.total == pytest.approx(
            peace.agenda + peace.standing + peace.shared + peace.deals, abs=0.01
        )
        # A stalemate scores the envoy's BATNA, beside the deals it did sign.
        stalemate = score(done, envoy, STALEMATE)
        assert stalemate.shared == spec.batna and stalemate.deals == peace.deals
        # A war voids every deal and costs everyone the same.
        war = score(done, envoy, CONFLICT)
        assert (war.shared, war.deals) == (numbers.conflict, 0.0)
        # Nothing signed, nothing from deals.
        assert score(state, envoy, STALEMATE).deals == 0.0


def test_a_bad_deal_can_score_less_than_no_deal(border):
    # The peace bonus is small: for each party's envoy, some package of the ceasefire
    # and the commission is worth less, at peace, than a stalemate with nothing signed.
    state, _ = new_game(border, 5)
    for envoy, spec in enumerate(border.envoys):
        if spec.party < 0:
            continue
        no_deal = score(state, envoy, STALEMATE).total
        worst = min(
            score(signed_with(state, (a, b)), envoy, PEACE).total
            for a in bargain.packages(border.accords[0])
            for b in bargain.packages(border.accords[1])
        )
        assert worst < no_deal, spec.id


def test_an_envoy_s_view_scores_its_own_deals_as_the_game_does(border):
    state, _ = new_game(border, 11)
    drafts = tuple(package(a, 7) for a in border.accords)
    done = signed_with(state, drafts)
    for spec in border.envoys:
        envoy = border.envoy_index(spec.id)
        seen = player_view(done, spec.id)
        assert score(seen, envoy, PEACE).deals == score(done, envoy, PEACE).deals
        for accord in range(len(border.accords)):
            if deal_values(done, envoy, accord) is not None:
                assert deal_values(seen, envoy, accord) == deal_values(done, envoy, accord)


@pytest.mark.parametrize("file", ["middle_power_at_sea", "long_peace"])
def test_a_crisis_without_drafts_scores_as_before(file):
    scenario = load_scenario(SCENARIO_DIR / f"{file}.yaml").unwrap()
    state, _ = play_out(scenario, 3, None, [0] * 40)
    assert not negotiated(state)
    rules = scenario.rules
    for envoy in state.turn_order:
        for outcome in (PEACE, STALEMATE, CONFLICT):
            s = score(state, envoy, outcome)
            assert s.deals == 0.0
            assert s.shared == rules.shared_points[outcome]
            assert s.multiplier == rules.multiplier[outcome]
            assert s.total == pytest.approx((s.agenda + s.standing + s.shared) * s.multiplier)


def test_a_crisis_whose_library_gives_no_deal_scoring_scores_as_format_1():
    # A save's copy of a format-2 crisis made before deal scoring existed (its library
    # has no `scoring` under `bargaining`) still loads, and scores by the shared
    # points and multipliers.
    library = (LIBRARY_DIR / "standard.yaml").read_text("utf-8")
    start = library.index("    # How a format-2 crisis scores")
    end = library.index("moves:")
    older = library[:start] + "\n" + library[end:]
    crisis = (SCENARIO_DIR / "border_incident.yaml").read_bytes()
    scenario = load_scenario_bytes(
        crisis,
        "border_incident.yaml",
        libraries={"standard": ("standard.yaml", older.encode())},
    ).unwrap()
    assert scenario.rules.bargaining is not None and scenario.rules.bargaining.scoring is None
    state, _ = new_game(scenario, 2)
    assert not negotiated(state)
    s = score(state, 0, PEACE)
    assert (s.shared, s.multiplier) == (
        scenario.rules.shared_points[PEACE],
        scenario.rules.multiplier[PEACE],
    )
