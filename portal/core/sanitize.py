"""Allowlist HTML sanitising for everything that comes from content (nh3, Rust's ammonia).

Keeps what editors legitimately write or paste: paragraphs, headings, lists,
tables, emphasis, quotes, links to http(s)/mailto/tel/relative addresses, the
portal's own photo and video placeholders (``portal.core.images.markup``) and
Markdown's footnotes; drops scripts, event handlers, frames, forms, styles and
any other scheme, and cleans what Word and web pages leave behind (mso styles,
classes, ``<font>``, ``<o:p>``, bare ``<span>``).

:func:`sanitize_html` runs on the HTML that Markdown makes, before the images
feature replaces its placeholders, so ``<picture>``/``<video>`` made by the
portal are never filtered. Every raw ``<img>`` left becomes an ``inline``
placeholder: it goes through the photo checks and pipeline like ``![…](…)``.
It also says what it removed (:class:`Removal`), so callers can warn with a line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape as html_unescape
from html.parser import HTMLParser

import nh3

from portal.core import problems

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "small", "mark", "blockquote", "q", "cite", "code", "pre", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col",
    "a", "img", "figure", "figcaption", "div", "span", "abbr", "time", "del", "ins", "kbd",
}
ATTRIBUTES = {
    "*": {"title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope", "align"},
    "td": {"colspan", "rowspan", "align"},
    "ol": {"start", "reversed", "type"},
    "time": {"datetime"},
    "abbr": {"title"},
    # Markdown's footnotes and heading anchors link by id.
    "sup": {"id"},
    "li": {"id"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
}
# The portal's own markup (images.markup, Markdown footnotes); any other class is debris.
CLASSES = {
    "figure": {"photo", "video"},
    "div": {"gallery", "footnote"},
    "span": {"caption", "credit"},
    "a": {"footnote-ref", "footnote-backref"},
}
# The placeholder kinds of portal.core.images.markup (not imported: images imports nothing from here).
MEDIA_ATTRIBUTE = "data-media"
MEDIA_KINDS = {"figure", "gallery", "inline", "video"}
SCHEMES = {"http", "https", "mailto", "tel"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster", "data", "srcset"}
# Elements whose content is dropped with them (not unwrapped into text).
DROP_WITH_CONTENT = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript", "template",
    "svg", "math", "audio", "video", "canvas", "textarea", "select", "title", "head", "xml",
}
# Left behind by Word and web pages: removed without a word of alarm.
DEBRIS_TAGS = {"font", "o:p", "span", "center", "big", "st1:place", "st1:city", "w:sdt"}
DEBRIS_ATTRIBUTES = {"style", "class", "face", "color", "size", "align", "valign", "bgcolor", "border",
                     "cellpadding", "cellspacing", "width", "height", "dir", "id", "lang", "nowrap"}
TEXT_ALIGN = re.compile(r"""<(t[hd])\b([^>]*?)\sstyle="text-align:\s*(left|right|center);?"([^>]*)>""")
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
IMG = re.compile(r"<img\b([^>]*)>")
SPAN = re.compile(r"<(/?)span\b([^>]*)>")
OPENING_TAG = re.compile(r"<\s*([a-zA-Z][a-zA-Z0-9:-]*)")
PLACEHOLDER_TAG = re.compile(rf"<img\b[^>]*\s{MEDIA_ATTRIBUTE}=\"[a-z]+\"[^>]*>")
PLACEHOLDER_SRC = re.compile(r'(\s)src="([^"]*)"')
MEDIA_TOKEN = "portal-media-"
UNSAFE_SCHEME = re.compile(r"^(?:javascript|vbscript|data|file|blob):", re.I)


@dataclass(frozen=True)
class Removal:
    """One kind of thing taken out of a document, for the editor's warning."""

    kind: str  # "content" (tag dropped with what it held), "tag", "attribute", "link", "debris"
    name: str  # tag, attribute or URL scheme
    tag: str = ""  # the element an attribute or link was on
    needle: str = ""  # a regular expression that finds it in the source text

    @property
    def message(self) -> str:
        if self.kind == "content":
            return f"đã bỏ thẻ <{self.name}> cùng nội dung bên trong (bài viết không được chứa mã chạy được, khung nhúng hay biểu mẫu)"
        if self.kind == "tag":
            return f"đã bỏ thẻ <{self.name}>, giữ lại chữ bên trong (thẻ này không được phép trong bài)"
        if self.kind == "attribute":
            return f"đã bỏ thuộc tính {self.name} của thẻ <{self.tag}> (mã chạy được không được phép trong bài)"
        if self.kind == "link":
            return (f"đã bỏ địa chỉ '{self.name}:…' của thẻ <{self.tag}>; chỉ dùng liên kết http://, https://, "
                    "mailto:, tel: hoặc địa chỉ trong trang (/…)")
        return f"đã bỏ định dạng thừa dán từ Word hoặc trang web ({self.name})"

    def line_in(self, text: str) -> int:
        """1-based line of ``text`` where this was written; 0 when it cannot be found."""
        if not self.needle:
            return 0
        found = re.search(self.needle, text, re.I)
        return text.count("\n", 0, found.start()) + 1 if found else 0


