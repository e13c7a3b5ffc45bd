"""Crisis codes: a game's seed as a short code that can be read aloud and typed in.

Codes use Crockford's base-32 alphabet (no I, L, O or U), so "0" and "O" or
"1" and "l" typed by mistake still read as the same code.
"""

from __future__ import annotations

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
