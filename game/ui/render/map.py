"""The relations map: parties as nodes at their map positions, relations as edges.

Tension shows three ways, so it never depends on colour alone: the edge's
colour, its thickness, and (once it passes the danger line) a dashed
pattern; the number sits on the edge too. Trust is the second number, in
its own colour, and an open hotline is a thin white line beside the edge.
"""

from __future__ import annotations

import functools
import math
import weakref
from collections.abc import Sequence

import pygame

from game.engine.model import Scenario
from game.ui.style import Style
from game.ui.text import first_clusters, shorten

DANGER = 0.7  # share of the conflict line where edges turn dashed
MIN_SPREAD = 0.3  # the narrowest spread of map positions that is stretched to fill the panel


def node_positions(scenario: Scenario, rect: pygame.Rect, pad: int) -> list[tuple[int, int]]:
    """Node centres: the parties' map positions stretched to use the whole panel.

    A crisis drawn in one corner of its 0..1 map would crowd its labels together,
    above all at a projector's large scale, so each axis is spread over the panel
    (a spread under ``MIN_SPREAD`` stays that narrow, centred, and keeps its shape).
    """
    inner = rect.inflate(-2 * pad, -2 * pad)

    def spread(values: list[float]) -> list[float]:
        low, high = min(values), max(values)
        span = max(high - low, MIN_SPREAD)
        middle = (low + high) / 2
        return [0.5 + (v - middle) / span for v in values]

    xs = spread([p.map[0] for p in scenario.parties])
    ys = spread([p.map[1] for p in scenario.parties])
    return [
        (inner.left + round(x * inner.width), inner.top + round(y * inner.height))
        for x, y in zip(xs, ys, strict=True)
    ]


Point = tuple[int, int]


def map_layout(
    scenario: Scenario, rect: pygame.Rect, style: Style
) -> tuple[list[Point], list[tuple[Point, Point]]]:
    """Node centres, and each relation's end points, as :func:`draw_map` draws them
    into ``rect``: what hit tests ask, so they never use the map of an earlier size."""
    nodes = node_positions(scenario, rect, style.px(70))
    return nodes, [(nodes[r.a], nodes[r.b]) for r in scenario.relations]


def _dashed(surface, colour, start, end, width, dash):
    (x1, y1), (x2, y2) = start, end
    length = math.hypot(x2 - x1, y2 - y1)
    if length < 1:
        return
    steps = max(1, int(length // dash))
    for index in range(0, steps, 2):
        a = index / steps
        b = min(1.0, (index + 1) / steps)
        pygame.draw.line(
            surface,
            colour,
            (x1 + (x2 - x1) * a, y1 + (y2 - y1) * a),
            (x1 + (x2 - x1) * b, y1 + (y2 - y1) * b),
            width,
        )


def draw_map(
    surface: pygame.Surface,
    rect: pygame.Rect,
    style: Style,
    scenario: Scenario,
    tension: Sequence[float],
    trust: Sequence[float],
    hotline: Sequence[int],
    focus: tuple[str, int] | None,
) -> None:
    """Draw the map into ``rect`` (laid out by :func:`map_layout`)."""
    px = style.px
    radius = px(26)
    nodes, edges = map_layout(scenario, rect, style)
    conflict = scenario.conflict_at
    for index, (start, end) in enumerate(edges):
        value = tension[index]
        colour = style.tension_colour(value, conflict)
        width = max(2, px(2 + 10 * min(1.0, value / conflict)))
        focused = focus == ("relation", index)
        if focused:
            pygame.draw.line(surface, style["focus"], start, end, width + px(6))
        if value >= DANGER * conflict:
            _dashed(surface, colour, start, end, width, px(14))
        else:
            pygame.draw.line(surface, colour, start, end, width)
        if hotline[index]:
            dx, dy = end[0] - start[0], end[1] - start[1]
            length = math.hypot(dx, dy) or 1
            ox, oy = -dy / length * (width / 2 + px(5)), dx / length * (width / 2 + px(5))
            pygame.draw.line(
                surface,
                style["text"],
                (start[0] + ox, start[1] + oy),
                (end[0] + ox, end[1] + oy),
                1,
            )
    for index, (start, end) in enumerate(edges):
        mid = ((start[0] + end[0]) // 2, (start[1] + end[1]) // 2)
        top = style.text(
            f"{round(tension[index])}", 17, style.tension_colour(tension[index], conflict), True
        )
        bottom = style.text(f"trust {round(trust[index])}", 13, "trust")
        w = max(top.get_width(), bottom.get_width()) + px(14)
        h = top.get_height() + bottom.get_height() + px(4)
        pill = pygame.Rect(0, 0, w, h)
        pill.center = mid
        pygame.draw.rect(surface, style["panel"], pill, border_radius=px(8))
        border = style["focus"] if focus == ("relation", index) else style["panel_border"]
        pygame.draw.rect(surface, border, pill, 1, border_radius=px(8))
        surface.blit(top, (pill.centerx - top.get_width() // 2, pill.top + px(2)))
        surface.blit(
            bottom, (pill.centerx - bottom.get_width() // 2, pill.top + px(2) + top.get_height())
        )
    for index, party in enumerate(scenario.parties):
        centre = nodes[index]
        if focus == ("party", index):
            pygame.draw.circle(surface, style["focus"], centre, radius + px(5))
        pygame.draw.circle(surface, style["background"], centre, radius + px(2))
        pygame.draw.circle(surface, pygame.Color(party.color), centre, radius)
        initials = style.text(_initials(str(party.name)), 16, "background", True)
        surface.blit(initials, initials.get_rect(center=centre))
        shown = _label(style, str(party.name), rect.width // 3)
        name = style.text(shown, 16, "text", True)
        spot = name.get_rect(midtop=(centre[0], centre[1] + radius + px(4)))
        spot.clamp_ip(rect)
        surface.blit(name, spot)


@functools.lru_cache(maxsize=256)
def _initials(name: str) -> str:
    return first_clusters(name, 2).upper()


# Per style, and let go with it: a restyle must not keep the old fonts alive.
_LABELS: weakref.WeakKeyDictionary[Style, dict[tuple[str, int], str]] = weakref.WeakKeyDictionary()


def _label(style: Style, name: str, width: int) -> str:
    """A party's name as it fits under its node (finding the breaks is the slow part)."""
    labels = _LABELS.setdefault(style, {})
    key = (name, width)
    if key not in labels:
        labels[key] = shorten(lambda line: style.width(line, 16, True), name, width)
    return labels[key]


def hit(
    point: Point,
    nodes: Sequence[Point],
    edges: Sequence[tuple[Point, Point]],
    radius: int,
) -> tuple[str, int] | None:
    """What is under the pointer: ("party", i), ("relation", i) or None."""
    x, y = point
    for index, (nx, ny) in enumerate(nodes):
        if math.hypot(x - nx, y - ny) <= radius:
            return ("party", index)
    best, best_distance = None, radius * 0.8
    for index, ((x1, y1), (x2, y2)) in enumerate(edges):
        dx, dy = x2 - x1, y2 - y1
        length2 = dx * dx + dy * dy or 1
        t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / length2))
        distance = math.hypot(x - (x1 + t * dx), y - (y1 + t * dy))
        if distance < best_distance:
            best, best_distance = ("relation", index), distance
    return best
