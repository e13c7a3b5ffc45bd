"""One test (or a few) per rule of DESIGN §1.2-§1.7, on the lab crisis from conftest."""

from __future__ import annotations

import pytest
from conftest import compile_dict, lab_dict, move

from game.engine.actions import Decide, End, IllegalAction, Play, Withdraw
from game.engine.ledger import BEHAVIOUR, DELAYED, DRIFT, EVENT
from game.engine.outcome import score, scores
from game.engine.rules import apply, legal_actions, new_game, preview, why_illegal
from game.engine.state import CONFLICT, DECISION, DIPLOMACY, PEACE, STALEMATE, state_hash
from game.engine.view import ledger_view
from game.session import narrate

AB = ("alpha", "beta")


def rel(scenario, a="alpha", b="beta") -> int:
    t = scenario.tables
    return t.relation_of[t.parties.index(a)][t.parties.index(b)]


def play(state, *texts):
    """Apply actions written as text; returns the state and every ledger entry."""
    from game.engine.actions import Action

    entries = []
    for text in texts:
        state, new = apply(state, Action.parse(text))
        entries.extend(new)
    return state, entries


def end_turn(state):
    """Every seat ends its turn (choosing nothing more)."""
    entries, turn = [], state.turn
    while state.phase == DIPLOMACY and state.turn == turn and not state.is_over:
        envoy_id = state.scenario.envoys[state.acting].id
        state, new = apply(state, End(envoy_id))
        entries.extend(new)
    return state, entries


def notes(entries, scenario) -> list[str]:
    return [narrate.note(scenario, e) for e in entries if not e.is_change]


# ------------------------------------------------------------ §1.2 turn sequence


def test_a_new_game_starts_turn_one_with_income(lab):
    state, entries = new_game(lab, seed=1)
    assert (state.turn, state.phase, state.acting) == (1, DIPLOMACY, 0)
    assert state.capital == (3, 3)
    assert notes(entries, state.scenario)[0] == "Turn 1 of 5."


def test_unspent_capital_carries_over_up_to_the_cap(lab):
    state, _ = new_game(lab, seed=1)
    state, _ = play(state, "end one", "calm_talk two alpha beta")  # two keeps 2 of 3
    state, _ = end_turn(state)
    carry = lab.rules.capital_carry_max
    assert state.capital == (min(3, carry) + 3, min(2, carry) + 3)


def test_seats_choose_in_turn_order_and_others_must_wait(lab):
    state, _ = new_game(lab, seed=1)
    with pytest.raises(IllegalAction, match="not this seat's turn"):
        apply(state, Play("two", "cool"))
    assert legal_actions(state, "two") == []
    state, _ = apply(state, End("one"))
    assert state.acting == 1
    assert Play("two", "cool") in legal_actions(state, "two")


def test_an_illegal_action_raises_and_changes_nothing(lab):
    state, _ = new_game(lab, seed=1)
    before = state_hash(state)
    for text, reason in [
        ("pricey one", None),  # legal: 3 capital
        ("calm_talk one alpha gamma", "no relation"),
        ("calm_talk one alpha", "takes two parties"),
        ("squeeze one delta", "unknown party"),
        ("teleport one", "unknown move"),
        ("cool nobody", "has no seat"),
    ]:
        action = Play.parse(text)
        if reason is None:
            assert why_illegal(state, action) == ""
            continue
        with pytest.raises(IllegalAction, match=reason):
            apply(state, action)
        assert state_hash(state) == before
    spent, _ = play(state, "pricey one")
    with pytest.raises(IllegalAction, match="costs 1 capital; 0 left"):
        apply(spent, Play("one", "cool"))
    with pytest.raises(IllegalAction, match="already chosen"):
        apply(spent, Play("one", "pricey"))


def test_withdrawing_a_move_refunds_its_cost(lab):
    state, _ = new_game(lab, seed=1)
    chosen, _ = play(state, "pricey one")
    assert chosen.capital[0] == 0
    back, entries = apply(chosen, Withdraw("one", "pricey"))
    assert back.capital[0] == 3 and back.pending == ()
    assert notes(entries, state.scenario) == ["Withdrew Pricey."]
    with pytest.raises(IllegalAction, match="was not chosen"):
        apply(back, Withdraw("one", "pricey"))


