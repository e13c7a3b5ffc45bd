"""The simulator: many complete AI games, summed up into a balance report.

:func:`simulate` plays one policy; :func:`balance` plays several and adds the
scenario-wide warnings a designer acts on:

- a **dominant move**: one move makes up more than ``dominant_move_share`` of a
  policy's choices in the games it won;
- an event that fires in fewer than ``rare_event_rate`` of the games (never, or
  hardly ever), unless the scenario marks it ``rare: true``;
- a **target** missed: random play finds peace too often, greedy play too
  rarely, or the search does worse than greedy.

The thresholds live in ``balance.yaml``. A report depends only on the scenario,
the number of games, the seed and the policies; only its ``timing`` part
changes from run to run. Games may be spread over worker processes
(``jobs``): each game's seed comes from the run's seed and its number, and the
results are merged in game order, so the report is the same for any ``jobs``.
"""

from __future__ import annotations

import concurrent.futures
import math
import multiprocessing
import time
from collections import Counter
from collections.abc import Callable, Sequence
from importlib import resources
from typing import Any, NamedTuple

from game.ai.lineup import ABSENT, Lineup
from game.ai.play import play_game
from game.engine import rng
from game.engine.actions import Play
from game.engine.model import Scenario
from game.engine.outcome import score
from game.tunables import read_tunables

OUTCOMES = ("peace", "stalemate", "conflict")
#: The policies a balance report plays by default, in report order.
POLICIES = ("random", "greedy", "search")
#: Tasks each worker gets of a run spread over processes: enough that the last
#: ones are short, few enough that handing them out costs nothing.
TASKS_PER_WORKER = 16
# Which policies' games take longest, slowest first (the others after them).
_SLOWEST_FIRST = {"search": -2, "greedy": -1}
#: The normal distribution's 97.5% quantile: a mean's 95% interval is its
#: standard error times this either side (games are many and independent).
Z95 = 1.959964


def _slowness(lineup: Lineup) -> int:
    """How early a lineup's games are handed out: by its slowest seat's policy."""
    return min(_SLOWEST_FIRST.get(p, 0) for p in lineup.agent_policies())


def _thresholds() -> dict[str, Any]:
    text = resources.files("game.ai").joinpath("balance.yaml").read_text("utf-8")
    return read_tunables(text)


#: The report's thresholds, from ``balance.yaml``.
THRESHOLDS = _thresholds()


def game_seed(seed: int, game: int) -> int:
    """The seed of one game of a run: a run's games are independent but repeatable."""
    return rng.derive(rng.seed_state(seed), game)


class GameSummary(NamedTuple):
    """What the report needs from one finished game (small, so workers can send it back)."""

    outcome: str
    turns: int
    actions: int
    moves: tuple[str, ...]  # the move of every Play action, in order
    fired: tuple[int, ...]  # how often each event fired
    tension: tuple[int, ...]  # final tension per relation
    trust: tuple[int, ...]  # final trust per relation
    scores: tuple[tuple[int, float], ...]  # (envoy, final score) of every seated envoy


def lineup_of(policy: str | Lineup) -> Lineup:
    return policy if isinstance(policy, Lineup) else Lineup(policy)


def play_summary(scenario: Scenario, seed: int, game: int, policy: str | Lineup) -> GameSummary:
    """Play game number ``game`` of a run and keep its summary."""
    lineup = lineup_of(policy)
    record = play_game(
        scenario, game_seed(seed, game), lineup.factory(game), playing=lineup.playing(scenario)
    )
    state = record.state
    return GameSummary(
        state.outcome,
        state.turn,
        len(record.actions),
        tuple(a.move for a in record.actions if isinstance(a, Play)),
        state.fire_count,
        state.tension,
        state.trust,
        tuple((envoy, score(state, envoy).total) for envoy in state.turn_order),
    )


# ------------------------------------------------------------ worker processes

#: A picklable way for a worker process to build the scenario again: a
#: module-level function of no arguments (say, a ``functools.partial`` of a
#: loader and a path) that returns it.
Loader = Callable[[], Scenario]

_WORKER: dict[str, Scenario] = {}


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _start_worker(load: Loader | None, content_hash: str) -> None:
    if load is None:  # a forked worker holds the parent's scenario already
        return
    scenario = load()
    if scenario is None or scenario.content_hash != content_hash:
        raise RuntimeError("the scenario changed while the simulation was starting")
    _WORKER["scenario"] = scenario


