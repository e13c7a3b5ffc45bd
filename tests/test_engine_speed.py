"""The engine's shortcuts agree with the plain way each stands for.

The random agent's pick without a filtered copy of the legal actions;
``apply`` trusting a Play or an End that ``legal_actions`` offered for the same
state (or for a seat's view of it) instead of checking it again; and ``legal_actions``
answering a seat from the table it made at the start of its turn, which must be
exactly the list (and the order) the rules give action by action.
"""

from __future__ import annotations

import pytest
from conftest import compile_dict, lab_dict, move
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_engine_equivalence import reference_view
from test_properties import all_actions, play_out, seatings

from game.ai.agents import RandomAgent
from game.ai.play import play_game
from game.content.loader import SCENARIO_DIR, load_scenario
from game.engine import rng, rules, view
from game.engine.actions import Amend, Decide, End, IllegalAction, Play, Withdraw
from game.engine.rules import apply, legal_actions, new_game, why_illegal
from game.engine.state import DECISION, state_hash
from game.engine.view import player_view

choices = st.lists(st.integers(min_value=0, max_value=10_000), max_size=120)

actions = st.one_of(
    st.builds(Play, st.just("un"), st.sampled_from(["shuttle", "hotline", "embargo"])),
    st.builds(Withdraw, st.just("un"), st.sampled_from(["shuttle", "hotline"])),
    st.builds(End, st.just("un")),
    st.builds(Decide, st.just("un"), st.sampled_from(["hold", "yield"])),
)


class QuietWithdraw(Withdraw):
    """A Withdraw by another type: the agent must still leave it out."""


withdraws = st.one_of(
    st.builds(Withdraw, st.just("un"), st.sampled_from(["shuttle", "hotline"])),
    st.builds(QuietWithdraw, st.just("un"), st.just("shuttle")),
)
plays = st.builds(Play, st.just("un"), st.sampled_from(["shuttle", "hotline", "embargo"]))
#: Lists laid out as legal_actions lays out a Diplomacy turn (Plays, Withdraws,
#: End), where the agent takes its short way, and near misses of that layout.
laid_out = st.one_of(
    st.builds(lambda p, w: [*p, *w, End("un")], st.lists(plays, max_size=40), st.lists(withdraws)),
    st.builds(
        lambda p, w, q: [*p, *w, *q, End("un")],
        st.lists(plays, max_size=6),
        st.lists(withdraws, min_size=1, max_size=3),
        st.lists(plays, min_size=1, max_size=3),
    ),
    st.builds(lambda p, w: [*p, *w], st.lists(plays, min_size=1), st.lists(withdraws)),
)


def plain_random_pick(seed: int, legals: list) -> list:
    """What RandomAgent chose before: a uniform pick among the actions that are not Withdraws."""
    state, picks = rng.seed_state(seed), []
    for legal in legals:
        options = [a for a in legal if not isinstance(a, Withdraw)]
        value, state = rng.random(state)
        picks.append(options[min(int(value * len(options)), len(options) - 1)])
    return picks


@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**63 - 1),
    legals=st.lists(
        st.lists(actions, min_size=1, max_size=12).filter(
            lambda legal: any(not isinstance(a, Withdraw) for a in legal)
        ),
        min_size=1,
        max_size=8,
    ),
)
def test_the_random_agent_picks_what_it_picked_from_a_filtered_copy(seed, legals):
    agent = RandomAgent(seed)
    picks = [agent.choose(None, "un", legal) for legal in legals]
    expected = plain_random_pick(seed, legals)
    assert picks == expected
    assert all(a is b for a, b in zip(picks, expected, strict=True))


@settings(max_examples=300, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**63 - 1),
    legals=st.lists(laid_out, min_size=1, max_size=8),
)
def test_the_random_agent_picks_from_a_laid_out_turn_what_it_picked_from_a_filtered_copy(
    seed, legals
):
    agent = RandomAgent(seed)
    picks = [agent.choose(None, "un", legal) for legal in legals]
    expected = plain_random_pick(seed, legals)
    assert all(a is b for a, b in zip(picks, expected, strict=True))


# ------------------------------------------------ apply trusts what legal_actions offered

PROFILE = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(params=["border", "tutorial"])
def scenario(request):
    return request.getfixturevalue(request.param)


def plainly(state, action):
    """apply with nothing offered: every action checked in full, as before the shortcut."""
    rules._offered = (None, "", [], {}, None)
    view.last_view = (None, "", None)
    try:
        return apply(state, action)
    except IllegalAction as error:
        return str(error)


