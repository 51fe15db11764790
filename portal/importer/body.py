"""An old article's body HTML -> the portal's Markdown.

Word and inline-style debris is removed, photos and videos become the portal's
figure syntax ``![caption](/images/… "Ảnh: credit")`` with captions found in
``<figure>``, a caption table row or a paragraph under the photo, the HTML goes
through the portal's sanitiser, then markdownify writes Markdown (tables kept).
"""
from __future__ import annotations

import re
import unicodedata
from typing import Callable

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from markdownify import MarkdownConverter

from portal.core.sanitize import sanitize_html

from . import legacy
from .model import Report

# place(old_src, is_video) -> the new address ("/images/2020/a.jpg") or None when it cannot be used
Place = Callable[[str, bool], "str | None"]

CREDIT = re.compile(r"[\s\-–—(\[]*\(?\s*(?P<credit>(?:Ảnh|Ảnh|Anh|Ảnh minh họa|Ảnh minh hoạ|Ảnh và clip|Video)\s*:\s*[^()\[\]]{1,80}?)\s*\)?\s*\.?\s*$", re.IGNORECASE)
VIDEO_EXT = (".mp4", ".webm", ".ogv", ".m4v")
DROP = ("script", "style", "noscript", "iframe", "object", "embed", "form", "input", "button", "meta", "link", "xml", "head", "title")
UNWRAP = ("font", "span", "center", "section", "article", "o:p", "big", "ins")
KEEP_ATTRS = {"href", "src", "alt", "title", "colspan", "rowspan"}
BLOCKS = ("p", "div", "td", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "table")
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\ufeff]+")
TOKEN = "PORTALMEDIA{:05d}END"
TOKEN_LINE = re.compile(r"^[ \t]*(PORTALMEDIA\d{5}END)[ \t]*$", re.MULTILINE)


class BodyError(ValueError):
    """HTML that cannot be read at all."""


def clean_text(text: str) -> str:
    """NFC, one space between words, no Word's non-breaking or zero-width spaces."""
    return SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def split_credit(caption: str) -> tuple[str, str]:
    """'Đại biểu dự họp. Ảnh: Thành Duy' -> ('Đại biểu dự họp.', 'Ảnh: Thành Duy')."""
    caption = clean_text(caption)
    match = CREDIT.search(caption)
    if not match:
        return caption, ""
    credit = clean_text(match["credit"])
    label, _, name = credit.partition(":")
    return caption[: match.start()].strip(" -–—("), f"{label.strip()}: {name.strip()}"


def html_text(html: str) -> str:
    """Plain text of a small HTML fragment (lead, caption)."""
    if "<" not in (html or ""):
        return clean_text(html)
    return clean_text(BeautifulSoup(html, "lxml").get_text(" "))


class _Converter(MarkdownConverter):
    def convert_img(self, el, text, parent_tags):  # photos were all turned into tokens before
        return ""

    def escape(self, text, parent_tags):
        # Text that reads "<b>" must stay text: Markdown would take it for a tag.
        return super().escape(text, parent_tags).replace("&", "&amp;").replace("<", "&lt;")


def _markdown(html: str) -> str:
    return _Converter(heading_style="ATX", bullets="-", table_infer_header=True, escape_misc=False).convert(html)


def _is_video_src(src: str) -> bool:
    return src.split("?", 1)[0].split("#", 1)[0].lower().endswith(VIDEO_EXT)


def _media_src(el: Tag) -> str:
    if el.name == "video":
        source = el.get("src") or next((s.get("src") for s in el.find_all("source") if s.get("src")), "")
        return (source or "").strip()
    if el.name == "a":
        return (el.get("href") or "").strip()
    return (el.get("src") or el.get("data-src") or "").strip()


def _looks_like_caption(el: Tag) -> bool:
    text = clean_text(el.get_text(" "))
    if not text or len(text) > 400 or el.find(["img", "video", "table"]):
        return False
    hints = " ".join([*(el.get("class") or []), el.get("style") or ""]).lower()
    italic = el.find(["em", "i"]) is not None and clean_text(el.find(["em", "i"]).get_text(" ")) == text
    return italic or "caption" in hints or "center" in hints or bool(CREDIT.search(text))


def _next_block(el: Tag) -> Tag | None:
    sibling = el.next_sibling
    while sibling is not None and isinstance(sibling, NavigableString) and not sibling.strip():
        sibling = sibling.next_sibling
    return sibling if isinstance(sibling, Tag) and sibling.name in ("p", "div", "em", "i", "figcaption") else None


def _holder(media: Tag) -> Tag:
    """The smallest block around a photo that holds nothing else (the photo's own paragraph)."""
    node = media
    while node.parent is not None and node.parent.name not in ("body", "[document]", "td", "li", "blockquote"):
        parent = node.parent
        others = [c for c in parent.contents if c is not node and not (isinstance(c, NavigableString) and not c.strip())
                  and not (isinstance(c, Tag) and c.name == "br")]
        if others:
            break
        node = parent
    return node


