"""The table without a window: hot-seat secrecy, the playback cursor, the cards'
order and focus, the AI's time slices, the timer and the facilitator's words.

Time is a fake clock the tests move by hand.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.content.loader import SCENARIO_DIR, load_scenario
from game.engine.actions import Adjust, Decide, End, Play
from game.engine.ledger import Entry
from game.engine.state import DECISION, EVERYONE, ROOM
from game.engine.view import ledger_view, player_view, public_view
from game.session import narrate
from game.session.match import AI, HUMAN, Classroom, Match, Seat, Source
from game.session.table import Table

PROFILE = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
CRISES = ["border_incident", "middle_power_at_sea", "summit_on_the_brink"]


class FakeClock:
    """A clock that moves ``tick`` seconds each time it is read, and by hand."""

    def __init__(self, tick: float = 0.0):
        self.now, self.tick = 0.0, tick

    def __call__(self) -> float:
        self.now += self.tick
        return self.now


def loaded(name: str):
    return load_scenario(SCENARIO_DIR / f"{name}.yaml")


def to_the_next_human_turn(table: Table) -> None:
    """Play the resolution, the decisions and the AI seats until a human chooses again."""
    while table.playback is not None or not table.human_turn:
        if table.playback is not None:
            table.advance()
        else:
            answer_or_let_the_ai_play(table)


def answer_or_let_the_ai_play(table: Table) -> None:
    """Answer a pending decision with its first option, or let the acting AI seat choose."""
    match = table.match
    if table.decision_pending():
        envoy = match.acting_id
        option = next(a for a in match.legal(envoy) if isinstance(a, Decide))
        table.decide(envoy, option.option)
    else:
        table.start_ai()
        while table.thinking is not None:
            table.think(table.clock() + 1)


def match_of(name: str, seed: int, kinds: list[str], difficulty: str = "easy") -> Match:
    result = loaded(name)
    scenario = result.unwrap()
    seats = [
        Seat(envoy.id, kind, difficulty, name=f"Team {i + 1}" if kind == HUMAN else "")
        for i, (envoy, kind) in enumerate(zip(scenario.envoys, kinds, strict=False))
    ]
    return Match.start(scenario, Source.of(result), seed, seats)


# ------------------------------------------------------------------ hot-seat secrecy


def secrets_of_others(match: Match, viewer: str | None) -> list[str]:
    """The words only some other seat may read: agendas, private notes, private facts."""
    scenario, state = match.scenario, match.state
    me = scenario.envoy_index(viewer) if viewer is not None else None
    found = []
    for index, envoy in enumerate(scenario.envoys):
        if index != me:
            found += [str(o.text) for o in envoy.agenda]
    words = {id(e): narrate.note(scenario, e) for e in match.ledger if not e.is_change}
    mine = {words[id(e)] for e in ledger_view(match.ledger, viewer or "") if not e.is_change}
    for entry in match.ledger:
        private = entry.cause.private_to and entry.cause.private_to != viewer
        # two seats may note the same words, each its own
        if private and not entry.is_change and words[id(entry)] not in mine:
            found.append(words[id(entry)])
    for fact, who in state.revealed:
        known = (fact, EVERYONE) in state.revealed or (fact, me) in state.revealed
        if who != me and not known:
            found.append(str(scenario.facts[fact].text))
    # a secret shorter than a word would match by chance in any sentence
    return [text for text in found if len(text) > 12]


def words_handed_out(table: Table) -> list[str]:
    """Every text the table gives a screen now."""
    scenario = table.match.scenario
    header = table.header()
    texts = [header.status, str(header.capital), table.advice, table.cards_title()]
    texts.append(table.chosen_text())
    for card in table.cards:
        texts.append(table.unavailable(card))
        texts.append(table.cost_text(card))
        texts += [detail.text for detail in table.details(card)]
        if card.action is not None and card.action.targets:
            texts.append(narrate.targets(scenario, card.action.move, card.action.targets))
    texts += table.chosen()
    for spot in [*table.spots(), None]:
        texts += [detail.text for detail in table.spot_details(spot)]
    for entry in table.log_entries():
        texts += [narrate.line(scenario, entry), narrate.why(scenario, entry)]
    if table.playback is not None:
        for beat in table.playback.beats[: table.playback.index + 1]:
            texts.append(beat.headline)
    return texts


def assert_nothing_hidden_shown(table: Table) -> None:
    match, viewer = table.match, table.viewer
    state = match.state
    assert table.hand == viewer  # in hot-seat play the cards are only ever the viewer's
    seen = table.view()
    envoy = match.scenario.envoy_index(viewer) if viewer is not None else ROOM
    assert seen.viewer == envoy
    if table.playback is None:
        expected = player_view(state, viewer) if viewer is not None else public_view(state)
        assert seen == expected
        assert table.log_entries() == ledger_view(match.ledger, viewer or "")
    else:
        # mid-playback: a prefix of what this seat may read, and the view it had
        whole = ledger_view(match.ledger, viewer or "")
        shown = table.log_entries()
        assert shown == whole[: len(shown)]
    for other, spec in enumerate(seen.scenario.envoys):
        if other != envoy:
            assert spec.agenda == ()
    assert all(chosen.envoy == envoy for chosen in seen.pending)
    assert all(who in (EVERYONE, envoy) for _, who in seen.revealed)
    if viewer is None:
        assert table.cards == [] and table.chosen() == []
    texts = words_handed_out(table)
    leaked = [s for s in secrets_of_others(match, viewer) if any(s in text for text in texts)]
    assert leaked == []


def play_hot_seat(table: Table, picks: list[int], check) -> None:
    """Play a hot-seat game through the table as a class would, calling ``check`` at
    every moment a screen could show: each hand-off, each choice, each beat."""
    match = table.match
    for pick in picks:
        if match.over:
            return
        check(table)
        if table.playback is not None:
            table.advance()
            continue
        handoff = table.handing_off
        if handoff is not None:
            table.take_seat(handoff)
            continue
        if table.decision_pending():
            envoy = match.acting_id
            options = [a for a in match.legal(envoy) if isinstance(a, Decide)]
            table.decide(envoy, options[pick % len(options)].option)
            continue
        if table.ai_to_move:
            table.start_ai()
            while table.thinking is not None:
                table.think(table.clock() + 1)
            continue
        if table.human_turn:
            if pick % 11 == 0 and not table.advice:  # the team asks the advisor first
                table.ask_advisor()
                while table.thinking is not None:
                    table.think(table.clock() + 1)
                check(table)
            legal = [a for a in match.legal(table.hand) if isinstance(a, Play)]
            if legal and pick % 3:
                card = next(c for c in table.cards if legal[pick % len(legal)] in c.plays)
                table.select(table.cards.index(card))
                table.choose_selected()
            else:
                table.end_turn()
            continue
        raise AssertionError("the table is stuck")


@PROFILE
@given(
    crisis=st.sampled_from(CRISES),
    seed=st.integers(min_value=0, max_value=2**31),
    picks=st.lists(st.integers(min_value=0, max_value=10_000), min_size=10, max_size=90),
    ai_last=st.booleans(),
)
def test_no_team_is_ever_handed_what_player_view_hides(crisis, seed, picks, ai_last):
    scenario = loaded(crisis).unwrap()
    kinds = [HUMAN] * len(scenario.envoys)
    if ai_last and len(kinds) > 2:
        kinds[-1] = AI
    match = match_of(crisis, seed, kinds)
    table = Table(match, clock=FakeClock(0.001))
    assert match.hot_seat and table.viewer is None
    play_hot_seat(table, picks, assert_nothing_hidden_shown)
    assert_nothing_hidden_shown(table)


def test_the_secrecy_check_sees_a_leak():
    """The property's own check fails on a table that shows the whole state."""
    match = match_of("border_incident", 3, [HUMAN, HUMAN, HUMAN])
    table = Table(match)
    table.take_seat(match.acting_id)
    table._view_now = lambda: match.state  # the bug the table exists to rule out
    table._seen = (None, None, None)
    with pytest.raises(AssertionError):
        assert_nothing_hidden_shown(table)


