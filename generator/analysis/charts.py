"""Stage 4, chart: every chart the site shows, drawn as deterministic SVGs in worker processes.

Owns which charts exist, their paths, their cache keys and the worker pool; the look of
one chart is `drawing`'s. Uses matplotlib's object API on the SVG canvas,
never pyplot, so no global figure state leaks between charts (and charts can
be drawn in parallel processes). Determinism: a fixed `svg.hashsalt`
(element IDs), no date metadata, text kept as text (`svg.fonttype: none`) so
the bytes depend only on the data and the pinned matplotlib version.

Speed: a catalog has a thousand charts, so each is laid out by arithmetic on font
metrics rather than by matplotlib's `Axes` and `tight_layout`, whose tick machinery
and text measuring made up nearly all of the drawing time (see `drawing`); and each
text is measured once per process, not once per chart (`svg_bytes`).
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import io
import json
import multiprocessing
from collections.abc import Collection, Iterable
from concurrent.futures import Future, ProcessPoolExecutor

import matplotlib
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, fontManager, get_font
from matplotlib.textpath import TextToPath

from ..model.catalog import Catalog
from . import progress
from .analyze import Stats
from .background import can_fork
from .drawing import BAR, CITED_BAR, STYLE, TEXT, chart_figure
from .frequency import Frequency

CHART_DIR = "challenges/charts"
"""Where charts go, relative to `docs/`."""

STATISTICS_CHARTS = {"categories": "statistics/categories.svg", "years": "statistics/years.svg"}
"""The Statistics page's charts, relative to `docs/`."""


def chart_path(cid: str, cited: bool = False) -> str:
    """Path of a challenge's chart relative to `docs/`; `cited` for a study's reported counts."""
    return f"{CHART_DIR}/{cid}{'-reported' if cited else ''}.svg"


CACHE_VERSION = "2"
"""Bump when the look of the charts changes in a way `STYLE` does not capture."""

PARALLEL_THRESHOLD = 64
"""Below this many charts to draw, starting worker processes costs more than it saves."""


def chart_jobs(
    catalog: Catalog, stats: Stats, cids: Collection[str] | None = None
) -> dict[str, tuple[Frequency, str]]:
    """Every chart to produce: `{path relative to docs/: (numbers, title)}`; with `cids`,
    only those challenges' charts (a warm run's, whose other charts have not changed) and
    the Statistics page's."""
    chosen = catalog.challenges if cids is None else cids
    jobs = {
        chart_path(cid): (stats.by_challenge[cid].frequency, catalog.challenges[cid].title)
        for cid in chosen
    }
    for cid, freq in stats.reported.items():
        if cid in chosen:
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
            STYLE,
            BAR,
            CITED_BAR,
            TEXT,
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

    def __init__(
        self,
        catalog: Catalog,
        stats: Stats,
        cached,
        workers: int,
        cids: Collection[str] | None = None,
    ) -> None:
        self._jobs = chart_jobs(catalog, stats, cids)
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
            self._pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=_pool_context(), initializer=_start_worker
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
            jobs = [self._jobs[p] for p in self._missing]
            drawn = (
                svg for i in range(0, len(jobs), CHUNK) for svg in _draw_chunk(jobs[i : i + CHUNK])
            )
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


def _start_worker() -> None:
    """Set a chart worker's garbage collector going for its own objects only.

    Collected, since matplotlib's figures hold reference cycles, even when the caller
    paused the collector (a forked worker inherits that). Frozen first: what a forked
    worker inherits outlives it, and a collection walking the parent's objects took
    seconds and wrote to each one's header, copying the parent's memory page by page.
    """
    gc.freeze()
    gc.enable()


def _draw_chunk(jobs: list[tuple[Frequency, str]]) -> list[bytes]:
    # One style context for the chunk, not one per chart: entering one copies every
    # rc setting. Nothing a chart draws changes them.
    with matplotlib.rc_context(STYLE):
        return [svg_bytes(chart_figure(*job)) for job in jobs]


def draw(freq: Frequency, title: str) -> bytes:
    """One bar chart, deterministic on its own: the style is applied around each chart."""
    with matplotlib.rc_context(STYLE):
        return svg_bytes(chart_figure(freq, title))


def svg_bytes(fig: Figure) -> bytes:
    """`fig` as SVG: what `FigureCanvasSVG.print_svg` writes, byte for byte, with each
    text measured once per process rather than once per chart.

    Relies on matplotlib internals (pinned in pyproject.toml): this is `print_svg`'s
    body with `_MeasuringRenderer` in place of `RendererSVG`; tests/test_charts.py
    fails if the two ever write different bytes.
    """
    FigureCanvasSVG(fig)  # the canvas `print_svg` would be called on
    dpi = fig.dpi
    fig.dpi = 72
    width, height = fig.get_size_inches()
    out = io.StringIO()  # text, not bytes: no encoding writer around every small write
    svg = _MeasuringRenderer(width * 72, height * 72, out, image_dpi=dpi, metadata={"Date": None})
    renderer = MixedModeRenderer(fig, width, height, dpi, svg)
    fig.draw(renderer)
    renderer.finalize()
    return out.getvalue().encode()


class _MeasuringRenderer(RendererSVG):
    """matplotlib's SVG renderer, measuring text with caches shared by every chart.

    `Text` caches measures per renderer, and each chart gets a renderer of its own:
    without this, FreeType shapes every label, value and axis title again in every
    chart, and the font's line heights are looked up again for every text, which was
    most of the drawing time. For the SVG renderer both depend only on the text and
    its font properties (text is laid out at a fixed 72 dpi), never on the renderer.
    """

    def get_text_width_height_descent(
        self, s: str, prop: FontProperties, ismath: bool | str
    ) -> tuple[float, float, float]:
        return _text_measure(s, prop, ismath)

    def _get_font_height_metrics(self, prop: FontProperties) -> tuple[float | None, ...]:
        # A private hook (matplotlib's PDF renderer has it): `Text._get_layout` asks for
        # it when a renderer has it, else computes `_font_heights` itself for every text.
        heights = _HEIGHTS.get(prop)
        if heights is None:  # stored under a copy: the text's own may change later
            heights = _HEIGHTS[prop.copy()] = _font_heights(prop)
        return heights


@functools.lru_cache(maxsize=65536)
def _text_measure(s: str, prop: FontProperties, ismath: bool | str) -> tuple[float, float, float]:
    # `prop` is the copy `Text` made for its own cache's key; nothing changes it.
    return _MEASURER.get_text_width_height_descent(s, prop, ismath)


_MEASURER = TextToPath()
"""What `RendererSVG` measures text with (each renderer makes its own; they are alike)."""

_HEIGHTS: dict[FontProperties, tuple[float | None, ...]] = {}
"""A font's ascent, descent and line gap by font properties, as `_font_heights` gives."""


def _font_heights(prop: FontProperties) -> tuple[float | None, ...]:
    """Ascent, descent and line gap of the font for `prop`, computed exactly as
    `Text._get_layout` (matplotlib 3.11) does without the hook, at the SVG's 72 dpi."""
    font = get_font(fontManager._find_fonts_by_props(prop))
    dpi = 72
    for table_name, gap_key, ascent_key, descent_key in (
        ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
        ("hhea", "lineGap", "ascent", "descent"),
    ):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        fontsize = prop.get_size_in_points()
        units_per_em = font.get_sfnt_table("head")["unitsPerEm"]
        scale = 1 / units_per_em * fontsize * dpi / 72
        return table[ascent_key] * scale, -table[descent_key] * scale, table[gap_key] * scale
    return None, None, None  # as without the hook: measure "lp" instead


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
