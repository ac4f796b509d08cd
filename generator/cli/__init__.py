"""The `catalog` command (also `python -m generator`): parse arguments, call one function.

Owns only the mapping from arguments to `Settings` and from exceptions to exit codes (see
`errors.EXIT_CODES`, applied in `common`); all behaviour lives in the library. The
commands are grouped by who runs them: `run` (the pipeline and what reads its results)
and `contribute` (scaffolding, importing a study, suggesting labels), each added to the
group here, explicitly.

`build` imports its stages only when they run; the other heavy modules (scaffolding,
export, the stats text, the preview server, the suggester) are imported by the commands
that use them. `--help` and a `generate` with nothing to do must not pay a second of
importing pandas, matplotlib and pydantic.
"""

from __future__ import annotations

import click

from . import contribute
from . import run as running


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dl-challenge-catalog")
def main() -> None:
    """DL Challenge Catalog: validate the catalog and build its site.

    Exit codes: 0 success, 1 invalid catalog, 2 bad command line,
    3 MkDocs build failed, 4 output path outside docs/, 5 derived files out of
    date (run `catalog export`), 70 internal error.
    """


for command in (
    running.validate,
    running.generate,
    running.build_command,
    running.serve,
    running.stats,
    running.export_command,
    running.release,
    contribute.new,
    contribute.add_post,
    contribute.import_study,
    contribute.suggest,
    contribute.evaluate_suggest,
    contribute.queue_suggest,
):
    main.add_command(command)
