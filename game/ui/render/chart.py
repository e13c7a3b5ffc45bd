"""The debrief chart: tension and trust of every relation, turn by turn."""

from __future__ import annotations

from collections.abc import Sequence

import pygame

from game.ui.style import Style
from game.ui.text import shorten


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
    pygame.draw.rect(surface, style["panel"], rect, border_radius=px(8))
    pygame.draw.rect(surface, style["panel_border"], rect, 1, border_radius=px(8))
    title = style.text(
        "Tension (solid) and trust (dotted) per relation, turn by turn", 15, "text", True
    )
    if title.get_width() > rect.width - px(24):  # a narrow panel or a projector's scale
        title = style.text("Tension (solid) and trust (dotted)", 15, "text", True)
    surface.blit(title, (rect.left + px(12), rect.top + px(8)))
    legend_h = px(22) * ((len(series) + 1) // 2)
    plot = pygame.Rect(
        rect.left + px(44), rect.top + px(38), rect.width - px(60), rect.height - px(80) - legend_h
    )
    for value in (0, 25, 50, 75, 100):
        y = plot.bottom - plot.height * value // 100
        pygame.draw.line(surface, style["card"], (plot.left, y), (plot.right, y))
        label = style.text(str(value), 12, "faint")
        surface.blit(label, (plot.left - label.get_width() - px(6), y - label.get_height() // 2))
    y = plot.bottom - plot.height * min(100, conflict_at) // 100
    pygame.draw.line(surface, style["bad"], (plot.left, y), (plot.right, y), max(1, px(2)))
    surface.blit(style.text("conflict", 12, "bad"), (plot.right - px(50), y - px(16)))
    count = max(1, len(turns) - 1)

    def point(i: int, value: int) -> tuple[int, int]:
        return (plot.left + plot.width * i // count, plot.bottom - plot.height * value // 100)

    for i, turn in enumerate(turns):
        x = point(i, 0)[0]
        # the final point repeats the last turn's number: it is the end of that turn
        label = style.text("end" if i and turn == turns[i - 1] else str(turn), 12, "faint")
        surface.blit(label, (x - label.get_width() // 2, plot.bottom + px(4)))
    for index, (name, tension, trust) in enumerate(series):
        colour = style.lines[index % len(style.lines)]
        points = [point(i, v) for i, v in enumerate(tension)]
        if len(points) > 1:
            pygame.draw.lines(surface, colour, False, points, max(2, px(3)))
        for i, value in enumerate(trust):
            pygame.draw.circle(surface, colour, point(i, value), max(2, px(3)))
        if len(trust) > 1:
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
        column, row = index % 2, index // 2
        lx = rect.left + px(16) + column * (rect.width // 2)
        ly = rect.bottom - legend_h - px(8) + row * px(22)
        pygame.draw.line(
            surface, colour, (lx, ly + px(9)), (lx + px(24), ly + px(9)), max(2, px(3))
        )
        shown = shorten(lambda line: style.width(line, 14), name, rect.width // 2 - px(48))
        surface.blit(style.text(shown, 14, "text"), (lx + px(32), ly))
    surface.blit(style.text("turn", 12, "faint"), (plot.right - px(24), plot.bottom + px(18)))
