"""Crisis codes name a seed in six characters and read back forgivingly."""

from hypothesis import given
from hypothesis import strategies as st

from game.session.codes import LIMIT, parse_code, seed_code


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
