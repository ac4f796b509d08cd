"""Stage 3: counts roll up the tree, each post once per challenge."""

from datetime import date

from generator.analysis.analyze import DIRECT_LABEL, analyze
from generator.inputs.load import load
from generator.inputs.validate import validate


def stats_of(settings):
    catalog, _ = validate(load(settings))
    return catalog, analyze(catalog)


def test_counts_roll_up_and_count_each_post_once(tiny):
    _, stats = stats_of(tiny)
    by = stats.by_challenge
    # Post 1 is labeled alpha and beta: once in each leaf, once in the branch and root.
    assert (by["DLC-0003"].posts, by["DLC-0004"].posts) == (2, 1)
    assert (by["DLC-0002"].posts, by["DLC-0002"].direct) == (3, 1)
    assert (by["DLC-0001"].posts, by["DLC-0001"].direct) == (3, 0)
    assert (by["DLC-0005"].posts, by["DLC-0006"].posts) == (0, 0)
    assert stats.total_posts == 3
    assert stats.active_challenges == 4
    assert stats.frameworks == 4  # TensorFlow, TF Lite, PyTorch, Core ML


def test_newest_post_and_years(tiny):
    _, stats = stats_of(tiny)
    assert stats.by_challenge["DLC-0003"].newest == date(2021, 6, 17)
    assert stats.by_challenge["DLC-0004"].newest == date(2019, 10, 27)
    assert stats.by_challenge["DLC-0006"].newest is None
    assert stats.newest == date(2021, 6, 17)
    assert stats.years == (2018, 2019, 2020, 2021)


def test_frequency_per_child_then_per_year(tiny):
    _, stats = stats_of(tiny)
    branch = stats.by_challenge["DLC-0002"].frequency
    # Merged children are not drawn; posts labeled on the branch itself get their own row.
    assert branch.kind == "children"
    assert branch.labels == ("Alpha leaf", "Beta leaf", DIRECT_LABEL)
    assert branch.values == (2, 1, 1)
    assert branch.ids == ("DLC-0003", "DLC-0004", None)
    leaf = stats.by_challenge["DLC-0003"].frequency
    assert (leaf.kind, leaf.labels, leaf.values) == (
        "years",
        ("2018", "2019", "2020", "2021"),
        (0, 1, 0, 1),
    )


def test_examples_put_direct_and_primary_labels_first(tiny):
    _, stats = stats_of(tiny)
    branch = [p.post_id for p in stats.by_challenge["DLC-0002"].examples]
    assert branch[0] == "pytorch/pytorch#11278"  # labeled on the branch itself
    assert branch[1:] == ["apple/coremltools#1223", "tensorflow/tensorflow#33765"]  # newest first
    assert [p.post_id for p in stats.by_challenge["DLC-0004"].examples] == [
        "tensorflow/tensorflow#33765"
    ]


def test_no_posts_at_all(tiny):
    (tiny.data_dir / "posts.csv").write_text(
        (tiny.data_dir / "posts.csv").read_text().splitlines()[0] + "\n"
    )
    _, stats = stats_of(tiny)
    assert stats.total_posts == 0 and stats.years == () and stats.newest is None
    assert stats.by_challenge["DLC-0003"].frequency.values == ()


def test_a_post_of_unknown_date_counts_but_not_in_any_year_and_shows_as_unknown(tiny):
    """A study's artifact may have no recorded date: it is counted, never given a year."""
    from generator.pages.challenge import challenge_page

    _, before = stats_of(tiny)
    with (tiny.data_dir / "posts.csv").open("a", encoding="utf-8") as handle:
        handle.write(
            "stackoverflow,4242,https://stackoverflow.com/questions/4242,DLC-0004,,,"
            "TensorFlow,server,1,0,no,study2020,A question whose date the study did not keep.\n"
        )
        handle.write(
            "stackoverflow,4343,https://stackoverflow.com/questions/4343,DLC-0004,,,"
            "TensorFlow,server,0,0,no,study2020,\n"
        )
    catalog, stats = stats_of(tiny)
    leaf = stats.by_challenge["DLC-0004"]
    assert leaf.posts == before.by_challenge["DLC-0004"].posts + 2
    assert sum(leaf.frequency.values[-len(stats.years) :]) == 1  # the dated post only
    assert stats.years == before.years
    assert sum(stats.facet_totals["year"].values()) == before.total_posts
    shown = {p.post_id for p in leaf.examples}
    assert "4242" in shown and "4343" not in shown  # a post without our summary is not shown
    rows = challenge_page(catalog, stats, "DLC-0004").examples
    assert next(r for r in rows if "4242" in r.name).created == "date unknown"