def _play_chunk(
    seed: int, start: int, stop: int, policy: Lineup
) -> tuple[float, list[GameSummary]]:
    scenario = _WORKER["scenario"]
    started = time.perf_counter()
    summaries = [play_summary(scenario, seed, game, policy) for game in range(start, stop)]
    return time.perf_counter() - started, summaries


class _Run(NamedTuple):
    policy: Lineup
    games: int


def _play_runs(
    scenario: Scenario, runs: Sequence[_Run], seed: int, jobs: int, load: Loader | None
) -> list[tuple[float, list[GameSummary]]]:
    """Each run's seconds of play and summaries, in game order, over ``jobs`` processes.

    Every run's games go into one pool at once, cut into tasks small enough that
    no worker idles while another finishes a long last task. Where the system
    can fork, workers start as copies of this process, scenario included;
    elsewhere each builds the scenario with ``load`` and checks its content.
    """
    for run in runs:
        run.policy.prepare(scenario)
    if jobs <= 1 or sum(run.games for run in runs) <= 1:
        results = []
        for run in runs:
            started = time.perf_counter()
            summaries = [play_summary(scenario, seed, g, run.policy) for g in range(run.games)]
            results.append((time.perf_counter() - started, summaries))
        return results
    if _can_fork():
        context, load = multiprocessing.get_context("fork"), None
        _WORKER["scenario"] = scenario
    elif load is None:
        raise ValueError("a simulation over several processes needs a loader of the scenario")
    else:
        context = multiprocessing.get_context("spawn")
    tasks = []
    # The slowest policy's games are handed out first, so quick games fill the end.
    for number in sorted(range(len(runs)), key=lambda n: _slowness(runs[n].policy)):
        games = runs[number].games
        size = max(1, math.ceil(games / (jobs * TASKS_PER_WORKER)))
        tasks += [(number, s, min(games, s + size)) for s in range(0, games, size)]
    seconds = [0.0] * len(runs)
    chunks: list[dict[int, list[GameSummary]]] = [{} for _ in runs]
    try:
        with concurrent.futures.ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=context,
            initializer=_start_worker,
            initargs=(load, scenario.content_hash),
        ) as pool:
            futures = [
                pool.submit(_play_chunk, seed, start, stop, runs[number].policy)
                for number, start, stop in tasks
            ]
            try:
                for (number, start, _), future in zip(tasks, futures, strict=True):
                    took, summaries = future.result()
                    seconds[number] += took
                    chunks[number][start] = summaries
            except BaseException:
                # A game that failed (a plug-in agent's error) ends the run now,
                # not after every game still queued.
                for future in futures:
                    future.cancel()
                raise
    finally:
        _WORKER.pop("scenario", None)
    return [
        (took, [s for start in sorted(parts) for s in parts[start]])
        for took, parts in zip(seconds, chunks, strict=True)
    ]


def play_summaries(
    scenario: Scenario,
    games: int,
    seed: int,
    policy: str | Lineup,
    jobs: int = 1,
    load: Loader | None = None,
) -> list[GameSummary]:
    """Every game's summary, in game order; ``jobs`` > 1 spreads them over processes.

    Compiled scenarios hold closures, which cannot be sent between processes:
    where the system cannot fork, worker processes build the scenario with
    ``load`` and check that it is the same content.
    """
    return _play_runs(scenario, [_Run(lineup_of(policy), games)], seed, jobs, load)[0][1]


# ------------------------------------------------------------------- report


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def spread(values: Sequence[int]) -> dict[str, int]:
    """Minimum, quartiles (nearest rank) and maximum of some final meter values."""
    ordered = sorted(values)
    if not ordered:
        return {}
    last = len(ordered) - 1

    def rank(fraction: float) -> int:
        return ordered[int(fraction * last + 0.5)]

    return {
        "min": ordered[0],
        "q1": rank(0.25),
        "median": rank(0.5),
        "q3": rank(0.75),
        "max": ordered[-1],
    }


def relation_name(scenario: Scenario, index: int) -> str:
    relation = scenario.relations[index]
    return f"{scenario.parties[relation.a].id}-{scenario.parties[relation.b].id}"


