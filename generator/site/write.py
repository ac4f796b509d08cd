"""Stage 6, write: bring the generated part of `docs/` in line with the rendered output.

Owns every write to `docs/`. Called only after all pages and charts exist in
memory, so bad input never reaches this point. Each file is written to a
temporary name and renamed over the old one (atomic on POSIX), and only when
its bytes differ: an unchanged catalog rewrites nothing, which keeps MkDocs'
live reload quiet and file timestamps meaningful. Files in the generator's
folders that are no longer produced are removed.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import OutputPathError


@dataclass
class WriteReport:
    """What a sync changed, as paths relative to `docs/`."""

    written: list[str] = field(default_factory=list)
    """Files created or whose content changed."""
    unchanged: int = 0
    """Files left alone because their bytes were already right."""
    removed: list[str] = field(default_factory=list)
    """Stale generated files deleted."""


Known = dict[str, tuple[bytes, tuple[int, int]]]
"""What a process last wrote or found under `docs/`: bytes and (size, mtime) by path."""


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def sync(
    docs_dir: Path,
    owned_dirs: tuple[str, ...],
    outputs: dict[str, bytes],
    known: Known | None = None,
) -> WriteReport:
    """Write `outputs` under `docs_dir`; delete other files in `owned_dirs`.

    With `known` (kept by a warm process between runs, and brought up to date here), a
    file whose bytes are the ones known and whose size and modification time have not
    moved since is not read again to be compared: a save changes a few dozen of the
    thousands of files. Once `known` holds a run's files, what goes stale is found among
    them rather than by scanning `owned_dirs` again.
    """
    report = WriteReport()
    root = docs_dir.resolve()
    targets = {}
    # Resolved and checked once per folder: thousands of pages share a few, and a warm
    # run syncs them all after every save. A plain name in a folder inside the root is
    # inside the root.
    folders: dict[str, tuple[Path, bool]] = {}
    for rel in sorted(outputs):
        head, _, name = rel.rpartition("/")
        if head not in folders:
            folder = (root / head).resolve()
            folders[head] = (folder, folder.is_relative_to(root))
        folder, inside = folders[head]
        if not inside or rel.startswith("/") or name in ("", ".", ".."):
            raise OutputPathError(f"output path {rel!r} is outside {docs_dir}")
        targets[rel] = folder / name
    made: set[Path] = set()
    warm = bool(known)
    for rel, target in targets.items():
        data = outputs[rel]
        seen = known.get(rel) if known is not None else None
        if seen is not None and seen[0] == data and _stamp(target) == seen[1]:
            report.unchanged += 1
            continue
        try:
            if target.read_bytes() == data:
                report.unchanged += 1
                _remember(known, rel, target, data)
                continue
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            pass
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        atomic_write(target, data)
        report.written.append(rel)
        _remember(known, rel, target, data)
    if warm:
        # A warm process's later runs: remove what it wrote before and no longer produces.
        # (Its first run scans the folders below, which finds anything else left there.)
        for rel in sorted(set(known) - set(outputs)):
            del known[rel]
            path = root / rel
            if path.is_file():
                path.unlink()
                report.removed.append(rel)
            _prune(path.parent, root)
        return report
    keep = set(targets.values())
    for folder in owned_dirs:
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_file() and path not in keep:
                path.unlink()
                report.removed.append(path.relative_to(root).as_posix())
        for path in sorted(base.rglob("*"), reverse=True):  # now-empty folders, deepest first
            if path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return report


def _prune(folder: Path, root: Path) -> None:
    """Remove `folder` and its parents below `root` while they are empty."""
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _remember(known: Known | None, rel: str, target: Path, data: bytes) -> None:
    if known is not None and (stamp := _stamp(target)) is not None:
        known[rel] = (data, stamp)


def atomic_write(target: Path, data: bytes) -> None:
    """Replace `target` with `data` in one step: readers see the old or the new file."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
