"""Properties over random legal play on both built-in scenarios (hypothesis).

Hypothesis draws a seed, the seats, and an index into ``legal_actions`` for
every step, so it explores whole games, and shrinks a failure to a short one.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine.actions import Action, Amend, Decide, End, IllegalAction, Play, Withdraw
from game.engine.rules import apply, legal_actions, new_game, preview
from game.engine.state import state_hash
from game.engine.view import player_view

PROFILE = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

choices = st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=150)
seeds = st.integers(min_value=0, max_value=2**63 - 1)


def seatings(scenario):
    """Every allowed seating: required envoys always, the others optionally."""
    envoys = [e.id for e in scenario.envoys]
    required = [e.id for e in scenario.envoys if e.required]
    optional = [e for e in envoys if e not in required]
    if not optional:
        return st.just(required)
    return st.lists(st.sampled_from(optional), unique=True).map(
        lambda extra: [e for e in envoys if e in required or e in extra]
    )


def play_out(scenario, seed, playing, picks, check=None):
    """Play legal actions chosen by index; calls check(state, action, new_state, entries)."""
    state, _ = new_game(scenario, seed, playing)
    actions = []
    for pick in picks:
        if state.is_over:
            break
        envoy_id = scenario.envoys[state.acting].id
        legal = legal_actions(state, envoy_id)
        assert legal, "a seat whose turn it is always has an action"
        action = legal[pick % len(legal)]
        new, entries = apply(state, action)
        if check:
            check(state, action, new, entries)
        actions.append(action)
        state = new
    return state, actions


def meters_in_range(state):
    rules = state.scenario.rules
    for name in ("tension", "trust", "standing", "posture", "resolve"):
        assert all(0 <= v <= 100 for v in getattr(state, name)), name
    assert all(rules.pressure_min <= v <= rules.pressure_max for v in state.pressure)
    assert all(rules.capital_min <= v <= rules.capital_max for v in state.capital)
    assert all(0 <= v <= rules.hotline_max for v in state.hotline)
    assert all(rules.counter_min <= v <= rules.counter_max for v in state.counters)


@pytest.fixture(params=["border", "tutorial"])
def scenario(request):
    return request.getfixturevalue(request.param)


@PROFILE
@given(data=st.data(), seed=seeds, picks=choices)
def test_meters_stay_in_range_and_legal_actions_never_raise(scenario, data, seed, picks):
    playing = data.draw(seatings(scenario))

    def check(_, __, new, entries):
        meters_in_range(new)
        for entry in entries:
            if entry.is_change:
                assert entry.before != entry.after

    play_out(scenario, seed, playing, picks, check)


@PROFILE
@given(data=st.data(), seed=seeds, picks=choices)
def test_same_seed_and_actions_give_the_same_game(scenario, data, seed, picks):
    playing = data.draw(seatings(scenario))
    first, actions = play_out(scenario, seed, playing, picks)
    replay, _ = new_game(scenario, seed, playing)
    for action in actions:
        replay, _ = apply(replay, Action.parse(str(action)))
    assert state_hash(replay) == state_hash(first)
    assert replay == first


def all_actions(scenario, envoy_id):
    """Every action text that could ever be written for a seat, legal or not."""
    t = scenario.tables
    yield End(envoy_id)
    for move in scenario.moves:
        yield Withdraw(envoy_id, move.id)
        if move.target == "none":
            yield Play(envoy_id, move.id)
        elif move.target == "accord":
            yield from (Play(envoy_id, move.id, (a,)) for a in t.accords)
        else:
            yield from (Play(envoy_id, move.id, (p,)) for p in t.parties)
            yield from (Play(envoy_id, move.id, (p, q)) for p in t.parties for q in t.parties)
    for event in scenario.events:
        if event.decision:
            yield from (Decide(envoy_id, o.id) for o in event.decision.options)
    for accord in scenario.accords:
        for issue in accord.issues:
            yield from (Amend(envoy_id, accord.id, issue.id, o.id) for o in issue.options)
        yield Amend(envoy_id, accord.id, "no_such_issue", "no_such_option")


@PROFILE
@given(data=st.data(), seed=seeds, picks=choices)
def test_an_illegal_action_raises_and_changes_nothing(scenario, data, seed, picks):
    playing = data.draw(seatings(scenario))
    state, _ = play_out(scenario, seed, playing, picks)
    before = state_hash(state)
    envoy_id = data.draw(st.sampled_from([e.id for e in scenario.envoys]))
    legal = set(legal_actions(state, envoy_id))
    candidates = [a for a in all_actions(scenario, envoy_id) if a not in legal]
    action = data.draw(st.sampled_from(candidates))
    with pytest.raises(IllegalAction):
        apply(state, action)
    assert state_hash(state) == before


@PROFILE
@given(data=st.data(), seed=seeds, picks=choices)
def test_player_view_never_leaks_agendas_pending_moves_or_secrets(scenario, data, seed, picks):
    playing = data.draw(seatings(scenario))
    state, _ = play_out(scenario, seed, playing, picks)
    for viewer in playing:
        envoy = scenario.envoy_index(viewer)
        view = player_view(state, viewer)
        assert view.viewer == envoy
        assert all(chosen.envoy == envoy for chosen in view.pending)
        for other, spec in enumerate(view.scenario.envoys):
            if other != envoy:
                assert spec.agenda == ()
        assert view.scenario.envoys[envoy].agenda == scenario.envoys[envoy].agenda
        for fact, spec in enumerate(view.scenario.facts):
            if state.knows(fact, envoy):
                assert spec.text == scenario.facts[fact].text
            else:
                assert spec.text is None
        assert all(who in (-1, envoy) for _, who in view.revealed)
        assert view.rng != state.rng
        # The view is a working state: the seat's own legal actions are the same.
        if not state.is_over and state.acting == envoy:
            assert legal_actions(view, viewer) == legal_actions(state, viewer)


@settings(max_examples=200, deadline=None)
@given(
    envoy_id=st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True),
    move=st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True),
    targets=st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True), max_size=2),
    kind=st.sampled_from(["play", "end", "withdraw", "decide"]),
)
def test_every_action_reads_back_from_its_text(envoy_id, move, targets, kind):
    if kind == "play" and move in ("end", "withdraw", "decide"):
        move = move + "_x"
    action = {
        "play": Play(envoy_id, move, tuple(targets)),
        "end": End(envoy_id),
        "withdraw": Withdraw(envoy_id, move),
        "decide": Decide(envoy_id, move),
    }[kind]
    assert Action.parse(str(action)) == action


@PROFILE
@given(seed=seeds, picks=st.lists(st.integers(min_value=0, max_value=10_000), max_size=40))
def test_a_preview_without_entries_gives_the_same_states(scenario, seed, picks):
    """The AI's quick preview (no ledger entries) sees exactly what the board's does."""
    state, _ = play_out(scenario, seed, None, picks)
    if state.is_over:
        return
    envoy_id = scenario.envoys[state.acting].id
    for action in legal_actions(state, envoy_id):
        if isinstance(action, Play):
            full, quick = preview(state, action), preview(state, action, entries=False)
            assert (quick.chance, quick.success, quick.failure) == (
                full.chance,
                full.success,
                full.failure,
            )
            assert state_hash(quick.success) == state_hash(full.success)
            assert quick.success_entries == () and quick.failure_entries == ()
