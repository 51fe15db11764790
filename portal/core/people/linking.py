"""Mentions of people in an article's HTML, and links on their first mention.

The HTML is the Markdown renderer's output: well-formed, so a tag scanner is
enough to keep out of tags, and to not link inside an existing link, a
heading or code.
"""
from __future__ import annotations

import html
import re
from typing import Hashable, Iterator, Mapping, TypeVar

from .matcher import NameMatcher

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
