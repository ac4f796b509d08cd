"""The contributors' commands: new challenge, add-post, import-study."""

from __future__ import annotations

import subprocess
import sys
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
    help="Challenge ID; repeat for several, the first is the primary label. Without it, "
    "the challenges the summary suggests are shown to choose from (at a terminal) or "
    "printed with a refusal (elsewhere).",
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
        chosen = list(labels) or [_choose_label(settings_for(root), summary)]
        item = scaffold.add_post(
            settings_for(root),
            url,
            chosen,
            list(frameworks),
            summary,
            created,
            platform,
            by,
            score,
            answers,
            accepted,
        )
        click.echo(f"{item.verb} {item.path}:{item.line}  {item.what}")
        click.echo("next: run `make test`, then open a pull request")

    run(action)


def _choose_label(settings, summary: str) -> str:
    """The label for a post added without `--label`: suggested from its summary, chosen at
    a terminal; elsewhere the suggestions are printed and the command refuses."""
    from ..tools import scaffold, suggestions

    found = suggestions.suggest(settings, summary)
    for line in suggestions.report(found):
        click.echo(line, err=True)
    if not found.suggestions or not sys.stdin.isatty():
        raise scaffold.refuse(
            "--label", "no label given", "pass --label with one of the IDs above (or another)"
        )
    pick = click.prompt(
        "label (number or challenge ID)", default="1", show_default=True, err=True
    ).strip()
    if pick.isdigit() and 1 <= int(pick) <= len(found.suggestions):
        return found.suggestions[int(pick) - 1].cid
    return pick


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


def read_text(text: str | None, path: Path | None) -> str:
    """The text to match: the argument, a file (`-` for standard input) or standard input."""
    if text is not None:
        data = text.encode("utf-8")
    elif path is not None and str(path) != "-":
        data = path.read_bytes()
    else:
        stdin = sys.stdin.buffer
        if sys.stdin.isatty():
            raise click.UsageError(
                "give the text as an argument, with --file FILE, or on standard input"
            )
        data = stdin.read()
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise click.UsageError(
            f"the input is not UTF-8 text (byte {exc.start}): save it as UTF-8 and try again"
        ) from None
    if not decoded.strip():
        raise click.UsageError(
            "no text to match: give a post's title and body, or an error message"
        )
    return decoded


@click.command()
@root_option
@click.argument("text", required=False)
@click.option(
    "--file",
    "path",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    help="Read the text from FILE ('-' for standard input).",
)
@click.option("--top", default=5, show_default=True, type=click.IntRange(1, 50))
def suggest(root: Path, text: str | None, path: Path | None, top: int) -> None:
    """Suggest the challenges a post or an error message is about, with the words that
    matched. TEXT, --file FILE, or standard input."""
    query = read_text(text, path)

    def action() -> None:
        from ..tools import suggestions

        for line in suggestions.report(suggestions.suggest(settings_for(root), query, top)):
            click.echo(line)

    run(action)


@click.command(name="evaluate-suggest")
@root_option
@click.argument(
    "package", type=click.Path(exists=True, file_okay=False, dir_okay=True, path_type=Path)
)
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2, 20))
@click.option("--record", is_flag=True, help="Also write the results to docs/accuracy.md.")
def evaluate_suggest(root: Path, package: Path, folds: int, record: bool) -> None:
    """Measure the suggester on Chen et al.'s labeled questions, by cross-validation.

    PACKAGE is a local copy of the study's replication package (github.com/chenzhenpeng18/
    fse2020): the questions' text is read from it and never stored."""

    def action() -> None:
        from ..tools import evaluate

        settings = settings_for(root)
        result = evaluate.run(settings, package, k=folds)
        click.echo(evaluate.table(result), nl=False)
        if record:
            click.echo(f"recorded in {settings.rel(evaluate.record(settings, result))}")

    run(action)


@click.command(name="queue-suggest")
@root_option
@click.argument(
    "package", type=click.Path(exists=True, file_okay=False, dir_okay=True, path_type=Path)
)
@click.option("--study", default="chen2020", show_default=True, help="The study's source key.")
def queue_suggest(root: Path, package: Path, study: str) -> None:
    """Write queue/STUDY.csv: for each post the study labeled only coarsely (Chen et al.:
    the platform), the three challenges below that label ranked first for its text.

    PACKAGE is a local copy of the study's replication package (github.com/chenzhenpeng18/
    fse2020); the questions' text is read from it and never stored. The ranking is
    `catalog suggest`'s, fitted on the catalog's own text; the same catalog and package
    give the same file."""

    def action() -> None:
        from ..tools import queuesuggest

        queue, path = queuesuggest.run(settings_for(root), package, study)
        click.echo(
            f"wrote {path}  {len(queue.items):,} queued posts (package at commit "
            f"{queue.package_commit}); left out: {queue.without_text:,} without text in "
            f"the package, {queue.unmatched:,} sharing no word with a candidate"
        )

    run(action)
