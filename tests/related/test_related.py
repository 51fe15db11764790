"""The "Tin liên quan" box, the Related field and related.json on purpose-made sites."""
from __future__ import annotations

import hashlib
import json
import re

import pytest

from tests.support.sites import article, build_site, png_bytes, run_portal, write_site

SCRIPT_TITLE = "Chi bộ <script>alert(1)</script> sinh hoạt chuyên đề"
CONGRESS = ("Đại hội đại biểu Đảng bộ Khối các cơ quan tỉnh lần thứ XX thảo luận văn kiện, "
            "bầu Ban Chấp hành nhiệm kỳ mới và đoàn đại biểu dự Đại hội Đảng bộ tỉnh")
FILES = {
    "articles/dai-hoi.md": article(
        "Khai mạc Đại hội Đảng bộ Khối lần thứ XX", "2024-03-20 08:00", "Xây dựng Đảng", body=CONGRESS,
        Related="truoc-dai-hoi, " + "tham-co-so", People="Nguyễn Văn An", Tags="Đại hội",
    ),
    "articles/truoc-dai-hoi.md": article(
        "Chuẩn bị Đại hội", "2024-02-01 08:00", "Xây dựng Đảng", body="Nội dung chuẩn bị văn kiện.",
        Slug="truoc-dai-hoi", Image="/images/anh.png", Summary="Sapo <b>chuẩn bị</b> & văn kiện",
    ),
    "articles/tham-co-so.md": article(
        "Lãnh đạo thăm cơ sở", "2024-01-10 08:00", "Đoàn thể", Slug="tham-co-so",
        body="Đoàn công tác làm việc với chi bộ cơ sở.",
    ),
    "articles/van-kien.md": article(
        "Thảo luận dự thảo văn kiện", "2024-03-01 08:00", "Xây dựng Đảng", body=CONGRESS.replace("lần thứ XX", "sắp tới"),
    ),
    "articles/cung-nguoi.md": article(
        SCRIPT_TITLE, "2024-03-05 08:00", "Đoàn thể", People="Nguyễn Văn An",
        body="Đồng chí Nguyễn Văn An dự sinh hoạt chuyên đề tại chi bộ.",
    ),
    "articles/ve-sau.md": article(
        "Bế mạc Đại hội Đảng bộ Khối lần thứ XX", "2024-03-22 08:00", "Xây dựng Đảng", body=CONGRESS,
        People="Nguyễn Văn An", Tags="Đại hội",
    ),
    "articles/le-loi.md": article(
        "Giải bóng chuyền hơi công đoàn", "2023-06-01 08:00", "Tin hoạt động",
        body="Hai mươi đội bóng tham gia giải thể thao chào mừng ngày thành lập.",
    ),
    "images/anh.png": png_bytes(64, 48),
}
PAGE = "/2024/03/khai-mac-dai-hoi-dang-bo-khoi-lan-thu-xx/"


def box_links(soup):
    return [a["href"] for a in soup.select("section.related .card-title a")]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = build_site(write_site(tmp_path_factory.mktemp("related"), FILES))
    assert built.returncode == 0, built.stderr
    return built


@pytest.fixture(scope="module")
def newer_site(tmp_path_factory):
    root = write_site(tmp_path_factory.mktemp("related-newer"), FILES, settings="RELATED_INCLUDE_NEWER = True\n")
    built = build_site(root)
    assert built.returncode == 0, built.stderr
    return built


def test_curated_first_in_given_order_then_computed(site):
    links = box_links(site.page(PAGE))
    assert links[:2] == ["/2024/02/truoc-dai-hoi/", "/2024/01/tham-co-so/"]
    # Computed: the near-identical text, then the article sharing the person.
    assert links[2:] == ["/2024/03/thao-luan-du-thao-van-kien/",
                         "/2024/03/chi-bo-script-alert-1-script-sinh-hoat-chuyen-de/"]


def test_box_shows_title_date_summary_and_thumbnail(site):
    box = site.page(PAGE).select_one("section.related")
    assert box.find("h2").get_text(strip=True) == "Tin liên quan"
    first = box.select("article.card")[0]
    assert first.select_one(".card-title").get_text(strip=True) == "Chuẩn bị Đại hội"
    assert first.select_one("time")["datetime"] == "2024-02-01T08:00:00+07:00"
    assert first.select_one("time").get_text(strip=True).startswith("Thứ Năm, 01/02/2024")
    assert first.select_one(".card-summary").get_text(strip=True) == "Sapo <b>chuẩn bị</b> & văn kiện"
    thumbnail = first.select_one(".card-image img")["src"]
    assert thumbnail.startswith("/anh/anh-")  # the cover's listing thumbnail from the images plugin
    assert site.exists(thumbnail)


