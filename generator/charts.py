"""Stage 4, chart: draw each challenge's frequency chart as a deterministic SVG.

Owns the look of the charts. Uses matplotlib's object API on the SVG canvas,
never pyplot, so no global figure state leaks between charts (and charts can
be drawn in parallel processes). Determinism: a fixed `svg.hashsalt`
(element IDs), no date metadata, text kept as text (`svg.fonttype: none`) so
the bytes depend only on the data and the pinned matplotlib version.

Speed: a catalog has a thousand charts, so each is laid out by arithmetic on font
metrics rather than by matplotlib's `Axes` and `tight_layout`, whose tick machinery
and text measuring made up nearly all of the drawing time (see `_chart`).
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import io
import json
import multiprocessing
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import FT2Font, LoadFlags
from matplotlib.lines import Line2D
from matplotlib.transforms import Affine2D, Bbox, BboxTransform, Transform

from . import progress
from .analyze import Stats
from .background import can_fork
from .catalog import Catalog
from .frequency import Frequency

CHART_DIR = "challenges/charts"
"""Where charts go, relative to `docs/`."""

_STYLE = {
    "svg.hashsalt": "dl-challenge-catalog",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    # Titles are contributed text: "$5 vs $10" is money, not mathtext (and "$\\foo$"
    # would stop the run with a parse error).
    "text.parse_math": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_BAR = "#3949ab"  # Material indigo 600: readable on the white chart background
_CITED_BAR = "#00796b"  # teal 700: a study's reported counts never look like our own

_TEXT = "#212121"


STATISTICS_CHARTS = {"categories": "statistics/categories.svg", "years": "statistics/years.svg"}
"""The Statistics page's charts, relative to `docs/`."""


def chart_path(cid: str, cited: bool = False) -> str:
    """Path of a challenge's chart relative to `docs/`; `cited` for a study's reported counts."""
    return f"{CHART_DIR}/{cid}{'-reported' if cited else ''}.svg"


CACHE_VERSION = "2"
"""Bump when the look of the charts changes in a way `_STYLE` does not capture."""

PARALLEL_THRESHOLD = 64
"""Below this many charts to draw, starting worker processes costs more than it saves."""


def chart_jobs(catalog: Catalog, stats: Stats) -> dict[str, tuple[Frequency, str]]:
    """Every chart to produce: `{path relative to docs/: (numbers, title)}`."""
    jobs = {
        chart_path(cid): (stats.by_challenge[cid].frequency, catalog.challenges[cid].title)
        for cid in catalog.challenges
    }
    for cid, freq in stats.reported.items():
        jobs[chart_path(cid, cited=True)] = (freq, catalog.challenges[cid].title)
    jobs[STATISTICS_CHARTS["categories"]] = (
        stats.overview.per_category,
        "Labeled posts per category",
    )
    jobs[STATISTICS_CHARTS["years"]] = (stats.overview.per_year, "Labeled posts per year")
    return jobs


def chart_key(freq: Frequency, title: str) -> str:
    """A digest of everything a chart's bytes depend on: its numbers, title and style."""
    material = json.dumps(
        [
            # Every field, by name; `dataclasses.asdict` deep-copies and cost more than
            # the rest of the key.
            {field.name: getattr(freq, field.name) for field in dataclasses.fields(freq)},
            title,
            _STYLE,
            _BAR,
            _CITED_BAR,
            _TEXT,
            matplotlib.__version__,
            CACHE_VERSION,
        ],
        sort_keys=True,
    )
    return hashlib.sha256(material.encode()).hexdigest()


