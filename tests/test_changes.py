"""Release snapshots, the changelog and the machine-readable diffs."""

from __future__ import annotations

import json

from click.testing import CliRunner

from generator.analysis.changes import history
from generator.cli import main
from generator.pages import render
from generator.site.build import check


def pages(settings):
    catalog, stats, _ = check(settings)
    return {k: v.decode() for k, v in render.render_all(catalog, stats).items()}


def test_without_a_release_everything_is_unreleased(tiny):
    catalog, _, _ = check(tiny)
    (only,) = history(catalog)
    assert only.version == "unreleased" and len(only.added) == 6 and len(only.posts_added) == 3


def test_release_then_rename_move_merge_retire_and_add_a_post(tiny):
    runner = CliRunner()
    assert runner.invoke(main, ["release", "--root", str(tiny.root)]).output == (
        "wrote releases/9.9.9.json\n"
    )
    again = runner.invoke(main, ["release", "--root", str(tiny.root)])
    assert again.exit_code == 1 and again.stderr.splitlines()[0] == (
        "CITATION.cff: version: release 9.9.9 is recorded already — bump the version and "
        "date-released in CITATION.cff and pyproject.toml"
    )
    leaf_b = tiny.catalog_dir / "leaf-b.yaml"
    leaf_b.write_text(
        leaf_b.read_text()
        .replace("title: Beta leaf", "title: Beta prime")
        .replace("parent: DLC-0002", "parent: DLC-0001")
    )
    leaf_a = tiny.catalog_dir / "leaf-a.yaml"
    leaf_a.write_text(
        leaf_a.read_text().replace("parent: DLC-0002", "parent: DLC-0002\nstatus: retired")
    )
    merged = tiny.catalog_dir / "merged.yaml"  # its successor may not be retired
    merged.write_text(merged.read_text().replace("merged_into: DLC-0003", "merged_into: DLC-0004"))
    with (tiny.data_dir / "posts.csv").open("a") as handle:
        handle.write(
            "github,keras-team/keras#850,https://github.com/keras-team/keras/issues/850,"
            "DLC-0004,,2015-10-18,Keras,general,,,,fixture,Fixture summary four.\n"
        )
    posts = (tiny.data_dir / "posts.csv").read_text().replace(",DLC-0003,DLC-0004,", ",DLC-0004,,")
    posts = posts.replace(",DLC-0003,,2021", ",DLC-0004,,2021")
    (tiny.data_dir / "posts.csv").write_text(posts)
    catalog, _, _ = check(tiny)
    pending, released = history(catalog)
    assert pending.version == "unreleased" and released.version == "9.9.9"
    assert pending.added == [] and pending.retired == ["DLC-0003"]
    assert pending.renamed == [{"id": "DLC-0004", "from": "Beta leaf", "to": "Beta prime"}]
    assert pending.moved == [{"id": "DLC-0004", "from": "DLC-0002", "to": "DLC-0001"}]
    assert pending.posts_added == ["github:keras-team/keras#850"]
    produced = pages(tiny)
    assert json.loads(produced["changes/changes-unreleased.json"])["retired"] == ["DLC-0003"]
    page = produced["changes/index.md"]
    assert page.index("## Not yet released") < page.index("## 9\\.9\\.9 \\(2020\\-02\\-02\\)")
    assert "- Renamed DLC\\-0004: Beta leaf → Beta prime" in page
    assert "- Retired DLC\\-0003" in page


def test_the_real_catalog_has_its_first_release_recorded(real):
    catalog, _, _ = check(real)
    assert [s.version for s in catalog.snapshots] == ["0.1.0"]
    assert catalog.release is not None and catalog.release.version == "0.1.0"
