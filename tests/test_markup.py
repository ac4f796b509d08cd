"""Contributed text cannot inject markup: escaping and safe prose rendering."""

import re

import markdown
import pytest

from generator.pages.markup import code, md_text, prose, safe_url, yaml_str

EXTENSIONS = ["admonition", "attr_list", "tables", "toc"]  # as in mkdocs.yml


def to_html(md: str) -> str:
    return markdown.markdown(md, extensions=EXTENSIONS)


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
    html = to_html(f"# Page\n\n{prose(source)}\n")
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
    assert '<a href="../DLC-0004/">beta</a>' in html
    assert "<pre><code>a\n\n&lt;b&gt;\n</code></pre>" in html  # blank line survives


def test_code_and_yaml_and_urls():
    assert to_html(code("<unknown>:0: error [a](javascript:x) *b*")) == (
        "<p><code>&lt;unknown&gt;:0: error [a](javascript:x) *b*</code></p>"
    )
    assert yaml_str('a "quoted": <title>') == '"a &quot;quoted&quot;: &lt;title&gt;"'
    assert safe_url("https://github.com/a/b/issues/1") == "https://github.com/a/b/issues/1"
    for bad in ["javascript:alert(1)", "https://x.org/a b", "https://x.org/(x)", "/relative"]:
        with pytest.raises(ValueError, match="refusing unsafe URL"):
            safe_url(bad)
