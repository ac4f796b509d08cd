"""Drawing one chart: its layout from font metrics, as a matplotlib figure.

Owns the look of a chart (its settings and colours are `chartstyle`'s; `svgout` writes
the figure). Laid out by hand from the font's metrics (no `Axes`, no `tight_layout`):
about 10 ms a chart instead of 60. Contributed titles are drawn as text, never mathtext.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable

import matplotlib
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import FT2Font, LoadFlags
from matplotlib.lines import Line2D
from matplotlib.transforms import Affine2D, Bbox, BboxTransform, Transform

from .chartstyle import BAR, CITED_BAR, STYLE, TEXT
from .frequency import Frequency

# Layout, in points (1/72 inch). Text sizes match `font.size` and matplotlib's "large" titles.
_FONT = 10
_TITLE_FONT = 12
_LINE = 1.2  # height of a line of text, in ems
_EDGE = 6  # blank border inside the figure
_GAP = 4  # between a label and the bar or line it belongs to
_WIDTH = 504  # 7 inches; pages scale charts to their width, so all charts share one
_ROW = 25.2  # height of a category's row
_YEARS_HEIGHT = 130  # height of the bars' area in a years chart
_MIN_SLOTS = 6  # fewer years would make bars as wide as a hand: centre them among empty slots


def chart_figure(freq: Frequency, title: str) -> Figure:
    """The chart as a figure: title at top left, then the bars, each labeled with its value.

    Why no `Axes`: with the value printed at each bar a value axis is redundant, and an
    Axes, even without ticks, made each chart half again as slow to draw (its ticks and
    `tight_layout` had made it six times as slow). Without it, the plot is a box in the
    figure and a data-to-points transform; every margin is computed from the widths of
    the texts around it (`_text_width`), so nothing is clipped however long the labels
    or large the values.
    """
    lines = _wrap(_shorten(title, 70), _WIDTH - 2 * _EDGE, _TITLE_FONT)
    top = _EDGE + len(lines) * _LINE * _TITLE_FONT + _GAP
    draw_bars = _children if freq.kind == "children" else _years
    fig, to_figure = draw_bars(freq, top)
    # Added last but drawn first (lower zorder), so the title leads the SVG's text.
    fig.text(
        _EDGE,
        fig.get_figheight() * 72 - _EDGE,
        "\n".join(lines),
        transform=to_figure,
        fontsize=_TITLE_FONT,
        ha="left",
        va="top",
        color=TEXT,
        zorder=0,
    )
    return fig


def _children(freq: Frequency, top: float) -> tuple[Figure, Transform]:
    """Horizontal bars, first category on top, category at the left and value after each."""
    labels = [_shorten(label) for label in freq.labels]
    values = [str(value) for value in freq.values]
    axis_label = (
        f"Posts as reported by {freq.cited}"
        if freq.cited
        else "Labeled posts (including subcategories)"
    )
    rows = max(len(labels), 1)
    left = _EDGE + _widest(labels, _FONT) + _GAP
    right = _GAP + _widest(values, _FONT) + _EDGE
    # Extreme labels could squeeze the bars to nothing: widen the figure instead.
    width = max(_WIDTH - left - right, _text_width(axis_label, _FONT), 72)
    bottom = _EDGE + _LINE * _FONT + _GAP  # the axis label
    fig, to_figure = _figure(left + width + right, top + rows * _ROW + bottom)
    plot = _plot(
        (0, -0.5, max(freq.values, default=0) or 1, rows - 0.5), (left, bottom, width, rows * _ROW)
    )
    data = plot + to_figure
    positions = list(range(rows))[::-1]
    fig.add_artist(
        _bars(data, positions, freq.values, 0.6, CITED_BAR if freq.cited else BAR, across=True)
    )
    fig.add_artist(_baseline(data, (0, 0), (-0.5, rows - 0.5)))
    before = plot + Affine2D().translate(-_GAP, 0) + to_figure
    after = plot + Affine2D().translate(_GAP, 0) + to_figure
    for pos, label in zip(positions, labels, strict=False):
        fig.text(0, pos, label, transform=before, ha="right", va="center", color=TEXT)
    for pos, value, text in zip(positions, freq.values, values, strict=False):
        fig.text(value, pos, text, transform=after, ha="left", va="center", color=TEXT)
    fig.text(
        left + width / 2,
        _EDGE,
        axis_label,
        transform=to_figure,
        ha="center",
        va="bottom",
        color=TEXT,
    )
    return fig, to_figure


def _years(freq: Frequency, top: float) -> tuple[Figure, Transform]:
    """Vertical bars per year, the year under and the count (unless zero) above each bar."""
    count = len(freq.values)
    spare = max(_MIN_SLOTS - count, 0) / 2
    top += _LINE * _FONT + _GAP  # the count above the tallest bar
    left = _EDGE + _LINE * _FONT + _GAP  # the axis label, turned upright
    bottom = _EDGE + _LINE * _FONT + _GAP  # the years
    width = _WIDTH - left - _EDGE
    fig, to_figure = _figure(_WIDTH, top + _YEARS_HEIGHT + bottom)
    plot = _plot(
        (-0.5 - spare, 0, count - 0.5 + spare, max(freq.values, default=0) or 1),
        (left, bottom, width, _YEARS_HEIGHT),
    )
    data = plot + to_figure
    fig.add_artist(_bars(data, range(count), freq.values, 0.7, BAR, across=False))
    fig.add_artist(_baseline(data, (-0.5 - spare, count - 0.5 + spare), (0, 0)))
    slot = width / (count + 2 * spare)
    under = plot + Affine2D().translate(0, -_GAP) + to_figure
    above = plot + Affine2D().translate(0, _GAP) + to_figure
    size = _fitting(freq.labels, slot)
    for pos, label in enumerate(freq.labels):
        fig.text(pos, 0, label, transform=under, ha="center", va="top", fontsize=size, color=TEXT)
    if any(freq.values):
        values = [str(value) for value in freq.values]
        size = _fitting(values, slot)
        for pos, value, text in zip(range(count), freq.values, values, strict=True):
            if value:  # an empty slot reads as zero; a "0" over every quiet year is clutter
                fig.text(
                    pos,
                    value,
                    text,
                    transform=above,
                    ha="center",
                    va="bottom",
                    fontsize=size,
                    color=TEXT,
                )
    else:
        fig.text(
            left + width / 2,
            bottom + _YEARS_HEIGHT / 2,
            "No labeled posts yet",
            transform=to_figure,
            ha="center",
            va="center",
            color=TEXT,
        )
    fig.text(
        _EDGE,
        bottom + _YEARS_HEIGHT / 2,
        "Labeled posts",
        transform=to_figure,
        rotation=90,
        ha="left",
        va="center",
        color=TEXT,
    )
    return fig, to_figure


def _figure(width: float, height: float) -> tuple[Figure, Transform]:
    """A white figure `width` by `height` points and the transform from points to it."""
    fig = Figure(figsize=(width / 72, height / 72), facecolor="white")
    return fig, Affine2D().scale(1 / 72) + fig.dpi_scale_trans


def _plot(limits: tuple[float, float, float, float], box: tuple[float, ...]) -> Transform:
    """Data within `limits` (x0, y0, x1, y1) to points in the plot's `box` (left, bottom,
    width, height), as an Axes' `transData` would; labels add a shift in points to it."""
    return BboxTransform(Bbox.from_extents(*limits), Bbox.from_bounds(*box))


