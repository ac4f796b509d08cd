"""Stage 5: rendered pages match the golden files; templates cannot print unescaped text."""

from __future__ import annotations

import ast
import dataclasses
import json
import os
from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup

from conftest import REPO, write_queue
from generator.analysis import charts, siteindex
from generator.analysis.analyze import analyze
from generator.inputs.load import load
from generator.inputs.validate import validate
from generator.pages import challenge, common, helplabel, home, render, studypages

GOLDEN = REPO / "tests" / "golden" / "tiny"
QUEUED = REPO / "tests" / "golden" / "queued"
"""The Help label pages of the tiny fixture with `write_queue`'s labeling queue."""
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def outputs(settings) -> dict[str, bytes]:
    catalog, _ = validate(load(settings))
    stats = analyze(catalog)
    return {
        **charts.draw_all(catalog, stats)[0],
        **render.render_all(catalog, stats),
        **siteindex.index_file(catalog),
    }


def _match_golden(produced: dict[str, bytes], golden: Path) -> None:
    if UPDATE:
        for old in golden.rglob("*"):
            if old.is_file():
                old.unlink()
        for rel, data in produced.items():
            (golden / rel).parent.mkdir(parents=True, exist_ok=True)
            (golden / rel).write_bytes(data)
    expected = {
        p.relative_to(golden).as_posix(): p.read_bytes()
        for p in sorted(golden.rglob("*"))
        if p.is_file()
    }
    assert sorted(produced) == sorted(expected), "run `make golden` to refresh"
    for rel, data in produced.items():
        assert data.decode() == expected[rel].decode(), f"{rel} differs; run `make golden`"


def test_pages_and_charts_match_the_golden_files(tiny):
    """Refresh with `make golden` after an intended change, and review the diff."""
    _match_golden(outputs(tiny), GOLDEN)


def test_help_label_pages_match_the_golden_files(tiny):
    """The fixture without a queue says so (in the golden files above); with one, the
    index and one page per area list the posts that wait."""
    write_queue(tiny)
    produced = outputs(tiny)
    _match_golden({k: v for k, v in produced.items() if k.startswith("help-label/")}, QUEUED)


def test_every_page_kind_is_produced(tiny):
    produced = outputs(tiny)
    assert "index.md" in produced and "challenges/index.md" in produced
    for cid in ("DLC-0001", "DLC-0002", "DLC-0003", "DLC-0004", "DLC-0005", "DLC-0006"):
        page = produced[f"challenges/{cid}.md"].decode()
        assert f"charts/{cid}.svg" in page and f"challenges/charts/{cid}.svg" in produced
        for heading in (
            "### For application developers",
            "### For framework vendors",
            "### For researchers",
            "## Example posts",
            "## References",
        ):
            assert heading in page


def test_page_content_on_the_fixture(tiny):
    produced = outputs(tiny)
    alpha = produced["challenges/DLC-0003.md"].decode()
    assert "- **Path:** [Fixture taxonomy](DLC-0001.md) › [Branch category](DLC-0002.md)" in alpha
    assert "- **Labeled posts:** 2 (2 labeled with this challenge itself)" in alpha
    assert "<code>ValueError: &lt;bad&gt; input</code>" in alpha
    assert "**Formerly:** Old alpha" in alpha
    assert "No specific recommendation yet." in alpha  # vendors: null
    branch = produced["challenges/DLC-0002.md"].decode()
    assert "Not yet checked against the source" in branch  # checked: false
    assert "Not yet checked against the source" not in alpha
    assert "| [Alpha leaf](DLC-0003.md) | 2 |" in branch
    assert "This challenge was merged into [Alpha leaf](DLC-0003.md)" in (
        produced["challenges/DLC-0005.md"].decode()
    )
    assert '!!! note "Retired"' in produced["challenges/DLC-0006.md"].decode()


def test_a_challenge_page_lists_its_subtree_only_so_deep(tiny, monkeypatch):
    monkeypatch.setattr(challenge, "PAGE_TREE_DEPTH", 1)
    root = outputs(tiny)["challenges/DLC-0001.md"].decode()
    assert "- [Branch category](DLC-0002.md)" in root
    assert "[Alpha leaf](DLC-0003.md) —" not in root  # two levels down
    assert "3 more subcategories lie below these; [Browse](index.md) lists" in root
    monkeypatch.setattr(challenge, "PAGE_TREE_DEPTH", 2)
    root = outputs(tiny)["challenges/DLC-0001.md"].decode()
    assert "[Alpha leaf](DLC-0003.md) —" in root and "more subcategor" not in root