def draw_all(
    catalog: Catalog, stats: Stats, cached=lambda key: None, workers: int = 1
) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Every chart, as `{path: SVG bytes}`, and the newly drawn ones as `{key: bytes}`.

    `cached(key)` returns a chart drawn before from the same data and style, or None; only
    the others are drawn, across `workers` processes when there are many.
    """
    with ChartDrawing(catalog, stats, cached, workers) as drawing:
        return drawing.finish()


class ChartDrawing:
    """Charts being drawn in worker processes while the caller renders the pages.

    Drawing a thousand charts takes as long as everything else a run does; started
    first, the workers draw while the main process renders pages and downloads, and
    `finish` collects them. Used as a context manager so that the workers stop if the
    caller fails midway.
    """

    def __init__(self, catalog: Catalog, stats: Stats, cached, workers: int) -> None:
        self._jobs = chart_jobs(catalog, stats)
        self._keys = {path: chart_key(*job) for path, job in self._jobs.items()}
        self._charts: dict[str, bytes] = {}
        self._missing: list[str] = []
        for path, key in self._keys.items():
            hit = cached(key)
            if hit is None:
                self._missing.append(path)
            else:
                self._charts[path] = hit
        self._pool: ProcessPoolExecutor | None = None
        self._chunks: list[Future[list[bytes]]] = []
        if workers > 1 and len(self._missing) >= PARALLEL_THRESHOLD:
            # Workers start now, before the caller pauses the garbage collector (they
            # enable it anyway: matplotlib's figures hold reference cycles).
            self._pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=_pool_context(), initializer=gc.enable
            )
            jobs = [self._jobs[p] for p in self._missing]
            self._chunks = [
                self._pool.submit(_draw_chunk, jobs[i : i + CHUNK])
                for i in range(0, len(jobs), CHUNK)
            ]

    def __enter__(self) -> ChartDrawing:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def finish(self) -> tuple[dict[str, bytes], dict[str, bytes]]:
        """Every chart by path, and the newly drawn ones by cache key (waits for workers)."""
        if self._pool is not None:
            drawn: Iterable[bytes] = (svg for chunk in self._chunks for svg in chunk.result())
        else:
            drawn = (_draw_job(self._jobs[p]) for p in self._missing)
        fresh = {}
        done = progress.bar(drawn, len(self._missing), "charts")
        for path, svg in zip(self._missing, done, strict=True):
            self._charts[path] = svg
            fresh[self._keys[path]] = svg
        return self._charts, fresh


CHUNK = 16
"""Charts per task sent to a worker: fewer round trips, still an even spread."""


def _pool_context() -> multiprocessing.context.BaseContext:
    """How to start chart workers.

    Forking is the cheapest (workers inherit matplotlib, already imported) but is only
    safe from a process running a single thread on Linux. `catalog serve` regenerates
    on a watcher thread, so there a fork server starts clean workers, with this module
    imported once in the server rather than in every worker.
    """
    if can_fork():
        return multiprocessing.get_context("fork")
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


def _draw_chunk(jobs: list[tuple[Frequency, str]]) -> list[bytes]:
    return [_draw_job(job) for job in jobs]


def _draw_job(job: tuple[Frequency, str]) -> bytes:
    return draw(*job)


def draw(freq: Frequency, title: str) -> bytes:
    """One bar chart, deterministic on its own: the style is applied around each chart."""
    with matplotlib.rc_context(_STYLE):
        buffer = io.BytesIO()
        FigureCanvasSVG(_chart(freq, title)).print_svg(buffer, metadata={"Date": None})
        return buffer.getvalue()


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


def _chart(freq: Frequency, title: str) -> Figure:
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
        color=_TEXT,
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
        _bars(data, positions, freq.values, 0.6, _CITED_BAR if freq.cited else _BAR, across=True)
    )
    fig.add_artist(_baseline(data, (0, 0), (-0.5, rows - 0.5)))
    before = plot + Affine2D().translate(-_GAP, 0) + to_figure
    after = plot + Affine2D().translate(_GAP, 0) + to_figure
    for pos, label in zip(positions, labels, strict=False):
        fig.text(0, pos, label, transform=before, ha="right", va="center", color=_TEXT)
    for pos, value, text in zip(positions, freq.values, values, strict=False):
        fig.text(value, pos, text, transform=after, ha="left", va="center", color=_TEXT)
    fig.text(
        left + width / 2,
        _EDGE,
        axis_label,
        transform=to_figure,
        ha="center",
        va="bottom",
        color=_TEXT,
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
    fig.add_artist(_bars(data, range(count), freq.values, 0.7, _BAR, across=False))
    fig.add_artist(_baseline(data, (-0.5 - spare, count - 0.5 + spare), (0, 0)))
    slot = width / (count + 2 * spare)
    under = plot + Affine2D().translate(0, -_GAP) + to_figure
    above = plot + Affine2D().translate(0, _GAP) + to_figure
    size = _fitting(freq.labels, slot)
    for pos, label in enumerate(freq.labels):
        fig.text(pos, 0, label, transform=under, ha="center", va="top", fontsize=size, color=_TEXT)
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
                    color=_TEXT,
                )
    else:
        fig.text(
            left + width / 2,
            bottom + _YEARS_HEIGHT / 2,
            "No labeled posts yet",
            transform=to_figure,
            ha="center",
            va="center",
            color=_TEXT,
        )
    fig.text(
        _EDGE,
        bottom + _YEARS_HEIGHT / 2,
        "Labeled posts",
        transform=to_figure,
        rotation=90,
        ha="left",
        va="center",
        color=_TEXT,
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


@functools.cache
def _dejavu_sans() -> FT2Font:
    # A font object of our own: matplotlib's shared ones change size as they draw.
    return FT2Font(findfont(FontProperties(family=_STYLE["font.family"])))


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def alt_text(freq: Frequency, title: str) -> str:
    """A sentence describing the chart for screen readers (the table has the numbers)."""
    if freq.kind == "children":
        parts = ", ".join(
            f"{label}: {value}" for label, value in zip(freq.labels, freq.values, strict=True)
        )
        if freq.cited:
            return (
                f"Bar chart of posts per subcategory of {title} as reported by {freq.cited}. "
                f"{parts}."
            )
        return f"Bar chart of labeled posts per subcategory of {title}. {parts}."

    if not any(freq.values):
        return f"Bar chart of labeled posts per year for {title}: no labeled posts yet."
    parts = ", ".join(
        f"{label}: {value}" for label, value in zip(freq.labels, freq.values, strict=True) if value
    )
    return f"Bar chart of labeled posts per year for {title}. {parts}."
