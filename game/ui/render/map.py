"""The relations map: parties as nodes at their map positions, relations as edges.

Tension shows three ways, so it never depends on colour alone: the edge's
colour, its thickness, and (once it passes the danger line) a dashed
pattern; the number sits on the edge too. Trust is the second number, in
its own colour, and an open hotline is a thin white line beside the edge.
"""

from __future__ import annotations

import functools
import itertools
import math
import weakref
from collections.abc import Sequence
from typing import NamedTuple

import pygame

from game.engine.model import Scenario
from game.paths import ASSETS
from game.tunables import read_tunables
from game.ui.style import Style
from game.ui.text import first_clusters, shorten

DANGER = 0.7  # share of the conflict line where edges turn dashed
MIN_SPREAD = 0.3  # the narrowest spread of map positions that is stretched to fill the panel


Point = tuple[int, int]

MAP = read_tunables((ASSETS / "board.yaml").read_text("utf-8"))["map"]
SLIDES = (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.2, 0.8)  # where along its edge a box may sit


class MapPlaces(NamedTuple):
    """Where everything on the map goes: what drawing, hit tests and the tests ask."""

    nodes: list[Point]  # each party's centre
    edges: list[tuple[Point, Point]]  # each relation's end points
    discs: list[pygame.Rect]  # each party's circle, its focus ring included
    labels: list[tuple[str, pygame.Rect]]  # each party's name as shown, and where
    pills: list[pygame.Rect]  # each relation's box of numbers
    radius: int  # the circles'
    sizes: tuple[int, int, int]  # the type of the names, and of the boxes' two lines


def _overlap(a: pygame.Rect, b: pygame.Rect) -> int:
    clip = a.clip(b)
    return clip.width * clip.height


def _crossings(box: pygame.Rect, edges: Sequence[tuple[Point, Point]]) -> int:
    return sum(bool(box.clipline(a, b)) for a, b in edges)


def _stretch(values: list[float]) -> list[float]:
    low, high = min(values), max(values)
    span = max(high - low, MIN_SPREAD)
    middle = (low + high) / 2
    return [0.5 + (v - middle) / span for v in values]


def _separate(
    centres: list[list[float]], sizes: list[tuple[int, int, int]], bounds: pygame.Rect, gap: int
) -> None:
    """Push apart parties whose circle-and-name footprints overlap, the least distance
    along the axis that frees them, keeping each inside ``bounds``: a crisis whose
    parties sit close on its map keeps its shape but gets room for their names.
    ``sizes`` is each footprint's half width, and its reach above and below the centre."""

    def footprint(i: int) -> pygame.Rect:
        half, up, down = sizes[i]
        x, y = centres[i]
        return pygame.Rect(round(x) - half, round(y) - up, 2 * half + gap, up + down + gap)

    def keep_in(i: int) -> None:
        half, up, down = sizes[i]
        x, y = centres[i]
        low_x, high_x = bounds.left + half, bounds.right - half
        low_y, high_y = bounds.top + up, bounds.bottom - down
        centres[i][0] = min(max(x, low_x), high_x) if low_x <= high_x else bounds.centerx
        centres[i][1] = min(max(y, low_y), high_y) if low_y <= high_y else bounds.centery

    for i in range(len(centres)):
        keep_in(i)
    for _ in range(60):
        moved = False
        for i, j in itertools.combinations(range(len(centres)), 2):
            a, b = footprint(i), footprint(j)
            if not a.colliderect(b):
                continue
            moved = True
            dx = min(a.right, b.right) - max(a.left, b.left)
            dy = min(a.bottom, b.bottom) - max(a.top, b.top)
            # Along the freer axis; the sign keeps their order on the map.
            if dx * bounds.height <= dy * bounds.width:
                sign = 1 if centres[j][0] >= centres[i][0] else -1
                centres[i][0] -= sign * dx / 2
                centres[j][0] += sign * dx / 2
            else:
                sign = 1 if centres[j][1] >= centres[i][1] else -1
                centres[i][1] -= sign * dy / 2
                centres[j][1] += sign * dy / 2
            keep_in(i)
            keep_in(j)
        if not moved:
            return


