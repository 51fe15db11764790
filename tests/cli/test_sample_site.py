"""The repository's sample content builds into a complete portal."""
from __future__ import annotations

import re
import unicodedata

from tests.support.sites import ROOT
from portal.core import schema, workflow

ARTICLES = sorted((ROOT / "content" / "articles").rglob("*.md"))


def headers():
    for path in ARTICLES:
        text = path.read_text(encoding="utf-8")
        yield path, text, schema.validate(schema.split_header(text), schema.ARTICLE_FIELDS).values


def test_sample_content_is_rich_enough_and_clean():
    published = [(p, v) for p, _, v in headers() if v.get("status", workflow.PUBLISHED) == workflow.PUBLISHED]
    assert len(published) >= 12
    assert len({v["category"] for _, v in published}) >= 4
    assert len({v["date"].year for _, v in published}) >= 3
    assert sum(bool(v.get("featured")) for _, v in published) == 1
    assert all(v.get("tags") and v.get("author") for _, v in published)
    assert any(v.get("people") for _, v in published) and any(v.get("source") for _, v in published)
    for path, text, values in headers():
        assert unicodedata.is_normalized("NFC", text), path
        assert path.stem == (values.get("slug") or schema.slugify(values["title"])), path
        assert path.parent.name == str(values["date"].year), path


def test_every_article_is_published_at_its_dated_url(sample_site):
    for path, _, values in headers():
        slug = values.get("slug") or schema.slugify(values["title"])
        url = f"/{values['date']:%Y}/{values['date']:%m}/{slug}/"
        if values.get("status") == workflow.DRAFT:
            assert not sample_site.exists(url), f"draft {path} was published"
            continue
        page = sample_site.page(url)
        assert page.h1.get_text() == values["title"]
        assert page.select_one(".article-meta time")["datetime"].endswith("+07:00")


def test_every_page_type_exists(sample_site):
    for url in ("/", "/chuyen-muc/", "/chuyen-muc/xay-dung-dang/", "/the/", "/tac-gia/", "/404.html",
                "/2025/", "/2025/07/", "/2025/07/10/", "/gioi-thieu/"):
        assert sample_site.exists(url), url
    day = sample_site.page("/2025/07/10/")
    assert len(day.select("main .card")) == 2  # two articles on that day


def test_home_shows_lead_latest_and_a_block_per_category(sample_site):
    home = sample_site.page("/")
    featured = [v for _, _, v in headers() if v.get("featured")][0]
    assert home.select_one(".home-lead .card-title").get_text(strip=True) == featured["title"]
    categories = {v["category"] for _, _, v in headers() if v.get("status") != workflow.DRAFT}
    assert {h.get_text(strip=True) for h in home.select(".home-category h2")} == categories


def test_internal_links_resolve(sample_site):
    broken = []
    for html in sample_site.output.rglob("*.html"):
        soup = sample_site.page("/" + str(html.relative_to(sample_site.output)))
        for tag, attr in (("a", "href"), ("img", "src"), ("link", "href")):
            for node in soup.find_all(tag):
                target = node.get(attr, "")
                if not target.startswith("/") or target.startswith("//"):
                    continue
                path = sample_site.output / target.split("#")[0].split("?")[0].lstrip("/")
                if not (path.is_file() or (path / "index.html").is_file()):
                    broken.append(f"{html.relative_to(sample_site.output)} -> {target}")
    assert broken == []


def test_no_third_party_requests_or_inline_scripts(sample_site):
    for html in sample_site.output.rglob("*.html"):
        soup = sample_site.page("/" + str(html.relative_to(sample_site.output)))
        for script in soup.find_all("script"):
            assert script.get("src") or script.get("type") == "application/ld+json", html
        for node in soup.find_all(src=True):
            assert not re.match(r"^(https?:)?//", node["src"]), (html, node["src"])
        for node in soup.find_all("link", href=True):
            assert not re.match(r"^(https?:)?//", node["href"]), (html, node["href"])
        assert not soup.find(attrs={"style": True}), html
        assert not any(a.startswith("on") for n in soup.find_all(True) for a in n.attrs), html


def test_article_page_without_photos_is_under_50_kb(sample_site):
    """HTML plus the CSS and scripts it loads (uncompressed: an upper bound of the transfer)."""
    for html in sample_site.output.glob("20*/*/*/index.html"):
        soup = sample_site.page("/" + str(html.relative_to(sample_site.output)))
        if not soup.select_one(".article-body"):
            continue
        assets = [n["href"] for n in soup.select("link[rel=stylesheet]")] + [n["src"] for n in soup.select("script[src]")]
        total = html.stat().st_size + sum((sample_site.output / a.lstrip("/")).stat().st_size for a in assets)
        assert total < 50_000, f"{html}: {total} bytes"
