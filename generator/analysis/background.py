"""Run one function in a forked child process while the caller goes on.

Until the analysis is done, a generation runs on one core and the other idles; the
post downloads need only the validated catalog, so a child forked after validation can
write them meanwhile. A forked child shares the parent's memory (copy-on-write), so the
100,000 posts are not pickled across; only the result, a few large byte strings, comes
back through a pipe.

Forking is only safe from a process running a single thread on Linux; elsewhere (for
instance in `catalog serve`, which regenerates on a watcher thread) the function simply
runs in the caller, at the same point, with the same result.
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    """Whether forking this process now is safe: Linux, and no thread but this one."""
    return sys.platform == "linux" and threading.active_count() == 1


class Background(Generic[T]):
    """`function(*args)`, computed in a forked child when `can_fork()`, else at once."""

    def __init__(self, function: Callable[..., T], *args: object) -> None:
        self._process: multiprocessing.process.BaseProcess | None = None
        self._value: T | None = None
        if not can_fork():
            self._value = function(*args)
            return
        context = multiprocessing.get_context("fork")
        self._reader, writer = context.Pipe(duplex=False)
        self._process = context.Process(target=_child, args=(writer, function, args))
        self._process.start()
        writer.close()  # the child holds its end; EOF here means the child died

    def __enter__(self) -> Background[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        # Left before `result` (the caller failed): stop the child rather than leave it
        # blocked on a pipe nobody reads.
        if self._process is not None:
            self._process.terminate()
            self._process.join()
            self._reader.close()
            self._process = None

    def result(self) -> T:
        """The function's value; an exception it raised is raised here."""
        if self._process is None:
            return self._value  # type: ignore[return-value]
        try:
            ok, value = self._reader.recv()
        except EOFError:
            ok, value = False, RuntimeError("the background process ended without a result")
        finally:
            self._reader.close()
            self._process.join()
            self._process = None
        if not ok:
            raise value
        self._value = value
        return value


def _child(writer: Connection, function: Callable, args: tuple) -> None:
    # Everything inherited outlives the child: a collection walking it would write to
    # each object's header and so copy the parent's memory page by page.
    gc.freeze()
    try:
        result = (True, function(*args))
    except Exception as exc:  # handed to the parent, which raises it
        result = (False, exc)
    writer.send(result)
    writer.close()
