"""`python -m portal check PATH…`: one file checked against the site, without Pelican,
with the same findings as the whole-site check."""
from __future__ import annotations

import pytest

from portal.core.check import check_text
from portal.core.site import Site
from tests.support.photos import jpeg
from tests.support.sites import article, run_portal, write_site

PERSON = "Name: Nguyễn Văn Thông\nRoles:\n  - 2020-01: Bí thư Đảng ủy Khối\n\nTiểu sử.\n"
FILES = {
    "articles/2024/hoi-nghi.md": article("Hội nghị tổng kết", "2024-01-10 08:00", "Xây dựng Đảng"),
    "articles/2024/tap-huan.md": article("Tập huấn nghiệp vụ", "2024-02-10 08:00", "Tin hoạt động"),
    "articles/2024/nhap.md": article("Bài còn nháp", "2024-02-11 08:00", "Tin hoạt động", Status="draft"),
    "people/nguyen-van-thong.md": PERSON,
    "images/2024/anh.jpg": jpeg((800, 600)),
    "images/2024/hong.jpg": jpeg((800, 600))[:2000],
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return write_site(tmp_path_factory.mktemp("check") / "site", FILES)


def put(root, name: str, text: str):
    path = root / "content" / "articles" / "2024" / name
    path.write_text(text, encoding="utf-8")
    return path


def one_file(root, path):
    return run_portal("check", root, "-s", "conf.py", str(path))


def test_a_valid_file_passes(site):
    result = one_file(site, site / "content/articles/2024/hoi-nghi.md")
    assert result.returncode == 0, result.stderr
    assert "Hợp lệ: 1 tệp" in result.stdout


def test_each_kind_of_problem_is_found_with_its_line(site):
    path = put(site, "loi.md", "\n".join([
        "Title: Hội nghị tổng kết",             # 1: same address as hoi-nghi.md (same slug, same month)
        "Date: 2024-01-20 08:00",
        "Category: Xây dựng Đản",               # 3: misspelt category
        "Related: bai-nhap, tap-huan-nghiep-vu, khong-co, bai-con-nhap",  # 4
        "People: Nguyen Van Thong",             # 5: typo of a registered person
        "Featured: co le",                      # 6: bad boolean
        "",
        "Sapo.",
        "",
        "![Ảnh thiếu](/images/2024/thieu.jpg)",  # 10
        "",
        "![Ảnh hỏng](/images/2024/hong.jpg)",    # 12
        "",
        "![Ảnh tốt](/images/2024/anh.jpg)",
    ]) + "\n")
    try:
        result = one_file(site, path)
    finally:
        path.unlink()
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    where = "content/articles/2024/loi.md"

    def has(line: int, *words: str) -> bool:
        return any(l.startswith(f"{where}:{line}:") and all(w in l for w in words) for l in lines)

    assert has(1, "lỗi", "trùng địa chỉ /2024/01/hoi-nghi-tong-ket/", "hoi-nghi.md")
    assert has(3, "cảnh báo", "'Xây dựng Đản'", "'Xây dựng Đảng'")
    assert has(4, "lỗi", "'khong-co'")
    assert has(4, "lỗi", "bản nháp")
    assert not has(4, "tap-huan-nghiep-vu")
    assert has(5, "cảnh báo", "'Nguyễn Văn Thông'")
    assert has(6, "lỗi", "Featured")
    assert has(10, "lỗi", "không tìm thấy ảnh '/images/2024/thieu.jpg'")
    assert has(12, "lỗi", "bị hỏng")
    assert not any("anh.jpg" in l for l in lines)


def test_the_one_file_check_agrees_with_the_whole_site_check(site):
    path = put(site, "sai.md", article("Tập huấn nghiệp vụ", "2024-02-15 08:00", "Tin hoạt động",
                                       body="![x](/images/2024/khong.jpg)", Related="khong-co-bai"))
    try:
        one = one_file(site, path)
        whole = run_portal("check", site, "-s", "conf.py")
    finally:
        path.unlink()
    mine = sorted(l for l in one.stderr.splitlines() if l.startswith("content/articles/2024/sai.md"))
    everything = sorted(l for l in whole.stderr.splitlines() if l.startswith("content/articles/2024/sai.md"))
    assert mine and mine == everything


def test_unsaved_text_is_checked_before_it_reaches_the_disk(site):
    """What the newsroom does on every save: the file need not exist."""
    loaded = Site.load(site / "conf.py")
    found = check_text(loaded, site / "content/articles/2024/moi.md",
                       "Title: Bài mới\nDate: 2024-03-01 08:00\nCategory: Tin hoạt động\nRelated: hoi-nghi-tong-ket\n\nNội dung.\n")
    assert found == []
    found = check_text(loaded, site / "content/articles/2024/moi.md", "Title: Bài mới\n\nNội dung.\n")
    assert {p.message for p in found} >= {"thiếu trường bắt buộc 'Date' (ngày giờ đăng, YYYY-MM-DD HH:MM)"}
    assert not (site / "content/articles/2024/moi.md").exists()


def test_a_future_date_and_bad_bytes_and_a_missing_file(site):
    future = put(site, "tuong-lai.md", article("Tin tương lai", "2099-01-01 08:00", "Tin hoạt động"))
    latin = site / "content/articles/2024/latin.md"
    latin.write_bytes("Title: Tin\nDate: 2024-01-01\nCategory: Tin hoạt động\n\n".encode() + b"caf\xe9\n")
    try:
        result = run_portal("check", site, "-s", "conf.py", str(future), str(latin), "content/articles/khong-co.md")
    finally:
        future.unlink()
        latin.unlink()
    assert result.returncode == 1
    assert "tuong-lai.md:2: lỗi: trường 'Date': 2099-01-01 08:00 ở tương lai" in result.stderr
    assert "latin.md:5: lỗi: tệp không phải mã UTF-8 hợp lệ" in result.stderr
    assert "content/articles/khong-co.md: lỗi: không đọc được tệp" in result.stderr
