"""CSV files as rows of cells, with the line each row starts on.

Owns the syntax of the catalog's CSV files (posts in `data/`, labeling queues in `queue/`):
the header, which must name a file kind's columns in order (its optional last columns may
be left out), quoting, and rows of the header's width. It interprets no cell; `validate`
does. Problems are collected, never raised.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ..errors import Problem
from .didyoumean import suggest


@dataclass(frozen=True)
class Columns:
    """The header one kind of CSV file must have."""

    names: tuple[str, ...]
    """Every column the file may have, in this order."""
    optional: int = 0
    """How many of the last columns the file may leave out."""

    @property
    def required(self) -> tuple[str, ...]:
        """The columns every file of this kind starts with, in this order."""
        return self.names[: len(self.names) - self.optional]


@dataclass(frozen=True, slots=True)
class LoadedRow:
    """One data row of a CSV file.

    Its cells are a tuple beside the header its file shares, not a dictionary per row:
    `catalog serve` keeps every row of 100,000 posts, and a dictionary of thirteen cells
    costs more than the cells' text. `values` makes one when asked.
    """

    path: str
    """Path relative to the project root."""
    line: int
    """1-based line where the row starts (the header is line 1)."""
    header: tuple[str, ...]
    """The file's column names (one tuple for all its rows)."""
    cells: tuple[str, ...]
    """Cell text, one per column of `header`."""

    @property
    def values(self) -> dict[str, str]:
        """Cell text by column name."""
        return dict(zip(self.header, self.cells, strict=True))

    def get(self, column: str) -> str | None:
        """The cell in `column`, or None when the file has no such column."""
        return self.cells[self.header.index(column)] if column in self.header else None


def read_rows(rel: str, text: str, columns: Columns, problems: list[Problem]) -> list[LoadedRow]:
    """The data rows of the CSV file `rel` holding `text`; its problems go to `problems`."""
    required = columns.required
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            problems.append(
                Problem(
                    rel,
                    0,
                    "",
                    "the file is empty",
                    "start it with the header line: " + ",".join(required),
                )
            )
            return []
        if not _header_ok(rel, header, columns, problems):
            return []
        rows: list[LoadedRow] = []
        names = tuple(header)
        start = reader.line_num + 1
        for cells in reader:
            if cells and any(cell.strip() for cell in cells):
                if len(cells) != len(header):
                    problems.append(
                        Problem(
                            rel,
                            start,
                            "",
                            f"row has {len(cells)} cells, the header has {len(header)}",
                            "quote cells that contain commas",
                        )
                    )
                else:
                    rows.append(LoadedRow(rel, start, names, tuple(cells)))
            start = reader.line_num + 1
        return rows
    except csv.Error as exc:
        problems.append(
            Problem(
                rel, reader.line_num, "", f"invalid CSV: {exc}", "check the quotes on that line"
            )
        )
        return []


def _header_ok(rel: str, header: list[str], columns: Columns, problems: list[Problem]) -> bool:
    names, required = columns.names, columns.required
    if tuple(header) in (names, required):
        return True
    before = len(problems)
    for name in header:
        if name not in names:
            hint = suggest(name, names) or "remove it"
            problems.append(Problem(rel, 1, name, "unknown column", hint))
    missing = [name for name in required if name not in header]
    if missing:
        problems.append(
            Problem(
                rel,
                1,
                "",
                "missing column(s): " + ", ".join(missing),
                "the header must be: " + ",".join(required),
            )
        )
    if len(problems) == before:  # reordered or repeated columns
        problems.append(
            Problem(
                rel,
                1,
                "",
                "columns are repeated or out of order",
                "the header must be: " + ",".join(required),
            )
        )
    return False
