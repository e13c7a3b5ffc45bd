"""Drafts in play (format 2): amending, proposing as a joint move, acceptance by the
unseated signing parties, and odds that never read a party's true values."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import play_out, seatings

from game.engine import bargain, ledger
from game.engine.actions import Action, Amend, End, IllegalAction, Play, Reason, Withdraw
from game.engine.rules import apply, legal_actions, new_game, offered_plays, preview
from game.engine.state import DECISION, replace, to_dict
from game.engine.view import player_view, public_view
from game.session import narrate

PROFILE = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def ready(scenario, seed: int = 1, playing=None, **meters):
    """A Diplomacy turn of a new game, the ceasefire's conditions met."""
    state, _ = new_game(scenario, seed, playing)
    while state.phase == DECISION:
        envoy_id = scenario.envoys[state.acting].id
        state, _ = apply(state, legal_actions(state, envoy_id)[0])
    return replace(state, **meters) if meters else state


def ceasefire_ready(border, playing=None):
    relation = border.relation_index(border.party_index("norland"), border.party_index("sudmark"))
    state = ready(border, playing=playing)
    tension, trust = list(state.tension), list(state.trust)
    tension[relation], trust[relation] = 40, 60
    return replace(state, tension=tuple(tension), trust=tuple(trust), capital=(9, 9, 9))


def acting(state) -> str:
    return state.scenario.envoys[state.acting].id


def test_each_draft_starts_at_the_package_its_crisis_wrote(border, tutorial):
    for scenario in (border, tutorial):
        state, _ = new_game(scenario, 3)
        assert state.drafts == tuple(accord.draft for accord in scenario.accords)
        assert [list(d) for d in to_dict(state)["drafts"]] == [
            list(a.draft) for a in scenario.accords
        ]


def test_a_crisis_without_drafts_writes_none_in_its_canonical_form(lab):
    state, _ = new_game(lab, 3)
    assert not any(state.drafts)
    assert {"drafts", "amended", "locked"}.isdisjoint(to_dict(state))


def test_an_amendment_is_public_free_and_once_a_turn(border):
    state = ready(border)
    envoy_id = acting(state)
    amend = Amend(envoy_id, "ceasefire", "pullback", "km10")
    assert Action.parse(str(amend)) == amend
    legal = legal_actions(state, envoy_id)
    assert amend in legal
    plays = offered_plays(legal)
    assert all(type(a) is Play for a in legal[:plays])
    assert type(legal[plays]) is Amend and type(legal[-1]) is End
    new, entries = apply(state, amend)
    index = border.tables.accords.index("ceasefire")
    assert new.drafts[index][0] == 2 and new.capital == state.capital
    (entry,) = entries
    assert entry.note == ledger.AMENDED and not entry.cause.private_to
    words = narrate.note(border, entry)
    assert "amended the draft of Osk River Ceasefire" in words and "10 kilometres" in words
    # Everyone sees the new draft.
    assert public_view(new).drafts == new.drafts
    assert not any(type(a) is Amend for a in legal_actions(new, envoy_id))
    again = Amend(envoy_id, "ceasefire", "monitors", "un")
    with pytest.raises(IllegalAction) as refused:
        apply(new, again)
    assert refused.value.reason is Reason.ALREADY_AMENDED
    assert narrate.problem(border, refused.value)


@pytest.mark.parametrize(
    ("accord", "issue", "option", "reason"),
    [
        ("ceasefire", "pullback", "km2", Reason.SAME_OPTION),
        ("ceasefire", "pullback", "km99", Reason.UNKNOWN_OPTION),
        ("ceasefire", "river", "km2", Reason.UNKNOWN_ISSUE),
        ("armistice", "pullback", "km2", Reason.UNKNOWN_TARGET),
    ],
)
def test_an_illegal_amendment_says_why(border, accord, issue, option, reason):
    state = ready(border)
    found = None
    try:
        apply(state, Amend(acting(state), accord, issue, option))
    except IllegalAction as problem:
        found = problem
    assert found is not None and found.reason is reason
    assert narrate.problem(border, found)


def test_a_format_1_accord_has_no_draft_to_amend(lab):
    state = ready(lab)
    accord = lab.accords[0].id
    with pytest.raises(IllegalAction) as refused:
        apply(state, Amend(acting(state), accord, "any", "any"))
    assert refused.value.reason is Reason.NO_DRAFT


def test_proposing_locks_the_draft_until_the_last_proposal_is_withdrawn(border):
    state = ceasefire_ready(border)
    envoy_id = acting(state)
    propose = Play(envoy_id, "propose_accord", ("ceasefire",))
    assert propose in legal_actions(state, envoy_id)
    locked, _ = apply(state, propose)
    index = border.tables.accords.index("ceasefire")
    assert locked.locked == (index,)
    # Public: every view sees the lock, not who proposed.
    for seen in [public_view(locked)] + [player_view(locked, e.id) for e in border.envoys]:
        assert seen.locked == (index,)
    assert not any(
        type(a) is Amend and a.accord == "ceasefire" for a in legal_actions(locked, envoy_id)
    )
    with pytest.raises(IllegalAction) as refused:
        apply(locked, Amend(envoy_id, "ceasefire", "pullback", "km10"))
    assert refused.value.reason is Reason.DRAFT_LOCKED
    unlocked, _ = apply(locked, Withdraw(envoy_id, "propose_accord"))
    assert unlocked.locked == ()


