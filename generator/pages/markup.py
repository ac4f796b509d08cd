"""Turning untrusted contributed text into safe Markdown for the pages.

Owns the one rule that keeps pull requests from injecting markup: every value
reaching a template is either escaped here or was produced here as `Markup`.

- Plain-text fields (titles, summaries) are HTML-escaped and have Markdown's
  punctuation backslash-escaped, so `[x](javascript:…)`, `{: onclick=…}`
  (attr_list) or `<script>` come out as literal text.
- Prose fields (descriptions, recommendations) are CommonMark, rendered here
  by markdown-it-py with raw HTML disabled and only http(s)/mailto links or
  links to other challenges by ID (`[text](DLC-0003)`), then embedded as an
  HTML block that Python-Markdown passes through untouched; or, when the text
  links a challenge, as HTML whose every text run is escaped Markdown, so the
  challenge link can be a Markdown link that MkDocs and Zensical both resolve.
- URLs go through `safe_url`, which admits only http(s).
"""

from __future__ import annotations

import functools
import html
import json
import re
import unicodedata

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_ALLOWED_SCHEMES = ("http://", "https://", "mailto:")


@functools.lru_cache(maxsize=1 << 16)
def md_text(value: str) -> Markup:
    """Escape text so Markdown and HTML show it literally, as one line of text.

    Cached: the same titles, names and labels are printed on many pages. Text only, as
    the cache would take `1` and `True` for the same key.
    """
    text = html.escape(value, quote=False)
    return Markup(_MD_SPECIAL.sub(r"\\\1", text))


def sparkline(values: tuple[int, ...], label: str, width: int = 120, height: int = 24) -> Markup:
    """A small inline SVG line of counts over time; `label` is its accessible name."""
    if len(values) < 2 or not any(values):
        return Markup("")
    top = max(values)
    step = (width - 4) / (len(values) - 1)
    points = " ".join(
        f"{2 + i * step:.1f},{height - 2 - (height - 4) * v / top:.1f}"
        for i, v in enumerate(values)
    )
    return Markup(
        f'<svg class="dlc-sparkline" width="{width}" height="{height}" role="img" '
        f'aria-label="{html.escape(label, quote=True)}" viewBox="0 0 {width} {height}">'
        f'<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{points}"/>'
        "</svg>"
    )


def code(value: str) -> Markup:
    """Inline code as an HTML element (a Markdown code span cannot hold backticks safely).

    Python-Markdown still applies inline syntax inside inline HTML, so the content
    is escaped exactly like plain text: `[a](javascript:…)` stays literal.
    """
    return Markup(f"<code>{md_text(value)}</code>")


def code_block(text: str, language: str) -> Markup:
    """A preformatted block as HTML: Python-Markdown stashes it untouched."""
    return Markup(f'<pre><code class="language-{language}">{html.escape(text)}</code></pre>')


def yaml_str(value: str) -> Markup:
    """A front-matter value: HTML-escaped, as a double-quoted YAML scalar.

    MkDocs themes copy front matter (title, description) into the page's HTML
    without escaping, e.g. into `<meta content="…">`, so the value must already
    be HTML-safe; JSON strings are valid double-quoted YAML scalars.
    """
    # Themes quote attributes with ", so ' can stay readable (search shows titles).
    escaped = html.escape(value, quote=False).replace('"', "&quot;")
    return Markup(json.dumps(escaped, ensure_ascii=False))


def safe_url(url: str) -> Markup:
    """A URL for a Markdown link target; only absolute http(s) URLs pass."""
    if not url.startswith(("http://", "https://")) or any(c in url for c in " <>\"'()\\\n"):
        raise ValueError(f"refusing unsafe URL {url!r}")
    return Markup(url)


_CHALLENGE_ID = re.compile(r"DLC-[0-9]{4}")
_CHALLENGE_HREF = re.compile(r"(\.\./)*(challenges/)?DLC-[0-9]{4}\.md")
"""A challenge link after normalizing: a relative path to the challenge's Markdown file."""


