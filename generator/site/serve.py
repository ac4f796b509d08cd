"""`catalog serve`: preview the site, regenerating the pages when an input file is saved.

The generator's inputs (`catalog/`, `data/`, `queue/`, `releases/`, CITATION.cff) are
watched here: after each burst of saves, `generate` runs again in this (already warm)
process and rewrites only the files of `docs/` whose bytes changed, then tells the
preview's server (`reloader.SiteServer`, MkDocs' live-reload server) what it wrote. The
warm `preview.PreviewBuilder` marks those pages stale and the open pages reload at
once; the page a browser asks for is rebuilt before it is sent, and only once it has
loaded does the background work run: the preview's other changed pages and the
generator's `finish` (the site-wide pages and the downloads, which requests wait for
meanwhile). A save that breaks validation prints the problems and leaves the pages as
they were, so the preview never shows a half-written site.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
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
from .reloader import SiteServer

log = logging.getLogger("generator.serve")

QUIET_SECONDS = 0.1
"""Wait this long after the last change before regenerating: editors save in several
steps (temporary file, rename) a few milliseconds apart, and one regeneration should
cover them all."""


def watched(settings: Settings) -> list[Path]:
    """The inputs of `generate` that a contributor edits while previewing."""
    return [
        settings.catalog_dir,
        settings.data_dir,
        settings.queue_dir,
        settings.root / RELEASES_DIR,
    ]


class _Debounced(FileSystemEventHandler):
    """Calls `action` once things have been quiet for `QUIET_SECONDS` after a change,
    with the time of the burst's first change (`time.perf_counter()`)."""

    def __init__(self, action: Callable[[float], None], citation: Path) -> None:
        self._action = action
        self._citation = citation
        self._timer: threading.Timer | None = None
        self._since: float | None = None
        self._lock = threading.Lock()
        self.running = threading.Lock()
        """Held while `action` runs: one regeneration at a time, never two writers."""
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
            if self._since is None:
                self._since = time.perf_counter()
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(QUIET_SECONDS, self._run)
            self._timer.daemon = True
            self._timer.start()

    def _run(self) -> None:
        with self.running:
            with self._lock:
                since, self._since = self._since, None
            if not self._closed:
                self._action(since or time.perf_counter())

    def close(self) -> None:
        """Cancel a pending regeneration and wait for a running one: then it is safe to exit."""
        with self._lock:
            self._closed = True
            if self._timer is not None:
                self._timer.cancel()
        with self.running:
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


@dataclass(frozen=True)
class Steps:
    """What `serve` runs, given by the command, which reports each step's result."""

    first: Callable[[], None]
    """The initial generation; its exceptions end the command (nothing to serve yet)."""
    generate: Callable[[], list[str] | None]
    """After a burst of saves, bring the pages up to date; return the files of `docs/`
    written or removed, or None when the save was refused (its problems reported)."""
    finish: Callable[[], list[str]]
    """Then, once the reloaded pages have loaded, write what `generate` left (the
    site-wide pages, the downloads); return the files written."""
    later: Callable[[], Collection[str]]
    """The files `finish` may write: requests for them wait until it has."""


def _regenerate(server: SiteServer, steps: Steps) -> Callable[[float], None]:
    """What the watcher runs after a burst of saves that began at `since`."""

    def run(since: float) -> None:
        start = time.perf_counter()
        server.begin(pause=True)
        changed = None
        try:
            changed = steps.generate()
        finally:
            server.told(changed or [], reload=True, hold=steps.later() if changed else ())
        generated = time.perf_counter()
        server.wait_settled()  # the open pages first
        if server.reloaded is not None and server.reloaded[1]:  # else no page loaded
            told, loaded = server.reloaded
            log.info(
                "save shown in %.2f s: waited %.2f s, generate %.2f s, "
                "preview %.2f s, browser %.2f s",
                loaded - since,
                *(start - since, generated - start, told - generated, loaded - told),
            )
        server.begin(pause=False)
        written: list[str] = []
        try:
            written = steps.finish()
        finally:
            server.told(written, reload=False)
        _give_back_memory()

    return run


def _give_back_memory() -> None:
    """Return the C heap's free pages to the system after a save's work.

    Each save builds and drops tens of megabytes of pages, downloads and indexes; C's
    allocator keeps the freed pages, scattered among live objects, so the serving
    process grew by about 100 MB over a few saves at 100,000 posts. glibc's
    `malloc_trim` hands them back (elsewhere there is no such call, and nothing to do).
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def serve(settings: Settings, addr: str, steps: Steps) -> int:
    """Watch the inputs, run `steps.first`, build the site, then serve it on `addr` with
    live reload until stopped, regenerating after every burst of saves meanwhile.

    The watcher starts before the first generation, so a save made while it runs is
    not missed (it is regenerated once the site is served). Returns 130 after Ctrl-C
    (SIGTERM exits with 143).
    """
    _check_free(addr)
    site = Path(tempfile.mkdtemp(prefix="catalog-preview-"))
    builder = PreviewBuilder(settings.mkdocs_yml, site)
    host, _, port = addr.rpartition(":")
    server = SiteServer(builder, host, int(port), site)
    server.observer = _WritesOnly()
    server.error_handler = lambda code: _error_page(site, code)
    handler = _Debounced(_regenerate(server, steps), settings.root / CITATION_FILE)
    observer = _WritesOnly()  # not the generator's own reads of its inputs either
    for folder in watched(settings):
        if folder.is_dir():
            observer.schedule(handler, str(folder), recursive=True)
    observer.schedule(handler, str(settings.root), recursive=False)  # CITATION.cff
    observer.daemon = True
    observer.start()
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    logs = _log_to_stderr()
    serving = False
    try:
        with handler.running:  # a save meanwhile waits for the site
            steps.first()
            log.info(builder.update().summary())
            for path in (settings.docs_dir, settings.root / "overrides", settings.mkdocs_yml):
                if path.exists():
                    server.watch(str(path))
        server.catch_up.start()
        serving = True
        server.serve()
        return 0
    except KeyboardInterrupt:
        return 130
    finally:
        observer.stop()
        if serving:  # first: a regeneration in progress may wait for the server
            server.shutdown()
        else:
            server.server_close()
        handler.close()
        builder.close()
        shutil.rmtree(site, ignore_errors=True)
        for name in ("mkdocs", "generator"):
            logging.getLogger(name).removeHandler(logs)
        signal.signal(signal.SIGTERM, previous)
