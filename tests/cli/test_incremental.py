"""A rebuild reuses what did not change, and its output is byte for byte a cold build's.

The sample site (people, photos, pages, every feature) is built once; then each
kind of input is changed in turn — an article's body, a new article, a deleted
one, a person, a page, a setting, a template, a photo — and the site is built
again into the same output (what `make build` does), and from nothing into a
fresh folder. The two must hold the same files with the same bytes; the one
exception is Pagefind's filter and meta files, whose names differ between any
two cold builds of the same site. A rebuild's search index follows its pages
(portal wait-search waits for it), and the parts it replaced keep their files
in the bundle until the next build, for readers who loaded them: the bundle is
compared by the files of its current parts (the index memo's).
"""
from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from tests.support.rebuilds import assert_same_as_cold, build, current_search_files
from tests.support.sites import ROOT


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("incremental")
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "theme", root / "theme")
    (root / "conf.py").write_text(
        "from pelicanconf import *\n"
        f"PATH = {str(root / 'content')!r}\n"
        f"THEME = {str(root / 'theme')!r}\n"
        "STATS_ENABLED = False\n"
        "SEARCH_PART_SIZE = 4\n",  # the search index in parts, as a large site's
        encoding="utf-8",
    )
    build(root, "output")
    return root


def _articles(root: Path) -> list[Path]:
    return sorted(p for p in (root / "content" / "articles").rglob("*.md") if "Status: draft" not in p.read_text())


def test_an_unchanged_site_renders_nothing_and_keeps_every_file(site):
    before = {p: p.stat().st_ino for p in (site / "output").rglob("*") if p.is_file()}
    rendered, reused = build(site, "output")
    assert rendered == 0 and reused > 100
    after = {p: p.stat().st_ino for p in (site / "output").rglob("*") if p.is_file()}
    assert before == after, "every file is the last build's own file: a deploy sends nothing"


def test_an_article_body_change_renders_few_pages_and_equals_a_cold_build(site):
    edited = _articles(site)[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nMột đoạn mới được thêm vào cuối bài.\n",
                      encoding="utf-8")
    untouched = site / "output" / "gioi-thieu" / "index.html"
    inode = untouched.stat().st_ino
    rendered, reused = build(site, "output")
    assert 1 <= rendered < reused / 4
    assert untouched.stat().st_ino == inode
    hits = [p for p in (site / "output").rglob("index.html") if "Một đoạn mới được thêm" in p.read_text()]
    assert len(hits) == 1
    assert_same_as_cold(site, "article")


def _search_parts(output: Path) -> dict[str, set[tuple[str, int]]]:
    """Each part of the search index: its words and results files, with their inodes."""
    parts: dict[str, set[tuple[str, int]]] = {}
    current = current_search_files(output)
    for path in (output / "pagefind").rglob("*"):
        relative = path.relative_to(output / "pagefind").parts
        if path.is_file() and ("index" in relative or "fragment" in relative) \
                and path.relative_to(output).as_posix() in current:
            part = relative[0] if relative[0].isdigit() else "0"
            parts.setdefault(part, set()).add((path.name, path.stat().st_ino))
    return parts


def test_an_article_change_indexes_its_search_part_again_and_links_the_others(site):
    before = _search_parts(site / "output")
    assert len(before) >= 4, "the sample site's index comes in parts"
    edited = _articles(site)[2]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nTừ khóa mới: khongtrungvoitunaokhac.\n",
                      encoding="utf-8")
    build(site, "output")
    after = _search_parts(site / "output")
    assert sorted(after) == sorted(before)
    indexed_again = [part for part in after if after[part] != before[part]]
    assert len(indexed_again) == 1, indexed_again
    assert_same_as_cold(site, "search-part")


def test_a_new_article(site):
    model = _articles(site)[1].read_text(encoding="utf-8")
    text = re.sub(r"^Slug: .*\n", "", model, flags=re.M)
    text = re.sub(r"^Title: .*$", "Title: Bài mới hoàn toàn về công tác dân vận", text, count=1, flags=re.M)
    text = re.sub(r"^Related: .*\n", "", text, flags=re.M)
    (site / "content" / "articles" / "2026" / "bai-moi-hoan-toan.md").write_text(text, encoding="utf-8")
    rendered, reused = build(site, "output")
    assert reused > 0  # on 18 articles most pages list it; bench-build measures the share at 10.000
    assert_same_as_cold(site, "new-article")


def test_a_deleted_article(site):
    (site / "content" / "articles" / "2026" / "bai-moi-hoan-toan.md").unlink()
    build(site, "output")
    assert_same_as_cold(site, "deleted-article")


