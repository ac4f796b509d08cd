"""The built site in a real Chromium (Debian's, driven by Playwright), served on loopback.

Covers what readers meet: navigation by clicking on a desktop and a phone, search by ID,
title and error message, charts, the filter, both colour schemes under axe, the redirect
of a merged challenge, every internal link and anchor, HTML basics, and that injected
markup never runs. Checkers are also run on deliberately broken pages, so a checker that
finds nothing is known to be able to find something.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sitecheck import crawl, serve
from test_siteindex import ERRORS

from conftest import REPO, TINY, project_from, write_files, write_hostile_entries
from generator.analysis.siteindex import rank_with_index
from generator.pages.views import filter_counts
from generator.site.build import build_site

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 720}}  # Playwright's default, made explicit
SCREENSHOTS = REPO / "build" / "screenshots"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def real_site(tmp_path_factory):
    settings = project_from(REPO, tmp_path_factory.mktemp("real"))
    build_site(settings)
    with serve(settings.site_dir) as base:
        yield base, settings


@pytest.fixture(scope="session")
def tiny_site(tmp_path_factory):
    settings = project_from(TINY, tmp_path_factory.mktemp("tiny"))
    build_site(settings)
    with serve(settings.site_dir) as base:
        yield base


@pytest.fixture(params=["desktop", "phone"])
def page(request, browser):
    context = browser.new_context(**(PHONE if request.param == "phone" else DESKTOP))
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def test_click_from_home_to_a_related_challenge_and_back(page, real_site):
    base, _ = real_site
    page.goto(base)
    page.locator("article a[href$='challenges/DLC-0001/']").first.click()
    page.wait_for_url("**/challenges/DLC-0001/")
    page.locator("article a[href$='DLC-0005/']").first.click()
    page.wait_for_url("**/challenges/DLC-0005/")
    related = page.locator("#related-challenges + ul a").first
    target = related.get_attribute("href").rstrip("/").split("/")[-1]
    related.click()
    page.wait_for_url(f"**/challenges/{target}/")
    page.go_back()
    page.wait_for_url("**/challenges/DLC-0005/")
    assert page.locator("h1").inner_text().rstrip("¶") == "Model conversion for mobile runtimes"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("DLC-0010", "challenges/DLC-0010/"),
        ("Experiment management", "challenges/DLC-0010/"),
        (
            "Some of the operators in the model are not supported by the standard TensorFlow "
            "Lite runtime",
            # The leaf for unsupported operators quotes this message (Chen et al.'s M.2.3).
            "challenges/DLC-0076/",
        ),
    ],
)
def test_search_finds_a_challenge_by_id_title_and_error_message(
    browser, real_site, query, expected
):
    base, _ = real_site
    tab = browser.new_page()
    tab.goto(base)
    box = tab.locator(".md-search__input")
    if not box.is_visible():  # on narrow screens the box opens from a header button
        tab.locator("label.md-header__button[for='__search']").first.click()
    # The search worker loads the index first; typing before it is ready can leave the
    # results of an earlier, partial query on screen.
    tab.wait_for_function(
        "() => !document.querySelector('.md-search-result__meta').textContent"
        ".includes('Initializing')",
        timeout=20_000,
    )
    box.fill(query)
    # Results update as the search worker catches up with the typing: poll until the
    # expected page is among the first five pages found (a page lists several sections).
    pages: list[str] = []
    for attempt in range(100):
        hrefs = tab.eval_on_selector_all(
            ".md-search-result__link", "links => links.map(a => a.href)"
        )
        pages = list(dict.fromkeys(h.split("#")[0].split("?")[0] for h in hrefs))[:5]
        if any(expected in page for page in pages):
            break
        if not hrefs and attempt % 10 == 9:  # no results yet: type again, as a reader would
            box.press("End")
            box.press("Space")
            box.press("Backspace")
        tab.wait_for_timeout(200)
    assert any(expected in page for page in pages), pages
    tab.close()


CHART_TABLE_SUMMARIES = {
    "Posts per year as a table",
    "Posts per subcategory as a table",
    "The reported counts as a table",
}


CHART_TABLE = """img => { const details = img.closest('p').nextElementSibling;
  const tables = details.querySelectorAll('table'), summary = details.querySelector('summary');
  return { tag: details.tagName, open: details.open, tables: tables.length,
    summary: summary && summary.textContent, shown: tables.length > 0
    && tables[0].checkVisibility(), rows: tables.length && tables[0].tBodies[0].rows.length };
}"""


def test_every_chart_loads_with_alt_text_and_its_table(browser, real_site):
    """Each chart has alt text and, right after it, its numbers as a table in a <details>
    that starts closed (pages stay short). The first table of each kind is opened with
    Enter on its summary (keyboard and screen-reader users) and closed with a click."""
    base, settings = real_site
    tab = browser.new_page()
    ids = sorted(p.name for p in (settings.site_dir / "challenges").glob("DLC-*"))
    assert len(ids) >= 42
    toggled = set()
    for cid in ids:
        tab.goto(f"{base}challenges/{cid}/")
        images = tab.locator("article img")
        assert images.count() >= 1, cid
        for i in range(images.count()):
            image = images.nth(i)
            assert image.evaluate("img => img.complete && img.naturalWidth > 0"), cid
            assert (image.get_attribute("alt") or "").startswith("Bar chart of"), cid
            table = image.evaluate(CHART_TABLE)
            assert table["summary"] in CHART_TABLE_SUMMARIES, cid
            assert (table["tag"], table["open"], table["tables"], table["shown"]) == (
                "DETAILS",
                False,
                1,
                False,
            ), cid
            assert table["rows"] >= 1, cid
            if table["summary"] not in toggled:
                toggled.add(table["summary"])
                details = image.locator("xpath=ancestor::p[1]/following-sibling::details[1]")
                details.locator("summary").press("Enter")
                assert image.evaluate(CHART_TABLE)["open"], cid
                assert details.locator("table").is_visible(), cid
                details.locator("summary").click()
                assert not image.evaluate(CHART_TABLE)["open"], cid
                assert not details.locator("table").is_visible(), cid
    assert toggled == CHART_TABLE_SUMMARIES
    tab.close()


# Measures each example post as laid out: `items` selects the posts (list items, or table
# rows in the old layout) and `summary` the element holding our summary inside one. Widths are
# CSS pixels: the summary's box, the post's content box, and the widest text of any other field
# (a Range measures the text itself, not the cell or paragraph around it).
MEASURE_POSTS = """([items, summary]) => [...document.querySelectorAll(items)].map(item => {
  const own = item.querySelector(summary), box = own.getBoundingClientRect();
  const style = getComputedStyle(item), outer = item.getBoundingClientRect();
  const inset = ['paddingLeft', 'paddingRight', 'borderLeftWidth', 'borderRightWidth']
    .reduce((sum, side) => sum + parseFloat(style[side]), 0);
  const others = [...item.children].filter(e => e !== own && e.textContent.trim());
  const text = e => { const r = document.createRange(); r.selectNodeContents(e);
    return r.getBoundingClientRect().width; };
  return {
    list: item.tagName === 'LI' && ['UL', 'OL'].includes(item.parentElement.tagName),
    first: item.firstElementChild === own,
    summary: box.width,
    item: outer.width - inset,
    widest_other: Math.max(0, ...others.map(text)),
    beside: others.filter(e => { const b = e.getBoundingClientRect();
      return b.top < box.bottom - 1 && b.bottom > box.top + 1; }).length,
  };
})"""


def squeezed(tab, items: str, summary: str) -> list[list[str]]:
    """For each post found, what keeps its summary from leading: an empty list is a post
    whose summary comes first, on its own line, at least 60% of the post's width and at
    least as wide as the text of any other field (site and ID, date, frameworks, ...)."""
    found = []
    for post in tab.evaluate(MEASURE_POSTS, [items, summary]):
        problems = []
        if not post["list"]:
            problems.append("not a list item")
        if not post["first"]:
            problems.append("summary not first")
        if post["beside"]:
            problems.append("another field beside the summary")
        if post["summary"] < 0.6 * post["item"]:
            problems.append("summary under 60% of the post's width")
        if post["summary"] < post["widest_other"]:
            problems.append("summary narrower than another field's text")
        found.append(problems)
    return found


def test_example_posts_lead_with_a_full_width_summary(page, real_site):
    """At 1,280 px and at 390 px, on the three challenge pages with the most example posts:
    the posts are a list whose items start with our summary, alone on its line and as wide
    as the item, with the line of details (site and ID first) below it."""
    base, settings = real_site
    assert page.viewport_size["width"] in (1280, 390)
    counts = {
        p.parent.name: p.read_text().count('class="dlc-post-meta"')
        for p in (settings.site_dir / "challenges").glob("DLC-*/index.html")
    }
    busiest = sorted(counts, key=lambda cid: (-counts[cid], cid))[:3]
    assert all(counts[cid] >= 5 for cid in busiest), counts
    for cid in busiest:
        page.goto(f"{base}challenges/{cid}/")
        assert (
            page.locator("#example-posts + p").inner_text().startswith(f"Showing {counts[cid]} of ")
        ), cid
        problems = squeezed(page, ".dlc-posts > ul > li", ":scope > p:first-child")
        assert problems == [[]] * counts[cid], cid
        meta = page.locator(".dlc-posts > ul > li > p.dlc-post-meta")
        assert meta.count() == counts[cid], cid
        assert meta.first.inner_text().startswith("GitHub "), cid


OLD_TABLE = """<table><tbody><tr>
  <td><a href="#">GitHub tensorflow/tensorflow#33765</a></td><td>2019-10-27</td>
  <td>TensorFlow, Keras, TF Lite</td><td>–</td><td>this challenge</td>
  <td>A tf.keras model saved as .h5 fails to convert to TF Lite when following the official
  save-and-load guide on TF 2.0.</td></tr></tbody></table>"""
SIDE_BY_SIDE = """<ul><li style="display: flex"><p style="flex: 1"><a href="#">A tf.keras model
  saved as .h5 fails to convert to TF Lite</a></p><p style="flex: 1">GitHub
  tensorflow/tensorflow#33765 · 2019-10-27</p></li></ul>"""
