"""The debrief pack: a printable HTML report, the meters as CSV, the ledger as JSON.

``write_report(match, folder)`` writes three files a class can keep:

* ``report.html``: one self-contained page (no scripts, no network, charts as
  inline SVG drawn here, so it prints crisply on A4 and Letter) with the
  outcome, the scores, a tension and trust chart per relation, the turning
  points with their *why*, each team's agenda, moves and reflections, the
  facilitator's actions and the discussion questions;
* ``meters.csv``: tension and trust of every relation at every point the
  chart shows (the start of each turn, and the end). A text cell that a
  spreadsheet would take for a formula (it starts with ``= + - @``, a tab or a
  carriage return) starts with ``'`` instead, the OWASP rule against formula
  injection, so a party named ``=HYPERLINK(...)`` stays text;
* ``log.json``: the whole ledger with the seats, actions and class notes; each
  note keeps its kind and ids beside its words.

Every text that comes from a scenario or a player is escaped: the report shows
markup as text and never runs it. The crisis's texts are in ``lang`` where the
crisis has them (the game's own words are English). Nothing here needs a window.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import pathlib
import re
from collections.abc import Sequence

import attrs

import game
from game.engine import ledger
from game.engine.outcome import negotiated, scores
from game.files import write_atomic
from game.session import narrate
from game.session.codes import crisis_code
from game.session.frontier import Frontier, charts
from game.session.match import Match

FILES = ("report.html", "meters.csv", "log.json")
TENSION_COLOUR = "#c0392b"
TRUST_COLOUR = "#1f6fb2"
# The frontier chart's print colours: the Okabe-Ito hues, safe for colour-blind readers.
DEAL_COLOUR = "#0072b2"
OUTSIDE_COLOUR = "#a7adb5"
EDGE_COLOUR = "#009e73"
NASH_COLOUR = "#e69f00"
SIGNED_COLOUR = "#cc79a7"


def e(text: str) -> str:
    """Escape any scenario or player text for HTML."""
    return html.escape(text, quote=True)


# ------------------------------------------------------------------ the pieces


def chart_points(match: Match) -> list[tuple[str, int]]:
    """(label, history index) of every point on the charts: each turn's start, then the end."""
    points = []
    for index, snapshot in enumerate(match.history):
        last = index == len(match.history) - 1 and match.over
        points.append(("end" if last else str(snapshot.turn), index))
    return points


def relation_series(match: Match, lang: str = "en") -> list[tuple[str, list[int], list[int]]]:
    scenario = match.scenario
    ids = [p.id for p in scenario.parties]
    return [
        (
            narrate.pair(scenario, ids[relation.a], ids[relation.b], lang),
            [h.tension[index] for h in match.history],
            [h.trust[index] for h in match.history],
        )
        for index, relation in enumerate(scenario.relations)
    ]


def svg_chart(
    name: str, tension: Sequence[int], trust: Sequence[int], labels: Sequence[str], conflict: int
) -> str:
    """One relation's tension (solid) and trust (dashed) as an inline SVG chart."""
    width, height, left, right, top, bottom = 640, 240, 44, 16, 16, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(1, len(labels) - 1)

    def x(i: int) -> float:
        return left + plot_w * i / count

    def y(value: float) -> float:
        return top + plot_h * (1 - min(100, max(0, value)) / 100)

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Tension and trust, {e(name)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>Tension and trust, {e(name)}</title>",
    ]
    for value in (0, 25, 50, 75, 100):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="#d0d4da" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" '
            f'class="axis">{value}</text>'
        )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{y(conflict):.1f}" y2="{y(conflict):.1f}" '
        f'stroke="{TENSION_COLOUR}" stroke-width="1.5" stroke-dasharray="2 3"/>'
        f'<text x="{width - right}" y="{y(conflict) - 4:.1f}" text-anchor="end" class="axis">'
        f"conflict at {conflict}</text>"
    )
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'class="axis">{e(label)}</text>'
        )
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 4}" text-anchor="middle" '
        f'class="axis">turn</text>'
    )
    for values, colour, dash, label in (
        (tension, TENSION_COLOUR, "", "tension"),
        (trust, TRUST_COLOUR, ' stroke-dasharray="7 4"', "trust"),
    ):
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(
            f'<polyline class="{label}" points="{points}" fill="none" stroke="{colour}" '
            f'stroke-width="2.5"{dash}/>'
        )
        for i, v in enumerate(values):
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}">'
                f"<title>{label} {v}</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)


