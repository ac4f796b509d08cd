"""The contributors' commands: new challenge, add-post, import-study."""

from __future__ import annotations

import subprocess
from pathlib import Path

import click

from ..model.vocab import FRAMEWORKS, PLATFORMS, SCAFFOLD_HINT
from .common import root_option, run, settings_for


def _git_user() -> str | None:
    """The contributor's name for credit, from git, when they do not give one."""
    for key in ("github.user", "user.name"):
        result = subprocess.run(["git", "config", key], capture_output=True, text=True, check=False)
        if result.returncode == 0 and result.stdout.strip():
            return result.stdout.strip()
    return None


@click.group()
def new() -> None:
    """Create new catalog entries from a template."""


@new.command(name="challenge")
@root_option
@click.option("--parent", required=True, help="ID of the parent challenge, e.g. DLC-0003.")
@click.option("--title", required=True, help="Title of the new challenge.")
@click.option("--author", help="Your GitHub handle, credited on the page (default: from git).")
def new_challenge(root: Path, parent: str, title: str, author: str | None) -> None:
    """Write a complete challenge file with the next free ID, and register the ID."""

    def action() -> None:
        from ..tools import scaffold

        for item in scaffold.new_challenge(
            settings_for(root), parent, title, author or _git_user()
        ):
            click.echo(f"wrote {item.path}:{item.line}  {item.what}")
        click.echo(
            f"next: replace the texts starting with '{SCAFFOLD_HINT.strip()}' (start "
            "with the summary), then run `make test` and look at it with `make serve`"
        )

    run(action)


@click.command(name="add-post")
@root_option
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
        from ..tools import scaffold

        by = labeled_by or _git_user()
        if not by:
            raise scaffold.refuse(
                "--by", "no name to credit the labels to", "pass --by YOUR_GITHUB_HANDLE"
            )
        item = scaffold.add_post(
            settings_for(root),
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

    run(action)


@click.command(name="import-study")
@root_option
@click.argument(
    "folder", type=click.Path(exists=True, file_okay=False, dir_okay=True, path_type=Path)
)
def import_study(root: Path, folder: Path) -> None:
    """Import a published study: taxonomy, labeled posts and sources, from FOLDER.

    FOLDER holds study.yaml, taxonomy.csv, posts.csv and labels.csv (CONTRIBUTING.md,
    "Importing a study"). Everything is checked first; a second run changes nothing."""

    def action() -> None:
        from ..tools import importstudy

        written = importstudy.import_study(settings_for(root), folder)
        for item in written:
            click.echo(f"wrote {item.path}  {item.what}")
        click.echo(
            f"imported: {len(written)} change(s)" if written else "up to date: nothing changed"
        )

    run(action)