SQUEEZE = """table { width: 100%; table-layout: fixed; } td { vertical-align: top; }
  td:first-child { width: 30%; } td:last-child { width: 15%; }"""


def test_the_post_measure_finds_a_squeezed_or_crowded_summary(page):
    """The measure behind the test above fails the old table (summary in a narrow last
    column) and a list whose details sit beside the summary, and passes that list stacked."""
    page.set_content(f"<style>{SQUEEZE}</style>{OLD_TABLE}")
    assert squeezed(page, "tr", "td:last-child") == [
        [
            "not a list item",
            "summary not first",
            "another field beside the summary",
            "summary under 60% of the post's width",
            "summary narrower than another field's text",
        ]
    ]
    page.set_content(SIDE_BY_SIDE)
    assert squeezed(page, "li", "p:first-child") == [
        ["another field beside the summary", "summary under 60% of the post's width"]
    ]
    page.set_content(SIDE_BY_SIDE.replace('style="display: flex"', ""))
    assert squeezed(page, "li", "p:first-child") == [[]]


@pytest.mark.parametrize(
    "chosen",
    [
        {"platform": "mobile", "framework": "TF Lite"},
        {"platform": "browser", "framework": "TF.js", "year": "2019"},
        {"framework": "PyTorch", "year": "2021"},
    ],
)
def test_filter_narrows_to_the_right_challenges(browser, real_site, chosen):
    base, settings = real_site
    index = json.loads((settings.site_dir / "data" / "filter-index.json").read_text())
    expected = filter_counts(index, **chosen)
    tab = browser.new_page()
    tab.goto(f"{base}filter/")
    tab.wait_for_selector("#dlc-filter tbody tr")
    for name, value in chosen.items():
        tab.select_option(f"#dlc-filter select[name={name}]", value)
    rows = tab.locator("#dlc-filter tbody tr")
    tab.wait_for_function(
        f"document.querySelectorAll('#dlc-filter tbody tr').length === {len(expected)}"
    )
    shown = {
        rows.nth(i).locator("td").nth(1).inner_text(): int(
            rows.nth(i).locator("td").nth(2).inner_text()
        )
        for i in range(rows.count())
    }
    assert shown == expected
    tab.close()


