"""The whole pipeline: determinism, nothing written on bad input, real MkDocs builds."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from sitecheck import dangerous

from conftest import REPO, project_from, tree_bytes, write_files, write_hostile_entries
from generator.errors import SiteBuildFailed, ValidationFailed
from generator.site.build import build_site, generate


def test_same_input_gives_byte_identical_docs(tiny, tmp_path_factory):
    other = project_from(tiny.root, tmp_path_factory.mktemp("again"))
    generate(tiny)
    generate(other)
    first, second = tree_bytes(tiny.docs_dir), tree_bytes(other.docs_dir)

    assert first == second
    assert any(name.endswith(".svg") for name in first)


def test_regenerating_unchanged_input_writes_nothing(tiny):
    first = generate(tiny).report
    total = len(first.written)
    assert total > 6 * 2 and first.unchanged == 0  # at least every page and its chart
    before = {p: p.stat().st_mtime_ns for p in tiny.docs_dir.rglob("*") if p.is_file()}
    second = generate(tiny).report
    assert (second.written, second.removed, second.unchanged) == ([], [], total)
    assert before == {p: p.stat().st_mtime_ns for p in tiny.docs_dir.rglob("*") if p.is_file()}


def test_one_post_rewrites_only_the_pages_it_touches(tiny):
    generate(tiny)
    before = tree_bytes(tiny.docs_dir)
    stamps = {p: p.stat().st_mtime_ns for p in tiny.docs_dir.rglob("*") if p.is_file()}
    with (tiny.data_dir / "posts.csv").open("a", encoding="utf-8") as handle:
        handle.write(  # inside the years already charted, so no other leaf's axis grows
            "github,keras-team/keras#850,https://github.com/keras-team/keras/issues/850,"
            "DLC-0004,,2019-10-18,Keras,general,,,,fixture,Fixture summary four.\n"
        )
    report = generate(tiny).report
    after = tree_bytes(tiny.docs_dir)

    changed = {path for path in after if before.get(path) != after[path]}
    assert set(report.written) == changed and report.removed == []
    for page in ("DLC-0004.md", "charts/DLC-0004.svg", "DLC-0002.md", "DLC-0001.md"):
        assert f"challenges/{page}" in changed  # the leaf, then its ancestors' counts
    untouched = {"challenges/DLC-0005.md", "challenges/charts/DLC-0005.svg", "verify.md"}
    assert untouched <= set(after) - changed
    for path, stamp in stamps.items():  # files with the same bytes were not even rewritten
        if path.relative_to(tiny.docs_dir).as_posix() not in changed:
            assert path.stat().st_mtime_ns == stamp, path


def test_an_unchanged_generate_does_not_import_the_heavy_stages(tiny):
    # The no-change path must stay cheap: pandas, matplotlib, pydantic and scikit-learn
    # (the suggest index) cost about a second each to import, many times what checking the
    # run record costs.
    total = len(generate(tiny).report.written)
    probe = (
        "import runpy, sys\n"
        "sys.argv = ['catalog', 'generate', '--root', sys.argv[1]]\n"
        "try:\n    runpy.run_module('generator', run_name='__main__')\n"
        "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "heavy = ('pandas', 'matplotlib', 'pydantic', 'sklearn')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(tiny.root)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    assert result.stdout.splitlines() == [f"docs/: 0 written, {total} unchanged, 0 removed", "[]"]


def test_stale_generated_files_are_deleted(tiny):
    generate(tiny)
    path = tiny.catalog_dir / "_studies/study2020.yaml"
    path.write_text(path.read_text().replace("    reported_posts: 40\n", ""))  # alpha's count
    write_files(tiny.root, {"docs/challenges/DLC-0099.md": "left over", "docs/about.md": "mine"})
    report = generate(tiny).report
    assert report.removed == ["challenges/DLC-0099.md", "challenges/charts/DLC-0002-reported.svg"]
    assert (tiny.docs_dir / "about.md").read_text() == "mine"  # not the generator's to remove


BROKEN_ENTRIES = {
    "bad YAML": {"catalog/leaf-b.yaml": "id: DLC-0004\nparent: [broken\n"},
    "unknown parent": {
        "catalog/leaf-b.yaml": lambda text: text.replace("parent: DLC-0002", "parent: DLC-0099")
    },
    "duplicate ID": {
        "catalog/leaf-b.yaml": lambda text: text.replace("id: DLC-0004", "id: DLC-0003")
    },
    "unknown label": {"data/posts.csv": lambda text: text.replace(",DLC-0002,", ",DLC-0077,")},
}


@pytest.mark.slow
def test_broken_entry_leaves_docs_and_site_untouched(tiny):
    build_site(tiny)
    docs, site = tree_bytes(tiny.docs_dir), tree_bytes(tiny.site_dir)
    originals = {p: (tiny.root / p).read_text() for edits in BROKEN_ENTRIES.values() for p in edits}
    for kind, edits in BROKEN_ENTRIES.items():
        for rel, edit in edits.items():
            (tiny.root / rel).write_text(edit(originals[rel]) if callable(edit) else edit)
        with pytest.raises(ValidationFailed) as caught:
            build_site(tiny)
        assert all(
            p.file and p.line and (p.field or "YAML" in p.message) for p in caught.value.problems
        ), kind
        assert tree_bytes(tiny.docs_dir) == docs, kind
        assert tree_bytes(tiny.site_dir) == site, kind
        for rel, text in originals.items():
            (tiny.root / rel).write_text(text)


@pytest.mark.slow
def test_broken_link_fails_the_build_and_keeps_the_old_site(tiny):
    build_site(tiny)
    site = tree_bytes(tiny.site_dir)
    write_files(tiny.root, {"docs/about.md": "# About\n\n[gone](challenges/DLC-0999.md)\n"})
    with pytest.raises(SiteBuildFailed, match=r"DLC-0999\.md"):
        build_site(tiny)
    assert tree_bytes(tiny.site_dir) == site
    assert not (tiny.root / "site.new").exists()


@pytest.mark.slow
def test_fixture_site_builds_strict_with_every_page(tiny):
    build_site(tiny)
    for cid in ("DLC-0001", "DLC-0002", "DLC-0003", "DLC-0004", "DLC-0005", "DLC-0006"):
        html = (tiny.site_dir / "challenges" / cid / "index.html").read_text()
        assert f'src="../charts/{cid}.svg"' in html
        assert html.count("<h1") == 1
    assert (tiny.site_dir / "challenges/charts/DLC-0002.svg").is_file()
    for page in tiny.site_dir.rglob("index.html"):
        html = page.read_text()
        # Link previews and the footer's links to the downloads, on every page.
        assert '<meta property="og:title" content="' in html, page
        assert '<meta property="og:description" content="' in html, page
        assert ">Downloads and data dictionary</a>" in html, page
    for name in ("catalog.json", "challenges.csv", "posts.csv", "edges.csv"):
        assert (tiny.site_dir / "data" / name).is_file()
    assert (tiny.site_dir / "ids.json").is_file() and (tiny.site_dir / "data/index.html").is_file()
    # Challenge pages stay out of the navigation: no page links to them from the nav.
    home = (tiny.site_dir / "index.html").read_text()
    nav = home[home.index('<nav class="md-nav md-nav--primary"') :]
    nav = nav[: nav.index("</nav>")]
    assert "DLC-0003" not in nav
    # Material's search honours the exclusions: no table, post list or citation is indexed.
    index = json.loads((tiny.site_dir / "search/search_index.json").read_text())
    sections = {doc["location"] for doc in index["docs"]}
    assert "challenges/DLC-0003/#description" in sections
    excluded = ("#example-posts", "#references", "#cite-this-challenge")
    assert not [s for s in sections if s.startswith("challenges/") and s.endswith(excluded)]
    assert not [doc for doc in index["docs"] if "Fixture summary" in doc["text"]]
    head = next(d for d in index["docs"] if d["location"] == "challenges/DLC-0003/")
    assert "DLC-0003" in head["text"] and "Old alpha" in head["text"]  # ID, former title
    assert "Labeled posts:" not in head["text"]
    branch = next(d for d in index["docs"] if d["location"] == "challenges/DLC-0002/")
    assert "DLC-0002" in branch["text"] and "Not yet checked" not in branch["text"]
    assert "Not yet checked" in (tiny.site_dir / "challenges/DLC-0002/index.html").read_text()


@pytest.mark.slow
def test_real_catalog_builds_strict(real):
    generated = build_site(real)
    # Warnings allowed on main: challenges without a real post yet, and scaffold hints.
    allowed = {"no example posts yet", "still holds the scaffold's hint"}
    assert {w.message for w in generated.warnings} <= allowed
    for cid, challenge in generated.catalog.challenges.items():
        html = (real.site_dir / "challenges" / cid / "index.html").read_text()
        assert challenge.id in html
        assert re.search(
            rf'<img alt="Bar chart of labeled posts[^"]*" src="\.\./charts/{cid}\.svg"', html
        )
        for heading in ("For application developers", "For framework vendors", "For researchers"):
            assert heading in html
        assert "<table>" in html
        assert (real.site_dir / "challenges" / "charts" / f"{cid}.svg").is_file()


@pytest.mark.slow
def test_injected_markup_never_reaches_the_html(tiny):
    """Every prose and list field of a challenge carries payloads; the built HTML has none."""
    write_hostile_entries(tiny)
    build_site(tiny)
    pages = list(tiny.site_dir.rglob("*.html"))
    assert len(pages) > 8
    for page in pages:
        assert dangerous(page.read_text()) == [], page


def test_the_audit_catches_what_it_looks_for():
    assert dangerous(
        '<p onclick="x">a</p><a href="javascript:x">b</a><script>alert(1)</script>'
    ) == ["<p onclick>", "<a href=javascript:x>", "<script>alert(1)"]
    assert dangerous('<meta content="x onclick=alert(1) [a](javascript:alert(1))">') == []


def test_an_unchanged_catalog_is_not_even_read_again(tiny, monkeypatch):
    generate(tiny)
    import generator.site.build as build

    def fail(_settings):
        raise AssertionError("the catalog was loaded again")

    monkeypatch.setattr(build, "check", fail)
    report = generate(tiny).report
    assert report.written == [] and report.unchanged > 20
    (tiny.docs_dir / "index.md").unlink()  # a deleted output makes the next run a real one
    monkeypatch.undo()
    assert generate(tiny).report.written == ["index.md"]


def test_the_validated_catalog_is_hidden_from_the_collector(tiny):
    # The collector walked the catalog's objects again and again, and in forked
    # children wrote to each one (copying the parent's memory): frozen instead.
    import gc

    from generator.site.build import validated_for_the_run

    catalog, _ = validated_for_the_run(tiny)
    try:
        assert gc.is_tracked(catalog.challenges)
        assert id(catalog.challenges) not in {id(obj) for obj in gc.get_objects()}
    finally:
        gc.unfreeze()  # for the other tests
