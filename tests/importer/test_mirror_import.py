"""Saved copies of old portals (wget --mirror) -> articles, with the shipped rules."""
from __future__ import annotations

import json

from .conftest import import_mirror, new_site
from .test_nukeviet_import import header


def test_each_shipped_page_shape_comes_over(imported):
    articles = imported / "content/articles"
    dang_uy_khoi = header(articles / "2018/tang-cuong-cai-cach-hanh-chinh.md")
    assert dang_uy_khoi["Date"] == "2018-06-21 00:00"  # "Thứ 5 Ngày 21/06/2018"
    assert dang_uy_khoi["Author"] == "Hồng Khanh"
    assert dang_uy_khoi["AuthorRole"] == "Ủy viên BTV, Chủ nhiệm UBKT Đảng ủy Khối"
    assert dang_uy_khoi["Category"] == "Tin hoạt động"
    assert dang_uy_khoi["Origin"] == "mirror:tin-tuc/tang-cuong-cai-cach-hanh-chinh-207.html"
    text = (articles / "2018/tang-cuong-cai-cach-hanh-chinh.md").read_text(encoding="utf-8")
    assert "![Đồng chí Nguyễn Thị Kim Chi phát biểu chỉ đạo tại hội nghị](/images/2018/hoi-nghi.jpg)" in text
    for chrome in ("Thống kê truy cập", "1 2 3 4 5", "Lượt xem", "Hồng Khanh\n"):
        assert chrome not in text.split("\n\n", 1)[1]
    ban_to_chuc = header(articles / "2023/nang-cao-nang-luc-lanh-dao.md")
    assert ban_to_chuc["Date"] == "2023-12-29 19:17" and ban_to_chuc["Author"] == "Đào Quyên"
    assert ban_to_chuc["Category"] == "Xây dựng Đảng"
    text = (articles / "2023/nang-cao-nang-luc-lanh-dao.md").read_text(encoding="utf-8")
    assert "![Đồng chí Bí thư Tỉnh ủy phát biểu tại hội nghị.](/images/2023/tong-ket-2023.jpg)" in text
    assert "![](/videos/2023/291223-tong-ket.mp4)" in text
    assert "Tin cùng chuyên mục" not in text and "Xem tin theo ngày" not in text
    nghe_an = header(articles / "2020/duyet-dai-hoi-khoi-ccq.md")
    assert nghe_an["Source"] == "Baonghean.vn"
    assert nghe_an["Summary"].startswith("Ban Thường vụ Tỉnh ủy đề nghị")
    text = (articles / "2020/duyet-dai-hoi-khoi-ccq.md").read_text(encoding="utf-8")
    assert '![Toàn cảnh cuộc làm việc.](/images/2020/toan-canh.jpg "Ảnh: Thành Duy")' in text
    assert "Tin liên quan" not in text and "Các tin khác" not in text
    views = json.loads((imported / "content/data/luot-xem.json").read_text(encoding="utf-8"))
    assert views["/2018/06/tang-cuong-cai-cach-hanh-chinh/"] == 207
    assert views["/2023/12/nang-cao-nang-luc-lanh-dao/"] == 15527
    redirects = json.loads((imported / "content/data/chuyen-huong.json").read_text(encoding="utf-8"))
    assert redirects["/tin-tuc/2023/nang-cao-nang-luc-lanh-dao.html"] == "/2023/12/nang-cao-nang-luc-lanh-dao/"
    report = (imported / "import/bao-cao-mirror-bao-nghe-an.txt").read_text(encoding="utf-8")
    assert "dong-chi-thong.jpg" in report  # a photo the saved copy does not hold


def test_bad_rules_and_bad_dates_are_named(tmp_path, old_portal):
    site = new_site(tmp_path / "site")
    rules = tmp_path / "sai.toml"
    rules.write_text('[[page]]\nname = "x"\nmatch = "div..a"\ntitle = "h1"\ndate = ".d"\nbody = ".b"\n', encoding="utf-8")
    result = import_mirror(site, old_portal.mirrors["ban-to-chuc"], str(rules))
    assert result.returncode == 2
    assert f"{rules}: kiểu trang 'x', luật 'match': bộ chọn CSS 'div..a' sai" in result.stderr
    rules.write_text('[[page]]\nname = "x"\nmatch = "div.news-detail"\ntitle = "h1"\ndate = ".news-date"\n'
                     'date_format = "%Y-%m-%d"\nbody = ".news-content"\n', encoding="utf-8")
    result = import_mirror(site, old_portal.mirrors["ban-to-chuc"], str(rules))
    assert result.returncode == 0
    report = (site / "import/bao-cao-mirror-ban-to-chuc.txt").read_text(encoding="utf-8")
    assert ("tệp tin-tuc/2023/nang-cao-nang-luc-lanh-dao.html: 'Thứ 6, 29/12/2023 | 19:17:16' "
            "không khớp định dạng '%Y-%m-%d'") in report
    assert not list((site / "content/articles").glob("2023/nang-cao*"))


def test_progress_bar_on_a_terminal_only(tmp_path, old_portal):
    import os
    import pty
    import subprocess
    import sys

    site = new_site(tmp_path / "site")
    command = [sys.executable, "-m", "portal", "import", "mirror", str(old_portal.mirrors["dang-uy-khoi"]),
               "--rules", "dang-uy-khoi"]
    leader, follower = pty.openpty()
    result = subprocess.run(command, cwd=site, stdout=subprocess.PIPE, stderr=follower, timeout=120)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert result.returncode == 0
    text = shown.decode("utf-8", "replace")
    assert "Nhập bài" in text and "2/2" in text  # two saved pages, one of them an article
    piped = import_mirror(site, old_portal.mirrors["dang-uy-khoi"], "dang-uy-khoi")
    assert "Nhập bài" not in piped.stderr and "0 bài mới" in piped.stdout