# ------------------------------------------------------------------ the playback cursor


def resolved_table(seed: int = 11) -> Table:
    """A solo Border Incident table just after its first turn resolved."""
    match = match_of("border_incident", seed, [HUMAN, AI, AI])
    table = Table(match, clock=FakeClock(0.001))
    while table.playback is None:
        if table.human_turn:
            card = next(c for c in table.cards if c.usable)
            table.select(table.cards.index(card))
            table.choose_selected()
            table.end_turn()
        else:
            answer_or_let_the_ai_play(table)
    return table


def test_at_the_first_step_the_log_and_header_tell_nothing_of_later_steps():
    table = resolved_table()
    playback = table.playback
    assert len(playback.beats) > 2
    match = table.match
    resolved = playback.turn
    assert match.state.turn == resolved + 1  # the game has moved on ...
    header = table.header()
    assert header.turn == resolved  # ... but the screen has not, yet
    assert header.status == f"Resolving turn {resolved}"
    later = [b.headline for b in playback.beats[1:]]
    log = [narrate.line(match.scenario, e) for e in table.log_entries()]
    told = log[len(playback.earlier) :]
    assert not any(headline in told for headline in later if headline not in log[: len(told)])
    assert all(e in playback.beats[0].changes or not e.is_change for e in playback.told)
    assert not any(e.turn > resolved for e in table.log_entries())
    # the meters on the view are those before the resolution, plus the first beat's
    before, first = playback.before, playback.told
    assert table.view().tension == _applied(before, first, "tension")


