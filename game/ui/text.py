"""Where a line of text may break, and lines cut to fit a width.

Khmer, Thai, Lao and Burmese write words without spaces between them, and Chinese
and Japanese break between most characters; a long link or a made-up word has no
break at all. Splitting at spaces alone leaves runs wider than any box, and cutting
them at a code point splits a letter from its subscript or vowel sign. So breaks
come from ICU (through icu4py): its line breaker is Unicode's line-breaking
algorithm (UAX #14) with dictionaries for the scripts without spaces, and where no
break leaves a line narrow enough, the line is cut between grapheme clusters
(UAX #29), which keeps every consonant with its coeng, vowel signs and marks, and
every emoji sequence, whole.

Every text path uses :func:`fit`: the game's own wrapped lines (:func:`wrap`), its
ellipses (:func:`shorten`), and pygame_gui's text boxes and tooltips, whose layout
is taught to break the same way by :func:`teach_pygame_gui`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

Measure = Callable[[str], int]

# ICU takes UTF-8, which has no lone surrogates; a replacement character stands in for
# each, so the positions found still index the original text.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _starts(pieces) -> tuple[int, ...]:
    """The positions, after 0 and before the end, where each piece after the first begins."""
    positions, at = [], 0
    for piece in pieces:
        at += len(piece)
        positions.append(at)
    return tuple(positions[:-1])


@functools.cache
def _icu():
    """ICU's breakers, loaded the first time text needs breaking, not at start-up."""
    from icu4py import breakers

    return breakers


def grapheme_breaks(text: str) -> tuple[int, ...]:
    """Where a grapheme cluster begins, after the first: the places text may be cut."""
    # icu4py's segments() counts UTF-16 units; the pieces it yields index the text right.
    return _starts(_icu().CharacterBreaker(_SURROGATE.sub("\ufffd", text), "und"))


def first_clusters(text: str, count: int) -> str:
    """The first ``count`` grapheme clusters of ``text``: initials that keep their marks."""
    clusters = grapheme_breaks(text)
    return text[: clusters[count - 1]] if len(clusters) >= count else text


def line_breaks(text: str) -> tuple[int, ...]:
    """Where a new line may begin (UAX #14 with ICU's word dictionaries), after 0.

    Only grapheme boundaries: on malformed text (a coeng before a vowel sign) ICU's
    line breaker can offer a break inside what its cluster rules keep together.
    """
    clusters = set(grapheme_breaks(text))
    found = _starts(_icu().LineBreaker(_SURROGATE.sub("\ufffd", text), "und"))
    return tuple(at for at in found if at in clusters)


def _longest(text: str, points: Sequence[int], measure: Measure, width: int) -> int:
    """The last of ``points`` (ascending) whose line ``text[:point]`` fits, or 0.

    A longer prefix is (nearly always) wider, so the search gallops from the start and
    then bisects: a handful of measurements, none much longer than the line itself,
    however long the text. The answer is measured, so it always fits.
    """
    fits = lambda index: measure(text[: points[index]]) <= width  # noqa: E731
    low, step = -1, 1  # points[: low + 1] fit
    while low + step < len(points) and fits(low + step):
        low += step
        step *= 2
    high = min(low + step, len(points))  # points[high:] do not fit
    while high - low > 1:
        middle = (low + high) // 2
        if fits(middle):
            low = middle
        else:
            high = middle
    return points[low] if low >= 0 else 0


def _points(text: str, breaks, measure: Measure, width: int) -> Sequence[int]:
    """The break points ``breaks`` finds in ``text``, then its end: from a prefix just long
    enough to hold one that does not fit, so a line of a long text costs a line's work."""
    window = 256
    while window < len(text):
        # a break near the window's end may depend on what follows it, so it waits
        points = [at for at in breaks(text[:window]) if at <= window - 32]
        if points and measure(text[: points[-1]]) > width:
            return points
        window *= 4
    return (*breaks(text), len(text))


def fit(text: str, measure: Measure, width: int, anywhere: bool = True) -> int:
    """Where to end a line of ``text`` at most ``width`` wide: the last line break that
    fits, else (if ``anywhere``) the last grapheme boundary that does, else the first
    boundary, so a line always takes something. 0 if the line must stay empty (or
    ``anywhere`` is False and no break fits); ``len(text)`` if it all fits.

    ``measure`` gives a piece's width in pixels, as it is drawn.
    """
    at = _longest(text, _points(text, line_breaks, measure, width), measure, width)
    if at or not anywhere:
        return at
    clusters = _points(text, grapheme_breaks, measure, width)
    return _longest(text, clusters, measure, width) or (clusters[0] if clusters else 0)


def wrap(text: str, measure: Measure, width: int) -> list[str]:
    """``text`` in lines at most ``width`` wide, broken where :func:`fit` says.

    Each newline starts a line; the spaces a line ends with are left out of it. A
    line is wider only where a single grapheme cluster is.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        rest = paragraph
        while True:
            at = fit(rest, lambda piece: measure(piece.rstrip(" ")), width)
            if at >= len(rest) or at == 0:
                lines.append(rest.rstrip(" "))
                break
            lines.append(rest[:at].rstrip(" "))
            rest = rest[at:]
    return lines


def shorten(measure: Measure, text: str, width: int, mark: str = "…") -> str:
    """``text``, cut at its end with an ellipsis so ``measure`` of it is at most ``width``.

    It is cut between grapheme clusters, never inside one, and only the ellipsis is
    left where not even one cluster fits beside it.
    """
    if measure(text) <= width:
        return text
    at = _longest(text, grapheme_breaks(text), lambda piece: measure(piece.rstrip() + mark), width)
    return text[:at].rstrip() + mark


def teach_pygame_gui() -> None:
    """Make pygame_gui's text layout break lines where :func:`fit` does.

    pygame_gui 0.6 splits a text chunk only after a space; a run with none that is
    wider than its box is cut at a code point guessed from the width, with a dash
    added, and the piece is never checked against the box. So Khmer is cut inside a
    cluster (which then draws a dotted circle), and the row can end up wider than the
    box: ``RuntimeError: Row longer than layout``. Its layout asks a chunk to split
    through this one method, so that is the one replaced; the chunk's own
    ``_perform_normal_split`` does the splitting (pyproject pins pygame_gui 0.6).
    """
    from pygame_gui.core.text.text_line_chunk import TextLineChunkFTFont

    if getattr(TextLineChunkFTFont.split, "breaks_like_envoy", False):
        return

    def split(self, requested_x, line_width, row_start_x, allow_split_dashes=True):
        # Only a chunk that starts its row may be cut between clusters: one further
        # along moves to the next row whole when no line break fits (pygame_gui's rule).
        anywhere = self.x == row_start_x and self.right > line_width
        width = self._text_render_width
        at = fit(self.text, lambda piece: width(piece, self.font), requested_x, anywhere)
        if at == 0 or at >= len(self.text):
            if anywhere:  # a lone cluster wider than the box: pygame_gui places it whole
                raise ValueError("Line width is too narrow")
            return None
        return self._perform_normal_split(at)

    split.breaks_like_envoy = True
    TextLineChunkFTFont.split = split