@PROFILE
@given(data=st.data(), seed=st.integers(min_value=0, max_value=2**63 - 1), picks=choices)
def test_apply_refuses_what_legal_actions_did_not_offer_with_the_same_reason(
    scenario, data, seed, picks
):
    playing = data.draw(seatings(scenario))
    state, _ = play_out(scenario, seed, playing, picks)
    for envoy_id in playing:
        for through_view in (False, True):
            candidates = list(all_actions(scenario, envoy_id))
            for action in candidates:
                seen = player_view(state, envoy_id) if through_view else state
                legal = legal_actions(seen, envoy_id)
                offered = next((a for a in legal if a == action), action)
                try:
                    got = apply(state, offered)
                except IllegalAction as error:
                    got = str(error)
                expected = plainly(state, action)
                if isinstance(expected, str):
                    assert got == expected == f"{action}: {why_illegal(state, action)}"
                    assert action not in legal or through_view
                else:
                    assert not isinstance(got, str)
                    assert got[0] == expected[0] and got[1] == expected[1]
                    assert state_hash(got[0]) == state_hash(expected[0])


def test_a_list_of_legal_actions_changed_by_its_caller_does_not_change_what_apply_trusts(border):
    state, _ = new_game(border, 1)
    envoy_id = border.envoys[state.acting].id
    legal = legal_actions(state, envoy_id)
    (chosen,) = [a for a in legal if isinstance(a, Play)][:1]
    after, _ = apply(state, chosen)
    later = legal_actions(after, envoy_id)  # the same Play is no longer legal after
    later.append(chosen)
    with pytest.raises(IllegalAction, match="already chosen this turn"):
        apply(after, chosen)


def test_asking_again_about_the_same_state_gives_an_equal_list_and_the_same_view(border):
    state, _ = new_game(border, 1)
    envoy_id = border.envoys[state.acting].id
    first = legal_actions(state, envoy_id)
    first.clear()
    assert legal_actions(state, envoy_id) == plainly_legal(state, envoy_id) != []
    assert player_view(state, envoy_id) is player_view(state, envoy_id)


def plainly_legal(state, envoy_id):
    rules._offered = (None, "", [], {}, None)
    return legal_actions(state, envoy_id)


@PROFILE
@given(data=st.data(), seed=st.integers(min_value=0, max_value=2**63 - 1), picks=choices)
def test_a_view_s_dice_are_derived_from_the_state_s_whatever_views_came_before(
    scenario, data, seed, picks
):
    playing = data.draw(seatings(scenario))
    states = [new_game(scenario, seed, playing)[0]]

    def keep(_state, _action, new, _entries):
        states.append(new)

    play_out(scenario, seed, playing, picks, check=keep)
    order = data.draw(st.permutations(range(len(states))))
    for index in order:
        state = states[index]
        for envoy_id in playing:
            envoy = scenario.envoy_index(envoy_id)
            assert player_view(state, envoy_id).rng == rng.derive(
                state.rng, view._VIEW_SALT + envoy
            )


# --------------------------------------------------------- a game played without a ledger

CRISES = [
    "border_incident",
    "long_peace",
    "middle_power_at_sea",
    "ping_pong_thaw",
    "summit_on_the_brink",
    "tutorial",
]
_crises: dict = {}


def crisis(file: str):
    if file not in _crises:
        _crises[file] = load_scenario(SCENARIO_DIR / f"{file}.yaml").unwrap()
    return _crises[file]


@pytest.mark.parametrize("file", CRISES)
@pytest.mark.parametrize("policy", ["random", "greedy"])
def test_a_game_played_without_a_ledger_is_the_game_played_with_one(file, policy):
    for seed in range(3):
        kept = play_game(crisis(file), seed, policy, keep_ledger=True)
        unkept = play_game(crisis(file), seed, policy)
        assert unkept.actions == kept.actions
        assert state_hash(unkept.state) == state_hash(kept.state)
        assert unkept.entries == () and kept.entries


@PROFILE
@given(seed=st.integers(min_value=0, max_value=2**63 - 1), picks=choices)
def test_apply_without_recording_makes_the_same_state_and_no_entries(scenario, seed, picks):
    def check(state, action, new, entries):
        unrecorded, none = apply(state, action, record=False)
        assert none == []
        assert unrecorded == new and state_hash(unrecorded) == state_hash(new)

    play_out(scenario, seed, None, picks, check=check)


# ------------------------------------------- legal actions from the seat's turn table


