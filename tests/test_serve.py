"""`catalog serve`: a saved input file regenerates the pages and the preview follows.

Runs the real command (MkDocs' server on a loopback port, the generator's watcher) on a
copy of the fixture and edits its files as a contributor would.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import REPO
from generator.settings import Settings
from generator.site import reloader
from generator.site.build import generate
from generator.site.preview import PreviewBuilder
from generator.site.reloader import SiteServer

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _eventually(check: Callable[[], bool], seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def served(tiny) -> Iterator[tuple[str, Settings, Path, subprocess.Popen]]:
    port = _free_port()
    log = tiny.root / "serve.log"
    with log.open("w") as out:  # a file, not a pipe: a full pipe would block the server
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "generator", "serve"),
                *("--root", str(tiny.root), "--addr", f"127.0.0.1:{port}"),
            ],
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, to check nothing outlives it
        )
    try:
        yield f"http://127.0.0.1:{port}/", tiny, log, server
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError):  # never leave a server behind
            os.killpg(server.pid, signal.SIGKILL)


def _group_alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _page(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return ""


def test_saving_a_post_regenerates_the_preview_and_a_broken_save_keeps_it(served):
    base, settings, log, _ = served
    leaf = f"{base}challenges/DLC-0004/"
    assert _eventually(lambda: "<strong>Labeled posts:</strong> 1 " in _page(leaf)), log.read_text()
    posts = settings.data_dir / "posts.csv"
    with posts.open("a", encoding="utf-8") as handle:
        handle.write(
            "github,keras-team/keras#850,https://github.com/keras-team/keras/issues/850,"
            "DLC-0004,,2019-10-18,Keras,general,,,,fixture,Fixture summary four.\n"
        )
    assert _eventually(lambda: "<strong>Labeled posts:</strong> 2 " in _page(leaf)), log.read_text()
    assert re.search(r"regenerated in [0-9.]+ s: docs/: [0-9]+ written", log.read_text())

    with posts.open("a", encoding="utf-8") as handle:
        handle.write("github,not-a-post-id,https://example.org/x,DLC-0004\n")
    assert _eventually(lambda: "the preview keeps the last good pages" in log.read_text())
    assert "data/posts.csv:6" in log.read_text()  # the problem, with file and line
    assert "<strong>Labeled posts:</strong> 2 " in _page(leaf)


def test_serve_on_a_taken_port_says_so_before_generating(tiny):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        addr = f"127.0.0.1:{taken.getsockname()[1]}"
        done = subprocess.run(
            [sys.executable, "-m", "generator", "serve", "--root", str(tiny.root), "--addr", addr],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stderr.strip() == f"error: cannot serve on {addr}: Address already in use"
    assert not (tiny.docs_dir / "challenges").exists()  # nothing generated


def test_a_burst_of_saves_regenerates_once_and_reads_never(tmp_path, monkeypatch):
    from watchdog.events import FileClosedNoWriteEvent, FileModifiedEvent, FileOpenedEvent

    from generator.site import serve

    monkeypatch.setattr(serve, "QUIET_SECONDS", 0.05)
    runs = []
    handler = serve._Debounced(runs.append, tmp_path / "CITATION.cff")
    data = str(tmp_path / "data" / "posts.csv")
    for event in (FileOpenedEvent(data), FileClosedNoWriteEvent(data)):
        handler.on_any_event(event)  # the generator reading its inputs
    handler.on_any_event(FileModifiedEvent(str(tmp_path / "mkdocs.yml")))  # not an input
    time.sleep(0.3)
    assert runs == []
    for _ in range(5):  # an editor saving in several steps
        handler.on_any_event(FileModifiedEvent(data))
    handler.on_any_event(FileModifiedEvent(str(tmp_path / "CITATION.cff")))
    assert _eventually(lambda: len(runs) == 1, 5)
    time.sleep(0.3)
    assert len(runs) == 1


def test_serve_shows_the_catalog_and_stopping_it_stops_the_preview_server(served):
    base, _, log, server = served
    assert _eventually(lambda: "Alpha leaf" in _page(f"{base}challenges/DLC-0003/")), (
        log.read_text()
    )
    server.terminate()  # what `kill` and CI runners send
    assert server.wait(timeout=20) == 128 + signal.SIGTERM
    # MkDocs' server went with it: nothing left in the process group, the port is free.
    assert _eventually(lambda: not _group_alive(server.pid), 10)
    assert _page(base) == ""


@pytest.mark.browser
def test_a_saved_catalog_file_reloads_the_open_page_with_search_and_tags_current(served, browser):
    from playwright.sync_api import expect

    base, settings, log, _ = served
    leaf = f"{base}challenges/DLC-0004/"
    assert _eventually(lambda: "Beta leaf" in _page(leaf)), log.read_text()
    tab = browser.new_page()
    tab.goto(leaf)
    expect(tab.locator("h1")).to_contain_text("Beta leaf")
    loads: list[str] = []
    tab.on("load", lambda page: loads.append(page.url))
    challenge = settings.catalog_dir / "leaf-b.yaml"
    challenge.write_text(challenge.read_text().replace("title: Beta leaf", "title: Beta renamed"))
    # No navigation from here: MkDocs' live-reload script reloads the page.
    expect(tab.locator("h1")).to_contain_text("Beta renamed", timeout=60_000)
    # Find your challenge's index, which `finish` writes after the pages, is held until
    # it has been: the reloaded page never fetches the one from before the save.
    suggest = tab.evaluate("fetch('../../data/suggest-index.json').then(r => r.text())")
    assert "Beta renamed" in suggest
    assert _eventually(lambda: "then in" in log.read_text()), log.read_text()
    time.sleep(1)  # what a second reload would need to come
    assert loads == [leaf]  # one reload for the save
    assert re.search(r"site updated in [0-9.]+ s: [0-9]+ page\(s\) to rebuild", log.read_text())
    # The search index and the tags page the preview serves know the new title too.
    titles = tab.evaluate(
        "fetch('../../search/search_index.json').then(r => r.json())"
        ".then(index => index.docs.map(doc => doc.title))"
    )
    assert "Beta renamed" in titles and "Beta leaf" not in titles
    tab.goto(f"{base}tags/")
    expect(tab.locator("article")).to_contain_text("Beta renamed")
    tab.close()


def _get(url: str, into: list[str]) -> threading.Thread:
    """Request `url` in a thread (the server may hold it), putting the body into `into`."""
    thread = threading.Thread(target=lambda: into.append(_page(url)), daemon=True)
    thread.start()
    return thread


@pytest.fixture
def site_server(tiny, tmp_path, monkeypatch) -> Iterator[tuple[str, Settings, SiteServer]]:
    """The preview's server alone, on the generated fixture, driven by the test."""
    monkeypatch.setattr(reloader, "SETTLE_SECONDS", 30)  # the test's pauses do not count
    generate(tiny)
    site = tmp_path / "preview-site"
    builder = PreviewBuilder(tiny.mkdocs_yml, site)
    builder.build()
    server = SiteServer(builder, "127.0.0.1", _free_port(), site)
    server.watch(str(tiny.docs_dir))
    server.catch_up.start()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        yield server.url, tiny, server
    finally:
        server.shutdown()
        thread.join(10)
        builder.close()