@functools.cache
def _renderer(challenges_prefix: str) -> MarkdownIt:
    """A renderer whose challenge links are `{challenges_prefix}DLC-0003.md`: the path
    from the page's Markdown file to the challenge's, which MkDocs and Zensical both
    turn into the challenge's URL."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    normalize = md.normalizeLink
    challenge_href = re.compile(re.escape(challenges_prefix) + r"DLC-[0-9]{4}\.md")

    def normalize_link(url: str) -> str:
        # `[text](DLC-0003)` links another challenge's page.
        return f"{challenges_prefix}{url}.md" if _CHALLENGE_ID.fullmatch(url) else normalize(url)

    def validate_link(url: str) -> bool:
        # Called on the normalized URL: a challenge link arrives as exactly the path
        # `normalize_link` writes, any other relative path is refused.
        return url.lower().startswith(_ALLOWED_SCHEMES) or bool(challenge_href.fullmatch(url))

    md.normalizeLink = normalize_link
    md.validateLink = validate_link  # a refused link stays plain text
    # An inline run rewritten by `_markdown_inline` is printed as it is.
    md.add_render_rule("dlc_markdown", lambda self, tokens, idx, options, env: tokens[idx].content)
    return md


def _is_challenge_link(token: Token) -> bool:
    return token.type == "link_open" and bool(
        _CHALLENGE_HREF.fullmatch(token.attrGet("href") or "")
    )


_ATTRIBUTE_SPECIAL = re.compile(r"[&<>\"'\\`*_{}\[\]()!\n]")


def _attribute(value: str) -> str:
    """An attribute value for a tag in Markdown that Python-Markdown will parse.

    Python-Markdown runs its inline patterns (code spans, escapes, links) over a raw tag
    before it sets the tag aside, and writes what they make into the attribute, so
    `alt="[a](javascript:…)"` would come out as `alt="<a href="javascript:…">`. As
    character references, the quotes and Markdown's punctuation are inert to it and
    mean the same to the browser; backslash escapes would be shown literally.
    """
    return _ATTRIBUTE_SPECIAL.sub(lambda m: f"&#{ord(m[0])};", value)


def _tag(name: str, attrs: dict, close: str = ">") -> str:
    return f"<{name}" + "".join(f' {k}="{_attribute(str(v))}"' for k, v in attrs.items()) + close


def _markdown_inline(md: MarkdownIt, children: list[Token]) -> str:
    """Inline tokens as Markdown that Python-Markdown turns into the same HTML: text
    escaped like `md_text`, emphasis, code, images and external links as inline HTML,
    and challenge links as Markdown links (both engines rewrite those to the page's URL;
    a relative href in raw HTML MkDocs leaves as written and Zensical rebases)."""
    out = []
    hrefs: list[str | None] = []  # for each open link: its target if a challenge link
    for t in children:
        if t.type == "text":
            out.append(md_text(t.content))
        elif t.type == "softbreak":
            out.append("\n")
        elif t.type == "hardbreak":
            out.append("<br />\n")
        elif t.type == "code_inline":
            out.append(code(t.content))
        elif t.type in ("em_open", "strong_open", "em_close", "strong_close"):
            out.append(f"<{'/' if t.nesting < 0 else ''}{t.tag}>")
        elif t.type == "link_open":
            # A challenge link's target is only `../`, `challenges/` and the file name.
            hrefs.append(t.attrGet("href") if _is_challenge_link(t) else None)
            out.append("[" if hrefs[-1] else _tag("a", t.attrs))
        elif t.type == "link_close":
            href = hrefs.pop()
            out.append(f"]({href})" if href else "</a>")
        elif t.type == "image":
            alt = md.renderer.renderInlineAsText(t.children or [], md.options, {})
            out.append(_tag("img", {**t.attrs, "alt": alt}, " />"))
        else:  # raw HTML is disabled; anything else is shown as text
            out.append(md_text(t.content))
    return "".join(out)


def _markdown_mode(tokens: list[Token], i: int) -> str:
    """The md_in_html mode of the element opened at `i`: "span" where inline content sits
    directly inside (paragraphs, headings, cells, the items of a tight list), else "block"
    (which would wrap text sitting directly inside in a paragraph)."""
    t = tokens[i]
    if t.type in ("paragraph_open", "heading_open", "th_open", "td_open"):
        return "span"
    if t.type == "list_item_open":
        # A tight list's paragraphs are hidden: their text sits in the `<li>` itself.
        for inner in tokens[i + 1 :]:
            if inner.level == t.level and inner.type == "list_item_close":
                break
            if inner.level == t.level + 1 and inner.type == "paragraph_open" and inner.hidden:
                return "span"
    return "block"


def _line_end(tokens: list[Token], i: int) -> str:
    """A newline after the inline run at `i` if it is a tight list item's text with a block
    after it: markdown-it writes a fence straight after the text, on the same line, where
    md_in_html would take `<pre>` for inline HTML and parse the code in it as Markdown."""
    hidden = tokens[i - 1].type == "paragraph_open" and tokens[i - 1].hidden
    return "\n" if hidden and i + 2 < len(tokens) and tokens[i + 2].nesting != -1 else ""


@functools.lru_cache(maxsize=20_000)
def prose(source: str, challenges_prefix: str = "") -> Markup:
    """Render contributed CommonMark to an HTML block safe to embed in a page.

    `challenges_prefix` is the path from the page's Markdown file to `docs/challenges/`:
    empty on a challenge page, `../challenges/` on an audience or study page.

    Without a challenge link the block is raw HTML: `markdown="0"` keeps md_in_html
    (enabled for the search exclusions) from parsing it, and Python-Markdown stashes the
    whole `<div>`, blank lines included. With one, md_in_html parses the whole block, so
    that the challenge links can be Markdown links to `.md` files (the engines rewrite
    those; a relative href in raw HTML MkDocs leaves as written and Zensical rebases).
    Then every element gets a `markdown` attribute and every inline run is rewritten as
    escaped Markdown: none is left as markdown-it's HTML, which Python-Markdown would
    read as Markdown source if a parsed element held it. Code blocks stay raw (`<pre>`
    is never parsed); a challenge link's title is dropped.

    Kept for the texts seen last (a pure function of its arguments): a warm process that
    renders the pages again after a save converts only the text that changed.
    """
    md = _renderer(challenges_prefix)
    tokens = md.parse(source)
    inlines = [t for t in tokens if t.type == "inline"]
    links = any(_is_challenge_link(c) for t in inlines for c in t.children or [])
    if links:
        for i, t in enumerate(tokens):
            if t.nesting == 1 and not t.hidden:
                t.attrSet("markdown", _markdown_mode(tokens, i))
        for i, t in enumerate(tokens):
            if t.type == "inline":
                content = _markdown_inline(md, t.children or []) + _line_end(tokens, i)
                t.children = [Token("dlc_markdown", "", 0, content=content)]
    rendered = md.renderer.render(tokens, md.options, {}).strip()
    mode = "block" if links else "0"
    return Markup(f'<div class="dlc-prose" markdown="{mode}">\n{rendered}\n</div>')


def slug(title: str) -> str:
    """`Model conversion (mobile)` → `model-conversion-mobile`."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-") or "challenge"
