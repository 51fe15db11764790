"""sitemap: protocol-valid XML, and a sitemap index above SITEMAP_MAX_URLS."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import etree

from tests.support.sites import build_site, demo_files, publish_settings, write_site
from portal.core.sitemap import SitemapUrl, plan

DATA = Path(__file__).resolve().parents[1] / "data"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
URLSET = etree.XMLSchema(etree.parse(str(DATA / "sitemap.xsd")))
INDEX = etree.XMLSchema(etree.parse(str(DATA / "siteindex.xsd")))
SITE = "https://example.test"


def test_plan_splits_into_parts_listed_by_an_index():
    start = datetime(2024, 1, 1, 8, tzinfo=timezone(timedelta(hours=7)))
    entries = [SitemapUrl(f"{SITE}/tin-{i}/", start + timedelta(days=i)) for i in range(7)]
    files = plan(entries, SITE, max_urls=3)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    index = etree.fromstring(files["sitemap.xml"])
    INDEX.assertValid(index)
    assert index.xpath("//s:loc/text()", namespaces=NS) == [f"{SITE}/sitemap-{n}.xml" for n in (1, 2, 3)]
    assert index.xpath("//s:lastmod/text()", namespaces=NS)[-1] == "2024-01-07T08:00:00+07:00"
    locs = []
    for name in ("sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"):
        part = etree.fromstring(files[name])
        URLSET.assertValid(part)
        locs += part.xpath("//s:loc/text()", namespaces=NS)
    assert locs == [e.loc for e in entries]
    assert list(plan(entries, SITE, max_urls=7)) == ["sitemap.xml"]


def test_protocol_limit_cannot_be_exceeded():
    with pytest.raises(ValueError):
        plan([], SITE, max_urls=50_001)


def test_built_site_switches_to_an_index_above_the_limit(tmp_path):
    root = write_site(tmp_path, demo_files(), settings=publish_settings(tmp_path) + "SITEMAP_MAX_URLS = 4\n")
    built = build_site(root, env={"SITEURL": SITE})
    assert built.returncode == 0, built.stderr
    index = etree.parse(str(built.output / "sitemap.xml"))
    INDEX.assertValid(index)
    parts = index.xpath("//s:loc/text()", namespaces=NS)
    assert len(parts) == 4  # home + 5 categories + 9 articles + 1 page = 16 URLs, 4 per part
    urls = []
    for url in parts:
        part = etree.parse(str(built.output / url.removeprefix(SITE + "/")))
        URLSET.assertValid(part)
        urls += part.xpath("//s:loc/text()", namespaces=NS)
    assert len(urls) == len(set(urls)) == 16
    assert all(built.exists(u.removeprefix(SITE)) for u in urls)
    assert f"Sitemap: {SITE}/sitemap.xml" in (built.output / "robots.txt").read_text(encoding="utf-8")
