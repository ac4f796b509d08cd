"""What a warm process keeps between generations: parsed files and validated post rows.

Owns reuse across runs in one process (`catalog serve`). Parsing and validating are pure
functions of a file's text and a row's cells, so their results can be looked up by those
instead of being computed again: after a save, only the changed file is parsed and only
its new or changed rows are validated. Everything else (cross-file rules, the catalog)
is still done over the whole input on every run, so the result is the same as a cold
run's by construction.

Each run starts a new generation of entries: whatever the run looked up is carried over,
the rest is dropped at the next run, so memory stays proportional to the input.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass
class Memo(Generic[K, V]):
    """A lookup table for one pure function, kept for one run and reused by the next."""

    current: dict[K, V] = field(default_factory=dict)
    """Entries looked up or computed during this run."""
    previous: dict[K, V] = field(default_factory=dict)
    """Entries of the run before, moved to `current` when looked up again."""

    def get(self, key: K, compute: Callable[[], V]) -> V:
        """The value for `key`: this run's, the last run's, or `compute()`'s."""
        value = self.find(key)
        if value is None:
            value = compute()
            self.current[key] = value
        return value

    def find(self, key: K) -> V | None:
        """The value kept for `key`, if any (and it is kept for the next run too)."""
        if key in self.current:
            return self.current[key]
        if key in self.previous:
            value = self.current[key] = self.previous.pop(key)
            return value
        return None

    def keep(self, key: K, value: V) -> None:
        """Remember `value` for `key` (for a result that is not always worth keeping)."""
        self.current[key] = value

    def next_run(self) -> None:
        """Start a run: entries the last run did not use are forgotten."""
        self.previous, self.current = self.current, {}


@dataclass
class InputMemo:
    """The loader's and the validator's reusable results."""

    files: Memo = field(default_factory=Memo)
    """A file's parse result by its kind, path and digest (see `load`)."""
    rows: Memo = field(default_factory=Memo)
    """A validated `Post` by the row's cells, and `(row, Post)` by the row object's id
    (rows that fail their schema are not kept: their messages name the row's line)."""
    contents: Memo = field(default_factory=Memo)
    """A file's SHA-256 digest by its path, with the file's status when it was read."""

    def known(self, path: Path, status: os.stat_result) -> bytes | None:
        """The digest of `path`'s bytes as last read, if its status is still `status`.

        A save changes a file's modification and change times, so after a save only
        the saved file needs reading: the others (a thousand files, every input and the
        generator's code) keep their digest, and the parses kept under it. The change
        time (`st_ctime_ns`) cannot be set back by tools that preserve the modification
        time, and the inode tells a file replaced by a rename (as editors save) from the
        one it replaced.
        """
        kept = self.contents.find(path)
        return kept[1] if kept is not None and kept[0] == _stamp(status) else None

    def read(self, path: Path, status: os.stat_result) -> tuple[bytes, bytes]:
        """`path`'s bytes and their digest, noted with `status` (taken just before: a
        file changed meanwhile has another status by the next run, and is read again).
        The bytes are not kept: the parse made from them is, under their digest."""
        data = path.read_bytes()
        digest = hashlib.sha256(data).digest()
        self.contents.keep(path, (_stamp(status), digest))
        return data, digest

    def digest(self, path: Path) -> bytes:
        """The SHA-256 digest of `path`'s bytes (for the run's fingerprint)."""
        status = path.stat()
        return self.known(path, status) or self.read(path, status)[1]

    def next_run(self) -> None:
        """Start a run (see `Memo.next_run`)."""
        self.files.next_run()
        self.rows.next_run()
        self.contents.next_run()


def _stamp(status: os.stat_result) -> tuple[int, int, int, int]:
    return (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