def _applied(state, entries: list[Entry], meter: str) -> tuple:
    values = list(getattr(state, meter))
    ids = [p.id for p in state.scenario.parties]
    for entry in entries:
        if entry.meter == meter:
            a, b = (ids.index(x) for x in entry.subject)
            values[state.scenario.relation_index(a, b)] = entry.after
    return tuple(values)


def test_each_step_shows_exactly_the_story_so_far_and_the_end_shows_all():
    table = resolved_table(5)
    match, playback = table.match, table.playback
    whole = match.log_for(table.viewer)
    beats = list(playback.beats)
    seen_turns = []
    for index in range(len(beats)):
        assert playback.index == index
        shown = table.log_entries()
        assert shown == whole[: len(shown)]
        story = [b for b in narrate.beats(match.scenario, playback.told) if b.headline or b.changes]
        assert story == beats[: index + 1]
        seen_turns.append(table.header().turn)
        table.advance()
    assert table.playback is None
    assert table.log_entries() == whole
    assert seen_turns == sorted(seen_turns) and seen_turns[0] == playback.turn
    assert table.header().turn == match.state.turn


def story_so_far_is_told(table: Table) -> None:
    playback = table.playback
    if playback is None:
        return
    scenario = table.match.scenario
    told = [b for b in narrate.beats(scenario, playback.told) if b.headline or b.changes]
    assert told == playback.beats[: playback.index + 1]
    rest = playback.entries[len(playback.told) :]
    later = [b for b in narrate.beats(scenario, rest) if b.headline or b.changes]
    assert told + later == playback.beats  # nothing told twice, nothing skipped


@settings(max_examples=15, deadline=None)
@given(
    crisis=st.sampled_from(CRISES),
    seed=st.integers(min_value=0, max_value=2**31),
    picks=st.lists(st.integers(min_value=0, max_value=10_000), min_size=10, max_size=90),
)
def test_every_beat_of_every_playback_tells_the_story_so_far(crisis, seed, picks):
    scenario = loaded(crisis).unwrap()
    match = match_of(crisis, seed, [HUMAN] * len(scenario.envoys))
    play_hot_seat(Table(match, clock=FakeClock(0.001)), picks, story_so_far_is_told)


def test_the_capital_in_the_header_is_that_of_the_step_told():
    table = resolved_table(9)
    playback, match = table.playback, table.match
    envoy = match.scenario.envoy_index(table.hand)
    while table.playback is not None:
        expected = playback.before.capital[envoy]
        for entry in playback.told:
            if entry.meter == "capital" and entry.subject == (table.hand,):
                expected = entry.after
        assert table.header().capital == expected
        table.advance()
    assert table.header().capital == match.state.capital[envoy]