SHOWN_RESULTS = """items => items.map(li => [li.querySelector('a').getAttribute('href'),
  li.querySelector('a').textContent, li.querySelector('.dlc-find-meta').textContent])"""

UNICODE_EDGES = "tfliteé conversion naïve operatorsé \u212aeras model"
"""Words glued to a non-ASCII letter are no words for the suggester: an ASCII-only `\\b` in
find.js would find `tflite` and `operators` here, and rank differently."""


def _find(tab, text: str) -> list[list[str]]:
    """Paste `text` into Find your challenge, press the button, read the results."""
    box = tab.locator("#dlc-find textarea")
    box.fill("")
    box.focus()
    tab.keyboard.insert_text(text)  # as a paste: one input event with the whole text
    tab.locator("#dlc-find button").click()
    return tab.eval_on_selector_all("#dlc-find .dlc-find-results li", SHOWN_RESULTS)


def _expected(index: dict, text: str) -> list[list[str]]:
    """What the page should list for `text`: the Python mirror's first ten."""
    pages = {c["id"]: c["page"] for c in index["challenges"]}
    return [
        [
            f"../{pages[s.cid]}",
            s.title,
            f"{s.cid} · score {s.score:.3f} · matched: {', '.join(s.terms)}",
        ]
        for s in rank_with_index(index, text, 10)
    ]


