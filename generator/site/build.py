"""The pipeline: load → validate → analyze → chart → render → write, then MkDocs.

Owns the order of the stages and nothing else; each line below is one stage.
Everything is read, checked and rendered in memory before the first write, so
a broken entry leaves `docs/` and `site/` exactly as they were.

The stages are imported inside the functions that run them: when the run record says
nothing changed, `generate` returns before pandas, matplotlib and pydantic are loaded,
which is most of what an unchanged run would otherwise cost.
"""

from __future__ import annotations

import functools
import gc
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import Problem, SiteBuildFailed, ValidationFailed
from ..settings import CITATION_FILE, GENERATED_DIRS, RELEASES_DIR, Settings
from . import runrecord, write

if TYPE_CHECKING:
    from ..analysis.analyze import Stats
    from ..inputs.memo import InputMemo
    from ..model.catalog import Catalog


@dataclass(frozen=True)
class Generated:
    """Result of `generate`."""

    catalog: Catalog | None
    """The validated catalog (None when nothing changed since the last run)."""
    stats: Stats | None
    """Its statistics (None when nothing changed since the last run)."""
    warnings: list[Problem]
    """Warnings found while validating (errors would have raised)."""
    report: write.WriteReport
    """What changed in `docs/`."""


def check(settings: Settings) -> tuple[Catalog, Stats, list[Problem]]:
    """Load, validate and analyze; write nothing. Raises `ValidationFailed`."""
    from ..analysis.analyze import analyze

    catalog, warnings = validated(settings)
    with without_gc_pauses():
        return catalog, analyze(catalog), warnings


def validated(settings: Settings, memo: InputMemo | None = None) -> tuple[Catalog, list[Problem]]:
    """Load and validate; `memo` keeps parsed files and rows for a warm process's next run."""
    from ..inputs.load import load
    from ..inputs.validate import validate

    with without_gc_pauses():
        return validate(load(settings, memo), strict=settings.strict, memo=memo)


@contextmanager
def without_gc_pauses() -> Iterator[None]:
    """Switch off Python's cyclic garbage collector for a stage that only builds objects.

    Loading 100,000 posts allocates millions of objects, and every few hundred
    allocations set off a collection that finds nothing to free: about a third of the
    time of loading, validating and rendering a large catalog. Reference counting still
    frees everything as usual; the collector resumes (and catches up) afterwards. Not
    used around chart drawing (a run with too few charts for workers draws them here):
    matplotlib's figures do hold reference cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def generate(settings: Settings) -> Generated:
    """Regenerate the catalog's pages and charts in `docs/`."""
    print_ = runrecord.fingerprint(settings)
    last = runrecord.unchanged(settings, print_)
    if last is not None:  # same inputs, same code, outputs untouched: nothing to do
        outputs, warnings = last
        return Generated(None, None, warnings, write.WriteReport(unchanged=outputs))
    from ..analysis import charts
    from ..analysis.analyze import analyze
    from ..analysis.background import Background

    charts.start_worker_server()  # it imports matplotlib while this process validates
    catalog, warnings = validated_for_the_run(settings)
    # The post downloads and the suggestion index need no statistics: a forked child
    # makes them meanwhile.
    with Background(_unranked_outputs, catalog) as posts_out:
        with without_gc_pauses():
            stats = analyze(catalog)
        outputs, fresh = _pages_and_charts(settings, catalog, stats)
        outputs.update(posts_out.result())
    outputs.update(schema_files())
    # A thousand new charts for the cache: another forked child writes them meanwhile.
    with Background(keep_charts, settings, fresh) as kept:
        report = write.sync(settings.docs_dir, GENERATED_DIRS, outputs)
        kept.result()
    runrecord.remember(settings, print_, list(outputs), warnings)
    return Generated(catalog, stats, warnings, report)


def validated_for_the_run(settings: Settings) -> tuple[Catalog, list[Problem]]:
    """`validated`, its objects then hidden from the cyclic garbage collector for good.

    A generation's catalog (hundreds of thousands of objects) lives until the run ends,
    yet every collection of the oldest generation walked all of it: a second or two in
    this process, counting the collection at exit, and in a forked child (the
    background work, the chart workers) the walk also wrote to each object's header,
    copying the parent's memory page by page, three to six seconds a child.
    `gc.freeze` sets everything alive aside at no cost, before the first collection
    after validation. Nothing is lost: frozen objects are still freed when the last
    reference goes, and a catalog has no reference cycles to collect.
    """
    with without_gc_pauses():
        catalog, warnings = validated(settings)
        gc.freeze()
    return catalog, warnings


