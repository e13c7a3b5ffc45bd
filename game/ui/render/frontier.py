"""The frontier chart of a format-2 accord: every package as a dot of the first two
signatories' gains over no deal (at the origin), the outer edge ("best possible
deals"), the balanced deal's star, the starting draft's ring and the diamond round
the deal signed.

:func:`frontier_layout` places the plot and every label from the sizes its text is
drawn at; :func:`draw_frontier` draws them. The words come from the caller (phrased
in :mod:`game.session.narrate`), the sizes from ``assets/board.yaml``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import attrs
import pygame

from game.paths import ASSETS
from game.session.frontier import Frontier
from game.tunables import read_tunables
from game.ui.style import Style
from game.ui.text import shorten, wrap

SIZES = read_tunables((ASSETS / "board.yaml").read_text("utf-8"))["frontier"]


@attrs.frozen
class Words:
    title: str
    caption: str  # "" unless the chart leaves a signatory out
    x_axis: str
    y_axis: str
    edge: str
    nash: str
    draft: str
    signed: str  # the deal signed's name, shown once the accord is signed
    origin: str
    outside: str
    sentence: str  # what the balanced deal trades, under the chart
    selected: str  # the selected point's line, or ""


@attrs.frozen
class Label:
    text: str
    surface: pygame.Surface
    rect: pygame.Rect
    kind: str  # title, caption, axis, mark, legend, sentence or selected


@attrs.frozen
class FrontierLayout:
    plot: pygame.Rect
    labels: tuple[Label, ...]
    dots: tuple[tuple[int, int], ...]  # each point's centre, in point order
    origin: tuple[int, int]
    legend: tuple[tuple[str, tuple[int, int]], ...]  # each legend mark's kind and centre


def _bounds(values: Sequence[float]) -> tuple[float, float]:
    low, high = min(0.0, *values), max(0.0, *values)
    room = max(high - low, 1.0) * SIZES["margin"]
    return low - room, high + room


def frontier_layout(
    rect: pygame.Rect, style: Style, frontier: Frontier, words: Words
) -> FrontierLayout:
    px = style.px
    pad, gap = px(12), px(4)
    inner = rect.inflate(-2 * pad, -2 * pad)
    size, title_size = SIZES["label_size"], SIZES["title_size"]
    labels: list[Label] = []

    def place(text: str, text_size: int, colour: str, kind: str, bold: bool = False) -> Label:
        text = shorten(lambda line: style.width(line, text_size, bold), text, inner.width)
        surface = style.text(text, text_size, colour, bold)
        label = Label(text, surface, surface.get_rect(), kind)
        labels.append(label)
        return label

    title = place(words.title, title_size, "text", "title", True)
    title.rect.topleft = inner.topleft
    top = title.rect.bottom + gap
    if words.caption:
        caption = place(words.caption, size, "muted", "caption")
        caption.rect.topleft = (inner.left, top)
        top = caption.rect.bottom + gap
    y_axis = place(words.y_axis, size, "muted", "axis")
    y_axis.rect.topleft = (inner.left, top)
    top = y_axis.rect.bottom + gap

    # from the bottom up: the sentence, the selected package, the legend, the x axis's name
    bottom = inner.bottom
    line_h = style.line_height(size)
    lines = wrap(words.sentence, lambda line: style.width(line, size), inner.width)
    for line in reversed(lines):
        said = place(line, size, "text", "sentence")
        said.rect.bottomleft = (inner.left, bottom)
        bottom = said.rect.top
    bottom -= gap
    selected = place(words.selected, size, "accent", "selected")
    selected.rect.bottomleft = (inner.left, bottom)
    bottom = selected.rect.top - gap
    legend_marks = []
    kinds = (("nash", words.nash), ("draft", words.draft))
    if frontier.signed is not None:
        kinds += (("signed", words.signed),)
    kinds += (("edge", words.edge), ("outside", words.outside))
    row_y = bottom - line_h // 2
    x = inner.left
    rows = 1
    for kind, text in kinds:
        surface = style.text(text, size, "text")
        width = px(28) + surface.get_width() + px(16)
        if x > inner.left and x + width > inner.right:
            rows += 1
            x = inner.left
            row_y -= line_h + gap
        legend_marks.append((kind, (x + px(10), row_y)))
        label = Label(text, surface, surface.get_rect(midleft=(x + px(26), row_y)), "legend")
        labels.append(label)
        x += width
    bottom = row_y - line_h // 2 - gap
    x_axis = place(words.x_axis, size, "muted", "axis")
    x_axis.rect.bottomright = (inner.right, bottom)
    bottom = x_axis.rect.top - gap

    plot = pygame.Rect(inner.left, top, inner.width, max(1, bottom - top))
    xs = _bounds([p.gains[0] for p in frontier.points])
    ys = _bounds([p.gains[1] for p in frontier.points])

    def at(gx: float, gy: float) -> tuple[int, int]:
        return (
            plot.left + round(plot.width * (gx - xs[0]) / (xs[1] - xs[0])),
            plot.bottom - round(plot.height * (gy - ys[0]) / (ys[1] - ys[0])),
        )

    dots = tuple(at(*p.gains[:2]) for p in frontier.points)
    origin = at(0.0, 0.0)

    index = {p.package: i for i, p in enumerate(frontier.points)}
    radius = px(SIZES["star_radius"])
    around = px(SIZES["signed_radius"])
    # the marks themselves, which no name may cover
    marks = ((frontier.nash, radius), (frontier.draft, radius), (frontier.signed, around))
    marked = [
        pygame.Rect(0, 0, 2 * r, 2 * r).move(dots[index[p]][0] - r, dots[index[p]][1] - r)
        for p, r in marks
        if p is not None
    ]

    # the marks' names, each beside its mark where it covers no other name nor mark
    def beside(text: str, centre: tuple[int, int], colour: str) -> None:
        surface = style.text(text, size, colour, True)
        spots = []
        for off in (radius + gap, around + gap, 2 * radius + gap, 4 * radius):
            x, y = centre
            spots += [
                surface.get_rect(midleft=(x + off, y)),
                surface.get_rect(midright=(x - off, y)),
                surface.get_rect(midbottom=(x, y - off)),
                surface.get_rect(midtop=(x, y + off)),
                surface.get_rect(bottomleft=(x + off, y - off)),
                surface.get_rect(topleft=(x + off, y + off)),
                surface.get_rect(bottomright=(x - off, y - off)),
                surface.get_rect(topright=(x - off, y + off)),
            ]
        taken = [label.rect for label in labels if label.kind == "mark"] + marked
        for spot in spots:
            if plot.contains(spot) and spot.collidelist(taken) < 0:
                break
        else:
            spot = spots[0].clamp(plot)
        labels.append(Label(text, surface, spot, "mark"))

    if frontier.signed is not None:
        beside(words.signed, dots[index[frontier.signed]], "signed")
    if frontier.nash is not None:
        beside(words.nash, dots[index[frontier.nash]], "warn")
    if frontier.draft is not None:
        beside(words.draft, dots[index[frontier.draft]], "text")
    beside(words.origin, origin, "muted")
    if frontier.edge:
        # the edge's name by its middle point, away from the balanced deal's star
        middle = frontier.edge[len(frontier.edge) // 2]
        beside(words.edge, dots[index[middle]], "good")
    return FrontierLayout(plot, tuple(labels), dots, origin, tuple(legend_marks))


def star(centre: tuple[int, int], radius: int) -> list[tuple[float, float]]:
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.45
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((centre[0] + r * math.cos(angle), centre[1] + r * math.sin(angle)))
    return points


def diamond(centre: tuple[int, int], radius: int) -> list[tuple[int, int]]:
    x, y = centre
    return [(x, y - radius), (x + radius, y), (x, y + radius), (x - radius, y)]


def hit(layout: FrontierLayout, style: Style, pos: tuple[int, int]) -> int | None:
    """The point under ``pos`` (the nearest within reach), or None."""
    reach = style.px(SIZES["hit_radius"])
    best = None
    for i, (x, y) in enumerate(layout.dots):
        distance = math.hypot(x - pos[0], y - pos[1])
        if distance <= reach and (best is None or distance < best[0]):
            best = (distance, i)
    return None if best is None else best[1]


def draw_frontier(
    surface: pygame.Surface,
    rect: pygame.Rect,
    style: Style,
    frontier: Frontier,
    words: Words,
    selected: int | None = None,
) -> FrontierLayout:
    px = style.px
    layout = frontier_layout(rect, style, frontier, words)
    plot = layout.plot
    pygame.draw.rect(surface, style["panel"], rect, border_radius=px(8))
    pygame.draw.rect(surface, style["panel_border"], rect, 1, border_radius=px(8))
    ox, oy = layout.origin
    pygame.draw.line(surface, style["faint"], (plot.left, oy), (plot.right, oy))
    pygame.draw.line(surface, style["faint"], (ox, plot.top), (ox, plot.bottom))
    index = {p.package: i for i, p in enumerate(frontier.points)}
    edge = [layout.dots[index[p]] for p in frontier.edge]
    width = max(2, px(SIZES["edge_width"]))
    if len(edge) > 1:
        pygame.draw.lines(surface, style["good"], False, edge, width)
    dot = max(2, px(SIZES["dot_radius"]))
    for point, centre in zip(frontier.points, layout.dots, strict=True):
        colour = style["accent"] if point.in_zone else style["faint"]
        pygame.draw.circle(surface, colour, centre, dot)
    if frontier.draft is not None:
        centre = layout.dots[index[frontier.draft]]
        pygame.draw.circle(surface, style["text"], centre, px(SIZES["draft_radius"]), width)
    if frontier.nash is not None:
        centre = layout.dots[index[frontier.nash]]
        pygame.draw.polygon(surface, style["warn"], star(centre, px(SIZES["star_radius"])))
    if frontier.signed is not None:
        # round whatever else marks the package, so a signed balanced deal shows both
        centre = layout.dots[index[frontier.signed]]
        around = diamond(centre, px(SIZES["signed_radius"]))
        pygame.draw.polygon(surface, style["signed"], around, width)
    if selected is not None:
        centre = layout.dots[selected]
        pygame.draw.circle(surface, style["focus"], centre, dot + px(4), max(1, px(2)))
    for kind, centre in layout.legend:
        if kind == "nash":
            pygame.draw.polygon(surface, style["warn"], star(centre, px(SIZES["star_radius"])))
        elif kind == "draft":
            pygame.draw.circle(surface, style["text"], centre, px(SIZES["draft_radius"]), width)
        elif kind == "signed":
            around = diamond(centre, px(SIZES["draft_radius"]))
            pygame.draw.polygon(surface, style["signed"], around, width)
        elif kind == "edge":
            x, y = centre
            pygame.draw.line(surface, style["good"], (x - px(10), y), (x + px(10), y), width)
        else:
            pygame.draw.circle(surface, style["faint"], centre, dot)
    for label in layout.labels:
        surface.blit(label.surface, label.rect)
    return layout
