"""What every command shares: the options, the settings, and errors turned into exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import EXIT_CODES, CatalogError, Problem, ValidationFailed
from ..settings import Settings
from ..site import report

INTERNAL_ERROR = 70
"""Exit code for an unexpected exception (EX_SOFTWARE in sysexits.h)."""

root_option = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Project folder (holds mkdocs.yml, catalog/ and data/).",
)
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")


def settings_for(root: Path, strict: bool = False) -> Settings:
    return Settings(root=root.resolve(), strict=strict)


def print_problems(problems: list[Problem], fmt: str = "text") -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
        if fmt == "github":
            click.echo(report.github_annotation(problem))


def explain(exc: Exception, outcome: str = "nothing was written", fmt: str = "text") -> int:
    """Print what went wrong, as the user should read it; return the exit code.

    `outcome` says what became of the output ("nothing was written" for a command;
    `catalog serve` keeps serving the last good pages).
    """
    if isinstance(exc, ValidationFailed):
        print_problems(exc.problems, fmt)
        click.echo(f"validation failed: {report.problem_counts(exc.problems)}; {outcome}", err=True)
        return EXIT_CODES[ValidationFailed]
    if isinstance(exc, CatalogError):
        click.echo(f"error: {exc}", err=True)
        return EXIT_CODES.get(type(exc), 1)
    # A bug, not bad input: say so instead of dumping a traceback.
    click.echo(
        f"internal error: {type(exc).__name__}: {exc}\n"
        "This is a bug in the generator; please report it with the command you ran.",
        err=True,
    )
    return INTERNAL_ERROR


def run(action, fmt: str = "text") -> None:
    """Run `action`, turning the generator's exceptions into messages and exit codes."""
    try:
        action()
    except Exception as exc:
        sys.exit(explain(exc, fmt=fmt))