def mean_interval(values: Sequence[float]) -> dict[str, Any]:
    """The mean of some scores and its 95% interval (a normal interval of the mean:
    the standard error from the sample's standard deviation; none for one value)."""
    count = len(values)
    if not count:
        return {"mean_score": None, "interval_95": None}
    mean = sum(values) / count
    if count < 2:
        return {"mean_score": round(mean, 3), "interval_95": None}
    deviation = math.sqrt(sum((v - mean) ** 2 for v in values) / (count - 1))
    half = Z95 * deviation / math.sqrt(count)
    return {
        "mean_score": round(mean, 3),
        "interval_95": [round(mean - half, 3), round(mean + half, 3)],
    }


def seat_scores(
    scenario: Scenario, summaries: Sequence[GameSummary], lineup: Lineup
) -> dict[str, dict[str, Any]]:
    """Each envoy's policy, the games it sat in, and its mean final score with its interval."""
    played: dict[int, list[float]] = {}
    for summary in summaries:
        for envoy, total in summary.scores:
            played.setdefault(envoy, []).append(total)
    return {
        scenario.envoys[envoy].id: {
            "policy": lineup.policy_of(scenario.envoys[envoy].id),
            "games": len(played[envoy]),
            **mean_interval(played[envoy]),
        }
        for envoy in sorted(played)
    }


def summarise(
    scenario: Scenario,
    summaries: Sequence[GameSummary],
    seed: int,
    policy: str | Lineup,
    seconds: float = 0.0,
) -> dict[str, Any]:
    """The report of one policy's (or lineup's) games."""
    lineup = lineup_of(policy)
    games = len(summaries)
    outcomes = Counter(s.outcome for s in summaries)
    uses: Counter[str] = Counter()
    won: Counter[str] = Counter()
    lost: Counter[str] = Counter()
    fired: Counter[str] = Counter()
    for summary in summaries:
        uses.update(summary.moves)
        if summary.outcome == "peace":
            won.update(summary.moves)
        elif summary.outcome == "conflict":
            lost.update(summary.moves)
        for event, count in zip(scenario.events, summary.fired, strict=True):
            if count:
                fired[event.id] += 1
    total_uses, total_won, total_lost = uses.total(), won.total(), lost.total()
    moves = {
        m.id: {
            "uses": uses[m.id],
            "per_game": round(uses[m.id] / games, 3) if games else 0.0,
            "share": _share(uses[m.id], total_uses),
            "share_won": _share(won[m.id], total_won),
            "share_lost": _share(lost[m.id], total_lost),
        }
        for m in scenario.moves
    }
    families = {
        family.id: _share(
            sum(uses[m.id] for m in scenario.moves if m.family == family.id), total_uses
        )
        for family in scenario.families
    }
    limit = THRESHOLDS["dominant_move_share"]
    dominant = [
        {"move": move, "share_won": data["share_won"]}
        for move, data in moves.items()
        if data["share_won"] > limit
    ]
    events = {e.id: _share(fired[e.id], games) for e in scenario.events}
    rare_rate = THRESHOLDS["rare_event_rate"]
    meters = {
        relation_name(scenario, index): {
            "tension": spread([s.tension[index] for s in summaries]),
            "trust": spread([s.trust[index] for s in summaries]),
        }
        for index in range(len(scenario.relations))
    }
    actions = sum(s.actions for s in summaries)
    return {
        "policy": lineup.name,
        "games": games,
        "seed": seed,
        "outcomes": {o: _share(outcomes[o], games) for o in OUTCOMES},
        "mean_turns": round(sum(s.turns for s in summaries) / games, 3) if games else 0.0,
        "moves": moves,
        "families": families,
        "dominant_moves": dominant,
        "events": events,
        "never_fired": [e.id for e in scenario.events if not fired[e.id] and not e.rare],
        "rarely_fired": [e.id for e in scenario.events if not e.rare and events[e.id] < rare_rate],
        "rare_on_purpose": [e.id for e in scenario.events if e.rare],
        "meters": meters,
        "seats": seat_scores(scenario, summaries, lineup),
        # Greedy in the one seat or the required ones, every optional envoy absent.
        "solo": lineup.policy == "greedy" and is_solo(scenario, lineup),
        "timing": {
            "seconds": round(seconds, 3),
            "games_per_second": round(games / seconds, 1) if seconds else None,
            "actions_per_second": round(actions / seconds, 1) if seconds else None,
        },
    }


