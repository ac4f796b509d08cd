"""`make test` finds its browser or stops with one line that says what to run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from find_browser import NO_BROWSER

from conftest import REPO

SCRIPT = REPO / "tests" / "find_browser.py"


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # An empty PLAYWRIGHT_BROWSERS_PATH hides any browser Playwright has downloaded.
    env = {**os.environ, "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path / "none")}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, env=env, check=False
    )


def test_debian_chromium_comes_first(tmp_path):
    chromium = tmp_path / "chromium"
    chromium.write_text("#!/bin/sh\n")
    done = _run(tmp_path, "--debian", str(chromium), "--no-apt", "--no-download")
    assert (done.returncode, done.stdout, done.stderr) == (0, f"{chromium}\n", "")


def test_no_browser_to_be_had_fails_with_one_line_saying_what_to_run(tmp_path):
    done = _run(tmp_path, "--debian", str(tmp_path / "missing"), "--no-apt", "--no-download")
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == NO_BROWSER + "\n"
    assert NO_BROWSER == (
        "no Chromium for the browser tests: run `sudo apt-get install chromium` (Debian) or "
        "`.venv/bin/python -m playwright install chromium`, then `make test` again"
    )
