"""Playing whole games with agents: the simulator and the tests drive games through here."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from game.ai.agents import Agent
from game.ai.policies import make_agent
from game.engine import rng
from game.engine.actions import Action
from game.engine.ledger import Entry
from game.engine.model import Scenario
from game.engine.rules import apply, legal_actions, new_game
from game.engine.state import DIPLOMACY, OVER, GameState
from game.engine.view import player_view


@attrs.frozen
class Record:
    """A finished game: its final state, every action, and (if kept) the ledger."""

    state: GameState
    actions: tuple[Action, ...]
    entries: tuple[Entry, ...] = ()


def agent_seed(seed: int, envoy: int) -> int:
    """The seed of the agent in one seat, derived from the game's seed."""
    return rng.derive(rng.seed_state(seed), 0xA6E7 + envoy)


def play_game(
    scenario: Scenario,
    seed: int,
    agents: dict[str, Agent] | Callable[[str, int], Agent] | str = "random",
    playing: Sequence[str] | None = None,
    keep_ledger: bool = False,
) -> Record:
    """Play one complete game with AI agents in every seat.

    ``agents`` is a policy name for every seat, a factory ``(envoy_id, seed) ->
    agent``, or one agent per envoy id.
    """
    state, entries = new_game(scenario, seed, playing)
    ledger = list(entries) if keep_ledger else []
    if isinstance(agents, str):
        policy = agents
        agents = {
            scenario.envoys[e].id: make_agent(policy, agent_seed(seed, e)) for e in state.turn_order
        }
    elif callable(agents):
        factory = agents
        agents = {
            scenario.envoys[e].id: factory(scenario.envoys[e].id, agent_seed(seed, e))
            for e in state.turn_order
        }
    actions: list[Action] = []
    envoy_ids = scenario.tables.envoys
    choose = {envoy_id: agent.choose for envoy_id, agent in agents.items()}
    while state.phase != OVER:
        # GameState.acting, written out for a Diplomacy turn: the loop runs per action.
        if state.phase == DIPLOMACY:
            envoy_id = envoy_ids[state.turn_order[state.turn_index]]
        else:
            envoy_id = envoy_ids[state.acting]
        view = player_view(state, envoy_id)
        action = choose[envoy_id](view, envoy_id, legal_actions(view, envoy_id))
        state, entries = apply(state, action, record=keep_ledger)
        actions.append(action)
        if keep_ledger:
            ledger.extend(entries)
    return Record(state, tuple(actions), tuple(ledger))