def svg_frontier(match: Match, frontier: Frontier, lang: str = "en") -> str:
    """One accord's every package as an inline SVG chart of the first two signatories'
    gains over no deal: the best possible deals, the balanced deal, the starting draft
    and the deal signed."""
    scenario = match.scenario
    words = narrate.FRONTIER_WORDS
    width, height, left, right, top, bottom = 640, 400, 16, 16, 28, 36
    plot_w, plot_h = width - left - right, height - top - bottom

    def bounds(values: list[float]) -> tuple[float, float]:
        low, high = min(0.0, *values), max(0.0, *values)
        room = max(high - low, 1.0) * 0.08
        return low - room, high + room

    xs = bounds([p.gains[0] for p in frontier.points])
    ys = bounds([p.gains[1] for p in frontier.points])

    def at(gains: Sequence[float]) -> tuple[float, float]:
        return (
            left + plot_w * (gains[0] - xs[0]) / (xs[1] - xs[0]),
            top + plot_h * (1 - (gains[1] - ys[0]) / (ys[1] - ys[0])),
        )

    title = narrate.frontier_title(scenario, frontier, lang)
    a, b = frontier.signatories[:2]
    ox, oy = at((0.0, 0.0))
    parts = [
        f'<svg class="frontier" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{e(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{e(title)}</title>",
        f'<line x1="{left}" x2="{width - right}" y1="{oy:.1f}" y2="{oy:.1f}" stroke="#8a929c"/>',
        f'<line x1="{ox:.1f}" x2="{ox:.1f}" y1="{top}" y2="{height - bottom}" stroke="#8a929c"/>',
        f'<text x="{ox + 6:.1f}" y="{oy + 16:.1f}" class="axis">{e(words["origin"])}</text>',
        f'<text x="{left}" y="{top - 10}" class="axis">'
        f"{e(narrate.frontier_axis(scenario, b, lang))}</text>",
        f'<text x="{width - right}" y="{height - 10}" text-anchor="end" class="axis">'
        f"{e(narrate.frontier_axis(scenario, a, lang))}</text>",
    ]
    edge = " ".join("{:.1f},{:.1f}".format(*at(frontier.point(p).gains)) for p in frontier.edge)
    parts.append(
        f'<polyline class="edge" points="{edge}" fill="none" stroke="{EDGE_COLOUR}" '
        f'stroke-width="2.5"><title>{e(words["edge"])}</title></polyline>'
    )
    for point in frontier.points:
        x, y = at(point.gains)
        colour = DEAL_COLOUR if point.in_zone else OUTSIDE_COLOUR
        name = narrate.package_line(scenario, frontier, point, lang)
        parts.append(
            f'<circle class="package" cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}">'
            f"<title>{e(name)}</title></circle>"
        )
    if frontier.draft is not None:
        x, y = at(frontier.point(frontier.draft).gains)
        parts.append(
            f'<circle class="draft" cx="{x:.1f}" cy="{y:.1f}" r="9" fill="none" '
            f'stroke="#1c232c" stroke-width="2"/>'
            f'<text x="{x + 18:.1f}" y="{y + 4:.1f}" class="axis">{e(words["draft"])}</text>'
        )
    if frontier.nash is not None:
        x, y = at(frontier.point(frontier.nash).gains)
        star = " ".join(
            f"{x + r * math.cos(-math.pi / 2 + i * math.pi / 5):.1f},"
            f"{y + r * math.sin(-math.pi / 2 + i * math.pi / 5):.1f}"
            for i, r in ((i, 11 if i % 2 == 0 else 5) for i in range(10))
        )
        parts.append(
            f'<polygon class="nash" points="{star}" fill="{NASH_COLOUR}" stroke="#1c232c"/>'
            f'<text x="{x}" y="{y - 15:.1f}" text-anchor="middle" class="axis">'
            f"{e(words['nash'])}</text>"
        )
    if frontier.signed is not None:
        # a diamond round the package, under its name, so it shows over the star or ring
        x, y = at(frontier.point(frontier.signed).gains)
        corners = (
            f"{x:.1f},{y - 15:.1f} {x + 15:.1f},{y:.1f} {x:.1f},{y + 15:.1f} {x - 15:.1f},{y:.1f}"
        )
        named = y + 30 if y + 30 <= height - 20 else y - 30
        parts.append(
            f'<polygon class="signed" points="{corners}" fill="none" '
            f'stroke="{SIGNED_COLOUR}" stroke-width="3"/>'
            f'<text x="{x:.1f}" y="{named:.1f}" text-anchor="middle" class="axis">'
            f"{e(words['signed'])}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def frontier_section(match: Match, lang: str = "en") -> str:
    """Every format-2 accord's deals, each with its sentence; "" for a format-1 crisis."""
    found = charts(match.scenario, match.state)
    if not found:
        return ""
    words = narrate.FRONTIER_WORDS
    out = [
        '<h2>Every possible deal</h2><p class="key">No deal sits at the crossing of the axes. '
        f'<span style="color:{EDGE_COLOUR}">&#9472;&#9472; {e(words["edge"])}</span>'
        f'<span style="color:{NASH_COLOUR}">&#9733; {e(words["nash"])}</span>'
        f"<span>&#9711; {e(words['draft'])}</span>"
        + (
            f'<span style="color:{SIGNED_COLOUR}">&#9671; {e(words["signed"])}</span>'
            if any(f.signed is not None for f in found)
            else ""
        )
        + f'<span style="color:{OUTSIDE_COLOUR}">&#9679; {e(words["outside"])}</span></p>'
    ]
    for frontier in found:
        caption = narrate.frontier_caption(match.scenario, frontier, lang)
        title = narrate.frontier_title(match.scenario, frontier, lang)
        out.append(
            f'<figure class="deals"><figcaption>{e(title)}'
            + (f"<br><small>{e(caption)}</small>" if caption else "")
            + f"</figcaption>{svg_frontier(match, frontier, lang)}"
            f"<p>{e(narrate.frontier_sentence(match.scenario, frontier, lang))}</p></figure>"
        )
    return "".join(out)


def moves_by_envoy(match: Match, lang: str = "en") -> dict[str, list[tuple[int, str]]]:
    """What each seat's chosen moves did, as (turn, the resolution's words), in order."""
    result: dict[str, list[tuple[int, str]]] = {seat.envoy: [] for seat in match.seats}
    for entry in match.ledger:
        cause = entry.cause
        if entry.is_change or cause.kind != ledger.MOVE or cause.envoy not in result:
            continue
        if entry.note in (ledger.CHOSE, ledger.WITHDREW):
            continue
        result[cause.envoy].append((entry.turn, narrate.note(match.scenario, entry, lang)))
    return result


# ------------------------------------------------------------------ the files


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: object) -> object:
    """A value as a spreadsheet reads it as data, never as a formula.

    Numbers stay numbers (a negative one too); any other text that starts like a
    formula gets a leading ``'``, which spreadsheets show as text and do not run.
    """
    if isinstance(value, int | float) or not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) and not _is_number(value):
        return "'" + value
    return value


