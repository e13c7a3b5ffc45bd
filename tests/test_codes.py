"""Crisis codes name a scenario and a seed, read back forgivingly, and catch typos."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.session.codes import (
    ALPHABET,
    LIMIT,
    CodeError,
    crisis_code,
    parse_code,
    read_code,
    scenario_tag,
    seed_code,
)


@given(st.integers(0, LIMIT - 1))
def test_a_code_reads_back_as_its_seed(seed):
    code = seed_code(seed)
    assert len(code) == 7 and code[3] == "-"
    assert parse_code(code) == seed
    assert parse_code(code.lower().replace("-", " ")) == seed


def test_letters_that_look_like_digits_read_as_digits():
    assert parse_code("OOO-IL1") == parse_code("000-111")


def test_what_is_not_a_code_is_refused():
    for text in ("", "-", "ABCDEFG", "K7Q-2MU", "héllo", "1234567"):
        assert parse_code(text) is None


@given(st.sampled_from(["border_incident", "tutorial", "a", "x" * 40]), st.integers(0, LIMIT - 1))
def test_a_crisis_code_reads_back_as_its_scenario_and_seed(scenario_id, seed):
    code = crisis_code(scenario_id, seed)
    assert len(code) == 12 and code.count("-") == 2
    for typed in (code, code.lower(), code.replace("-", ""), " ".join(code.split("-"))):
        read = read_code(typed)
        assert read.seed == seed and read.matches(scenario_id)
        assert read.tag == scenario_tag(scenario_id)


@given(st.integers(0, LIMIT - 1), st.integers(0, 9), st.sampled_from(ALPHABET))
def test_any_one_mistyped_character_is_caught(seed, position, char):
    code = crisis_code("border_incident", seed).replace("-", "")
    typo = code[:position] + char + code[position + 1 :]
    if typo != code:
        with pytest.raises(CodeError, match="mistyped"):
            read_code(typo)


def test_a_crisis_code_for_another_scenario_does_not_match():
    assert not read_code(crisis_code("tutorial", 5)).matches("border_incident")


def test_an_old_seed_code_still_reads_and_fits_any_scenario():
    read = read_code("k7q-2mx")
    assert read.seed == parse_code("K7Q-2MX") and read.matches("anything")


@pytest.mark.parametrize(
    "text, reason",
    [("", "Type a crisis code"), ("ABC-DEF-G", "has 10 letters"), ("B7K-K7Q2M-X#", "'#' is not")],
)
def test_a_bad_crisis_code_says_what_is_wrong(text, reason):
    with pytest.raises(CodeError, match=reason):
        read_code(text)


def test_every_single_substitution_is_caught_exhaustively():
    code = crisis_code("border_incident", 123_456).replace("-", "")
    for position in range(len(code)):
        for char in ALPHABET:
            typo = code[:position] + char + code[position + 1 :]
            if typo != code:
                with pytest.raises(CodeError):
                    read_code(typo)
