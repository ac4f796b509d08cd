"""Study pages and the 'help verify' page: every number traced to its origin."""

from __future__ import annotations

import re

import pytest

from generator.analysis.analyze import analyze
from generator.analysis.studydata import recompute
from generator.inputs.load import load
from generator.inputs.validate import validate
from generator.model.catalog import Catalog
from generator.pages import render
from generator.pages.common import citation

NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|\d+(?:\.\d+)?%?")


def pages_of(settings) -> tuple[Catalog, dict[str, str]]:
    catalog, _ = validate(load(settings))
    stats = analyze(catalog)
    return catalog, {k: v.decode() for k, v in render.render_all(catalog, stats).items()}


def numbers_shown(page: str) -> list[str]:
    """Numbers a reader sees on a study page, outside link targets and the closing sections
    (the terms of the study's data name licence versions; the citation block its own)."""
    body = page.split("\n---\n", 1)[1].split("## Reusing this study's data")[0]
    body = re.sub(r"\]\([^)]*\)", "]", body)  # link targets are not shown
    body = re.sub(r"<[^>]*>", "", body)  # tags and their attributes are not shown
    body = re.sub(r"DLC-\d{4}|&nbsp;", "", body.replace("\\", ""))  # IDs, Markdown escapes

    return NUMBER.findall(body)


def allowed_numbers(catalog: Catalog, key: str) -> set[str]:
    """Every number a study page may show: its recorded figures and counts, counts computed
    from the labeled posts, and the numbers of its own citation."""
    study, source = catalog.studies[key], catalog.sources[key]
    stats = analyze(catalog)
    recorded = [f.value for f in study.figures]
    recorded += [cell for table in study.tables for row in table.rows for cell in row]
    recorded += [f"{c.reported_posts:,}" for c in study.categories if c.reported_posts is not None]
    recorded += [c.reported_share for c in study.categories if c.reported_share is not None]
    computed = [str(stats.by_challenge[c.id].posts) for c in study.categories]
    for again in recompute(catalog, key).values():  # the study's figures from its own data
        computed += [f"{again.posts:,}", again.share or "", again.unanswered or ""]
    cited = [citation(source), source.doi or "", source.arxiv or ""]
    return {n for text in recorded + computed + cited for n in NUMBER.findall(text)}


@pytest.mark.parametrize("which", ["tiny", "real"])
def test_every_number_on_a_study_page_comes_from_its_data_or_citation(which, request):
    catalog, pages = pages_of(request.getfixturevalue(which))
    assert catalog.studies, "no study to check"
    for key in catalog.studies:
        shown = numbers_shown(pages[f"studies/{key}.md"])
        assert shown, key
        assert {n.replace(",", "") for n in shown} <= {
            n.replace(",", "") for n in allowed_numbers(catalog, key)
        }, (key, set(shown))


def test_an_unbacked_number_in_the_prose_is_caught(tiny):
    path = tiny.catalog_dir / "_studies/study2020.yaml"
    path.write_text(path.read_text().replace("labeled 80 of them", "labeled 81 of them"))
    catalog, pages = pages_of(tiny)
    assert set(numbers_shown(pages["studies/study2020.md"])) - allowed_numbers(
        catalog, "study2020"
    ) == {"81"}


def test_study_page_shows_figures_with_their_status(tiny):
    _, pages = pages_of(tiny)
    page = pages["studies/study2020.md"]
    assert "| Posts read | 120 | Section 2 | yes |" in page
    assert (
        "| Posts labeled | 80 | Section 3 (taken from a summary of the fixture study) | not yet |"
        in page
    )

    assert (
        "| &nbsp;&nbsp;&nbsp;&nbsp;Alpha | [Alpha leaf](../challenges/DLC-0003.md) | 40 | – | – "
        "| 2 | yes |  |" in page
    )
    assert "Not everything here is checked against the paper" in page
    assert (
        "@inproceedings{study2020,\n  author = {Ada Example and Ben Example and Cy Example},"
        in page
    )
    assert "  pages = {1--10}," in page


def test_challenge_pages_show_reported_counts_apart_from_computed_ones(tiny):
    _, pages = pages_of(tiny)
    alpha = pages["challenges/DLC-0003.md"]
    assert "- **Posts in the study:** 40, as reported by Example et al\\. \\(2020\\)\n" in alpha
    assert "- **Source study:** [Example et al\\. \\(2020\\)](../studies/study2020.md)" in alpha
    branch = pages["challenges/DLC-0002.md"]
    assert "## Posts per subcategory as reported by Example et al\\. \\(2020\\)" in branch
    assert "![Bar chart of posts per subcategory of Branch category as reported by" in branch
    assert "(charts/DLC-0002-reported.svg)" in branch
    assert "| [Alpha leaf](DLC-0003.md) | 40 |" in branch


def test_verify_page_lists_every_unchecked_fact(tiny):
    _, pages = pages_of(tiny)
    rows = [line for line in pages["verify.md"].splitlines() if line.startswith("| [")]
    assert rows == [
        "| [Branch category](challenges/DLC-0002.md) | What the page attributes to this source "
        "| Example et al\\. \\(2020\\) | Section 2 |  |",
        "| [Beta leaf](challenges/DLC-0004.md) | Category “Beta” | Example et al\\. \\(2020\\) "
        "| Figure 1 |  |",
        "| [Study: Example et al\\. \\(2020\\)](studies/study2020.md) | Posts labeled: 80 "
        "| Example et al\\. \\(2020\\) | Section 3 | a summary of the fixture study |",
        "| [Study: Example et al\\. \\(2020\\)](studies/study2020.md) | Table: Projects studied "
        "| Example et al\\. \\(2020\\) | Table 1 |  |",
    ]


def test_a_study_page_says_whose_terms_its_data_keeps(tiny):
    """Data taken from a study keeps the study's terms; the page says them when recorded,
    and says they are not recorded otherwise (rendered as untrusted prose)."""
    _, pages = pages_of(tiny)
    page = pages["studies/study2020.md"]
    section = page.split("## Reusing this study's data\n")[1].split("## Cite the study")[0]
    assert "[licence](../about.md#licence-and-reuse)" in section
    assert "The catalog has not recorded terms for this study's data yet" in section

    study = tiny.catalog_dir / "_studies" / "study2020.yaml"
    study.write_text(
        study.read_text()
        + "data_terms: |\n  The package is under CC BY 4.0 (its README). <script>x</script>\n"
    )
    _, pages = pages_of(tiny)
    section = pages["studies/study2020.md"].split("## Reusing this study's data\n")[1]
    section = section.split("## Cite the study")[0]
    assert "<p>The package is under CC BY 4.0 (its README). &lt;script&gt;x&lt;/script&gt;</p>" in (
        section
    )
    assert "has not recorded terms" not in section
