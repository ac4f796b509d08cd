"""The `catalog` command (also `python -m generator`): parse arguments, call one function.

Owns only the mapping from arguments to `Settings` and from exceptions to
exit codes (see `errors.EXIT_CODES`); all behaviour lives in `build`.

`build` imports its stages only when they run; the other heavy modules (scaffolding,
export, the stats text, the preview server) are imported by the commands that use them.
`--help` and a `generate` with nothing to do must not pay a second of importing pandas,
matplotlib and pydantic.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import click

from .errors import EXIT_CODES, CatalogError, ExportStale, Problem, ValidationFailed
from .model.vocab import FRAMEWORKS, PLATFORMS, SCAFFOLD_HINT
from .settings import Settings
from .site import build, report

INTERNAL_ERROR = 70
"""Exit code for an unexpected exception (EX_SOFTWARE in sysexits.h)."""

_root = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Project folder (holds mkdocs.yml, catalog/ and data/).",
)
_strict = click.option("--strict", is_flag=True, help="Treat warnings as errors.")


def _settings(root: Path, strict: bool = False) -> Settings:
    return Settings(root=root.resolve(), strict=strict)


def _print_problems(problems: list[Problem], fmt: str = "text") -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
        if fmt == "github":
            click.echo(report.github_annotation(problem))


def _explain(exc: Exception, outcome: str = "nothing was written", fmt: str = "text") -> int:
    """Print what went wrong, as the user should read it; return the exit code.

    `outcome` says what became of the output ("nothing was written" for a command;
    `catalog serve` keeps serving the last good pages).
    """
    if isinstance(exc, ValidationFailed):
        _print_problems(exc.problems, fmt)
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


def _run(action, fmt: str = "text") -> None:
    """Run `action`, turning the generator's exceptions into messages and exit codes."""
    try:
        action()
    except Exception as exc:
        sys.exit(_explain(exc, fmt=fmt))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dl-challenge-catalog")
def main() -> None:
    """DL Challenge Catalog: validate the catalog and build its site.

    Exit codes: 0 success, 1 invalid catalog, 2 bad command line,
    3 MkDocs build failed, 4 output path outside docs/, 5 derived files out of
    date (run `catalog export`), 70 internal error.
    """


@main.command()
@_root
@_strict
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="`github` also prints each problem as a GitHub Actions annotation.",
)
def validate(root: Path, strict: bool, fmt: str) -> None:
    """Check every catalog and data file; write nothing.

    Exit codes: 0 valid (warnings allowed unless --strict), 1 invalid.
    """

    def action() -> None:
        catalog, _, warnings = build.check(_settings(root, strict))
        _print_problems(warnings, fmt)
        click.echo(
            f"ok: {len(catalog.challenges)} challenges, {len(catalog.posts)} posts"
            + (f"; {report.problem_counts(warnings)}" if warnings else "")
        )

    _run(action, fmt)


@main.command()
@_root
@_strict
def generate(root: Path, strict: bool) -> None:
    """Regenerate pages and charts in docs/ (no MkDocs build)."""

    def action() -> None:
        result = build.generate(_settings(root, strict))
        _print_problems(result.warnings)
        click.echo(report.write_summary(result.report))

    _run(action)


@main.command(name="build")
@_root
@_strict
def build_command(root: Path, strict: bool) -> None:
    """Generate, then build site/ with `mkdocs build --strict`."""

    def action() -> None:
        settings = _settings(root, strict)
        result = build.build_site(settings)
        _print_problems(result.warnings)
        click.echo(report.write_summary(result.report))
        click.echo(
            f"site built in {settings.site_dir} (open {settings.site_dir}/index.html, "
            "or run `make serve`)"
        )

    _run(action)


@main.command()
@_root
@click.option(
    "--addr",
    default="127.0.0.1:8000",
    show_default=True,
    help="Address to serve on (loopback by default).",
)
def serve(root: Path, addr: str) -> None:
    """Generate, then preview the site with live reload; regenerate when an input is saved."""

    def action() -> None:
        from .site import serve as serving

        settings = _settings(root)

        def first() -> None:
            result = build.generate(settings)
            _print_problems(result.warnings)
            click.echo(report.write_summary(result.report))

        def regenerate() -> None:
            # Runs on the watcher's thread after each save: report, never raise, so that
            # one broken save does not stop the preview.
            start = time.perf_counter()
            try:
                result = build.generate(settings)
            except Exception as exc:
                _explain(exc, "the preview keeps the last good pages")
            else:
                _print_problems(result.warnings)
                seconds = time.perf_counter() - start
                click.echo(f"regenerated in {seconds:.1f} s: {report.write_summary(result.report)}")

        sys.exit(serving.serve(settings, addr, first, regenerate, build.mkdocs_env()))

    _run(action)


@main.command()
@_root
def stats(root: Path) -> None:
    """Print a summary of the catalog: taxonomies, challenges and post counts."""

    def action() -> None:
        from .tools import statstext

        catalog, figures, _ = build.check(_settings(root))
        click.echo(statstext.stats_text(catalog, figures))

    _run(action)


