"""Editor syntax for photos and videos: a Markdown extension and its placeholders.

    ![Caption.](/images/2024/a.jpg "Ảnh: Thành Duy")     alone in a paragraph -> figure
    ![…](/images/a.jpg)                                  consecutive lines -> gallery
    ![…](/images/b.jpg)
    ![Caption.](/videos/x.mp4)                           -> figure with a video

Reading only knows the text, not the files, so every photo or video becomes a
placeholder ``<img data-media="KIND" src alt [title]>`` (attributes in any order) that the adapter later
replaces with the published ``<picture>``/``<video>`` (see ``render``).
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from html.parser import HTMLParser

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

MEDIA = "data-media"
VIDEO_EXTENSIONS = (".mp4", ".webm", ".ogv", ".m4v")
# Placeholder kinds: where the photo stands decides its ``sizes``.
FIGURE, GALLERY, INLINE, VIDEO = "figure", "gallery", "inline", "video"
PLACEHOLDER = re.compile(r"<img\b[^>]*\sdata-media=\"[a-z]+\"[^>]*>")


def is_video(src: str) -> bool:
    return src.split("?", 1)[0].split("#", 1)[0].lower().endswith(VIDEO_EXTENSIONS)


def _placeholder(element: etree.Element, kind: str) -> etree.Element:
    """The img element itself, its attributes rewritten in a fixed order."""
    src, alt, title = (element.get(name, "") for name in ("src", "alt", "title"))
    tail = element.tail
    element.clear()
    element.tag = "img"
    element.tail = tail
    element.set(MEDIA, VIDEO if is_video(src) else kind)
    element.set("src", src)
    element.set("alt", alt)
    if title:
        element.set("title", title)
    return element


def _media_only(paragraph: etree.Element) -> bool:
    """A paragraph made of images (and line breaks) with no text between them."""
    if (paragraph.text or "").strip() or len(paragraph) == 0:
        return False
    images = 0
    for child in paragraph:
        if (child.tail or "").strip() or child.tag not in ("img", "br") or len(child):
            return False
        images += child.tag == "img"
    return images > 0


def _figure(image: etree.Element, kind: str) -> etree.Element:
    caption, credit = image.get("alt", "").strip(), image.get("title", "").strip()
    figure = etree.Element("figure", {"class": "video" if is_video(image.get("src", "")) else "photo"})
    image.tail = None
    figure.append(_placeholder(image, kind))
    if caption or credit:
        figcaption = etree.SubElement(figure, "figcaption")
        if caption:
            etree.SubElement(figcaption, "span", {"class": "caption"}).text = caption
        if credit:
            span = etree.SubElement(figcaption, "span", {"class": "credit"})
            span.text = credit
            if caption:
                figcaption[0].tail = " "
    return figure


def _block(paragraph: etree.Element) -> etree.Element:
    images = [child for child in paragraph if child.tag == "img"]
    if len(images) == 1:
        block = _figure(images[0], FIGURE)
    else:
        block = etree.Element("div", {"class": "gallery"})
        for image in images:
            block.append(_figure(image, GALLERY))
    block.tail = paragraph.tail
    return block


class MediaTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "p" and _media_only(child):
                    parent[index] = _block(child)
        for image in root.iter("img"):
            if MEDIA not in image.attrib:
                _placeholder(image, INLINE)


class MediaExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        # After "inline" (20), which creates the img elements.
        md.treeprocessors.register(MediaTreeprocessor(md), "portal_media", 15)


def makeExtension(**kwargs) -> MediaExtension:  # noqa: N802 (Markdown's loader looks for this name)
    return MediaExtension(**kwargs)


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        self.attributes = {name: value or "" for name, value in attrs}


def placeholder_attributes(tag: str) -> dict[str, str]:
    """Attributes of one placeholder, entities decoded (src exactly as written)."""
    parser = _Attributes()
    parser.feed(tag)
    parser.close()
    return parser.attributes


def uncaptioned(html: str) -> list[str]:
    """The src of every photo placeholder in ``html`` without a caption (videos are labelled by their link)."""
    found = []
    for match in PLACEHOLDER.finditer(html):
        attributes = placeholder_attributes(match.group(0))
        if attributes.get(MEDIA) != VIDEO and not attributes.get("alt", "").strip():
            found.append(attributes.get("src", ""))
    return found


def uncaptioned_message(src: str) -> str:
    return (f"ảnh '{src}' chưa có chú thích (chữ trong ![…]); người khiếm thị dùng trình đọc màn hình "
            "sẽ không biết ảnh nói gì. Hãy viết một câu mô tả ảnh")
