"""sitemaps.org XML and robots.txt from a list of URLs: no Pelican here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree as ET

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
PROTOCOL_MAX_URLS = 50_000  # per file, by the protocol


@dataclass(frozen=True)
class SitemapUrl:
    loc: str
    lastmod: datetime | None = None


def _document(root_tag: str, child_tag: str, entries: list[SitemapUrl]) -> bytes:
    root = ET.Element(root_tag, xmlns=NAMESPACE)
    for entry in entries:
        item = ET.SubElement(root, child_tag)
        ET.SubElement(item, "loc").text = entry.loc
        if entry.lastmod is not None:
            ET.SubElement(item, "lastmod").text = entry.lastmod.isoformat(timespec="seconds")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def urlset(entries: list[SitemapUrl]) -> bytes:
    return _document("urlset", "url", entries)


def sitemap_index(entries: list[SitemapUrl]) -> bytes:
    return _document("sitemapindex", "sitemap", entries)


def plan(entries: list[SitemapUrl], site_url: str, max_urls: int = PROTOCOL_MAX_URLS) -> dict[str, bytes]:
    """File name -> bytes. One sitemap.xml, or sitemap.xml as an index of parts."""
    if max_urls < 1 or max_urls > PROTOCOL_MAX_URLS:
        raise ValueError(f"max_urls must be between 1 and {PROTOCOL_MAX_URLS}")
    if len(entries) <= max_urls:
        return {"sitemap.xml": urlset(entries)}
    files: dict[str, bytes] = {}
    parts: list[SitemapUrl] = []
    for number, start in enumerate(range(0, len(entries), max_urls), start=1):
        chunk = entries[start:start + max_urls]
        name = f"sitemap-{number}.xml"
        files[name] = urlset(chunk)
        dates = [e.lastmod for e in chunk if e.lastmod is not None]
        parts.append(SitemapUrl(f"{site_url}/{name}", max(dates) if dates else None))
    files["sitemap.xml"] = sitemap_index(parts)
    return files


def robots_txt(site_url: str) -> str:
    return f"User-agent: *\nDisallow: /api/\n\nSitemap: {site_url}/sitemap.xml\n"