def test_metadata_is_escaped_in_the_box(site):
    box = site.page(PAGE).select_one("section.related")
    titles = [t.get_text(strip=True) for t in box.select(".card-title")]
    assert SCRIPT_TITLE in titles
    assert box.find("script") is None and box.find("b") is None


def test_newer_articles_only_with_the_setting(site, newer_site):
    newer = "/2024/03/be-mac-dai-hoi-dang-bo-khoi-lan-thu-xx/"
    assert newer not in box_links(site.page(PAGE))
    assert newer in box_links(newer_site.page(PAGE))


def test_box_omitted_when_nothing_relates(site):
    soup = site.page("/2023/06/giai-bong-chuyen-hoi-cong-doan/")
    assert soup.select_one("article.article") is not None
    assert soup.select_one("section.related") is None
    assert soup.find(id="tin-lien-quan") is None


def test_json_lists_the_same_links_as_the_pages(site):
    lists = json.loads((site.output / "related.json").read_text(encoding="utf-8"))
    assert lists[PAGE] == box_links(site.page(PAGE))
    assert lists["/2023/06/giai-bong-chuyen-hoi-cong-doan/"] == []
    assert len(lists) == 7


def test_two_builds_give_identical_lists(site):
    again = build_site(site.root, output="output-again")
    assert again.returncode == 0, again.stderr

    def digest(built):
        boxes = [str(built.page(url).select_one("section.related")) for url in json.loads(
            (built.output / "related.json").read_text(encoding="utf-8"))]
        return hashlib.sha256(((built.output / "related.json").read_bytes() + "".join(boxes).encode())).hexdigest()

    assert digest(again) == digest(site)


BAD = {
    "articles/mot.md": article("Tin một", "2024-01-01 08:00", "Đoàn thể", Related="tin-hai, khong-co-bai-nay"),
    "articles/hai.md": article("Tin hai", "2024-01-02 08:00", "Đoàn thể", Tags="a", Related="tin-hai"),
    "articles/nhap.md": article("Tin nháp", "2024-01-03 08:00", "Đoàn thể", Status="draft"),
    "articles/ba.md": article("Tin ba", "2024-01-04 08:00", "Đoàn thể", Related="tin-nhap"),
}


GOOD = {
    "articles/hai.md": article("Tin hai", "2024-01-02 08:00", "Đoàn thể", Tags="a"),
    "articles/nhap.md": BAD["articles/nhap.md"],
    "articles/ba.md": article("Tin ba", "2024-01-04 08:00", "Đoàn thể", Related="tin-hai"),
}


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """A site built once successfully, then broken by bad Related fields."""
    root = write_site(tmp_path_factory.mktemp("related-bad"), GOOD)
    good = build_site(root)
    assert good.returncode == 0, good.stderr
    before = {p.relative_to(good.output): p.read_bytes() for p in good.output.rglob("*") if p.is_file()}
    write_site(root, BAD)
    return root, before, build_site(root)


def test_bad_related_fields_fail_the_build_naming_file_line_and_slug(broken):
    _root, _before, result = broken
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": lỗi: " in line]
    assert any(re.fullmatch(r"content/articles/mot\.md:4: lỗi: trường 'Related': không có bài viết nào có slug "
                            r"'khong-co-bai-nay'.*", e) for e in errors), errors
    assert any(e.startswith("content/articles/hai.md:5: lỗi: trường 'Related': bài viết không thể liên quan "
                            "đến chính nó ('tin-hai')") for e in errors), errors
    assert any(e.startswith("content/articles/ba.md:4: lỗi: trường 'Related': bài 'tin-nhap' còn là bản nháp")
               for e in errors), errors
    assert len(errors) == 3


def test_failed_build_leaves_the_last_good_output_untouched(broken):
    root, before, _result = broken
    output = root / "output"
    after = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before


def test_check_reports_the_same_errors(broken):
    root, _before, build = broken
    checked = run_portal("check", root, "-s", "conf.py")
    assert checked.returncode == 1
    assert sorted(l for l in checked.stderr.splitlines() if ": lỗi: " in l) == \
        sorted(l for l in build.stderr.splitlines() if ": lỗi: " in l)


def test_related_before_people_in_plugins_fails_loudly_instead_of_missing_the_detected_names(tmp_path):
    order = ('PLUGINS = [p for p in PLUGINS if p != "portal.adapters.related"]\n'
             'PLUGINS.insert(PLUGINS.index("portal.adapters.people"), "portal.adapters.related")\n')
    root = write_site(tmp_path / "site", {"articles/2024/tin.md": article("Tin", "2024-01-01", "Tin hoạt động")},
                      settings=order)
    site = build_site(root)
    assert site.returncode != 0
    assert "hãy đặt 'portal.adapters.people' trước 'portal.adapters.related' trong PLUGINS" in site.stderr
    assert not site.output.exists()