def test_a_save_told_of_reloads_the_open_page_once_and_it_goes_before_the_background(
    site_server,
):
    base, settings, server = site_server
    leaf = f"{base}challenges/DLC-0004/"
    assert _eventually(lambda: "Beta leaf" in _page(leaf))
    epoch = re.search(r"livereload\(([0-9]+), ", _page(leaf)).group(1)
    polls: list[str] = []
    poll = _get(f"{base}livereload/{epoch}/1", polls)  # the open page, waiting for a reload
    time.sleep(0.5)

    server.begin(pause=True)
    page = settings.docs_dir / "challenges" / "DLC-0004.md"
    page.write_text(page.read_text() + "\nA sentence the save added.\n")
    server.told(["challenges/DLC-0004.md"], reload=True, hold=["data/posts.csv", "index.md"])
    poll.join(5)
    assert polls and int(polls[0]) > int(epoch)  # reloaded, without a quiet period
    time.sleep(0.5)
    assert not server.settled.is_set()  # the background waits for the reloading page
    posts: list[str] = []
    held = _get(f"{base}data/posts.csv", posts)
    home: list[str] = []
    held_page = _get(base, home)  # index.md, as the site has it
    reloaded = _page(leaf)
    assert "A sentence the save added." in reloaded
    time.sleep(0.5)
    assert not server.settled.is_set()  # sent, but not loaded yet
    later = re.search(r"livereload\(([0-9]+), ", reloaded).group(1)
    polls.clear()
    poll = _get(f"{base}livereload/{later}/2", polls)  # what the loaded page sends
    assert server.settled.wait(5)
    held.join(0.5)
    assert posts == home == []  # held until the generator's `finish` has written them

    server.begin(pause=False)
    (settings.docs_dir / "data" / "posts.csv").write_text("site,post_id\nx,1\n")
    server.told(["data/posts.csv"], reload=False)
    held.join(5)
    held_page.join(5)
    assert posts == ["site,post_id\nx,1\n"]
    assert "livereload(" in home[0]
    poll.join(1)
    assert polls == []  # the downloads came without a second reload
