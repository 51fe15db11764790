"""What "executable" and "metadata" mean for a built site, checked file by file."""
from __future__ import annotations

import gzip
import io
import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from bs4 import BeautifulSoup
from PIL import Image

# Elements that run code, load a document, submit data or restyle the page.
ACTIVE_ELEMENTS = {"script", "iframe", "frame", "object", "embed", "applet", "form", "base", "svg", "math",
                   "style", "link", "meta", "input", "button", "textarea", "select", "details", "template",
                   "noscript", "audio", "portal"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "background", "xlink:href", "cite"}
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data|file):", re.I)
URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
JS_SINKS = re.compile(r"\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|\beval\(|new Function\(")
METADATA_MARKERS = (b"Exif\x00\x00", b"GPS", b"http://ns.adobe.com/xap", b"8BIM", b"SERIAL-12345", b"PhoneMaker",
                    b"eXIf", b"iTXt", b"tEXt", b"zTXt", b"iCCP")
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".heic", ".tif", ".tiff", ".jfif", ".ico"}


def html_findings(markup: str, where: str, page: bool, siteurl: str = "") -> list[str]:
    """Anything in ``markup`` that a browser would run, load or submit. ``page``: a whole theme page,
    whose own <head> (meta, link, external scripts from /theme/, JSON-LD) is allowed."""
    found = []
    soup = BeautifulSoup(markup, "html5lib")
    for element in soup.find_all(True):
        name = element.name.lower()
        if page and _theme_own(element, siteurl, where):
            continue
        if name in ACTIVE_ELEMENTS:
            found.append(f"{where}: <{name}> {str(element)[:120]}")
        for attribute, value in element.attrs.items():
            attribute = attribute.lower()
            value = " ".join(value) if isinstance(value, list) else str(value)
            if attribute.startswith("on") or attribute in ("style", "srcdoc", "http-equiv"):
                found.append(f"{where}: <{name} {attribute}={value[:60]!r}>")
            elif attribute in URL_ATTRIBUTES or attribute == "srcset":
                if BAD_SCHEME.match(URL_NOISE.sub("", value)):
                    found.append(f"{where}: <{name} {attribute}={value[:60]!r}>")
    return found


WIDGETS = {"input", "button", "select", "textarea", "noscript", "form"}


def _theme_own(element, siteurl: str, where: str) -> bool:
    """The theme's own head, scripts from /theme/, JSON-LD, and the search page's widgets."""
    name = element.name.lower()
    if name == "script":
        if element.get("type") == "application/ld+json":
            text = element.string or ""
            json.loads(text)  # a title cannot break out of the data block
            return "</" not in text
        return element.get("src", "").startswith(f"{siteurl}/theme/") and not element.string
    if name in ("meta", "link") and element.find_parent("head") is not None:
        return "http-equiv" not in {a.lower() for a in element.attrs}
    if name == "input" and element.get("type") == "checkbox" and "menu-toggle" in element.get("class", []) \
            and element.find_parent("header") is not None and not element.get("name"):
        return True  # the theme's phone menu: a checkbox that opens the menu without a script
    if name in WIDGETS:
        form = element if name == "form" else element.find_parent("form")
        in_search_form = form is not None and form.get("method", "get").lower() == "get" and \
            form.get("action", "").rstrip("/") == f"{siteurl}/tim-kiem"
        return in_search_form or (where == "tim-kiem/index.html" and element.find_parent("main") is not None)
    return False


def feed_findings(path: Path) -> list[str]:
    found = []
    root = ElementTree.parse(path).getroot()
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        html_typed = element.get("type") == "html" or tag in ("description", "encoded")
        if html_typed and element.text:
            found += html_findings(element.text, f"{path.name} <{tag}>", page=False)
    return found


def fragment_records(path: Path) -> dict:
    data = gzip.decompress(path.read_bytes())
    data = data.removeprefix(b"pagefind_dcd")
    return json.loads(data)


def json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)


def site_findings(output: Path, siteurl: str = "") -> list[str]:
    """Every executable thing in every file of a built site, and every image carrying metadata."""
    found: list[str] = []
    for path in sorted(p for p in output.rglob("*") if p.is_file()):
        where = str(path.relative_to(output))
        suffix = path.suffix.lower()
        if suffix == ".html":
            found += html_findings(path.read_text(encoding="utf-8"), where, page=True, siteurl=siteurl)
        elif suffix == ".xml" and "feeds" in path.parts:
            found += feed_findings(path)
        elif suffix == ".json":
            for text in json_strings(json.loads(path.read_text(encoding="utf-8"))):
                if BAD_SCHEME.match(URL_NOISE.sub("", text)):
                    found.append(f"{where}: address {text[:60]!r}")
        elif suffix == ".pf_fragment":
            record = fragment_records(path)
            for text in [record.get("url", "")] + list(json_strings(record.get("meta", {}))):
                if BAD_SCHEME.match(URL_NOISE.sub("", text)):
                    found.append(f"{where}: address {text[:60]!r}")
        elif suffix == ".js":
            for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if JS_SINKS.search(line) and "pagefind" not in path.parts:
                    found.append(f"{where}:{line_number}: the page's own script turns data into HTML")
        elif suffix in IMAGE_SUFFIXES or looks_like_image(path):
            found += image_findings(path, where)
        elif suffix in (".svg", ".htm", ".xhtml", ".swf", ".swf", ".php", ".exe") or \
                (suffix == ".xml" and where not in ("sitemap.xml",) and not where.startswith("sitemap")):
            found.append(f"{where}: a {suffix} file is published")
    return found


def looks_like_image(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(12)
    return head.startswith((b"\xff\xd8", b"\x89PNG", b"GIF8", b"II*\x00", b"MM\x00*")) or head[4:8] == b"ftyp" and \
        head[8:12] in (b"avif", b"heic", b"mif1")


def image_findings(path: Path, where: str) -> list[str]:
    data = path.read_bytes()
    found = [f"{where}: carries {marker!r}" for marker in METADATA_MARKERS if marker in data]
    try:
        with Image.open(io.BytesIO(data)) as image:
            if len(image.getexif()):
                found.append(f"{where}: EXIF {dict(image.getexif())}")
            kept = set(image.info) - {"dpi", "jfif", "jfif_version", "jfif_unit", "jfif_density", "progressive",
                                      "progression", "loop", "duration", "background", "transparency", "lossless"}
            if kept:
                found.append(f"{where}: image info {sorted(kept)}")
    except Exception as exc:  # noqa: BLE001 - an unreadable published image is a finding too
        found.append(f"{where}: not a readable image ({exc})")
    return found
