"""The preview's site builder: after a change in `docs/`, only the changed pages are built
again, and the page a browser asks for first.

`mkdocs serve` rebuilds every page after any change (about 19 s for the 1,044 pages of
the benchmark catalog), and its `--dirty` mode is no cure: its search index then holds
only the rebuilt pages and the tags page loses every other page's tags. This builder
keeps a build's state in the process (`mkbuild.SiteState`) and splits the work after a
change in two:

- `update`, quick, decides what the change calls for. A full build (done there and
  then) when the navigation or the set of pages could change: a file added or removed,
  a page in the navigation whose title or front matter changed (Material renders the
  navigation's titles, icons and status into every page), `mkdocs.yml` or the theme
  overrides changed, or the last build failed. Otherwise it copies the changed static
  files (charts, styles, downloads) and marks the changed pages stale.
- A stale page is read, rendered and written again when it is asked for (`refresh`,
  called by the server before it answers a request) or by `catch_up`, which works
  through the rest, smallest page first, in the background. The outputs that depend on
  every page wait until all are current: the search index (rewritten with the changed
  pages' entries in place, in a full build's order) and, when a page's tags or title
  changed or a page holding a tags listing changed, the listing pages and `tags.json`.

So what a browser is shown is never stale: a request for a stale page or for the search
index waits for it. No page's HTML depends on another page's content except the
navigation (above) and the tags listings (above): links are relative URLs resolved from
file paths, never from a target's title. The one thing checked less often is anchor
links: they are checked for the rebuilt pages, so a page linking to an anchor a changed
page no longer has is warned about at the next full build (`catalog build` is one).

Thread-safe: one lock serialises every step, and `catch_up` takes it one page at a
time, so a request waits for at most one page in progress.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import mkbuild
from .mkbuild import SiteState, page_of

AGGREGATES = ("search/search_index.json", "tags.json")
"""Outputs built from every page: served only once no page is stale."""


@dataclass(frozen=True)
class Rebuilt:
    """What one call of `PreviewBuilder.update` did."""

    full: str
    """Why everything was rebuilt ("first build", "docs/x.md added", ...); empty when
    the update was incremental."""
    stale: list[str] = field(default_factory=list)
    """Pages marked stale, as paths relative to `docs/` (empty after a full build)."""
    copied: list[str] = field(default_factory=list)
    """Static files copied again, relative to `docs/` (empty after a full build)."""
    seconds: float = 0.0
    """How long the update took."""

    def summary(self) -> str:
        """One line for the preview's log."""
        if self.full:
            return f"site rebuilt in full in {self.seconds:.2f} s ({self.full})"
        return (
            f"site updated in {self.seconds:.2f} s: {len(self.stale)} page(s) to rebuild, "
            f"{len(self.copied)} other file(s) copied"
        )


