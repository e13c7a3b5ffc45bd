"""The AI's numbers, read once from its YAML files and checked.

``difficulty.yaml`` holds the difficulties a player picks and the search's
numbers; ``weights.yaml`` holds how a position is weighed (:class:`Weights`)
and how the advisor weighs what a move changes (:class:`ExplainWeights`). A
missing, misspelt or non-numeric entry stops the game at start-up with every
problem named at once (``weights.yaml: evaluate.trust: ...``), never later in
the middle of a game.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import attrs

from game.tunables import difficulty_file, read_tunables


class TuningError(ValueError):
    """An AI YAML file the game cannot use; the message names every problem."""


def _read(name: str) -> Any:
    return read_tunables(resources.files("game.ai").joinpath(name).read_text("utf-8"))


def _numbers(
    data: Any, where: str, names: tuple[str, ...], problems: list[str]
) -> dict[str, float]:
    """The named numbers of one table, each problem appended to ``problems``."""
    if not isinstance(data, dict):
        problems.append(f"{where}: expected a table of {', '.join(names)}")
        return {}
    found = {}
    for name in names:
        value = data.get(name)
        if name not in data:
            problems.append(f"{where}.{name}: missing")
        elif isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(f"{where}.{name}: expected a number, got {value!r}")
        else:
            found[name] = value
    for name in data:
        if name not in names:
            problems.append(f"{where}.{name}: not a known entry (known: {', '.join(names)})")
    return found


@attrs.frozen
class Weights:
    """How :func:`game.ai.agents.evaluate` weighs a position (``weights.yaml: evaluate``)."""

    outcome: dict[str, float]
    horizon: int
    tension_weight: float
    tension_power: float
    brink: float
    trust: float
    accord_signed: float
    accord_odds: float
    peace_reached: float
    agenda: float
    standing: float
    learned: float
    threshold: float  # the greedy envoy's smallest gain worth a move
    propose_min_odds: float  # the least expected odds an AI envoy proposes at, before the last turn


@attrs.frozen
class ExplainWeights:
    """How the advisor weighs what a move changes (``weights.yaml: explain``)."""

    signs: float
    likelier: float
    likelier_min: float
    tension: float
    trust: float
    hotline: float
    slows_drift: float
    resolve_down: float
    resolve_up: float
    standing: float
    secret: float
    second_gain_share: float
    cost_share: float


_GREEDY = ("threshold", "propose_min_odds")
_EVALUATE = tuple(
    f.name for f in attrs.fields(Weights) if f.name != "outcome" and f.name not in _GREEDY
)
_EXPLAIN = tuple(f.name for f in attrs.fields(ExplainWeights))
_OUTCOMES = ("peace", "stalemate", "conflict")


def read_weights(data: Any, source: str = "weights.yaml") -> tuple[Weights, ExplainWeights]:
    """Both weight tables from ``weights.yaml``'s data; TuningError names every problem."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise TuningError(f"{source}: expected the tables evaluate, greedy and explain")
    evaluate = dict(data.get("evaluate") or {})
    outcome = _numbers(evaluate.pop("outcome", None), "evaluate.outcome", _OUTCOMES, problems)
    numbers = _numbers(evaluate, "evaluate", _EVALUATE, problems)
    greedy = _numbers(data.get("greedy"), "greedy", _GREEDY, problems)
    explain = _numbers(data.get("explain"), "explain", _EXPLAIN, problems)
    horizon = numbers.get("horizon", 1)
    if horizon != int(horizon) or horizon < 1:
        problems.append(f"evaluate.horizon: expected whole turns, 1 or more, got {horizon}")
    for name in data:
        if name not in ("evaluate", "greedy", "explain", "selfish"):
            problems.append(
                f"{name}: not a known table (known: evaluate, greedy, explain, selfish)"
            )
    if problems:
        raise TuningError(f"{source}: " + "; ".join(problems))
    floats = {name: float(value) for name, value in numbers.items()}
    floats["horizon"] = int(horizon)
    weights = Weights(
        outcome={name: float(value) for name, value in outcome.items()},
        threshold=float(greedy["threshold"]),
        propose_min_odds=float(greedy["propose_min_odds"]),
        **floats,
    )
    return weights, ExplainWeights(**{name: float(value) for name, value in explain.items()})


def read_selfish(
    data: Any, weights: Weights, strategies: Any, source: str = "weights.yaml"
) -> tuple[Weights, str]:
    """The ``selfish`` table: the selfish policy's weights (``weights`` with its
    ``evaluate`` entries in their place) and the difficulty whose bargaining strategy
    it plays, one of ``strategies``; TuningError names every problem."""
    table = data.get("selfish") if isinstance(data, dict) else None
    if not isinstance(table, dict):
        raise TuningError(f"{source}: selfish: expected the tables evaluate and strategy")
    problems: list[str] = []
    changed = table.get("evaluate")
    names = tuple(name for name in _EVALUATE if name != "horizon")
    if not isinstance(changed, dict) or not changed:
        problems.append(f"selfish.evaluate: expected some of {', '.join(names)}")
        changed = {}
    floats = {}
    for name, value in changed.items():
        if name not in names:
            known = ", ".join(names)
            problems.append(f"selfish.evaluate.{name}: not a known entry (known: {known})")
        elif isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(f"selfish.evaluate.{name}: expected a number, got {value!r}")
        else:
            floats[name] = float(value)
    strategy = table.get("strategy")
    if strategy not in strategies:
        problems.append(
            f"selfish.strategy: expected a difficulty ({', '.join(strategies)}), got {strategy!r}"
        )
    for name in table:
        if name not in ("evaluate", "strategy"):
            problems.append(f"selfish.{name}: not a known entry (known: evaluate, strategy)")
    if problems:
        raise TuningError(f"{source}: " + "; ".join(problems))
    return attrs.evolve(weights, **floats), str(strategy)


#: ``difficulty.yaml``: the difficulty table and the search's numbers.
TUNING: dict[str, Any] = difficulty_file()
#: ``weights.yaml``: the evaluation's and the advisor's weights.
WEIGHTS, EXPLAIN_WEIGHTS = read_weights(_read("weights.yaml"))
#: The selfish analysis policy's weights, and whose bargaining strategy it plays.
SELFISH_WEIGHTS, SELFISH_STRATEGY = read_selfish(
    _read("weights.yaml"), WEIGHTS, (TUNING.get("difficulties") or {}).keys()
)