def _git_user() -> str | None:
    """The contributor's name for credit, from git, when they do not give one."""
    for key in ("github.user", "user.name"):
        result = subprocess.run(["git", "config", key], capture_output=True, text=True, check=False)
        if result.returncode == 0 and result.stdout.strip():
            return result.stdout.strip()
    return None


@main.group()
def new() -> None:
    """Create new catalog entries from a template."""


@new.command(name="challenge")
@_root
@click.option("--parent", required=True, help="ID of the parent challenge, e.g. DLC-0003.")
@click.option("--title", required=True, help="Title of the new challenge.")
@click.option("--author", help="Your GitHub handle, credited on the page (default: from git).")
def new_challenge(root: Path, parent: str, title: str, author: str | None) -> None:
    """Write a complete challenge file with the next free ID, and register the ID."""

    def action() -> None:
        from .tools import scaffold

        for item in scaffold.new_challenge(_settings(root), parent, title, author or _git_user()):
            click.echo(f"wrote {item.path}:{item.line}  {item.what}")
        click.echo(
            f"next: replace the texts starting with '{SCAFFOLD_HINT.strip()}' (start "
            "with the summary), then run `make test` and look at it with `make serve`"
        )

    _run(action)


@main.command(name="add-post")
@_root
@click.argument("url")
@click.option(
    "--label",
    "labels",
    multiple=True,
    required=True,
    help="Challenge ID; repeat for several, the first is the primary label.",
)
@click.option(
    "--framework",
    "frameworks",
    multiple=True,
    required=True,
    help=f"Framework or tool; repeat for several. One of: {', '.join(FRAMEWORKS)}.",
)
@click.option("--summary", required=True, help="One line in your own words: what went wrong.")
@click.option("--created", required=True, help="Date the post was created, YYYY-MM-DD.")
@click.option(
    "--platform", required=True, type=click.Choice(PLATFORMS), help="Platform the post concerns."
)
@click.option("--score", type=int, help="Vote score (Stack Overflow).")
@click.option("--answers", type=int, help="Number of answers (or comments on GitHub).")
@click.option("--accepted/--not-accepted", default=None, help="Whether an answer was accepted.")
@click.option("--by", "labeled_by", help="Your GitHub handle (default: from git).")
def add_post(
    root: Path,
    url: str,
    labels: tuple[str, ...],
    frameworks: tuple[str, ...],
    summary: str,
    created: str,
    platform: str,
    score: int | None,
    answers: int | None,
    accepted: bool | None,
    labeled_by: str | None,
) -> None:
    """Append a real post, labeled with challenges, to the right data file."""

    def action() -> None:
        from .tools import scaffold

        by = labeled_by or _git_user()
        if not by:
            raise scaffold.refuse(
                "--by", "no name to credit the labels to", "pass --by YOUR_GITHUB_HANDLE"
            )
        item = scaffold.add_post(
            _settings(root),
            url,
            list(labels),
            list(frameworks),
            summary,
            created,
            platform,
            by,
            score,
            answers,
            accepted,
        )
        click.echo(f"appended {item.path}:{item.line}  {item.what}")
        click.echo("next: run `make test`, then open a pull request")

    _run(action)


@main.command(name="import-study")
@_root
@click.argument(
    "folder", type=click.Path(exists=True, file_okay=False, dir_okay=True, path_type=Path)
)
def import_study(root: Path, folder: Path) -> None:
    """Import a published study: taxonomy, labeled posts and sources, from FOLDER.

    FOLDER holds study.yaml, taxonomy.csv, posts.csv and labels.csv (CONTRIBUTING.md,
    "Importing a study"). Everything is checked first; a second run changes nothing."""

    def action() -> None:
        from .tools import importstudy

        written = importstudy.import_study(_settings(root), folder)
        for item in written:
            click.echo(f"wrote {item.path}  {item.what}")
        click.echo(
            f"imported: {len(written)} change(s)" if written else "up to date: nothing changed"
        )

    _run(action)


@main.command(name="export")
@_root
@click.option("--check", is_flag=True, help="Only report out-of-date files (exit code 5).")
def export_command(root: Path, check: bool) -> None:
    """Regenerate the JSON Schemas, the field tables and the editor lines from the models."""

    def action() -> None:
        from .tools import export

        stale = export.export(_settings(root), check=check)
        if check and stale:
            raise ExportStale(
                "out of date: " + ", ".join(stale) + " — run `make export` and commit the result"
            )
        verb = "would update" if check else "updated"
        click.echo(f"{verb} {len(stale)} file(s)" + (": " + ", ".join(stale) if stale else ""))

    _run(action)


@main.command()
@_root
def release(root: Path) -> None:
    """Record the catalog as released: write releases/<version>.json.

    The version and date come from CITATION.cff; bump them (and pyproject.toml's
    version) first. The snapshot feeds the What's new page and changes-<version>.json.
    """

    def action() -> None:
        written = build.record_release(_settings(root))
        click.echo(f"wrote {written}")

    _run(action)
