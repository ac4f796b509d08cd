"""Progress bars: drawn for a person at a terminal, never in CI, pipes or small runs."""

from __future__ import annotations

import io

import pytest

from generator.analysis import progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _at_terminal(monkeypatch) -> _Terminal:
    # Set inside the test body: pytest's output capture replaces sys.stderr again after
    # fixtures run.
    screen = _Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    monkeypatch.delenv("CI", raising=False)
    return screen


def test_a_long_run_at_a_terminal_shows_a_bar_and_passes_items_through(monkeypatch):
    terminal = _at_terminal(monkeypatch)
    items = list(range(progress.MIN_ITEMS))
    assert list(progress.bar(items, len(items), "pages")) == items
    drawn = terminal.getvalue()
    assert drawn.startswith("\rpages:   0%|") and f"| 0/{progress.MIN_ITEMS} [" in drawn


@pytest.mark.parametrize(
    ("ci", "total"), [("true", progress.MIN_ITEMS), ("", progress.MIN_ITEMS - 1)]
)
def test_ci_and_small_runs_stay_quiet(monkeypatch, ci, total):
    terminal = _at_terminal(monkeypatch)
    if ci:
        monkeypatch.setenv("CI", ci)
    assert list(progress.bar(range(total), total, "pages")) == list(range(total))
    assert terminal.getvalue() == ""


def test_a_pipe_stays_quiet(capsys):
    assert list(progress.bar(range(500), 500, "charts")) == list(range(500))
    assert capsys.readouterr().err == ""
