"""Incremental generation (`site.warm`) gives byte for byte what a cold run gives.

A property test: a fixed-seed sequence of random edits of the kinds a contributor makes
while previewing (add, change, relabel and delete posts; edit, rename, move and merge
challenges) is applied to a small synthetic project; after each edit the warm generator
regenerates its `docs/`, a cold run regenerates a copy, and the two trees must be equal.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import random
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, TINY, copy_site_skeleton, project_from, tree_bytes
from generator.settings import GENERATED_DIRS, GENERATED_FILES, Settings
from generator.site import build
from generator.site.warm import WarmGenerator

SEED = 20261130
STEPS = 14


def _synthetic():
    spec = importlib.util.spec_from_file_location("synthetic", REPO / "bench" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _generated(docs: Path) -> dict[str, bytes]:
    owned = tuple(GENERATED_DIRS)
    return {
        rel: data
        for rel, data in tree_bytes(docs).items()
        if rel.startswith(tuple(f"{d}/" for d in owned)) or rel in GENERATED_FILES
    }


def _cold_copy(warm: Settings, cold: Path) -> Settings:
    """`cold` made to hold the warm project's inputs (its docs/ kept between steps)."""
    for name in ("catalog", "data", "releases"):
        shutil.rmtree(cold / name, ignore_errors=True)
        if (warm.root / name).is_dir():
            shutil.copytree(warm.root / name, cold / name)
    shutil.copy(warm.root / "CITATION.cff", cold / "CITATION.cff")
    return Settings(root=cold)


