"""Stage 4: charts are deterministic SVG with the numbers they claim."""

import hashlib
import io
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from itertools import combinations

import matplotlib
import pytest
from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG

from generator.analysis.charts import alt_text, draw
from generator.analysis.drawing import STYLE, chart_figure
from generator.analysis.frequency import Frequency
from generator.analysis.svgout import svg_bytes

CHILDREN = Frequency(
    "children",
    ("Alpha", "Beta", "(labeled here directly)"),
    (5, 2, 1),
    ("DLC-0003", "DLC-0004", None),
)
YEARS = Frequency("years", ("2019", "2020", "2021"), (1, 0, 4), (None, None, None))
LONG = Frequency(
    "children",
    tuple(f"A category label of forty characters {i:03d}" for i in range(12)),
    (123456, 98765, 0, 1, 0, 7, 123456, 5000, 400, 30, 2, 0),
    (None,) * 12,
)
WIDE = Frequency("children", ("W" * 40,), (123456,), (None,), "Wwwwwwww et al. (2020)")
MANY_YEARS = Frequency(
    "years",
    tuple(str(year) for year in range(1995, 2027)),
    tuple(99999 + year for year in range(32)),
    (None,) * 32,
)


def test_same_data_gives_identical_bytes():
    assert draw(CHILDREN, "Branch") == draw(CHILDREN, "Branch")
    assert draw(YEARS, "Leaf") == draw(YEARS, "Leaf")
    assert draw(YEARS, "Leaf") != draw(YEARS, "Other leaf")


def test_drawing_order_does_not_change_the_bytes(tmp_path):
    # Worker processes draw charts in whatever order they get them: nothing a chart
    # leaves behind (rc settings, font caches) may change the next one.
    first = draw(CHILDREN, "Branch")
    draw(LONG, "Long")
    draw(Frequency("years", ("2020",), (0,), (None,)), "Empty")
    assert draw(CHILDREN, "Branch") == first
    script = (
        "import hashlib, sys\n"
        "from generator.analysis.charts import draw\n"
        "from generator.analysis.frequency import Frequency\n"
        f"sys.stdout.write(hashlib.sha256(draw({CHILDREN!r}, 'Branch')).hexdigest())\n"
    )
    fresh = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert fresh.stdout == hashlib.sha256(first).hexdigest()


@pytest.mark.parametrize(
    ("freq", "title"),
    [
        (LONG, "A title of exactly seventy characters, which is the most a chart shows"),
        (WIDE, "W" * 70),
        (CHILDREN, ""),
        (Frequency("children", (), (), ()), "No children"),
        (YEARS, "Leaf"),
        (MANY_YEARS, "Thirty-two years of large counts"),
        (Frequency("years", ("2020",), (123456,), (None,)), "One year"),
        (Frequency("years", ("2019", "2020"), (0, 0), (None, None)), "Empty"),
    ],
)
def test_no_text_is_cut_off_or_runs_into_another(freq, title):
    # Margins are computed from estimated text widths: check them against the extents
    # matplotlib's SVG backend lays the text out with (unhinted DejaVu Sans, as browsers
    # with the font show it). Like `print_svg`, measure at 72 dpi: SVG units are points.
    with matplotlib.rc_context(STYLE):
        fig = chart_figure(freq, title)
        fig.set_dpi(72)
        renderer = RendererSVG(fig.bbox.width, fig.bbox.height, io.StringIO())
        # A list, not a dict by text: repeated values ("0", "0") must each be checked.
        boxes = [(text.get_text(), text.get_window_extent(renderer)) for text in fig.texts]
    assert len(boxes) == len(fig.texts) > 0
    frame = fig.bbox
    for text, box in boxes:
        inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0
        assert inside and box.y1 <= frame.y1, f"{text!r} is cut off"
    for (one, box), (other, other_box) in combinations(boxes, 2):
        assert not box.overlaps(other_box), f"{one!r} runs into {other!r}"


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
    from generator.analysis.analyze import analyze
    from generator.analysis.charts import draw_all
    from generator.inputs.load import load
    from generator.inputs.validate import validate

    catalog, _ = validate(load(tiny))
    stats = analyze(catalog)
    first, fresh = draw_all(catalog, stats)
    assert len(fresh) == len(first)  # nothing cached yet: everything drawn
    again, fresh_again = draw_all(catalog, stats, cached=fresh.get)
    assert again == first and fresh_again == {}  # everything from the cache
    import generator.analysis.charts as module

    module.PARALLEL_THRESHOLD, saved = 1, module.PARALLEL_THRESHOLD
    try:
        parallel, _ = draw_all(catalog, stats, workers=2)
        # From a second thread too, as `catalog serve` regenerates (workers come from a
        # fork server, never from a fork of a multi-threaded process).
        threaded: list = []
        worker = threading.Thread(
            target=lambda: threaded.append(draw_all(catalog, stats, workers=2)[0])
        )
        worker.start()
        worker.join()
    finally:
        module.PARALLEL_THRESHOLD = saved
    assert parallel == first and threaded == [first]


