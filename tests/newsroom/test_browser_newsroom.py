"""The whole newsroom in real Chromium against the real server: log in, write with an IME, photos, people,
related articles, preview, save, publish, and the built page.

With NEWSROOM_SCREENSHOTS=1 the screenshots used by docs/huong-dan-bien-tap.md are written to
docs/img/newsroom/ (otherwise into the test's temporary folder, so normal runs leave the tree clean).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.photos import jpeg
from tests.support.sites import ROOT, free_port, serve_directory, wait_for_port

from .support import PASSWORD, git, make_repo

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    repo = make_repo(tmp_path_factory.mktemp("newsroom-site") / "site")
    port = free_port()
    env = dict(os.environ, NEWSROOM_CONTENT=str(repo), NEWSROOM_SETTINGS="conf.py", NEWSROOM_DATA=str(repo / ".newsroom"),
               NEWSROOM_PORT=str(port), NEWSROOM_PASSWORD=PASSWORD, NEWSROOM_LOG_LEVEL="warning")
    for name, role in (("hung", "bien-tap"), ("lan", "phong-vien")):
        created = subprocess.run([sys.executable, "-m", "portal.newsroom.user_cli", name, role, "--display",
                                  "Trần Văn Hùng" if name == "hung" else "Nguyễn Thị Lan"],
                                 env=env, capture_output=True, text=True, cwd=ROOT)
        assert created.returncode == 0, created.stderr
    log = repo.parent / "newsroom.log"
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "portal.newsroom"], env=env, stdout=out, stderr=out, cwd=ROOT)
    try:
        wait_for_port(port, process, log, seconds=30)
        yield f"http://127.0.0.1:{port}", repo
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def shots(tmp_path):
    folder = ROOT / "docs" / "img" / "newsroom" if os.environ.get("NEWSROOM_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def compose(cdp, steps: list[str], final: str) -> None:
    """What a Telex IME sends: the syllable re-composed at each key, then committed once."""
    for step in steps:
        cdp.send("Input.imeSetComposition", {"text": step, "selectionStart": len(step), "selectionEnd": len(step)})
    cdp.send("Input.insertText", {"text": final})


def test_write_illustrate_preview_save_publish(browser, server, shots, tmp_path):
    base, repo = server
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    external, errors = [], []
    page.on("request", lambda r: not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) and external.append(r.url))
    context.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))

    page.goto(base + "/")
    assert page.get_by_role("heading", name="Đăng nhập").is_visible()
    page.screenshot(path=str(shots / "01-dang-nhap.png"))
    page.get_by_label("Tên đăng nhập").fill("hung")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(base + "/")
    assert page.get_by_role("heading", name="Danh sách bài").is_visible()
    page.get_by_label("Tìm theo tiêu đề").fill("dang uy")
    page.get_by_role("button", name="Lọc").click()
    assert page.locator("table.articles tbody tr").count() == 1
    page.screenshot(path=str(shots / "02-danh-sach.png"))

    page.get_by_role("link", name="Viết bài mới").first.click()
    page.wait_for_url(re.compile(r".*/bai/moi$"))
    cdp = context.new_cdp_session(page)
    title = page.get_by_label("Tiêu đề", exact=True)
    title.click()
    page.keyboard.insert_text("Hội nghị ")
    compose(cdp, ["d", "đ", "đa", "đan", "đang", "Đang", "Đảng"], "Đảng")
    page.keyboard.insert_text(" ")
    compose(cdp, ["u", "uy", "ủy"], "ủy")
    page.keyboard.insert_text(" Khối tổng kết công tác năm")
    assert title.input_value() == "Hội nghị Đảng ủy Khối tổng kết công tác năm"  # no doubled letters
    page.get_by_label("Chuyên mục").select_option("Xây dựng Đảng")
    page.get_by_label("Ngày đăng").fill("2025-11-20T09:30")
    page.get_by_label("Tóm tắt").fill("Sáng 20/11, Đảng ủy Khối tổng kết công tác năm.")
    body = page.get_by_label("Nội dung", exact=True)
    body.click()
    page.keyboard.insert_text("Hội nghị diễn ra tại hội trường. ")
    compose(cdp, ["n", "ng", "ngu", "nguo", "nguoi", "người", "người"], "người")
    page.keyboard.insert_text(" dự đông đủ.")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Tiêu đề mục").click()
    page.keyboard.insert_text("Kết quả nổi bật")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.insert_text("Đồng chí Trần Thị Thu Hoà phát biểu chỉ đạo.")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    for number, (caption, credit) in enumerate((("Toàn cảnh hội nghị.", "Văn Nam"), ("Đại biểu dự hội nghị.", "Thu Hà")), 1):
        page.get_by_label("Chú thích").fill(caption)
        page.get_by_label("Tác giả ảnh").fill(credit)
        page.get_by_label("Chèn ảnh").set_input_files(files=[{"name": f"Ảnh hội nghị {number}.jpg", "mimeType": "image/jpeg",
                                                                "buffer": jpeg((1600, 1200))}])
        expect(page.locator("#upload-status")).to_have_text(re.compile("^Đã chèn ảnh"))
        expect(body).to_have_value(re.compile(f"Ảnh: {credit}"))
    text = body.input_value()
    assert text.startswith("Hội nghị diễn ra tại hội trường. người dự đông đủ.\n\n## Kết quả nổi bật\n\n")
    assert ('![Toàn cảnh hội nghị.](/images/2025/anh-hoi-nghi-1.jpg "Ảnh: Văn Nam")\n'
            '![Đại biểu dự hội nghị.](/images/2025/anh-hoi-nghi-2.jpg "Ảnh: Thu Hà")') in text
    page.get_by_label("Tác giả", exact=True).fill("Minh Châu")
    page.get_by_label("Nguồn tin").fill("Văn phòng Đảng ủy Khối")
    page.get_by_label("Thẻ").fill("tổng kết, hội nghị")
    page.get_by_label("Nhân vật").select_option("Trần Thị Thu Hoà")
    assert "Bí thư Đảng ủy Khối" in page.get_by_label("Nhân vật").inner_text()
    picker = page.get_by_label("Tin liên quan")
    picker.click()
    page.keyboard.type("dang uy")
    page.get_by_role("button", name=re.compile("Hội nghị Ban Chấp hành Đảng ủy Khối lần thứ 12")).click()
    assert page.locator("#related-chosen li").count() == 1
    page.get_by_label("Tin nổi bật").check()
    page.screenshot(path=str(shots / "03-viet-bai.png"), full_page=True)

    with page.expect_popup() as popup:
        page.get_by_role("button", name="Xem trước").click()
    preview = popup.value
    preview.wait_for_load_state()
    assert preview.locator("h1").inner_text() == "Hội nghị Đảng ủy Khối tổng kết công tác năm"
    assert preview.locator(".article-body .gallery figure").count() == 2
    assert preview.locator(".article-body .gallery img").evaluate_all("els => els.every(e => e.complete && e.naturalWidth > 0)")
    assert "Bí thư Đảng ủy Khối" in preview.locator(".people").inner_text()
    assert "lần thứ 12" in preview.locator(".related").inner_text()
    preview.screenshot(path=str(shots / "04-xem-truoc.png"), full_page=True)
    preview.close()

    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_url(re.compile(r".*da-luu=1$"))
    assert page.get_by_text("Đã lưu và ghi vào lịch sử.").is_visible()
    path = repo / "content" / "articles" / "2025" / "hoi-nghi-dang-uy-khoi-tong-ket-cong-tac-nam.md"
    saved = path.read_text(encoding="utf-8")
    assert saved.startswith("Title: Hội nghị Đảng ủy Khối tổng kết công tác năm\nDate: 2025-11-20 09:30\n")
    assert "People: Trần Thị Thu Hoà\nRelated: hoi-nghi-ban-chap-hanh-dang-uy-khoi-lan-thu-12\n" in saved
    assert "Featured: true\nStatus: Nháp\n" in saved
    log = git(repo, "log", "-1", "--format=%an|%s", "--name-only")
    assert log.startswith("Trần Văn Hùng|Thêm bài: Hội nghị Đảng ủy Khối tổng kết công tác năm")
    assert "content/images/2025/anh-hoi-nghi-1.jpg" in log and "content/images/2025/anh-hoi-nghi-2.jpg" in log

    page.get_by_role("button", name="Đăng bài").click()
    page.wait_for_url(re.compile(r".*/xuat-ban$"))
    page.get_by_text("Xuất bản xong").wait_for(timeout=180_000)
    page.screenshot(path=str(shots / "05-xuat-ban.png"))
    assert "Status: Đã đăng" in path.read_text(encoding="utf-8")
    assert git(repo, "log", "-1", "--format=%s").startswith("Đăng bài: ")

    with serve_directory(repo / "output") as site:
        public = context.new_page()
        public.goto(site + "/2025/11/hoi-nghi-dang-uy-khoi-tong-ket-cong-tac-nam/")
        assert public.locator("h1").inner_text() == "Hội nghị Đảng ủy Khối tổng kết công tác năm"
        assert public.locator(".article-body .gallery figure").count() == 2
        assert public.locator(".draft-flag").count() == 0
        public.screenshot(path=str(shots / "06-trang-cong-khai.png"))
    assert not external, external
    assert not errors, errors
    context.close()


def test_reporter_sees_no_publish_button(browser, server):
    base, _repo = server
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill("lan")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Viết bài mới").first.click()
    assert page.get_by_role("button", name="Lưu", exact=True).is_visible()
    assert page.get_by_role("button", name="Đăng bài").count() == 0
    context.close()