def _place_label(
    centre: Point,
    radius: int,
    size: tuple[int, int],
    rect: pygame.Rect,
    taken: list[pygame.Rect],
    wanted: list[pygame.Rect],
    edges: Sequence[tuple[Point, Point]],
    gap: int,
) -> pygame.Rect:
    """A party's name below, above, right or left of its circle: the first side that
    covers nothing already placed, then the least of the middles of the edges (where
    their boxes would sit), then with the fewest edges through it (a party's edges
    leave on one side, so its name goes to another)."""
    (x, y), (w, h) = centre, size
    sides = [
        pygame.Rect(x - w // 2, y + radius + gap, w, h),
        pygame.Rect(x - w // 2, y - radius - gap - h, w, h),
        pygame.Rect(x + radius + gap, y - h // 2, w, h),
        pygame.Rect(x - radius - gap - w, y - h // 2, w, h),
    ]
    for side in sides:
        side.clamp_ip(rect)

    def cost(item: tuple[int, pygame.Rect]) -> tuple[int, int, int, int]:
        order, box = item
        covered = sum(_overlap(box, other) for other in taken)
        return covered, sum(_overlap(box, other) for other in wanted), _crossings(box, edges), order

    return min(enumerate(sides), key=cost)[1]


def _place_pill(
    start: Point, end: Point, size: tuple[int, int], rect: pygame.Rect, taken: list[pygame.Rect]
) -> pygame.Rect:
    """A relation's box on its edge: at the middle, else slid along the edge to the
    nearest place that covers no party, name or other box, else beside the edge,
    touching it (else where it covers the least)."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy) or 1
    # Half the box across the edge's normal: beside the edge, still on it.
    side = (abs(dy) * size[0] + abs(dx) * size[1]) / (2 * length)
    nx, ny = -dy / length * side, dx / length * side
    spots = [(t, 0) for t in SLIDES] + [(t, s) for s in (1, -1) for t in SLIDES]
    best, best_cost = None, None
    for order, (t, across) in enumerate(spots):
        box = pygame.Rect((0, 0), size)
        box.center = (
            round(start[0] + dx * t + nx * across),
            round(start[1] + dy * t + ny * across),
        )
        box.clamp_ip(rect)
        cost = (sum(_overlap(box, other) for other in taken), order)
        if best_cost is None or cost < best_cost:
            best, best_cost = box, cost
        if cost[0] == 0:
            break
    return best


def map_places(scenario: Scenario, rect: pygame.Rect, style: Style) -> MapPlaces:
    """Lay the map out in ``rect``: the parties' map positions stretched over the panel
    (a spread under ``MIN_SPREAD`` stays that narrow and keeps its shape), pushed
    apart where a circle and its name would cover another's, each name on a free side
    of its circle, and each relation's box slid along its edge clear of them all.
    Worked out once for a crisis, a size and a style."""
    places = _PLACES.setdefault(style, {})
    key = (id(scenario), tuple(rect))
    found = places.get(key)
    if found is not None and found[0] is scenario:
        return found[1]
    if len(places) > 32:
        places.clear()  # windows resized many times: the old sizes will not come back
    laid = None
    for shrink in MAP["shrink"]:
        tried = _lay_out(scenario, rect, style, shrink)
        crowded = _crowding(tried, rect)
        if laid is None or crowded < laid[0]:
            laid = (crowded, tried)
        if not crowded:
            break
    places[key] = (scenario, laid[1])
    return laid[1]


def _crowding(laid: MapPlaces, rect: pygame.Rect) -> int:
    """How much of the map's circles, names and boxes cover each other (0: none)."""
    things = [*laid.discs, *(box for _, box in laid.labels), *laid.pills]
    return sum(_overlap(a, b) for a, b in itertools.combinations(things, 2))


def _lay_out(scenario: Scenario, rect: pygame.Rect, style: Style, shrink: float) -> MapPlaces:
    px = style.px
    radius, ring, gap = px(MAP["radius"] * shrink), px(5), px(4)
    label_size, tension_size, trust_size = (
        round(MAP[name] * shrink) for name in ("label_size", "tension_size", "trust_size")
    )
    label_h = style.line_height(label_size, True)
    names = [_label(style, str(p.name), rect.width // 3, label_size) for p in scenario.parties]
    widths = [style.width(name, label_size, True) for name in names]
    reach = radius + ring  # the circle with its focus ring
    sizes = [(max(w // 2, reach), reach, reach + gap + label_h) for w in widths]
    bounds = rect.inflate(-2 * gap, -2 * gap)
    inner = pygame.Rect(bounds)
    inner.width -= 2 * max(half for half, _, _ in sizes)
    inner.height -= 2 * reach + gap + label_h
    inner.left = bounds.left + max(half for half, _, _ in sizes)
    inner.top = bounds.top + reach
    xs = _stretch([p.map[0] for p in scenario.parties])
    ys = _stretch([p.map[1] for p in scenario.parties])
    centres = [
        [inner.left + x * max(0, inner.width), inner.top + y * max(0, inner.height)]
        for x, y in zip(xs, ys, strict=True)
    ]
    _separate(centres, sizes, bounds, px(10))
    nodes = [(round(x), round(y)) for x, y in centres]
    edges = [(nodes[r.a], nodes[r.b]) for r in scenario.relations]
    discs = [
        pygame.Rect(x - radius - ring, y - radius - ring, 2 * (radius + ring), 2 * (radius + ring))
        for x, y in nodes
    ]
    pill_w = max(style.width("100", tension_size, True), style.width("trust 100", trust_size))
    pill_w += px(14)
    pill_h = style.line_height(tension_size, True) + style.line_height(trust_size) + px(4)
    middles = []
    for (x1, y1), (x2, y2) in edges:
        middle = pygame.Rect(0, 0, pill_w, pill_h)
        middle.center = ((x1 + x2) // 2, (y1 + y2) // 2)
        middles.append(middle)
    taken = list(discs)
    labels = []
    for index, name in enumerate(names):
        size = (widths[index], label_h)
        box = _place_label(nodes[index], reach, size, rect, taken, middles, edges, gap)
        taken.append(box)
        labels.append((name, box))
    pills = []
    for start, end in edges:
        box = _place_pill(start, end, (pill_w, pill_h), rect, taken)
        taken.append(box)
        pills.append(box)
    return MapPlaces(
        nodes, edges, discs, labels, pills, radius, (label_size, tension_size, trust_size)
    )


def map_layout(
    scenario: Scenario, rect: pygame.Rect, style: Style
) -> tuple[list[Point], list[tuple[Point, Point]]]:
    """Node centres, and each relation's end points, as :func:`draw_map` draws them
    into ``rect``: what hit tests ask, so they never use the map of an earlier size."""
    laid = map_places(scenario, rect, style)
    return laid.nodes, laid.edges


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
    laid = map_places(scenario, rect, style)
    nodes, edges, radius = laid.nodes, laid.edges, laid.radius
    label_size, tension_size, trust_size = laid.sizes
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
    for index, pill in enumerate(laid.pills):
        top = style.text(
            f"{round(tension[index])}",
            tension_size,
            style.tension_colour(tension[index], conflict),
            True,
        )
        bottom = style.text(f"trust {round(trust[index])}", trust_size, "trust")
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
        initials = style.text(_initials(str(party.name)), label_size, "background", True)
        surface.blit(initials, initials.get_rect(center=centre))
        shown, spot = laid.labels[index]
        # On the panel's own colour: an edge passing under a name never strikes it through.
        pygame.draw.rect(surface, style["panel"], spot, border_radius=px(4))
        surface.blit(style.text(shown, label_size, "text", True), spot)


@functools.lru_cache(maxsize=256)
def _initials(name: str) -> str:
    return first_clusters(name, 2).upper()


# Per style, and let go with it: a restyle must not keep the old fonts alive.
_LABELS: weakref.WeakKeyDictionary[Style, dict[tuple[str, int, int], str]] = (
    weakref.WeakKeyDictionary()
)
_PLACES: weakref.WeakKeyDictionary[Style, dict[tuple, tuple[Scenario, MapPlaces]]] = (
    weakref.WeakKeyDictionary()
)


def _label(style: Style, name: str, width: int, size: int) -> str:
    """A party's name as it fits under its node (finding the breaks is the slow part)."""
    labels = _LABELS.setdefault(style, {})
    key = (name, width, size)
    if key not in labels:
        labels[key] = shorten(lambda line: style.width(line, size, True), name, width)
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