def test_find_your_challenge_ranks_pasted_errors_and_sends_nothing(browser, real_site):
    """Three real error messages, pasted: the page lists what the Python mirror ranks, the
    first being the challenge that quotes the message. The page asks only its own server
    for anything, and typing and clicking ask nothing (the index came with the page)."""
    base, settings = real_site
    index = json.loads((settings.site_dir / "data" / "suggest-index.json").read_text())
    tab = browser.new_page()
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    tab.goto(f"{base}find/")
    tab.wait_for_function("() => !document.querySelector('#dlc-find button').disabled")
    tab.wait_for_load_state("networkidle")
    loaded = list(requests)
    assert f"{base}data/suggest-index.json" in loaded
    for text, quoting in ERRORS.items():
        expected = _expected(index, text)
        assert expected[0][0] == f"../challenges/{quoting}/"
        assert _find(tab, text) == expected, text
    assert _find(tab, UNICODE_EDGES) == _expected(index, UNICODE_EDGES)
    assert "tflite" not in " ".join(row[2] for row in _expected(index, UNICODE_EDGES))
    assert _find(tab, "zzyzx qwertyuiop") == []
    assert tab.locator("#dlc-find .dlc-find-summary").inner_text() == (
        "No challenge shares a word with your text: describe the problem in more words."
    )
    _find(tab, next(iter(ERRORS)))
    assert (
        tab.locator("#dlc-find .dlc-find-summary")
        .inner_text()
        .endswith("; the best 10 are listed, best first.")
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / "find-desktop.png"), full_page=True)
    assert requests == loaded, "typing or ranking made a request"
    tab.locator("#dlc-find .dlc-find-results a").first.click()  # the link leads on
    tab.wait_for_url(f"{base}challenges/{next(iter(ERRORS.values()))}/")
    tab.close()
    assert [u for u in requests if not u.startswith(base)] == []


