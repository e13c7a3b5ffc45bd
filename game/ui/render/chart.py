"""The debrief chart: tension and trust of every relation, turn by turn.

:func:`chart_layout` places every label from the sizes its text is drawn at, so
none overlaps another at any scale or window; :func:`draw_chart` draws the lines
and that layout.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import pygame

from game.engine.meters import SCALE
from game.ui.style import Style
from game.ui.text import shorten

TITLE = "Tension (solid) and trust (dotted) per relation, turn by turn"
SHORT_TITLE = "Tension (solid) and trust (dotted)"
#: The values written up the side, where there is room: the scale in quarters.
TICKS = tuple(SCALE[0] + (SCALE[1] - SCALE[0]) * n // 4 for n in range(5))


@attrs.frozen
class Label:
    text: str
    surface: pygame.Surface
    rect: pygame.Rect
    kind: str  # title, value, conflict, turn, axis or legend


@attrs.frozen
class ChartLayout:
    plot: pygame.Rect
    labels: tuple[Label, ...]
    ticks: tuple[int, ...]  # the values whose grid lines are drawn
    conflict_y: int
    legend_lines: tuple[tuple[tuple[int, int], tuple[int, int]], ...]  # one per relation


def _y(plot: pygame.Rect, value: int) -> int:
    """Where a meter's value is, up the plot."""
    return plot.bottom - plot.height * (value - SCALE[0]) // (SCALE[1] - SCALE[0])


