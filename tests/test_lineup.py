"""The set-up's rules, as properties: team names, the number of teams, the PIN, the code."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from game.session.codes import crisis_code
from game.session.lineup import CLASS, Checked, Choices, check_setup, tidy
from game.session.match import AI, HUMAN

CRISIS = "border_incident"
MOST = CLASS["max_teams"]
LONGEST = CLASS["team_name_max_chars"]
LOW, HIGH = CLASS["pin_digits"]["min"], CLASS["pin_digits"]["max"]

spaces = st.text(" \t", max_size=3)
words = st.text("abcxyzABCéßİ019ករ", min_size=1, max_size=6)  # Latin, Khmer, odd cases
names = st.lists(words, min_size=1, max_size=3).map(" ".join).filter(lambda n: len(n) <= LONGEST)
seeds = st.integers(0, 10**9)


def choices(kinds, teams, pin="", seed=42, crisis=CRISIS) -> Choices:
    return Choices(CRISIS, crisis_code(crisis, seed), kinds, teams, pin)


@st.composite
def class_play(draw):
    """Human teams with distinct names, padded with spaces, and AI seats among them."""
    count = draw(st.integers(2, MOST))  # class play: two teams or more
    chosen = draw(st.lists(names, min_size=count, max_size=count, unique_by=str.casefold))
    typed = [
        draw(spaces) + name.replace(" ", draw(st.sampled_from([" ", "  "]))) + draw(spaces)
        for name in chosen
    ]
    ais = draw(st.integers(0, 2))
    kinds = [HUMAN] * count + [AI] * ais
    teams = typed + [draw(st.text(max_size=5)) for _ in range(ais)]  # an AI's name is unread
    order = draw(st.permutations(range(len(kinds))))
    return [kinds[i] for i in order], [teams[i] for i in order], chosen


@given(class_play(), seeds)
def test_distinct_names_set_up_a_class_and_are_shown_trimmed(play, seed):
    kinds, teams, chosen = play
    checked = check_setup(choices(kinds, teams, seed=seed))
    assert isinstance(checked, Checked)
    assert checked.seed == seed
    humans = [name for name, kind in zip(checked.teams, kinds, strict=True) if kind == HUMAN]
    assert sorted(humans) == sorted(chosen)  # trimmed, inner spaces made one


@given(class_play(), st.data())
def test_two_teams_named_alike_never_start(play, data):
    kinds, teams, _ = play
    humans = [i for i, kind in enumerate(kinds) if kind == HUMAN]
    a, b = data.draw(st.lists(st.sampled_from(humans), min_size=2, max_size=2, unique=True))
    teams = list(teams)
    teams[b] = " " + teams[a].upper() + " "  # the same name, in capitals and with spaces
    if tidy(teams[b]).casefold() != tidy(teams[a]).casefold():
        return  # a letter whose capital changes its fold (rare): not the same name
    problems = check_setup(choices(kinds, teams))
    assert "Two teams have the same name: give each team its own." in problems


@given(class_play(), st.data(), spaces)
def test_a_team_without_a_name_never_starts(play, data, blank):
    kinds, teams, _ = play
    humans = [i for i, kind in enumerate(kinds) if kind == HUMAN]
    teams = list(teams)
    teams[data.draw(st.sampled_from(humans))] = blank
    assert "Give every human team a name." in check_setup(choices(kinds, teams))


@given(class_play(), st.data(), st.integers(1, 10))
def test_a_name_longer_than_the_limit_never_starts(play, data, extra):
    kinds, teams, _ = play
    teams = list(teams)
    teams[data.draw(st.sampled_from([i for i, k in enumerate(kinds) if k == HUMAN]))] = "x" * (
        LONGEST + extra
    )
    problems = check_setup(choices(kinds, teams))
    assert f"A team name is at most {LONGEST} characters: shorten it." in problems


@given(st.integers(MOST + 1, MOST + 4), st.integers(0, 2))
def test_more_teams_than_one_computer_takes_never_start(count, ais):
    kinds = [HUMAN] * count + [AI] * ais
    teams = [f"Team {n}" for n in range(len(kinds))]
    assert f"At most {MOST} human teams can share one computer." in check_setup(
        choices(kinds, teams)
    )


@given(st.sampled_from([[HUMAN], [HUMAN, AI, AI], [AI, AI], [HUMAN, ""]]), st.text(max_size=40))
def test_one_player_or_none_plays_under_any_name(kinds, name):
    """Alone, or AI only, no seat goes by a team name, so none is checked."""
    assert isinstance(check_setup(choices(kinds, [name] * len(kinds))), Checked)


@given(st.text("0123456789", min_size=LOW, max_size=HIGH), spaces)
def test_a_pin_of_enough_digits_is_kept(pin, pad):
    checked = check_setup(choices([HUMAN, AI], ["", ""], pin=pad + pin + pad))
    assert isinstance(checked, Checked) and checked.pin == pin


@given(
    st.one_of(
        st.text("0123456789", min_size=1, max_size=LOW - 1),
        st.text("0123456789", min_size=HIGH + 1, max_size=HIGH + 4),
        st.text(min_size=1, max_size=HIGH).filter(
            lambda t: t.strip() and not (t.strip().isascii() and t.strip().isdigit())
        ),
    )
)
def test_any_other_pin_never_starts(pin):
    problems = check_setup(choices([HUMAN, AI], ["", ""], pin=pin))
    assert f"A PIN is {LOW} to {HIGH} digits, or leave it empty for none." in problems


def test_digits_of_other_scripts_are_not_a_pin():
    assert isinstance(check_setup(choices([HUMAN], [""], pin="²٣४५")), list)


def test_every_problem_is_told_at_once_and_nothing_is_changed():
    teams = ["Blue", "blue ", "", "Red"]
    picked = choices([HUMAN, HUMAN, HUMAN, AI], teams, pin="12", crisis="middle_power")
    problems = check_setup(picked)
    assert problems == [
        "That crisis code is for another crisis: type it on the crisis list instead.",
        "Give every human team a name.",
        "Two teams have the same name: give each team its own.",
        f"A PIN is {LOW} to {HIGH} digits, or leave it empty for none.",
    ]
    assert teams == ["Blue", "blue ", "", "Red"] and picked.teams is teams
    assert check_setup(picked) == problems  # the same answer each time: no state


@given(st.text(max_size=30))
def test_a_code_that_does_not_read_says_why(code):
    from game.session.codes import CodeError, read_code

    try:
        read_code(code)
    except CodeError as error:
        problems = check_setup(Choices(CRISIS, code, [HUMAN], [""]))
        assert problems == [str(error)]
