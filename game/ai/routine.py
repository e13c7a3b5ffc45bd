"""The ``routine`` analysis policy: the strongest script that never reads the board.

A designer's question (NEGOTIATION.md §7) is whether a crisis can be won by
rote: cycle the same moves and win, as critics say of PeaceMaker. A
:class:`Script` is a priority order of moves plus a fixed package for each
accord that has issues. Every turn, a seat playing it first amends a draft
towards its package (the first issue, in the crisis's order, still apart from
it), then takes the first legal target of each move in its order, while its
capital lasts, then ends its turn; at a decision it takes the first option. It
reads nothing of the board but what is legal, so it cannot learn what a party
wants, nor bargain.

:func:`search` tries many scripts (``balance.yaml``: ``routine``) in every seat
over the games of one run seed and keeps the one that reaches peace most
often. Report it on other games, or the figure flatters it. The search is
deterministic, and :func:`script_for` caches its result per crisis, keyed by
the crisis's content hash and the search's settings; a cache file that is
stale, corrupt or for another crisis is searched again and rewritten, never
trusted.
"""

from __future__ import annotations

import contextlib
import json
import os
import pathlib
from collections.abc import Sequence
from importlib import resources
from typing import Any

import attrs

from game.ai.play import play_game
from game.engine import bargain, rng
from game.engine.actions import Action, Amend, Decide, End, Play
from game.engine.model import Scenario
from game.engine.outcome import score
from game.engine.rules import new_game
from game.engine.state import GameState
from game.tunables import read_tunables

#: Overrides the folder the searched routines are cached in (tests, portable installs).
CACHE_ENV = "ENVOY_CACHE_DIR"
#: Bumped whenever a script plays differently or the search judges differently,
#: so a routine cached by an older version is searched again.
SEARCH_VERSION = 3
#: The largest cache file read back (a few hundred bytes are expected).
CACHE_MAX_BYTES = 64 * 1024
#: Moves of the fixed routine the balance issue measured (99.3% peace in Border
#: Incident), tried first so the search never does worse than it.
ISSUE_ROUTINE = (
    "propose_accord",
    "good_offices",
    "inspectors",
    "student_exchange",
    "hotline",
    "public_statement",
    "sports_exchange",
    "cultural_festival",
)


@attrs.frozen
class Settings:
    """How hard the search looks: ``scripts`` tried over ``games`` games of run
    ``seed``, then the best ``finalists`` over ``final_games``."""

    scripts: int
    games: int
    finalists: int
    final_games: int
    seed: int


def _settings() -> Settings:
    text = resources.files("game.ai").joinpath("balance.yaml").read_text("utf-8")
    return Settings(**read_tunables(text)["routine"])


#: The search's settings, from ``balance.yaml``.
SETTINGS = _settings()


@attrs.frozen
class Script:
    """A board-blind plan: the moves to play each turn, in priority order, and the
    fixed package it steers each draft to.

    ``terms`` holds the package as ``(accord, issue, option)`` ids, one for every
    issue of every accord it fixes; an accord it leaves out is proposed as its
    draft stands.
    """

    order: tuple[str, ...]
    terms: tuple[tuple[str, str, str], ...] = ()


class ScriptAgent:
    """Plays a :class:`Script` in one seat; it needs no dice."""

    name = "routine"

    def __init__(self, script: Script):
        self.script = script

    def choose(self, view: GameState, envoy_id: str, legal: Sequence[Action]) -> Action:
        return pick(self.script, legal)


def pick(script: Script, legal: Sequence[Action]) -> Action:
    """The script's choice among the legal actions.

    A decision takes its first option. Then, while the envoy may amend, the
    first of the script's terms that an Amend can still bring about (the draft
    differs there, and is neither signed nor locked). Then the plays: the
    engine lets an envoy choose each move once a turn, so the first move of
    the order with a legal Play is the next one the script has not played this
    turn; when none is left (or capital has run out), the turn ends.
    """
    first: dict[str, Play] = {}
    amends: dict[tuple[str, str, str], Amend] = {}
    for action in legal:
        if isinstance(action, Decide):
            return action
        if isinstance(action, Play) and action.move not in first:
            first[action.move] = action
        elif isinstance(action, Amend):
            amends[action.accord, action.issue, action.option] = action
    for term in script.terms:
        if term in amends:
            return amends[term]
    for move in script.order:
        if move in first:
            return first[move]
    for action in legal:
        if isinstance(action, End):
            return action
    return legal[0]


class RoutineAgent:
    """The ``routine`` policy: the searched script of whichever crisis it plays."""

    name = "routine"

    def __init__(self, seed: int):
        self._scenario: Scenario | None = None
        self._script = Script(())

    def choose(self, view: GameState, envoy_id: str, legal: Sequence[Action]) -> Action:
        if view.scenario is not self._scenario:
            self._scenario, self._script = view.scenario, script_for(view.scenario)
        return pick(self._script, legal)


# ------------------------------------------------------------------- search


