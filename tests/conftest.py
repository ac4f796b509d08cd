"""Shared test helpers: build small projects inside the test, from dicts of files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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
    """Copy mkdocs.yml and the hand-written docs pages, so `mkdocs build` can run."""
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    docs = root / "docs"
    docs.mkdir(exist_ok=True)
    for page in (REPO / "docs").glob("*.md"):
        if page.name not in GENERATED_FILES:
            shutil.copy(page, docs / page.name)
    for folder in GENERATED_DIRS:
        assert not (docs / folder).exists()


@pytest.fixture
def tiny(tmp_path: Path) -> Settings:
    """A copy of the tiny fixture catalog with the site skeleton, in a temporary folder."""
    shutil.copytree(TINY / "catalog", tmp_path / "catalog")
    shutil.copytree(TINY / "data", tmp_path / "data")
    copy_site_skeleton(tmp_path)
    return Settings(root=tmp_path)


@pytest.fixture
def real(tmp_path: Path) -> Settings:
    """A copy of the real catalog and data with the site skeleton."""
    shutil.copytree(REPO / "catalog", tmp_path / "catalog")
    shutil.copytree(REPO / "data", tmp_path / "data")
    copy_site_skeleton(tmp_path)
    return Settings(root=tmp_path)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file below `folder`, by relative path (to compare whole trees)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
