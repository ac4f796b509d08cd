"""A function run in a forked child: the same value, the same exception, no stray child."""

from __future__ import annotations

import os
import threading
import time

import pytest

from generator.analysis.background import Background, can_fork


def _pid_and(value: bytes) -> tuple[int, bytes]:
    return os.getpid(), value * 2


def _fail() -> None:
    raise ValueError("bad input in the child")


def _sleep_forever() -> None:
    time.sleep(3600)


def test_a_forked_child_computes_the_value_and_sends_it_back():
    assert can_fork(), (
        threading.enumerate()
    )  # pytest's main thread, on Linux: the fork path is the one tested
    big = b"x" * 5_000_000  # larger than a pipe's buffer
    with Background(_pid_and, big) as job:
        pid, value = job.result()
    assert pid != os.getpid() and value == big * 2
    assert job.result() == (pid, value)  # asked again: the same, no second child


def test_from_a_second_thread_it_runs_inline_with_the_same_value():
    seen: list = []
    worker = threading.Thread(target=lambda: seen.append(Background(_pid_and, b"ab").result()))
    worker.start()
    worker.join()
    assert seen == [(os.getpid(), b"abab")]  # no fork with threads running


def test_an_exception_in_the_child_is_raised_in_the_parent():
    with Background(_fail) as job, pytest.raises(ValueError, match="bad input in the child"):
        job.result()


def test_leaving_early_stops_the_child():
    with Background(_sleep_forever) as job:
        child = job._process
        assert child is not None and child.is_alive()
    assert not child.is_alive()


def test_the_child_never_collects_what_it_inherited():
    # Collecting the parent's objects would write to each one's header and so copy the
    # parent's memory page by page; the child sets them aside first.
    import gc

    before = gc.get_freeze_count()
    with Background(gc.get_freeze_count) as job:
        assert job.result() > before
    assert gc.get_freeze_count() == before  # the parent's collector is left as it was