@attrs.frozen
class Found:
    """A searched routine and how it did on the search's own games."""

    script: Script
    peace: float  # share of the finalists' games that reached peace
    mean_score: float  # every seat's mean final score over those games
    candidates: int  # how many scripts were tried


def balanced_terms(scenario: Scenario) -> tuple[tuple[str, str, str], ...]:
    """The terms a reader of the crisis file would fix: for each accord with issues,
    its balanced deal (the Nash package) by the declared ranges' middles and the
    reservations at the start, where one exists; else the accord is left as drafted."""
    world = new_game(scenario, 0)[0]
    terms: list[tuple[str, str, str]] = []
    for index, accord in enumerate(scenario.accords):
        interests = [scenario.parties[p].interests for p in accord.signatories]
        if not accord.issues or any(index >= len(i) or i[index] is None for i in interests):
            continue
        sides = [bargain.expected(i[index]) for i in interests]
        floors = [bargain.reservation(scenario, world, p, index) for p in accord.signatories]
        package = bargain.nash(accord, sides, floors)
        if package is not None:
            terms.extend(_terms(accord, package))
    return tuple(terms)


def _terms(accord: Any, package: Sequence[int]) -> list[tuple[str, str, str]]:
    return [
        (accord.id, issue.id, issue.options[choice].id)
        for issue, choice in zip(accord.issues, package, strict=True)
    ]


def candidates(scenario: Scenario, count: int, seed: int) -> list[Script]:
    """``count`` distinct scripts to try, always the same for a crisis and seed.

    A few plans a player would think of come first: the issue's routine with the
    drafts as they stand, then it, every move in the library's order and the
    cheapest first, each steering every draft to its balanced deal. The rest are
    random subsets of the moves in random orders, each with a random package for
    every accord with issues (or none, to propose it as drafted).
    """
    moves = [m.id for m in scenario.moves]
    by_cost = [m.id for m in sorted(scenario.moves, key=lambda m: (m.cost, m.id))]
    issue_routine = tuple(m for m in ISSUE_ROUTINE if m in moves)
    balanced = balanced_terms(scenario)
    plans = [
        Script(issue_routine),
        Script(issue_routine, balanced),
        Script(tuple(moves), balanced),
        Script(tuple(by_cost), balanced),
    ]
    drafted = [a for a in scenario.accords if a.issues]
    seen: set[Script] = set()
    found: list[Script] = []

    def add(script: Script) -> None:
        if script.order and script not in seen:
            seen.add(script)
            found.append(script)

    for plan in plans:
        add(plan)
    state = rng.seed_state(seed)

    def pick_index(size: int) -> int:
        nonlocal state
        value, state = rng.random(state)
        return min(int(value * size), size - 1)

    # The number of distinct scripts of a few moves is finite: stop rather than spin.
    for _ in range(count * 50):
        if len(found) >= count:
            break
        pool = list(moves)
        order = [pool.pop(pick_index(len(pool))) for _ in range(1 + pick_index(len(pool)))]
        terms: list[tuple[str, str, str]] = []
        for accord in drafted:
            choices = bargain.packages(accord)
            number = pick_index(len(choices) + 1)  # the last: leave it as drafted
            if number < len(choices):
                terms.extend(_terms(accord, choices[number]))
        add(Script(tuple(order), tuple(terms)))
    return found[:count]


def _game_seed(seed: int, game: int) -> int:
    # The simulator's seed of a game (game.ai.simulate.game_seed, which a test
    # keeps equal), so the search plays the very games a report of that seed does.
    return rng.derive(rng.seed_state(seed), game)


def trial(scenario: Scenario, script: Script, games: int, seed: int) -> tuple[float, float]:
    """A script in every seat over ``games`` games of run ``seed``: its peace rate and
    every seat's mean score."""
    peace, total, seats = 0, 0.0, 0
    agent = ScriptAgent(script)
    for game in range(games):
        state = play_game(scenario, _game_seed(seed, game), lambda envoy_id, _seed: agent).state
        peace += state.outcome == "peace"
        for envoy in state.turn_order:
            total += score(state, envoy).total
            seats += 1
    return peace / games, total / seats if seats else 0.0


def search(scenario: Scenario, settings: Settings = SETTINGS) -> Found:
    """The strongest of the candidate scripts: most peace, then the best mean score,
    then the earliest tried (so the result never depends on anything but the inputs).

    Every candidate plays the first ``games`` games; the best ``finalists``, and
    the first candidate, play ``final_games`` (the first games again among them),
    which decide.
    """
    scripts = candidates(scenario, settings.scripts, settings.seed)
    first = [trial(scenario, script, settings.games, settings.seed) for script in scripts]
    ranked = sorted(range(len(scripts)), key=lambda n: (-first[n][0], -first[n][1], n))
    # The first candidate (the issue's routine) always reaches the final, so the routine
    # found is never weaker than the one the issue measured.
    finalists = sorted({*ranked[: settings.finalists], 0})
    best: tuple[float, float, int] | None = None
    for number in finalists:
        peace, mean = trial(scenario, scripts[number], settings.final_games, settings.seed)
        if best is None or (peace, mean, -number) > best:
            best = (peace, mean, -number)
    assert best is not None
    return Found(scripts[-best[2]], round(best[0], 4), round(best[1], 3), len(scripts))


