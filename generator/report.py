"""Text summaries for the terminal (the `stats` command and run reports)."""

from __future__ import annotations

from .analyze import Stats
from .catalog import Catalog
from .errors import Problem, Severity
from .models import Status
from .render import posts
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


def stats_text(catalog: Catalog, stats: Stats) -> str:
    """The catalog as indented trees with post counts, after headline figures."""
    lines = [
        f"{stats.active_challenges} active challenges, {stats.total_posts} labeled posts, "
        f"{stats.frameworks} frameworks, newest post {stats.newest or '-'}",
        "",
    ]
    for root in catalog.roots:
        for cid, depth in [(root, 0), *catalog.descendants(root)]:
            c = catalog.challenges[cid]
            status = "" if c.status is Status.ACTIVE else f" [{c.status.value}]"
            name = f"{'  ' * depth}{cid}  {c.title}{status}"
            lines.append(f"{name:<72} {posts(stats.by_challenge[cid].posts):>11}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


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
