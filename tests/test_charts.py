"""Stage 4: charts are deterministic SVG with the numbers they claim."""

import xml.etree.ElementTree as ET

from generator.charts import alt_text, draw
from generator.frequency import Frequency

CHILDREN = Frequency(
    "children",
    ("Alpha", "Beta", "(labeled here directly)"),
    (5, 2, 1),
    ("DLC-0003", "DLC-0004", None),
)
YEARS = Frequency("years", ("2019", "2020", "2021"), (1, 0, 4), (None, None, None))


def test_same_data_gives_identical_bytes():
    assert draw(CHILDREN, "Branch") == draw(CHILDREN, "Branch")
    assert draw(YEARS, "Leaf") == draw(YEARS, "Leaf")
    assert draw(YEARS, "Leaf") != draw(YEARS, "Other leaf")


def test_svg_is_well_formed_dated_nowhere_and_labeled():
    svg = draw(CHILDREN, "Branch <&> title").decode()
    ET.fromstring(svg)  # parses: titles are XML-escaped
    assert "<dc:date>" not in svg
    for text in ("Alpha", "Beta", "Branch &lt;&amp;&gt; title", ">5<", ">2<", ">1<"):
        assert text in svg


def test_empty_leaf_says_so():
    svg = draw(Frequency("years", ("2020",), (0,), (None,)), "Leaf").decode()
    assert "No labeled posts yet" in svg


def test_alt_text_states_the_numbers():
    assert alt_text(CHILDREN, "Branch") == (
        "Bar chart of labeled posts per subcategory of Branch. Alpha: 5, Beta: 2, "
        "(labeled here directly): 1."
    )
    assert (
        alt_text(YEARS, "Leaf") == "Bar chart of labeled posts per year for Leaf. 2019: 1, 2021: 4."
    )
    assert alt_text(Frequency("years", ("2020",), (0,), (None,)), "Leaf") == (
        "Bar chart of labeled posts per year for Leaf: no labeled posts yet."
    )


def test_cached_charts_are_reused_and_parallel_drawing_gives_the_same_bytes(tiny):
    from generator.analyze import analyze
    from generator.charts import draw_all
    from generator.load import load
    from generator.validate import validate

    catalog, _ = validate(load(tiny))
    stats = analyze(catalog)
    first, fresh = draw_all(catalog, stats)
    assert len(fresh) == len(first)  # nothing cached yet: everything drawn
    again, fresh_again = draw_all(catalog, stats, cached=fresh.get)
    assert again == first and fresh_again == {}  # everything from the cache
    import generator.charts as module

    module.PARALLEL_THRESHOLD, saved = 1, module.PARALLEL_THRESHOLD
    try:
        parallel, _ = draw_all(catalog, stats, workers=2)
    finally:
        module.PARALLEL_THRESHOLD = saved
    assert parallel == first