# -------------------------------------------------------------------- cache


def cache_dir() -> pathlib.Path:
    """Where searched routines are kept: ENVOY_CACHE_DIR, else the user cache folder."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return pathlib.Path(override) / "routine"
    import platformdirs

    return pathlib.Path(platformdirs.user_cache_dir("envoy", appauthor=False)) / "routine"


def cache_path(scenario: Scenario) -> pathlib.Path:
    return cache_dir() / f"{scenario.content_hash}.json"


def _key(scenario: Scenario, settings: Settings) -> dict[str, Any]:
    return {
        "version": SEARCH_VERSION,
        "content_hash": scenario.content_hash,
        "settings": attrs.asdict(settings),
    }


def encode(scenario: Scenario, settings: Settings, found: Found) -> bytes:
    entry = {
        **_key(scenario, settings),
        "scenario": scenario.id,
        "order": list(found.script.order),
        "terms": [list(term) for term in found.script.terms],
        "peace": found.peace,
        "mean_score": found.mean_score,
        "candidates": found.candidates,
    }
    return json.dumps(entry, indent=2).encode("utf-8")


def decode(scenario: Scenario, settings: Settings, data: bytes) -> Found | None:
    """The routine a cache file holds, or None when it is not one for this crisis and
    these settings (stale, corrupt, cut short, or naming moves the crisis lacks)."""
    try:
        entry = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(entry, dict):
        return None
    if any(entry.get(k) != v for k, v in _key(scenario, settings).items()):
        return None
    order, terms, peace, mean, tried = (
        entry.get(k) for k in ("order", "terms", "peace", "mean_score", "candidates")
    )
    moves = {m.id for m in scenario.moves}
    if not isinstance(order, list) or not order or not all(m in moves for m in order):
        return None
    if len(set(order)) != len(order):
        return None
    terms = _read_terms(scenario, terms)
    if terms is None:
        return None
    numbers = (peace, mean, tried)
    if not all(isinstance(n, int | float) and not isinstance(n, bool) for n in numbers):
        return None
    if not 0 <= peace <= 1 or not isinstance(tried, int):
        return None
    return Found(Script(tuple(order), terms), float(peace), float(mean), tried)


def _read_terms(scenario: Scenario, terms: Any) -> tuple[tuple[str, str, str], ...] | None:
    """A cache file's terms, if they are whole packages of this crisis's accords
    (every issue of an accord once, each an option it has), else None."""
    if not isinstance(terms, list):
        return None
    if not all(
        isinstance(t, list) and len(t) == 3 and all(isinstance(x, str) for x in t) for t in terms
    ):
        return None
    read = tuple((a, i, o) for a, i, o in terms)
    accords = {accord.id: accord for accord in scenario.accords if accord.issues}
    fixed: dict[str, list[str]] = {}
    for accord_id, issue_id, option_id in read:
        accord = accords.get(accord_id)
        issue = next((i for i in accord.issues if i.id == issue_id), None) if accord else None
        if issue is None or option_id not in {o.id for o in issue.options}:
            return None
        fixed.setdefault(accord_id, []).append(issue_id)
    whole = all(issues == [i.id for i in accords[a].issues] for a, issues in fixed.items())
    return read if whole else None


#: Routines found or read in this process, by (content hash, settings). Filled
#: before worker processes fork, so they never search again.
_FOUND: dict[tuple[str, Settings], Found] = {}


def _known(scenario: Scenario, settings: Settings) -> Found | None:
    """The crisis's routine from this process or a sound cache file, else None."""
    from game.files import read_regular

    key = (scenario.content_hash, settings)
    found = _FOUND.get(key)
    if found is None:
        try:
            found = decode(scenario, settings, read_regular(cache_path(scenario), CACHE_MAX_BYTES))
        except (OSError, ValueError):
            return None
        if found is not None:
            _FOUND[key] = found
    return found


def needs_search(scenario: Scenario, settings: Settings | None = None) -> bool:
    """Whether :func:`routine_for` must search (a command says so before it waits)."""
    return _known(scenario, settings or SETTINGS) is None


def routine_for(scenario: Scenario, settings: Settings | None = None) -> Found:
    """The crisis's routine: from this process, else the cache, else a fresh search
    (then cached; a cache that cannot be written only costs the next run a search)."""
    from game.files import write_atomic

    settings = settings or SETTINGS
    found = _known(scenario, settings)
    if found is None:
        found = search(scenario, settings)
        with contextlib.suppress(OSError):
            write_atomic(cache_path(scenario), encode(scenario, settings, found))
        _FOUND[(scenario.content_hash, settings)] = found
    return found


def script_for(scenario: Scenario) -> Script:
    return routine_for(scenario).script


def forget() -> None:
    """Forget the routines of this process (a test that changes the cache)."""
    _FOUND.clear()
