"""A synthetic catalog for the benchmark: SYNTHETIC DATA, NEVER REAL, NEVER COMMITTED.

Writes a complete project (catalog, data, site skeleton) into a folder of its own with a
fixed random seed: 1,000 challenges in two taxonomies of depth 3 to 4, and any number of
posts. Every title, summary and post says it is synthetic, the posts point at a repository
named `synthetic/benchmark`, and nothing here is ever copied into `catalog/` or `data/`.
"""

from __future__ import annotations

import csv
import random
import shutil
from pathlib import Path

from generator.inputs.load import REQUIRED_COLUMNS
from generator.model.vocab import FRAMEWORKS, PLATFORMS
from generator.settings import GENERATED_DIRS, GENERATED_FILES

REPO = Path(__file__).resolve().parent.parent
SEED = 20261127
ROWS_PER_FILE = 4000  # stay under the loader's 1 MB file limit


def _tree(rng: random.Random, total: int) -> list[tuple[int, int | None]]:
    """(id, parent) pairs: two roots, ~10 categories each, then two or three more levels."""
    nodes: list[tuple[int, int | None]] = [(1, None), (2, None)]
    frontier = [1, 2]
    next_id = 3
    level = 0
    while next_id <= total:
        new = []
        for parent in frontier:
            for _ in range(10 if level == 0 else rng.randint(3, 9)):
                if next_id > total:
                    break
                nodes.append((next_id, parent))
                new.append(next_id)
                next_id += 1
        frontier = new or frontier
        level += 1
    return nodes


def write_project(folder: Path, challenges: int = 1000, posts: int = 100_000) -> Path:
    """Create the synthetic project in `folder` (which must not exist) and return it."""
    rng = random.Random(SEED)
    catalog = folder / "catalog"
    (catalog / "synthetic").mkdir(parents=True)
    (folder / "data").mkdir()
    shutil.copy(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", folder / "overrides")
    generated = set(GENERATED_DIRS) | set(GENERATED_FILES)  # the generator's, not ours
    shutil.copytree(
        REPO / "docs",
        folder / "docs",
        ignore=lambda path, names: [
            n for n in names if Path(path) == REPO / "docs" and n in generated
        ],
    )
    (catalog / "_sources.yaml").write_text(
        "synthetic:\n  authors: [Synthetic Benchmark]\n"
        "  title: Synthetic catalog for benchmarks, not a real source\n"
        "  venue: none\n  year: 2026\n"
    )
    nodes = _tree(rng, challenges)
    (catalog / "_ids.yaml").write_text(
        "ids:\n" + "".join(f"  - DLC-{cid:04d}\n" for cid, _ in nodes)
    )
    for cid, parent in nodes:
        (catalog / "synthetic" / f"c{cid:04d}.yaml").write_text(f"""id: DLC-{cid:04d}
title: Synthetic challenge {cid}
parent: {f"DLC-{parent:04d}" if parent else "null"}
summary: A synthetic challenge for the benchmark; not real content.
description: |
  Synthetic text for the benchmark. It has **some Markdown** and a
  [link](https://example.org) so that rendering does real work.
symptoms:
  - A synthetic symptom
error_messages:
  - "SyntheticError: nothing real happened here"
labeling: Synthetic labeling guidance.
recommendations:
  developers: Synthetic advice for developers.
  vendors: Synthetic advice for vendors.
  researchers: null
references:
  - source: synthetic
    locator: Section {cid}
    checked: false
""")
    leaves = sorted({cid for cid, _ in nodes} - {p for _, p in nodes if p})
    for start in range(0, posts, ROWS_PER_FILE):
        with (folder / "data" / f"synthetic-{start // ROWS_PER_FILE:03d}.csv").open(
            "w", newline=""
        ) as handle:
            writer = csv.writer(handle)
            writer.writerow(REQUIRED_COLUMNS)
            for n in range(start, min(start + ROWS_PER_FILE, posts)):
                labels = rng.sample(leaves, rng.choice((1, 1, 1, 2)))
                writer.writerow(
                    [
                        "github",
                        f"synthetic/benchmark#{n + 1}",
                        f"https://github.com/synthetic/benchmark/issues/{n + 1}",
                        f"DLC-{labels[0]:04d}",
                        ";".join(f"DLC-{x:04d}" for x in labels[1:]),
                        f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-"
                        f"{rng.randint(1, 28):02d}",
                        ";".join(rng.sample(FRAMEWORKS[:-1], rng.randint(1, 2))),
                        rng.choice(PLATFORMS),
                        "",
                        "",
                        "",
                        "benchmark",
                        f"Synthetic post {n + 1}, not a real issue.",
                    ]
                )
    return folder
