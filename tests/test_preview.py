"""The preview's incremental site builder gives what a full `mkdocs build` gives.

After each edit of a seeded random sequence (a challenge page's text, its tags, its
title, the tags page, a page in the navigation, a stylesheet; a page added, a page
removed), the builder's site is compared with a plain `mkdocs build` of the same
`docs/`: every file byte for byte, and the search index as parsed JSON too, order
included. What legitimately differs is only added at serve time: the live-reload script
that MkDocs' server injects into each HTML page as it sends it is never in the files.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import tree_bytes
from generator.settings import Settings
from generator.site.build import generate, mkdocs_env
from generator.site.preview import PreviewBuilder

pytestmark = pytest.mark.slow

SEED = 20261130
STEPS = 2


def _full_build(settings: Settings, folder: Path) -> dict[str, bytes]:
    subprocess.run(
        [
            *(sys.executable, "-m", "mkdocs", "build", "--quiet"),
            *("--config-file", str(settings.mkdocs_yml), "--site-dir", str(folder)),
        ],
        check=True,
        env=mkdocs_env(),
    )
    return tree_bytes(folder)


def _assert_same_site(preview: Path, settings: Settings, folder: Path) -> None:
    expected, got = _full_build(settings, folder), tree_bytes(preview)
    assert sorted(got) == sorted(expected)
    index = "search/search_index.json"
    assert json.loads(got[index]) == json.loads(expected[index])
    assert [name for name in expected if got[name] != expected[name]] == []


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _edits(docs: Path) -> dict[str, Callable[[int], str]]:
    """Each edit, applied at step n; returns what the builder should do ("full" or "")."""
    leaf = docs / "challenges" / "DLC-0003.md"

    def text(n: int) -> str:
        _edit(leaf, "\n# ", f"\nA sentence added at step {n}.\n\n# ")
        return ""

    def tags(n: int) -> str:
        _edit(leaf, "tags:\n", f'tags:\n  - "Step {n}"\n')
        return ""

    def title(n: int) -> str:  # not in the navigation, but the tags page lists it
        _edit(leaf, 'title: "', f'title: "Step {n} ')
        return ""

    def tags_page(n: int) -> str:
        _edit(docs / "tags.md", "# Tags\n", f"# Tags\n\nStep {n}.\n")
        return ""

    def nav_page_body(n: int) -> str:
        _edit(docs / "about.md", "\n## ", f"\nStep {n}.\n\n## ")
        return ""

    def nav_page_meta(n: int) -> str:  # what the navigation shows of it may change
        about = docs / "about.md"
        about.write_text(f"---\nsearch:\n  boost: {n + 2}\n---\n" + about.read_text())
        return "full"

    def stylesheet(n: int) -> str:
        with (docs / "stylesheets" / "extra.css").open("a") as handle:
            handle.write(f"/* step {n} */\n")
        return ""

    def add_page(n: int) -> str:
        (docs / "challenges" / f"DLC-09{n:02d}.md").write_text(f"# Added at step {n}\n\nText.\n")
        return "full"

    def remove_page(n: int) -> str:
        added = sorted((docs / "challenges").glob("DLC-09*.md"))
        (added[0] if added else docs / "challenges" / "DLC-0004.md").unlink()
        return "full"

    return {
        f.__name__: f
        for f in (
            text,
            tags,
            title,
            tags_page,
            nav_page_body,
            nav_page_meta,
            stylesheet,
            add_page,
            remove_page,
        )
    }


def test_the_incremental_site_equals_a_full_build_after_every_edit(tiny, tmp_path):
    generate(tiny)
    preview = tmp_path / "preview"
    builder = PreviewBuilder(tiny.mkdocs_yml, preview)
    assert builder.build().full == "first build"
    _assert_same_site(preview, tiny, tmp_path / "full-0")
    edits = _edits(tiny.docs_dir)
    rng = random.Random(SEED)
    # Every edit once, then a few more at random: seeded, so a failure replays.
    order = rng.sample(sorted(edits), len(edits)) + rng.choices(sorted(edits), k=STEPS)
    for n, name in enumerate(order, 1):
        expected = edits[name](n)
        rebuilt = builder.build()
        assert bool(rebuilt.full) == (expected == "full"), (name, rebuilt)
        _assert_same_site(preview, tiny, tmp_path / f"full-{n}")
    builder.close()


def test_a_page_asked_for_is_rebuilt_first_and_the_search_index_waits_for_all(tiny, tmp_path):
    generate(tiny)
    preview = tmp_path / "preview"
    builder = PreviewBuilder(tiny.mkdocs_yml, preview)
    builder.build()
    docs = tiny.docs_dir
    _edit(docs / "challenges" / "DLC-0003.md", "tags:\n", 'tags:\n  - "Fresh tag"\n')
    _edit(docs / "challenges" / "DLC-0004.md", "\n# ", "\nA fresh sentence.\n\n# ")
    # Told which files changed, as the generator's write report could tell it.
    rebuilt = builder.update(["challenges/DLC-0003.md", "challenges/DLC-0004.md"])
    assert (rebuilt.full, rebuilt.stale) == (
        "",
        ["challenges/DLC-0003.md", "challenges/DLC-0004.md"],
    )
    page = preview / "challenges" / "DLC-0004" / "index.html"
    assert "A fresh sentence." not in page.read_text()
    builder.refresh("challenges/DLC-0004/index.html")
    assert "A fresh sentence." in page.read_text()
    assert "Fresh tag" not in (preview / "tags" / "index.html").read_text()  # not asked for yet
    builder.refresh("search/search_index.json")  # waits for every stale page and the tags
    assert "Fresh tag" in (preview / "tags" / "index.html").read_text()
    assert builder.catch_up() is False  # nothing left to do
    _assert_same_site(preview, tiny, tmp_path / "full")
    builder.close()
