"""The bargaining maths: utilities, hidden types, acceptance, the frontier, the Nash
package and splitting the difference, as properties over every small accord."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.content.loader import SCENARIO_DIR, load_scenario
from game.content.schema import Text
from game.engine import bargain
from game.engine.model import Accord, Issue, IssueOption

PROFILE = settings(max_examples=150, deadline=None)


def _accord(shape: tuple[int, ...]) -> Accord:
    issues = tuple(
        Issue(
            f"issue{i}",
            Text.of(f"Issue {i}"),
            tuple(IssueOption(f"o{k}", Text.of(f"Option {k}")) for k in range(count)),
        )
        for i, count in enumerate(shape)
    )
    return Accord("deal", Text.of("Deal"), Text.of(""), None, None, (), None, (0, 1), issues)


shapes = st.lists(st.integers(2, 3), min_size=2, max_size=3).map(tuple)
halves = st.integers(-20, 20).map(lambda n: n / 2)  # values on the -10..+10 scale


@st.composite
def sides_of(draw, shape: tuple[int, ...], count: int | None = None):
    """``count`` sides' exact values (2 or 3 if None) for an accord of this shape."""
    result = []
    for _ in range(count or draw(st.integers(2, 3))):
        weights = draw(st.lists(st.integers(0, 10), min_size=len(shape), max_size=len(shape)))
        if not any(weights):
            weights[0] = 1
        values = tuple(tuple(draw(st.lists(halves, min_size=n, max_size=n))) for n in shape)
        total = sum(weights)
        result.append(bargain.Values(tuple(w / total for w in weights), values))
    return result


@st.composite
def bargains(draw):
    shape = draw(shapes)
    sides = draw(sides_of(shape))
    disagreement = [draw(st.integers(-16, 12).map(lambda n: n / 2)) for _ in sides]
    return _accord(shape), sides, disagreement


@PROFILE
@given(data=st.data(), shape=shapes)
def test_a_utility_is_the_weighted_sum_and_within_its_bounds(data, shape):
    (side,) = data.draw(sides_of(shape, 1))
    accord = _accord(shape)
    every = bargain.packages(accord)
    assert len(every) == len(set(every)) == len(list(itertools.product(*map(range, shape))))
    for package in every:
        utility = side.utility(package)
        expected = sum(w * v[c] for w, v, c in zip(side.weights, side.values, package, strict=True))
        assert utility == pytest.approx(expected)
        low = sum(w * min(v) for w, v in zip(side.weights, side.values, strict=True))
        high = sum(w * max(v) for w, v in zip(side.weights, side.values, strict=True))
        assert low - 1e-9 <= utility <= high + 1e-9
        assert -10 - 1e-9 <= utility <= 10 + 1e-9
    assert side.worst(accord) <= side.split() <= side.best(accord)


@PROFILE
@given(case=bargains())
def test_every_frontier_package_is_undominated_and_every_other_is_dominated(case):
    accord, sides, _ = case
    table = {p: [s.utility(p) for s in sides] for p in bargain.packages(accord)}
    front = set(bargain.frontier(accord, sides))
    assert front
    for package, mine in table.items():
        dominated = any(bargain.dominates(other, mine) for other in table.values())
        assert dominated == (package not in front)


@PROFILE
@given(case=bargains())
def test_the_nash_package_is_on_the_frontier_and_has_the_largest_product(case):
    accord, sides, disagreement = case
    package = bargain.nash(accord, sides, disagreement)
    zone = bargain.zone(accord, sides, disagreement)
    assert (package is None) == (not zone)
    if package is None:
        return
    assert package in zone and package in bargain.frontier(accord, sides)
    best = bargain.nash_product([s.utility(package) for s in sides], disagreement)
    for other in zone:
        assert bargain.nash_product([s.utility(other) for s in sides], disagreement) <= best


@PROFILE
@given(data=st.data(), issues=st.integers(2, 3))
def test_the_nash_product_is_at_least_splits_where_split_is_a_package(data, issues):
    # With three options an issue's middle is an option, so split is a package.
    shape = (3,) * issues
    accord, sides = _accord(shape), data.draw(sides_of(shape))
    disagreement = [data.draw(halves) for _ in sides]
    middle = (1,) * issues
    assert [s.split() for s in sides] == [s.utility(middle) for s in sides]
    split = bargain.nash_product([s.split() for s in sides], disagreement)
    package = bargain.nash(accord, sides, disagreement)
    if split is not None:
        assert package is not None
        best = bargain.nash_product([s.utility(package) for s in sides], disagreement)
        assert best >= split
        gains = bargain.log_rolling_gain(accord, sides, disagreement)
        assert gains is not None and all(-1 <= g <= 1 for g in gains)


