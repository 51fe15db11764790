"""Issue 16, one test per defect found by the hostile-content review (numbers as in the issue).

The stats service's defects (8) are in tests/stats/test_stats_service_faults.py.
"""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from tests.hardening.scan import looks_like_image, image_findings
from tests.hardening.test_payloads import phone_photo
from tests.support.photos import camera_exif, quadrants
from tests.support.sites import ROOT, SITE_URL, article, build_site, publish_settings, run_portal, write_site

ATOM = "{http://www.w3.org/2005/Atom}"


def gps_xmp_only_jpeg() -> bytes:
    buffer = io.BytesIO()
    quadrants((800, 600)).save(buffer, "JPEG", xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">exif:GPSLatitude="18,40N"</x:xmpmeta>')
    return buffer.getvalue()


def sixteen_bit_png() -> bytes:
    image = Image.new("I;16", (400, 300))
    image.putdata([30000 if x < 200 else 60000 for y in range(300) for x in range(400)])
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def icon() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (165, 14, 31)).save(buffer, "ICO", sizes=[(16, 16), (32, 32)])
    return buffer.getvalue()


def avif_with_exif() -> bytes:
    buffer = io.BytesIO()
    quadrants((400, 300)).save(buffer, "AVIF", exif=camera_exif())
    return buffer.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One published site holding every case that must build: what reaches output/ is then inspected."""
    root = tmp_path_factory.mktemp("defects")
    files = {
        "articles/a.md": article(
            "Tin có mã dán vào", "2024-05-02 08:00", "Tin",
            "Mở đầu `<img src=x onerror=alert(2)>` trong mã.\n\n"
            '<p onclick="alert(1)">Chữ <script>alert(1)</script><iframe src="https://evil.example/"></iframe>'
            '<meta http-equiv="refresh" content="0;url=https://evil.example/"><form action="https://evil.example/">'
            '<input name="q"></form><a href="java&#9;script:alert(1)">xem</a> '
            '<a href="data:text/html,x">dữ liệu</a> <a href="vbscript:x">vb</a></p>\n\n'
            "![Ảnh không đuôi.](/images/2024/khong-duoi)\n\n![Ảnh jfif.](/images/2024/anh.jfif)\n\n"
            "![Ảnh chỉ có GPS trong XMP.](/images/2024/xmp.jpg)\n\n![Ảnh 16 bit.](/images/2024/xam-16.png)"),
        "pages/gioi-thieu.md": "Title: Giới thiệu\n\n<script>alert('trang')</script>Trang giới thiệu.\n",
        "people/nguoi.md": "Name: Trần Văn Thử\nPhoto: /images/nhan-vat/thu.jpg\n\n<img src=x onerror=alert(3)>Tiểu sử.\n\n"
                           "![Thời trẻ.](/images/nhan-vat/thu-tre.jpg)\n",
        "images/nhan-vat/thu-tre.jpg": phone_photo(),
        "images/2024/khong-duoi": phone_photo(),
        "images/2024/anh.jfif": phone_photo(),
        "images/2024/xmp.jpg": gps_xmp_only_jpeg(),
        "images/2024/xam-16.png": sixteen_bit_png(),
        "images/2024/khong-dung.avif": avif_with_exif(),
        "images/2024/khong-dung.jpg": phone_photo(),
        "images/nhan-vat/thu.jpg": phone_photo(),
        "images/2024/trang.html": "<script>alert('cùng nguồn')</script>",
        "images/2024/hinh.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "images/2024/ma.js": "alert(1)",
        "videos/gia.mp4": "<html><script>alert(1)</script></html>",
        "favicon.ico": icon(),
        "ghi-chu.txt": "không đăng",
    }
    write_site(root, files, settings=publish_settings(root) + "CATEGORIES = []\n"
               'STATIC_PATHS = ["images", "videos", "favicon.ico"]\n')
    site = build_site(root, env={"SITEURL": SITE_URL})
    assert site.returncode == 0, site.stderr
    return site


def check(tmp_path: Path, files: dict, settings: str = "") -> subprocess.CompletedProcess:
    """`make check` on a site: validates everything, writes nothing."""
    root = write_site(tmp_path, files, settings=settings)
    result = run_portal("check", root, "-s", "conf.py")
    assert not (root / "output").exists()
    return result


def test_1_raw_html_is_removed_from_articles_pages_biographies_and_the_atom_content(built):
    body = built.page("/2024/05/tin-co-ma-dan-vao/").select_one(".article-body")
    assert body.select("script, iframe, meta, form, input") == [] and "Chữ" in body.get_text()
    assert [a.get("href") for a in body.select("a")] == [None, None, None]
    assert not any(attr.startswith("on") for tag in body.find_all(True) for attr in tag.attrs)
    assert "<script" not in (built.output / "gioi-thieu" / "index.html").read_text(encoding="utf-8").split("<main", 1)[1].split("</main>", 1)[0]
    person = built.page("/nhan-vat/tran-van-thu/")
    assert not any(attr.startswith("on") for tag in person.find_all(True) for attr in tag.attrs)
    atom = ElementTree.parse(built.output / "feeds" / "all.atom.xml").getroot()
    content = BeautifulSoup(atom.find(f"{ATOM}entry/{ATOM}content").text, "html5lib")
    assert content.select("script, iframe, meta, form") == [] and "Chữ" in content.get_text()
    for expected in ("a.md:7: cảnh báo: đã bỏ thẻ <script>", "a.md:7: cảnh báo: đã bỏ thuộc tính onclick",
                     "a.md:7: cảnh báo: đã bỏ địa chỉ 'javascript:", "a.md:7: cảnh báo: đã bỏ địa chỉ 'data:",
                     "a.md:7: cảnh báo: đã bỏ thẻ <iframe>", "a.md:7: cảnh báo: đã bỏ thẻ <form>",
                     "gioi-thieu.md:3: cảnh báo: đã bỏ thẻ <script>", "nguoi.md:4: cảnh báo: đã bỏ thuộc tính onerror"):
        assert expected in built.stderr, (expected, built.stderr)


def test_1_make_check_reports_what_it_will_remove(tmp_path):
    result = check(tmp_path, {"articles/a.md": article("Tin", "2024-05-02 08:00", "Tin", "Chữ.\n\n<script>alert(1)</script>")})
    assert result.returncode == 0
    assert "content/articles/a.md:7: cảnh báo: đã bỏ thẻ <script> cùng nội dung bên trong" in result.stderr + result.stdout


def test_2_feed_summaries_are_text_never_live_tags(built):
    for name, entry, summary in (("all.atom.xml", f"{ATOM}entry", f"{ATOM}summary"), ("all.rss.xml", "channel/item", "description")):
        root = ElementTree.parse(built.output / "feeds" / name).getroot()
        lead = BeautifulSoup(root.find(f"{entry}/{summary}").text, "html5lib")
        assert lead.find("img") is None, name
        assert "Mở đầu <img src=x onerror=alert(2)> trong mã." in lead.get_text(), name


def test_3_only_what_pages_use_is_published_and_never_verbatim(built):
    published = [p.relative_to(built.output).as_posix() for p in built.output.rglob("*") if p.is_file()]
    assert not [p for p in published if p.startswith(("images/2024", "videos/"))], published
    assert not [p for p in published if p.endswith((".svg", ".js", ".avif")) and not p.startswith(("theme/", "pagefind/"))]
    assert "images/nhan-vat/thu.jpg" in published  # used by a page: re-encoded, see test_5
    assert "favicon.ico" in published and "ghi-chu.txt" not in published  # named by STATIC_PATHS: re-encoded
    with Image.open(built.output / "favicon.ico") as favicon:
        assert favicon.format == "ICO" and favicon.info["sizes"] == {(16, 16), (32, 32)}


def test_3_a_video_that_is_not_mp4_or_webm_is_refused(tmp_path):
    result = check(tmp_path, {
        "articles/a.md": article("Tin video", "2024-05-02 08:00", "Tin", "![Video.](/videos/gia.mp4)"),
        "videos/gia.mp4": "<html><script>alert(1)</script></html>",
    })
    assert result.returncode == 1
    assert "a.md:5: lỗi: video '/videos/gia.mp4' không phải tệp MP4 hay WebM" in result.stderr


def test_4_symlinks_under_content_are_errors_naming_the_link(tmp_path):
    root = write_site(tmp_path, {"articles/a.md": article("Tin", "2024-05-02 08:00", "Tin", "![Ảnh.](/images/anh.jpg)"),
                                 "thu-muc-that/anh.jpg": phone_photo()})
    images = root / "content" / "images"
    images.mkdir(exist_ok=True)
    (images / "passwd").symlink_to("/etc/passwd")
    (images / "anh.jpg").symlink_to(root / "content" / "thu-muc-that" / "anh.jpg")
    (images / "thu-muc").symlink_to(root / "content" / "thu-muc-that", target_is_directory=True)
    result = run_portal("check", root, "-s", "conf.py")
    assert result.returncode == 1
    for name, target in (("passwd", "/etc/passwd"), ("anh.jpg", "thu-muc-that/anh.jpg"), ("thu-muc", "thu-muc-that")):
        assert f"content/images/{name}: lỗi: '{name}' là liên kết tượng trưng (symlink) tới '" in result.stderr, name
        assert target in result.stderr
    build = build_site(root)
    assert build.returncode == 1 and not build.output.exists()


def test_5_no_published_image_carries_metadata(built):
    images = [p for p in built.output.rglob("*") if p.is_file() and looks_like_image(p)]
    assert len(images) > 10
    found = [f for p in images for f in image_findings(p, p.relative_to(built.output).as_posix())]
    assert found == []
    body = built.page("/2024/05/tin-co-ma-dan-vao/").select(".article-body figure picture")
    assert len(body) == 4  # the extensionless, .jfif, XMP-only and 16-bit photos all went through the pipeline
    person = built.page("/nhan-vat/tran-van-thu/").select_one("img.portrait")
    assert (built.output / person["src"].removeprefix(SITE_URL).lstrip("/")).is_file()  # no broken link
    assert (built.output / "images/nhan-vat/thu-tre.jpg").is_file()  # a photo in the biography too, re-encoded
    assert "GPS" not in built.stderr


def test_5_heic_and_avif_photos_are_refused_when_used(tmp_path):
    result = check(tmp_path, {
        "articles/a.md": article("Tin", "2024-05-02 08:00", "Tin", "![Ảnh AVIF.](/images/a.avif)"),
        "images/a.avif": avif_with_exif(),
    })
    assert result.returncode == 1 and "a.md:5: lỗi: ảnh '/images/a.avif' có định dạng AVIF, không được hỗ trợ" in result.stderr


def test_6_every_collision_and_unusable_slug_is_found_by_check_naming_file_and_field(tmp_path):
    result = check(tmp_path, {
        "articles/rong.md": article("!!!", "2024-05-01 08:00", "Tin"),
        "articles/!!!.md": article("???", "2024-05-03 08:00", "Tin"),
        "articles/ngay.md": article("12", "2024-05-12 08:00", "Tin"),
        "articles/the.md": article("Tin thẻ", "2024-05-02 08:00", "Tin", Tags="!!!"),
        "articles/muc.md": article("Tin mục", "2024-05-02 09:00", "🎉"),
        "articles/tacgia.md": article("Tin tác giả", "2024-05-02 10:00", "Tin", Author="..."),
        "articles/dai.md": article("Dài " * 250, "2024-05-02 11:00", "Tin"),
        "articles/dieu-khien.md": article("Tin có \x07 chuông", "2024-05-02 12:00", "Tin"),
        "pages/tim.md": "Title: Tìm\nSlug: tim-kiem\n\nTrang.\n",
        "pages/nam.md": "Title: Năm\nSlug: 2024\n\nTrang.\n",
        "pages/slug-dai.md": f"Title: Dài\nSlug: {'a-' * 80}b\n\nTrang.\n",
    })
    err = result.stderr
    assert result.returncode == 1
    assert "content/articles/!!!.md:1: lỗi: trường 'Title': tiêu đề '???' không tạo được địa chỉ" in err
    assert "content/articles/ngay.md:1: lỗi: trùng địa chỉ /2024/05/12/ với trang tin theo ngày 12/05/2024" in err
    assert "content/articles/the.md:4: lỗi: trường 'Tags': '!!!' không có chữ cái hay chữ số" in err
    assert "content/articles/muc.md:3: lỗi: trường 'Category': '🎉' không có chữ cái hay chữ số" in err
    assert "content/articles/tacgia.md:4: lỗi: trường 'Author': '...' không có chữ cái hay chữ số" in err
    assert "content/articles/dieu-khien.md:1: lỗi: trường 'Title' chứa ký tự điều khiển U+0007" in err
    assert "content/pages/tim.md:2: lỗi: trùng địa chỉ /tim-kiem/ với trang 'search' của cổng" in err
    assert "content/pages/nam.md:2: lỗi: trùng địa chỉ /2024/ với trang tin theo năm 2024" in err
    assert "content/pages/slug-dai.md:2: lỗi: trường 'Slug': dài 161 ký tự, tối đa 100" in err
    assert "content/articles/dai.md" not in err  # a long title makes a slug cut at 100 characters, between words
    assert "Traceback" not in err and "OSError" not in err


def test_6_a_thousand_character_title_builds(tmp_path):
    root = write_site(tmp_path, {"articles/dai.md": article("Tiêu đề rất dài " * 60, "2024-05-02 11:00", "Tin")})
    result = build_site(root)
    assert result.returncode == 0, result.stderr
    folders = [p.parent.name for p in (result.output / "2024" / "05").glob("*/index.html") if not p.parent.name.isdigit()]
    assert len(folders) == 1 and len(folders[0]) <= 100 and folders[0].startswith("tieu-de-rat-dai")


def test_7_the_next_run_restores_a_kept_copy_when_output_is_missing(tmp_path):
    root = write_site(tmp_path, {"articles/a.md": article("Tin", "2024-05-02 08:00", "Tin")})
    first = build_site(root)
    assert first.returncode == 0, first.stderr
    (first.output / "dau-vet.txt").write_text("bản tốt")
    kept = root / ".output.old-4242"
    os.rename(first.output, kept)  # a crash between the two renames of the swap
    (root / "content/articles/a.md").write_text(article("Tin", "2024-05-02 08:00", "Tin", Status="bogus"))
    failed = build_site(root)
    assert failed.returncode == 1
    assert "Đã khôi phục output/ từ bản giữ lại" in failed.stderr
    assert (root / "output" / "dau-vet.txt").read_text() == "bản tốt" and not kept.exists()


def test_7_the_replaced_output_is_deleted_in_the_background_and_never_restored(tmp_path):
    root = write_site(tmp_path, {"articles/a.md": article("Tin", "2024-05-02 08:00", "Tin")})
    assert build_site(root).returncode == 0
    (root / "output" / "cu.txt").write_text("bản cũ")
    second = build_site(root)
    assert second.returncode == 0, second.stderr
    assert not (second.output / "cu.txt").exists()

    def leftovers() -> list[Path]:
        return [p for p in root.glob(".output.*-*") if p.is_dir()]  # staging, kept or being deleted

    deadline = time.monotonic() + 30
    while leftovers() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not leftovers()
    # A copy being deleted is never taken for a kept one, even when output/ is missing.
    half_deleted = root / ".output.del-1-2"
    shutil.copytree(second.output, half_deleted)
    (half_deleted / "cu.txt").write_text("đang xóa")
    shutil.rmtree(second.output)
    third = build_site(root)
    assert third.returncode == 0, third.stderr
    assert "khôi phục" not in third.stderr and not (third.output / "cu.txt").exists()


def test_7_the_replaced_output_lends_its_folders_to_the_next_build_and_nothing_of_it_is_published(tmp_path):
    root = write_site(tmp_path, {"articles/a.md": article("Tin một", "2024-05-02 08:00", "Tin"),
                                 "articles/b.md": article("Tin hai", "2024-05-03 08:00", "Tin")})
    first = build_site(root)
    assert first.returncode == 0, first.stderr
    page = next(p for p in first.output.rglob("index.html") if "Tin một" in p.read_text() and "/tin-mot" in p.as_posix())
    folder = page.parent.relative_to(first.output)
    made_by_first = page.parent.stat().st_ino
    outside = tmp_path / "ngoai.txt"
    outside.write_text("không được xóa")
    (first.output / "cu.txt").write_text("bản cũ")
    os.symlink(outside, first.output / folder / "lien-ket")
    assert build_site(root).returncode == 0
    assert (root / ".output.spare").is_dir()  # the first output, set aside
    (root / "content/articles/b.md").unlink()
    # An emptying stopped before its end (the process killed): files left, and not marked emptied.
    (root / ".output.spare" / folder / "sot-lai.txt").write_text("chưa xóa hết")
    (root / ".output.spare" / ".emptied").unlink()

    third = build_site(root)

    assert third.returncode == 0, third.stderr
    assert (third.output / folder).stat().st_ino == made_by_first  # its folders, not new ones
    assert not (third.output / "cu.txt").exists() and not (third.output / folder / "lien-ket").is_symlink()
    assert not (third.output / folder / "sot-lai.txt").exists()
    assert outside.read_text() == "không được xóa"  # a link is removed, never followed
    assert not [d for d in third.output.rglob("*") if d.is_dir() and not any(d.iterdir())]  # b's folder is gone
    cold = build_site(root, "cold")
    assert cold.returncode == 0, cold.stderr

    def paths(output: Path) -> list[Path]:  # Pagefind names its files by a hash of its own
        return sorted(p.relative_to(output) for p in output.rglob("*") if "pagefind" not in p.relative_to(output).parts)

    assert paths(third.output) == paths(cold.output)
    (root / "content/articles/b.md").write_text(article("Tin hai", "2024-05-03 08:00", "Tin"), encoding="utf-8")
    fourth = build_site(root)  # in the folders the second output lent, emptied and marked so
    assert fourth.returncode == 0, fourth.stderr
    assert build_site(root, "cold").returncode == 0
    assert paths(fourth.output) == paths(cold.output)


def test_9_make_new_passes_the_title_through_untouched(tmp_path):
    root = write_site(tmp_path, {"articles/a.md": article("Tin", "2024-05-02 08:00", "Tin")})
    title = "100$ và $(shell touch da-chay) `touch da-chay-2` 'nháy'"
    result = subprocess.run(
        ["make", "--no-print-directory", "-f", str(ROOT / "Makefile"), "new", f"TITLE={title}", "CATEGORY=Tin",
         f"BIN={Path(sys.executable).parent}", "RUNTIME=", "SETTINGS=conf.py"],
        cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not (root / "da-chay").exists() and not (root / "da-chay-2").exists()
    created = root / result.stdout.strip()
    assert created.read_text(encoding="utf-8").startswith(f"Title: {title}\n")


def test_9_make_new_with_an_impossible_file_name_explains_without_a_traceback(tmp_path):
    root = write_site(tmp_path, {"articles/a.md": article("Tin", "2024-05-02 08:00", "Tin")})
    (root / "content" / "articles" / "2099").write_text("not a folder")
    from datetime import datetime

    from portal.cli import new

    with pytest.raises(new.NewArticleError, match="không tạo được tệp"):
        new.create(root, {"PATH": str(root / "content"), "ARTICLE_PATHS": ["articles"], "TIMEZONE": "Asia/Ho_Chi_Minh",
                          "CATEGORY_URL": "chuyen-muc/{slug}/"}, "Tin mới", "Tin", now=datetime(2099, 1, 1, 8))


def test_9_sixteen_bit_png_is_not_white(built):
    img = built.page("/2024/05/tin-co-ma-dan-vao/").select(".article-body figure picture img")[-1]
    with Image.open(built.output / img["src"].removeprefix(SITE_URL).lstrip("/")) as photo:
        left, right = photo.convert("L").getpixel((10, 10)), photo.convert("L").getpixel((photo.width - 10, 10))
    assert abs(left - 30000 // 257) <= 3 and abs(right - 60000 // 257) <= 3, (left, right)


def test_9_a_raw_img_goes_through_the_photo_checks(tmp_path):
    result = check(tmp_path, {
        "articles/a.md": article("Tin", "2024-05-02 08:00", "Tin",
                                 'Chữ.\n\n<img src="/images/khong-co.jpg" alt="Ảnh">\n\n'
                                 '<p>Đếm <img src="https://theo-doi.example/pixel.gif" alt="x"></p>'),
        "articles/b.md": article("Tin bìa", "2024-05-03 08:00", "Tin", '<img src="/images/bia.jpg" alt="Bìa">'),
        "images/bia.jpg": phone_photo(),
    })
    assert result.returncode == 1
    assert "a.md:7: lỗi: không tìm thấy ảnh '/images/khong-co.jpg'" in result.stderr
    assert "a.md:9: lỗi: ảnh 'https://theo-doi.example/pixel.gif' lấy từ trang web khác" in result.stderr
    assert "b.md" not in result.stderr  # a raw <img> as the cover works like ![…](…)


def test_10_a_misspelt_category_is_an_error_with_a_suggestion(tmp_path):
    result = check(tmp_path, {"articles/a.md": article("Tin", "2024-05-02 08:00", "Xây dựng Đản")},
                   settings='CATEGORIES = ["Xây dựng Đảng", "Tin hoạt động"]\n')
    assert result.returncode == 1
    assert ("content/articles/a.md:3: lỗi: trường 'Category': chuyên mục 'Xây dựng Đản' chưa được khai báo; "
            "có phải ý bạn là 'Xây dựng Đảng'?") in result.stderr


def test_10_the_sample_content_uses_only_declared_categories_and_the_menu_follows_them():
    import pelicanconf

    assert [label for label, _url in pelicanconf.MENU[1:-1]] == pelicanconf.CATEGORIES
    used = {line.split(":", 1)[1].strip() for path in (ROOT / "content" / "articles").rglob("*.md")
            for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("Category:")}
    assert used <= set(pelicanconf.CATEGORIES)


@pytest.mark.parametrize("files, expected", [
    ({"articles/a.md": "Tiêu đề: Tin\nDate: 2024-05-02 08:00\nCategory: Tin\n\nChữ.\n"},
     ["a.md:1: lỗi: tên trường phải viết bằng tiếng Anh: hãy sửa 'Tiêu đề:' thành 'Title:'"]),
    ({"articles/a.md": article("Tin", "2024-05-02 08:00", "Tin", '![Ảnh.](/images/a.jpg “Ảnh: Văn Nam”)'),
      "images/a.jpg": phone_photo()},
     ["a.md:5: lỗi: '/images/a.jpg “Ảnh: Văn Nam”' có dấu ngoặc kép cong"]),
    ({"articles/a.md": article("Tin", "2024-05-02 08:00", "Tin", r"![Ảnh.](C:\Users\bientap\anh.jpg)")},
     [r"a.md:5: lỗi: 'C:\Users\bientap\anh.jpg' là đường dẫn trên máy tính của bạn"]),
    ({"articles/a.md": article("Tin", "2024-05-02 08:00", "Tin", Tags="Hội nghị; Tổng kết")},
     ["a.md:4: cảnh báo: trường 'Tags': các mục phải cách nhau bằng dấu phẩy; đã đọc dấu chấm phẩy như dấu phẩy: Hội nghị, Tổng kết"]),
    ({"articles/a.md": article("Tin", "2024-05-02 08:00", "Tin", People="???")},
     ["a.md:4: lỗi: trường 'People': '???' không có chữ cái hay chữ số nào"]),
    ({"articles/a.md": article("Tin", "2024-05-02 08:00", "Tin", "![](/images/a.jpg)"), "images/a.jpg": phone_photo()},
     ["a.md:5: cảnh báo: ảnh '/images/a.jpg' chưa có chú thích", "1 cảnh báo"]),
    ({"articles/a.md": article("Tin", "2024-05-02 08:00", "Tin"), "articles/.an.md": article("Ẩn", "2024-05-02", "Tin"),
      "articles/..md": article("Chấm", "2024-05-02", "Tin")},
     ["content/articles/.an.md: cảnh báo: tệp '.an.md' bị bỏ qua vì tên bắt đầu bằng dấu chấm",
      "content/articles/..md: cảnh báo: tệp '..md' bị bỏ qua"]),
    ({"articles/a.md": article("Tin", "2024-05-02 08:00", "Tin", Modified="2024-05-01 08:00")},
     ["a.md:4: lỗi: trường 'Modified': 2024-05-01 08:00 sớm hơn ngày đăng 2024-05-02 08:00"]),
    ({"articles/a.md": article("Tin \u202egnàd\u202c", "2024-05-02 08:00", "Tin", Tags="Hội\u200bnghị")},
     ["a.md:1: lỗi: trường 'Title' chứa đảo chiều chữ (RLO) U+202E", "a.md:4: lỗi: trường 'Tags' chứa khoảng trắng độ rộng 0 U+200B"]),
], ids=["vietnamese-key", "curly-quotes", "windows-path", "semicolon-tags", "people-punctuation", "empty-caption",
        "hidden-files", "modified-before-date", "bidi-zero-width"])
def test_11_editor_messages_are_vietnamese_with_file_and_line(tmp_path, files, expected):
    result = check(tmp_path, files)
    output = result.stderr + result.stdout
    for text in expected:
        assert text in output, (text, output)
    assert "Empty alt" not in output and "thiếu trường bắt buộc 'Title'" not in output