_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def _is_number(text: str) -> bool:
    return _NUMBER.fullmatch(text) is not None


def meters_csv(match: Match, lang: str = "en") -> str:
    scenario = match.scenario
    ids = [p.id for p in scenario.parties]
    out = io.StringIO()
    # RFC 4180's line ends: the writer then quotes a cell holding a lone carriage
    # return, which would otherwise start a new row in a spreadsheet.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["turn", "point", "relation", "party_a", "party_b", "tension", "trust"])
    for label, index in chart_points(match):
        snapshot = match.history[index]
        for r, relation in enumerate(scenario.relations):
            row = [
                snapshot.turn,
                "end" if label == "end" else "start",
                narrate.pair(scenario, ids[relation.a], ids[relation.b], lang),
                ids[relation.a],
                ids[relation.b],
                snapshot.tension[r],
                snapshot.trust[r],
            ]
            writer.writerow([csv_cell(cell) for cell in row])
    return out.getvalue()


def log_document(match: Match, lang: str = "en") -> dict:
    def logged(entry: ledger.Entry) -> dict:
        fields = attrs.asdict(entry)
        if not entry.is_change:
            fields["text"] = narrate.note(match.scenario, entry, lang)
        return fields

    return {
        "game_version": game.__version__,
        "scenario": {"id": match.scenario.id, "title": match.scenario.title.get(lang)},
        "crisis_code": crisis_code(match.scenario.id, match.seed),
        "seed": match.seed,
        "outcome": match.state.outcome,
        "seats": [attrs.asdict(seat) for seat in match.seats],
        "actions": [str(action) for action in match.actions],
        "facilitator": [attrs.asdict(note) for note in match.facilitator],
        "reflections": [attrs.asdict(item) for item in match.reflections],
        "ledger": [logged(entry) for entry in match.ledger],
    }


