"""image_refs: missing images and unsafe file names are reported at file:line."""
from __future__ import annotations

import pytest

from conftest import article, build_site, png_bytes, run_portal, write_site
from image_refs.refs import compile_patterns, find_references, safe_name

BODY = """Mở đầu.

![Toàn cảnh](/images/2025/Ảnh Hội nghị 01.JPG "Ảnh: Văn Nam")

![Đúng tên](/images/2025/le-ky-niem.jpg)

![Gõ nhầm](/images/2025/le-ky-nien.jpg)

<img src="/images/2025/anh%20dai%20hoi.jpg" alt="Đại hội">
"""


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    root = write_site(tmp_path_factory.mktemp("refs"), {
        "images/2025/Ảnh Hội nghị 01.JPG": png_bytes(),
        "images/2025/le-ky-niem.jpg": png_bytes(),
        "images/2025/anh dai hoi.jpg": png_bytes(),
        "articles/2025/anh.md": article("Bài có ảnh", "2025-01-02 08:00", "Đoàn thể", body=BODY,
                                        Image="/images/2025/khong-co.jpg"),
    })
    return root, run_portal("check", root, "-s", "conf.py")


def test_each_bad_reference_is_an_error_at_its_line(checked):
    _root, result = checked
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("content/articles/2025/anh.md:")]
    assert lines == [
        "content/articles/2025/anh.md:4: lỗi: không tìm thấy tệp '/images/2025/khong-co.jpg' "
        "(cần có tệp content/images/2025/khong-co.jpg)",
        "content/articles/2025/anh.md:8: lỗi: ảnh '/images/2025/Ảnh Hội nghị 01.JPG': tên tệp có dấu cách, "
        "chữ có dấu hoặc ký tự đặc biệt; hãy đổi tên tệp thành 'anh-hoi-nghi-01.jpg' (chữ thường không dấu, "
        "nối bằng dấu gạch ngang) và sửa đường dẫn trong bài thành '/images/2025/anh-hoi-nghi-01.jpg'",
        "content/articles/2025/anh.md:12: lỗi: không tìm thấy tệp '/images/2025/le-ky-nien.jpg' "
        "(cần có tệp content/images/2025/le-ky-nien.jpg); có phải ý bạn là '/images/2025/le-ky-niem.jpg'?",
        "content/articles/2025/anh.md:14: lỗi: ảnh '/images/2025/anh%20dai%20hoi.jpg': tên tệp có dấu cách, "
        "chữ có dấu hoặc ký tự đặc biệt; hãy đổi tên tệp thành 'anh-dai-hoi.jpg' (chữ thường không dấu, "
        "nối bằng dấu gạch ngang) và sửa đường dẫn trong bài thành '/images/2025/anh-dai-hoi.jpg'",
    ]


def test_following_the_advice_makes_the_build_pass(checked):
    root, _result = checked
    images = root / "content" / "images" / "2025"
    (images / "Ảnh Hội nghị 01.JPG").rename(images / "anh-hoi-nghi-01.jpg")
    (images / "anh dai hoi.jpg").rename(images / "anh-dai-hoi.jpg")
    source = root / "content" / "articles" / "2025" / "anh.md"
    text = source.read_text(encoding="utf-8")
    for old, new in [("Ảnh Hội nghị 01.JPG", "anh-hoi-nghi-01.jpg"), ("anh%20dai%20hoi.jpg", "anh-dai-hoi.jpg"),
                     ("le-ky-nien", "le-ky-niem"), ("Image: /images/2025/khong-co.jpg\n", "")]:
        text = text.replace(old, new)
    source.write_text(text, encoding="utf-8")
    built = build_site(root)
    assert built.returncode == 0, built.stderr
    assert [img["src"] for img in built.page("/2025/01/bai-co-anh/").select(".article-body img")] == [
        "/images/2025/anh-hoi-nghi-01.jpg", "/images/2025/le-ky-niem.jpg", "/images/2025/le-ky-niem.jpg",
        "/images/2025/anh-dai-hoi.jpg"]


def test_safe_name_and_reference_finder():
    assert safe_name("Ảnh Hội nghị 01.JPG") == "anh-hoi-nghi-01.jpg"
    assert safe_name("Đại hội  Đảng bộ.jpeg") == "dai-hoi-dang-bo.jpeg"
    patterns = compile_patterns(["images", "videos"])
    text = '[a]: /images/x y.png "T"\n\n![b](</images/z.png>)\n[c](/videos/v.mp4)\n![d](https://x/images/e.png)\n'
    assert [(r.line, r.url) for r in find_references(text, patterns)] == [
        (1, "/images/x y.png"), (3, "/images/z.png"), (4, "/videos/v.mp4")]
