"""Contributed text cannot inject markup: escaping and safe prose rendering."""

import re
from html.parser import HTMLParser

import markdown
import pytest
import yaml

from conftest import REPO, XSS
from generator.pages import markup
from generator.pages.markup import code, md_text, prose, safe_url, yaml_str

_EXTENSIONS = yaml.safe_load((REPO / "mkdocs.yml").read_text())["markdown_extensions"]
EXTENSIONS = [e if isinstance(e, str) else next(iter(e)) for e in _EXTENSIONS]
"""The Markdown extensions of mkdocs.yml, read from it, so the tests parse as the site does."""
CONFIGS = {name: config for e in _EXTENSIONS if isinstance(e, dict) for name, config in e.items()}


def to_html(md: str) -> str:
    return markdown.markdown(md, extensions=EXTENSIONS, extension_configs=CONFIGS)


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        "![x](x){: onerror=alert(1)}",
        "<img src=x onerror=alert(1)>",
        "**bold** `code` _em_ # not a heading | pipe",
    ],
)
def test_plain_text_comes_out_literally(payload):
    html = to_html("Text: " + md_text(payload))
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert not re.search(r"<[^>]*\son\w+=", html)  # no event-handler attribute on any tag
    assert "<strong>" not in html and "<code>" not in html and "<em>" not in html


def test_plain_text_round_trips_to_the_same_visible_text():
    text = "C++ [v1.2] *fast* <b> & 100% {a} #1 | x_y `z`"
    assert to_html(md_text(text)) == (
        "<p>C++ [v1.2] *fast* &lt;b&gt; &amp; 100% {a} #1 | x_y `z`</p>"
    )


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src=x onerror="alert(1)">', "<img"),
        ("[x](javascript:alert(1))", 'href="javascript'),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", 'href="data'),
        ("[x](JaVaScRiPt:alert(1))", "href="),
        ("<a href='https://x.org' onclick='alert(1)'>x</a>", "<a "),
        ("&lt;script&gt;alert(1)&lt;/script&gt;", "<script"),
    ],
)
def test_prose_drops_raw_html_and_unsafe_links(source, forbidden):
    html = to_html(f"Text.\n\n{prose(source)}\n")  # no heading: its permalink is an <a>
    assert forbidden not in html


def test_prose_keeps_markdown_and_links_challenges():
    html = to_html(
        prose(
            "Use **this**, see [docs](https://example.org) and [beta](DLC-0004)."
            "\n\n```\na\n\n<b>\n```\n"
        )
    )
    assert "<strong>this</strong>" in html
    assert '<a href="https://example.org">docs</a>' in html
    assert '<a href="DLC-0004.md">beta</a>' in html
    assert "<pre><code>a\n\n&lt;b&gt;\n</code></pre>" in html  # blank line survives
    assert "markdown=" not in html


def test_code_and_yaml_and_urls():
    assert to_html(code("<unknown>:0: error [a](javascript:x) *b*")) == (
        "<p><code>&lt;unknown&gt;:0: error [a](javascript:x) *b*</code></p>"
    )
    assert yaml_str('a "quoted": <title>') == '"a &quot;quoted&quot;: &lt;title&gt;"'
    assert safe_url("https://github.com/a/b/issues/1") == "https://github.com/a/b/issues/1"
    for bad in ["javascript:alert(1)", "https://x.org/a b", "https://x.org/(x)", "/relative"]:
        with pytest.raises(ValueError, match="refusing unsafe URL"):
            safe_url(bad)


def test_prose_without_a_challenge_link_stays_raw_html():
    assert prose("[a](https://e.org) *b*") == (
        '<div class="dlc-prose" markdown="0">\n'
        '<p><a href="https://e.org">a</a> <em>b</em></p>\n</div>'
    )


def test_prose_with_a_challenge_link_is_markdown_escaped_throughout():
    """The markup md_in_html parses: every element marked, every text escaped."""
    assert prose("- a_b [c](DLC-0003)\n  - `d`\n\n> [e](https://e.org/f_(g))") == (
        '<div class="dlc-prose" markdown="block">\n'
        '<ul markdown="block">\n'
        '<li markdown="span">a\\_b [c](DLC-0003.md)\n\n'
        '<ul markdown="block">\n<li markdown="span"><code>d</code></li>\n</ul>\n'
        "</li>\n</ul>\n"
        '<blockquote markdown="block">\n'
        '<p markdown="span"><a href="https://e.org/f&#95;&#40;g&#41;">e</a></p>\n'
        "</blockquote>\n</div>"
    )


