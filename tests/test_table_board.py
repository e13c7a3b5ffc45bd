"""What the board shows, decided by the table without a window: the words of the card
list, the map's box, Tab's round of the map, and the pause before an AI seat moves."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from test_table import match_of

from game.engine.state import DECISION, replace
from game.session import narrate
from game.session.match import AI, HUMAN
from game.session.table import Table


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def solo() -> Table:
    return Table(match_of("border_incident", 4, [HUMAN, AI, AI]))


def test_the_card_list_says_whose_moves_and_what_was_chosen():
    table = solo()
    assert table.cards_title() == "Your moves"
    assert table.chosen_text() == ""
    hotline = next(c for c in table.cards if c.move.id == "hotline")
    table.act(hotline.action)
    assert table.chosen_text() == ("Chosen this turn: Hotline  (Backspace takes back the last)")


def test_between_teams_the_card_list_says_only_what_everyone_may_see():
    table = Table(match_of("border_incident", 4, [HUMAN, HUMAN, AI]))
    assert table.viewer is None and not table.cards
    assert table.no_cards_text() == "Between teams: only what everyone may see is shown."
    table.take_seat(table.handing_off)
    assert table.cards_title() == "Team 1: your moves"


def test_the_maps_box_names_a_relation_its_meters_and_a_party_what_is_known():
    table = solo()
    state, scenario = table.view(), table.match.scenario
    relation = table.spot_details(("relation", 0))
    assert [d.kind for d in relation[:3]] == ["title", "fact", "fact"]
    assert relation[1].text == f"Tension {state.tension[0]} (conflict at {scenario.conflict_at})"
    party = table.spot_details(("party", 0))
    assert party[0].text == scenario.parties[0].name.get("en")
    assert any(d.text.startswith("Your standing ") for d in party)
    assert table.spot_details(None) == []  # nothing under the pointer, no advice


@given(steps=st.lists(st.sampled_from([1, -1]), max_size=30))
def test_tab_goes_round_every_party_and_relation_and_a_place_with_no_focus(steps):
    table = solo()
    spots = table.spots()
    scenario = table.match.scenario
    assert len(spots) == len(scenario.parties) + len(scenario.relations)
    spot = None
    for step in steps:
        following = table.next_spot(spot, step)
        assert following is None or following in spots
        assert table.next_spot(following, -step) == spot  # Shift+Tab undoes Tab
        spot = following
    seen, spot = [], None
    for _ in range(len(spots) + 1):
        spot = table.next_spot(spot, 1)
        seen.append(spot)
    assert seen == [*spots, None]


def test_an_ai_seat_waits_its_pace_before_it_thinks():
    clock = FakeClock()
    table = Table(match_of("border_incident", 4, [HUMAN, AI, AI]), clock=clock)
    table.end_turn()
    to_play = table.match.acting_seat
    assert table.ai_to_move and table.thinking is None, to_play
    assert not table.wait_for_ai(0.3, 0.5)
    assert table.thinking is None
    assert table.wait_for_ai(0.3, 0.5)
    assert table.thinking is not None
    while table.thinking is not None:
        clock.now += 1
        table.think(clock.now)
    assert table.ai_wait == 0.0  # the next seat waits its own pace from zero


def test_a_card_after_a_choice_states_its_cost_and_reason_for_the_seat_shown():
    table = solo()
    embargo = next(c for c in table.cards if c.move.id == "embargo")
    table.act(embargo.action)
    after = next(c for c in table.cards if c.move.id == "embargo")
    assert after.action is None and after.reason == "Already chosen this turn"
    details = table.details(after)
    assert details[1].kind == "unavailable" and details[1].text == "Already chosen this turn."


def test_a_later_cost_says_on_which_outcome_it_falls():
    import attrs

    from game.engine.rules import Preview
    from game.session import narrate

    table = solo()
    embargo = next(c for c in table.cards if c.move.id == "embargo")
    before, scenario = table.view(), table.match.scenario
    seat = before.viewer

    def taking(amount):
        capital = list(before.capital)
        capital[seat] -= amount
        return attrs.evolve(before, capital=tuple(capital))

    def cost(chance, win, lose):
        seen = Preview(chance, taking(win), taking(lose), (), ())
        details = narrate.card_details(scenario, "embargo", before, seen)
        return next(d.text for d in details if d.kind == "cost"), narrate.card_cost(
            scenario, embargo.move, before, seen
        )

    assert cost(0.7, 2, 2) == (
        "Costs 3 capital now, and 2 more at resolution, out of next turn's capital.",
        "3 capital +2 next turn",
    )
    assert cost(0.7, 0, 1) == (
        "Costs 3 capital now, and 1 more at resolution if it fails, out of next turn's capital.",
        "3 capital +1 next turn",
    )
    assert cost(0.7, 3, 1)[0] == (
        "Costs 3 capital now, and at resolution 3 more if it works or 1 more if it fails,"
        " out of next turn's capital."
    )
    assert cost(1.0, 2, 5)[1] == "3 capital +2 next turn"  # a failure that cannot happen
    assert cost(0.7, 0, 0) == ("Costs 3 capital now.", "3 capital")
    assert cost(0.7, -2, 0) == ("Costs 3 capital now.", "3 capital")  # a gain is no cost


def test_while_an_ai_plays_the_cards_wait_under_one_line_and_backspace_is_not_offered():
    table = solo()
    hotline = next(c for c in table.cards if c.move.id == "hotline")
    table.act(hotline.action)
    table.end_turn()
    assert not table.human_turn and table.cards
    acting = narrate.envoy(table.match.scenario, table.match.acting_id, table.lang)
    assert table.cards_title() == f"Your moves: {acting} is playing, wait"
    # dimmed (none playable), and no card repeats why: the heading said it once
    assert all(c.action is None and c.reason == "" for c in table.cards)
    assert table.chosen_text() == "Chosen this turn: Hotline"
    assert table.withdraw_last() is None  # what the missing hint promised


def test_while_a_decision_comes_first_the_cards_wait_under_one_line():
    table = solo()
    table.match.state = replace(table.match.state, phase=DECISION)
    table.refresh()
    assert table.cards_title() == "Your moves: a decision comes first"
    assert table.cards and all(c.action is None and c.reason == "" for c in table.cards)
