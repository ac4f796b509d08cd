"""Incremental generation in a warm process: what `catalog serve` runs after each save.

Owns what is kept between runs and what is computed again. A cold run (`build.generate`)
goes through every stage over the whole catalog; in the serving process most of that
work would be repeated for nothing after a save that touched one file. So this keeps,
from one run to the next:

- the parsed input files and the validated post rows (`inputs.memo`): a save reparses
  the changed file and validates its new or changed rows only (an unchanged file passes
  as a whole); the rules that span files still run over everything, so errors are found
  exactly as in a cold run;
- the statistics with the posts counted under each challenge (`analysis.delta`): when
  only posts (or a challenge's text) changed, the counts are updated along the changed
  posts' ancestor paths instead of being computed again; a change to the tree (a title,
  parent, status or successor), a source or a study makes a full analysis;
- the pages and charts of the last run: only those of the challenges whose figures or
  text changed are rendered and drawn (all of them when the span of years, or something
  every page shows, changed); the other pages (home, browse, facets, statistics, ...)
  are rendered again only when their context changed, from templates compiled once.

A save is handled in two steps. `generate` writes the challenge pages and charts that
changed: the page a contributor looks at after labeling a post or editing a challenge.
`finish`, called right after, writes the rest: the site-wide pages (home, browse, the
facet pages, statistics with its charts, changes, data, help label), the downloads,
the filter's index, and "Find your challenge"'s index, fitted again only when its text
changed (a post summary or a challenge's text). Until `finish` has run, those show the
last run's figures; the preview shows the edit first and these follow.

Every run's result is byte-identical to a cold run's on the same input; a property test
applies random edits and compares after each one (tests/test_warm.py).
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..inputs.memo import InputMemo, Memo
from ..settings import GENERATED_DIRS, Settings
from . import build, runrecord, write

if TYPE_CHECKING:
    from ..analysis.analyze import Stats
    from ..analysis.delta import Tally, Update
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
        self._catalog: Catalog | None = None
        """The last run's catalog."""
        self._stats: Stats | None = None
        """A full analysis's statistics, until `finish` indexes them into a `Tally`."""
        self._pending: _Pending | None = None
        """What the last `generate` left to `finish`."""
        self._challenge_paths: frozenset[str] = frozenset()
        """The challenge pages and charts among the outputs (what `generate` makes)."""

    def generate(self) -> build.Generated:
        """Bring the challenge pages and their charts in `docs/` up to date: what a
        contributor looks at after a save. Everything else is left to `finish`, except in
        a first run, which writes everything."""
        from ..analysis.analyze import analyze

        settings = self.settings
        self._pending = None
        self._inputs.next_run()
        print_ = runrecord.fingerprint(settings, self._inputs.digest)
        last = runrecord.unchanged(settings, print_)
        if last is not None and self._outputs:
            outputs, warnings = last
            return build.Generated(None, None, warnings, write.WriteReport(unchanged=outputs))
        catalog, warnings = build.validated(settings, self._inputs)
        update = self._tally.update(catalog) if self._tally is not None else None
        if update is None:
            self._tally = None  # let it go before the analysis builds its successor
            with build.without_gc_pauses():
                stats = analyze(catalog)
            changed: Collection[str] = catalog.challenges
            self._stats = stats  # indexed by `finish`
        else:
            stats = update.stats
            changed = set(catalog.challenges) if update.span_changed else set(update.affected)
            changed |= _text_changed(self._catalog, catalog)
        pages = self._challenge_outputs(catalog, stats, changed)
        first = not self._outputs
        # The last run's other files stay as they are until `finish` makes them again.
        outputs = {p: b for p, b in self._outputs.items() if p not in self._challenge_paths}
        outputs.update(pages)
        self._outputs, self._challenge_paths = dict(sorted(outputs.items())), frozenset(pages)
        self._pending = _Pending(
            catalog, stats, print_, warnings, self._index_stale(catalog, update)
        )
        self._catalog = catalog
        if first:  # nothing to show meanwhile: everything at once
            report = self._finish()
        else:
            report = write.sync(settings.docs_dir, GENERATED_DIRS, self._outputs, self._known)
        return build.Generated(catalog, stats, warnings, report)

    def finish(self) -> list[str]:
        """Write what the last `generate` left: the site-wide pages (home, browse, facets,
        statistics, ...) with the Statistics page's charts, the downloads, the filter's
        index and (when its text changed) the suggestion index; return the paths written."""
        return self._finish().written if self._pending is not None else []

    def _finish(self) -> write.WriteReport:
        """`finish`, reporting everything `write.sync` did."""
        assert self._pending is not None
        pending, self._pending = self._pending, None
        self._complete(pending)
        self._keep_tally(pending.catalog)
        report = write.sync(self.settings.docs_dir, GENERATED_DIRS, self._outputs, self._known)
        runrecord.remember(
            self.settings, pending.fingerprint, list(self._outputs), pending.warnings
        )
        return report

    def pending_paths(self) -> frozenset[str]:
        """The files `finish` may still write (none when nothing is pending): every
        generated file but the challenge pages and charts `generate` made. The preview
        holds requests for them until `finish` is done, so that it never serves the
        last save's figures beside this one's."""
        if self._pending is None:
            return frozenset()
        return frozenset(self._outputs) - self._challenge_paths

    def _keep_tally(self, catalog: Catalog) -> None:
        """After a full analysis, index its posts for the next save's update (a second
        or so at 100,000 posts, so after the pages are written)."""
        if self._tally is None and self._stats is not None:
            from ..analysis.delta import Tally

            with build.without_gc_pauses():  # it only builds objects (see the function)
                self._tally = Tally(catalog, self._stats)
            self._stats = None

    def _complete(self, pending: _Pending) -> None:
        """Make every file but the challenge pages and charts (writing nothing): the
        outputs become the challenge pages and charts of `generate` plus these."""
        from ..analysis import charts
        from ..analysis.downloads import catalog_files, post_files
        from ..analysis.siteindex import SUGGEST_INDEX, index_file
        from ..pages import render
        from ..pages.views import FILTER_INDEX, filter_index

        catalog, stats = pending.catalog, pending.stats
        rest: dict[str, bytes] = {}
        cached = functools.partial(build.cached_chart, self.settings)
        # Only the Statistics page's charts: the challenges' are drawn by `generate`.
        with charts.ChartDrawing(catalog, stats, cached, 1, ()) as drawing:
            with build.without_gc_pauses():
                self._page_contexts.next_run()
                rest.update(render.site_pages(catalog, stats, self._page_contexts))
            drawn, fresh = drawing.finish()
        rest.update(drawn)
        build.keep_charts(self.settings, fresh)
        rest.update(catalog_files(catalog, stats))
        rest.update(build.schema_files())
        self._post_lines.next_run()
        rest.update(post_files(catalog, self._post_lines))
        rest[FILTER_INDEX] = filter_index(catalog).encode("utf-8")
        if pending.index_stale or SUGGEST_INDEX not in self._outputs:
            rest.update(index_file(catalog))
        else:
            rest[SUGGEST_INDEX] = self._outputs[SUGGEST_INDEX]
        pages = {p: self._outputs[p] for p in self._challenge_paths}
        self._outputs = dict(sorted({**pages, **rest}.items()))

    def _index_stale(self, catalog: Catalog, update: Update | None) -> bool:
        """Whether "Find your challenge"'s index may have changed: it is made from the
        challenges and the posts' summaries with their labels, no other field of a post."""
        if update is None or self._catalog is None:
            return True
        if self._catalog.challenges != catalog.challenges:
            return True
        return any(
            post.summary
            for catalog_ in (self._catalog, catalog)
            for key in update.posts
            if (post := catalog_.post(key)) is not None
        )

    def _challenge_outputs(
        self, catalog: Catalog, stats: Stats, changed: Collection[str]
    ) -> dict[str, bytes]:
        """Every challenge's page and charts; those of challenges not in `changed` from
        the last run."""
        from ..analysis import charts
        from ..pages import render
        from ..pages.common import page_path

        cached = functools.partial(build.cached_chart, self.settings)
        outputs: dict[str, bytes] = {}
        for cid in catalog.challenges:
            if cid not in changed:
                for path in (page_path(cid), charts.chart_path(cid), charts.chart_path(cid, True)):
                    if path in self._outputs:
                        outputs[path] = self._outputs[path]
        drawing = charts.ChartDrawing(catalog, stats, cached, 1, changed, statistics=False)
        with drawing:
            with build.without_gc_pauses():
                outputs.update(render.challenge_pages(catalog, stats, changed))
            drawn, fresh = drawing.finish()
        outputs.update(drawn)
        build.keep_charts(self.settings, fresh)
        return outputs