def schema_files() -> dict[str, bytes]:
    """The JSON Schemas, published on the site too, for editors and other tools."""
    from ..pages import schemas

    return {f"schemas/{name}": text.encode() for name, text in schemas.schemas().items()}


def cached_chart(settings: Settings, key: str) -> bytes | None:
    """A chart drawn by an earlier run from the same data and style, if there was one."""
    path = settings.cache_dir / f"{key}.svg"
    return path.read_bytes() if path.is_file() else None


def keep_charts(settings: Settings, fresh: dict[str, bytes]) -> None:
    """Add newly drawn charts to the cache, by key.

    The cache only ever gains entries drawn from validated data; a stale entry is
    harmless (its key names the data and style it was drawn from).
    """
    settings.cache_dir.mkdir(parents=True, exist_ok=True)
    for key, svg in fresh.items():
        write.atomic_write(settings.cache_dir / f"{key}.svg", svg)


def _unranked_outputs(catalog: Catalog) -> dict[str, bytes]:
    """What a generation publishes without needing the statistics."""
    from ..analysis.downloads import post_files
    from ..analysis.siteindex import index_file

    return {**post_files(catalog), **index_file(catalog)}


def _pages_and_charts(
    settings: Settings, catalog: Catalog, stats: Stats
) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Pages, the downloads that need statistics and every chart, by path; and the charts
    newly drawn (by workers, while this process renders), by cache key."""
    from ..analysis import charts
    from ..analysis.downloads import catalog_files
    from ..pages import render

    cached = functools.partial(cached_chart, settings)
    # Charts are drawn by worker processes while this one renders the pages.
    with charts.ChartDrawing(catalog, stats, cached, os.cpu_count() or 1) as drawing:
        with without_gc_pauses():
            outputs = render.render_all(catalog, stats)
            outputs.update(catalog_files(catalog, stats))
        drawn, fresh = drawing.finish()
    outputs.update(drawn)
    return outputs, fresh


def mkdocs_env() -> dict[str, str]:
    """Environment for MkDocs: Material's end-of-life banner is noise in our logs."""
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def build_site(settings: Settings) -> Generated:
    """Generate, then build `site/` with `mkdocs build --strict`.

    MkDocs builds into a scratch folder that replaces `site/` only on success,
    so a failed build keeps the previous site intact.
    """
    generated = generate(settings)
    scratch = settings.site_dir.with_name(settings.site_dir.name + ".new")
    shutil.rmtree(scratch, ignore_errors=True)
    result = subprocess.run(
        # Not --quiet: MkDocs' --strict counts only the warnings it logs, so a quiet
        # build would pass with broken links.
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(settings.mkdocs_yml),
            "--site-dir",
            str(scratch),
        ],
        capture_output=True,
        text=True,
        env=mkdocs_env(),
        check=False,
    )
    if result.returncode != 0:
        shutil.rmtree(scratch, ignore_errors=True)
        raise SiteBuildFailed(f"mkdocs build --strict failed:\n{result.stdout}{result.stderr}")
    old = settings.site_dir.with_name(settings.site_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if settings.site_dir.exists():
        settings.site_dir.rename(old)
    scratch.rename(settings.site_dir)
    shutil.rmtree(old, ignore_errors=True)
    return generated


def record_release(settings: Settings) -> str:
    """Write `releases/<version>.json` for the version in CITATION.cff; never overwrite one.

    The snapshot is the versioned record the What's new page and the
    `changes-<version>.json` files are computed from.
    """
    from ..analysis import changes

    catalog, _, _ = check(settings)
    if catalog.release is None:
        raise ValidationFailed(
            [
                Problem(
                    CITATION_FILE,
                    0,
                    "version",
                    "no release recorded",
                    "add version and date-released to CITATION.cff",
                )
            ]
        )
    version = catalog.release.version
    path = settings.root / RELEASES_DIR / f"{version}.json"
    if path.exists():
        raise ValidationFailed(
            [
                Problem(
                    CITATION_FILE,
                    0,
                    "version",
                    f"release {version} is recorded already",
                    "bump the version and date-released in CITATION.cff and pyproject.toml",
                )
            ]
        )
    snap = changes.snapshot(catalog, version, catalog.release.date_released.isoformat())
    path.parent.mkdir(parents=True, exist_ok=True)
    write.atomic_write(path, (snap.model_dump_json(indent=1) + "\n").encode())
    return settings.rel(path)
