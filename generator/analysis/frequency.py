"""The numbers behind one chart: shared by the analysis that computes them, the charts
that draw them and the pages that print them as tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Frequency:
    """The numbers behind one frequency chart and its table."""

    kind: Literal["children", "years"]
    """`children`: posts per child category; `years`: posts per year (leaves)."""
    labels: tuple[str, ...]
    """Category titles or years, in display order."""
    values: tuple[int, ...]
    """Post count for each label."""
    ids: tuple[str | None, ...]
    """Challenge ID of each label (`children`), or None (years, or 'labeled here')."""
    cited: str | None = None
    """None for counts computed from our labeled posts; else the study that reports
    them ("Chen et al. (2020)"), so charts and tables never mix the two."""
