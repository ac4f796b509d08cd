"""Progress bars for the long stages, shown only to a person watching a terminal.

A large catalog takes tens of seconds to draw and render; a bar says the run is alive and
how far it got. tqdm draws it on stderr, so stdout (the run's one-line summary) stays
clean for scripts. In CI, in tests and when stderr is not a terminal, the bars are off:
logs stay readable and byte-for-byte the same from run to run.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")

# tqdm's monitor thread only nudges bars that stall; a live thread would make the chart
# workers' fork unsafe (see charts._pool_context), so there is none.
tqdm.monitor_interval = 0

MIN_ITEMS = 200
"""Fewer items than this finish too fast for a bar to help; the real catalog stays quiet."""


def shown(total: int) -> bool:
    """Whether a bar over `total` items is drawn: a terminal, not CI, and enough items."""
    return total >= MIN_ITEMS and sys.stderr.isatty() and not os.environ.get("CI")


def bar(items: Iterable[T], total: int, what: str) -> Iterator[T]:
    """`items`, unchanged, with a bar counting them as `what` when `shown(total)`."""
    if not shown(total):
        return iter(items)  # not even a disabled tqdm: no object, no thread
    return iter(tqdm(items, total=total, desc=what, unit="", leave=False, file=sys.stderr))