def test_moves_resolve_by_family_order_then_seat_order(lab):
    assert lab.rules.resolution_order == ("communication", "mediation", "cultural", "sanctions")
    state, _ = new_game(lab, seed=1)
    state, _ = play(
        state, "squeeze one gamma", "later one beta gamma", "cool one", "end one", "pricey two"
    )
    state, entries = end_turn(state)
    told = notes(entries, state.scenario)
    resolved = [n.split(":")[1].split()[0] for n in told if " succeeded" in n]
    # communication (cool, one), mediation (pricey, two), cultural (later), sanctions (squeeze)
    assert resolved == ["Cool", "Pricey", "Later", "Squeeze"]


def test_seat_order_breaks_ties_within_a_family(lab):
    state, _ = new_game(lab, seed=1)
    state, _ = play(state, "calm_talk one alpha beta", "end one", "cool two")
    state, entries = end_turn(state)
    resolved = [n.split(":")[0] for n in notes(entries, state.scenario) if "succeeded" in n]
    assert resolved == ["Envoy One", "Envoy Two"]


def test_a_move_rolls_once_against_the_odds_shown(lab):
    seen = {True: 0, False: 0}
    for seed in range(40):
        state, _ = new_game(lab, seed=seed)
        shown = preview(state, Play("one", "shuttle", AB)).chance
        assert shown == pytest.approx(0.5)  # lower standing of the two, 50, over 100
        state, _ = play(state, "shuttle one alpha beta")
        assert state.pending[0].chance == shown
        state, entries = end_turn(state)
        rolls = [e.cause for e in entries if e.cause.id == "shuttle" and not e.is_change]
        assert len(rolls) == 1
        cause = rolls[0]
        assert cause.chance == shown and 0 <= cause.roll < 1
        success = cause.roll < cause.chance
        seen[success] += 1
        changed = {e.meter for e in entries if e.cause.id == "shuttle" and e.is_change}
        assert changed == ({"tension", "trust"} if success else {"standing"})
    assert seen[True] and seen[False]


def test_sure_and_hopeless_moves_roll_no_dice(lab):
    state, _ = new_game(lab, seed=3)
    dice = state.rng
    state, _ = play(state, "cool one", "doomed one")
    state, entries = end_turn(state)
    causes = [e.cause for e in entries if e.cause.id in ("cool", "doomed")]
    assert causes and all(c.roll is None for c in causes)
    assert state.counters[0] == 1  # doomed always fails: its failure effect ran
    assert state.rng == dice  # nothing in the lab rolled


def test_failure_effects_run_when_the_roll_fails(lab):
    state, _ = new_game(lab, seed=1)
    state, _ = play(state, "doomed one")
    state, entries = end_turn(state)
    assert any("Doomed failed" in n for n in notes(entries, state.scenario))
    assert state.counters[lab.tables.counters.index("fails")] == 1


# ------------------------------------------------------------------ §1.3 moves


def test_requires_makes_a_move_illegal_until_it_holds(lab):
    state, _ = new_game(lab, seed=1)
    assert Play("one", "propose_accord", ("pact",)) not in legal_actions(state, "one")
    assert "requirements" in why_illegal(state, Play("one", "propose_accord", ("pact",)))


def test_cooldown_skips_the_next_turns(lab):
    state, _ = new_game(lab, seed=1)
    state, _ = play(state, "cool one")
    state, _ = end_turn(state)
    for _ in range(2):
        assert "cooling down until turn 4" in why_illegal(state, Play("one", "cool"))
        state, _ = end_turn(state)
    assert state.turn == 4
    assert Play("one", "cool") in legal_actions(state, "one")


def test_joint_move_resolves_once_for_everyone_who_joined(lab):
    state, _ = new_game(lab, seed=1)
    r = rel(lab)
    state, _ = play(state, "summit one alpha beta", "end one", "summit two alpha beta")
    before = state
    state, entries = end_turn(state)
    summit = [e for e in entries if e.cause.id == "summit" and e.is_change]
    assert [e.meter for e in summit].count("trust") == 1
    assert [e.subject[0] for e in summit if e.meter == "standing"] == ["one", "two"]
    assert any("Envoy One and Envoy Two: Summit" in n for n in notes(entries, state.scenario))
    assert state.trust[r] == before.trust[r] + 10


