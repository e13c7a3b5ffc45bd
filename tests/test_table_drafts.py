"""The drafts panel as the table words it (issue 15): every accord's public draft, the
seat's own values and what it knows of the others', amending with the engine's own
offered actions, and refusals said in words. Read from the seat's view alone."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.content.loader import SCENARIO_DIR, load_scenario
from game.engine import bargain
from game.engine.state import replace
from game.session import drafts
from game.session.match import AI, HUMAN, Match, Seat, Source
from game.session.table import Table

SEEDS = st.integers(min_value=0, max_value=2**63 - 1)


def border_match(
    human: str = "un_envoy", seed: int = 4, trust: int | None = None, also: str = ""
) -> Match:
    result = load_scenario(SCENARIO_DIR / "border_incident.yaml")
    scenario = result.unwrap()
    seats = [Seat(e.id, HUMAN if e.id in (human, also) else AI) for e in scenario.envoys]
    match = Match.start(scenario, Source.of(result), seed, seats)
    if trust is not None:  # every relation's trust, so the ceasefire can be proposed
        match.state = attrs.evolve(match.state, trust=tuple(trust for _ in match.state.trust))
    return match


def words(table: Table) -> list[str]:
    """Every text of the panel, in order."""
    found = []
    for accord in table.drafts():
        found += [accord.name, accord.status, accord.sponsors]
        for issue in accord.issues:
            found += [issue.name, issue.mine_weight, *issue.others_weights]
            for option in issue.options:
                found += [option.text, str(option.in_draft), option.mine, *option.others]
                found.append(option.refusal)
    return found


def test_every_accord_with_a_draft_is_shown_with_the_option_in_its_draft(border):
    table = Table(border_match())
    shown = table.drafts()
    with_issues = [i for i, accord in enumerate(border.accords) if accord.issues]
    assert [accord.index for accord in shown] == with_issues
    for accord in shown:
        draft = table.match.state.drafts[accord.index]
        assert tuple(issue.draft for issue in accord.issues) == draft
        for issue, choice in zip(accord.issues, draft, strict=True):
            assert [o.in_draft for o in issue.options].count(True) == 1
            assert issue.options[choice].in_draft


def test_the_seat_sees_its_own_values_and_the_declared_ranges_of_the_unlearned(border):
    match = border_match("norland_fm")
    table = Table(match)
    norland = [p.id for p in border.parties].index("norland")
    sudmark = [p.id for p in border.parties].index("sudmark")
    mine = bargain.true_types(match.state)[norland]
    for accord in table.drafts():
        exact = mine[accord.index].values.values
        declared = border.parties[sudmark].interests[accord.index].values
        for i, issue in enumerate(accord.issues):
            for o, option in enumerate(issue.options):
                assert option.mine == drafts.number(exact[i][o])
                said = [text for text in option.others if text.startswith("Sudmark ")]
                assert said == [f"Sudmark {drafts.known_value(*declared[i][o])}"]


def test_a_learned_party_shows_its_exact_values(border):
    match = border_match("un_envoy")
    sudmark = [p.id for p in border.parties].index("sudmark")
    envoy = border.envoy_index("un_envoy")
    match.state = replace(match.state, learned=frozenset({(sudmark, envoy)}))
    table = Table(match)
    true = bargain.true_types(match.state)[sudmark]
    for accord in table.drafts():
        values = true[accord.index].values.values
        for i, issue in enumerate(accord.issues):
            for o, option in enumerate(issue.options):
                assert f"Sudmark {drafts.number(values[i][o])}" in option.others


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=SEEDS, other=SEEDS, human=st.sampled_from(["un_envoy", "norland_fm", "vellmark_fm"]))
def test_the_panel_says_the_same_whatever_the_hidden_types(seed, other, human):
    """Two games that differ only in the parties' hidden types: the panel tells them
    apart only by the seat's own party's values, which it may know."""
    one = border_match(human, seed)
    two = border_match(human, seed)
    two.state = replace(one.state, seed=other)
    first, second = Table(one).drafts(), Table(two).drafts()
    assert len(first) == len(second)
    for a, b in zip(first, second, strict=True):
        assert (a.name, a.status, a.sponsors, a.chance) == (b.name, b.status, b.sponsors, b.chance)
        for x, y in zip(a.issues, b.issues, strict=True):
            for p, q in zip(x.options, y.options, strict=True):
                assert attrs.evolve(p, mine="") == attrs.evolve(q, mine="")
    if human == "un_envoy":  # a mediator speaks for no party: nothing of it is drawn
        assert words(Table(one)) == words(Table(two))


@pytest.mark.parametrize("seat", ["norland_fm", "un_envoy", "vellmark_fm"])
def test_each_issue_says_how_much_it_matters_to_every_side_as_declared(border, seat):
    table = Table(border_match(seat))
    envoy = border.envoy_index(seat)
    own = border.envoys[envoy].party
    for accord in table.drafts():
        mine = bargain.envoy_interest(border, envoy, accord.index)
        spec = border.accords[accord.index]
        others = [p for p in spec.signatories if p != own]
        for i, issue in enumerate(accord.issues):
            # a seat whose agenda has no stake in the accord has no weight of its own
            want = f"{round(100 * mine.weights[i])}%" if mine is not None else ""
            assert issue.mine_weight == want
            assert issue.others_weights == tuple(
                f"{border.parties[p].name} "
                f"{round(100 * border.parties[p].interests[accord.index].weights[i])}%"
                for p in others
            )
            line = drafts.weight_line(issue)
            yours = [f"you {issue.mine_weight}"] if mine is not None else []
            assert line == "How much it matters: " + " · ".join([*yours, *issue.others_weights])
        if mine is not None:  # the shares are of each side's whole deal
            total = sum(float(i.mine_weight[:-1]) for i in accord.issues)
            assert total == pytest.approx(100, abs=2)


def test_the_ceasefire_matters_most_to_norland_in_its_pull_back(border):
    ceasefire = Table(border_match("norland_fm")).drafts()[0]
    pullback = next(issue for issue in ceasefire.issues if issue.name == "Pull-back")
    assert pullback.mine_weight == "60%" and pullback.others_weights == ("Sudmark 20%",)
    assert drafts.weight_line(pullback) == "How much it matters: you 60% · Sudmark 20%"


def test_amending_uses_the_offered_action_and_a_second_is_refused_in_words(border):
    match = border_match(trust=60)
    table = Table(match)
    table.toggle_drafts()
    assert table.shows_drafts
    row, option = table.draft_cursor()
    assert option.in_draft and option.refusal.startswith("The draft already says")
    table.move_draft_option(1)
    row, option = table.draft_cursor()
    assert any(option.amend is offered for offered in match.legal("un_envoy"))
    acted = table.amend_highlighted()
    assert not acted.problem
    assert match.actions[-1] == option.amend
    assert match.state.drafts[row.accord][0] == table.draft_option
    assert table.draft_note == f"Amended: {row.name}, {option.text}."
    assert table.drafts()[0].issues[0].options[table.draft_option].in_draft
    table.move_draft_row(1)
    table.move_draft_option(1)
    before = match.state.drafts
    acted = table.amend_highlighted()
    assert acted.problem == "You have already amended a draft this turn"
    assert table.draft_note == acted.problem
    assert match.state.drafts == before and len(match.actions) == 1


def test_an_amendment_out_of_turn_says_whose_turn_it_is(border):
    match = border_match("vellmark_fm")  # the UN envoy moves first
    table = Table(match)
    table.toggle_drafts()
    table.move_draft_option(1)
    acted = table.amend_highlighted()
    assert acted.problem == "It is not your turn"
    assert not match.actions


def test_the_status_gives_the_proposal_cards_odds_and_follows_the_draft(border):
    match = border_match(trust=60)
    # A ceasefire text Sudmark may accept (the water shared), so the odds are a range.
    match.state = attrs.evolve(match.state, drafts=((1, 1, 1), *match.state.drafts[1:]))
    table = Table(match)
    card = next(c for c in table.cards if c.move.target == "accord")
    ceasefire = border.accords[0].id
    card.target = [a.targets for a in card.plays].index((ceasefire,))
    assert table.drafts()[0].status == f"Odds if proposed now: {table.odds_text(card)}"
    table.toggle_drafts()
    table.move_draft_option(-1)
    table.amend_highlighted()
    card = next(c for c in table.cards if c.move.target == "accord")
    card.target = [a.targets for a in card.plays].index((ceasefire,))
    view = match.view("un_envoy")
    low, high = bargain.draft_odds_range(border, view, 0)
    assert table.odds_text(card) == f"{low:.0%}–{high:.0%}"
    assert table.drafts()[0].status == f"Odds if proposed now: {low:.0%}–{high:.0%}"


def test_a_proposed_draft_is_locked_and_says_so(border):
    match = border_match("norland_fm", trust=60)
    while match.acting_id != "norland_fm":
        match.apply(next(a for a in match.legal(match.acting_id) if type(a).__name__ == "End"))
    table = Table(match)
    card = next(c for c in table.cards if c.move.target == "accord")
    card.target = [a.targets for a in card.plays].index((border.accords[0].id,))
    table.act(card.action)
    status = table.drafts()[0].status
    assert status.startswith("Locked: you proposed it this turn.")
    assert all(
        o.amend is None and (o.in_draft or "locked" in o.refusal)
        for issue in table.drafts()[0].issues
        for o in issue.options
    )


@pytest.mark.parametrize("seat", ["norland_fm", "vellmark_fm"])
def test_the_sponsors_line_names_the_card_and_the_seated_signers(border, seat):
    table = Table(border_match(seat))
    ceasefire, commission = table.drafts()
    assert ceasefire.sponsors.startswith(
        "Propose it with the card Propose an accord; proposing locks the draft for the turn."
    )
    if seat == "norland_fm":
        assert ceasefire.sponsors.endswith("only if you propose it.")
        assert commission.sponsors.endswith("if you and Vellmark's envoy both propose it.")
    else:
        assert ceasefire.sponsors.endswith("only if Norland's envoy proposes it too.")


def test_a_draft_no_seated_party_signs_needs_only_the_seats_proposal():
    result = load_scenario(SCENARIO_DIR / "tutorial.yaml")
    seats = [Seat(e.id, HUMAN) for e in result.unwrap().envoys]
    table = Table(Match.start(result.unwrap(), Source.of(result), 1, seats))
    (accord,) = table.drafts()
    assert accord.sponsors == (
        "Propose it with the card Propose an accord; proposing locks the draft for the turn."
    )


def test_between_teams_no_values_are_shown_and_nothing_can_be_amended(border):
    match = border_match("un_envoy", also="norland_fm")
    table = Table(match)
    assert table.hand is None
    for accord in table.drafts():
        for issue in accord.issues:
            for option in issue.options:
                assert option.mine == "" and option.amend is None
                assert option.refusal.startswith("Between teams")
            # weights are public: every signing party's, and no seat's own
            signers = border.accords[accord.index].signatories
            assert issue.mine_weight == "" and len(issue.others_weights) == len(signers)
            assert not drafts.weight_line(issue).count("you ")


def test_a_crisis_without_drafts_offers_no_panel():
    result = load_scenario(SCENARIO_DIR / "ping_pong_thaw.yaml")
    scenario = result.unwrap()
    seats = [Seat(e.id, HUMAN if i == 0 else AI) for i, e in enumerate(scenario.envoys)]
    table = Table(Match.start(scenario, Source.of(result), 1, seats))
    assert not table.has_drafts and table.drafts() == []
    table.toggle_drafts()
    assert not table.shows_drafts and table.amend_highlighted() is None
