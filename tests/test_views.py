"""Audience pages, facet pages and the filter's index, on the fixture and the real catalog."""

from __future__ import annotations

import json
import re

import pytest

from conftest import REPO
from generator.analysis.analyze import analyze
from generator.inputs.load import load
from generator.inputs.validate import validate
from generator.pages import render
from generator.pages.views import FILTER_FORMAT, filter_counts, filter_index


def build(settings):
    catalog, _ = validate(load(settings))
    stats = analyze(catalog)
    return catalog, stats, {k: v.decode() for k, v in render.render_all(catalog, stats).items()}


def test_audience_pages_collect_every_recommendation(tiny):
    _, _, pages = build(tiny)
    developers = pages["audiences/developers.md"]
    assert developers.index("## [Fixture taxonomy]") < developers.index("## [Branch category]")
    assert "## [Alpha leaf](../challenges/DLC-0003.md)" in developers
    assert "<code>this</code>" in developers  # Markdown of the recommendation rendered
    assert "## [Beta leaf]" not in developers  # no recommendation for developers
    assert "## [Gamma leaf]" not in developers  # merged: not recommended any more
    researchers = pages["audiences/researchers.md"]
    assert "## [Beta leaf](../challenges/DLC-0004.md)" in researchers
    vendors = pages["audiences/vendors.md"]
    assert vendors.count("\n## [") == 1 and "3 active challenges have none" in vendors


def test_facet_pages_count_posts_per_challenge(tiny):
    _, stats, pages = build(tiny)
    assert stats.facet_totals["framework"] == {
        "Core ML": 1,
        "PyTorch": 2,
        "TF Lite": 1,
        "TensorFlow": 1,
    }
    page = pages["facets/framework/pytorch.md"]
    assert "2 posts labeled with this framework." in page
    assert "| [Fixture taxonomy](../../challenges/DLC-0001.md) | 2 | 67% |" in page
    assert (
        "| &nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;[Alpha leaf]"
        "(../../challenges/DLC-0003.md) | 1 | 50% |" in page
    )
    assert "- [2019](year/2019.md): 1 post" in pages["facets/index.md"]


@pytest.mark.parametrize(
    "chosen",
    [
        {"platform": "mobile", "framework": "TF Lite"},
        {"platform": "browser", "framework": "TF.js", "year": "2019"},
        {"framework": "PyTorch", "year": "2021"},
        {"platform": "server"},
        {},
    ],
)
def test_filter_index_narrows_like_the_catalog(real, chosen):
    """The filter's counts equal a direct count over the catalog's posts."""
    catalog, stats, _ = build(real)
    index = json.loads(filter_index(catalog))
    counts = filter_counts(index, **chosen)
    expected: dict[str, int] = {}
    for post in catalog.posts:
        if (
            chosen.get("platform", post.platform) != post.platform
            or chosen.get("framework", post.frameworks[0]) not in post.frameworks
            or chosen.get("year", str(post.created.year)) != str(post.created.year)
        ):
            continue
        for cid in {a for label in post.labels for a in [label, *catalog.ancestors(label)]}:
            expected[cid] = expected.get(cid, 0) + 1
    assert counts == expected
    if not chosen:  # no condition: the filter agrees with every page's count
        assert counts == {cid: s.posts for cid, s in stats.by_challenge.items() if s.posts}
    assert counts, "each combination above matches something in the real catalog"


def test_filter_counts_a_shared_ancestor_once_per_post(tiny):
    """The 2019 post is labeled alpha and beta, siblings under the branch: one post each."""
    catalog, _, _ = build(tiny)
    index = json.loads(filter_index(catalog))
    assert filter_counts(index, year="2019") == {
        "DLC-0001": 1,
        "DLC-0002": 1,
        "DLC-0003": 1,
        "DLC-0004": 1,
    }
    assert filter_counts(index, framework="PyTorch") == {
        "DLC-0001": 2,
        "DLC-0002": 2,
        "DLC-0003": 1,
    }


def test_filter_index_groups_posts_by_their_facets(tiny):
    """Value tables, then one group per (year, platform, frameworks) with label indexes."""
    catalog, _, _ = build(tiny)
    index = json.loads(filter_index(catalog))
    assert index["format"] == FILTER_FORMAT
    assert index["platforms"] == ["general", "mobile"]
    assert index["frameworks"] == ["Core ML", "PyTorch", "TF Lite", "TensorFlow"]
    assert index["labels"] == ["DLC-0002", "DLC-0003", "DLC-0004"]
    assert index["groups"] == [
        [2018, 0, [1], [0]],
        [2019, 1, [2, 3], [[1, 2]]],
        [2021, 1, [0, 1], [1]],
    ]


