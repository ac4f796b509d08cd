"""One-line run reports for the terminal and GitHub Actions.

Imports nothing heavy: a no-change `generate` prints its summary from here without
loading pandas, matplotlib or pydantic.
"""

from __future__ import annotations

from ..errors import Problem, Severity
from .write import WriteReport


def problem_counts(problems: list[Problem]) -> str:
    """`2 errors, 1 warning`."""
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    parts = [f"{errors} error{'s' * (errors != 1)}"] if errors else []
    if warnings:
        parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
    return ", ".join(parts)


def write_summary(report: WriteReport) -> str:
    """One line: what a generation changed in docs/."""
    return (
        f"docs/: {len(report.written)} written, {report.unchanged} unchanged, "
        f"{len(report.removed)} removed"
    )


def _escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def github_annotation(problem: Problem) -> str:
    """A GitHub Actions workflow command that marks the problem on its file and line."""
    kind = "warning" if problem.severity is Severity.WARNING else "error"
    where = f"file={_escape(problem.file, True)}"
    if problem.line:
        where += f",line={problem.line}"
    title = _escape(problem.field or "catalog", True)
    hint = f" — {problem.hint}" if problem.hint else ""
    return f"::{kind} {where},title={title}::{_escape(problem.message + hint)}"