def test_find_your_challenge_shows_a_title_as_text(browser, tmp_path):
    """A title that reads as markup (entities and a link; titles cannot hold `<`) shows
    exactly as written, and nothing in it runs."""
    settings = project_from(TINY, tmp_path)
    write_hostile_entries(settings)
    title = "Beta &lt;img src=x onerror=alert(1)&gt; [a](javascript:alert(1)) &amp; leaf"
    leaf = settings.catalog_dir / "leaf-b.yaml"
    leaf.write_text(leaf.read_text().replace("title: Beta leaf", f"title: '{title}'"))
    build_site(settings)
    with serve(settings.site_dir) as base:
        tab = browser.new_page()
        dialogs: list[str] = []
        tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        tab.goto(f"{base}find/")
        tab.wait_for_function("() => !document.querySelector('#dlc-find button').disabled")
        shown = _find(tab, "beta leaf onerror javascript")
        assert [row[1] for row in shown if row[0] == "../challenges/DLC-0004/"] == [title]
        assert tab.locator("#dlc-find .dlc-find-results img").count() == 0
        assert tab.locator("#dlc-find a[href^='javascript:']").count() == 0
        tab.close()
    assert dialogs == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations_in_either_scheme(browser, real_site, scheme):
    from axe_playwright_python.sync_playwright import Axe

    base, _ = real_site
    context = browser.new_context(color_scheme=scheme)
    tab = context.new_page()
    found = []
    for path in [
        "",
        "challenges/DLC-0001/",
        "challenges/DLC-0005/",
        "statistics/",
        "filter/",
        "find/",
        "matrix/",
    ]:
        tab.goto(base + path)
        assert tab.evaluate("document.body.getAttribute('data-md-color-scheme')") == (
            "slate" if scheme == "dark" else "default"
        )
        result = Axe().run(tab)
        found += [
            f"{path or '/'}: {v['id']} ({v['impact']})"
            for v in result.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
    context.close()
    assert found == []


def test_a_merged_challenge_url_lands_on_its_successor(browser, tiny_site):
    tab = browser.new_page()
    tab.goto(f"{tiny_site}challenges/DLC-0005/")
    tab.wait_for_url("**/challenges/DLC-0003/")
    assert tab.locator("h1").inner_text().rstrip("¶") == "Alpha leaf"
    tab.close()


@pytest.mark.parametrize("prefix", ["", "dl-challenge-catalog/"], ids=["root", "sub-path"])
def test_every_internal_link_and_anchor_resolves_and_pages_are_well_formed(real_site, prefix):
    """At the root and under a sub-path, as on a GitHub Pages project site, where a link
    that climbs one level too many leaves the site (test_zensical does the same)."""
    _, settings = real_site
    with serve(settings.site_dir, prefix) as base:
        report = crawl(base, prefix)
    assert report.pages > 80
    assert report.problems == []


def test_the_crawler_reports_broken_links_anchors_alt_text_and_structure(tmp_path):
    write_files(
        tmp_path,
        {
            "index.html": '<html lang="en"><head><title>x</title></head><body><h1>A</h1>'
            '<a href="gone.html">x</a><a href="page.html#nowhere">y</a>'
            '<a href="ftp:/bad">z</a><img src="a.svg"></body></html>',
            "page.html": '<html><head><title>p</title></head><body><h1 id="a">B</h1><h1 id="a">C'
            "</h1></body></html>",
            "a.svg": "<svg/>",
        },
    )
    with serve(tmp_path) as base:
        problems = crawl(base, "index.html").problems
    assert sorted(problems) == sorted(
        [
            "index.html: image a.svg has no alt text",
            "index.html: malformed external link ftp:/bad",
            "index.html: broken link gone.html",
            "index.html: missing anchor #nowhere in page.html",
            "page.html: no lang on <html>",
            "page.html: 2 <h1> elements",
            "page.html: duplicate ids ['a']",
        ]
    )


def test_the_crawler_reports_a_link_that_climbs_above_the_sub_path(tmp_path):
    page = '<html lang="en"><head><title>x</title></head><body><h1>x</h1>{}</body></html>'
    write_files(
        tmp_path,
        {
            "index.html": page.format('<a href="a/">a</a>'),
            "a/index.html": page.format('<a href="../../">up</a><a href="../">home</a>'),
        },
    )
    with serve(tmp_path) as base:
        assert crawl(base).problems == []
    with serve(tmp_path, "project/") as base:
        assert crawl(base, "project/").problems == ["project/a/: broken link "]


def _hostile_site(tmp_path) -> Path:
    settings = project_from(TINY, tmp_path)
    write_hostile_entries(settings)
    build_site(settings)
    return settings.site_dir


def _script_ran(browser, base: str, paths: list[str]) -> list[str]:
    events: list[str] = []
    tab = browser.new_page()
    tab.on("dialog", lambda dialog: (events.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    tab.on(
        "console", lambda msg: events.append(f"console: {msg.text}") if "xss" in msg.text else None
    )
    for path in paths:
        tab.goto(base + path)
        tab.wait_for_load_state("load")
        for link in tab.locator("a[href^='javascript:']").all():
            events.append(f"javascript link on {path}: {link.get_attribute('href')}")
        injected = tab.evaluate(
            "() => [...document.querySelectorAll('*')].filter(e => [...e.attributes]"
            ".some(a => a.name.startsWith('on'))).map(e => e.outerHTML.slice(0, 80))"
        )
        events += [f"handler on {path}: {html}" for html in injected]
    tab.close()
    return events


def test_injected_markup_never_runs_or_reaches_the_dom(browser, tmp_path):
    site = _hostile_site(tmp_path)
    with serve(site) as base:
        # Pages that redirect (merged challenges) navigate away at once; their HTML is
        # audited in test_build, and the page they land on is visited here.
        paths = [
            p.relative_to(site).parent.as_posix() + "/"
            for p in site.rglob("index.html")
            if 'http-equiv="refresh"' not in p.read_text()
        ]
        assert len(paths) > 20
        events = _script_ran(browser, base, sorted(p.removeprefix("./") for p in paths))
    assert events == []


def test_the_injection_check_catches_a_script_that_runs(browser, tmp_path):
    write_files(
        tmp_path,
        {
            "index.html": '<html lang="en"><body><h1>x</h1><script>'
            'alert("xss")</script><p onclick="x()">p</p></body></html>'
        },
    )
    with serve(tmp_path) as base:
        events = _script_ran(browser, base, [""])
    assert events == ["dialog: xss", 'handler on : <p onclick="x()">p</p>']


# The example posts of a challenge page, from their heading to the end of the list, with a
# margin: the README shows it, as the page's first screenful does not reach the posts.
POSTS_SECTION = """() => {
  const heading = document.querySelector('#example-posts').getBoundingClientRect();
  const list = document.querySelector('.dlc-posts').getBoundingClientRect();
  const article = document.querySelector('article').getBoundingClientRect();
  const x = Math.max(0, article.left - 8), y = heading.top + window.scrollY - 8;
  return { x, y, width: Math.min(article.right + 8, window.innerWidth) - x,
    height: list.bottom - heading.top + 16 };
}"""


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_screenshots_for_review(browser, real_site, device):
    base, _ = real_site
    context = browser.new_context(
        **(PHONE if device == "phone" else {"viewport": {"width": 1280, "height": 900}})
    )
    tab = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in [("home", ""), ("challenge", "challenges/DLC-0005/"), ("matrix", "matrix/")]:
        tab.goto(base + path)
        target = SCREENSHOTS / f"{name}-{device}.png"
        tab.screenshot(path=str(target))
        assert target.stat().st_size > 10_000
        if name == "challenge":
            target = SCREENSHOTS / f"challenge-posts-{device}.png"
            tab.screenshot(path=str(target), full_page=True, clip=tab.evaluate(POSTS_SECTION))
            assert target.stat().st_size > 10_000
    context.close()


def test_screenshot_folder_is_not_committed():
    assert "/build/" in (REPO / ".gitignore").read_text().splitlines()
