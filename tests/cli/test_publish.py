"""`make publish` (publishconf.py): feeds, sitemap, SEO metadata, assets, links."""
from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import brotli
import feedparser
import pytest
from PIL import Image
from lxml import etree

from tests.support.sites import SITE_URL, article, build_site, publish_settings, run_portal, write_site
from portal.cli import linkcheck

DATA = Path(__file__).resolve().parents[1] / "data"
ARTICLE = "/2024/05/hoi-nghi-tong-ket-2024/"
ARTICLE_TITLE = 'Hội nghị <tổng kết> công tác "Đảng" năm 2024 </script>'
PUBLISHED = 9  # demo_files(): 1 in "Xây dựng Đảng", 5 in "Đoàn thể", 1 in each other category, 1 draft


def html_files(site) -> list[Path]:
    return sorted(site.output.rglob("*.html"))


def url_path(url: str) -> str:
    assert url.startswith(SITE_URL + "/"), url
    return url[len(SITE_URL):]


def test_without_siteurl_publish_fails_clearly_and_keeps_output(tmp_path):
    root = write_site(tmp_path, {"articles/a.md": article("Tin", "2024-01-01 08:00", "Đoàn thể")},
                      settings=publish_settings(tmp_path))
    (root / "output").mkdir()
    (root / "output" / "index.html").write_text("bản cũ", encoding="utf-8")
    site = build_site(root, env={"SITEURL": ""})
    assert site.returncode != 0
    assert "cần địa chỉ trang công khai trong biến môi trường SITEURL" in site.stderr
    assert (root / "output" / "index.html").read_text(encoding="utf-8") == "bản cũ"