def test_joint_move_without_enough_envoys_returns_the_capital(lab):
    state, _ = new_game(lab, seed=1)
    state, _ = play(state, "summit one alpha beta")
    state, entries = end_turn(state)
    assert any("needed 2 envoys and found 1" in n for n in notes(entries, state.scenario))
    assert state.capital[0] == lab.rules.capital_carry_max + 3  # refunded, then carried


def test_delayed_effect_in_n_turns_applies_once(lab):
    state, _ = new_game(lab, seed=1)
    state, _ = play(state, "later one beta gamma")
    applied = []
    while not state.is_over:
        state, entries = end_turn(state)
        applied += [e.turn for e in entries if e.cause.kind == DELAYED and e.meter == "trust"]
    assert applied == [3]


def test_delayed_effect_each_turn_for_n_turns(lab):
    state, _ = new_game(lab, seed=1)
    state, _ = play(state, "slow one beta gamma")
    applied = []
    while not state.is_over:
        state, entries = end_turn(state)
        applied += [e.turn for e in entries if e.cause.kind == DELAYED and e.meter == "trust"]
    assert applied == [2, 3]


def test_secret_move_is_hidden_from_other_seats_in_the_ledger(lab):
    state, _ = new_game(lab, seed=1)
    state, _ = play(state, "whisper one alpha")
    state, entries = end_turn(state)
    mine = ledger_view(entries, "one")
    theirs = ledger_view(entries, "two")
    assert any("Alpha plans a parade" in narrate.line(lab, e) for e in mine)
    assert not any("parade" in narrate.describe(lab, e) for e in theirs)
    change = [e for e in theirs if e.meter == "standing"]
    assert change and change[0].cause.kind == "secret" and change[0].source == ""
    assert state.knows(lab.tables.fact_index(0, "plan"), 0)
    assert not state.knows(lab.tables.fact_index(0, "plan"), 1)


# ------------------------------------------------------------------ §1.2 world


def test_pressure_drifts_tension_up(lab):
    state, _ = new_game(lab, seed=1)
    r = rel(lab)
    state, entries = end_turn(state)
    drift = [e for e in entries if e.cause.kind == DRIFT]
    assert [(e.subject, e.delta) for e in drift] == [(AB, 4)]
    assert drift[0].source.startswith("lab.yaml:")  # the line of the relation's pressure
    assert state.tension[r] == 54


def test_a_hotline_halves_drift_and_runs_out(lab):
    state, _ = new_game(lab, seed=1)
    r = rel(lab)
    state, _ = play(state, "hotline one alpha beta")
    deltas = []
    for _ in range(4):
        state, entries = end_turn(state)
        deltas += [e.delta for e in entries if e.cause.kind == DRIFT]
    assert deltas == [2, 2, 2, 4]
    assert state.hotline[r] == 0


def test_signed_accords_damp_drift(lab):
    data = lab_dict()
    data["relations"][0]["trust"] = 70
    data["relations"][0]["tension"] = 30
    data["peace"] = "false"
    scenario = compile_dict(data)
    state, _ = new_game(scenario, seed=1)
    state, _ = play(state, "propose_accord one pact")
    state, entries = end_turn(state)
    assert state.signed[0] == 1
    factor = scenario.rules.accord_drift_factor
    drift = [e.delta for e in entries if e.cause.kind == DRIFT]
    assert drift == [round(4 * factor)]


def test_behaviours_fire_when_their_condition_holds():
    data = lab_dict()
    data["parties"][1]["idle_weight"] = 0
    data["parties"][1]["behaviours"] = [
        {
            "id": "rally",
            "text": "Beta rallies.",
            "weight": 1,
            "when": "tension(alpha, beta) >= 60",
            "effects": ["trust(alpha, beta) -= 3"],
        },
    ]
    scenario = compile_dict(data)
    state, _ = new_game(scenario, seed=1)
    fired = []
    while not state.is_over:
        state, entries = end_turn(state)
        fired += [(e.turn, e.delta) for e in entries if e.cause.kind == BEHAVIOUR and e.is_change]
    # tension 50 +4 a turn: 54, 58, 62 after turn 3's drift; behaviours run before drift
    assert fired == [(4, -3), (5, -3)]


