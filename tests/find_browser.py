"""Find, or install, the Chromium the browser tests drive; print its path.

`make test` runs this before pytest, so a newcomer's one command also sets up the browser.
The order is the project's rule for browsers:

1. Debian's `chromium` at /usr/bin/chromium, when it is there (CI and our machines).
2. As root on a Debian-like system: install it with apt-get, as a fresh CI machine must.
3. A Chromium Playwright already has (a contributor's laptop that ran
   `playwright install` for another project).
4. `python -m playwright install chromium`, where downloading a browser works
   (a laptop, GitHub's runners).

When none can be had it exits 1 with one line that says what to run: the browser tests
are never skipped silently. The path is printed on stdout, and nothing else is, so the
Makefile can pass it to pytest in `CATALOG_CHROMIUM`; what each step does goes to stderr.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Chromium's flags for the tests: no sandbox (containers), no GPU, no request of its own."""

NO_BROWSER = (
    "no Chromium for the browser tests: run `sudo apt-get install chromium` (Debian) or "
    "`.venv/bin/python -m playwright install chromium`, then `make test` again"
)


def _say(text: str) -> None:
    print(f"find_browser: {text}", file=sys.stderr)


def _apt_install(target: Path) -> bool:
    """Install Debian's chromium when we are root and apt-get exists; True if it is there."""
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return False
    _say("installing Debian's chromium with apt-get (a minute or two)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=False)
        if done.returncode != 0:
            _say(f"`{' '.join(command)}` failed (exit {done.returncode})")
            return False
    return target.exists()


def _playwright_chromium() -> Path | None:
    """The Chromium that Playwright manages, if it has been downloaded."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # run outside the project's venv
        return None
    with sync_playwright() as playwright:
        path = Path(playwright.chromium.executable_path)
    return path if path.exists() else None


def _playwright_install() -> bool:
    """Download Playwright's Chromium; False where downloads are not possible."""
    _say("downloading Playwright's Chromium (`python -m playwright install chromium`)")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "playwright", "install", "chromium"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=600,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0


def find(debian: Path, *, apt: bool, download: bool) -> Path | None:
    """The first browser the rules above give, or None."""
    if debian.exists():
        return debian
    if apt and _apt_install(debian):
        return debian
    found = _playwright_chromium()
    if found is None and download and _playwright_install():
        found = _playwright_chromium()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--debian", type=Path, default=DEBIAN_CHROMIUM, help="Debian's path")
    parser.add_argument("--no-apt", action="store_true", help="never run apt-get")
    parser.add_argument("--no-download", action="store_true", help="never download a browser")
    args = parser.parse_args(argv)
    found = find(args.debian, apt=not args.no_apt, download=not args.no_download)
    if found is None:
        print(NO_BROWSER, file=sys.stderr)
        return 1
    print(found)
    return 0


if __name__ == "__main__":
    sys.exit(main())
