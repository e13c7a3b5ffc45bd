"""The AI policies by name, and the difficulties a player picks among.

This module owns the name → agent table, so the agents themselves never need
to know of each other (the search plays greedy envoys in its playouts; the
greedy envoy knows nothing of the search). The difficulties come from
``difficulty.yaml``, the one list of them: setup, the settings, saved games
and the command line all read it from here or from that file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from game.ai.agents import Agent, GreedyAgent, RandomAgent, SelfishAgent
from game.ai.search import SearchAgent
from game.ai.tuning import TUNING, TuningError

#: Every policy by name: a factory ``(seed, strategy=...) -> agent``.
POLICIES: dict[str, Callable[..., Agent]] = {
    RandomAgent.name: RandomAgent,
    GreedyAgent.name: GreedyAgent,
    SearchAgent.name: SearchAgent,
    SelfishAgent.name: SelfishAgent,
}


def make_agent(policy: str, seed: int, strategy: str | None = None) -> Agent:
    """An agent by policy name (see :data:`POLICIES`), bargaining by the strategy of
    difficulty ``strategy`` (the library's ``bargaining.concession``; None: the
    policy's own, which is normal's but for selfish)."""
    try:
        factory = POLICIES[policy]
    except KeyError:
        raise ValueError(f"unknown policy '{policy}': choose from {', '.join(POLICIES)}") from None
    return factory(seed) if strategy is None else factory(seed, strategy=strategy)


@attrs.frozen
class Difficulty:
    """A level a player picks in setup: the policy behind it, its name, and one line about it."""

    id: str
    policy: str
    name: str
    text: str


def read_difficulties(data: Any, source: str = "difficulty.yaml") -> dict[str, Difficulty]:
    """The ``difficulties`` table, in order; TuningError names every problem at once."""
    problems = []
    table = data.get("difficulties") if isinstance(data, dict) else None
    if not isinstance(table, dict) or not table:
        raise TuningError(f"{source}: difficulties: expected a table of difficulties")
    found = {}
    for key, entry in table.items():
        where = f"difficulties.{key}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected policy, name and text")
            continue
        words = {}
        for field in ("policy", "name", "text"):
            value = entry.get(field)
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{where}.{field}: expected some text")
            words[field] = value
        if isinstance(words["policy"], str) and words["policy"] not in POLICIES:
            problems.append(
                f"{where}.policy: unknown policy '{words['policy']}' (known: {', '.join(POLICIES)})"
            )
        for field in entry:
            if field not in words:
                problems.append(f"{where}.{field}: not a known entry (known: policy, name, text)")
        found[str(key)] = Difficulty(str(key), **words)
    if problems:
        raise TuningError(f"{source}: " + "; ".join(problems))
    return found


#: The difficulties in the order setup lists them (easy, normal, hard).
DIFFICULTIES: dict[str, Difficulty] = read_difficulties(TUNING)


def make_agent_for(difficulty: str, seed: int) -> Agent:
    """The agent a difficulty plays with (see :data:`DIFFICULTIES`): its policy, bargaining
    by the difficulty's own strategy."""
    try:
        policy = DIFFICULTIES[difficulty].policy
    except KeyError:
        choices = ", ".join(DIFFICULTIES)
        raise ValueError(f"unknown difficulty '{difficulty}': choose from {choices}") from None
    return make_agent(policy, seed, strategy=difficulty)