@pytest.mark.parametrize("found", [1, 3, None])
def test_filter_counts_refuses_another_format(tiny, found):
    catalog, _, _ = build(tiny)
    index = json.loads(filter_index(catalog))
    index["format"] = found
    with pytest.raises(ValueError) as error:
        filter_counts(index)
    assert str(error.value) == f"filter index has format {found!r}; expected 2"


def test_statistics_page_cross_tabulates_and_admits_missing_measures(tiny):
    _, stats, pages = build(tiny)
    page = pages["statistics/index.md"]
    assert "| [Branch category](../challenges/DLC-0002.md) | 0 | 2 | 0 | 1 | 3 |" in page
    assert "| 2019 | 1 |" in page and "| 2020 | 0 |" in page
    # One fixture post records "no accepted answer" and no score.
    assert "| [Branch category](../challenges/DLC-0002.md) | 3 | 0% of 1 | – |" in page
    assert "| **All posts** | 3 | 0% of 1 | – |" in page
    assert stats.overview.per_category.values == (3,)
    assert stats.overview.per_year.values == (1, 1, 0, 1)


def test_challenge_pages_show_evidence(tiny):
    _, stats, pages = build(tiny)
    branch = pages["challenges/DLC-0002.md"]
    assert 'aria-label="Posts per year: 2018: 1, 2019: 1, 2021: 1"' in branch
    assert "- **Labels:** 1 labeler; 100% of the posts have their primary label here" in branch
    beta = pages["challenges/DLC-0004.md"]  # its only post has alpha as primary label
    assert stats.by_challenge["DLC-0004"].primary == 0
    assert "0% of the posts have their primary label here" in beta


def test_matrix_shades_cells_by_posts_and_links_them(tiny):
    _, _, pages = build(tiny)
    page = pages["matrix.md"]
    # Alpha has the most posts (2): darkest; Beta half as many.
    # Cells are parsed by md_in_html: their links are Markdown links to the .md files.
    assert (
        '<td class="dlc-heat-4" markdown="span">[Alpha leaf](challenges/DLC-0003.md)'
        '<span class="dlc-count">2</span></td>'
    ) in page
    assert '<td class="dlc-heat-2" markdown="span">[Beta leaf](challenges/DLC-0004.md)' in page
    assert '<th markdown="span">[Branch category](challenges/DLC-0002.md)' in page
    assert "DLC-0005" not in page  # merged challenges are not cells


def test_matrix_cells_escape_titles_as_markdown(tiny):
    leaf = tiny.catalog_dir / "leaf-b.yaml"
    title = "Beta [a](javascript:alert(1)) {: onclick=alert(1)} `c` & *d*"
    leaf.write_text(leaf.read_text().replace("title: Beta leaf", f"title: '{title}'"))
    _, _, pages = build(tiny)
    assert (
        '<td class="dlc-heat-2" markdown="span">'
        r"[Beta \[a\]\(javascript:alert\(1\)\) \{: onclick=alert\(1\)\} \`c\` &amp; \*d\*]"
        "(challenges/DLC-0004.md)"
    ) in pages["matrix.md"]


def test_matrix_aligns_rows_by_the_study_category_names(real):
    _, _, pages = build(real)
    page = pages["matrix.md"]
    at = page.index("Data processing on mobile devices")
    row = page[page.rindex("<tr", 0, at) : page.index("</tr>", at)]
    assert "DLC-0032" in row and "DLC-0026" in row and "DLC-0040" in row


def test_last_updated_comes_from_git(tiny):
    import os
    import subprocess

    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2024-05-06T12:00:00",
        "GIT_COMMITTER_DATE": "2024-05-06T12:00:00",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    for args in (["init", "-q"], ["add", "catalog"], ["commit", "-qm", "fixture"]):
        subprocess.run(["git", "-C", str(tiny.root), *args], check=True, env=env)
    _, _, pages = build(tiny)
    assert "- **Last updated:** 2024\\-05\\-06" in pages["challenges/DLC-0003.md"]
    assert "- **Taxonomy:** Fixture" in pages["challenges/DLC-0003.md"]


def test_the_filter_script_reads_the_format_the_generator_writes():
    script = (REPO / "docs" / "javascripts" / "filter.js").read_text()
    assert re.findall(r"var FORMAT = (\d+);", script) == [str(FILTER_FORMAT)]
