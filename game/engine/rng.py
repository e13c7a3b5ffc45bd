"""The game's dice: a seeded generator whose whole state is one integer.

The state lives in :class:`~game.engine.state.GameState`, so the same seed and
the same actions always give the same game, and a save restores the dice
exactly. The global ``random`` module is never used. The generator is
SplitMix64: tiny, fast in pure Python, and well distributed.
"""

from __future__ import annotations

from collections.abc import Sequence

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


def _mix(z: int) -> int:
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def seed_state(seed: int) -> int:
    """The generator state for a seed (any integer)."""
    return _mix((seed * GOLDEN + 0x2545F4914F6CDD1D) & MASK)


def derive(state: int, salt: int) -> int:
    """An unrelated state, such as a hidden copy of the dice for a player's view."""
    return _mix((state ^ _mix(salt + GOLDEN)) & MASK)


def mixed_salt(salt: int) -> int:
    """The part of :func:`derive` that depends on the salt alone, for a caller that
    derives with one salt again and again (see :func:`derive_mixed`)."""
    return _mix(salt + GOLDEN)


def derive_mixed(state: int, mixed: int) -> int:
    """``derive(state, salt)``, given ``mixed_salt(salt)``."""
    return _mix((state ^ mixed) & MASK)


def random(state: int) -> tuple[float, int]:
    """A float in [0, 1) and the next state."""
    state = (state + GOLDEN) & MASK
    # _mix, written out: every roll and every random pick comes through here.
    z = ((state ^ (state >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return ((z ^ (z >> 31)) >> 11) * _UNIT, state


_UNIT = 1.0 / (1 << 53)


def weighted_choice(state: int, weights: Sequence[float]) -> tuple[int, int]:
    """The index drawn with probability proportional to its weight, and the next state.

    Returns -1 when every weight is zero. Built on :func:`random` so the draw
    is part of the game's deterministic dice.
    """
    total = sum(weights)
    if total <= 0:
        return -1, state
    roll, state = random(state)
    target = roll * total
    for index, weight in enumerate(weights):
        target -= weight
        if target < 0:
            return index, state
    return max(i for i, w in enumerate(weights) if w > 0), state
