"""Stage 6: writes only what changed, removes what is stale, never leaves its folder."""

import pytest

from generator.errors import OutputPathError
from generator.site.write import sync


def test_writes_then_leaves_unchanged_files_alone(tmp_path):
    outputs = {"index.md": b"home", "challenges/DLC-0001.md": b"one"}
    first = sync(tmp_path, ("challenges",), outputs)
    assert first.written == ["challenges/DLC-0001.md", "index.md"] and first.unchanged == 0
    mtime = (tmp_path / "index.md").stat().st_mtime_ns
    second = sync(tmp_path, ("challenges",), outputs)
    assert second.written == [] and second.unchanged == 2 and second.removed == []
    assert (tmp_path / "index.md").stat().st_mtime_ns == mtime


def test_rewrites_changed_and_removes_stale_files(tmp_path):
    sync(
        tmp_path,
        ("challenges",),
        {"challenges/DLC-0001.md": b"one", "challenges/charts/DLC-0001.svg": b"<svg/>"},
    )
    (tmp_path / "about.md").write_text("hand-written")
    report = sync(tmp_path, ("challenges",), {"challenges/DLC-0002.md": b"two"})
    assert report.written == ["challenges/DLC-0002.md"]
    assert report.removed == ["challenges/DLC-0001.md", "challenges/charts/DLC-0001.svg"]
    assert not (tmp_path / "challenges/charts").exists()  # emptied folder removed
    assert (tmp_path / "about.md").read_text() == "hand-written"  # not ours: untouched
    assert not list(tmp_path.rglob(".tmp-*"))


@pytest.mark.parametrize("bad", ["../escape.md", "challenges/../../escape.md", "/etc/x"])
def test_refuses_paths_outside_docs(tmp_path, bad):
    docs = tmp_path / "docs"
    docs.mkdir()
    with pytest.raises(OutputPathError, match="is outside"):
        sync(docs, ("challenges",), {bad: b"x", "index.md": b"home"})
    assert not (docs / "index.md").exists()  # checked before anything is written