def _bars(
    data: Transform,
    positions: Iterable[int],
    values: Iterable[int],
    thickness: float,
    colour: str,
    across: bool,
) -> PolyCollection:
    """Bars from zero to each value as one collection: `Axes.bar` makes a patch per bar,
    each as costly to set up and draw as the whole collection."""
    half = thickness / 2
    corners = [
        [(0, pos - half), (value, pos - half), (value, pos + half), (0, pos + half)]
        if across
        else [(pos - half, 0), (pos - half, value), (pos + half, value), (pos + half, 0)]
        for pos, value in zip(positions, values, strict=False)
    ]
    return PolyCollection(corners, transform=data, facecolors=colour, edgecolors="none")


def _baseline(data: Transform, xs: tuple[float, float], ys: tuple[float, float]) -> Line2D:
    """The zero line the bars grow from, drawn like an Axes' spine."""
    rc = matplotlib.rcParams
    return Line2D(
        xs,
        ys,
        transform=data,
        color=rc["axes.edgecolor"],
        linewidth=rc["axes.linewidth"],
        solid_capstyle="projecting",
    )


def _fitting(texts: Iterable[str], room: float) -> float:
    """The font size (at most `_FONT`) at which the widest of `texts` fills at most 90% of
    `room` points, so labels of neighbouring bars never run into each other."""
    widest = _widest(texts, _FONT)
    return min(_FONT, _FONT * 0.9 * room / widest) if widest else _FONT


def _wrap(text: str, width: float, size: float) -> list[str]:
    """`text` broken at spaces into lines at most `width` points wide, a word too long for
    a line of its own broken anywhere: a long title wraps instead of running off the chart."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and _text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
            continue
        while len(word) > 1 and _text_width(word, size) > width:
            cut = max(
                (i for i in range(1, len(word)) if _text_width(word[:i], size) <= width),
                default=1,
            )
            lines.append(word[:cut])
            word = word[cut:]
        lines.append(word)
    return lines


def _widest(texts: Iterable[str], size: float) -> float:
    return max((_text_width(text, size) for text in texts), default=0.0)


def _text_width(text: str, size: float) -> float:
    """Width in points of `text` set in DejaVu Sans at `size`, from each character's advance.

    The margins rest on it. Measuring through matplotlib's renderer would cost as much as
    drawing; summing advances ignores kerning, which only narrows text, and browsers
    without DejaVu Sans fall back to narrower fonts, so the estimate errs on the roomy side.
    """
    return size * sum(_em_width(char) for char in text)


@functools.cache
def _em_width(char: str) -> float:
    font = _dejavu_sans()
    glyph = font.get_char_index(ord(char))
    if not glyph:  # DejaVu Sans lacks it: the browser takes another font; allow a full em
        return 1.0
    return font.load_glyph(glyph, flags=LoadFlags.NO_SCALE).horiAdvance / font.units_per_EM


def _dejavu_sans() -> FT2Font:
    """DejaVu Sans for measuring, opened once per process.

    A font object of our own: matplotlib's shared ones change size as they draw. And one
    per process: FreeType reads glyphs lazily through the font file's offset, which a
    forked chart worker would share with its parent and its siblings; measuring in two
    processes at once then reads garbage ("invalid outline").
    """
    return _font_of(os.getpid())


@functools.cache
def _font_of(pid: int) -> FT2Font:
    return FT2Font(findfont(FontProperties(family=STYLE["font.family"])))


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
