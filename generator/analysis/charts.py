"""Stage 4, chart: every chart the site shows, drawn as deterministic SVGs in worker processes.

Owns which charts exist, their paths, their cache keys and the worker pool; the look of
one chart is `drawing`'s, its bytes `svgout`'s. Uses matplotlib's object API on the SVG
canvas, never pyplot, so no global figure state leaks between charts (and charts can be
drawn in parallel processes).

Speed: a catalog has a thousand charts, so each is laid out by arithmetic on font
metrics rather than by matplotlib's `Axes` and `tight_layout`, whose tick machinery
and text measuring made up nearly all of the drawing time (see `drawing`); each text
is measured once per process, not once per chart (see `svgout`); and only the workers
import matplotlib, in a server started before the catalog is even loaded
(`start_worker_server`).
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import importlib.metadata
import json
import multiprocessing
import multiprocessing.forkserver
from collections.abc import Collection, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING

from . import progress
from .chartstyle import BAR, CITED_BAR, STYLE, TEXT

if TYPE_CHECKING:
    from ..model.catalog import Catalog
    from .analyze import Stats
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
    catalog: Catalog,
    stats: Stats,
    cids: Collection[str] | None = None,
    statistics: bool = True,
) -> dict[str, tuple[Frequency, str]]:
    """Every chart to produce: `{path relative to docs/: (numbers, title)}`; with `cids`,
    only those challenges' charts (a warm run's, whose other charts have not changed) and
    the Statistics page's, unless `statistics` is false (a warm run draws those later,
    with the Statistics page)."""
    chosen = catalog.challenges if cids is None else cids
    jobs = {
        chart_path(cid): (stats.by_challenge[cid].frequency, catalog.challenges[cid].title)
        for cid in chosen
    }
    for cid, freq in stats.reported.items():
        if cid in chosen:
            jobs[chart_path(cid, cited=True)] = (freq, catalog.challenges[cid].title)
    if not statistics:
        return jobs
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
            matplotlib_version(),
            CACHE_VERSION,
        ],
        sort_keys=True,
    )
    return hashlib.sha256(material.encode()).hexdigest()


@functools.cache
def matplotlib_version() -> str:
    """The installed matplotlib's version, as `matplotlib.__version__` gives it, without
    importing matplotlib (which only the chart workers need)."""
    return importlib.metadata.version("matplotlib")


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
        statistics: bool = True,
    ) -> None:
        self._jobs = chart_jobs(catalog, stats, cids, statistics)
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
            # What a worker inherits from the server (matplotlib, pandas) lasts as long as
            # it does: frozen, the collector does not walk it again and again.
            self._pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=_pool_context(), initializer=gc.freeze
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


def start_worker_server() -> None:
    """Start the process chart workers are forked from, so that it imports matplotlib
    (over a second) on a core that idles while this process loads the catalog.

    Starts no thread here: the run can still fork its background work afterwards.
    """
    if _pool_context().get_start_method() == "forkserver":
        multiprocessing.forkserver.ensure_running()


def _pool_context() -> multiprocessing.context.BaseContext:
    """How to start chart workers: forked from a server that imported the drawing modules
    once, so each starts with matplotlib loaded but none of a run's objects.

    Not forked from the running process: it has not imported matplotlib (see
    `_draw_chunk`), and a fork would not be safe while `catalog serve`'s watcher thread
    runs. Without a fork server (not on Linux), spawned workers import it themselves.
    Like any such child, a worker imports the caller's main script (not a `-m` module or
    `-c` code): a script calling `generate` needs the `if __name__ == "__main__":` guard.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__, f"{__package__}.svgout"])
        return context
    return multiprocessing.get_context("spawn")


def _draw_chunk(jobs: list[tuple[Frequency, str]]) -> list[bytes]:
    # Imported here, in the workers: the main process of a run only says which charts
    # to draw, and importing matplotlib took it over a second.
    from .svgout import draw_charts

    return draw_charts(jobs)


def draw(freq: Frequency, title: str) -> bytes:
    """One bar chart, deterministic on its own: the style is applied around each chart."""
    return _draw_chunk([(freq, title)])[0]


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