CSS = """
body { font-family: "Noto Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #1b1f24;
  max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.8rem; margin: 0 0 .2rem; } h2 { font-size: 1.3rem; margin-top: 1.6rem;
  border-bottom: 2px solid #d0d4da; padding-bottom: .2rem; } h3 { font-size: 1.05rem; }
.meta { color: #4a5563; } .verdict { font-size: 1.4rem; font-weight: bold; }
.peace { color: #1d7a3a; } .stalemate { color: #9a6700; } .conflict { color: #b3261e; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #d0d4da;
  vertical-align: top; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: 1rem; }
figure { margin: 0; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-weight: bold; }
svg.chart { width: 100%; height: auto; }
svg.frontier { width: 100%; max-width: 40rem; height: auto; }
figure.deals { break-inside: avoid; }
svg .axis { font-size: 12px; fill: #4a5563; }
.key span { display: inline-block; margin-right: 1rem; }
.why { color: #4a5563; font-size: .92rem; } .met { color: #1d7a3a; font-weight: bold; }
.undone { color: #6b7280; text-decoration: line-through; }
.team { break-inside: avoid; page-break-inside: avoid; }
blockquote { margin: .3rem 0 .6rem 1rem; padding-left: .6rem; border-left: 3px solid #d0d4da;
  white-space: pre-wrap; }
@page { margin: 14mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  .charts { grid-template-columns: 1fr 1fr; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr { break-inside: avoid; page-break-inside: avoid; }
}
"""