def test_challenge_links_are_relative_to_the_page_and_only_ours_pass():
    """`[text](DLC-0003)` is the one way to link a challenge: a path written by hand
    (even a right one) stays text unless it is exactly the one the ID gives."""
    source = "[a](DLC-0003) [b](DLC-0003.md) [c](../challenges/DLC-0003.md) [d](../DLC-0003/)"
    assert to_html(prose(source, challenges_prefix="../challenges/")) == (
        '<div class="dlc-prose">\n<p><a href="../challenges/DLC-0003.md">a</a> '
        '[b](DLC-0003.md) <a href="../challenges/DLC-0003.md">c</a> [d](../DLC-0003/)</p>\n'
        "</div>"
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "[<img src=x onerror=alert(1)>](DLC-0003)",
            '<p><a href="DLC-0003.md">&lt;img src=x onerror=alert(1)&gt;</a></p>',
        ),
        (
            '[x](DLC-0003 "t\\" onclick=\\"y") [*a*](DLC-0003){: onclick=alert(1)}',
            '<p><a href="DLC-0003.md">x</a> <a href="DLC-0003.md"><em>a</em></a>'
            "{: onclick=alert(1)}</p>",
        ),
        (
            f"{XSS} [b](DLC-0003)",
            '<p>&lt;script&gt;alert("xss")&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;'
            '[a](javascript:alert(1)) <a href="DLC-0003.md">b</a></p>',
        ),
        (  # nested brackets, a code span, a backslash, entities, escaped brackets
            "[a [b] c](DLC-0003) [a [b](DLC-0004) c](DLC-0003) [`x`\\\\](DLC-0003) "
            "&amp;lt; &#91;x&#93;(javascript:alert(1)) \\[y\\](javascript:z)",
            '<p><a href="DLC-0003.md">a [b] c</a> [a <a href="DLC-0004.md">b</a> c](DLC-0003) '
            '<a href="DLC-0003.md"><code>x</code>\\</a> &amp;lt; [x](javascript:alert(1)) '
            "[y](javascript:z)</p>",
        ),
        (  # Python-Markdown would make a link inside the alt text, breaking out of it
            '[b](DLC-0003) ![[a](javascript:alert(1)) `c`](https://e.org/i.png "t\\" x=y")',
            '<p><a href="DLC-0003.md">b</a> <img src="https://e.org/i.png" '
            'alt="&#91;a&#93;&#40;javascript:alert&#40;1&#41;&#41; c" title="t&#34; x=y" /></p>',
        ),
        (  # a list item without a challenge link, inside one that is parsed
            "- a [x](javascript:alert(1))\n  {: onclick=alert(1)}\n  - [b](DLC-0003)",
            "<ul>\n<li>a [x](javascript:alert(1))\n{: onclick=alert(1)}\n\n"
            '<ul>\n<li><a href="DLC-0003.md">b</a></li>\n</ul>\n</li>\n</ul>',
        ),
        (  # markdown-it writes the fence on the item's line: md_in_html must not parse it
            "- [b](DLC-0003)\n  ```\n  [x](javascript:alert(1))\n  ```",
            '<ul>\n<li><a href="DLC-0003.md">b</a>\n\n'
            "<pre><code>[x](javascript:alert(1))\n</code></pre>\n</li>\n</ul>",
        ),
        (
            "| [b](DLC-0003) | c |\n|--|--|\n| [x](javascript:alert(1)) | `<script>` |",
            '<table>\n<thead>\n<tr>\n<th><a href="DLC-0003.md">b</a></th>\n<th>c</th>\n'
            "</tr>\n</thead>\n<tbody>\n<tr>\n<td>[x](javascript:alert(1))</td>\n"
            "<td><code>&lt;script&gt;</code></td>\n</tr>\n</tbody>\n</table>",
        ),
        (  # an external link's URL with Markdown's punctuation in it
            "[b](DLC-0003) [e](<https://e.org/a_[b](javascript:x)_`c`>)",
            '<p><a href="DLC-0003.md">b</a> '
            '<a href="https://e.org/a&#95;%5Bb%5D&#40;javascript:x&#41;&#95;%60c%60">e</a></p>',
        ),
    ],
)
def test_prose_with_challenge_links_stays_safe(source, expected):
    html = to_html(f"Text.\n\n{prose(source)}\n")
    assert html == f'<p>Text.</p>\n<div class="dlc-prose">\n{expected}\n</div>'


class _Events(HTMLParser):
    """What a browser makes of HTML: tags with their attributes (decoded), and text with
    its whitespace collapsed; not heading IDs."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.events.append((tag, sorted((k, v) for k, v in attrs if k != "id")))

    def handle_endtag(self, tag):
        self.events.append(f"/{tag}")

    def handle_data(self, data):
        if data.strip():
            self.events.append(" ".join(data.split()))


@pytest.mark.parametrize(
    "source",
    [
        f"{XSS} [b](DLC-0003) {{: onclick=alert(1)}}\n{{: onclick=alert(1)}}",
        "[a [b] c](DLC-0003) [`x`\\\\](DLC-0003) &amp;lt; \\[y\\](javascript:z) <https://e.org>",
        "[b](DLC-0003) ![[a](javascript:alert(1))](https://e.org/i.png) [m](mailto:a@b.org)",
        "- a [x](javascript:alert(1))\n  - [b](DLC-0003)\n- c [e](DLC-0004)",
        "- a [x](javascript:alert(1))\n  - [b](DLC-0003)\n- c\n\n  d [e](DLC-0004)",
        "| a | b |\n|:--|--:|\n| [b](DLC-0003) | [x](javascript:alert(1)) |\n| *e* | ![i](x) |",
        "> q [b](DLC-0003)\nlazy\n===\n\n```\na\n\n<b>\n```\n\n---\n\n1. x  \n   y [b](DLC-0003)",
        "x_y_z __b__ \\* \\_ ~~s~~ [e](https://e.org/a_(b)_`c`) [b](DLC-0003)",
        "- ***\n  a [x](javascript:alert(1)) [b](DLC-0003)\n- ```\n  [c](DLC-0004)\n  ```\n  d",
    ],
)
def test_prose_parsed_as_markdown_shows_what_markdown_it_renders(source):
    """Rewritten as escaped Markdown, the prose still becomes the HTML markdown-it makes
    of it: no text turns into markup, and no markup is lost."""
    html = to_html(prose(source))
    assert html.startswith('<div class="dlc-prose">\n')
    parsed = _Events(html.removeprefix('<div class="dlc-prose">\n').removesuffix("\n</div>"))
    assert parsed.events == _Events(markup._renderer("").render(source)).events
