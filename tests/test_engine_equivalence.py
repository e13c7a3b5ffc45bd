"""The faster engine plays the same games: same states, meter changes and outcomes.

The recorded digests below were made by the engine before it was made faster
(the same seeds and policies, the same crises); a change that alters play shows
here first. The properties check each shortcut against the plain way it stands
for: ``replace`` against ``attrs.evolve``, ``legal_actions`` against
``why_illegal``, ``preview_value`` against ``preview``, and the kept views
against views built from nothing.
"""

from __future__ import annotations

import hashlib
import json

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import all_actions, play_out, seatings

from game.ai.agents import evaluate
from game.ai.play import play_game
from game.content.loader import SCENARIO_DIR, load_scenario
from game.engine import bargain, rng, view
from game.engine.actions import Action, IllegalAction, Play, Reason
from game.engine.rules import apply, legal_actions, new_game, preview, preview_value, why_illegal
from game.engine.state import (
    ALL_SEEING,
    EVERYONE,
    HIDDEN_SEED,
    ROOM,
    GameState,
    replace,
    state_hash,
    to_dict,
)
from game.engine.view import _public_scenario, player_view, public_view

PROFILE = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
seeds = st.integers(min_value=0, max_value=2**63 - 1)
choices = st.lists(st.integers(min_value=0, max_value=10_000), max_size=120)

#: (crisis file, policy, seed): (digest of actions, meter changes and final state; outcome; actions)
#: The format-2 crises' (Border Incident, the Tutorial) were made again when what seats
#: learn of the parties' interests entered the state: the same actions and meter changes,
#: with ``learned`` in the final state; and again when play began to use their drafts
#: (amending, proposing as a joint move, acceptance).
RECORDED = {
    ("border_incident", "random", 1): ("bc69eb5b5c43443e86cf", "conflict", 45),
    ("border_incident", "random", 2): ("6ee5bbc38fe48240444e", "conflict", 35),
    ("border_incident", "random", 3): ("03f4a7e4aa1937dbf38a", "stalemate", 69),
    ("border_incident", "greedy", 4): ("3d4641815e700be3ec95", "peace", 52),
    ("long_peace", "random", 1): ("d75aea39e4526b4ef817", "stalemate", 126),
    ("long_peace", "random", 2): ("ab20e68326e691670600", "conflict", 62),
    ("long_peace", "random", 3): ("12631e55f5ae8b9978aa", "conflict", 39),
    ("long_peace", "greedy", 4): ("8d3f2d9736ce5dc9e139", "peace", 69),
    ("middle_power_at_sea", "random", 1): ("556d02da56c0443c061f", "conflict", 87),
    ("middle_power_at_sea", "random", 2): ("24aaf375b1fd01bb0850", "conflict", 113),
    ("middle_power_at_sea", "random", 3): ("eb5efc800e4dcb347f8b", "conflict", 108),
    ("middle_power_at_sea", "greedy", 4): ("edd9e0fd1c2722173980", "peace", 127),
    ("ping_pong_thaw", "random", 1): ("5edc030820d8b2011f16", "stalemate", 74),
    ("ping_pong_thaw", "random", 2): ("c1ceb0105fe9c6959ab6", "conflict", 59),
    ("ping_pong_thaw", "random", 3): ("eb7ef658ff02bc6243cc", "conflict", 67),
    ("ping_pong_thaw", "greedy", 4): ("ce60ea4137a56ff0af5d", "peace", 53),
    ("summit_on_the_brink", "random", 1): ("fa37fadabd3a97b30ee4", "stalemate", 118),
    ("summit_on_the_brink", "random", 2): ("4cdbd50b01425be586ed", "conflict", 97),
    ("summit_on_the_brink", "random", 3): ("c20fb6e8132956c612c7", "stalemate", 126),
    ("summit_on_the_brink", "greedy", 4): ("12f00badc62983224424", "peace", 71),
    ("tutorial", "random", 1): ("247e158dec3c94d6d777", "stalemate", 23),
    ("tutorial", "random", 2): ("b4a21383ae161e00ce5b", "stalemate", 25),
    ("tutorial", "random", 3): ("862d5da8617157855b94", "stalemate", 16),
    ("tutorial", "greedy", 4): ("b417e9a2cf6c56d83c5d", "peace", 15),
}

_crises: dict[str, object] = {}


