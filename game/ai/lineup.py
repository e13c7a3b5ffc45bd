"""Who plays which seat in a simulation: one policy, and any seat set to another.

A policy is named by any of :func:`policy_names` — the AI policies (random,
greedy, search), the difficulties a player picks (easy, normal, hard: the
policies behind them), the ``routine`` analysis policy — or by a plug-in agent's
``FILE.py:ClassName`` (:mod:`game.ai.plugins`). A :class:`Lineup` is small and
picklable, so worker processes build the same agents from it.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence

import attrs

from game.ai import plugins, routine
from game.ai.agents import Agent
from game.ai.policies import DIFFICULTIES, POLICIES, make_agent, make_agent_for
from game.engine.model import Scenario

ROUTINE = "routine"
#: Not a policy: the seat is left empty (an optional envoy only), as setup's "Empty seat".
ABSENT = "absent"


class LineupError(ValueError):
    """An unknown policy or envoy, in one line with what was meant."""


def policy_names() -> tuple[str, ...]:
    """Every policy a seat can play by name, in the order a user reads them."""
    return (*POLICIES, ROUTINE, *DIFFICULTIES)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``choices``, or nothing."""
    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    # A short id typed for a long one ("un" for "un_envoy") is no close spelling.
    close = close or [c for c in choices if word and c.startswith(word.lower())][:1]
    return f" (did you mean '{close[0]}'?)" if close else ""


def check_policy(name: str) -> None:
    """Raise LineupError (or PluginError) unless ``name`` names a policy that can play
    (or ``absent``, which a seat may be)."""
    if name == ABSENT:
        return
    if plugins.is_plugin(name):
        plugins.load(name)
        return
    known = policy_names()
    if name not in known:
        raise LineupError(
            f"unknown policy '{name}'{did_you_mean(name, (*known, ABSENT))}: choose from "
            f"{', '.join(known)}, or a plug-in agent as FILE.py:ClassName (or, for a "
            f"seat, {ABSENT})"
        )


def make(policy: str, seed: int, game: int = 0) -> Agent:
    """One seat's agent of game number ``game``, by policy name."""
    if plugins.is_plugin(policy):
        return plugins.Checked(policy, seed, game)  # type: ignore[return-value]
    if policy == ROUTINE:
        return routine.RoutineAgent(seed)  # type: ignore[return-value]
    if policy in DIFFICULTIES:
        return make_agent_for(policy, seed)
    return make_agent(policy, seed)


def parse_seat(text: str) -> tuple[str, str]:
    """``ENVOY=POLICY`` as a pair; LineupError when it is not of that shape."""
    envoy, sep, policy = text.partition("=")
    if not sep or not envoy.strip() or not policy.strip():
        raise LineupError(f"--seat {text}: write ENVOY=POLICY, e.g. --seat un_envoy=greedy")
    return envoy.strip(), policy.strip()


@attrs.frozen
class Lineup:
    """``policy`` in every seat but those ``seats`` sets, as (envoy id, policy) pairs."""

    policy: str
    seats: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, policy: str, seats: Sequence[tuple[str, str]] = ()) -> Lineup:
        """A lineup with each envoy's last setting, in the order the envoys were first
        named; a seat set to ``policy`` itself is no exception."""
        chosen = dict(seats)
        return cls(policy, tuple((e, p) for e, p in chosen.items() if p != policy))

    @property
    def name(self) -> str:
        """The report's name for it: the policy, then any seat that plays another."""
        if not self.seats:
            return self.policy
        return f"{self.policy} with " + ", ".join(f"{e}={p}" for e, p in self.seats)

    def policy_of(self, envoy_id: str) -> str:
        return dict(self.seats).get(envoy_id, self.policy)

    def policies(self) -> set[str]:
        return {self.policy, *(p for _, p in self.seats)}

    def agent_policies(self) -> set[str]:
        """The policies its seats play, a difficulty read as the policy behind it."""
        found = {DIFFICULTIES[p].policy if p in DIFFICULTIES else p for p in self.policies()}
        return found - {ABSENT}

    def check(self, scenario: Scenario) -> None:
        """Raise LineupError for an envoy the crisis lacks, or an unknown policy."""
        envoys = [e.id for e in scenario.envoys]
        for envoy, _ in self.seats:
            if envoy not in envoys:
                raise LineupError(
                    f"--seat {envoy}: no envoy '{envoy}' in {scenario.id}"
                    f"{did_you_mean(envoy, envoys)}: its envoys are {', '.join(envoys)}"
                )
        if self.policy == ABSENT:
            raise LineupError(
                f"--policy {ABSENT}: a game needs someone to play; leave seats empty "
                f"with --seat ENVOY={ABSENT}"
            )
        for envoy, policy in self.seats:
            if policy == ABSENT and scenario.envoys[scenario.envoy_index(envoy)].required:
                raise LineupError(
                    f"--seat {envoy}={ABSENT}: {envoy} is required in {scenario.id}, so its seat "
                    "cannot be left empty"
                )
        for policy in sorted(self.policies()):
            check_policy(policy)

    def playing(self, scenario: Scenario) -> tuple[str, ...] | None:
        """The envoys that play, when some seats are left empty; None when all play."""
        absent = {envoy for envoy, policy in self.seats if policy == ABSENT}
        if not absent:
            return None
        return tuple(e.id for e in scenario.envoys if e.id not in absent)

    def plays_routine(self) -> bool:
        return ROUTINE in self.policies()

    def prepare(self, scenario: Scenario) -> None:
        """Work out before play what seats share (the crisis's routine), so worker
        processes started as copies of this one inherit it instead of searching."""
        if self.plays_routine():
            routine.routine_for(scenario)

    def factory(self, game: int = 0) -> Callable[[str, int], Agent]:
        """``(envoy_id, seed) -> agent`` for game number ``game`` (named in a plug-in's
        errors)."""
        return lambda envoy_id, seed: make(self.policy_of(envoy_id), seed, game)
