"""Stage 4, chart: draw each challenge's frequency chart as a deterministic SVG.

Owns the look of the charts. Uses matplotlib's object API on the SVG canvas,
never pyplot, so no global figure state leaks between charts (and charts can
later be drawn in parallel processes). Determinism: a fixed `svg.hashsalt`
(element IDs), no date metadata, text kept as text (`svg.fonttype: none`) so
the bytes depend only on the data and the pinned matplotlib version.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
from concurrent.futures import ProcessPoolExecutor

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from .analyze import Stats
from .catalog import Catalog
from .frequency import Frequency

CHART_DIR = "challenges/charts"
"""Where charts go, relative to `docs/`."""

_STYLE = {
    "svg.hashsalt": "dl-challenge-catalog",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 10,
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


CACHE_VERSION = "1"
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
            dataclasses.asdict(freq),
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
    jobs = chart_jobs(catalog, stats)
    keys = {path: chart_key(*job) for path, job in jobs.items()}
    charts: dict[str, bytes] = {}
    missing = []
    for path, key in keys.items():
        hit = cached(key)
        if hit is None:
            missing.append(path)
        else:
            charts[path] = hit
    if workers > 1 and len(missing) >= PARALLEL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            drawn = list(pool.map(_draw_job, [jobs[p] for p in missing], chunksize=16))
    else:
        drawn = [_draw_job(jobs[p]) for p in missing]
    fresh = {}
    for path, svg in zip(missing, drawn, strict=True):
        charts[path] = svg
        fresh[keys[path]] = svg
    return charts, fresh


def _draw_job(job: tuple[Frequency, str]) -> bytes:
    return draw(*job)


def draw(freq: Frequency, title: str) -> bytes:
    """One bar chart, deterministic on its own: the style is applied around each chart."""
    with matplotlib.rc_context(_STYLE):
        return _draw(freq, title)


def _draw(freq: Frequency, title: str) -> bytes:
    """Horizontal bars for categories, vertical bars for years."""
    rows = max(len(freq.labels), 1)
    if freq.kind == "children":
        fig = Figure(figsize=(7.0, 1.2 + 0.35 * rows), facecolor="white")
        ax = fig.add_subplot()
        positions = list(range(rows))[::-1]  # first category on top
        colour = _CITED_BAR if freq.cited else _BAR
        ax.barh(positions[: len(freq.values)], freq.values, color=colour, height=0.6)
        ax.set_yticks(positions[: len(freq.labels)], [_shorten(label) for label in freq.labels])
        ax.set_xlabel(
            f"Posts as reported by {freq.cited}"
            if freq.cited
            else "Labeled posts (including subcategories)",
            color=_TEXT,
        )
        ax.margins(x=0.08)  # room for the value printed after the longest bar
        for pos, value in zip(positions, freq.values, strict=False):
            ax.annotate(
                str(value),
                (value, pos),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                color=_TEXT,
            )
    else:
        fig = Figure(figsize=(7.0, 2.8), facecolor="white")
        ax = fig.add_subplot()
        ax.bar(range(len(freq.values)), freq.values, color=_BAR, width=0.7)
        ax.set_xticks(range(len(freq.labels)), freq.labels)
        ax.set_ylabel("Labeled posts", color=_TEXT)
        if not any(freq.values):
            ax.text(
                0.5,
                0.5,
                "No labeled posts yet",
                transform=ax.transAxes,
                ha="center",
                va="center",
                color=_TEXT,
            )
    # Counts are whole numbers: keep fractional ticks off the value axis.
    value_axis = ax.xaxis if freq.kind == "children" else ax.yaxis
    value_axis.get_major_locator().set_params(integer=True)
    ax.set_title(_shorten(title, 70), color=_TEXT, loc="left")
    ax.tick_params(colors=_TEXT)
    fig.tight_layout()
    buffer = io.BytesIO()
    FigureCanvasSVG(fig).print_svg(buffer, metadata={"Date": None})
    return buffer.getvalue()


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