def test_dollar_signs_in_contributed_text_are_text_not_mathtext():
    # A title is contributed text; mathtext would render "$5 vs $10" as maths, and an
    # unknown command like "$\foo$" would stop the whole run.
    freq = Frequency("children", ("Cost $5 vs $10", r"Bad $\foo$ math"), (3, 1), ("a", "b"))
    svg = draw(freq, r"Budget $\foo$ and $5").decode()
    for text in (r"Budget $\foo$ and $5", "Cost $5 vs $10", r"Bad $\foo$ math"):
        assert f">{text}<" in svg


def test_each_process_measures_text_with_a_font_file_of_its_own():
    """Forked chart workers must not share the parent's open font file: FreeType reads
    glyphs through its offset, and two processes moving it at once garble glyphs."""
    import multiprocessing

    from generator.analysis import drawing

    parent = drawing._dejavu_sans()
    opened_here = drawing._font_of.cache_info().currsize
    with multiprocessing.get_context("fork").Pool(1) as pool:
        opened_in_child = pool.apply(_fonts_opened_after_measuring)
    assert opened_in_child == opened_here + 1  # the child opened its own
    assert drawing._dejavu_sans() is parent  # and the parent keeps its own


def _fonts_opened_after_measuring() -> int:
    from generator.analysis import drawing

    drawing._dejavu_sans()
    return drawing._font_of.cache_info().currsize


@pytest.mark.parametrize(
    ("freq", "title"),
    [
        (CHILDREN, "Branch"),
        (LONG, "A title long enough to wrap onto a second line of the chart, at seventy"),
        (WIDE, "W" * 70),
        (MANY_YEARS, "Leaf"),  # rotated axis label, labels in a smaller font
        (YEARS, "Cost $5 vs $10"),
        (Frequency("years", ("2019", "2020"), (0, 0), (None, None)), "Empty"),
        (Frequency("children", ("Ünïcode αβγ", "“Quoted” — dash"), (3, 1), ("a", "b")), "Ωmega"),
    ],
)
def test_charts_are_written_as_matplotlib_writes_them(freq, title):
    # `svgout.svg_bytes` reproduces `FigureCanvasSVG.print_svg` with a renderer that shares text
    # measures between charts (matplotlib internals, pinned): the bytes must not differ,
    # however warm the shared measures are.
    def by_matplotlib() -> bytes:
        buffer = io.BytesIO()
        FigureCanvasSVG(chart_figure(freq, title)).print_svg(buffer, metadata={"Date": None})
        return buffer.getvalue()

    with matplotlib.rc_context(STYLE):
        expected = by_matplotlib()
        first = svg_bytes(chart_figure(freq, title))  # measured now, or earlier
        again = svg_bytes(chart_figure(freq, title))  # every measure from the caches
    assert first == expected and again == expected


def test_text_is_measured_once_per_process_not_once_per_chart():
    # If matplotlib stopped consulting the renderer's hooks, the bytes would stay right
    # but every chart would measure its texts afresh: this fails instead.
    from generator.analysis import svgout

    draw(CHILDREN, "Branch")
    before = svgout._text_measure.cache_info()
    heights = dict(svgout._HEIGHTS)
    draw(CHILDREN, "Branch")
    after = svgout._text_measure.cache_info()
    assert after.misses == before.misses and after.hits > before.hits
    assert heights and heights == svgout._HEIGHTS


def test_only_the_chart_workers_import_matplotlib(tiny):
    # Importing matplotlib took a cold run's main process over a second: only the
    # workers need it, forked from a server that imports it while the catalog loads.
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "import generator.analysis.charts as charts\n"
        "from generator.settings import Settings\n"
        "from generator.site.build import generate\n"
        "charts.PARALLEL_THRESHOLD = 1\n"
        "generate(Settings(Path(sys.argv[1])))\n"
        "print('matplotlib' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(tiny.root)], capture_output=True, text=True, check=True
    )
    assert result.stdout == "False\n"
    assert len(list(tiny.docs_dir.glob("challenges/charts/*.svg"))) > 6


def test_cache_keys_name_the_matplotlib_version_without_importing_it():
    from generator.analysis.charts import matplotlib_version

    assert matplotlib_version() == matplotlib.__version__