def test_behaviour_weights_against_idling_are_honoured():
    data = lab_dict()
    data["parties"][1]["idle_weight"] = 3
    data["parties"][1]["behaviours"] = [
        {"id": "wave", "text": "Beta waves.", "weight": 1, "effects": ["counter(ticks) += 1"]},
    ]
    data["turns"] = 40
    data["relations"][0]["pressure"] = 0
    scenario = compile_dict(data)
    counts = []
    for seed in range(5):
        state, _ = new_game(scenario, seed=seed)
        while not state.is_over:
            state, _ = end_turn(state)
        counts.append(state.counters[1])
    share = sum(counts) / (40 * 5)
    assert 0.15 < share < 0.35  # weight 1 against idle 3: a quarter


# ------------------------------------------------------------------- §1.4 news


def events_lab(*events, turns=5):
    data = lab_dict()
    data["events"] = list(events)
    data["turns"] = turns
    data["relations"][0]["pressure"] = 0
    return compile_dict(data)


def fired_turns(scenario, event_id, seed=1):
    state, entries = new_game(scenario, seed=seed)
    turns = [e.turn for e in entries if e.cause.kind == EVENT and e.cause.id == event_id]
    while not state.is_over:
        state, entries = end_turn(state)
        turns += [e.turn for e in entries if e.cause.kind == EVENT and e.cause.id == event_id]
    return [t for i, t in enumerate(turns) if i == 0 or t != turns[i - 1]]


def test_scheduled_event_fires_at_its_turn():
    scenario = events_lab(
        {
            "id": "parade",
            "title": "Parade",
            "text": "Drums.",
            "at_turn": 3,
            "effects": ["counter(ticks) += 1"],
        }
    )
    assert fired_turns(scenario, "parade") == [3]


def test_triggered_event_fires_once_when_its_condition_holds():
    scenario = events_lab(
        {
            "id": "late",
            "title": "Late",
            "text": "It is late.",
            "when": "turn() >= 2",
            "effects": ["counter(ticks) += 1"],
        }
    )
    assert fired_turns(scenario, "late") == [2]


def test_triggered_event_with_once_false_and_cooldown_repeats_after_it():
    scenario = events_lab(
        {
            "id": "drum",
            "title": "Drum",
            "text": "Boom.",
            "when": "true",
            "once": False,
            "cooldown": 1,
        },
        turns=6,
    )
    assert fired_turns(scenario, "drum") == [1, 3, 5]


def test_at_most_one_pool_event_a_turn_and_pool_when_gates_it():
    pool = [
        {"id": f"e{i}", "title": "E", "text": "E.", "pool": {"weight": 5}} for i in range(3)
    ] + [{"id": "never", "title": "N", "text": "N.", "pool": {"weight": 100, "when": "false"}}]
    scenario = events_lab(*pool, turns=30)
    for seed in range(3):
        state, entries = new_game(scenario, seed=seed)
        every = list(entries)
        while not state.is_over:
            state, entries = end_turn(state)
            every += entries
        per_turn = {}
        for e in every:
            if e.cause.kind == EVENT:
                per_turn[e.turn] = per_turn.get(e.turn, 0) + 1
                assert e.cause.id != "never"
        assert max(per_turn.values()) == 1
        # weights 15 against "nothing" 3: most turns have news, some do not
        assert 15 <= len(per_turn) < 30


def test_a_decision_waits_for_its_seat_and_offers_only_open_options():
    decision = {
        "envoy": "two",
        "prompt": "Which way?",
        "options": [
            {"id": "left", "text": "Left.", "effects": ["counter(ticks) += 1"]},
            {"id": "right", "text": "Right.", "effects": ["counter(ticks) += 2"]},
            {"id": "up", "text": "Up.", "when": "turn() > 3"},
        ],
    }
    scenario = events_lab(
        {"id": "fork", "title": "Fork", "text": "A fork.", "at_turn": 1, "decision": decision}
    )
    state, _ = new_game(scenario, seed=1)
    assert state.phase == DECISION and state.acting == 1
    assert legal_actions(state, "one") == []
    assert legal_actions(state, "two") == [Decide("two", "left"), Decide("two", "right")]
    with pytest.raises(IllegalAction, match="not offered"):
        apply(state, Decide("two", "up"))
    state, entries = apply(state, Decide("two", "right"))
    assert state.phase == DIPLOMACY and state.counters[1] == 2
    assert entries[-1].cause.kind == "decision" and entries[-1].source.startswith("lab.yaml:")


