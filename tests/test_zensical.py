"""The site also builds under Zensical, Material for MkDocs' successor, from the same
mkdocs.yml and theme overrides, as the README and mkdocs.yml claim.

Zensical is pinned in the test extras. When it is not installed these tests fail, never
skip: a skipped check would let the claim rot unnoticed.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import subprocess
import sys
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from sitecheck import crawl, dangerous, serve

from conftest import REPO, project_from, write_files, write_hostile_entries


def zensical() -> list[str]:
    """The command that runs the installed Zensical; fails the test if there is none."""
    if importlib.util.find_spec("zensical") is None:
        pytest.fail(
            "Zensical is not installed in this environment: `pip install -e '.[test]'` "
            "installs the pinned version (the site must also build under Zensical).",
            pytrace=False,
        )
    return [sys.executable, "-m", "zensical"]


def _run(command: list[str], cwd: Path, what: str) -> None:
    """Run `command`; fail the test with its (colourless) output if it fails."""
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        output = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)
        tail = "\n".join(output.splitlines()[-40:])
        pytest.fail(f"{what} failed (exit {done.returncode}):\n{tail}", pytrace=False)


def build_with_zensical(root: Path) -> Path:
    """Generate the Markdown of the project in `root`, build it with `zensical build
    --strict` (which reads mkdocs.yml and writes site/ next to it), return site/."""
    command = zensical()
    # Run from the checkout, so `-m generator` is the code under test, not whichever
    # copy is installed (a worktree shares its virtual environment with the main one).
    _run([sys.executable, "-m", "generator", "generate", "--root", str(root)], REPO, "generate")
    build = [*command, "build", "--strict", "-f", str(root / "mkdocs.yml")]
    _run(build, root, f"Zensical {importlib.metadata.version('zensical')}")
    return root / "site"


def registered_ids(catalog_dir: Path) -> list[str]:
    """Every challenge ID ever issued: each keeps its page, merged or retired."""
    return yaml.safe_load((catalog_dir / "_ids.yaml").read_text(encoding="utf-8"))["ids"]


def challenges(catalog_dir: Path) -> dict[str, dict]:
    """The challenge entries of the catalog, by ID."""
    found = {}
    for path in sorted(catalog_dir.rglob("*.yaml")):
        if any(part.startswith("_") for part in path.relative_to(catalog_dir).parts):
            continue  # the ID register, the bibliography, the studies
        entry = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[entry["id"]] = entry
    return found


def missing_pages(site: Path, ids: Iterable[str]) -> list[str]:
    """The pages a reader expects that `site` lacks: the home page and one per challenge."""
    wanted = ["index.html", *(f"challenges/{cid}/index.html" for cid in ids)]
    return [rel for rel in wanted if not (site / rel).is_file()]


class _MetaTags(HTMLParser):
    """The `<meta>` tags of a page, by `property`, `name` or `http-equiv`."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            attributes = dict(attrs)
            key = attributes.get("property") or attributes.get("name")
            key = key or attributes.get("http-equiv")
            if key:
                self.tags[key] = attributes.get("content")


def meta_tags(page: Path) -> dict[str, str | None]:
    parser = _MetaTags()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser.tags


def check_site(site: Path, catalog_dir: Path) -> dict[str, dict]:
    """Every registered challenge has its page, with the overrides' link previews, and a
    merged one sends readers on to its successor; return the challenges, by ID."""
    ids = registered_ids(catalog_dir)
    entries = challenges(catalog_dir)
    assert ids and set(entries) <= set(ids)
    assert missing_pages(site, ids) == []
    # Zensical renders its 404 page as a page without front matter: the page that used
    # to stop the build in overrides/main.html.
    assert (site / "404.html").is_file()
    for cid, entry in entries.items():
        tags = meta_tags(site / "challenges" / cid / "index.html")
        assert tags.get("og:title") == entry["title"], cid
        assert tags.get("og:description"), cid
        redirect = f"0; url=../{entry['merged_into']}/" if entry.get("merged_into") else None
        assert tags.get("refresh") == redirect, cid
    return entries


@pytest.fixture(scope="module")
def real_zensical_site(tmp_path_factory) -> tuple[Path, Path]:
    """The real catalog built once with Zensical for the module: (project root, site/)."""
    root = tmp_path_factory.mktemp("real-zensical")
    project_from(REPO, root)
    return root, build_with_zensical(root)


@pytest.mark.slow
def test_zensical_builds_every_challenge_page_of_the_real_catalog(real_zensical_site):
    root, site = real_zensical_site
    check_site(site, root / "catalog")
    assert meta_tags(site / "index.html").get("og:title")


@pytest.mark.slow
@pytest.mark.parametrize("prefix", ["", "dl-challenge-catalog/"], ids=["root", "sub-path"])
def test_zensical_site_has_no_broken_links(real_zensical_site, prefix):
    """Every internal link and anchor of the Zensical build resolves, and its pages are
    well formed, served at the root and under a sub-path as on a GitHub Pages project site.

    Zensical resolves every relative href, raw HTML included, against the page's Markdown
    file; MkDocs rewrites only Markdown links to .md files and leaves raw HTML as it is.
    A raw `<a href="../DLC-0016/">` on challenges/DLC-0017.md is right under MkDocs and
    becomes `../../DLC-0016/` under Zensical; on a top-level page the extra `../` only
    goes unnoticed at the root of a domain, hence the sub-path. So the pages link other
    pages with Markdown links only (see `markup.prose` and the matrix).
    """
    root, site = real_zensical_site
    with serve(site, prefix) as base:
        report = crawl(base, prefix)
    assert report.pages > len(registered_ids(root / "catalog")), "the crawl missed pages"
    assert report.problems == [], f"{len(report.problems)} problems, e.g. {report.problems[:5]}"


@pytest.mark.slow
def test_zensical_keeps_the_merged_challenges_page_and_redirect(tiny):
    """The real catalog has no merged or retired challenge yet; the tiny fixture has both."""
    site = build_with_zensical(tiny.root)
    entries = check_site(site, tiny.catalog_dir)
    statuses = {entry.get("status") for entry in entries.values()}
    assert {"merged", "retired"} <= statuses


@pytest.mark.slow
def test_injected_markup_never_reaches_the_zensical_html(tiny):
    """As test_build checks for MkDocs: Zensical renders with the same Python-Markdown
    but rewrites the HTML's links itself, so its pages are audited too."""
    write_hostile_entries(tiny)
    site = build_with_zensical(tiny.root)
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 8
    found = {p.relative_to(site).as_posix(): dangerous(p.read_text()) for p in pages}
    assert {page: what for page, what in found.items() if what} == {}


def test_missing_pages_names_a_deleted_challenge_page_and_the_home_page(tmp_path):
    pages = ["index.html", "challenges/DLC-0001/index.html", "challenges/DLC-0002/index.html"]
    site = write_files(tmp_path, dict.fromkeys(pages, "<html></html>"))
    assert missing_pages(site, ["DLC-0001", "DLC-0002"]) == []
    (site / "challenges/DLC-0002/index.html").unlink()
    (site / "index.html").unlink()
    assert missing_pages(site, ["DLC-0001", "DLC-0002", "DLC-0003"]) == [
        "index.html",
        "challenges/DLC-0002/index.html",
        "challenges/DLC-0003/index.html",
    ]
