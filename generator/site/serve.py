"""`catalog serve`: preview the site, regenerating the pages when an input file is saved.

MkDocs' own server watches `docs/` and reloads the browser when a page there changes;
it knows nothing of `catalog/` and `data/`. This module closes the loop: it watches the
generator's inputs and, after each save, runs `generate` again in this (already warm)
process. `generate` rewrites only the files whose bytes changed, so MkDocs rebuilds and
the browser reloads only when something visible changed. A save that breaks validation
prints the problems and leaves the pages as they were, so the preview never shows a
half-written site.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from ..settings import CITATION_FILE, RELEASES_DIR, Settings

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
    # that MkDocs' server is stopped too instead of living on, holding the port.
    raise SystemExit(128 + signal.SIGTERM)


def serve(
    settings: Settings,
    addr: str,
    first: Callable[[], None],
    regenerate: Callable[[], None],
    env: dict,
) -> int:
    """Watch the inputs, run `first`, then `mkdocs serve` on `addr` until it exits, with
    `regenerate` run after every burst of saves meanwhile.

    `first` is the initial generation; its exceptions end the command (nothing to serve
    yet). The watcher starts before it, so a save made while it runs is not missed.
    Returns MkDocs' exit code (130 after Ctrl-C).
    """
    handler = _Debounced(regenerate, settings.root / CITATION_FILE)
    observer = Observer()
    for folder in watched(settings):
        if folder.is_dir():
            observer.schedule(handler, str(folder), recursive=True)
    observer.schedule(handler, str(settings.root), recursive=False)  # CITATION.cff
    observer.daemon = True
    observer.start()
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    server: subprocess.Popen | None = None
    try:
        first()
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "mkdocs", "serve"),
                *("--config-file", str(settings.mkdocs_yml), "--dev-addr", addr),
            ],
            env=env,
        )
        return server.wait()
    except KeyboardInterrupt:  # Ctrl-C reached MkDocs too: it stops on its own
        return 130
    finally:
        observer.stop()
        handler.close()
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        signal.signal(signal.SIGTERM, previous)