def simulate(
    scenario: Scenario,
    games: int,
    seed: int,
    policy: str | Lineup,
    jobs: int = 1,
    load: Loader | None = None,
) -> dict[str, Any]:
    """Play ``games`` games with ``policy`` in every seat (or a lineup's) and report
    what happened."""
    started = time.perf_counter()
    summaries = play_summaries(scenario, games, seed, policy, jobs, load)
    report = summarise(scenario, summaries, seed, policy, time.perf_counter() - started)
    return {
        "scenario": scenario.id,
        "title": str(scenario.title),
        "content_hash": scenario.content_hash,
        **report,
    }


def balance(
    scenario: Scenario,
    games: int,
    seed: int,
    policies: Sequence[str | Lineup] = POLICIES,
    jobs: int = 1,
    load: Loader | None = None,
    search_games: int | None = None,
) -> dict[str, Any]:
    """Simulate each policy (or lineup) and collect the warnings a designer should act on.

    ``search_games``, when given, is how many games a lineup with a search seat
    plays instead of ``games``: it thinks about fifty times longer than greedy. The
    balance targets are checked for lineups of one policy in every seat. Over
    several processes, every policy's games share one pool, and each policy's
    ``timing`` is the time its games took, summed over the processes.
    """
    lineups = [lineup_of(policy) for policy in policies]
    runs = [
        _Run(
            lineup, search_games if "search" in lineup.agent_policies() and search_games else games
        )
        for lineup in lineups
    ]
    played = _play_runs(scenario, runs, seed, jobs, load)
    reports = {
        run.policy.name: summarise(scenario, summaries, seed, run.policy, seconds)
        for run, (seconds, summaries) in zip(runs, played, strict=True)
    }
    return {
        "scenario": scenario.id,
        "title": str(scenario.title),
        "content_hash": scenario.content_hash,
        "games": games,
        "seed": seed,
        "policies": reports,
        "warnings": warnings(scenario, reports),
    }


def warnings(scenario: Scenario, reports: dict[str, dict[str, Any]]) -> list[str]:
    """What is out of balance, one line each."""
    found: list[str] = []
    names = {m.id: str(m.name) for m in scenario.moves}
    limit = THRESHOLDS["dominant_move_share"]
    for policy, report in reports.items():
        for item in report["dominant_moves"]:
            found.append(
                f"{policy}: dominant move: {names[item['move']]} ({item['move']}) is "
                f"{item['share_won']:.0%} of the choices in won games (over {limit:.0%})"
            )
    rate = THRESHOLDS["rare_event_rate"]
    for event in scenario.events:
        if event.rare or not reports:
            continue
        best = max(report["events"][event.id] for report in reports.values())
        if best < rate:
            how = "never fired" if best == 0 else f"fired in only {best:.1%} of games"
            found.append(
                f"event '{event.id}' {how} (under {rate:.0%} with every policy; "
                "mark it 'rare: true' if that is on purpose)"
            )
    targets = THRESHOLDS["targets"]
    peace = {policy: report["outcomes"]["peace"] for policy, report in reports.items()}
    if "random" in peace and peace["random"] > targets["random_peace_max"]:
        found.append(
            f"random play reaches peace in {peace['random']:.1%} of games "
            f"(target: at most {targets['random_peace_max']:.0%})"
        )
    if "greedy" in peace and peace["greedy"] < targets["greedy_peace_min"]:
        found.append(
            f"greedy play reaches peace in {peace['greedy']:.1%} of games "
            f"(target: at least {targets['greedy_peace_min']:.0%})"
        )
    if (
        targets["search_at_least_greedy"]
        and "search" in peace
        and "greedy" in peace
        and peace["search"] < peace["greedy"]
    ):
        found.append(
            f"search reaches peace less often than greedy "
            f"({peace['search']:.1%} against {peace['greedy']:.1%})"
        )
    low_solo, high_solo = targets["solo_peace_min"], targets["solo_peace_max"]
    for policy, report in reports.items():
        if not report.get("solo"):
            continue
        low, high = wilson(peace[policy], report["games"])
        if low < low_solo or high > high_solo:
            found.append(
                f"solo play ({policy}) reaches peace in {peace[policy]:.1%} of games "
                f"(95% interval {low:.1%}–{high:.1%}; target: {low_solo:.0%}–{high_solo:.0%})"
            )
    if "routine" in peace and "tutorial" not in scenario.tags:
        games = reports["routine"]["games"]
        top = wilson(peace["routine"], games)[1]
        if top > targets["routine_peace_max"]:
            found.append(
                f"a board-blind routine reaches peace in {peace['routine']:.1%} of games "
                f"(95% interval up to {top:.1%}; target: at most "
                f"{targets['routine_peace_max']:.0%}): the crisis can be won by rote"
            )
        share = targets["routine_of_greedy_max"]
        if "greedy" in peace and peace["routine"] > share * peace["greedy"]:
            found.append(
                f"a board-blind routine reaches peace in {peace['routine']:.1%} of games, "
                f"over {share:.0%} of greedy's {peace['greedy']:.1%}"
            )
    return found