def test_drafts_never_reach_the_published_site(published_site):
    for path in published_site.output.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".txt"):
            assert "Bài còn đang viết" not in path.read_text(encoding="utf-8"), path
            assert "bai-con-dang-viet" not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize("name, expected", [
    ("all.atom.xml", PUBLISHED), ("all.rss.xml", PUBLISHED),
    ("xay-dung-dang.atom.xml", 1), ("xay-dung-dang.rss.xml", 1),
    ("doan-the.atom.xml", 5), ("doan-the.rss.xml", 5),
])
def test_feeds_parse_and_link_to_published_pages(published_site, name, expected):
    feed = feedparser.parse((published_site.output / "feeds" / name).read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title.startswith("Đảng ủy Khối các cơ quan tỉnh")
    assert len(feed.entries) == expected
    for entry in feed.entries:
        assert published_site.exists(url_path(entry.link))
        assert entry.published_parsed is not None


def test_every_page_advertises_the_site_feeds(published_site):
    head = published_site.page("/chuyen-muc/doan-the/").head
    feeds = {link["href"] for link in head.select('link[rel="alternate"]')}
    assert feeds == {f"{SITE_URL}/feeds/all.atom.xml", f"{SITE_URL}/feeds/all.rss.xml",
                     f"{SITE_URL}/feeds/doan-the.atom.xml", f"{SITE_URL}/feeds/doan-the.rss.xml"}
    for href in feeds:
        assert published_site.exists(url_path(href))


def test_sitemap_is_valid_and_lists_every_published_page(published_site):
    schema = etree.XMLSchema(etree.parse(str(DATA / "sitemap.xsd")))
    document = etree.parse(str(published_site.output / "sitemap.xml"))
    schema.assertValid(document)
    locs = [url_path(e.text) for e in document.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locs) == len(set(locs))
    for loc in locs:
        assert published_site.exists(loc), loc
    articles = [loc for loc in locs if loc.startswith("/2024/")]
    assert len(articles) == PUBLISHED
    assert {"/", "/gioi-thieu/", "/chuyen-muc/doan-the/", "/chuyen-muc/xay-dung-dang/"} <= set(locs)


def test_robots_txt_points_to_the_sitemap(published_site):
    lines = (published_site.output / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in lines
    assert "User-agent: *" in lines


def test_every_page_has_an_absolute_canonical_link_to_itself(published_site):
    for path in html_files(published_site):
        relative = path.relative_to(published_site.output).as_posix()
        if relative == "404.html":
            continue
        canonical = published_site.page("/" + relative).select('head link[rel="canonical"]')
        expected = "/" + relative.removesuffix("index.html")
        assert [c["href"] for c in canonical] == [SITE_URL + expected], relative


def og_image_path(site) -> str:
    return site.page(ARTICLE).head.select_one('meta[property="og:image"]')["content"].removeprefix(SITE_URL)


def test_article_open_graph(published_site):
    head = published_site.page(ARTICLE).head
    og = {m["property"]: m["content"] for m in head.select("meta[property]")}
    assert og["og:type"] == "article"
    assert og["og:title"] == ARTICLE_TITLE
    assert og["og:url"] == SITE_URL + ARTICLE
    assert og["og:image"].startswith(SITE_URL + "/anh/2024/hoi-nghi-")  # the images plugin's 1200×630
    with Image.open(published_site.output / url_path(og["og:image"]).lstrip("/")) as image:
        assert image.size == (1200, 630)
    assert og["og:description"] == "Đoạn mở đầu."
    assert og["article:published_time"] == "2024-05-01T08:00:00+07:00"
    assert published_site.exists(url_path(og["og:image"]))
    home = {m["property"]: m["content"] for m in published_site.page("/").head.select("meta[property]")}
    assert home["og:type"] == "website"


def test_article_json_ld_is_a_safe_newsarticle_data_block(published_site):
    raw = (published_site.output / ARTICLE.strip("/") / "index.html").read_text(encoding="utf-8")
    blocks = published_site.page(ARTICLE).select('script[type="application/ld+json"]')
    assert len(blocks) == 1
    text = blocks[0].string
    # The title contains "</script>": escaped, it cannot end the element early.
    assert "<" not in text and raw.count("</script>") == raw.count("<script")
    data = json.loads(text)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == ARTICLE_TITLE
    assert data["datePublished"] == "2024-05-01T08:00:00+07:00"
    assert data["mainEntityOfPage"]["@id"] == SITE_URL + ARTICLE
    assert data["image"] == [SITE_URL + og_image_path(published_site)]
    assert data["publisher"]["name"] == "Đảng ủy Khối các cơ quan tỉnh"
    assert data["keywords"] == ["Hội nghị", "Tổng kết"]
    assert not [s for s in published_site.page(ARTICLE).select("script") if s.get("type") != "application/ld+json" and s.string]


def test_css_is_fingerprinted_and_every_page_refers_to_it(published_site):
    css_dir = published_site.output / "theme" / "css"
    names = sorted(p.name for p in css_dir.iterdir() if p.suffix == ".css")
    assert len(names) == 1 and names[0].startswith("main.")
    css = css_dir / names[0]
    assert names[0] == f"main.{hashlib.sha256(css.read_bytes()).hexdigest()[:10]}.css"
    for path in html_files(published_site):
        soup = published_site.page("/" + path.relative_to(published_site.output).as_posix())
        sheets = [link["href"] for link in soup.select('link[rel="stylesheet"]')]
        assert f"{SITE_URL}/theme/css/{names[0]}" in sheets, path
        assert not [s for s in sheets if s.endswith("/main.css")]


def test_every_text_file_has_identical_gzip_and_brotli_copies(published_site):
    text_files = [p for p in published_site.output.rglob("*")
                  if p.is_file() and p.suffix in (".html", ".css", ".js", ".xml", ".json", ".txt", ".svg")]
    assert len(text_files) > 20
    for path in text_files:
        original = path.read_bytes()
        assert gzip.decompress(Path(f"{path}.gz").read_bytes()) == original, path
        assert brotli.decompress(Path(f"{path}.br").read_bytes()) == original, path
    assert not list(published_site.output.rglob("*.png.gz"))


def test_publish_runs_fingerprint_then_compression_last(published_site, monkeypatch):
    from portal.cli.pelican_run import load_settings

    monkeypatch.setenv("SITEURL", SITE_URL)
    steps = load_settings(str(published_site.root / "conf.py"))["PORTAL_POSTBUILD"]
    assert steps[-2:] == ["portal.cli.fingerprint:fingerprint_assets", "portal.cli.compress:precompress"]


def test_no_broken_internal_link_or_image(published_site):
    assert linkcheck.check(published_site.output, SITE_URL) == []
    result = run_portal("linkcheck", published_site.root, str(published_site.output), "--site-url", SITE_URL)
    assert result.returncode == 0, result.stderr


def test_sample_site_has_no_broken_internal_link_or_image(sample_site):
    assert linkcheck.check(sample_site.output) == []


def test_link_checker_reports_each_broken_link(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<p id="x"><a href="/a/#x">ok</a><a href="/a/#missing">bad fragment</a>'
        '<img src="/images/none.jpg" alt=""><a href="../b/">bad relative</a>'
        f'<a href="{SITE_URL}/a/">ok absolute</a><a href="https://other.example/">external</a>'
        '<img srcset="/a/index.html 1x, /nothing.png 2x" alt=""></p>', encoding="utf-8")
    found = {(b.url, b.tag) for b in linkcheck.check(tmp_path, SITE_URL)}
    assert found == {("/a/#missing", "a"), ("/images/none.jpg", "img"), ("../b/", "a"), ("/nothing.png", "img")}
    result = run_portal("linkcheck", tmp_path, str(tmp_path), "--site-url", SITE_URL)
    assert result.returncode == 1
    assert "a/index.html: liên kết hỏng '/images/none.jpg' (thẻ <img>)" in result.stderr
