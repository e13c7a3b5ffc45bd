"""Hidden party types (NEGOTIATION.md §2): a party's exact values and reservation are
drawn from the game's seed, the rules roll with them, and no seat sees them until
it learns them.

A view carries no seed (the seed draws the types) and each party's interests as
their declared ranges, closed on the exact values only for parties the seat has
learned (back-channel talks, good offices). So nothing a seat may compute from
its view (what it may do, what a move would do) depends on what it has not learned.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import play_out, seatings

from game.content.loader import SCENARIO_DIR, load_scenario
from game.engine import bargain
from game.engine.actions import Play
from game.engine.rules import World, apply, legal_actions, new_game, preview
from game.engine.state import (
    ALL_SEEING,
    EVERYONE,
    HIDDEN_SEED,
    replace,
    state_hash,
    to_dict,
)
from game.engine.view import player_view, public_view
from game.session.narrate import note

PROFILE = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
seeds = st.integers(min_value=0, max_value=2**63 - 1)
choices = st.lists(st.integers(min_value=0, max_value=10_000), max_size=100)


@pytest.fixture(params=["border", "tutorial"])
def scenario(request):
    return request.getfixturevalue(request.param)


def unlearned(scenario, view) -> list[int]:
    """The parties a view does not know the type of: not learned, nor the seat's own."""
    known = {party for party, who in view.learned}
    if view.viewer >= 0:
        known.add(scenario.envoys[view.viewer].party)
    return [p for p in range(len(scenario.parties)) if p not in known]


@PROFILE
@given(data=st.data(), seed=seeds, other=seeds, picks=choices)
def test_hidden_values_change_no_legal_action_and_no_preview(scenario, data, seed, other, picks):
    playing = data.draw(seatings(scenario))
    state, _ = play_out(scenario, seed, playing, picks)
    # The same game in every field, but with other hidden types (another seed's),
    # and nothing learned: nothing a seat can see may tell the two apart.
    one = replace(state, learned=frozenset())
    two = replace(one, seed=other)
    assert bargain.true_types(one) != bargain.true_types(two) or seed == other
    for envoy_id in playing:
        a, b = player_view(one, envoy_id), player_view(two, envoy_id)
        assert a == b and a.seed == b.seed == HIDDEN_SEED
        for party in unlearned(scenario, a):  # its own party it knows
            assert a.scenario.parties[party] == b.scenario.parties[party]
        assert legal_actions(a, envoy_id) == legal_actions(b, envoy_id)
        for action in legal_actions(a, envoy_id):
            if isinstance(action, Play):
                assert preview(a, action) == preview(b, action)
    assert public_view(one) == public_view(two)
    assert public_view(one).scenario.parties == public_view(two).scenario.parties


@PROFILE
@given(data=st.data(), seed=seeds, other=seeds, picks=choices)
def test_a_seat_sees_the_exact_values_of_the_parties_it_learned_and_only_those(
    scenario, data, seed, other, picks
):
    playing = data.draw(seatings(scenario))
    state, _ = play_out(scenario, seed, playing, picks)
    twin = replace(state, seed=other)
    types = bargain.true_types(state)
    for envoy_id in playing:
        view = player_view(state, envoy_id)
        envoy = scenario.envoy_index(envoy_id)
        assert view.learned == {(p, who) for p, who in state.learned if who in (envoy, EVERYONE)}
        for party, spec in enumerate(view.scenario.parties):
            if party in unlearned(scenario, view):
                assert spec.interests == scenario.parties[party].interests
                assert spec == player_view(twin, envoy_id).scenario.parties[party]
                continue
            for interest, party_type in zip(spec.interests, types[party], strict=True):
                if interest is None:
                    continue
                assert bargain.expected(interest) == party_type.values
                assert bargain.expected_offset(interest) == party_type.offset


def test_only_the_full_state_holds_the_types(border):
    state, _ = new_game(border, 7)
    assert state.viewer == ALL_SEEING
    assert bargain.true_types(state) == bargain.draw_types(border, 7)
    for seen in (player_view(state, "un_envoy"), public_view(state)):
        assert seen.seed == HIDDEN_SEED
        with pytest.raises(ValueError, match="hidden types"):
            bargain.true_types(seen)


def learn_by_back_channel(scenario, seed, envoy_id, party_id):
    """The state right after a turn in which ``envoy_id``'s back-channel talks to
    ``party_id`` succeeded, and that turn's ledger; the first such seed from ``seed``."""
    for attempt in range(seed, seed + 200):
        state, _ = new_game(scenario, attempt)
        entries = []
        while state.turn == 1 and not state.is_over:
            acting = scenario.envoys[state.acting].id
            if acting == envoy_id and not state.pending:
                action = Play(envoy_id, "back_channel", (party_id,))
            else:
                action = legal_actions(state, acting)[-1]  # End
            state, new = apply(state, action)
            entries.extend(new)
        if state.learned:
            return state, entries
    raise AssertionError("no back-channel talks succeeded")


def test_back_channel_talks_teach_one_seat_what_a_party_wants(border):
    sudmark = border.party_index("sudmark")
    un = border.envoy_index("un_envoy")
    state, entries = learn_by_back_channel(border, 1, "un_envoy", "sudmark")
    assert (sudmark, un) in state.learned
    exact = bargain.true_types(state)[sudmark]
    mine = player_view(state, "un_envoy").scenario.parties[sudmark]
    assert [bargain.expected(i) for i in mine.interests] == [t.values for t in exact]
    # Nobody else learned it: their views and the room's keep the declared ranges.
    # Norland's envoy knows its own government's values, and only those.
    norland = border.party_index("norland")
    theirs = player_view(state, "norland_fm").scenario.parties[norland]
    exact = bargain.true_types(state)[norland]
    assert [bargain.expected(i) for i in theirs.interests] == [t.values for t in exact]
    for seen in (player_view(state, "norland_fm"), public_view(state)):
        assert seen.scenario.parties[sudmark].interests == border.parties[sudmark].interests
    # The ledger says so to the learner only, in words.
    learned = [e for e in entries if e.note == "learned"]
    assert len(learned) == 1 and learned[0].visible_to("un_envoy")
    assert not learned[0].visible_to("norland_fm")
    assert note(border, learned[0], "en") == (
        "Learned what Sudmark wants: its exact values in every deal."
    )
    # What is learned is saved, and stays learned.
    assert to_dict(state)["learned"] == [[sudmark, un]]
    later, _ = apply(state, legal_actions(state, border.envoys[state.acting].id)[-1])
    assert later.learned == state.learned


def test_a_game_with_nothing_to_learn_keeps_its_saved_form(border):
    # Format-1 parties have no interests: learning them does nothing, so such a
    # game's canonical form, and every save's hash made before, stay as they were.
    middle = load_scenario(SCENARIO_DIR / "middle_power_at_sea.yaml").unwrap()
    state, _ = new_game(middle, 3)
    assert "learned" not in to_dict(state)
    hashed = state_hash(state)
    envoy = middle.envoys[state.acting]
    party = next(p.id for p in middle.parties if middle.party_index(p.id) != envoy.party)
    world = World(state, record=True)
    world.learn(middle.party_index(party), state.acting)
    assert world.learned == set() and world.entries == []
    assert state_hash(world.freeze()) == hashed