def is_solo(scenario: Scenario, lineup: Lineup) -> bool:
    """Whether a lineup leaves every optional envoy's seat empty, and some are optional."""
    optional = {e.id for e in scenario.envoys if not e.required}
    absent = {envoy for envoy, policy in lineup.seats if policy == ABSENT}
    played = {envoy for envoy, policy in lineup.seats if policy != ABSENT}
    return bool(optional) and absent == optional and not played


def wilson(share: float, games: int) -> tuple[float, float]:
    """The 95% (Wilson score) interval of a share of ``games`` games."""
    if games <= 0:
        return 0.0, 1.0
    z2 = Z95 * Z95
    middle = (share + z2 / (2 * games)) / (1 + z2 / games)
    half = Z95 * math.sqrt(share * (1 - share) / games + z2 / (4 * games * games))
    half /= 1 + z2 / games
    # Rounding must not put the share itself outside (at 0 or 1 it is an end).
    return max(0.0, min(share, middle - half)), min(1.0, max(share, middle + half))


def seat_line(report: dict[str, Any]) -> str:
    """Each seat's policy and mean score with its interval, on one line, when the
    seats do not all play the same policy (else nothing: one policy's seats are
    told apart by the agenda, not by how they play)."""
    seats = report["seats"]
    if len({seat["policy"] for seat in seats.values()}) < 2:
        return ""
    parts = []
    for envoy, seat in seats.items():
        interval = seat["interval_95"]
        around = f" [{interval[0]:.1f}, {interval[1]:.1f}]" if interval else ""
        parts.append(f"{envoy} ({seat['policy']}) {seat['mean_score']:.1f}{around}")
    return "; ".join(parts)


# ----------------------------------------------------------------- markdown

BEGIN, END = "<!-- balance:begin -->", "<!-- balance:end -->"


def markdown_table(balances: Sequence[dict[str, Any]], command: str) -> str:
    """The balance table of several scenarios, as Markdown (no timings: it reruns the same)."""
    lines = [
        f"Measured with `{command}`; the same command gives the same table.",
        "Events under 1% are listed for each policy; an event is flagged only when it stays "
        "under 1% with every policy, unless it is marked `rare: true`.",
        "",
        "| scenario | policy | games | peace | stalemate | conflict | mean length "
        "| dominant moves | events under 1% |",
        "|---|---|---:|---:|---:|---:|---:|---|---|",
    ]
    notes = []
    for entry in balances:
        for policy, report in entry["policies"].items():
            outcomes = report["outcomes"]
            dominant = ", ".join(
                f"{d['move']} ({d['share_won']:.0%})" for d in report["dominant_moves"]
            )
            lines.append(
                f"| {entry['title']} | {policy} | {report['games']} "
                f"| {outcomes['peace']:.1%} | {outcomes['stalemate']:.1%} "
                f"| {outcomes['conflict']:.1%} | {report['mean_turns']:.2f} "
                f"| {dominant or 'none'} | {', '.join(report['rarely_fired']) or 'none'} |"
            )
            seats = seat_line(report)
            if seats:
                notes.append(f"- {entry['title']}, {policy}: mean score by seat: {seats}")
        notes.extend(f"- {entry['title']}: {warning}" for warning in entry["warnings"])
    lines.append("")
    lines.extend(notes or ["No balance warnings."])
    return "\n".join(lines) + "\n"


def replace_between_markers(document: str, table: str) -> str:
    """The document with everything between the balance markers replaced by ``table``.

    Raises ValueError when the markers are missing or out of order.
    """
    begin, end = document.find(BEGIN), document.find(END)
    if begin < 0 or end < 0 or end < begin:
        raise ValueError(f"it needs the markers {BEGIN} and {END}, in that order")
    return document[: begin + len(BEGIN)] + "\n" + table + document[end:]
