"""Save-to-reload: from appending a post to a data file until the open page shows it.

Runs the real `catalog serve` on the synthetic project, opens the challenge page the
benchmark's post is labeled with in Chromium (the browser tests' one, on loopback), and
times each append until the page, reloaded by MkDocs' live-reload script, shows the new
count. Each save starts from an idle server (its process has used under 3 % of a core
for a second): one save's latency, not the previous save's background work (the
downloads `finish` writes, the preview's catch-up), which a save a second or two after
the last would also wait for. The server's own account of each save, from its log, is
printed too: waited (the quiet period after the save, plus any earlier save's work),
generate, preview (the site updated and the reload signalled) and browser (until the
reloaded page has loaded, its live-reload script polling again).
Separately, in one warm process, times the site side alone: the preview builder's
update after the generator rewrote `docs/`, until the page is current (what the browser
waits for) and until every page and the search index are.
"""

from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from find_browser import ARGS, DEBIAN_CHROMIUM, find  # noqa: E402  (the browser tests' own)

PAGE = "challenges/DLC-1000/"
COUNT = re.compile(r"Labeled posts:\s*([0-9,]+)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except OSError:
        return False


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _idle(pid: int, limit: float = 600) -> None:
    """Wait until process `pid` used under 3 % of a core over a second (an idle server
    wakes a few times a second: MkDocs' loop, the watchers)."""
    deadline, used = time.monotonic() + limit, _cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(1)
        used, before = _cpu_seconds(pid), used
        if used - before < 0.03:
            return
    raise RuntimeError("catalog serve never went idle")


def _count(tab) -> int | None:
    try:
        found = COUNT.search(tab.inner_text("article"))
    except Exception:  # the page is reloading: ask again
        return None
    return int(found.group(1).replace(",", "")) if found else None


def save_to_reload(
    root: Path, row: str, repeat: int, env: dict, gap: float | None = None
) -> list[float]:
    """Seconds from each append of `row` (formatted with a fresh id) to the page showing
    it; each append once the server is idle, or `gap` seconds after the page showed the
    last (the previous save's background work may then still run)."""
    from playwright.sync_api import sync_playwright

    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    log = (root / "serve.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "serve",
            "--root",
            str(root),
            "--addr",
            f"127.0.0.1:{port}",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    times = []
    try:
        deadline = time.monotonic() + 1800
        while not _up(base + PAGE):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"catalog serve did not start: see {root / 'serve.log'}")
            time.sleep(1)
        executable = os.environ.get("CATALOG_CHROMIUM") or find(
            DEBIAN_CHROMIUM, apt=False, download=False
        )
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(executable), args=ARGS)
            tab = browser.new_page()
            tab.goto(base + PAGE)
            for n in range(repeat):
                before = _count(tab)
                assert before is not None, "the challenge page shows no count"
                if gap is None:
                    _idle(server.pid)
                else:
                    time.sleep(gap)
                data = sorted((root / "data").glob("*.csv"))[-1]
                with data.open("a") as handle:
                    handle.write(row.format(id=4 * 10**7 + n))
                start = time.perf_counter()
                while _count(tab) != before + 1:
                    if time.perf_counter() - start > 600:
                        raise RuntimeError(
                            f"the page never showed the post: see {root / 'serve.log'}"
                        )
                    time.sleep(0.01)
                times.append(time.perf_counter() - start)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
    return times


SITE_SIDE = """
import sys, time
from pathlib import Path
from generator.settings import Settings
from generator.site.build import generate
from generator.site.preview import PreviewBuilder
settings = Settings(root=Path(sys.argv[1]))
generate(settings)
builder = PreviewBuilder(settings.mkdocs_yml, settings.root / "preview-site")
builder.build()
for n in range(int(sys.argv[2])):
    with sorted(settings.data_dir.glob("*.csv"))[-1].open("a") as handle:
        handle.write(sys.argv[3].format(id=5 * 10**7 + n))
    written = generate(settings).report.written
    start = time.perf_counter()
    rebuilt = builder.update(written)
    builder.refresh("challenges/DLC-1000/index.html")
    page = time.perf_counter() - start
    while builder.catch_up():
        pass
    print(page, time.perf_counter() - start, len(rebuilt.stale), flush=True)
builder.close()
"""
"""The site side alone, in one warm process, told what the generator wrote."""


def site_side(root: Path, row: str, repeat: int, env: dict) -> tuple[list[float], list[float], int]:
    """Seconds until the page is current, until everything is, and the pages rebuilt."""
    done = subprocess.run(
        [sys.executable, "-c", SITE_SIDE, str(root), str(repeat), row],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    rows = [line.split() for line in done.stdout.splitlines() if line.strip()]
    return (
        [float(r[0]) for r in rows],
        [float(r[1]) for r in rows],
        int(statistics.median(int(r[2]) for r in rows)),
    )


SHOWN = re.compile(
    r"save shown in ([0-9.]+) s: waited ([0-9.]+) s, generate ([0-9.]+) s, "
    r"preview ([0-9.]+) s, browser ([0-9.]+) s"
)


def breakdown(root: Path) -> str:
    """The medians of the server's account of each save (see `serve._regenerate`)."""
    rows = [m.groups() for m in SHOWN.finditer((root / "serve.log").read_text())]
    if not rows:
        return "server's account: none in serve.log"
    names = ("shown", "waited", "generate", "preview", "browser")
    medians = (statistics.median(float(r[i]) for r in rows) for i in range(len(names)))
    return "server's account (medians): " + ", ".join(
        f"{name} {m:.2f} s" for name, m in zip(names, medians, strict=True)
    )


def main() -> None:
    """`python bench/reload.py PROJECT [REPEAT [GAP]]`: this row alone, on a generated
    project; with GAP, each save GAP seconds after the last was shown instead of from an
    idle server."""
    from run import ENV, POST_ROW

    root, repeat = Path(sys.argv[1]).resolve(), int(sys.argv[2]) if len(sys.argv) > 2 else 3
    gap = float(sys.argv[3]) if len(sys.argv) > 3 else None
    totals = save_to_reload(root, POST_ROW, repeat, ENV, gap)
    print(
        "save-to-reload:",
        " ".join(f"{t:.2f}" for t in totals),
        f"median {statistics.median(totals):.2f} s",
    )
    print(breakdown(root))
    page, everything, stale = site_side(root, POST_ROW, repeat, ENV)
    print(
        f"site side, {stale} pages changed: page current",
        " ".join(f"{t:.2f}" for t in page),
        f"median {statistics.median(page):.2f} s; everything current",
        " ".join(f"{t:.2f}" for t in everything),
        f"median {statistics.median(everything):.2f} s",
    )


if __name__ == "__main__":
    main()
