"""The preview's web server: MkDocs' live-reload server, told by the generator what it
wrote, reloading each open page once per save, ahead of any background work.

`mkdocs serve`'s server learns of a change from its file watcher: it waits for
`docs/` to be quiet for 0.1 s, rebuilds, and tells the open pages to reload. Driven
by the generator that way, a save reloads the browser as soon as the generator pauses
between two writes, and again after the rest (the challenge pages, then the site-wide
pages and the downloads a second or two later). Here the generator says when it starts
writing and what it wrote (`begin`, `told`), so:

- nothing is rebuilt while the generator writes; once it has, the preview updates the
  written files at once (no quiet period) and the open pages reload once;
- what the generator's `finish` rewrites after that (see `serve.Steps`) is *held*
  meanwhile: a request for one of those pages or files waits until it is written
  (`told` brings their paths), so a reloaded page never shows the previous save's,
  and they need no second reload;
- the reloading browsers' pages go first: the background work (the preview's catch-up
  of the other changed pages and the search index, and the generator's `finish`, see
  `serve.serve`) waits until each browser that was waiting for a reload has loaded its
  page (its live-reload script polls again on the page's `load` event), or
  `SETTLE_SECONDS` passed (`settled`).

The file watcher still covers a change nobody told of (a page of `docs/`, `mkdocs.yml`
or a theme override edited by hand): the preview then compares every file's stamp, so
the generator's own writes, which its watcher reports too, are found already taken in.

The build loop replaces MkDocs' own and uses its server's fields (`_rebuild_cond`,
`_want_rebuild`, `_epoch_cond`, `_visible_epoch`, `_wanted_epoch`): MkDocs is pinned
(1.6.1), and tests/test_serve.py drives this server through a save, so an upgrade that
changes them fails a test instead of the preview.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Collection, Iterable
from pathlib import Path

from mkdocs.livereload import LiveReloadServer, _timestamp

from .preview import PreviewBuilder, Rebuilt

log = logging.getLogger("generator.serve")

SETTLE_SECONDS = 2.0
"""How long the background work waits for reloading browsers to load their page (a tab
closed meanwhile never does)."""

HOLD_SECONDS = 60.0
"""The longest a request for a held file waits (the generator's `finish` takes seconds)."""


class SiteServer(LiveReloadServer):
    """MkDocs' live-reload server on `host:port`, building with `builder` into `site`."""

    def __init__(self, builder: PreviewBuilder, host: str, port: int, site: Path) -> None:
        super().__init__(builder=lambda: None, host=host, port=port, root=str(site))
        self._preview = builder
        self._writing = False
        """Whether the generator is writing `docs/` (no rebuild meanwhile)."""
        self._told: list[str] | None = None
        """Files of `docs/` the generator wrote and the preview has not yet taken in."""
        self._reload = False
        """Whether what the generator told of should reload the open pages."""
        self._hold: frozenset[str] = frozenset()
        """Files the generator will write next, held from the next update on."""
        self._held: frozenset[str] = frozenset()
        """Outputs (paths in the site) a request waits for."""
        self._held_cond = threading.Condition()
        self._polling = 0
        """Browsers waiting in a live-reload poll: the ones a reload will bring back."""
        self._expected = 0
        """Reloading browsers whose page has not loaded yet."""
        self._round = 0
        """Counts reloads, so that a late `SETTLE_SECONDS` timer settles only its own."""
        self._count_lock = threading.Lock()
        self.settled = threading.Event()
        """Set when no reloading browser is loading its page: background work may run."""
        self.settled.set()
        self.reloaded: tuple[float, float] | None = None
        """When the last reload was signalled and when its pages had all loaded
        (`time.perf_counter()`; 0 while they have not), for the save's log line."""
        self.catch_up = _CatchUp(builder, self.settled)
        self.set_app(self._app)

    def begin(self, *, pause: bool) -> None:
        """The generator starts writing `docs/`; with `pause`, the background work stops
        after its current page, leaving the CPU to the generator."""
        with self._rebuild_cond:
            self._writing = True
        if pause:
            with self._count_lock:  # and a reload's pending timer no longer applies
                self._round += 1
                self.reloaded = None
                self.settled.clear()

    def told(self, changed: Iterable[str], *, reload: bool, hold: Collection[str] = ()) -> None:
        """The generator wrote (or removed) `changed`, paths relative to `docs/`; the
        preview takes them in now, reloading the open pages if `reload`. `hold` names
        the files the generator writes next: requests for them wait until then."""
        with self._rebuild_cond:
            self._writing = False
            self._told = [*(self._told or []), *changed]
            self._reload = self._reload or reload
            self._hold = frozenset(hold)
            self._rebuild_cond.notify_all()

    def wait_settled(self) -> None:
        """Return once `settled`, or the server is shut down."""
        while not self.settled.wait(self.shutdown_delay) and not self._shutdown:
            pass

    def shutdown(self, wait: bool = False) -> None:
        self.catch_up.stop()
        with self._held_cond:
            self._held = frozenset()
            self._held_cond.notify_all()
        super().shutdown(wait)

    def _due(self) -> bool:
        return self._shutdown or (
            not self._writing and (self._want_rebuild or self._told is not None)
        )

    def _build_loop(self) -> None:  # replaces MkDocs' own (mkdocs/livereload/__init__.py)
        while True:
            with self._rebuild_cond:
                while not self._rebuild_cond.wait_for(self._due, timeout=self.shutdown_delay):
                    pass  # wake now and then, as MkDocs' loop does, for Ctrl-C
                if self._shutdown:
                    break
                if self._told is None:  # a change by hand: let the burst of saves end
                    while self._rebuild_cond.wait(timeout=self.build_delay):
                        pass
                    if self._writing:
                        continue  # the generator started meanwhile: its `told` comes back here
                watched, told, reload = self._want_rebuild, self._told, self._reload
                self._want_rebuild, self._told, self._reload = False, None, False
                hold = self._hold
            self._update(watched, told, reload, hold)

    def _update(self, watched: bool, told: list[str] | None, reload: bool, hold: frozenset[str]):
        with self._epoch_cond:
            shown, self._wanted_epoch = self._visible_epoch, _timestamp()  # requests wait
        try:
            changed = told is not None and self._changed(self._preview.update(told))
            # What the watcher saw beyond what the generator told of was edited by hand:
            # comparing every stamp finds it (the generator's own writes are taken in).
            if watched and self._changed(self._preview.update(None)):
                changed = reload = True
        except Exception:  # as MkDocs' loop: the pages wait until a build succeeds
            log.exception("the preview could not update the site")
            self._settle(self._round)
            return
        with self._held_cond:
            self._held = self._preview.outputs_of(hold)
            self._held_cond.notify_all()
        reload = reload and changed
        with self._epoch_cond:
            if reload:
                self._visible_epoch = self._wanted_epoch
                self._expect_pages()
            else:
                self._wanted_epoch = shown  # no reload: the pages shown are current
            self._epoch_cond.notify_all()
        with self._count_lock:
            waiting = self._expected  # for the pages of an earlier reload
        if not (reload or waiting):
            self._settle(self._round)
        if changed:
            self.catch_up.wake()

    def _expect_pages(self) -> None:
        """After a reload: wait for each browser that was waiting for one to load its
        page (`SETTLE_SECONDS` at most) before the background work goes on."""
        with self._count_lock:
            self._expected, self._round = self._polling, self._round + 1
            self.reloaded, round_ = (time.perf_counter(), 0.0), self._round
            if self._expected:
                self.settled.clear()
                timer = threading.Timer(SETTLE_SECONDS, self._settle, (round_, False))
                timer.daemon = True
                timer.start()
        if not self._expected:
            self._settle(round_)

    @staticmethod
    def _changed(rebuilt: Rebuilt) -> bool:
        if rebuilt.full or rebuilt.stale or rebuilt.copied:
            log.info(rebuilt.summary())
            return True
        return False

    def _settle(self, round_: int, loaded: bool = True) -> None:
        """Let the background work of reload `round_` go; `loaded`: its pages loaded."""
        with self._count_lock:
            if round_ == self._round:
                self._expected = 0
                if loaded and self.reloaded is not None and not self.reloaded[1]:
                    self.reloaded = (self.reloaded[0], time.perf_counter())
                self.settled.set()

    def _app(self, environ: dict, start_response: Callable):
        path = environ.get("PATH_INFO", "/")
        if path.startswith("/livereload/"):
            # A reloaded page polls again once it has loaded, styles and scripts too.
            with self._count_lock:
                last = self._expected == 1
                self._expected, round_ = max(0, self._expected - 1), self._round
                self._polling += 1
            if last:
                self._settle(round_)
            try:
                return self.serve_request(environ, start_response)
            finally:
                with self._count_lock:
                    self._polling -= 1
        output = path.lstrip("/") + ("index.html" if path.endswith("/") else "")
        if output in self._held:  # an immutable set, swapped whole: no lock to look
            with self._held_cond:
                self._held_cond.wait_for(lambda: output not in self._held, HOLD_SECONDS)
        # A stale page, or the search index while any page is stale, is rebuilt before
        # it is served: the browser never sees an out-of-date page.
        try:  # the search index waits for the background's turn (see `settled`)
            self._preview.refresh(output, self.settled.wait)
        except Exception:  # reported; the last good output is served
            log.exception("the preview could not rebuild %s", output)
        return self.serve_request(environ, start_response)


class _CatchUp(threading.Thread):
    """Works through the builder's stale pages in the background after each update,
    whenever `settled` (no browser is loading its page)."""

    def __init__(self, builder: PreviewBuilder, settled: threading.Event) -> None:
        super().__init__(name="preview-catch-up", daemon=True)
        self._builder = builder
        self._settled = settled
        self._wake = threading.Event()
        self._stopping = False

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        self._settled.set()

    def run(self) -> None:
        while not self._stopping:
            self._wake.wait()
            self._wake.clear()
            start, steps = time.perf_counter(), 0
            try:
                while self._settled.wait() and not self._stopping and self._builder.catch_up():
                    steps += 1
            except Exception:  # reported; the next change rebuilds the site in full
                log.exception("the preview could not rebuild a page")
                continue
            if steps:
                log.info(
                    "site caught up in %.2f s (%d step(s))", time.perf_counter() - start, steps
                )
