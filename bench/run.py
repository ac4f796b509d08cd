"""`make bench`: time the generator against a bare `mkdocs build` on a synthetic catalog.

Prints a table of medians with the ratios the targets in issue 7 are stated in, the
peak memory of the generator, and the sizes of the built site. With `--record`, also
writes the table, with the machine and date, to docs/benchmark.md. Synthetic data only:
see bench/synthetic.py.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from reload import save_to_reload, site_side
from synthetic import REPO, write_project

from generator.settings import GENERATED_DIRS, GENERATED_FILES

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def run(command: list[str], cwd: Path) -> tuple[float, str]:
    """Seconds the command took, and the last line it printed (the generator's summary)."""
    start = time.perf_counter()
    result = subprocess.run(
        command, cwd=cwd, env=ENV, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    seconds = time.perf_counter() - start
    return seconds, (result.stdout.decode().strip().splitlines() or [""])[-1]


def timed(command: list[str], cwd: Path) -> float:
    return run(command, cwd)[0]


def generate(root: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "generate", "--root", str(root)]


def mkdocs(root: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--quiet",
        "--config-file",
        str(root / "mkdocs.yml"),
        "--site-dir",
        str(root / "site"),
    ]


def clean(root: Path) -> None:
    """Remove everything the generator owns in docs/, and its caches: a cold start."""
    for folder in GENERATED_DIRS:
        shutil.rmtree(root / "docs" / folder, ignore_errors=True)
    for name in GENERATED_FILES:
        (root / "docs" / name).unlink(missing_ok=True)
    shutil.rmtree(root / ".cache", ignore_errors=True)


POST_ROW = (
    "github,synthetic/benchmark#{id},https://github.com/synthetic/benchmark/issues/{id},"
    "DLC-1000,,2025-01-01,PyTorch,mobile,,,,benchmark,Synthetic post added by the benchmark.\n"
)
"""A synthetic post the benchmark appends (IDs above the synthetic catalog's)."""


NOTES = "<!-- notes: written by hand, kept by --record -->"
"""Everything after this line in docs/benchmark.md is kept when results are recorded."""


def record(header: str, table: list[str], verdict: str) -> None:
    """Write the results to docs/benchmark.md, keeping the hand-written notes below them."""
    page = REPO / "docs" / "benchmark.md"
    old = page.read_text() if page.is_file() else ""
    notes = old[old.index(NOTES) :] if NOTES in old else NOTES + "\n"
    page.write_text(
        "# Benchmark\n\nMeasured by `make bench` (see `bench/`). "
        + header
        + "\n\n"
        + "\n".join(table)
        + "\n\n"
        + verdict
        + "\n\n"
        + notes
    )


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="runs per scenario")
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--record", action="store_true", help="write docs/benchmark.md")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dlc-bench-"))
    big = write_project(work / "big", posts=args.posts)
    small = write_project(work / "small", posts=args.posts // 10)

    cold = []
    for _ in range(args.repeat):
        clean(big)
        cold.append(timed(generate(big), REPO))
    build = [timed(mkdocs(big), REPO) for _ in range(args.repeat)]
    warm = [timed(generate(big), REPO) for _ in range(args.repeat)]
    before = {p: p.stat().st_mtime_ns for p in (big / "docs").rglob("*") if p.is_file()}
    timed(generate(big), REPO)
    untouched = before == {
        p: p.stat().st_mtime_ns for p in (big / "docs").rglob("*") if p.is_file()
    }
    one_post = []
    for n in range(args.repeat):
        data = sorted((big / "data").glob("*.csv"))[-1]
        with data.open("a") as handle:
            handle.write(POST_ROW.format(id=10**7 + n))
        seconds, one_post_summary = run(generate(big), REPO)
        one_post.append(seconds)
    # `catalog serve`'s warm process after each kind of save (bench/warm.py).
    served = json.loads(
        subprocess.run(
            [sys.executable, str(Path(__file__).with_name("warm.py")), str(big), str(args.repeat)],
            cwd=REPO,
            env=ENV,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    # What a contributor waits for: the save, the generator, the site, the browser.
    reloaded = save_to_reload(big, POST_ROW, args.repeat, ENV)
    page_current, all_current, pages_changed = site_side(big, POST_ROW, args.repeat, ENV)
    small_cold = []
    for _ in range(args.repeat):
        clean(small)
        small_cold.append(timed(generate(small), REPO))
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    site = big / "site"
    pages = list((site / "challenges").glob("DLC-*/index.html"))
    biggest_page = max(p.stat().st_size for p in pages) / 1024
    index_kb = (site / "search" / "search_index.json").stat().st_size / 1024
    # Find your challenge's index grows with the challenges (a bounded number of terms
    # each), not with the posts: its target is per challenge it ranks.
    find_index = site / "data" / "suggest-index.json"
    find_kb = find_index.stat().st_size / 1024
    find_per_challenge = find_kb / len(json.loads(find_index.read_text())["challenges"])
    html_pages = len(list(site.rglob("*.html")))
    site_mb = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20

    b = median(build)
    per_page_kb = index_kb / html_pages
    # (scenario, median, ratio, target, whether the target is met; None for the reference)
    rows = [
        ("bare `mkdocs build` of the generated docs", f"{b:.1f} s", "1.00", "reference", None),
        (
            "generator, cold",
            f"{median(cold):.1f} s",
            f"{median(cold) / b:.2f}",
            "≤ 0.5",
            median(cold) / b <= 0.5,
        ),
        (
            "generator, warm, nothing changed",
            f"{median(warm):.1f} s",
            f"{median(warm) / b:.2f}",
            "≤ 0.05" + ("" if untouched else " (and it wrote files!)"),
            median(warm) / b <= 0.05 and untouched,
        ),
        (
            f"generator, one post added ({one_post_summary.removeprefix('docs/: ')})",
            f"{median(one_post):.1f} s",
            "",
            "≤ 1 s",
            median(one_post) <= 1,
        ),
        *(
            row
            for name, times in served.items()
            for row in (
                (
                    f"{name} in `catalog serve`: the changed challenges' pages and charts",
                    f"{median(times['pages']):.1f} s",
                    "",
                    "≤ 1 s",
                    median(times["pages"]) <= 1,
                ),
                (
                    "… and everything else (other pages, downloads, indexes)",
                    f"{median(times['everything']):.1f} s",
                    "",
                    "≤ 2 s",
                    median(times["everything"]) <= 2,
                ),
            )
        ),
        (
            "save-to-reload in the browser (`catalog serve`, Chromium on loopback)",
            f"{median(reloaded):.1f} s",
            "",
            "≤ 2 s",
            median(reloaded) <= 2,
        ),
        (
            f"… the site side alone: the page current ({pages_changed} pages changed)",
            f"{median(page_current):.2f} s",
            "",
            "≤ 1 s",
            median(page_current) <= 1,
        ),
        (
            "… every changed page and the search index current",
            f"{median(all_current):.1f} s",
            "",
            "(in the background)",
            None,
        ),
        (
            f"cold with {args.posts:,} vs {args.posts // 10:,} posts",
            "",
            f"{median(cold) / median(small_cold):.1f}×",
            "≤ 11×",
            median(cold) / median(small_cold) <= 11,
        ),
        ("peak memory (largest process)", f"{peak_mb:.0f} MB", "", "≤ 1,024 MB", peak_mb <= 1024),
        ("largest challenge page", f"{biggest_page:.0f} KB", "", "≤ 60 KB", biggest_page <= 60),
        ("search index per page", f"{per_page_kb:.2f} KB", "", "≤ 2 KB", per_page_kb <= 2),
        (
            "Find your challenge index",
            f"{find_kb:,.0f} KB",
            f"{find_per_challenge:.2f} KB per challenge",
            "≤ 2.5 KB per challenge",
            find_per_challenge <= 2.5,
        ),
        ("whole site", f"{site_mb:.0f} MB", "", "≤ 100 MB", site_mb <= 100),
    ]
    table = ["| Scenario | Median | Ratio | Target | Met |", "| --- | ---: | ---: | --- | --- |"]
    table += [
        f"| {a} | {b_} | {c} | {d} | {'' if met is None else 'yes' if met else '**no**'} |"
        for a, b_, c, d, met in rows
    ]
    missed = [a for a, *_, met in rows if met is False]
    verdict = (
        f"Targets met: {sum(met is True for *_, met in rows)} of "
        f"{sum(met is not None for *_, met in rows)}."
        + (f" Not met: {'; '.join(missed)}." if missed else "")
    )
    header = (
        f"Synthetic catalog: 1,000 challenges, {args.posts:,} posts; {args.repeat} runs "
        f"each; {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {date.today().isoformat()}."
    )
    print(header)
    print("\n".join(table))
    print(verdict)
    if args.record:
        record(header, table, verdict)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
