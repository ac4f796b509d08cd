"""The commands that run the pipeline or read its results: validate, generate, build,
serve, stats, export, release."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from ..errors import ExportStale
from ..site import build, report
from .common import explain, print_problems, root_option, run, settings_for, strict_option


@click.command()
@root_option
@strict_option
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
        catalog, _, warnings = build.check(settings_for(root, strict))
        print_problems(warnings, fmt)
        click.echo(
            f"ok: {len(catalog.challenges)} challenges, {len(catalog.posts)} posts"
            + (f"; {report.problem_counts(warnings)}" if warnings else "")
        )

    run(action, fmt)


@click.command()
@root_option
@strict_option
def generate(root: Path, strict: bool) -> None:
    """Regenerate pages and charts in docs/ (no MkDocs build)."""

    def action() -> None:
        result = build.generate(settings_for(root, strict))
        print_problems(result.warnings)
        click.echo(report.write_summary(result.report))

    run(action)


@click.command(name="build")
@root_option
@strict_option
def build_command(root: Path, strict: bool) -> None:
    """Generate, then build site/ with `mkdocs build --strict`."""

    def action() -> None:
        settings = settings_for(root, strict)
        result = build.build_site(settings)
        print_problems(result.warnings)
        click.echo(report.write_summary(result.report))
        click.echo(
            f"site built in {settings.site_dir} (open {settings.site_dir}/index.html, "
            "or run `make serve`)"
        )

    run(action)


@click.command()
@root_option
@click.option(
    "--addr",
    default="127.0.0.1:8000",
    show_default=True,
    help="Address to serve on (loopback by default).",
)
def serve(root: Path, addr: str) -> None:
    """Generate, then preview the site with live reload; regenerate when an input is saved."""

    def action() -> None:
        from ..site import serve as serving
        from ..site.warm import WarmGenerator

        settings = settings_for(root)
        # Kept for the whole session: after the first full run, a save regenerates only
        # what it changed (see site/warm.py).
        warm = WarmGenerator(settings)

        def first() -> None:
            result = warm.generate()
            warm.finish()
            print_problems(result.warnings)
            click.echo(report.write_summary(result.report))

        # The steps after a save run on the watcher's thread: report, never raise, so
        # that one broken save does not stop the preview.
        def generate() -> list[str] | None:
            start = time.perf_counter()
            try:
                result = warm.generate()
            except Exception as exc:
                explain(exc, "the preview keeps the last good pages")
                return None
            print_problems(result.warnings)
            seconds = time.perf_counter() - start
            click.echo(f"regenerated in {seconds:.1f} s: {report.write_summary(result.report)}")
            return [*result.report.written, *result.report.removed]

        def finish() -> list[str]:
            start = time.perf_counter()
            try:
                written = warm.finish()
            except Exception as exc:
                explain(exc, "the preview keeps the last good pages")
                return []
            if written:  # the site-wide pages and the downloads, after the challenge pages
                seconds = time.perf_counter() - start
                what = ", ".join(written[:3]) + (
                    f" and {len(written) - 3} more" if len(written) > 3 else ""
                )
                click.echo(f"then in {seconds:.1f} s: {what}")
            return written

        steps = serving.Steps(first, generate, finish, warm.pending_paths)
        sys.exit(serving.serve(settings, addr, steps))

    run(action)


@click.command()
@root_option
def stats(root: Path) -> None:
    """Print a summary of the catalog: taxonomies, challenges and post counts."""

    def action() -> None:
        from ..tools import statstext

        catalog, figures, _ = build.check(settings_for(root))
        click.echo(statstext.stats_text(catalog, figures))

    run(action)


@click.command(name="export")
@root_option
@click.option("--check", is_flag=True, help="Only report out-of-date files (exit code 5).")
def export_command(root: Path, check: bool) -> None:
    """Regenerate the JSON Schemas, the field tables and the editor lines from the models."""

    def action() -> None:
        from ..tools import export

        stale = export.export(settings_for(root), check=check)
        if check and stale:
            raise ExportStale(
                "out of date: " + ", ".join(stale) + " — run `make export` and commit the result"
            )
        verb = "would update" if check else "updated"
        click.echo(f"{verb} {len(stale)} file(s)" + (": " + ", ".join(stale) if stale else ""))

    run(action)


@click.command()
@root_option
def release(root: Path) -> None:
    """Record the catalog as released: write releases/<version>.json.

    The version and date come from CITATION.cff; bump them (and pyproject.toml's
    version) first. The snapshot feeds the What's new page and changes-<version>.json.
    """

    def action() -> None:
        written = build.record_release(settings_for(root))
        click.echo(f"wrote {written}")

    run(action)
