"""Allowlist HTML sanitising for everything that comes from content (nh3, Rust's ammonia).

Keeps what editors legitimately write or paste: paragraphs, headings, lists,
tables, emphasis, quotes, links to http(s)/mailto/tel/relative addresses and
images; drops scripts, event handlers, frames, forms, styles and any other
scheme. :func:`sanitize_html` also says what it removed, so callers can warn.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import nh3

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "small", "mark", "blockquote", "q", "cite", "code", "pre", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col",
    "a", "img", "figure", "figcaption", "div", "span", "abbr", "time",
}
ATTRIBUTES = {
    "*": {"title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start", "reversed"},
    "time": {"datetime"},
    "abbr": {"title"},
}
SCHEMES = {"http", "https", "mailto", "tel"}
# Elements whose content is dropped with them (not unwrapped into text).
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math"}
OPENING_TAG = re.compile(r"<\s*([a-zA-Z][a-zA-Z0-9-]*)")


@dataclass(frozen=True)
class Sanitized:
    html: str
    removed: tuple[str, ...]  # tag names that were dropped, in order of first appearance


def sanitize_html(html: str) -> Sanitized:
    """``html`` with only allowed tags, attributes and URL schemes left."""
    clean = nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    before = {name.lower() for name in OPENING_TAG.findall(html)}
    after = {name.lower() for name in OPENING_TAG.findall(clean)}
    removed = tuple(dict.fromkeys(n.lower() for n in OPENING_TAG.findall(html) if n.lower() in before - after))
    return Sanitized(clean, removed)