# ------------------------------------------------------------------ the cards


def test_the_cards_keep_one_order_and_the_focus_never_rests_on_a_disabled_card():
    match = match_of("border_incident", 21, [HUMAN, AI, AI])
    table = Table(match, clock=FakeClock(0.001))
    order = [card.move.id for card in table.cards]
    scenario = match.scenario
    ranks = [scenario.family_rank.get(m.family, 0) for m in (c.move for c in table.cards)]
    assert ranks == sorted(ranks)
    choices = 0
    while not match.over and match.state.turn <= 4:
        if table.playback is not None:
            table.advance()
        elif table.human_turn:
            assert [card.move.id for card in table.cards] == order
            if table.current_card() is not None:
                assert table.current_card().usable or not any(c.usable for c in table.cards)
            usable = [i for i, c in enumerate(table.cards) if c.usable]
            if not usable or choices % 4 == 3:
                table.end_turn()
                choices += 1
                continue
            pick = usable[choices % len(usable)]
            table.select(pick)
            chosen = table.cards[pick].move.id
            table.choose_selected()
            choices += 1
            focus = table.current_card()
            assert [card.move.id for card in table.cards] == order
            if any(c.usable for c in table.cards):
                assert focus.usable
                # the same card while it can still be played, else the next usable one
                if not table.cards[pick].usable:
                    after = [
                        (i - pick) % len(table.cards) for i, c in enumerate(table.cards) if c.usable
                    ]
                    assert (table.selected - pick) % len(table.cards) == min(after)
                else:
                    assert focus.move.id == chosen
        else:
            answer_or_let_the_ai_play(table)
    assert choices > 4


def test_the_other_seats_choices_leave_the_focus_where_the_player_left_it():
    match = match_of("border_incident", 11, [HUMAN, AI, AI])
    table = Table(match, clock=FakeClock(0.001))
    usable = [i for i, c in enumerate(table.cards) if c.usable]
    table.select(usable[1])
    left_on = table.current_card().move.id
    table.end_turn()
    to_the_next_human_turn(table)
    others = {a.move for a in match.actions if isinstance(a, Play)}
    assert others - {left_on}  # the AI seats did choose other moves
    if next(c for c in table.cards if c.move.id == left_on).usable:
        assert table.current_card().move.id == left_on


def test_a_targeted_move_cooling_down_says_so():
    """The engine says "cooling down until turn 3"; the card must not say "any target"."""
    match = match_of("border_incident", 4, [HUMAN, AI, AI])
    table = Table(match)
    card = next(c for c in table.cards if c.usable and c.move.target != "none" and c.move.cooldown)
    table.select(table.cards.index(card))
    table.choose_selected()
    table.end_turn()
    to_the_next_human_turn(table)
    again = next(c for c in table.cards if c.move.id == card.move.id)
    assert not again.usable
    assert "cooling down: playable again on turn" in table.unavailable(again).lower()


# ------------------------------------------------------------------ the AI's time slices


@pytest.mark.parametrize("tick", [0.0005, 0.004, 1.0])
def test_the_ai_takes_the_same_decisions_however_its_time_is_sliced(tick):
    def decisions(clock) -> list:
        match = match_of("border_incident", 31, [AI, AI, AI], difficulty="hard")
        table = Table(match, clock=clock)
        slices = 0
        while len(match.actions) < 6:
            table.start_ai()
            while table.thinking is not None:
                table.think(clock() + 0.002)
                slices += 1
            if table.playback is not None:
                table.end_playback()
        return match.actions, slices

    reference = match_of("border_incident", 31, [AI, AI, AI], difficulty="hard")
    while len(reference.actions) < 6:
        envoy = reference.acting_id
        agent = reference.agent(envoy)
        thinking = agent.think(reference.view(envoy), envoy, reference.legal(envoy))
        while not thinking.step():
            pass
        reference.apply(thinking.result)
    actions, slices = decisions(FakeClock(tick))
    assert actions == reference.actions
    if tick < 0.002:
        assert slices > 6  # a short budget really did cut the thinking into slices


