"""Turning untrusted contributed text into safe Markdown for the pages.

Owns the one rule that keeps pull requests from injecting markup: every value
reaching a template is either escaped here or was produced here as `Markup`.

- Plain-text fields (titles, summaries) are HTML-escaped and have Markdown's
  punctuation backslash-escaped, so `[x](javascript:…)`, `{: onclick=…}`
  (attr_list) or `<script>` come out as literal text.
- Prose fields (descriptions, recommendations) are CommonMark, rendered here
  by markdown-it-py with raw HTML disabled and only http(s)/mailto links or
  links to other challenges by ID (`[text](DLC-0003)`), then embedded as an
  HTML block that Python-Markdown passes through untouched.
- URLs go through `safe_url`, which admits only http(s).
"""

from __future__ import annotations

import functools
import html
import json
import re
import unicodedata

from markdown_it import MarkdownIt
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


_CHALLENGE_ID = re.compile(r"^DLC-[0-9]{4}$")
_CHALLENGE_HREF = re.compile(r"^(\.\./)+(challenges/)?DLC-[0-9]{4}/$")


def _validate_link(url: str) -> bool:
    # Called on the normalized URL, so a challenge link arrives as ../DLC-0003/.
    return url.lower().startswith(_ALLOWED_SCHEMES) or bool(_CHALLENGE_HREF.match(url))


@functools.cache
def _renderer(challenges_prefix: str) -> MarkdownIt:
    """A renderer whose challenge links start with `challenges_prefix` (site URLs are
    directories, so a challenge page reaches its siblings with `../`)."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.validateLink = _validate_link  # a refused link stays plain text
    normalize = md.normalizeLink

    def normalize_link(url: str) -> str:
        # `[text](DLC-0003)` links another challenge by its permanent URL.
        return f"{challenges_prefix}{url}/" if _CHALLENGE_ID.match(url) else normalize(url)

    md.normalizeLink = normalize_link
    return md


def prose(source: str, challenges_prefix: str = "../") -> Markup:
    """Render contributed CommonMark to an HTML block safe to embed in a page.

    `challenges_prefix` is the path from the page's URL to the challenges' folder:
    `../` on a challenge page, `../../challenges/` on a page two levels down elsewhere.
    `markdown="0"` keeps md_in_html (enabled for the search exclusions) from re-parsing it;
    Python-Markdown stashes the whole `<div>` block, blank lines included.
    """
    rendered = _renderer(challenges_prefix).render(source).strip()
    return Markup(f'<div class="dlc-prose" markdown="0">\n{rendered}\n</div>')


def slug(title: str) -> str:
    """`Model conversion (mobile)` → `model-conversion-mobile`."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-") or "challenge"
