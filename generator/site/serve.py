"""`catalog serve`: preview the site, regenerating the pages when an input file is saved.

Two watchers, one process. The generator's inputs (`catalog/`, `data/`, `releases/`,
CITATION.cff) are watched here: after each burst of saves, `generate` runs again in this
(already warm) process and rewrites only the files of `docs/` whose bytes changed. MkDocs'
live-reload server (`mkdocs.livereload.LiveReloadServer`, as `mkdocs serve` uses it)
watches `docs/`, `mkdocs.yml` and the theme overrides, and hands each change to the
warm `preview.PreviewBuilder`, which rebuilds only what changed, the page a browser
asks for first, before the browser reloads. A save that breaks validation prints the
problems and leaves the pages as they were, so the preview never shows a half-written
site.
"""

from __future__ import annotations

import logging
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import (
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from ..errors import ServeFailed
from ..settings import CITATION_FILE, RELEASES_DIR, Settings
from .preview import PreviewBuilder

log = logging.getLogger("generator.serve")

QUIET_SECONDS = 0.3
"""Wait this long after the last change before regenerating: editors save in several
steps (temporary file, rename), and one regeneration should cover them all."""


def watched(settings: Settings) -> list[Path]:
    """The inputs of `generate` that a contributor edits while previewing."""
    return [
        settings.catalog_dir,
        settings.data_dir,
        settings.queue_dir,
        settings.root / RELEASES_DIR,
    ]


class _Debounced(FileSystemEventHandler):
    """Calls `action` once things have been quiet for `QUIET_SECONDS` after a change."""

    def __init__(self, action: Callable[[], None], citation: Path) -> None:
        self._action = action
        self._citation = citation
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._running = threading.Lock()  # one regeneration at a time, never two writers
        self._closed = False

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type in ("opened", "closed_no_write"):
            return  # reading a file (the generator itself does) is not a change
        paths = {Path(str(event.src_path)), Path(str(getattr(event, "dest_path", "") or "."))}
        if all(p.name.startswith(".") for p in paths if p != Path(".")):
            return  # editors' lock and swap files (.#x.yaml, .x.yaml.swp): not inputs
        if self._citation.parent in {p.parent for p in paths} and self._citation not in paths:
            return  # the project root is watched only for CITATION.cff
        with self._lock:
            if self._closed:
                return
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(QUIET_SECONDS, self._run)
            self._timer.daemon = True
            self._timer.start()

    def _run(self) -> None:
        with self._running:
            if not self._closed:
                self._action()

    def close(self) -> None:
        """Cancel a pending regeneration and wait for a running one: then it is safe to exit."""
        with self._lock:
            self._closed = True
            if self._timer is not None:
                self._timer.cancel()
        with self._running:
            pass


def _stop_on_sigterm(*_: object) -> None:
    # `kill` (and test harnesses) send SIGTERM: leave through the `finally` below, so
    # that the preview server and its temporary site are cleaned up too.
    raise SystemExit(128 + signal.SIGTERM)


WRITES = [FileCreatedEvent, FileModifiedEvent, FileMovedEvent, FileDeletedEvent, FileClosedEvent]
"""The events that mean a file's content may have changed."""


class _WritesOnly(Observer):  # type: ignore[misc,valid-type]
    """The platform's native watcher (inotify on Linux), passing on writes only.

    MkDocs' server polls its paths every half second by default: over the 2,000 files
    of a large `docs/` that adds up to half a second of latency and a share of a core.
    A native watcher also reports files being opened and read, and the preview reads
    `docs/` as it builds, which would set off a rebuild after every rebuild; hence the
    filter.
    """

    def schedule(self, event_handler, path, *, recursive=False, event_filter=None, **kwargs):
        return super().schedule(
            event_handler, path, recursive=recursive, event_filter=event_filter or WRITES, **kwargs
        )


class _CatchUp(threading.Thread):
    """Works through the builder's stale pages in the background after each update."""

    def __init__(self, builder: PreviewBuilder) -> None:
        super().__init__(name="preview-catch-up", daemon=True)
        self._builder = builder
        self._wake = threading.Event()
        self._stopping = False

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    def run(self) -> None:
        while not self._stopping:
            self._wake.wait()
            self._wake.clear()
            start, steps = time.perf_counter(), 0
            try:
                while not self._stopping and self._builder.catch_up():
                    steps += 1
            except Exception:  # reported; the next change rebuilds the site in full
                log.exception("the preview could not rebuild a page")
                continue
            if steps:
                log.info(
                    "site caught up in %.2f s (%d step(s))", time.perf_counter() - start, steps
                )


def _site_server(settings: Settings, addr: str, builder: PreviewBuilder, site: Path):
    """MkDocs' live-reload server on `addr`, building with `builder` into `site`."""
    from mkdocs.livereload import LiveReloadServer

    catch_up = _CatchUp(builder)

    def update() -> None:  # on the server's build loop, after changes in what it watches
        log.info(builder.update().summary())
        catch_up.wake()

    host, _, port = addr.rpartition(":")
    server = LiveReloadServer(builder=update, host=host, port=int(port), root=str(site))
    server.observer = _WritesOnly()
    server.error_handler = lambda code: _error_page(site, code)
    for path in (settings.docs_dir, settings.root / "overrides", settings.mkdocs_yml):
        if path.exists():
            server.watch(str(path))
    app = server.get_app()

    def refreshing(environ: dict, start_response: Callable):
        # A stale page, or the search index while any page is stale, is rebuilt before
        # it is served: the browser never sees an out-of-date page.
        path = environ.get("PATH_INFO", "/")
        output = path.lstrip("/") + ("index.html" if path.endswith("/") else "")
        try:
            builder.refresh(output)
        except Exception:  # reported; the last good output is served
            log.exception("the preview could not rebuild %s", output)
        return app(environ, start_response)

    server.set_app(refreshing)
    return server, catch_up


def _check_free(addr: str) -> None:
    """Fail now, before generating, if `addr` cannot be listened on."""
    host, _, port = addr.rpartition(":")
    with socket.socket() as probe:
        # As the server will: a port left in TIME_WAIT by a previous preview is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, int(port)))
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not host:port"
            raise ServeFailed(f"cannot serve on {addr}: {reason}") from None


def _error_page(site: Path, code: int) -> bytes | None:
    page = site / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None


def _log_to_stderr() -> logging.Handler:
    """Show MkDocs' and the preview's messages (warnings about links, rebuild times)."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    for name in ("mkdocs", "generator"):
        logging.getLogger(name).addHandler(handler)
        logging.getLogger(name).setLevel(logging.INFO)
    return handler


def serve(
    settings: Settings,
    addr: str,
    first: Callable[[], None],
    regenerate: Callable[[], None],
) -> int:
    """Watch the inputs, run `first`, build the site, then serve it on `addr` with live
    reload until stopped, with `regenerate` run after every burst of saves meanwhile.

    `first` is the initial generation; its exceptions end the command (nothing to serve
    yet). The watcher starts before it, so a save made while it runs is not missed.
    Returns 130 after Ctrl-C (SIGTERM exits with 143).
    """
    _check_free(addr)
    handler = _Debounced(regenerate, settings.root / CITATION_FILE)
    observer = Observer()
    for folder in watched(settings):
        if folder.is_dir():
            observer.schedule(handler, str(folder), recursive=True)
    observer.schedule(handler, str(settings.root), recursive=False)  # CITATION.cff
    observer.daemon = True
    observer.start()
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    logs = _log_to_stderr()
    site = Path(tempfile.mkdtemp(prefix="catalog-preview-"))
    builder = PreviewBuilder(settings.mkdocs_yml, site)
    server, catch_up = None, None
    try:
        first()
        log.info(builder.update().summary())
        server, catch_up = _site_server(settings, addr, builder, site)
        catch_up.start()
        server.serve()
        return 0
    except KeyboardInterrupt:
        return 130
    finally:
        observer.stop()
        handler.close()
        if server is not None:
            server.shutdown()
        if catch_up is not None:
            catch_up.stop()
        builder.close()
        shutil.rmtree(site, ignore_errors=True)
        for name in ("mkdocs", "generator"):
            logging.getLogger(name).removeHandler(logs)
        signal.signal(signal.SIGTERM, previous)
