"""Incremental generation in a warm process: what `catalog serve` runs after each save.

Owns what is kept between runs and what is computed again. A cold run (`build.generate`)
goes through every stage over the whole catalog; in the serving process most of that
work would be repeated for nothing after a save that touched one file. So this keeps,
from one run to the next:

- the parsed input files and the validated post rows (`inputs.memo`): a save reparses
  the changed file and validates its new or changed rows only; the rules that span
  files still run over everything, so errors are found exactly as in a cold run;
- the statistics with the posts counted under each challenge (`analysis.delta`): when
  only posts changed, the counts are updated along the changed posts' ancestor paths
  instead of being computed again; any other change (a challenge, a source, a study)
  makes a full analysis;
- the pages, charts and downloads of the last run: when only posts changed, only the
  pages and charts of the challenges whose figures changed are rendered and drawn (all
  of them when the span of years changed, which every page's table shows); the other
  pages (home, browse, facets, statistics, ...) are rendered again each time, from
  templates compiled once; each post's lines of the post downloads are kept;
- "Find your challenge"'s index, by the text it is fitted on. When that changed (a post
  summary or a challenge's text), fitting it again is the slowest step left, so it is
  left to `finish`, which runs after the pages are written: the preview shows the edit
  first and the index follows.

Every run's result is byte-identical to a cold run's on the same input; a property test
applies random edits and compares after each one (tests/test_warm.py).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from ..inputs.memo import InputMemo, Memo
from ..settings import GENERATED_DIRS, Settings
from . import build, runrecord, write

if TYPE_CHECKING:
    from ..analysis.analyze import Stats
    from ..analysis.delta import Tally
    from ..errors import Problem
    from ..model.catalog import Catalog


class WarmGenerator:
    """Generates `docs/` again and again in one process, reusing what has not changed."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._inputs = InputMemo()
        self._post_lines: Memo = Memo()
        self._page_contexts: Memo = Memo()
        self._tally: Tally | None = None
        self._known: write.Known = {}
        """What is in `docs/` as this process last wrote or read it."""
        self._outputs: dict[str, bytes] = {}
        """The last run's outputs by path (empty before a first full run)."""
        self._index_inputs: tuple | None = None
        self._pending: tuple[Catalog, str, list[Problem], tuple] | None = None
        """A run whose index is still to be fitted: its catalog, fingerprint, warnings and
        the index's inputs."""

    def generate(self) -> build.Generated:
        """Bring `docs/` up to date, except for a stale suggestion index (see `finish`)."""
        from ..analysis.analyze import analyze
        from ..analysis.downloads import catalog_files, post_files
        from ..pages import schemas

        settings = self.settings
        self._pending = None
        print_ = runrecord.fingerprint(settings)
        last = runrecord.unchanged(settings, print_)
        if last is not None and self._outputs:
            outputs, warnings = last
            return build.Generated(None, None, warnings, write.WriteReport(unchanged=outputs))
        self._inputs.next_run()
        catalog, warnings = build.validated(settings, self._inputs)
        update = self._tally.update(catalog) if self._tally is not None else None
        if update is None:
            with build.without_gc_pauses():
                stats = analyze(catalog)
            changed: Collection[str] = catalog.challenges
        else:
            stats = update.stats
            changed = set(catalog.challenges) if update.span_changed else update.affected
        outputs = self._pages_and_charts(catalog, stats, changed)
        outputs.update(catalog_files(catalog, stats))
        self._post_lines.next_run()
        outputs.update(post_files(catalog, self._post_lines))
        outputs.update({f"schemas/{n}": t.encode() for n, t in schemas.schemas().items()})
        index_inputs = _index_inputs(catalog)
        fresh_index = index_inputs == self._index_inputs
        from ..analysis.siteindex import SUGGEST_INDEX

        if SUGGEST_INDEX in self._outputs:  # stale or not, keep it until `finish` replaces it
            outputs[SUGGEST_INDEX] = self._outputs[SUGGEST_INDEX]
        report = write.sync(settings.docs_dir, GENERATED_DIRS, outputs, self._known)
        self._outputs = outputs
        if fresh_index:
            runrecord.remember(settings, print_, list(outputs), warnings)
        else:
            self._pending = (catalog, print_, warnings, index_inputs)
        if update is None:
            from ..analysis.delta import Tally

            with build.without_gc_pauses():  # it only builds objects (see the function)
                self._tally = Tally(catalog, stats)
        return build.Generated(catalog, stats, warnings, report)

    def finish(self) -> list[str]:
        """Fit and write the suggestion index if the last `generate` left it stale; return
        the paths written."""
        if self._pending is None:
            return []
        from ..analysis.siteindex import index_file

        catalog, print_, warnings, index_inputs = self._pending
        self._pending = None
        self._outputs.update(index_file(catalog))
        self._index_inputs = index_inputs
        report = write.sync(self.settings.docs_dir, GENERATED_DIRS, self._outputs, self._known)
        runrecord.remember(self.settings, print_, list(self._outputs), warnings)
        return report.written

    def _pages_and_charts(
        self, catalog: Catalog, stats: Stats, changed: Collection[str]
    ) -> dict[str, bytes]:
        """The pages and charts; those of challenges not in `changed` from the last run."""
        from ..analysis import charts
        from ..pages import render
        from ..pages.common import page_path

        settings = self.settings

        def cached(key: str) -> bytes | None:
            path = settings.cache_dir / f"{key}.svg"
            return path.read_bytes() if path.is_file() else None

        outputs: dict[str, bytes] = {}
        for cid in catalog.challenges:
            if cid not in changed:
                for path in (page_path(cid), charts.chart_path(cid), charts.chart_path(cid, True)):
                    if path in self._outputs:
                        outputs[path] = self._outputs[path]
        with charts.ChartDrawing(catalog, stats, cached, 1, changed) as drawing:
            with build.without_gc_pauses():
                outputs.update(render.challenge_pages(catalog, stats, changed))
                self._page_contexts.next_run()
                outputs.update(render.site_pages(catalog, stats, self._page_contexts))
            drawn, fresh = drawing.finish()
        outputs.update(drawn)
        settings.cache_dir.mkdir(parents=True, exist_ok=True)
        for key, svg in fresh.items():
            write.atomic_write(settings.cache_dir / f"{key}.svg", svg)
        return dict(sorted(outputs.items()))


def _index_inputs(catalog: Catalog) -> tuple:
    """What "Find your challenge"'s index is made from: the challenges, and the posts'
    summaries with their labels (no other field of a post reaches it). Compared with the
    last run's (tuples of the same objects mostly: cheap) rather than hashed."""
    return (
        tuple(catalog.challenges.values()),
        tuple((p.key, p.summary, p.labels) for p in catalog.posts if p.summary),
    )
