"""Mentions of people in an article's HTML, and links on their first mention.

The HTML is the Markdown renderer's output: well-formed, so a tag scanner is
enough to keep out of tags, and to not link inside an existing link, a
heading or code.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Generic, Hashable, Iterable, Iterator, Mapping, TypeVar

from .matcher import NameMatcher
from .roles import StatedRole, combined, role_after, role_before

T = TypeVar("T", bound=Hashable)
TAG = re.compile(r"<!--.*?-->|<[^>]*>", re.S)
TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)")
NO_LINK_INSIDE = frozenset({"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "script", "style"})


def text_segments(markup: str) -> Iterator[tuple[int, int, bool]]:
    """(start, end, linkable) of every run of text between tags."""
    depth = 0
    position = 0
    for tag in TAG.finditer(markup):
        if tag.start() > position:
            yield position, tag.start(), depth == 0
        position = tag.end()
        name = TAG_NAME.match(tag.group())
        if name and name[2].lower() in NO_LINK_INSIDE and not tag.group().endswith("/>"):
            depth = max(0, depth - 1) if name[1] else depth + 1
    if position < len(markup):
        yield position, len(markup), depth == 0


def mentioned(markup: str, matcher: NameMatcher[T]) -> list[T]:
    """Targets named anywhere in the text, in order of first appearance."""
    seen: dict[T, None] = {}
    for start, end, _linkable in text_segments(markup):
        for mention in matcher.find(markup[start:end]):
            seen.setdefault(mention.target, None)
    return list(seen)


def link_first_mentions(markup: str, matcher: NameMatcher[T], urls: Mapping[T, str]) -> str:
    """Wrap the first linkable mention of each target in ``urls`` in a link."""
    pieces: list[str] = []
    linked: set[T] = set()
    position = 0
    for start, end, linkable in text_segments(markup):
        if not linkable or len(linked) == len(urls):
            continue
        for mention in matcher.find(markup[start:end]):
            target = mention.target
            if target in linked or target not in urls:
                continue
            linked.add(target)
            begin, finish = start + mention.start, start + mention.end
            pieces += [markup[position:begin], f'<a class="person-link" href="{html.escape(urls[target])}">',
                       markup[begin:finish], "</a>"]
            position = finish
    pieces.append(markup[position:])
    return "".join(pieces)


# Tags that end a run of text: a role never continues across them. Inline
# tags (strong, em, a, span…) are transparent, so "<strong>Nguyễn Văn
# Thông</strong>, Phó Bí thư…" still reads as a name with its role.
BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "blockquote",
    "br", "td", "th", "tr", "table", "thead", "tbody", "tfoot", "caption", "pre", "hr", "dl", "dt", "dd",
    "section", "article", "header", "footer", "aside", "nav", "img", "iframe", "video", "audio", "script",
    "style",
})


@dataclass(frozen=True)
class FoundMention(Generic[T]):
    """A name in the HTML: where it is, who it may be, the role written next to it."""

    start: int  # offsets in the markup
    end: int
    target: T
    text: str  # the name as written
    role: StatedRole | None
    linkable: bool  # wholly inside one run of text that may get a link


def _blocks(markup: str) -> Iterator[list[tuple[int, int, bool]]]:
    """Runs of text segments between block-level tags."""
    block: list[tuple[int, int, bool]] = []
    depth = 0
    position = 0
    for tag in TAG.finditer(markup):
        if tag.start() > position:
            block.append((position, tag.start(), depth == 0))
        position = tag.end()
        name = TAG_NAME.match(tag.group())
        if not name:
            continue
        lower = name[2].lower()
        if lower in BLOCK_TAGS and block:
            yield block
            block = []
        if lower in NO_LINK_INSIDE and not tag.group().endswith("/>"):
            depth = max(0, depth - 1) if name[1] else depth + 1
    if position < len(markup):
        block.append((position, len(markup), depth == 0))
    if block:
        yield block


def find_mentions(markup: str, matcher: NameMatcher[T]) -> list[FoundMention[T]]:
    """Every whole-name mention with the role stated next to it, in order.

    One pass over the text: each block's text is matched once, and each
    mention looks at a bounded window on either side for its role.
    """
    found: list[FoundMention[T]] = []
    for block in _blocks(markup):
        text = "".join(markup[start:end] for start, end, _linkable in block)
        mentions = matcher.find(text)
        if not mentions:
            continue
        # offsets of each segment in the joined text
        offsets = []
        at = 0
        for start, end, linkable in block:
            offsets.append((at, at + end - start, start, linkable))
            at += end - start
        piece = 0
        for index, mention in enumerate(mentions):
            while offsets[piece][1] <= mention.start:
                piece += 1
            joined_start, joined_end, html_start, linkable = offsets[piece]
            inside = mention.end <= joined_end
            begin = html_start + mention.start - joined_start
            previous_end = mentions[index - 1].end if index else 0
            next_start = mentions[index + 1].start if index + 1 < len(mentions) else len(text)
            role = combined(role_before(text, mention.start, previous_end),
                            role_after(text, mention.end, next_start))
            found.append(FoundMention(
                begin, begin + mention.end - mention.start if inside else begin, mention.target,
                html.unescape(text[mention.start:mention.end]), role, linkable and inside,
            ))
    return found


def insert_links(markup: str, links: Iterable[tuple[int, int, str]]) -> str:
    """Wrap each (start, end) of the markup in a link to its URL."""
    pieces: list[str] = []
    position = 0
    for start, end, url in sorted(links):
        pieces += [markup[position:start], f'<a class="person-link" href="{html.escape(url)}">',
                   markup[start:end], "</a>"]
        position = end
    pieces.append(markup[position:])
    return "".join(pieces)
