"""Shared test helpers: build small projects inside the test, from dicts of files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from find_browser import ARGS, DEBIAN_CHROMIUM, NO_BROWSER, find

from generator.settings import GENERATED_DIRS, GENERATED_FILES, Settings

REPO = Path(__file__).resolve().parent.parent
TINY = REPO / "tests" / "fixtures" / "tiny"


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create `files` (path → content) under `root`; return `root`."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def copy_site_skeleton(root: Path) -> None:
    """Copy mkdocs.yml, the theme overrides and the hand-written part of docs/ (pages,
    scripts, styles, images), so `mkdocs build` can run."""
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", root / "overrides")
    generated = set(GENERATED_DIRS) | set(GENERATED_FILES)
    shutil.copytree(
        REPO / "docs",
        root / "docs",
        ignore=lambda folder, names: [
            n for n in names if Path(folder) == REPO / "docs" and n in generated
        ],
    )


def project_from(source: Path, root: Path) -> Settings:
    """A buildable project in `root`: `source`'s catalog and data, plus the site skeleton."""
    shutil.copytree(source / "catalog", root / "catalog")
    shutil.copytree(source / "data", root / "data")
    shutil.copy(source / "CITATION.cff", root / "CITATION.cff")
    for optional in ("releases", "queue"):
        if (source / optional).is_dir():
            shutil.copytree(source / optional, root / optional)
    copy_site_skeleton(root)
    return Settings(root=root)


@pytest.fixture
def tiny(tmp_path: Path) -> Settings:
    """A copy of the tiny fixture catalog, ready to build, in a temporary folder."""
    return project_from(TINY, tmp_path)


@pytest.fixture
def real(tmp_path: Path) -> Settings:
    """A copy of the real catalog and data, ready to build, in a temporary folder."""
    return project_from(REPO, tmp_path)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file below `folder`, by relative path (to compare whole trees)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>[a](javascript:alert(1))'
"""Markup that must never run or reach the DOM, whatever field it is put in."""


def write_hostile_entries(settings: Settings) -> None:
    """Put XSS payloads in every contributed text field of the tiny fixture: a challenge's
    prose, lists, notes and locators, a post's summary and labeler, and a study's texts.
    Some prose also links a challenge, which makes its whole block Markdown to parse."""
    tiny = settings
    text = f"""id: DLC-0004
title: Beta leaf
parent: DLC-0002
summary: "Summary [a](javascript:alert(1)) {{: onclick=alert(1)}} &lt;script&gt;"
description: |
  {XSS} See [Alpha [a](javascript:alert(1))](DLC-0003){{: onclick=alert(1)}}.

  - x [a](javascript:alert(1))
    {{: onclick=alert(1)}}
    - [<img src=x onerror=alert(1)>](DLC-0003) `[a](javascript:alert(1))`
symptoms:
  - "Symptom [a](javascript:alert(1)) *x*"
error_messages:
  - '{XSS}'
labeling: |
  {XSS}
recommendations:
  developers: |
    {XSS} [Alpha](DLC-0003)
  vendors: "[x](data:text/html,<script>alert(1)</script>)"
  researchers: '<a href="javascript:alert(1)">x</a>'
related:
  - id: DLC-0003
    note: "Note {{: onclick=alert(1)}} [a](javascript:alert(1))"
references:
  - source: study2020
    locator: "Locator [a](javascript:alert(1))"
    checked: true
"""
    write_files(tiny.root, {"catalog/leaf-b.yaml": text})
    with (tiny.data_dir / "posts.csv").open("a", encoding="utf-8") as handle:
        handle.write(
            "github,keras-team/keras#850,https://github.com/keras-team/keras/issues/850,"
            'DLC-0004,,2015-10-18,Keras,general,,,,"x [a](javascript:alert(1))",'
            '"Summary {: onclick=alert(1)} [a](javascript:alert(1)) &lt;script&gt;"\n'
        )
    study = tiny.catalog_dir / "_studies" / "study2020.yaml"
    study.write_text(
        study.read_text()
        .replace(
            "The fixture study read 120 posts and labeled 80 of them.",
            f"The fixture study read 120 posts and labeled 80 of them. {XSS} [Alpha](DLC-0003)",
        )
        .replace("The fixture's second source disagrees", f"{XSS} The second source disagrees")
    )


QUEUED_POSTS = (
    "site,post_id,url,primary_label,other_labels,created,frameworks,platform,score,"
    "answer_count,accepted_answer,labeled_by,summary,labeler_labels\n"
    "github,pytorch/pytorch#19190,https://github.com/pytorch/pytorch/issues/19190,DLC-0002,,"
    "2019-04-12,PyTorch,server,,,no,study2020,,\n"
    "github,huggingface/transformers#7922,https://github.com/huggingface/transformers/issues/"
    "7922,DLC-0002,,2020-10-20,PyTorch,server,,,yes,study2020,,\n"
    "github,jantic/DeOldify#219,https://github.com/jantic/DeOldify/issues/219,DLC-0001,,"
    "2020-04-25,PyTorch,server,,,,study2020,,\n"
    "github,MVIG-SJTU/AlphaPose#567,https://github.com/MVIG-SJTU/AlphaPose/issues/567,DLC-0004,,"
    "2020-04-22,PyTorch,browser,,,,octocat,Fixture summary four (taken from the queue).,"
    "study2020=DLC-0002\n"
)
"""Real GitHub issues (IDs, URLs and dates from `data/`) that the fixture study labeled
only coarsely: three still wait for a finer label, and one a contributor has taken."""

QUEUE = (
    "site,post_id,suggestions\n"
    "github,pytorch/pytorch#19190,DLC-0003;DLC-0004\n"
    "github,huggingface/transformers#7922,DLC-0004\n"
    "github,jantic/DeOldify#219,DLC-0002;DLC-0003;DLC-0004\n"
    "github,MVIG-SJTU/AlphaPose#567,DLC-0004;DLC-0003\n"
)
"""The fixture study's labeling queue for `QUEUED_POSTS`."""


def write_queue(settings: Settings) -> None:
    """Give the tiny fixture a labeling queue: `QUEUED_POSTS` and `queue/study2020.csv`."""
    write_files(settings.root, {"data/queued.csv": QUEUED_POSTS, "queue/study2020.csv": QUEUE})


@pytest.fixture(scope="session")
def browser():
    # `make test` finds or installs the browser first and passes its path; a bare
    # `pytest` looks without installing anything. Never skip: fail with what to run.
    executable = os.environ.get("CATALOG_CHROMIUM") or find(
        DEBIAN_CHROMIUM, apt=False, download=False
    )
    if not executable:
        pytest.fail(NO_BROWSER)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(executable), args=ARGS)
        yield chromium
        chromium.close()