def crisis(file: str):
    if file not in _crises:
        _crises[file] = load_scenario(SCENARIO_DIR / f"{file}.yaml").unwrap()
    return _crises[file]


def digest(record) -> str:
    """The game's substance: its actions, every meter change, and the final state.

    Note texts are left out: their wording may change without changing the game.
    """
    changes = [
        (e.turn, e.meter, list(e.subject), e.before, e.after) for e in record.entries if e.is_change
    ]
    # The state without the crisis file's hash: a file that gains data the rules do not
    # read (a comment, format-2 interests) and plays the same keeps its digests.
    final = to_dict(record.state)
    del final["scenario"]["hash"]
    text = json.dumps([[str(a) for a in record.actions], changes, final], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


@pytest.mark.parametrize(("file", "policy", "seed"), sorted(RECORDED))
def test_the_built_in_crises_play_the_games_they_played_before(file, policy, seed):
    record = play_game(crisis(file), seed, policy, keep_ledger=True)
    assert (digest(record), record.state.outcome, len(record.actions)) == RECORDED[
        file, policy, seed
    ]
    # A save replays its actions from the seed: the same state, to the hash.
    state, _ = new_game(crisis(file), seed)
    for action in record.actions:
        state, _ = apply(state, Action.parse(str(action)))
    assert state_hash(state) == state_hash(record.state)


@pytest.fixture(params=["border", "tutorial"])
def scenario(request):
    return request.getfixturevalue(request.param)


FIELDS = [f.name for f in attrs.fields(GameState) if f.name != "scenario"]


@PROFILE
@given(data=st.data(), seed=seeds, picks=choices)
def test_replace_makes_what_attrs_evolve_makes(scenario, data, seed, picks):
    state, _ = play_out(scenario, seed, None, picks)
    names = data.draw(st.lists(st.sampled_from(FIELDS), unique=True, max_size=6))
    other, _ = new_game(scenario, seed + 1)
    changes = {name: getattr(other, name) for name in names}
    copy = replace(state, **changes)
    assert copy == attrs.evolve(state, **changes)
    assert to_dict(copy) == to_dict(attrs.evolve(state, **changes))
    assert copy.scenario is state.scenario
    assert state == replace(state)  # the original is untouched
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        copy.turn = 99


def test_replace_refuses_a_field_the_state_does_not_have(border):
    state, _ = new_game(border, 1)
    with pytest.raises(TypeError, match="no field colour"):
        replace(state, colour=1)


@PROFILE
@given(data=st.data(), seed=seeds, picks=choices)
def test_legal_actions_are_exactly_the_plays_the_rules_allow(scenario, data, seed, picks):
    playing = data.draw(seatings(scenario))
    state, _ = play_out(scenario, seed, playing, picks)
    for envoy_id in playing:
        for seen in (state, player_view(state, envoy_id)):
            legal = legal_actions(seen, envoy_id)
            allowed = [a for a in all_actions(scenario, envoy_id) if not why_illegal(seen, a)]
            assert {a for a in legal if isinstance(a, Play)} == {
                a for a in allowed if isinstance(a, Play)
            }
            assert len(set(legal)) == len(legal)


def outcome_of(state, action):
    """What apply makes of an action: the new state's hash, or the rule that refused it."""
    try:
        new, _ = apply(state, action)
    except IllegalAction as refused:
        return refused.reason
    return state_hash(new)


@PROFILE
@given(data=st.data(), seed=seeds, picks=choices)
def test_a_play_legal_actions_offered_is_applied_as_a_fresh_copy_of_it_is(
    scenario, data, seed, picks
):
    """apply trusts a Play it finds in legal_actions' last answer (by its row of the
    turn, the capital and the chosen moves that answer was made from); any other
    Play object, even one offered before or an equal copy, takes the full check.
    Both ways give the same game, or the same refusal."""
    playing = data.draw(seatings(scenario))
    state, _ = new_game(scenario, seed, playing)
    offered: list[Play] = []  # the very Play objects of every answer so far
    for pick in picks:
        if state.is_over:
            break
        envoy_id = scenario.envoys[state.acting].id
        seen = data.draw(st.sampled_from((state, player_view(state, envoy_id))))
        legal = legal_actions(seen, envoy_id)
        offered.extend(a for a in legal if isinstance(a, Play))
        for play in data.draw(st.lists(st.sampled_from(offered), max_size=4)) if offered else ():
            legal_actions(seen, envoy_id)  # the answer apply may trust, again
            trusted = outcome_of(state, play)
            fresh = Play(play.envoy, play.move, play.targets)
            assert trusted == outcome_of(state, fresh)
            assert isinstance(trusted, Reason) == bool(why_illegal(state, fresh))
        legal_actions(seen, envoy_id)
        state, _ = apply(state, legal[pick % len(legal)])


@PROFILE
@given(seed=seeds, picks=choices)
def test_preview_value_is_the_odds_weighted_value_of_the_preview(scenario, seed, picks):
    state, _ = play_out(scenario, seed, None, picks)
    if state.is_over:
        return
    envoy_id = scenario.envoys[state.acting].id
    envoy = state.acting
    view = player_view(state, envoy_id)
    now = evaluate(view, envoy)
    for action in legal_actions(view, envoy_id):
        if not isinstance(action, Play):
            continue
        seen = preview(view, action, entries=False)
        expected = seen.chance * evaluate(seen.success, envoy) + (1 - seen.chance) * evaluate(
            seen.failure, envoy
        )
        value = preview_value(view, action, lambda s: evaluate(s, envoy))
        assert value == expected
        assert preview_value(view, action, lambda s: evaluate(s, envoy), now) == expected
        move = scenario.moves[scenario.move_index(action.move)]
        if not move.failure:  # nothing happens on failure: no copy is made
            assert seen.failure is view and preview(view, action).failure_entries == ()


def reference_view(state, envoy_id: str):
    """player_view by its definition, built from nothing each time, reading nothing a
    view kept (its dice too): as it was before views were kept."""
    scenario = state.scenario
    envoy = scenario.envoy_index(envoy_id)
    known = frozenset((f, who) for f, who in state.revealed if who in (EVERYONE, envoy))
    learns = frozenset((p, who) for p, who in state.learned if who in (EVERYONE, envoy))
    types = bargain.draw_types(scenario, state.seed)
    known_parties = {p for p, _ in learns}
    own = scenario.envoys[envoy].party
    if own >= 0 and any(scenario.parties[own].interests):
        known_parties.add(own)  # an envoy knows what its own government wants
    learned_types = tuple((p, types[p]) for p in sorted(known_parties))
    secret = {i for i, move in enumerate(scenario.moves) if move.secret}
    return attrs.evolve(
        state,
        scenario=_public_scenario(scenario, envoy, frozenset(f for f, _ in known), learned_types),
        seed=HIDDEN_SEED,
        revealed=known,
        learned=learns,
        pending=tuple(c for c in state.pending if c.envoy == envoy),
        cooldowns=tuple(c for c in state.cooldowns if c[0] == envoy or c[1] not in secret),
        delayed=tuple(d for d in state.delayed if d.envoy == envoy or d.move not in secret),
        recent=tuple(r for r in state.recent if r[1] == envoy or r[2] not in secret),
        viewer=envoy,
        rng=rng.derive(state.rng, view._VIEW_SALT + envoy),
    )


@PROFILE
@given(data=st.data(), seed=seeds, picks=choices)
def test_a_kept_view_is_the_view_built_from_nothing(scenario, data, seed, picks):
    playing = data.draw(seatings(scenario))
    state, _ = play_out(scenario, seed, playing, picks)
    for envoy_id in playing:
        view, expected = player_view(state, envoy_id), reference_view(state, envoy_id)
        assert view == expected
        assert view.scenario.envoys == expected.scenario.envoys
        assert view.scenario.facts == expected.scenario.facts
        # A view of a view knows no more than the view it was made from.
        for other in playing:
            again = player_view(view, other)
            for index, spec in enumerate(again.scenario.envoys):
                if index != scenario.envoy_index(envoy_id):
                    assert spec.agenda == ()


def test_the_full_state_and_the_room_s_view_can_be_told_apart(border):
    state, _ = new_game(border, 1)
    room = public_view(state)
    envoy_id = player_view(state, border.envoys[state.acting].id)
    assert (state.viewer, room.viewer, envoy_id.viewer) == (ALL_SEEING, ROOM, state.acting)
    assert state.all_seeing and not room.all_seeing and not envoy_id.all_seeing
    assert to_dict(state)["viewer"] == -1  # saves and their hashes are as before