def test_an_example_post_leads_with_its_summary_and_shows_a_score_only_when_it_has_one(tiny):
    catalog_, _ = validate(load(tiny))
    page = challenge.challenge_page(catalog_, analyze(catalog_), "DLC-0003")
    voted = challenge.ExampleRow(
        url=Markup("https://stackoverflow.com/questions/1"),
        name="Stack Overflow 1",
        created="2020-01-02",
        frameworks="PyTorch, ONNX",
        score="12",
        summary="Fails on [a](javascript:x) {: onclick=y}",
        primary=common.Link("Beta leaf", Markup("DLC-0004.md")),
    )
    unvoted = dataclasses.replace(voted, score="", primary=None, summary="Plain.")
    text = (
        render.environment()
        .get_template("challenge.md.j2")
        .render(page=dataclasses.replace(page, examples=(voted, unvoted)))
    )
    assert (
        '<div class="dlc-posts" markdown>\n\n'
        "- [Fails on \\[a\\]\\(javascript:x\\) \\{: onclick=y\\}]"
        "(https://stackoverflow.com/questions/1)\n\n"
        "    Stack Overflow 1 · 2020\\-01\\-02 · PyTorch, ONNX · score 12 · "
        "primary label: [Beta leaf](DLC-0004.md)\n"
        "    { .dlc-post-meta }\n\n"
        "- [Plain\\.](https://stackoverflow.com/questions/1)\n\n"
        "    Stack Overflow 1 · 2020\\-01\\-02 · PyTorch, ONNX\n"
        "    { .dlc-post-meta }\n\n"
        "</div>\n"
    ) in text


def test_tables_post_lists_and_citations_stay_out_of_the_search_index(tiny):
    produced = outputs(tiny)
    page = produced["challenges/DLC-0001.md"].decode()
    for heading in ("Example posts", "References", "Cite this challenge", "Posts per subcategory"):
        assert f"## {heading} {{ data-search-exclude }}" in page
    assert "## Description\n" in page and "## Labeling guidance\n" in page  # searchable
    facet = produced["facets/year/2018.md"].decode()
    assert "## Challenges { data-search-exclude }\n\n| Challenge |" in facet


GENERATOR = Path(render.__file__).parents[1]


@pytest.mark.parametrize(
    "path", sorted(GENERATOR.rglob("*.py")), ids=lambda p: p.relative_to(GENERATOR).as_posix()
)
def test_every_field_of_every_context_and_model_is_documented(path):
    """A docstring right after each field: it is the field's documentation (and schema)."""
    tree = ast.parse(path.read_text())
    undocumented = []
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        body = cls.body
        for i, stmt in enumerate(body):
            if isinstance(stmt, ast.AnnAssign) and not stmt.target.id.startswith("_"):
                doc = body[i + 1] if i + 1 < len(body) else None
                if not (
                    isinstance(doc, ast.Expr)
                    and isinstance(doc.value, ast.Constant)
                    and isinstance(doc.value.value, str)
                ):
                    undocumented.append(f"{cls.name}.{stmt.target.id}")
    assert undocumented == []


def test_context_classes_are_frozen_dataclasses():
    kinds = [challenge.ChallengePage, home.HomePage, home.BrowsePage]
    kinds += [getattr(studypages, n) for n in ("StudyPage", "StudiesPage", "VerifyPage")]
    kinds += [helplabel.HelpLabelIndex, helplabel.AreaPage]
    for cls in kinds:
        assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen


def test_templates_escape_plain_strings_and_pass_markup():
    env = render.environment()
    template = env.from_string("{{ a }} {{ b }} {{ n }}")
    assert template.render(a="<b>[x](javascript:y)", b=Markup("<i>ok</i>"), n=3) == (
        "&lt;b&gt;\\[x\\]\\(javascript:y\\) <i>ok</i> 3"
    )


def test_templates_fail_loudly_on_missing_fields_and_odd_values():
    env = render.environment()
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ page.nothing }}").render(page=object())
    with pytest.raises(TypeError, match="print a flag through a branch"):
        env.from_string("{{ flag }}").render(flag=True)
    with pytest.raises(TypeError, match="templates may print text and numbers only"):
        env.from_string("{{ x }}").render(x=None)


def test_ids_json_lists_every_id_with_its_fate(tiny):
    data = json.loads(outputs(tiny)["ids.json"])
    assert [e["id"] for e in data["ids"]] == [f"DLC-000{i}" for i in range(1, 7)]
    assert data["ids"][2] == {
        "id": "DLC-0003",
        "title": "Alpha leaf",
        "former_titles": ["Old alpha"],
        "status": "active",
        "replaced_by": None,
        "page": "challenges/DLC-0003/",
    }
    assert data["ids"][4]["status"] == "merged" and data["ids"][4]["replaced_by"] == "DLC-0003"
    assert data["ids"][5]["status"] == "retired"