def report_html(match: Match, lang: str = "en") -> str:
    """The whole report page; every scenario and player text escaped."""
    scenario, state = match.scenario, match.state
    title, line = narrate.VERDICTS.get(
        state.outcome, ("Not finished", "The crisis is still going on.")
    )
    code = crisis_code(scenario.id, match.seed)
    results = scores(state)
    deals = negotiated(state)  # format 2 scores deals and no multiplier
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Debrief: {e(scenario.title.get(lang))}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>Debrief: {e(scenario.title.get(lang))}</h1>",
        f'<p class="meta">Crisis code <b>{e(code)}</b> · turn {state.turn} of '
        f"{state.last_turn} · Envoy {e(game.__version__)}</p>",
        f'<p class="verdict {e(state.outcome)}">{e(title)}</p><p>{e(line)}</p>',
        "<h2>Scores</h2><table><tr><th>Team</th><th>Envoy</th><th class=num>Agenda</th>"
        "<th class=num>Standing</th>"
        + (
            "<th class=num>Deals</th><th class=num>Outcome</th>"
            if deals
            else "<th class=num>Shared</th><th class=num>Multiplier</th>"
        )
        + "<th class=num>Total</th></tr>",
    ]
    for seat in match.seats:
        s = results[seat.envoy]
        who = match.team(seat.envoy, lang) if seat.is_human else f"AI ({seat.difficulty})"
        out.append(
            f"<tr><td>{e(who)}</td><td>{e(narrate.envoy(scenario, seat.envoy, lang))}</td>"
            f"<td class=num>{s.agenda}</td><td class=num>{s.standing:.1f}</td>"
            + (
                f"<td class=num>{s.deals:+.1f}</td><td class=num>{s.shared:+g}</td>"
                if deals
                else f"<td class=num>{s.shared}</td><td class=num>×{s.multiplier:g}</td>"
            )
            + f"<td class=num><b>{s.total:.1f}</b></td></tr>"
        )
    out.append("</table>")
    labels = [label for label, _ in chart_points(match)]
    out.append(
        '<h2>Tension and trust, turn by turn</h2><p class="key">'
        f'<span style="color:{TENSION_COLOUR}">&#9472;&#9472; tension (solid)</span>'
        f'<span style="color:{TRUST_COLOUR}">- - trust (dashed)</span></p><div class="charts">'
    )
    for name, tension, trust in relation_series(match, lang):
        out.append(
            f'<figure class="relation"><figcaption>{e(name)}</figcaption>'
            f"{svg_chart(name, tension, trust, labels, scenario.conflict_at)}</figure>"
        )
    out.append("</div>" + frontier_section(match, lang) + "<h2>Turning points</h2><ol>")
    for entry in narrate.turning_points(match.ledger):
        out.append(
            f"<li>Turn {entry.turn}: <b>{e(narrate.change(scenario, entry, lang))}</b>"
            f'<div class="why">Why: {e(narrate.why(scenario, entry, lang))}</div></li>'
        )
    out.append("</ol><h2>The teams: agendas, moves and reflections</h2>")
    outcomes = moves_by_envoy(match, lang)
    for seat in match.seats:
        spec = scenario.envoys[scenario.envoy_index(seat.envoy)]
        met = {o.id for o in results[seat.envoy].objectives if o.met}
        team = match.team(seat.envoy, lang) if seat.is_human else f"AI ({seat.difficulty})"
        name = spec.name.get(lang)
        out.append(f'<section class="team"><h3>{e(team)}: {e(name)}</h3><p>Agenda:</p><ul>')
        for objective in spec.agenda:
            mark = '<span class="met">met</span>' if objective.id in met else "missed"
            text = objective.text.get(lang)
            out.append(f"<li>{e(text)} ({objective.points} points): {mark}</li>")
        out.append("</ul><p>Moves:</p><ul>")
        for turn, text in outcomes[seat.envoy] or [(0, "")]:
            out.append(f"<li>Turn {turn}: {e(text)}</li>" if turn else "<li>No moves.</li>")
        out.append("</ul>")
        mine = [r for r in match.reflections if r.envoy == seat.envoy]
        if mine:
            out.append("<p>Reflections:</p>")
            for item in mine:
                undone = " (that turn was undone)" if item.undone else ""
                css = ' class="undone"' if item.undone else ""
                out.append(
                    f"<p{css}>Turn {item.turn}{undone}: <i>{e(item.prompt)}</i></p>"
                    f"<blockquote{css}>{e(item.answer)}</blockquote>"
                )
        out.append("</section>")
    out.append("<h2>The facilitator's actions</h2>")
    if match.facilitator:
        out.append("<table><tr><th>Turn</th><th>What</th><th>Reason</th><th>When (UTC)</th></tr>")
        for note in match.facilitator:
            undone = " (undone later)" if note.undone else ""
            css = ' class="undone"' if note.undone else ""
            out.append(
                f"<tr{css}><td>{note.turn}</td><td>{e(note.text)}{undone}</td>"
                f"<td>{e(note.reason)}</td><td>{e(note.at.replace('T', ' ')[:16])}</td></tr>"
            )
        out.append("</table>")
    else:
        out.append("<p>None: the crisis ran as the scenario wrote it.</p>")
    out.append("<h2>For discussion</h2><ol>")
    for question in scenario.teacher.debrief_questions:
        out.append(f"<li>{e(question.get(lang))}</li>")
    out.append("</ol></body></html>")
    return "\n".join(out)


def folder_name(match: Match, lang: str = "en") -> str:
    """A folder name for a match's pack: its crisis and code, like "border-incident-B7K-…"."""
    title = match.scenario.title.get(lang)
    title = re.sub(r"[^\w-]+", "-", title.lower()).strip("-")[:40] or "crisis"
    return f"{title}-{crisis_code(match.scenario.id, match.seed)}-report"


def write_report(match: Match, folder: pathlib.Path, lang: str = "en") -> list[pathlib.Path]:
    """Write the three files of the debrief pack into ``folder``; returns their paths.

    Raises ``OSError`` if the folder cannot be made or written.
    """
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    contents = {
        "report.html": report_html(match, lang),
        "meters.csv": meters_csv(match, lang),
        "log.json": json.dumps(log_document(match, lang), ensure_ascii=False, indent=1),
    }
    paths = []
    for name in FILES:
        path = folder / name
        write_atomic(path, contents[name].encode("utf-8"))
        paths.append(path)
    return paths
