"""Charts as SVG bytes: the figures `drawing` lays out, written by matplotlib's SVG backend.

Only chart workers (and a run with too few charts for workers) import this module and
so matplotlib; `charts` hands it the jobs. Each text is measured once per process rather
than once per chart (`svg_bytes`): measuring had been most of the drawing time.
Determinism: `STYLE` fixes `svg.hashsalt` (element IDs) and keeps text as text, and no
date is written, so the bytes depend only on the data and the pinned matplotlib version.
"""

from __future__ import annotations

import functools
import io

import matplotlib
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, fontManager, get_font
from matplotlib.textpath import TextToPath

from .chartstyle import STYLE
from .drawing import chart_figure
from .frequency import Frequency


def draw_charts(jobs: list[tuple[Frequency, str]]) -> list[bytes]:
    """Each `(numbers, title)` as a bar chart's SVG bytes, each deterministic on its own."""
    # One style context for them all, not one per chart: entering one copies every rc
    # setting. Nothing a chart draws changes them.
    with matplotlib.rc_context(STYLE):
        return [svg_bytes(chart_figure(*job)) for job in jobs]


def svg_bytes(fig: Figure) -> bytes:
    """`fig` as SVG: what `FigureCanvasSVG.print_svg` writes, byte for byte, with each
    text measured once per process rather than once per chart.

    Relies on matplotlib internals (pinned in pyproject.toml): this is `print_svg`'s
    body with `_MeasuringRenderer` in place of `RendererSVG`; tests/test_charts.py
    fails if the two ever write different bytes.
    """
    FigureCanvasSVG(fig)  # the canvas `print_svg` would be called on
    dpi = fig.dpi
    fig.dpi = 72
    width, height = fig.get_size_inches()
    out = io.StringIO()  # text, not bytes: no encoding writer around every small write
    svg = _MeasuringRenderer(width * 72, height * 72, out, image_dpi=dpi, metadata={"Date": None})
    renderer = MixedModeRenderer(fig, width, height, dpi, svg)
    fig.draw(renderer)
    renderer.finalize()
    return out.getvalue().encode()


class _MeasuringRenderer(RendererSVG):
    """matplotlib's SVG renderer, measuring text with caches shared by every chart.

    `Text` caches measures per renderer, and each chart gets a renderer of its own:
    without this, FreeType shapes every label, value and axis title again in every
    chart, and the font's line heights are looked up again for every text, which was
    most of the drawing time. For the SVG renderer both depend only on the text and
    its font properties (text is laid out at a fixed 72 dpi), never on the renderer.
    """

    def get_text_width_height_descent(
        self, s: str, prop: FontProperties, ismath: bool | str
    ) -> tuple[float, float, float]:
        return _text_measure(s, prop, ismath)

    def _get_font_height_metrics(self, prop: FontProperties) -> tuple[float | None, ...]:
        # A private hook (matplotlib's PDF renderer has it): `Text._get_layout` asks for
        # it when a renderer has it, else computes `_font_heights` itself for every text.
        heights = _HEIGHTS.get(prop)
        if heights is None:  # stored under a copy: the text's own may change later
            heights = _HEIGHTS[prop.copy()] = _font_heights(prop)
        return heights


@functools.lru_cache(maxsize=65536)
def _text_measure(s: str, prop: FontProperties, ismath: bool | str) -> tuple[float, float, float]:
    # `prop` is the copy `Text` made for its own cache's key; nothing changes it.
    return _MEASURER.get_text_width_height_descent(s, prop, ismath)


_MEASURER = TextToPath()
"""What `RendererSVG` measures text with (each renderer makes its own; they are alike)."""

_HEIGHTS: dict[FontProperties, tuple[float | None, ...]] = {}
"""A font's ascent, descent and line gap by font properties, as `_font_heights` gives."""


def _font_heights(prop: FontProperties) -> tuple[float | None, ...]:
    """Ascent, descent and line gap of the font for `prop`, computed exactly as
    `Text._get_layout` (matplotlib 3.11) does without the hook, at the SVG's 72 dpi."""
    font = get_font(fontManager._find_fonts_by_props(prop))
    dpi = 72
    for table_name, gap_key, ascent_key, descent_key in (
        ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
        ("hhea", "lineGap", "ascent", "descent"),
    ):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        fontsize = prop.get_size_in_points()
        units_per_em = font.get_sfnt_table("head")["unitsPerEm"]
        scale = 1 / units_per_em * fontsize * dpi / 72
        return table[ascent_key] * scale, -table[descent_key] * scale, table[gap_key] * scale
    return None, None, None  # as without the hook: measure "lp" instead
