"""Thinking in slices of time: the one interface every AI envoy decides through.

Every policy (random, greedy, search, and so every difficulty) has::

    thinking = agent.think(view, envoy_id, legal)   # starts; does no work yet
    while not thinking.step(deadline):          # once a frame
        ...                                     # draw the frame
    thinking.result                             # the Action; thinking.reason: a line

``step(deadline)`` works until ``time.perf_counter()`` reaches ``deadline``
(checking the clock between small units of work: one preview of a move, one
action of a playout) and returns True once :attr:`Thinking.result` is known.
It always does at least one unit, so thinking ends even when a frame has no
time left; ``step()`` without a deadline does exactly one unit. A board calls
``step(time.perf_counter() + budget)`` once a frame, with the budget of
``difficulty.yaml`` (``search.frame_budget_ms``).

**The decision never depends on time.** The work is defined by counts (the
legal moves, the search's candidates and rollouts), and every unit is the same
whatever the deadlines, so the same seed gives the same choice on any machine
and under any load: only how the work is sliced follows the clock.
``agent.choose(view, envoy_id, legal)`` is thinking to the end in one go.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from game.engine.actions import Action

Clock = Callable[[], float]


class Thinking:
    """A choice being worked out, a unit of work at a time.

    A policy's thinking defines :meth:`_unit` (one small piece of the work,
    setting :attr:`result` when it is done) and may override :attr:`progress`
    and :attr:`reason`.
    """

    result: Action | None = None

    @property
    def done(self) -> bool:
        return self.result is not None

    @property
    def progress(self) -> float:
        """How much of the work is done, 0..1 (for a "thinking…" bar)."""
        return 1.0 if self.done else 0.0

    @property
    def reason(self) -> str:
        """One line for a player about the choice ("" before it is made, or if none)."""
        return ""

    def step(self, deadline: float | None = None, clock: Clock = time.perf_counter) -> bool:
        """Work until ``clock()`` reaches ``deadline`` (at least one unit); True once done.

        Without a deadline, exactly one unit. ``clock`` is there for tests.
        """
        if self.result is not None:
            return True
        self._unit()
        if deadline is not None:
            while self.result is None and clock() < deadline:
                self._unit()
        return self.result is not None

    def finish(self) -> Action:
        """Think to the end in one go, and the choice."""
        while self.result is None:
            self._unit()
        return self.result

    def _unit(self) -> None:
        raise NotImplementedError


class Decided(Thinking):
    """Thinking that was over at once: a choice made in one small unit."""

    def __init__(self, choose: Callable[[], Action]):
        self._choose = choose

    def _unit(self) -> None:
        self.result = self._choose()