def end_turn_of_all(state, proposing: set[str]):
    """Every seat proposes the ceasefire if in ``proposing``, then ends its turn."""
    start = state.turn
    entries = []
    while state.turn == start and not state.is_over and state.phase != DECISION:
        envoy_id = acting(state)
        if envoy_id in proposing:
            state, found = apply(state, Play(envoy_id, "propose_accord", ("ceasefire",)))
            entries += found
        state, found = apply(state, End(envoy_id))
        entries += found
    return state, entries


def test_a_proposal_without_every_seated_signing_envoy_fails_and_says_who(border):
    state = ceasefire_ready(border)
    capital = state.capital
    after, entries = end_turn_of_all(state, {"un_envoy"})
    index = border.tables.accords.index("ceasefire")
    assert not after.signed[index]
    (note,) = [e for e in entries if e.note == ledger.NOT_COSPONSORED]
    assert note.args[3] == ("norland_fm",)
    assert "did not co-sponsor" in narrate.note(border, note)
    assert not [e for e in entries if e.note in (ledger.MOVE_FAILED, ledger.MOVE_SUCCEEDED)]
    del capital  # the capital is returned before the next turn's income


def test_co_sponsored_it_rolls_against_the_true_acceptance_of_the_unseated(border):
    state = ceasefire_ready(border)
    true = bargain.true_types(state)
    index = border.tables.accords.index("ceasefire")
    odds = bargain.draft_odds(border, state, index, true)
    _, entries = end_turn_of_all(state, {"un_envoy", "norland_fm"})
    (verdict,) = [e for e in entries if e.note in (ledger.MOVE_FAILED, ledger.MOVE_SUCCEEDED)]
    assert verdict.cause.chance == pytest.approx(odds)
    # The odds shown were the expected ones, which the true ones need not be.
    assert bargain.draft_odds(border, state, index) == border.accord_odds(state, index)


def test_with_every_signing_party_seated_and_co_sponsoring_it_signs_for_sure(border):
    state = ceasefire_ready(border)
    sudmark = border.party_index("sudmark")
    # Seat Sudmark too, as the Norland envoy's party: no unseated party is left to ask.
    envoys = list(border.envoys)
    vellmark = border.tables.envoys.index("vellmark_fm")
    import attrs

    envoys[vellmark] = attrs.evolve(envoys[vellmark], party=sudmark)
    seated = attrs.evolve(border, envoys=tuple(envoys))
    index = border.tables.accords.index("ceasefire")
    assert bargain.unseated_signatories(seated, state, index) == ()
    assert bargain.draft_odds(seated, state, index) == 1.0


def test_true_types_refuse_a_view(border):
    state = ready(border)
    with pytest.raises(ValueError):
        bargain.true_types(player_view(state, "un_envoy"))
    with pytest.raises(ValueError):
        bargain.true_types(public_view(state))


def test_the_odds_range_holds_the_expected_and_the_true_odds(border):
    state = ceasefire_ready(border)
    index = border.tables.accords.index("ceasefire")
    low, high = bargain.draft_odds_range(border, state, index)
    for seed in range(40):
        true = bargain.draw_types(border, seed)
        assert low - 1e-9 <= bargain.draft_odds(border, state, index, true) <= high + 1e-9
    assert low <= border.accord_odds(state, index) <= high
    assert low < high


@PROFILE
@given(
    data=st.data(),
    seed=st.integers(0, 2**63 - 1),
    other=st.integers(0, 2**63 - 1),
    picks=st.lists(st.integers(0, 10_000), max_size=60),
)
def test_hidden_values_change_no_legal_action_and_no_preview(border, data, seed, other, picks):
    """Two states differing only in their seed (so in every party's true type) give
    the same legal actions and the same previews, in every seat's view."""
    playing = data.draw(seatings(border))
    state, _ = play_out(border, seed, playing, picks)
    twin = replace(state, seed=other)
    for envoy in state.turn_order:
        envoy_id = border.envoys[envoy].id
        mine, theirs = player_view(state, envoy_id), player_view(twin, envoy_id)
        legal = legal_actions(mine, envoy_id)
        assert legal_actions(theirs, envoy_id) == legal
        for action in legal:
            if type(action) is Play:
                a, b = preview(mine, action), preview(theirs, action)
                assert a.chance == b.chance
                assert a.success_entries == b.success_entries
                assert a.failure_entries == b.failure_entries


def test_a_proposal_s_card_shows_its_odds_as_a_range_while_values_are_unknown(border):
    state = ceasefire_ready(border)
    envoy_id = acting(state)
    seen = player_view(state, envoy_id)
    propose = Play(envoy_id, "propose_accord", ("ceasefire",))
    chance = preview(seen, propose).chance
    index = border.tables.accords.index("ceasefire")
    low, high = bargain.draft_odds_range(border, seen, index)
    assert narrate.odds(seen, propose, chance) == f"{low:.0%}–{high:.0%}"
    details = narrate.card_details(
        border, "propose_accord", seen, preview(seen, propose), odds_shown="35–70%"
    )
    assert any(d.text == "Odds 35–70%" for d in details)
    # A move of fixed odds shows one number.
    hotline = next(
        a for a in legal_actions(seen, envoy_id) if type(a) is Play and a.move == "hotline"
    )
    assert narrate.odds(seen, hotline, preview(seen, hotline).chance).count("%") == 1
