"""After a proposal (NEGOTIATION.md §1, §5): a refused text is not proposed again
unchanged, and a signed deal worth less than no deal to a signing party is refused
ratification or broken, less often under monitors."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_drafts import ceasefire_ready, end_turn_of_all

from game.engine import bargain, ledger
from game.engine.actions import Play, Reason
from game.engine.model import Compliance
from game.engine.rules import apply, legal_actions, preview, problem
from game.engine.state import replace, to_dict
from game.session import narrate

PROFILE = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
NUMBERS = Compliance(midpoint=1.0, spread=0.75, ceiling=0.6, tension=8, trust=10, standing=6)


def ceasefire(border) -> int:
    return border.tables.accords.index("ceasefire")


def with_rolls(state, win: bool):
    """The same state with dice that make the next proposal's roll succeed or fail:
    the first seed of the dice, counted from 0, whose first roll is under or over the odds."""
    from game.engine import rng

    index = ceasefire(state.scenario)
    odds = bargain.draft_odds(state.scenario, state, index, bargain.true_types(state))
    for seed in range(10_000):
        roll, _ = rng.random(rng.seed_state(seed))
        if (roll < odds) == win:
            return replace(state, rng=rng.seed_state(seed))
    raise AssertionError("no dice found")


# ------------------------------------------------------------------ refusal


def test_a_refused_draft_cannot_be_proposed_again_until_it_is_amended(border):
    state = with_rolls(ceasefire_ready(border), win=False)
    after, entries = end_turn_of_all(state, {"un_envoy", "norland_fm"})
    index = ceasefire(border)
    assert not after.signed[index]
    assert after.refused == ((index, state.drafts[index]),)
    (note,) = [e for e in entries if e.note == ledger.DRAFT_REFUSED]
    assert "cannot be proposed again" in narrate.note(border, note)
    while after.phase != "diplomacy":
        after, _ = apply(after, legal_actions(after, border.envoys[after.acting].id)[0])
    envoy = border.envoys[after.acting].id
    proposal = Play(envoy, "propose_accord", ("ceasefire",))
    assert proposal not in legal_actions(after, envoy)
    refusal = problem(after, proposal)
    assert refusal.reason is Reason.DRAFT_REFUSED and refusal.reason.about_target
    assert "amend the draft" in narrate.problem(border, refusal)
    assert border.accord_odds(after, index) == 0.0
    # Any amendment makes it another text, which may be proposed.
    amend = next(a for a in legal_actions(after, envoy) if type(a).__name__ == "Amend")
    amended, _ = apply(after, amend)
    if amend.accord == "ceasefire" and border.accord_odds(amended, index) > 0:
        assert proposal in legal_actions(amended, envoy)


def test_a_preview_of_a_proposal_that_fails_shows_the_text_refused(border):
    state = ceasefire_ready(border)
    envoy = border.envoys[state.acting].id
    seen = preview(state, Play(envoy, "propose_accord", ("ceasefire",)))
    index = ceasefire(border)
    assert seen.failure.refused == ((index, state.drafts[index]),)
    assert seen.success.refused == ()


def test_a_game_that_refused_nothing_writes_no_refusals_in_its_canonical_form(border):
    assert "refused" not in to_dict(ceasefire_ready(border))


# --------------------------------------------------------------- compliance


@given(
    shortfall=st.floats(-5, 10, allow_nan=False),
    more=st.floats(0, 5, allow_nan=False),
    watched=st.floats(0, 1, allow_nan=False),
    tighter=st.floats(0, 1, allow_nan=False),
)
def test_the_breach_chance_rises_with_the_shortfall_and_falls_under_monitors(
    shortfall, more, watched, tighter
):
    chance = bargain.breach_chance(NUMBERS, shortfall, watched)
    assert 0 <= chance <= NUMBERS.ceiling
    assert bargain.breach_chance(NUMBERS, shortfall + more, watched) >= chance
    assert bargain.breach_chance(NUMBERS, shortfall, max(watched, tighter)) <= chance
    if shortfall <= 0:
        assert chance == 0  # a deal worth no less than no deal is always kept


def test_monitors_watch_a_deal_as_its_options_say(border):
    accord = border.accords[ceasefire(border)]
    options = [o.id for o in accord.issues[1].options]
    un = (0, options.index("un"), 0)
    none = (0, options.index("none"), 0)
    assert bargain.watched(accord, none) == 0
    assert bargain.watched(accord, un) == pytest.approx(accord.issues[1].options[2].verifies)
    assert 0 < bargain.watched(accord, un) < 1


def signed_at(border, package, seed=0):
    """A state whose ceasefire is signed at ``package`` this turn, before its world step,
    with the types and the dice of ``seed``."""
    from game.engine import rng

    state = replace(ceasefire_ready(border), seed=seed, rng=rng.seed_state(seed))
    index = ceasefire(border)
    drafts = list(state.drafts)
    drafts[index] = package
    signed = list(state.signed)
    signed[index] = state.turn
    return replace(state, drafts=tuple(drafts), signed=tuple(signed))


def shortfalls(state, index):
    types = bargain.true_types(state)
    return {
        p: bargain.shortfall(state.scenario, state, index, p, types)
        for p in state.scenario.accords[index].signatories
    }


def test_a_deal_worse_than_no_deal_for_a_party_is_broken_in_some_games_and_says_so(border):
    index = ceasefire(border)
    accord = border.accords[index]
    worst_for_norland = min(
        bargain.packages(accord),
        key=lambda k: bargain.expected(border.parties[0].interests[index]).utility(k),
    )
    broken = kept = 0
    for seed in range(40):
        state = signed_at(border, worst_for_norland, seed)
        short = shortfalls(state, index)
        after, entries = end_turn_of_all(state, set())
        notes = [e for e in entries if e.note == ledger.BREACHED]
        if notes:
            broken += 1
            (note,) = notes
            party = border.tables.parties.index(note.args[0])
            assert short[party] > 0  # only a party that the deal leaves short breaks it
            assert not after.signed[index]
            assert (index, worst_for_norland) in after.refused
            words = narrate.note(border, note)
            assert "refuses to ratify" in words and "no longer signed" in words
        else:
            kept += 1
    assert broken and kept  # a chance, not a certainty


def test_a_deal_every_party_prefers_to_no_deal_is_kept_and_rolls_no_dice(border):
    index = ceasefire(border)
    for seed in range(60):
        state = signed_at(border, border.accords[index].draft, seed)
        types = bargain.true_types(state)
        package = next(
            (
                k
                for k in bargain.packages(border.accords[index])
                if all(
                    bargain.shortfall(
                        border, replace(state, drafts=_with(state, index, k)), index, p, types
                    )
                    < -0.5
                    for p in border.accords[index].signatories
                )
            ),
            None,
        )
        if package is None:
            continue
        good = replace(state, drafts=_with(state, index, package))
        after, entries = end_turn_of_all(good, set())
        assert after.signed[index]
        assert not [e for e in entries if e.note == ledger.BREACHED]
        return
    pytest.fail("no seed with a deal every party prefers")


def _with(state, index, package):
    drafts = list(state.drafts)
    drafts[index] = package
    return tuple(drafts)


def test_a_breach_costs_the_breaker_tension_trust_and_its_envoys_standing(border):
    numbers = border.rules.bargaining.compliance
    for seed in range(200):
        state = signed_at(border, (2, 2, 0), seed)  # 10 km, UN monitors
        _, entries = end_turn_of_all(state, set())
        breach = [e for e in entries if e.note == ledger.BREACHED]
        if not breach or breach[0].args[0] != "norland":
            continue
        changes = [e for e in entries if e.cause.kind == ledger.BREACH and e.is_change]
        tension = [e for e in changes if e.meter == "tension"]
        trust = [e for e in changes if e.meter == "trust"]
        standing = [e for e in changes if e.meter == "standing"]
        assert [(e.subject, e.delta) for e in tension] == [
            (("norland", "sudmark"), numbers.tension)
        ]
        assert [e.delta for e in trust] == [-numbers.trust]
        assert [e.subject for e in standing] == [("norland_fm", "sudmark")]
        assert "breaking" in narrate.cause(border, changes[0])
        return
    pytest.fail("Norland never broke a deal it hates")


def test_a_crisis_without_compliance_numbers_keeps_every_deal(border):
    rules = border.rules
    without = attrs.evolve(
        border,
        rules=attrs.evolve(rules, bargaining=attrs.evolve(rules.bargaining, compliance=None)),
    )
    index = ceasefire(border)
    for seed in range(20):
        state = replace(signed_at(border, (2, 2, 0), seed), scenario=without)
        after, entries = end_turn_of_all(state, set())
        assert after.signed[index]
        assert not [e for e in entries if e.note == ledger.BREACHED]
