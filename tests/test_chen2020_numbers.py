"""Chen et al. (2020), reproduced: the paper's figures recomputed from its labeled data.

The catalog holds the authors' 3,018 distinct questions (3,023 in the package's three
platform files) with their labels (`data/chen2020.csv`, imported from the replication
package). Every figure the study file records for a category must come out of that data
again, or be listed, with its reason, as a known discrepancy (shown on the study page).
"""

from __future__ import annotations

from generator.analysis.studydata import recompute
from generator.inputs.load import load
from generator.inputs.validate import validate

PLATFORMS = {"DLC-0002": "69.8%", "DLC-0003": "71.6%", "DLC-0004": "69.1%"}
"""The share of each platform's questions without an accepted answer, as the paper
reports it (Section 5): server/cloud, mobile, browser."""
OVERALL_UNANSWERED = "70.7%"
"""The share of all 3,023 deployment questions without an accepted answer (Section 5)."""


def _chen(real):
    catalog, _ = validate(load(real))
    return catalog, catalog.studies["chen2020"]


def test_every_reported_figure_is_reproduced_or_a_listed_discrepancy(real):
    catalog, study = _chen(real)
    again = recompute(catalog, "chen2020")
    known = {d.code for d in study.known_discrepancies}
    differing = {
        c.code
        for c in study.categories
        if not again[c.id].matches(c.reported_posts, c.reported_share)
    }
    assert differing == known  # nothing unexplained, and no stale explanation
    assert len(study.categories) == 100  # 3 platforms, 25 inner, 72 leaf categories
    assert sum(c.reported_share is not None for c in study.categories) == 97  # but the roots


def test_the_questions_per_platform_are_the_papers(real):
    catalog, _ = _chen(real)
    again = recompute(catalog, "chen2020")
    assert [again[cid].posts for cid in PLATFORMS] == [1325, 1533, 165]


def test_the_share_without_an_accepted_answer_is_the_papers(real):
    catalog, _ = _chen(real)
    again = recompute(catalog, "chen2020")
    assert {cid: again[cid].unanswered for cid in PLATFORMS} == PLATFORMS
    posts = [p for p in catalog.posts if p.study_labels("chen2020")]  # relabeled ones too
    unanswered = sum(p.accepted_answer is False for p in posts)
    assert f"{100 * unanswered / len(posts):.1f}%" == OVERALL_UNANSWERED


def test_a_changed_count_is_caught(real):
    """The comparison can fail: one question moved to another leaf shifts two shares."""
    catalog, study = _chen(real)
    again = recompute(catalog, "chen2020")
    leaf = next(c for c in study.categories if c.code == "S.1.1")
    share = float(leaf.reported_share.rstrip("%"))
    assert again[leaf.id].matches(None, leaf.reported_share)
    assert not again[leaf.id].matches(None, f"{share + 0.4:.1f}%")
    assert not again[leaf.id].matches(again[leaf.id].posts + 1, None)
