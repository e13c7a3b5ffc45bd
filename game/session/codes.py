"""Crisis codes: a crisis and its seed as a short code that can be read aloud and typed in.

A crisis code such as ``B7K-K7Q2M-X4`` names the scenario (three characters
derived from its id), the seed (six) and a check character, so a class that
types it in gets the same crisis as the class that wrote it on the board, and
a mistyped character is caught instead of starting a different game. The
older six-character seed codes (``K7Q-2MX``) still read as a seed alone.

Codes use Crockford's base-32 alphabet (no I, L, O or U), so "0" and "O" or
"1" and "l" typed by mistake still read as the same code; case, spaces and
dashes do not matter.
"""

from __future__ import annotations

import hashlib

import attrs

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
DIGITS = 6
LIMIT = 32**DIGITS  # seeds below this have a code
_READ = {c: i for i, c in enumerate(ALPHABET)} | {"O": 0, "I": 1, "L": 1}


def seed_code(seed: int) -> str:
    """The code of a seed: six characters in two groups, like "K7Q-2MX"."""
    seed %= LIMIT
    chars = []
    for _ in range(DIGITS):
        seed, digit = divmod(seed, 32)
        chars.append(ALPHABET[digit])
    text = "".join(reversed(chars))
    return f"{text[:3]}-{text[3:]}"


def parse_code(text: str) -> int | None:
    """The seed of a typed code, or None if it is not a code."""
    cleaned = "".join(c for c in text.upper() if c not in " -_")
    if not 1 <= len(cleaned) <= DIGITS or any(c not in _READ for c in cleaned):
        return None
    seed = 0
    for char in cleaned:
        seed = seed * 32 + _READ[char]
    return seed


TAG_DIGITS = 3
CODE_LENGTH = TAG_DIGITS + DIGITS + 1


class CodeError(ValueError):
    """A crisis code that cannot be read, with a sentence saying why."""


@attrs.frozen
class CrisisCode:
    tag: str  # the scenario's three-character tag ("" for an old seed-only code)
    seed: int

    def matches(self, scenario_id: str) -> bool:
        return not self.tag or self.tag == scenario_tag(scenario_id)


def scenario_tag(scenario_id: str) -> str:
    """Three characters that stand for a scenario id in its crisis codes."""
    number = int.from_bytes(hashlib.sha256(scenario_id.encode()).digest()[:4], "big")
    return "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(TAG_DIGITS)))


def _check(chars: str) -> str:
    # Odd weights are invertible mod 32, so any one mistyped character changes the check.
    total = sum((2 * index + 1) * _READ[c] for index, c in enumerate(chars))
    return ALPHABET[total % 32]


def crisis_code(scenario_id: str, seed: int) -> str:
    """The crisis code of a scenario and seed, like "B7K-K7Q2M-X4"."""
    body = scenario_tag(scenario_id) + seed_code(seed).replace("-", "")
    text = body + _check(body)
    return f"{text[:3]}-{text[3:8]}-{text[8:]}"


def read_code(text: str) -> CrisisCode:
    """A typed crisis code (or an old seed code); raises :class:`CodeError` with the reason."""
    cleaned = "".join(c for c in str(text).upper() if c not in " -_.")
    if not cleaned:
        raise CodeError("Type a crisis code, like B7K-K7Q2M-X4.")
    wrong = [c for c in cleaned if c not in _READ]
    if wrong:
        raise CodeError(f"'{wrong[0]}' is not used in crisis codes (letters and digits only).")
    if len(cleaned) == DIGITS:
        return CrisisCode("", parse_code(cleaned))
    if len(cleaned) != CODE_LENGTH:
        raise CodeError(
            f"A crisis code has {CODE_LENGTH} letters and digits, like B7K-K7Q2M-X4; "
            f"this one has {len(cleaned)}."
        )
    normal = "".join(ALPHABET[_READ[c]] for c in cleaned)
    if _check(normal[:-1]) != normal[-1]:
        raise CodeError("That crisis code has a mistyped character: check it and try again.")
    return CrisisCode(normal[:TAG_DIGITS], parse_code(normal[TAG_DIGITS:-1]))