@dataclass(frozen=True)
class Sanitized:
    html: str
    removed: tuple[str, ...]  # tag names that were dropped, in order of first appearance
    removals: tuple[Removal, ...] = field(default=())  # what was taken out, one entry per kind and name


def sanitize_html(html: str) -> Sanitized:
    """``html`` with only allowed tags, attributes and URL schemes left; raw images become placeholders."""
    html = TEXT_ALIGN.sub(r'<\1\2 align="\3"\4>', html)
    # h1 is the page title's; an editor's "# Title" still reads as a heading.
    html = re.sub(r"<(/?)h1\b", r"<\1h2", html, flags=re.I)
    # A placeholder's src is checked by the images feature, which names what is wrong
    # with it (a Windows path, another site…) and never publishes it: kept out of nh3's hands.
    sources: list[str] = []

    def protect(match: re.Match) -> str:
        if UNSAFE_SCHEME.match(URL_NOISE.sub("", html_unescape(match.group(2)))):
            return match.group(0)  # left to nh3, which drops it (and the audit reports it)
        sources.append(match.group(2))
        return f'{match.group(1)}src="#{MEDIA_TOKEN}{len(sources) - 1}"'

    html = PLACEHOLDER_TAG.sub(lambda m: PLACEHOLDER_SRC.sub(protect, m.group(0), count=1), html)
    clean = nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ATTRIBUTES,
        tag_attribute_values={"img": {MEDIA_ATTRIBUTE: MEDIA_KINDS}},
        allowed_classes=CLASSES,
        url_schemes=SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    # Nothing taken out when every tag and attribute came through (the common case):
    # the audit, a Python parse, runs only when something was removed.
    removals = () if _shape(clean) == _shape(html) else _audit(html)
    clean = _unwrap_bare_spans(IMG.sub(_as_placeholder, clean))
    clean = re.sub(rf'src="#{MEDIA_TOKEN}(\d+)"', lambda m: f'src="{sources[int(m.group(1))]}"', clean)
    after = {name.lower() for name in OPENING_TAG.findall(clean)}
    removed = tuple(dict.fromkeys(
        n.lower() for n in OPENING_TAG.findall(html) if n.lower() not in after and n.lower() not in TAGS
    ))
    return Sanitized(clean, removed, removals)


def _shape(html: str) -> tuple[int, int, int]:
    """Counts that nh3 keeps when it removes nothing: tags, closing tags, attributes (and any "=" of the text)."""
    return html.count("<"), html.count("</"), html.count("=")


def _as_placeholder(match: re.Match) -> str:
    attributes = match.group(1)
    if " src=" not in f" {attributes}":
        return ""  # its address was unsafe (reported): nothing left to show
    if f"{MEDIA_ATTRIBUTE}=" in attributes:
        return match.group(0)
    return f'<img {MEDIA_ATTRIBUTE}="inline"{attributes}>'


def _unwrap_bare_spans(html: str) -> str:
    """Drop ``<span>`` without a class (Word's leftovers) and its matching ``</span>``."""
    kept: list[bool] = []
    out, position = [], 0
    for match in SPAN.finditer(html):
        closing, attributes = match.group(1), match.group(2).strip()
        if closing:
            keep = kept.pop() if kept else False
        else:
            keep = "class=" in attributes
            kept.append(keep)
        out.append(html[position:match.start()])
        if keep:
            out.append(match.group(0))
        position = match.end()
    out.append(html[position:])
    return "".join(out)


