"""NukeViet 4 -> editor-format articles, from a real MariaDB server."""
from __future__ import annotations

import json

from portal.core.schema import ARTICLE_FIELDS, split_header, validate

from .conftest import import_nukeviet, new_site


def header(path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    return {line.key: line.value for line in split_header(text).lines}


def test_published_article_comes_over_with_its_fields_photos_and_captions(imported):
    path = imported / "content/articles/2020/ban-thuong-vu-duyet-dai-hoi.md"
    text = path.read_text(encoding="utf-8")
    fields = header(path)
    assert fields["Title"] == "Ban Thường vụ Tỉnh ủy duyệt Đại hội Đảng bộ Khối"
    assert fields["Date"] == "2020-06-30 15:20"  # publtime in Vietnam's time
    assert fields["Category"] == "Hoạt động Đảng ủy"
    assert fields["Tags"] == "đại hội, chi bộ"
    assert fields["Author"] == "Thành Duy"
    assert fields["Source"] == "Báo Nghệ An"
    assert fields["Summary"] == "(Baonghean.vn) - Ban Thường vụ Tỉnh ủy đề nghị Đảng bộ Khối tạo đột phá."
    assert fields["Image"] == "/images/2020/anh-bia.jpg"
    assert fields["Slug"] == "ban-thuong-vu-duyet-dai-hoi"
    assert fields["Modified"] == "2020-07-01 08:00"
    assert fields["Origin"] == "nukeviet:101"
    assert "Status" not in fields
    assert not validate(split_header(text), ARTICLE_FIELDS).problems
    body = split_header(text).body
    assert '![Đồng chí Thái Thanh Quý phát biểu tại cuộc làm việc.](/images/2020/dai-bieu.jpg "Ảnh: Thành Duy")' in body
    assert '![Các đại biểu dự hội nghị](/images/2020/anh-hoi-nghi.jpg "Ảnh: Minh Châu")' in body
    assert "![Toàn cảnh hội nghị](/images/2020/toan-canh.png)" in body
    assert "![](/videos/2020/tong-ket.mp4)" in body
    assert body.lstrip().startswith("![Quang cảnh cuộc làm việc](/images/2020/anh-bia.jpg)")
    assert "| Đảng viên | 5.112 |" in body
    for debris in ("MsoNormal", "style=", "<o:p>", "alert", "onclick", "<span", "&nbsp;", "WordDocument"):
        assert debris not in body
    for name in ("anh-bia.jpg", "dai-bieu.jpg", "anh-hoi-nghi.jpg", "toan-canh.png"):
        assert (imported / "content/images/2020" / name).stat().st_size > 0
    assert (imported / "content/videos/2020/tong-ket.mp4").is_file()


def test_views_redirects_mapping_and_report(imported):
    views = json.loads((imported / "content/data/luot-xem.json").read_text(encoding="utf-8"))
    assert views["/2020/06/ban-thuong-vu-duyet-dai-hoi/"] == 15527
    redirects = json.loads((imported / "content/data/chuyen-huong.json").read_text(encoding="utf-8"))
    new = "/2020/06/ban-thuong-vu-duyet-dai-hoi/"
    for old in ("/news/hoat-dong/ban-thuong-vu-duyet-dai-hoi-101.html", "/vi/news/hoat-dong/ban-thuong-vu-duyet-dai-hoi-101.html",
                "/news/tin-tuc/ban-thuong-vu-duyet-dai-hoi-101.html", "/index.php?news/hoat-dong/ban-thuong-vu-duyet-dai-hoi-101"):
        assert redirects[old] == new
    assert redirects["/news/tag/dai-hoi"] == "/the/dai-hoi/"
    assert redirects["/news/xay-dung-dang/"] == "/chuyen-muc/xay-dung-dang/"
    mapping = (imported / "import/chuyen-muc-nukeviet.toml").read_text(encoding="utf-8")
    assert 'cu = "Tin tức > Hoạt động Đảng ủy"' in mapping and 'cap_cha = "giu"' in mapping
    report = (imported / "import/bao-cao-nukeviet.txt").read_text(encoding="utf-8")
    assert "bài id=102: thiếu tệp ảnh /uploads/news/2023_12/khong-co.jpg" in report
    assert "bài id=102: tệp ảnh /uploads/news/2023_12/hong.jpg bị hỏng" in report
    assert "bài id=102: địa chỉ 'tong-ket-cong-tac' đã thuộc" in report
    assert "bài id=103: chữ gõ bằng TCVN3" in report
    assert "bài id=105: không đọc được ngày đăng" in report
    assert "bài id=106: catid=99 không có" in report
    assert "lưu nháp (thêm --drafts để nhập làm bản nháp): 1" in report
    assert "hết hạn (thêm --drafts để nhập làm bản nháp): 1" in report  # status 3


def test_collisions_legacy_text_and_missing_pieces(imported):
    articles = imported / "content/articles"
    hand = articles / "2023/tong-ket-cong-tac.md"
    assert "Bài viết tay đã có." in hand.read_text(encoding="utf-8")  # never overwritten
    collided = header(articles / "2023/tong-ket-cong-tac-102.md")
    assert collided["Slug"] == "tong-ket-cong-tac-102" and collided["Origin"] == "nukeviet:102"
    assert "khong-co.jpg" not in (articles / "2023/tong-ket-cong-tac-102.md").read_text(encoding="utf-8")
    legacy = (articles / "2010/hoi-nghi-tong-ket-2010.md").read_text(encoding="utf-8")
    assert "Title: Hội nghị tổng kết công tác xây dựng Đảng" in legacy
    assert "Ban Thường vụ Đảng ủy Khối tổ chức hội nghị tổng kết" in legacy
    several = header(articles / "2021/nhieu-tac-gia.md")
    assert several["Author"] == "Minh Châu, Hữu Phước" and "Summary" not in several
    assert (articles / "2021/nhieu-tac-gia.md").read_text(encoding="utf-8").endswith("\n\nSapo không kèm thân bài.\n")
    assert header(articles / "2019/chuyen-muc-da-xoa.md")["Category"] == "Chưa phân loại"
    origins = [header(p).get("Origin") for p in articles.rglob("*.md")]
    assert "nukeviet:104" not in origins and "nukeviet:105" not in origins and "nukeviet:109" not in origins
    # published with an expiry: the portal's build takes it off the listings after that time
    expired = header(articles / "2018/het-han.md")
    assert expired["Expires"] == "2018-02-01 10:00" and "Status" not in expired
    scheduled = header(articles / "2099/hen-gio-dang.md")
    assert scheduled["Status"] == "Hẹn giờ đăng" and scheduled["Date"] == "2099-01-01 08:00"
    assert len([o for o in origins if o]) == len(set(o for o in origins if o))


def test_dry_run_writes_nothing_and_drafts_come_as_drafts(tmp_path, old_portal):
    site = new_site(tmp_path / "site")
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    result = import_nukeviet(site, old_portal, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "sẽ tạo: content/articles/2020/ban-thuong-vu-duyet-dai-hoi.md" in result.stdout
    assert "sẽ chép ảnh:" in result.stdout
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before
    result = import_nukeviet(site, old_portal, "--drafts")
    assert result.returncode == 0, result.stderr
    draft = header(site / "content/articles/2024/ban-nhap.md")
    assert draft["Status"] == "Nháp" and draft["Origin"] == "nukeviet:104"
    expired = header(site / "content/articles/2017/het-han-cu.md")
    assert expired["Status"] == "Hết hạn" and expired["Expires"] == "2017-03-01 10:00"
    views = json.loads((site / "content/data/luot-xem.json").read_text(encoding="utf-8"))
    assert not any("ban-nhap" in path for path in views)


def test_rerun_resumes_after_interruption(tmp_path, old_portal):
    site = new_site(tmp_path / "site")
    assert import_nukeviet(site, old_portal).returncode == 0
    target = site / "content/articles/2020/ban-thuong-vu-duyet-dai-hoi.md"
    complete = target.read_text(encoding="utf-8")
    # As a run killed mid-way leaves it: one article not yet written, a temporary file beside it.
    target.unlink()
    leftover = target.with_name(f".{target.name}.tmp-4242")
    leftover.write_text(complete[:50], encoding="utf-8")
    result = import_nukeviet(site, old_portal)
    assert result.returncode == 0, result.stderr
    assert "1 bài mới" in result.stdout
    assert target.read_text(encoding="utf-8") == complete
    assert not leftover.exists()