def chart_layout(
    rect: pygame.Rect,
    style: Style,
    names: Sequence[str],
    turns: Sequence[int],
    conflict_at: int,
) -> ChartLayout:
    """Where the plot and each label go inside ``rect``: the title, then room for the
    conflict label above its line, the plot, the turns under it, the axis name under
    them, and the legend at the bottom."""
    px = style.px
    pad, gap = px(12), px(4)
    inner = rect.inflate(-2 * pad, -2 * pad)
    labels: list[Label] = []

    def place(text: str, size: int, colour: str, kind: str, bold: bool = False) -> Label:
        surface = style.text(text, size, colour, bold)
        label = Label(text, surface, surface.get_rect(), kind)
        labels.append(label)
        return label

    # the title, shortened where even the short one is too wide (a projector's scale)
    wide = style.width(TITLE, 15, True) <= inner.width
    text = TITLE if wide else SHORT_TITLE
    text = shorten(lambda line: style.width(line, 15, True), text, inner.width)
    title = place(text, 15, "text", "title", True)
    title.rect.topleft = inner.topleft

    # the legend, two relations to a row, from the bottom up
    column_w = inner.width // 2
    room = column_w - px(32) - gap
    legend = [
        place(shorten(lambda line: style.width(line, 14), name, room), 14, "text", "legend")
        for name in names
    ]
    row_h = max([px(22), *(label.rect.height for label in legend)])
    legend_top = inner.bottom - row_h * ((len(names) + 1) // 2)
    legend_lines = []
    for index, label in enumerate(legend):
        x = inner.left + (index % 2) * column_w
        y = legend_top + (index // 2) * row_h + row_h // 2
        legend_lines.append(((x, y), (x + px(24), y)))
        label.rect.midleft = (x + px(32), y)

    # the plot: the values on its left, the conflict label's height above it, the
    # turns and the axis name below it
    conflict = place("conflict", 12, "bad", "conflict")
    axis = place("turn", 12, "faint", "axis")
    small_h = conflict.rect.height
    value_w = max(style.width(str(value), 12) for value in TICKS)
    top = title.rect.bottom + gap + small_h
    bottom = legend_top - gap - small_h - gap - small_h
    left = inner.left + value_w + px(6)
    plot = pygame.Rect(left, top, max(1, inner.right - left), max(1, bottom - top))
    axis.rect.topright = (plot.right, plot.bottom + gap + small_h)

    # as many values up the side as have room; always 0 and 100
    ticks = TICKS
    while len(ticks) > 2 and plot.height // (len(ticks) - 1) < small_h + gap:
        ticks = ticks[::2] if len(ticks) % 2 else (ticks[0], ticks[-1])
    for value in ticks:
        label = place(str(value), 12, "faint", "value")
        label.rect.midright = (plot.left - px(6), _y(plot, value))

    conflict_y = _y(plot, min(SCALE[1], conflict_at))
    conflict.rect.bottomright = (plot.right, conflict_y - max(1, px(2)))

    # the turns under the plot: the first and the last (the end) always, and between
    # them each one that leaves room after the one before it and before the end
    count = max(1, len(turns) - 1)
    spots = []
    for i, turn in enumerate(turns):
        # the final point repeats the last turn's number: it is the end of that turn
        text = "end" if i and turn == turns[i - 1] else str(turn)
        surface = style.text(text, 12, "faint")
        spot = surface.get_rect(midtop=(plot.left + plot.width * i // count, plot.bottom + gap))
        spot.right = min(spot.right, inner.right)
        spot.left = max(spot.left, plot.left - px(6) + gap)  # clear of the values' column
        spots.append(Label(text, surface, spot, "turn"))
    if spots:
        last = spots[-1]
        kept = [spots[0]] if len(spots) > 1 else []
        for label in spots[1:-1]:
            if kept[-1].rect.right + gap <= label.rect.left and (
                label.rect.right + gap <= last.rect.left
            ):
                kept.append(label)
        labels.extend([*kept, last])
    return ChartLayout(plot, tuple(labels), ticks, conflict_y, tuple(legend_lines))


def draw_chart(
    surface: pygame.Surface,
    rect: pygame.Rect,
    style: Style,
    series: Sequence[tuple[str, Sequence[int], Sequence[int]]],
    turns: Sequence[int],
    conflict_at: int,
) -> None:
    """Lines per relation: solid for tension, dashed (dots) for trust, 0..100 up the side."""
    px = style.px
    layout = chart_layout(rect, style, [name for name, _, _ in series], turns, conflict_at)
    plot = layout.plot
    pygame.draw.rect(surface, style["panel"], rect, border_radius=px(8))
    pygame.draw.rect(surface, style["panel_border"], rect, 1, border_radius=px(8))
    for value in layout.ticks:
        y = _y(plot, value)
        pygame.draw.line(surface, style["card"], (plot.left, y), (plot.right, y))
    y = layout.conflict_y
    pygame.draw.line(surface, style["bad"], (plot.left, y), (plot.right, y), max(1, px(2)))
    count = max(1, len(turns) - 1)

    def point(i: int, value: int) -> tuple[int, int]:
        return (plot.left + plot.width * i // count, _y(plot, value))

    for index, (_, tension, trust) in enumerate(series):
        colour = style.lines[index % len(style.lines)]
        points = [point(i, v) for i, v in enumerate(tension)]
        if len(points) > 1:
            pygame.draw.lines(surface, colour, False, points, max(2, px(3)))
        for i, value in enumerate(trust):
            pygame.draw.circle(surface, colour, point(i, value), max(2, px(3)))
        for i in range(len(trust) - 1):
            a, b = point(i, trust[i]), point(i + 1, trust[i + 1])
            for step in range(0, 10, 2):
                t0, t1 = step / 10, (step + 1) / 10
                pygame.draw.line(
                    surface,
                    colour,
                    (a[0] + (b[0] - a[0]) * t0, a[1] + (b[1] - a[1]) * t0),
                    (a[0] + (b[0] - a[0]) * t1, a[1] + (b[1] - a[1]) * t1),
                    max(1, px(2)),
                )
        start, end = layout.legend_lines[index]
        pygame.draw.line(surface, colour, start, end, max(2, px(3)))
    for label in layout.labels:
        surface.blit(label.surface, label.rect)
