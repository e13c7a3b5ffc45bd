"""An example agent for `envoy simulate --agent examples/cautious_agent.py:CautiousAgent`.

Copy this file and change `choose` to try your own strategy against a crisis, e.g.

    envoy simulate border_incident --policy greedy \
        --seat un_envoy=examples/cautious_agent.py:CautiousAgent

MODDING.md ("Your own agent") describes what an agent sees and returns.
"""

import random

from game.engine.actions import Decide, End, Play


class CautiousAgent:
    """Plays the cheapest legal move it can still afford, up to two a turn, then ends
    its turn; at a decision it picks one option at random."""

    def __init__(self, seed):
        # The seed makes the same run of games play the same way every time.
        self.random = random.Random(seed)

    def choose(self, view, envoy_id, legal):
        decisions = [a for a in legal if isinstance(a, Decide)]
        if decisions:
            return self.random.choice(decisions)
        envoy = view.scenario.envoy_index(envoy_id)
        played = sum(1 for chosen in view.pending if chosen.envoy == envoy)
        plays = [a for a in legal if isinstance(a, Play)]
        ends = [a for a in legal if isinstance(a, End)]
        if plays and (played < 2 or not ends):
            costs = {m.id: m.cost for m in view.scenario.moves}
            cheapest = min(costs[a.move] for a in plays)
            return self.random.choice([a for a in plays if costs[a.move] == cheapest])
        return ends[0] if ends else legal[0]
