"""Bad photos: a clear Vietnamese error naming the article, the line and the image; output/ kept."""
from __future__ import annotations

import hashlib
import shutil

import pytest

from tests.support.sites import article, build_site, run_portal, write_site
from tests.support.photos import gif, jpeg, png, png_bomb

GOOD = {
    "articles/tot.md": article("Tin tốt", "2024-01-02 08:00", "Tin", "![Ảnh tốt.](/images/tot.jpg)"),
    "images/tot.jpg": jpeg((1000, 750)),
}
BODY = 'Mở đầu.\n\nĐoạn hai.\n\n![Ảnh lỗi.]({src} "Ảnh: X")\n'
IMAGE_LINE = 9  # 3 header lines, a blank line, then the body above


def snapshot(directory):
    return {
        p.relative_to(directory): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(directory.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def good_site(tmp_path_factory):
    root = write_site(tmp_path_factory.mktemp("good"), GOOD)
    built = build_site(root)
    assert built.returncode == 0, built.stderr
    return root


@pytest.mark.parametrize(
    "file, data, src, words",
    [
        (None, None, "/images/2024/khong-co.jpg", "không tìm thấy ảnh '/images/2024/khong-co.jpg'"),
        ("images/hong.jpg", b"day khong phai anh " * 50, "/images/hong.jpg", "không phải tệp ảnh đọc được"),
        ("images/cat-cut.jpg", jpeg((1200, 900))[:6000], "/images/cat-cut.jpg", "bị hỏng hoặc chưa chép hết"),
        ("images/hong.png", png((300, 200))[:-40] + png((300, 200))[-12:], "/images/hong.png", "bị hỏng hoặc chưa chép hết"),
        ("images/dong.gif", gif(), "/images/dong.gif", "định dạng GIF, không được hỗ trợ"),
        ("images/iphone.heic", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 200, "/images/iphone.heic", "ảnh HEIC của iPhone"),
        ("images/bom.png", png_bomb(), "/images/bom.png", "quá lớn"),
        ("images/tên ảnh.jpg", jpeg((600, 400)), "/images/ten-anh.jpg", "gần giống: tên ảnh.jpg"),
        (None, None, "http://example.com/a.jpg", "lấy từ trang web khác"),
    ],
    ids=["missing", "corrupt", "truncated", "damaged-png", "unsupported", "heic", "bomb", "misspelt", "external"],
)
def test_bad_photo_fails_the_build_and_keeps_output(good_site, tmp_path, file, data, src, words):
    root = tmp_path / "site"
    shutil.copytree(good_site, root, symlinks=True)
    before = snapshot(root / "output")
    files = {"articles/loi.md": article("Tin lỗi", "2024-01-03 08:00", "Tin", BODY.format(src=src))}
    if file:
        files[file] = data
    write_site(root, files)
    built = build_site(root)
    assert built.returncode == 1
    line = next(line for line in built.stderr.splitlines() if "loi.md" in line)
    assert line.startswith(f"content/articles/loi.md:{IMAGE_LINE}: lỗi: ")
    assert src in line and words in line, line
    assert "output/ vẫn giữ bản tốt" in built.stderr
    assert snapshot(root / "output") == before


def test_missing_cover_names_the_image_header_line(tmp_path):
    root = write_site(tmp_path, {
        "articles/bia.md": article("Tin bìa", "2024-01-03 08:00", "Tin", "Chữ.", Image="/images/khong-co-bia.jpg"),
    })
    built = build_site(root)
    assert built.returncode == 1
    assert "content/articles/bia.md:4: lỗi: không tìm thấy ảnh '/images/khong-co-bia.jpg'" in built.stderr


def test_check_reports_a_damaged_photo_too(tmp_path):
    root = write_site(tmp_path, {
        "articles/loi.md": article("Tin lỗi", "2024-01-03 08:00", "Tin", BODY.format(src="/images/cat.jpg")),
        "images/cat.jpg": jpeg((1200, 900))[:6000],
    })
    result = run_portal("check", root, "-s", "conf.py")
    assert result.returncode == 1
    assert f"content/articles/loi.md:{IMAGE_LINE}: lỗi: ảnh '/images/cat.jpg' bị hỏng" in result.stderr


def test_oversized_photo_names_its_size(tmp_path):
    root = write_site(tmp_path, {
        "articles/loi.md": article("Tin lỗi", "2024-01-03 08:00", "Tin", BODY.format(src="/images/to.jpg")),
        "images/to.jpg": jpeg((3000, 2000)),
    }, settings="IMAGES_MAX_PIXELS = 5_000_000\n")
    built = build_site(root)
    assert built.returncode == 1
    assert "(3.000 × 2.000 điểm ảnh), vượt giới hạn 5 triệu điểm ảnh" in built.stderr
