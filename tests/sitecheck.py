"""Helpers for checking a built site as readers meet it: serve it on loopback, crawl it,
audit its HTML for injected script.

The crawler parses every served page's HTML (no regular expressions over markup) and
reports, for each page, links whose target or anchor does not exist, external links
that are not well-formed http(s) URLs, images without alt text, and HTML basics
(a `lang`, a title, one `h1`, unique IDs).
"""

from __future__ import annotations

import contextlib
import functools
import re
import tempfile
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass

    def list_directory(self, path):
        # As on GitHub Pages, a folder without an index.html is not found.
        self.send_error(404)


@contextlib.contextmanager
def serve(folder: Path, prefix: str = ""):
    """Serve `folder` on 127.0.0.1 at a free port; yield the base URL.

    With a `prefix` such as `project/`, the folder is served under that sub-path, as
    GitHub Pages serves a project site, and nothing else is served: a link that climbs
    above the site is broken. Crawl from `prefix`.
    """
    with contextlib.ExitStack() as stack:
        if prefix:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            (root / prefix.strip("/")).symlink_to(folder.resolve(), target_is_directory=True)
            folder = root
        handler = functools.partial(_Quiet, directory=str(folder))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()
            server.server_close()


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lang = ""
        self.titles = 0
        self.h1 = 0
        self.ids: list[str] = []
        self.links: list[str] = []
        self.images: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang") or ""
        elif tag == "title":
            self.titles += 1
        elif tag == "h1":
            self.h1 += 1
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "img":
            self.images.append((a.get("src") or "", a.get("alt")))
        if a.get("id"):
            self.ids.append(a["id"])


@dataclass
class Report:
    """What the crawl found, as `page: problem` lines."""

    pages: int = 0
    """Pages crawled."""
    problems: list[str] = field(default_factory=list)
    """Every problem found."""


def _fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            kind = response.headers.get_content_type()
            data = response.read()  # read it all, so the server never sees a reset
            return response.status, data.decode("utf-8", "replace") if kind == "text/html" else ""
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def crawl(base: str, start: str = "") -> Report:
    """Follow every internal link from `start`, checking targets, anchors and pages."""
    report = Report()
    parsed: dict[str, _Page | None] = {}
    queue = [urljoin(base, start)]
    links: list[tuple[str, str]] = []
    while queue:
        url = queue.pop()
        if url in parsed:
            continue
        status, body = _fetch(url)
        if status != 200:
            parsed[url] = None
            continue
        if not body:
            parsed[url] = _Page()  # a file (JSON, SVG, CSV): exists, has no anchors
            continue
        page = _Page()
        page.feed(body)
        parsed[url] = page
        report.pages += 1
        where = url.removeprefix(base) or "/"
        if not page.lang:
            report.problems.append(f"{where}: no lang on <html>")
        if page.titles != 1:
            report.problems.append(f"{where}: {page.titles} <title> elements")
        if page.h1 != 1:
            report.problems.append(f"{where}: {page.h1} <h1> elements")
        duplicates = sorted({i for i in page.ids if page.ids.count(i) > 1})
        if duplicates:
            report.problems.append(f"{where}: duplicate ids {duplicates}")
        for src, alt in page.images:
            if not alt or not alt.strip():
                report.problems.append(f"{where}: image {src} has no alt text")
        for href in page.links:
            target = urljoin(url, href)
            scheme = urlparse(target).scheme
            if scheme in ("mailto", "javascript", "data"):
                if scheme != "mailto":
                    report.problems.append(f"{where}: {scheme}: link {href}")
                continue
            if not target.startswith(base):
                if scheme not in ("http", "https") or not urlparse(target).netloc:
                    report.problems.append(f"{where}: malformed external link {href}")
                continue  # external links are checked for form only: no network here
            links.append((where, target))
            queue.append(urldefrag(target)[0])
    for where, target in links:
        page_url, anchor = urldefrag(target)
        page = parsed.get(page_url)
        if page is None:
            report.problems.append(f"{where}: broken link {target.removeprefix(base)}")
        elif anchor and anchor not in page.ids:
            report.problems.append(
                f"{where}: missing anchor #{anchor} in {page_url.removeprefix(base) or '/'}"
            )
    return report


class _Audit(HTMLParser):
    """Collects script elements with inline code, event handlers and script URLs."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action") and re.match(
                r"\s*(javascript|data|vbscript):", value or "", re.I
            ):
                self.found.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and "alert" in data:
            self.found.append(f"<script>{data[:40]}")


def dangerous(html: str) -> list[str]:
    """Inline scripts that call alert, event-handler attributes and script URLs in `html`."""
    audit = _Audit()
    audit.feed(html)
    return audit.found
