"""The record of the last successful generation, so that an unchanged catalog costs nothing.

A run's fingerprint is a digest of every input (catalog, data, queues, releases,
CITATION.cff), of the generator's own code and templates, of the git commit (pages show
dates from git) and of the settings. When it matches the last run's and every output is
still where that run left it (same size and modification time), generating again would
write nothing, so `generate` stops at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from ..errors import Problem, Severity
from ..settings import CITATION_FILE, RELEASES_DIR, Settings

RECORD = "last-run.json"
"""File in `.cache/` holding the last run's fingerprint, outputs and warnings."""

_CODE = Path(__file__).parents[1]
"""The generator package: its code and templates are inputs of every run too."""


def _file_digest(path: Path) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


def fingerprint(settings: Settings, digest_of: Callable[[Path], bytes] = _file_digest) -> str:
    """A digest of everything the generated files depend on: of each file's path and
    digest. `digest_of` gives a file's digest (a warm process passes one that reads only
    the files whose status changed since its last run)."""
    digest = hashlib.sha256()
    folders = [
        settings.catalog_dir,
        settings.data_dir,
        settings.queue_dir,
        settings.root / RELEASES_DIR,
        _CODE,
    ]
    files = [settings.root / CITATION_FILE]
    # Walked with `os.walk` (`Path.rglob` costs a tenth of a second per thousand files,
    # after every save in `catalog serve`); sorted by parts, the order of paths, without
    # `Path.__lt__`'s cost per comparison. Links to folders are not followed.
    found = []
    for folder in folders:
        for top, dirs, names in os.walk(folder):
            dirs[:] = [name for name in dirs if name != "__pycache__"]
            found += [Path(top, name) for name in names]
    files += sorted(found, key=lambda p: p.parts)
    for path in files:
        if path.is_file():
            digest.update(path.as_posix().encode() + b"\0" + digest_of(path))
        elif path.is_symlink():  # a broken link is an input too: loading reports it
            digest.update(path.as_posix().encode() + b"\0->" + str(path.readlink()).encode())
    head = subprocess.run(
        ["git", "-C", str(settings.root), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    digest.update(head.stdout.encode())
    digest.update(repr(settings.strict).encode())
    return digest.hexdigest()


def _stamp(path: Path) -> list[int]:
    info = path.stat()
    return [info.st_size, info.st_mtime_ns]


def unchanged(settings: Settings, print_: str) -> tuple[int, list[Problem]] | None:
    """`(outputs, warnings)` of the last run if nothing changed since; else None."""
    path = settings.cache_dir.parent / RECORD
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if record.get("fingerprint") != print_:
        return None
    for rel, stamp in record["outputs"].items():
        target = settings.docs_dir / rel
        if not target.is_file() or _stamp(target) != stamp:
            return None
    warnings = [Problem(**{**w, "severity": Severity(w["severity"])}) for w in record["warnings"]]
    return len(record["outputs"]), warnings


def remember(settings: Settings, print_: str, outputs: list[str], warnings: list[Problem]) -> None:
    """Record a successful run (written last, so an interrupted run is never trusted)."""
    path = settings.cache_dir.parent / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "fingerprint": print_,
        "outputs": {rel: _stamp(settings.docs_dir / rel) for rel in sorted(outputs)},
        "warnings": [asdict(w) for w in warnings],
    }
    path.write_text(json.dumps(record, indent=1))
