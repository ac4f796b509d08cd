"""The look of the charts as plain data: matplotlib's settings and the colours.

Apart from `drawing`, which uses them, so that the main process of a run can name the
style in the charts' cache keys without importing matplotlib: only the chart workers
draw, and importing it took the main process over a second of a cold run.
"""

from __future__ import annotations

STYLE = {
    "svg.hashsalt": "dl-challenge-catalog",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    # Titles are contributed text: "$5 vs $10" is money, not mathtext (and "$\\foo$"
    # would stop the run with a parse error).
    "text.parse_math": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
BAR = "#3949ab"  # Material indigo 600: readable on the white chart background
CITED_BAR = "#00796b"  # teal 700: a study's reported counts never look like our own

TEXT = "#212121"
