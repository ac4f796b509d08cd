"""What `catalog serve` does after a save, timed: regenerate in a process that ran once.

Run as `python warm.py PROJECT REPEAT` on a synthetic project (bench/synthetic.py). In one
process, as `catalog serve` keeps it, a first full run, then REPEAT saves of each kind:
a post appended to a data file, one challenge's description edited, one challenge moved
to another parent (and back, alternately). For each save it times `generate` (the pages
and charts of the challenges whose figures or text changed: what the preview shows
first) and `generate` + `finish` (everything: the site's other pages, the downloads and
the indexes too). Prints JSON.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

from run import POST_ROW

from generator.settings import Settings
from generator.site.warm import WarmGenerator

EDITED = "DLC-1000"
"""The challenge whose text is edited."""

MOVED, PARENTS = "DLC-1000", ("DLC-0004", "DLC-0003")
"""The challenge moved, and the two parents it moves between (it starts under DLC-0003)."""


def _file(settings: Settings, cid: str) -> Path:
    return settings.catalog_dir / "synthetic" / f"c{int(cid[4:]):04d}.yaml"


RUN = time.time_ns() // 1000 % 10**6
"""Tells this run's posts from an earlier run's on the same project (IDs stay unique)."""


def add_post(settings: Settings, n: int) -> None:
    with sorted(settings.data_dir.glob("*.csv"))[-1].open("a") as handle:
        handle.write(POST_ROW.format(id=3 * 10**7 + RUN * 10 + n))


def edit_text(settings: Settings, n: int) -> None:
    path = _file(settings, EDITED)
    text = re.sub(
        r"rendering does real work\.[^\n]*",
        f"rendering does real work. Edit {n}.",
        path.read_text(),
    )
    path.write_text(text)


def move(settings: Settings, n: int) -> None:
    path = _file(settings, MOVED)
    text = path.read_text()
    # Always to the other parent, so that every save is a move (also on a project an
    # earlier run left with the challenge moved).
    parent = PARENTS[1] if f"parent: {PARENTS[0]}\n" in text else PARENTS[0]
    path.write_text(re.sub(r"^parent: .*$", f"parent: {parent}", text, flags=re.M))


SCENARIOS = {
    "one post added": add_post,
    "one challenge's text edited": edit_text,
    "one challenge moved to another parent": move,
}


def main() -> None:
    settings = Settings(root=Path(sys.argv[1]))
    repeat = int(sys.argv[2])
    (settings.root / ".cache" / "last-run.json").unlink(missing_ok=True)  # a full first run
    warm = WarmGenerator(settings)
    warm.generate()
    warm.finish()
    results = {}
    for name, save in SCENARIOS.items():
        pages, everything = [], []
        for n in range(repeat):
            save(settings, n)
            start = time.perf_counter()
            warm.generate()
            pages.append(time.perf_counter() - start)
            warm.finish()
            everything.append(time.perf_counter() - start)
        results[name] = {"pages": pages, "everything": everything}
    print(json.dumps(results))


if __name__ == "__main__":
    main()