@dataclass(frozen=True)
class _Pending:
    """What a `generate` left for `finish`."""

    catalog: Catalog
    """The run's catalog."""
    stats: Stats
    """Its statistics."""
    fingerprint: str
    """The run's input fingerprint, recorded once everything is written."""
    warnings: list[Problem]
    """The run's warnings, recorded with it."""
    index_stale: bool
    """Whether the suggestion index must be fitted again."""


def _text_changed(last: Catalog | None, new: Catalog) -> set[str]:
    """Challenges whose page may show text that changed since `last` (the statistics
    update covers the figures): every one when something all pages show changed (the
    release cited, git dates, file paths, sources, studies, release history); else each
    challenge whose entry changed, with the challenges its page names (parent,
    children, related, successor) and those that name it."""
    everything = set(new.challenges)
    if last is None or (
        last.files,
        last.changed,
        last.release,
        last.snapshots,
        last.sources,
        last.studies,
    ) != (new.files, new.changed, new.release, new.snapshots, new.sources, new.studies):
        return everything
    edited = {cid for cid, c in new.challenges.items() if last.challenges.get(cid) != c}
    if not edited:
        return set()
    found = set(edited)
    for cid, c in new.challenges.items():
        named = {c.parent, c.merged_into, *(r.id for r in c.related), *new.children[cid]}
        if cid in edited:
            found |= named
        elif named & edited:
            found.add(cid)
    return found & everything