def reference_legal(state, envoy_id: str) -> list:
    """legal_actions as the rules define it, one action at a time through why_illegal:
    the decision's options on offer; or every allowed Play, move by move in file
    order and target by target (parties, accords, relations in declared order),
    then every allowed Amend (accord, issue and option in declared order), then a
    Withdraw per chosen move in the order chosen, then End."""
    scenario, t = state.scenario, state.scenario.tables
    if state.phase == DECISION and state.decisions:
        options = scenario.events[state.decisions[0][0]].decision.options
        candidates = [Decide(envoy_id, option.id) for option in options]
    else:
        candidates = []
        for spec in scenario.moves:
            if spec.target == "none":
                targets = [()]
            elif spec.target == "party":
                targets = [(p,) for p in t.parties]
            elif spec.target == "accord":
                targets = [(a,) for a in t.accords]
            else:
                targets = [(t.parties[r.a], t.parties[r.b]) for r in scenario.relations]
            candidates += [Play(envoy_id, spec.id, names) for names in targets]
        envoy = t.envoys.index(envoy_id)
        candidates += [
            Amend(envoy_id, accord.id, issue.id, option.id)
            for accord in scenario.accords
            for issue in accord.issues
            for option in issue.options
        ]
        candidates += [
            Withdraw(envoy_id, scenario.moves[c.move].id) for c in state.pending if c.envoy == envoy
        ]
        candidates.append(End(envoy_id))
    return [action for action in candidates if not why_illegal(state, action)]


def thrifty_lab():
    """The lab crisis with requirements that read capital (asked on every look) and
    one that reads the meters (asked once a turn)."""
    data = lab_dict()
    data["moves"] += [
        move("thrifty", "mediation", "none", requires="capital(self) >= 2"),
        move(
            "careful",
            "communication",
            "relation",
            requires="tension(a, b) >= 30 and capital(self) <= 2",
        ),
        move("tense", "communication", "relation", requires="tension(a, b) >= 30"),
    ]
    return compile_dict(data, "thrifty.yaml")


PLAYED = [*CRISES, "thrifty"]


def played(file: str):
    if file == "thrifty":
        if file not in _crises:
            _crises[file] = thrifty_lab()
        return _crises[file]
    return crisis(file)


@settings(max_examples=40, deadline=None)
@given(
    file=st.sampled_from(PLAYED),
    seed=st.integers(min_value=0, max_value=2**63 - 1),
    picks=st.lists(st.integers(min_value=0, max_value=10_000), max_size=80),
    fresh=st.booleans(),
)
def test_legal_actions_from_a_seat_s_turn_are_the_rules_list_in_its_order(file, seed, picks, fresh):
    """At every step of a random game, for the seat whose turn it is (its view and
    the full state) and for a seat waiting: the same list, in the same order, as
    the rules give, whether the seat's turn is kept from earlier looks or made anew;
    and the same view as one built from nothing."""
    scenario = played(file)
    state, _ = new_game(scenario, seed)
    for pick in picks:
        if state.is_over:
            break
        envoy_id = scenario.envoys[state.acting].id
        waiting = [scenario.envoys[e].id for e in state.turn_order if e != state.acting]
        for looking in [envoy_id, *waiting[:1]]:
            # A view made from the parts kept from earlier views is the view made afresh.
            assert player_view(state, looking) == reference_view(state, looking)
            for seen in (player_view(state, looking), state):
                if fresh:
                    rules._turns.clear()
                assert legal_actions(seen, looking) == reference_legal(seen, looking)
        view = player_view(state, envoy_id)
        legal = legal_actions(view, envoy_id)
        state, _ = apply(state, legal[pick % len(legal)], record=False)


def test_a_requirement_that_reads_capital_is_asked_again_after_each_choice():
    scenario = thrifty_lab()
    state, _ = new_game(scenario, 1)
    envoy_id = scenario.envoys[state.acting].id
    names = [a.move for a in legal_actions(state, envoy_id) if isinstance(a, Play)]
    assert "thrifty" in names and "careful" not in names  # 3 capital: thrifty, not careful
    pricey = next(a for a in legal_actions(state, envoy_id) if getattr(a, "move", "") == "squeeze")
    state, _ = apply(state, pricey)  # 2 capital left: both
    names = [a.move for a in legal_actions(state, envoy_id) if isinstance(a, Play)]
    assert "thrifty" in names and "careful" in names
    calm = next(a for a in legal_actions(state, envoy_id) if getattr(a, "move", "") == "calm_talk")
    state, _ = apply(state, calm)  # 1 capital left: careful, not thrifty
    names = [a.move for a in legal_actions(state, envoy_id) if isinstance(a, Play)]
    assert "thrifty" not in names and "careful" in names
    assert legal_actions(state, envoy_id) == reference_legal(state, envoy_id)


def test_an_end_offered_for_one_turn_is_refused_once_the_turn_has_passed(border):
    state, _ = new_game(border, 1)
    envoy_id = border.envoys[state.acting].id
    end = legal_actions(player_view(state, envoy_id), envoy_id)[-1]
    assert isinstance(end, End)
    after, _ = apply(state, end)
    assert border.envoys[after.acting].id != envoy_id
    with pytest.raises(IllegalAction) as refused:
        apply(after, end)
    assert str(refused.value) == f"{end}: {why_illegal(after, end)}"
