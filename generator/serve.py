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

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .settings import CITATION_FILE, RELEASES_DIR, Settings

QUIET_SECONDS = 0.3
"""Wait this long after the last change before regenerating: editors save in several
steps (temporary file, rename), and one regeneration should cover them all."""


def watched(settings: Settings) -> list[Path]:
    """The inputs of `generate` that a contributor edits while previewing."""
    return [settings.catalog_dir, settings.data_dir, settings.root / RELEASES_DIR]


class _Debounced(FileSystemEventHandler):
    """Calls `action` once things have been quiet for `QUIET_SECONDS` after a change."""

    def __init__(self, action: Callable[[], None], citation: Path) -> None:
        self._action = action
        self._citation = citation
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._running = threading.Lock()  # one regeneration at a time, never two writers

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type in ("opened", "closed_no_write"):
            return  # reading a file (the generator itself does) is not a change
        paths = {Path(str(event.src_path)), Path(str(getattr(event, "dest_path", "") or "."))}
        if self._citation.parent in {p.parent for p in paths} and self._citation not in paths:
            return  # the project root is watched only for CITATION.cff
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(QUIET_SECONDS, self._run)
            self._timer.daemon = True
            self._timer.start()

    def _run(self) -> None:
        with self._running:
            self._action()


def watch(settings: Settings, regenerate: Callable[[], None]) -> Observer:
    """Start watching the inputs; `regenerate` runs after each burst of changes."""
    handler = _Debounced(regenerate, settings.root / CITATION_FILE)
    observer = Observer()
    for folder in watched(settings):
        if folder.is_dir():
            observer.schedule(handler, str(folder), recursive=True)
    observer.schedule(handler, str(settings.root), recursive=False)  # CITATION.cff
    observer.daemon = True
    observer.start()
    return observer


def serve(settings: Settings, addr: str, regenerate: Callable[[], None], env: dict) -> int:
    """Run `mkdocs serve` on `addr` until it exits, regenerating on every save meanwhile.

    Returns MkDocs' exit code.
    """
    observer = watch(settings, regenerate)
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "serve",
        "--config-file",
        str(settings.mkdocs_yml),
        "--dev-addr",
        addr,
    ]
    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:  # Ctrl-C reaches MkDocs too; let it finish quietly
        time.sleep(0.2)
        return 0
    finally:
        observer.stop()