def convert(html: str, who: str, report: Report, place: Place) -> str:
    """Markdown for the body; problems (missing photos, removed tags…) go to the report."""
    text, encoding = legacy.fix(html or "")
    if encoding:
        report.add("Bảng mã cũ đã chuyển sang Unicode", who, f"thân bài gõ bằng {encoding.upper()}")
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as exc:  # lxml gives up only on truly broken input
        raise BodyError(f"không đọc được HTML thân bài ({exc})") from None
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for el in soup.find_all(DROP):
        if el.name == "iframe":
            report.add("Nội dung nhúng bị bỏ", who, f"khung nhúng {el.get('src', '')!r} (trang không tải nội dung từ ngoài)")
        el.decompose()
    figures: list[str] = []

    def token_for(markup: str) -> str:
        figures.append(markup)
        return TOKEN.format(len(figures) - 1)

    def figure_markup(src: str, caption: str) -> str | None:
        video = _is_video_src(src)
        new = place(src, video)
        if not new:
            return None
        caption, credit = split_credit(caption)
        alt = caption.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        if video or not credit:
            return f"![{alt}]({new})"
        return f'![{alt}]({new} "{credit.replace(chr(34), "”")}")'

    def replace_with_token(block: Tag, src: str, caption: str) -> None:
        markup = figure_markup(src, caption)
        paragraph = soup.new_tag("p")
        if markup:
            paragraph.string = token_for(markup)
        elif caption:
            paragraph.string = clean_text(caption)
        if paragraph.string:
            block.replace_with(paragraph)
        else:
            block.decompose()

    # 1. <figure><img><figcaption>
    for figure in soup.find_all("figure"):
        media = figure.find(["img", "video"])
        if media is None:
            figure.unwrap()
            continue
        caption_el = figure.find("figcaption")
        caption = caption_el.get_text(" ") if caption_el else (media.get("alt") or "")
        replace_with_token(figure, _media_src(media), caption)
    # 2. a table that only frames one photo and its caption row (CKEditor "image table")
    for table in soup.find_all("table"):
        if table.parent is None:
            continue
        media = table.find_all(["img", "video"])
        rows = table.find_all("tr")
        if len(media) == 1 and len(rows) <= 3 and len(clean_text(table.get_text(" "))) <= 400:
            src = _media_src(media[0])
            media[0].extract()
            caption = table.get_text(" ") or media[0].get("alt") or ""
            replace_with_token(table, src, caption)
    # 3. photos and videos standing alone, captioned by the paragraph under them
    for media in soup.find_all(["img", "video", "a"]):
        if media.parent is None:
            continue
        if media.name == "a":
            href = _media_src(media)
            if not _is_video_src(href):
                continue
        src = _media_src(media)
        holder = _holder(media)
        caption = ""
        if holder is media or holder.name in ("p", "div"):
            following = _next_block(holder if holder is not media else media)
            if following is not None and _looks_like_caption(following):
                caption = following.get_text(" ")
                following.decompose()
        if not caption and media.name == "img":
            alt = clean_text(media.get("alt") or media.get("title") or "")
            if alt and not re.search(r"\.(jpe?g|png|gif|webp)$", alt, re.I):
                caption = alt
        if holder is media and media.parent is not None and media.parent.name not in ("body", "[document]"):
            # a photo inside a text paragraph: its figure goes right after that paragraph
            block = media.find_parent(BLOCKS) or media.parent
            markup = figure_markup(src, caption)
            media.decompose()
            if markup:
                paragraph = soup.new_tag("p")
                paragraph.string = token_for(markup)
                block.insert_after(paragraph)
        else:
            replace_with_token(holder, src, caption)
    # Word and inline-style debris
    for el in soup.find_all(True):
        if el.parent is None:
            continue
        if ":" in el.name or el.name in UNWRAP:
            el.unwrap()
            continue
        if el.name == "h1":
            el.name = "h2"
        el.attrs = {k: v for k, v in el.attrs.items() if k in KEEP_ATTRS}
        if el.name == "a":
            href = el.get("href", "")
            if "/uploads/" in href and not href.lower().endswith(".html"):
                report.add("Tệp đính kèm chưa chuyển", who, f"liên kết tới {href} vẫn trỏ về cổng cũ")
    body = soup.body or soup
    cleaned = sanitize_html(body.decode_contents())
    for tag in cleaned.removed:
        if tag not in ("o:p", "font", "span", "section", "article", "center", "big", "ins"):
            report.add("Thẻ HTML bị bỏ", who, f"<{tag}>")
    markdown = _markdown(cleaned.html)
    markdown = TOKEN_LINE.sub(lambda m: "\n" + figures[int(m.group(1)[11:16])] + "\n", markdown)
    return _tidy(markdown)


def _tidy(markdown: str) -> str:
    lines = [SPACES.sub(" ", line).rstrip() for line in unicodedata.normalize("NFC", markdown).split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    # "Video:" left alone above the video it announced
    text = re.sub(r"^(?:Video|Clip)\s*:?\s*\n\n(?=!\[[^\]]*\]\(/videos/)", "", text, flags=re.MULTILINE | re.IGNORECASE)
    # An editor body never starts a line with "#" alone (title comes from Title:).
    text = re.sub(r"^#(?=[^#])", "##", text, flags=re.MULTILINE)
    return text + "\n" if text else ""