class _Audit(HTMLParser):
    """What the allowlist will take out of a fragment, one entry per kind and name."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[tuple[str, str, str], Removal] = {}
        self.debris: list[str] = []
        self.dropping: list[str] = []  # open elements whose content goes with them

    def _add(self, removal: Removal) -> None:
        self.found.setdefault((removal.kind, removal.name, removal.tag), removal)

    def _debris(self, what: str) -> None:
        if what not in self.debris:
            self.debris.append(what)

    def handle_starttag(self, tag, attrs, void=False):
        tag = tag.lower()
        if self.dropping:
            if tag == self.dropping[-1] and not void:
                self.dropping.append(tag)
            return
        if tag in DROP_WITH_CONTENT:
            self._add(Removal("content", tag, needle=rf"<\s*{re.escape(tag)}\b"))
            if not void:
                self.dropping.append(tag)
            return
        if tag not in TAGS:
            if tag in DEBRIS_TAGS or ":" in tag:
                self._debris(f"<{tag}>")
            else:
                self._add(Removal("tag", tag, needle=rf"<\s*{re.escape(tag)}\b"))
            return
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            name = name.lower()
            if name in URL_ATTRIBUTES and value and (name in allowed or name == "srcset"):
                scheme = SCHEME.match(URL_NOISE.sub("", value).lower())
                if scheme and scheme.group(1) not in SCHEMES:
                    self._add(Removal("link", scheme.group(1), tag, needle=rf"{name}\s*=\s*['\"]?\s*[^'\" >]*?{_loose(scheme.group(1))}"))
                continue
            if name == "class" and tag in CLASSES and set((value or "").split()) <= CLASSES[tag]:
                continue
            if name == MEDIA_ATTRIBUTE and tag == "img":
                continue
            if name in allowed and name != "class":
                continue
            if name.startswith("on") or name in URL_ATTRIBUTES or name in ("http-equiv", "formaction", "srcdoc"):
                self._add(Removal("attribute", name, tag, needle=rf"\s{re.escape(name)}\s*="))
            elif name in DEBRIS_ATTRIBUTES or name.startswith(("data-", "aria-", "xmlns", "v:", "o:")):
                self._debris(name)
            else:
                self._add(Removal("attribute", name, tag, needle=rf"\s{re.escape(name)}\s*="))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs, void=True)

    def handle_endtag(self, tag):
        if self.dropping and tag.lower() == self.dropping[-1]:
            self.dropping.pop()

    def handle_comment(self, data):
        if "mso" in data.lower() or "[if" in data.lower():
            self._debris("chú thích <!--[if …]>")

    def removals(self) -> tuple[Removal, ...]:
        found = list(self.found.values())
        if self.debris:
            first = self.debris[0].strip("<>")
            found.append(Removal("debris", ", ".join(self.debris), needle=rf"(<\s*{re.escape(first)}\b|\s{re.escape(first)}\s*=)"))
        return tuple(found)


def report(sanitized: Sanitized, path: str, source: str, first_line: int = 1) -> None:
    """One warning per removal, at its line of ``source`` (text that starts at ``first_line``)."""
    for removal in sanitized.removals:
        found = removal.line_in(source)
        problems.warning(path, first_line + found - 1 if found else first_line, removal.message)


def clean_and_report(html: str, path: str, source: str, first_line: int = 1) -> str:
    """:func:`sanitize_html`, warning about each removal; for bodies read outside the reader."""
    sanitized = sanitize_html(html)
    report(sanitized, path, source, first_line)
    return sanitized.html


def _loose(word: str) -> str:
    """``word`` with anything between its letters: finds 'java&#9;script' and 'JaVa script' too."""
    return "[^'\" >]*?".join(re.escape(letter) for letter in word[:4]) if len(word) > 4 else re.escape(word)


def _audit(html: str) -> tuple[Removal, ...]:
    parser = _Audit()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - the report is a courtesy; nh3 still cleans whatever this parser chokes on
        pass
    return parser.removals()