class Project:
    """The warm project's inputs, read and rewritten by the edits."""

    def __init__(self, settings: Settings, rng: random.Random) -> None:
        self.settings = settings
        self.rng = rng
        self.next_post = 90_000

    # -- challenges ------------------------------------------------------------------
    def _files(self) -> dict[str, Path]:
        found = {}
        for path in sorted(self.settings.catalog_dir.rglob("*.yaml")):
            match = re.search(r"^id: (DLC-\d{4})$", path.read_text(), re.MULTILINE)
            if match and not path.name.startswith("_"):
                found[match[1]] = path
        return found

    def _field(self, cid: str, name: str) -> str | None:
        match = re.search(rf"^{name}: (.*)$", self._files()[cid].read_text(), re.MULTILINE)
        return match[1] if match else None

    def _set(self, cid: str, name: str, value: str) -> None:
        path = self._files()[cid]
        text = path.read_text()
        if re.search(rf"^{name}: ", text, re.MULTILINE):
            text = re.sub(rf"^{name}: .*$", f"{name}: {value}", text, count=1, flags=re.MULTILINE)
        else:
            text = text.replace("\nsummary:", f"\n{name}: {value}\nsummary:", 1)
        path.write_text(text)

    def active(self) -> list[str]:
        return [c for c in self._files() if (self._field(c, "status") or "active") == "active"]

    def _children(self, cid: str) -> list[str]:
        return [c for c in self.active() if self._field(c, "parent") == cid]

    def _descendants(self, cid: str) -> set[str]:
        found, todo = set(), [cid]
        while todo:
            node = todo.pop()
            for child in self._children(node):
                found.add(child)
                todo.append(child)
        return found

    def leaves(self) -> list[str]:
        return [c for c in self.active() if not self._children(c)]

    # -- posts -------------------------------------------------------------------------
    def _posts_file(self) -> Path:
        return sorted(self.settings.data_dir.glob("*.csv"))[-1]

    def _rows(self, path: Path) -> tuple[list[str], list[list[str]]]:
        with path.open(newline="") as handle:
            header, *rows = list(csv.reader(handle))
        return header, rows

    def _write(self, path: Path, header: list[str], rows: list[list[str]]) -> None:
        with path.open("w", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows([header, *rows])

    def _new_cells(self, header: list[str], row: dict[str, str]) -> dict[str, str]:
        rng = self.rng
        leaves = self.leaves()
        labels = rng.sample(leaves, min(len(leaves), rng.choice((1, 1, 2))))
        row["primary_label"] = labels[0]
        row["other_labels"] = ";".join(labels[1:])
        row["created"] = rng.choice(
            ["", f"{rng.choice((2009, 2016, 2024, 2031))}-0{rng.randint(1, 9)}-11"]
        )
        row["frameworks"] = ";".join(
            rng.sample(["PyTorch", "TensorFlow", "ONNX", "Core ML", "MXNet"], rng.randint(1, 2))
        )
        row["platform"] = rng.choice(["server", "mobile", "browser", "general"])
        row["score"] = rng.choice(["", "-2", "0", "7"])
        row["accepted_answer"] = rng.choice(["", "yes", "no"])
        row["summary"] = rng.choice(["", f"Edited synthetic summary {rng.randint(1, 9)}."])
        return row

    def add_post(self) -> None:
        path = self._posts_file()
        header, rows = self._rows(path)
        self.next_post += 1
        n = self.next_post
        cells = dict.fromkeys(header, "")
        cells.update(
            site="github",
            post_id=f"synthetic/benchmark#{n}",
            url=f"https://github.com/synthetic/benchmark/issues/{n}",
            labeled_by=self.rng.choice(["benchmark", "someone"]),
        )
        rows.append(list(self._new_cells(header, cells).values()))
        self._write(path, header, rows)

    def _pick_row(self) -> tuple[Path, list[str], list[list[str]], int]:
        files = [p for p in sorted(self.settings.data_dir.glob("*.csv")) if self._rows(p)[1]]
        path = self.rng.choice(files)
        header, rows = self._rows(path)
        return path, header, rows, self.rng.randrange(len(rows))

    def change_post(self) -> None:
        path, header, rows, i = self._pick_row()
        cells = self._new_cells(header, dict(zip(header, rows[i], strict=True)))
        rows[i] = list(cells.values())
        self._write(path, header, rows)

    def delete_post(self) -> None:
        path, header, rows, i = self._pick_row()
        del rows[i]
        self._write(path, header, rows)

    def edit_text(self) -> None:
        cid = self.rng.choice(self.active())
        path = self._files()[cid]
        path.write_text(
            path.read_text().replace(
                "so that rendering does real work.", "so that *edited* rendering does real work."
            )
        )

    def rename(self) -> None:
        cid = self.rng.choice(self.active())
        self._set(cid, "title", f"Renamed challenge {self.rng.randint(1, 999)}")

    def move(self) -> None:
        leaf = self.rng.choice([c for c in self.leaves() if self._field(c, "parent") != "null"])
        banned = {leaf, *self._descendants(leaf)}
        parent = self.rng.choice(
            [c for c in self.active() if c not in banned and self._field(c, "parent") != "null"]
        )
        self._set(leaf, "parent", parent)

    def merge(self) -> None:
        """Merge a leaf into a sibling leaf, relabeling its posts first (as a contributor
        must: merged challenges take no labels)."""
        leaves = self.leaves()
        targets = {self._field(c, "merged_into") for c in self._files()}  # must stay active
        pairs = [
            (a, b)
            for a in leaves
            for b in leaves
            if a != b and a not in targets and self._field(a, "parent") == self._field(b, "parent")
        ]
        if not pairs:
            return
        gone, into = self.rng.choice(pairs)
        for path in sorted(self.settings.data_dir.glob("*.csv")):
            header, rows = self._rows(path)
            for row in rows:
                cells = dict(zip(header, row, strict=True))
                labels = [cells["primary_label"], *filter(None, cells["other_labels"].split(";"))]
                if gone in labels:
                    labels = list(dict.fromkeys(into if x == gone else x for x in labels))
                    row[header.index("primary_label")] = labels[0]
                    row[header.index("other_labels")] = ";".join(labels[1:])
            self._write(path, header, rows)
        self._set(gone, "status", "merged")
        self._set(gone, "merged_into", into)


EDITS = {
    "add_post": 6,
    "change_post": 4,
    "delete_post": 3,
    "edit_text": 2,
    "rename": 1,
    "move": 1,
    "merge": 1,
}
"""Edit kinds and their weights: mostly posts, as when a contributor labels."""


def _run_edits(settings: Settings, cold_root: Path, steps: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    project = Project(settings, rng)
    warm = WarmGenerator(settings)
    warm.generate()
    warm.finish()
    copy_site_skeleton(cold_root)
    # Every kind of edit at least once, the rest drawn by weight, in a shuffled order.
    kinds = list(EDITS) + rng.choices(list(EDITS), weights=list(EDITS.values()), k=steps)
    kinds = kinds[: max(steps, len(EDITS))]
    rng.shuffle(kinds)
    done = []
    for step, kind in enumerate(kinds):
        getattr(project, kind)()
        done.append(kind)
        warm.generate()
        early = _challenge_outputs(_generated(settings.docs_dir))
        warm.finish()
        build.generate(_cold_copy(settings, cold_root))
        expected = _generated(cold_root / "docs")
        actual = _generated(settings.docs_dir)
        # `generate` alone (before `finish`) already shows every challenge as it now is.
        stale = sorted(
            rel
            for rel in set(early) | set(_challenge_outputs(expected))
            if early.get(rel) != expected.get(rel)
        )
        assert not stale, f"step {step} ({', '.join(done)}): stale before finish: {stale[:10]}"
        differ = sorted(
            rel for rel in set(expected) | set(actual) if expected.get(rel) != actual.get(rel)
        )
        assert not differ, f"step {step} ({', '.join(done)}): warm run differs in {differ[:10]}"
    return done


def _challenge_outputs(files: dict[str, bytes]) -> dict[str, bytes]:
    """The challenge pages and their charts: what `generate` alone brings up to date."""
    pattern = re.compile(r"challenges/(DLC-\d{4}\.md|charts/DLC-\d{4}(-reported)?\.svg)")
    return {rel: data for rel, data in files.items() if pattern.fullmatch(rel)}


def test_warm_runs_equal_cold_runs_after_random_edits(tmp_path: Path) -> None:
    settings = Settings(
        root=_synthetic().write_project(tmp_path / "warm", challenges=30, posts=200)
    )
    (settings.root / "CITATION.cff").write_text((TINY / "CITATION.cff").read_text())
    (tmp_path / "cold").mkdir()
    done = _run_edits(settings, tmp_path / "cold", STEPS, SEED)
    assert set(done) == set(EDITS)


def test_warm_runs_equal_cold_runs_on_a_catalog_with_a_study(tmp_path: Path) -> None:
    """The tiny fixture has a study with reported counts, a merged and a retired entry."""
    settings = project_from(TINY, tmp_path / "warm")
    (tmp_path / "cold").mkdir()
    _run_edits(settings, tmp_path / "cold", len(EDITS), SEED + 1)


def test_the_comparison_can_fail(tmp_path: Path) -> None:
    """A warm run that skipped a page would be caught: the check compares whole trees."""
    settings = project_from(TINY, tmp_path / "warm")
    warm = WarmGenerator(settings)
    warm.generate()
    page = next((settings.docs_dir / "challenges").glob("DLC-*.md"))
    page.write_text(page.read_text() + "stale\n")
    (tmp_path / "cold").mkdir()
    copy_site_skeleton(tmp_path / "cold")
    build.generate(_cold_copy(settings, tmp_path / "cold"))
    with pytest.raises(AssertionError):
        assert _generated(settings.docs_dir) == _generated(tmp_path / "cold" / "docs")


def test_a_copied_post_does_not_keep_the_cached_labels() -> None:
    """Post caches `key` and `labels`; a copy with other labels must show its own."""
    from generator.model.post import Post

    post = Post.model_validate(
        {
            "site": "github",
            "post_id": "onnx/onnx#4065",
            "url": "https://github.com/onnx/onnx/issues/4065",
            "primary_label": "DLC-0001",
            "created": "2022-03-01",
            "frameworks": "ONNX",
            "platform": "server",
            "labeled_by": "someone",
            "summary": "",
        }
    )
    assert (post.key, post.labels) == ("github:onnx/onnx#4065", ("DLC-0001",))
    copy = post.model_copy(update={"primary_label": "DLC-0002", "post_id": "onnx/onnx#1"})
    assert (copy.key, copy.labels) == ("github:onnx/onnx#1", ("DLC-0002",))


def test_the_memo_reads_a_file_again_when_it_was_saved(tmp_path: Path) -> None:
    """A warm run reads only the files whose status changed: a save of the same size,
    with its modification time set back (as `cp -p` or `touch -r` would), or a file
    replaced by a rename, is still read again."""
    import os

    from generator.inputs.memo import InputMemo

    memo = InputMemo()
    path = tmp_path / "posts.csv"
    path.write_bytes(b"first")
    first = hashlib.sha256(b"first").digest()
    assert memo.read(path, path.stat()) == (b"first", first)
    before = path.stat()
    memo.next_run()
    assert memo.known(path, path.stat()) == first  # unchanged: not read again
    assert memo.digest(path) == first
    path.write_bytes(b"other")  # the same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    memo.next_run()
    assert memo.known(path, path.stat()) is None
    assert memo.digest(path) == hashlib.sha256(b"other").digest()
    (tmp_path / "new.csv").write_bytes(b"third")
    (tmp_path / "new.csv").replace(path)
    memo.next_run()
    assert memo.known(path, path.stat()) is None
    assert memo.digest(path) == hashlib.sha256(b"third").digest()