def test_a_second_article_on_a_day_with_news_leaves_the_pages_that_do_not_list_it(site):
    """Every listing page shows the latest month's calendar: a new article on a day that already
    has news must not change it, or each publish rewrites (and a deploy uploads) every listing page."""
    newest = max(_articles(site), key=lambda p: re.search(r"^Date: (.*)$", p.read_text(encoding="utf-8"), re.M)[1])
    text = re.sub(r"^Slug: .*\n|^Related: .*\n|^People: .*\n|^Image: .*\n", "", newest.read_text(encoding="utf-8"),
                  flags=re.M)
    text = re.sub(r"^Title: .*$", "Title: Bài thứ hai trong ngày về công tác văn phòng", text, count=1, flags=re.M)
    text = re.sub(r"^Tags: .*$", "Tags: thẻ riêng của bài thứ hai", text, count=1, flags=re.M)
    title = re.search(r"^Title: (.*)$", newest.read_text(encoding="utf-8"), re.M)[1]
    other_tag = next(page for page in sorted((site / "output" / "the").glob("*/index.html"))
                     if title not in page.read_text(encoding="utf-8"))
    before = other_tag.stat().st_ino
    (newest.parent / "bai-thu-hai-trong-ngay.md").write_text(text, encoding="utf-8")
    build(site, "output")
    assert "Bài thứ hai trong ngày" not in other_tag.read_text(encoding="utf-8")
    assert other_tag.stat().st_ino == before, f"{other_tag} was written again"
    assert_same_as_cold(site, "second-article-of-the-day")


def test_a_person(site):
    person = site / "content" / "people" / "dang-thi-anh.md"
    person.write_text(person.read_text(encoding="utf-8") + "\nĐã tham gia nhiều khóa đào tạo nghiệp vụ.\n",
                      encoding="utf-8")
    build(site, "output")
    assert_same_as_cold(site, "person")


def test_a_page(site):
    page = site / "content" / "pages" / "gioi-thieu.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nTrang được cập nhật.\n", encoding="utf-8")
    build(site, "output")
    assert "Trang được cập nhật." in (site / "output" / "gioi-thieu" / "index.html").read_text()
    assert_same_as_cold(site, "page")


def test_a_setting(site):
    with (site / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('SITE_ADDRESS = "Số 2 đường Lê Hồng Phong, thành phố Vinh"\n')
    rendered, reused = build(site, "output")
    assert reused == 0, "a setting can change every page"
    assert_same_as_cold(site, "setting")


def test_a_template(site):
    template = site / "theme" / "templates" / "article.html"
    template.write_text(template.read_text(encoding="utf-8").replace(
        '<article class="article"', '<article class="article bai-viet"'), encoding="utf-8")
    build(site, "output")
    assert_same_as_cold(site, "template")


def test_a_photo(site):
    photo = site / "content" / "images" / "2026" / "chi-bo-kieu-mau-01.jpg"
    with Image.open(photo) as image:
        size = image.size
    buffer = io.BytesIO()
    Image.new("RGB", size, "#2a6f97").save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())
    build(site, "output")
    assert_same_as_cold(site, "photo")


def test_a_damaged_cache_is_rebuilt_not_trusted(site):
    cache = site / ".output.cache"
    for name in ("readings.sqlite", "pages.json", "search.json"):
        (cache / name).write_bytes(b"\x00not what it should be")
    article = _articles(site)[2]
    article.write_text(article.read_text(encoding="utf-8") + "\nThêm một câu.\n", encoding="utf-8")
    build(site, "output")
    assert_same_as_cold(site, "damaged-cache")


def test_pelicans_own_content_cache_takes_no_file_stamps_while_it_is_off(tmp_path, caplog):
    """Pelican asks each source file's modification time twice per read for a cache the portal
    leaves off (its reading cache replaces it); the incremental adapter stops the asking."""
    from pelican import Pelican
    from pelican.generators import ArticlesGenerator

    from portal.cli.pelican_run import load_settings

    (tmp_path / "content").mkdir()
    (tmp_path / "conf.py").write_text(f"from pelicanconf import *\nPATH = {str(tmp_path / 'content')!r}\n",
                                      encoding="utf-8")
    settings = load_settings(str(tmp_path / "conf.py"), output_path=str(tmp_path / "output"))
    assert not settings["CACHE_CONTENT"] and not settings["LOAD_CONTENT_CACHE"]
    Pelican(settings)  # the plugins registered
    generator = ArticlesGenerator(context={}, settings=settings, path=settings["PATH"], theme=settings["THEME"],
                                  output_path=str(tmp_path / "output"))
    with caplog.at_level("WARNING"):
        # A file that is not there: asking for its stamp would warn "Cannot get modification stamp".
        for cacher in (generator, generator.readers):
            cacher.cache_data("khong-co.md", "nội dung")
            assert cacher.get_cached_data("khong-co.md", "mặc định") == "mặc định"
    assert not caplog.records
