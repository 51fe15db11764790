"""Xem trước (the site's own reader, adapters and templates, no build) and Đăng bài / Gỡ bài (queued atomic builds)."""
from __future__ import annotations

import re
import time

from bs4 import BeautifulSoup

from tests.support.photos import jpeg

from .support import git, log_in


def _edit_data(client, rel):
    soup = BeautifulSoup(client.get(f"/bai/sua?tep={rel}").text, "html5lib")
    form = soup.find("form", id="article-form")
    data = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name") and i.get("type") != "checkbox"
            and i.get("form") != "none" and i["name"] != "related"}
    data["category"] = next(o.text for o in form.find("select", id="category").find_all("option") if o.has_attr("selected"))
    data["body"] = form.find("textarea", id="body").text
    data["summary"] = form.find("textarea", id="summary").text
    return data


def test_preview_renders_the_theme_article_page(client, repo):
    editor = log_in(client, "lan")
    photo = editor.client.post("/tai-len", files={"tep": ("anh.jpg", jpeg((1200, 900)), "image/jpeg")},
                               data={"csrf": editor.csrf, "chu_thich": "Toàn cảnh", "tac_gia_anh": "Lan", "nam": "2025"}).json()
    second = editor.client.post("/tai-len", files={"tep": ("anh 2.jpg", jpeg((900, 1200)), "image/jpeg")},
                                data={"csrf": editor.csrf, "chu_thich": "Đại biểu", "tac_gia_anh": "Lan", "nam": "2025"}).json()
    body = ("Sáng nay, hội nghị khai mạc.\n\nĐồng chí Trần Thị Thu Hoà phát biểu.\n\n" + photo["markdown"] + "\n" + second["markdown"]
            + "\n\n## Phần hai\n\nNội dung <b>đậm</b> & tiếp.\n")
    answer = editor.post("/bai/xem-truoc", {"title": "Bài xem trước <i>thử</i>", "category": "Đoàn thể",
                                            "date": "2025-05-01T08:00", "body": body, "tags": "hội nghị",
                                            "related": ["hoi-nghi-ban-chap-hanh-dang-uy-khoi-lan-thu-12"]})
    assert answer.status_code == 200, answer.text
    page = BeautifulSoup(answer.text, "html5lib")
    assert page.find("h1").text == "Bài xem trước <i>thử</i>"  # escaped by the theme, as on the site
    assert page.select_one(".draft-flag").text.startswith("BẢN NHÁP")
    assert page.select_one("p.lead").text.startswith("Sáng nay")
    gallery = page.select_one(".article-body .gallery")
    assert gallery and len(gallery.select("figure picture")) == 2
    assert [c.text for c in gallery.select("figcaption .caption")] == ["Toàn cảnh", "Đại biểu"]
    # The person is linked and listed with the role, as the people adapter does it.
    assert page.select_one(".article-body a[href='/xem-truoc/trang/nhan-vat/tran-thi-thu-hoa/']")
    assert "Bí thư Đảng ủy Khối" in page.select_one(".people").text
    assert "Hội nghị Ban Chấp hành Đảng ủy Khối lần thứ 12" in page.select_one(".related").text
    # Every photo, the stylesheet and the logo are served by the preview; nothing from elsewhere.
    sources = [s.split()[0] for tag in page.select("source, img") for s in (tag.get("srcset") or tag.get("src")).split(",")]
    sources.append(page.select_one("link[rel=stylesheet]")["href"])
    for src in sources:
        assert src.startswith("/xem-truoc/trang/"), src
        assert client.get(src).status_code == 200, src
    derivative = client.get(page.select_one("figure img")["src"])
    assert derivative.headers["content-type"] in ("image/jpeg", "image/webp")
    # The preview wrote nothing into content/ and committed nothing.
    assert git(repo, "status", "--porcelain", "content/articles") == ""
    # The cards rendered once for a preview are dropped before the next one: the preview's process
    # lives on, and each preview's related items are new objects.
    kept = client.app.state.newsroom.previewer.generator.env.rendered_once
    assert kept, "the related card was rendered through {% once %}"
    again = editor.post("/bai/xem-truoc", {"title": "Lần hai", "category": "Đoàn thể", "date": "2025-05-01T08:00",
                                           "body": "Nội dung.", "related": ["hoi-nghi-ban-chap-hanh-dang-uy-khoi-lan-thu-12"]})
    assert again.status_code == 200 and "Hội nghị Ban Chấp hành" in BeautifulSoup(again.text, "html5lib").select_one(".related").text
    assert len(kept) == 1


def test_publish_builds_the_site_and_unpublish_removes(client, repo):
    editor = log_in(client, "hung")
    data = _edit_data(client, "2024/tap-huan.md")
    assert "Đăng bài" in client.get("/bai/sua?tep=2024/tap-huan.md").text
    answer = editor.post("/bai/dang", data)
    assert answer.status_code == 303 and answer.headers["location"] == "/xuat-ban"
    assert "Status: Đã đăng" in (repo / "content/articles/2024/tap-huan.md").read_text(encoding="utf-8")
    assert git(repo, "log", "-1", "--format=%an|%s").strip() == "Trần Văn Hùng|Đăng bài: Tập huấn nghiệp vụ công tác kiểm tra"
    run = client.app.state.newsroom.builds.wait(300)
    assert run.ok, run.log
    page = repo / "output" / "2024" / "06" / "tap-huan-nghiep-vu-cong-tac-kiem-tra" / "index.html"
    assert page.is_file()
    status = client.get("/xuat-ban")
    assert "Xuất bản xong" in status.text
    state = client.get("/xuat-ban/trang-thai").json()
    assert state["last"]["ok"] is True and state["current"] is None
    data = _edit_data(client, "2024/tap-huan.md")
    assert editor.post("/bai/go", data).status_code == 303
    assert "Status: Gỡ xuống" in (repo / "content/articles/2024/tap-huan.md").read_text(encoding="utf-8")
    assert client.app.state.newsroom.builds.wait(300).ok
    assert not page.exists()


def test_failed_build_keeps_the_public_site(client, repo):
    editor = log_in(client, "hung")
    rooms = client.app.state.newsroom
    rooms.builds.request("lần đầu")
    assert rooms.builds.wait(300).ok
    before = sorted(p.relative_to(repo / "output") for p in (repo / "output").rglob("*"))
    # A hand edit breaks another published article (a photo that does not exist).
    broken = repo / "content/articles/2025/tin-2.md"
    broken.write_text(broken.read_text(encoding="utf-8") + "\n![Ảnh](/images/2025/khong-co.jpg)\n", encoding="utf-8")
    data = _edit_data(client, "2024/tap-huan.md")
    editor.post("/bai/dang", data)
    run = rooms.builds.wait(300)
    assert run.ok is False
    assert any("khong-co.jpg" in line for line in run.errors)
    assert "Xuất bản thất bại" in client.get("/xuat-ban").text and "khong-co.jpg" in client.get("/xuat-ban").text
    assert sorted(p.relative_to(repo / "output") for p in (repo / "output").rglob("*")) == before


def test_builds_are_coalesced(client, repo):
    rooms = client.app.state.newsroom
    first = rooms.builds.request("một")
    # While the first is building, three more requests make one more build.
    time.sleep(0.2)
    runs = {id(rooms.builds.request(reason)) for reason in ("hai", "ba", "bốn")}
    assert len(runs) == 1
    last = rooms.builds.wait(300)
    assert last.number == first.number + 1 and last.reasons == ["hai", "ba", "bốn"]