class PreviewBuilder:
    """Builds the site of `config_file` into `site_dir`, incrementally after the first time."""

    def __init__(self, config_file: Path, site_dir: Path) -> None:
        self._config_file = config_file
        self._site_dir = site_dir
        self._state: SiteState | None = None
        self._lock = threading.RLock()
        self._stale: dict[str, tuple[object, object]] = {}
        """Stale pages by source path, with the title and tags they were built with."""
        self._retag = False
        """Whether the tags listings must be refilled once no page is stale."""
        self._index_stale = False
        """Whether the search index must be rewritten once no page is stale."""
        self._new_stale: list[str] = []
        """Pages the last update marked stale."""
        self._copied: list[str] = []
        """Static files the last update copied."""
        self._waits_for: frozenset[str] = frozenset()
        """Outputs (paths in the site) not yet current: a request for one waits."""
        self._every_page: frozenset[str] = frozenset()
        """Those of them made from every page: they wait for every stale page."""
        self._turn = threading.Condition()
        self._asking = 0
        """Updates and requests for a page waiting for the lock: `catch_up` lets them go
        first (a lock alone would let the background take it back at once, again and
        again)."""

    def build(self, changed: Collection[str] | None = None) -> Rebuilt:
        """`update`, then `catch_up` to the end: the whole site current on return."""
        with self._lock:
            rebuilt = self.update(changed)
            while self._step():
                pass
            return rebuilt

    def update(self, changed: Collection[str] | None = None) -> Rebuilt:
        """Take in a change of `docs/`: build in full if it calls for that, else copy the
        changed static files and mark the changed pages stale.

        `changed` names the files of `docs/` that changed (relative paths, as in the
        generator's `WriteReport`); None means find out by comparing every file's stamp
        with the last build's.
        """
        start = time.perf_counter()
        with self._first():
            state, self._state = self._state, None  # a failed update leaves no half-state
            reason = "first build" if state is None else self._needs_full(state, changed)
            if reason or state is None:
                self._stale, self._retag, self._index_stale = {}, False, False
                self._waits_for = self._every_page = frozenset()
                self._state = mkbuild.full_build(self._config_file, self._site_dir)
                return Rebuilt(reason, seconds=time.perf_counter() - start)
            self._state = state
            self._note_waits(state)
            return Rebuilt(
                "", sorted(self._new_stale), sorted(self._copied), time.perf_counter() - start
            )

    def refresh(self, output: str, before_each_step: Callable[[], object] = lambda: None) -> None:
        """Make `output` (a path in the site, as a request names it) current first.

        Returns at once for an output that is current. A stale page is rebuilt before
        `catch_up` goes on. An output made from every page (the search index, the tags
        listings) is brought up to date here step by step as `catch_up` does, calling
        `before_each_step` first (the server waits there while the background may not
        run): between steps an update or a request for a page goes first.
        """
        if output not in self._waits_for:  # an immutable set, swapped whole: no lock
            return
        if output in self._every_page:
            while output in self._waits_for:
                before_each_step()
                if not self.catch_up():
                    return
            return
        with self._first():
            state = self._state
            if state is None:
                return
            for rel in self._stale:
                if state.files.get_file_from_path(rel).dest_uri == output:
                    self._rebuild(state, rel)
                    break
            self._note_waits(state)

    def outputs_of(self, paths: Iterable[str]) -> frozenset[str]:
        """Where the files of `docs/` named by `paths` (relative) are in the site: a
        page's HTML, a static file's copy (a file new to the last build keeps its path).
        No lock: the build's files are only replaced whole."""
        state = self._state
        files = state.files if state is not None else None
        found = {rel: files.get_file_from_path(rel) if files else None for rel in paths}
        return frozenset(rel if f is None else f.dest_uri for rel, f in found.items())

    def catch_up(self) -> bool:
        """Do one step of the pending work (one page, or the outputs that depend on every
        page once none is stale), after any waiting request; return whether there was any."""
        with self._turn:
            self._turn.wait_for(lambda: self._asking == 0)
        with self._lock:
            return self._step()

    @contextmanager
    def _first(self) -> Iterator[None]:
        """Hold the lock, going before `catch_up`'s next step."""
        with self._turn:
            self._asking += 1
        try:
            with self._lock:
                yield
        finally:
            with self._turn:
                self._asking -= 1
                self._turn.notify_all()

    def _step(self) -> bool:
        state = self._state
        if state is None:
            return False
        if self._stale:
            # Smallest first: the most pages become current soonest.
            rel = min(self._stale, key=lambda r: (state.stamps.get(r, (0, 0, 0))[2], r))
            self._rebuild(state, rel)
        elif self._retag:
            self._retag = False
            with self._or_forget():
                mkbuild.build_pages(state, mkbuild.refill_listings(state))
        elif self._index_stale:
            self._index_stale = False
            with self._or_forget():
                mkbuild.order_mappings(state)
                mkbuild.write_index(state)
        else:
            return False
        self._note_waits(state)
        return True

    def _note_waits(self, state: SiteState) -> None:
        """Recompute which outputs a request must wait for."""
        if not (self._stale or self._retag or self._index_stale):
            self._waits_for = self._every_page = frozenset()
            return
        stale = {state.files.get_file_from_path(rel).dest_uri for rel in self._stale}
        self._every_page = frozenset(set(AGGREGATES) | self._listing_outputs(state))
        self._waits_for = frozenset(stale | self._every_page)

    def close(self) -> None:
        """Let the plugins clean up (MkDocs' `on_shutdown`)."""
        with self._lock:
            if self._state is not None:
                self._state.config.plugins.on_shutdown()
                self._state = None

    def _needs_full(self, state: SiteState, changed: Collection[str] | None) -> str:
        """Why the change calls for a full build ("" when it does not); when it does not,
        copy the changed static files and mark the changed pages stale."""
        if mkbuild.theme_stamps_of(self._config_file) != state.theme_stamps:
            return "mkdocs.yml or the theme overrides changed"
        docs = Path(state.config.docs_dir)
        if changed is None:
            now = dict(mkbuild.walk(docs))
            paths = sorted(set(now) | set(state.stamps))
        else:
            now = {rel: s for rel in changed if (s := mkbuild.stamp(docs / rel)) is not None}
            paths = sorted(set(changed))
        self._new_stale, self._copied = [], []
        for rel in paths:
            before, after = state.stamps.get(rel), now.get(rel)
            if before == after:
                continue
            if before is None or after is None:  # the set of pages and links changes
                return f"docs/{rel} {'added' if before is None else 'removed'}"
            file = state.files.get_file_from_path(rel)
            if file is None:  # a file MkDocs leaves out (excluded by its rules)
                state.stamps[rel] = after
            elif not file.is_documentation_page():
                state.stamps[rel] = after
                file.copy_file()
                self._copied.append(rel)
            else:
                page = page_of(file)
                built_with = (page.title, page.meta.get("tags"))  # before it is read again
                if reason := self._nav_changed(state, rel):
                    return reason
                state.stamps[rel] = after
                self._stale.setdefault(rel, built_with)
                self._index_stale = True
                self._new_stale.append(rel)
        return ""

    def _nav_changed(self, state: SiteState, rel: str) -> str:
        """Whether page `rel`, if in the navigation, changed what the navigation shows.

        A title given in mkdocs.yml cannot change, so reading the front matter tells;
        otherwise the title may come from the first heading, and the page is rendered.
        """
        if rel not in state.nav_looks:
            return ""
        file = state.files.get_file_from_path(rel)
        if rel in state.titled:
            from mkdocs.utils.meta import get_data

            now = (state.nav_looks[rel][0], get_data(file.content_string)[1])
        else:
            mkbuild.repopulate(state, page_of(file))
            now = mkbuild.look(page_of(file))
        if now != state.nav_looks[rel]:
            return f"docs/{rel}: a page in the navigation changed its title or front matter"
        return ""

    def _rebuild(self, state: SiteState, rel: str) -> None:
        """Read, render and write stale page `rel` again."""
        with self._or_forget():
            self._rebuild_page(state, rel)

    @contextmanager
    def _or_forget(self) -> Iterator[None]:
        """On failure, forget the state: the site keeps its last good files, and the next
        update builds it in full."""
        try:
            yield
        except Exception:
            self._state, self._waits_for, self._every_page = None, frozenset(), frozenset()
            raise

    def _rebuild_page(self, state: SiteState, rel: str) -> None:
        title_and_tags = self._stale.pop(rel)
        page = page_of(state.files.get_file_from_path(rel))
        was_listing = rel in mkbuild.listing_pages(state)
        mkbuild.repopulate(state, page)
        is_listing = rel in mkbuild.listing_pages(state)
        if was_listing or is_listing or title_and_tags != (page.title, page.meta.get("tags")):
            self._retag = True  # the listings show every tagged page's title and tags
        mkbuild.build_pages(state, [page.file])

    def _listing_outputs(self, state: SiteState) -> set[str]:
        return {
            state.files.get_file_from_path(rel).dest_uri for rel in mkbuild.listing_pages(state)
        }