def test_a_slice_always_makes_progress_even_past_its_deadline():
    match = match_of("border_incident", 2, [AI, AI, AI], difficulty="hard")
    envoy = match.acting_id
    clock = FakeClock(0.0)
    thought = match.agent(envoy).think(match.view(envoy), envoy, match.legal(envoy))
    steps = 0
    while not thought.step(-1.0, clock):  # always late
        steps += 1
        assert steps < 10_000
    assert thought.result in match.legal(envoy)


# ------------------------------------------------------------------ the timer


def timed_table(seconds: int = 60) -> tuple[Table, FakeClock]:
    match = match_of("border_incident", 8, [HUMAN, HUMAN])
    match.classroom = Classroom(timer_seconds=seconds)
    clock = FakeClock()
    table = Table(match, clock=clock)
    table.take_seat(match.acting_id)
    table.tick()
    return table, clock


def test_pause_stops_the_turn_timer_and_resume_continues_it():
    table, clock = timed_table()
    clock.now += 20
    table.tick()
    assert table.timer.seconds == 20
    table.pause()
    clock.now += 300
    table.tick()  # frames go on under the paused screen
    assert table.timer.seconds == 20
    table.resume(300)
    table.tick()
    clock.now += 5
    table.tick()
    assert table.timer.seconds == 25  # not reset, not counting the pause
    assert table.clock_text() == ("0:35 left", "good")
    assert [n.kind for n in table.match.facilitator[-2:]] == ["pause", "resume"]


def test_a_decision_in_the_turn_stops_the_timer_without_starting_it_again():
    table, clock = timed_table()
    clock.now += 10
    table.timer.run(None)  # what tick does while the seat must decide first
    clock.now += 100
    table.timer.run(table.timer.key)
    assert table.timer.seconds == 10


def test_a_new_seat_starts_its_timer_from_zero():
    table, clock = timed_table()
    clock.now += 30
    table.tick()
    table.end_turn()
    table.take_seat(table.handing_off)
    table.tick()
    assert table.timer.seconds == 0


def test_time_up_passes_the_turn_only_when_the_class_asked_for_it():
    for auto_pass in (False, True):
        table, clock = timed_table()
        table.match.classroom = Classroom(timer_seconds=60, auto_pass=auto_pass)
        clock.now += 61
        assert table.tick() is auto_pass
        assert table.clock_text() == ("TIME IS UP", "bad")


# ------------------------------------------------------------------ the facilitator


def test_undo_says_the_turn_it_goes_back_to():
    match = match_of("border_incident", 8, [HUMAN, AI, AI])
    saved = []
    table = Table(match, clock=FakeClock(0.001), save=saved.append)
    assert table.undo_label() == "Nothing to undo"
    table.end_turn()
    to_the_next_human_turn(table)
    assert match.state.turn == 2
    assert table.undo_label() == "Undo to the start of turn 1"
    problem, done = table.undo_turn("a student misread the map")
    assert (problem, done) == ("", "Back to the start of turn 1.")
    assert match.state.turn == 1 and saved == [match]
    assert "start of turn 1" in match.facilitator[-1].text


def test_a_facilitator_adjustment_is_applied_saved_and_told():
    match = match_of("border_incident", 8, [HUMAN, AI, AI])
    saved = []
    table = Table(match, save=saved.append)
    ids = [p.id for p in match.scenario.parties]
    relation = match.scenario.relations[0]
    pair = (ids[relation.a], ids[relation.b])
    problem, done = table.facilitate(Adjust("tension", pair, 12, "calm the class down"))
    assert problem == "" and done and saved == [match]
    assert table.view().tension[0] == 12
    problem, _ = table.facilitate(Adjust("tension", pair, 12, ""))
    assert problem  # a reason is required: the engine refuses, the table says why


def test_the_table_ends_a_turn_only_for_the_seat_whose_turn_it_is():
    match = match_of("border_incident", 8, [HUMAN, AI, AI])
    table = Table(match)
    other = match.seats[1].envoy
    assert table.end_turn(other) is None
    assert not match.actions
    acted = table.end_turn()
    assert acted is not None and match.actions == [End(match.seats[0].envoy)]
    assert match.state.phase != DECISION or table.decision_pending()