def test_a_decision_for_an_unseated_envoy_takes_its_first_open_option():
    decision = {
        "envoy": "two",
        "prompt": "Which way?",
        "options": [
            {"id": "closed", "text": "Closed.", "when": "false"},
            {"id": "open", "text": "Open.", "effects": ["counter(ticks) += 7"]},
        ],
    }
    scenario = events_lab(
        {"id": "fork", "title": "Fork", "text": "A fork.", "at_turn": 1, "decision": decision}
    )
    state, _ = new_game(scenario, seed=1, playing=["one"])
    assert state.phase == DIPLOMACY and state.counters[1] == 7


# ------------------------------------------------------------ end check, §1.7


def test_conflict_when_a_relation_reaches_conflict_at():
    data = lab_dict()
    data["relations"][0].update(tension=95, pressure=10)
    scenario = compile_dict(data)
    state, _ = new_game(scenario, seed=1)
    state, entries = end_turn(state)
    assert state.is_over and state.outcome == CONFLICT
    assert "Conflict has broken out" in notes(entries, state.scenario)[-1]
    with pytest.raises(IllegalAction, match="game is over"):
        apply(state, End("one"))


def test_peace_when_the_peace_condition_holds(lab):
    data = lab_dict()
    data["relations"][0]["trust"] = 65
    scenario = compile_dict(data)
    state, _ = new_game(scenario, seed=1)
    state, _ = play(state, "propose_accord one pact")
    state, _ = end_turn(state)
    assert state.outcome == PEACE and state.turn == 1


def test_stalemate_when_the_last_turn_ends(lab):
    state, _ = new_game(lab, seed=1)
    while not state.is_over:
        state, _ = end_turn(state)
    assert (state.outcome, state.turn) == (STALEMATE, 5)


def test_scoring_peace_multiplies_and_conflict_zeroes_the_shared_part(lab):
    state, _ = new_game(lab, seed=1)
    rules = lab.rules
    peace, stale, war = (score(state, 0, o) for o in (PEACE, STALEMATE, CONFLICT))
    assert peace.shared == rules.shared_points["peace"]
    assert war.shared == 0 and war.total < stale.total < peace.total
    assert peace.total == pytest.approx(
        (peace.agenda + peace.standing + peace.shared) * rules.multiplier["peace"]
    )
    assert stale.standing == pytest.approx(rules.standing_weight * 50)


def test_agenda_points_count_objectives_met_at_the_end(lab):
    data = lab_dict()
    data["relations"][0]["tension"] = 30
    scenario = compile_dict(data)
    state, _ = new_game(scenario, seed=1)
    result = scores(state)
    assert [o.met for o in result["one"].objectives] == [True]
    assert result["one"].agenda == 5 and result["two"].agenda == 0


def test_seating_rules(lab):
    with pytest.raises(ValueError, match="unknown envoy"):
        new_game(lab, 1, ["three"])
    with pytest.raises(ValueError, match="only one seat"):
        new_game(lab, 1, ["one", "one"])
    data = lab_dict()
    data["envoys"][1]["required"] = True
    with pytest.raises(ValueError, match="must have a seat"):
        new_game(compile_dict(data), 1, ["one"])


def test_library_moves_can_be_disabled_and_replaced():
    data = lab_dict()
    data["disable_moves"] = ["embargo"]
    data["moves"].append(move("hotline", "communication", "relation", cost=5, override=True))
    scenario = compile_dict(data)
    ids = [m.id for m in scenario.moves]
    assert "embargo" not in ids
    assert scenario.moves[ids.index("hotline")].cost == 5


def test_a_move_an_earlier_move_made_impossible_fizzles_and_refunds():
    data = lab_dict()
    data["relations"][0]["trust"] = 65
    data["peace"] = "false"
    scenario = compile_dict(data)
    state, _ = new_game(scenario, seed=1)
    state, _ = play(state, "propose_accord one pact", "end one", "propose_accord two pact")
    state, entries = end_turn(state)
    assert state.signed[0] == 1
    told = notes(entries, state.scenario)
    assert any("Envoy Two: Propose an accord: Pact is no longer possible" in n for n in told)
    carry = scenario.rules.capital_carry_max
    assert state.capital == (3, min(3, carry) + 3)  # one spent 3; two got its 3 back