def test_split_of_an_issue_of_two_options_is_halfway_between_them():
    side = bargain.Values((0.5, 0.5), ((4.0, -2.0), (6.0, 0.0, -6.0)))
    assert side.split() == pytest.approx(0.5 * 1.0 + 0.5 * 0.0)


NUMBERS = load_scenario(SCENARIO_DIR / "tutorial.yaml").unwrap().rules.bargaining
margins = st.floats(-25, 25, allow_nan=False)
trusts = st.integers(0, 100)


@PROFILE
@given(a=margins, b=margins, t=trusts, u=trusts)
def test_acceptance_is_monotone_in_margin_and_trust_and_a_chance(a, b, t, u):
    (low_margin, high_margin), (low_trust, high_trust) = sorted((a, b)), sorted((t, u))
    chance = bargain.acceptance(NUMBERS, low_margin, low_trust)
    assert 0 <= NUMBERS.floor <= chance <= NUMBERS.ceiling <= 1
    assert bargain.acceptance(NUMBERS, high_margin, low_trust) >= chance
    assert bargain.acceptance(NUMBERS, low_margin, high_trust) >= chance


def test_acceptance_is_half_way_at_the_published_midpoint():
    middle = (NUMBERS.floor + NUMBERS.ceiling) / 2
    assert bargain.acceptance(NUMBERS, NUMBERS.midpoint, 0) == pytest.approx(middle)
    shifted = NUMBERS.midpoint - NUMBERS.trust_discount
    assert bargain.acceptance(NUMBERS, shifted, 100) == pytest.approx(middle)


@PROFILE
@given(best=halves, floor=halves, a=st.floats(0, 1), b=st.floats(0, 1))
def test_a_concession_runs_from_best_to_floor_and_boulware_concedes_last(best, floor, a, b):
    best, floor = max(best, floor), min(best, floor)
    early, late = sorted((a, b))
    for exponent in NUMBERS.concession.values():
        target = bargain.concession_target
        assert target(best, floor, 0, exponent) == best
        assert target(best, floor, 1, exponent) == pytest.approx(floor)
        assert target(best, floor, early, exponent) >= target(best, floor, late, exponent) - 1e-9
    hard, normal, easy = (NUMBERS.concession[k] for k in ("hard", "normal", "easy"))
    assert hard < normal < easy
    demands = [bargain.concession_target(best, floor, early, e) for e in (hard, normal, easy)]
    assert demands[0] + 1e-9 >= demands[1] >= demands[2] - 1e-9


CRISES = {
    name: load_scenario(SCENARIO_DIR / f"{name}.yaml").unwrap()
    for name in ("tutorial", "border_incident")
}


@PROFILE
@given(name=st.sampled_from(sorted(CRISES)), seed=st.integers(0, 2**63 - 1))
def test_drawn_types_stay_in_their_ranges_and_depend_only_on_the_seed(name, seed):
    scenario = CRISES[name]
    types = bargain.draw_types(scenario, seed)
    assert types == bargain.draw_types(scenario, seed)
    # Another copy of the same crisis draws the same: only the seed counts.
    again = load_scenario(SCENARIO_DIR / f"{name}.yaml").unwrap()
    assert bargain.draw_types(again, seed) == types
    for party, party_types in zip(scenario.parties, types, strict=True):
        for interest, drawn in zip(party.interests, party_types, strict=True):
            assert (interest is None) == (drawn is None)
            if drawn is None:
                continue
            assert drawn.values.weights == interest.weights
            for ranges, values in zip(interest.values, drawn.values.values, strict=True):
                for (low, high), value in zip(ranges, values, strict=True):
                    assert low <= value <= high
            assert interest.offset[0] <= drawn.offset <= interest.offset[1]


@pytest.mark.parametrize("name", sorted(CRISES))
def test_seeds_draw_different_types_where_ranges_are_declared(name):
    scenario = CRISES[name]
    assert len({bargain.draw_types(scenario, seed) for seed in range(20)}) == 20


@pytest.mark.parametrize("name", sorted(CRISES))
def test_each_converted_accord_has_a_real_conflict_and_a_balanced_deal(name):
    scenario = CRISES[name]
    for index, accord in enumerate(scenario.accords):
        sides = [bargain.expected(scenario.parties[p].interests[index]) for p in accord.signatories]
        assert not bargain.same_ranking(accord, sides)
        # Every side's favourite package differs from the others': something to bargain.
        favourites = {max(bargain.packages(accord), key=s.utility) for s in sides}
        assert len(favourites) == len(sides)
        package = bargain.nash(accord, sides, [s.worst(accord) - 1 for s in sides])
        assert package in bargain.frontier(accord, sides)
