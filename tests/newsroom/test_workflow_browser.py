"""The workflow in real Chromium, three users in three browser contexts, against the newsroom served in
this process with its clock injected (and passed to the site build as PORTAL_CLOCK): a reporter submits,
an editor returns it with a reason, the reporter fixes and resubmits, it is approved and scheduled a few
minutes ahead; with the clock moved the article appears on the built site without anyone acting and
leaves the listings at its expiry. Two users open one article: the second sees the lock; quan-tri takes
it over. An old version is restored."""
from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
import uvicorn
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from portal.newsroom.app import create_app
from tests.support.sites import free_port

from .support import PASSWORD, git
from .workflow_support import Clock, header, vn

pytestmark = pytest.mark.browser


class Served:
    def __init__(self, app):
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "the newsroom did not start"
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=15)


def wait_until(check, seconds: float = 180, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.5)


def user_page(browser, base: str, name: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    problems = []
    # Refusals the test asks for (422: a field named) are answers, not faults.
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" and "(Unprocessable" not in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    context.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 and r.status != 422 else None)
    page.goto(base + "/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill(name)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Danh sách bài")).to_be_visible()
    page.problems = problems
    return page


def listed(repo) -> str:
    home = repo / "output" / "index.html"
    return home.read_text(encoding="utf-8") if home.is_file() else ""


def test_submit_return_resubmit_approve_schedule_expire_lock_restore(browser, config, repo):
    clock = Clock()
    config.build_env["PORTAL_CLOCK"] = clock.now.isoformat()
    app = create_app(config, clock=clock)
    room = app.state.newsroom
    room.flow.interval = 0.5  # the timer's period (30 s in service)
    room.flow.beat = 1.0  # lock heartbeats

    def move(**delta):
        clock.move(**delta)
        config.build_env["PORTAL_CLOCK"] = clock.now.isoformat()

    with Served(app) as base:
        lan, hung, admin = (user_page(browser, base, n) for n in ("lan", "hung", "admin"))
        # The reporter writes and submits.
        lan.goto(base + "/bai/moi")
        lan.get_by_label("Tiêu đề").fill("Đoàn viên tình nguyện mùa đông")
        lan.get_by_label("Chuyên mục").select_option("Đoàn thể")
        lan.get_by_role("textbox", name="Nội dung", exact=True).fill("Sáng nay, đoàn viên ra quân.\n\nĐoạn cần sửa.")
        lan.get_by_role("button", name="Lưu", exact=True).click()
        expect(lan.get_by_role("status").first).to_have_text("Đã lưu và ghi vào lịch sử.")
        lan.get_by_role("button", name="Gửi duyệt").click()
        expect(lan.get_by_text("Đã gửi duyệt.")).to_be_visible()
        rel = next(e.rel for e in room.index.all() if e.title == "Đoàn viên tình nguyện mùa đông")
        path = repo / "content" / "articles" / rel

        # The editor finds it waiting, sees the rendered text, and returns it with a reason.
        hung.goto(base + "/viec-cua-toi")
        hung.locator("section[aria-labelledby=cho-duyet]").get_by_role("link", name="Đoàn viên tình nguyện mùa đông").click()
        expect(hung.locator("#thay-doi ins p").first).to_have_text("Sáng nay, đoàn viên ra quân.")
        hung.get_by_role("button", name="Trả lại").click()
        expect(hung.locator("#loi-reason")).to_contain_text("Lý do")
        hung.get_by_label("Lý do").fill("Đoạn cuối chưa rõ thời gian, địa điểm")
        hung.get_by_role("button", name="Trả lại").click()
        expect(hung.get_by_text("Đã trả lại bài")).to_be_visible()

        # The reporter sees why in "Việc của tôi", fixes and resubmits.
        lan.goto(base + "/viec-cua-toi")
        returned = lan.locator("section[aria-labelledby=tra-lai]")
        expect(returned).to_contain_text("Lý do: Đoạn cuối chưa rõ thời gian, địa điểm")
        returned.get_by_role("link", name="Đoàn viên tình nguyện mùa đông").click()
        expect(lan.locator("#ly-do-tra-lai")).to_contain_text("Đoạn cuối chưa rõ thời gian, địa điểm")
        body = lan.get_by_role("textbox", name="Nội dung", exact=True)
        body.fill(body.input_value().replace("Đoạn cần sửa.", "Sáng 1/12, tại Nhà văn hoá tỉnh."))
        lan.get_by_role("button", name="Gửi duyệt").click()
        expect(lan.get_by_text("Đã gửi duyệt.")).to_be_visible()
        assert header(path, "Reason") is None

        # Approved, then scheduled a few minutes ahead with an expiry.
        hung.goto(f"{base}/bai/sua?tep={rel}")
        hung.get_by_role("button", name="Duyệt", exact=True).click()
        expect(hung.get_by_text("Đã duyệt bài.")).to_be_visible()
        hung.goto(f"{base}/bai/sua?tep={rel}")
        hung.get_by_label("Ngày đăng").fill(vn(clock.now - timedelta(minutes=1)))
        hung.get_by_role("button", name="Hẹn giờ đăng").click()
        expect(hung.locator("#loi-date1")).to_contain_text("Ngày đăng")  # a time in the past is refused
        publish_at = clock.now + timedelta(minutes=3)
        hung.get_by_label("Ngày đăng").fill(vn(publish_at))
        hung.get_by_label("Hết hạn lúc").fill(vn(clock.now + timedelta(minutes=20)))
        hung.get_by_role("button", name="Hẹn giờ đăng").click()
        expect(hung.get_by_text("Đã hẹn giờ đăng")).to_be_visible()
        assert header(path, "Status") == "Hẹn giờ đăng"
        assert room.builds.wait(300).ok
        slug = room.index.get(rel).slug
        page_file = repo / "output" / f"{publish_at + timedelta(hours=7):%Y/%m}" / slug / "index.html"
        assert not page_file.exists() and slug not in listed(repo)

        # Nobody acts: the clock passes the time, the newsroom's timer builds, the article is public.
        move(minutes=4)
        wait_until(lambda: page_file.is_file() and slug in listed(repo), what="the scheduled article on the site")
        room.builds.wait(300)
        title = BeautifulSoup(page_file.read_text(encoding="utf-8"), "html5lib").select_one("main h1").text
        assert title == "Đoàn viên tình nguyện mùa đông"
        # …and at its expiry it leaves the listings (its page stays, with a notice).
        move(minutes=20)
        wait_until(lambda: slug not in listed(repo), what="the expired article out of the listings")
        assert room.builds.wait(300).ok
        assert "hết hiệu lực" in page_file.read_text(encoding="utf-8")
        admin.goto(base + "/nhat-ky")
        expect(admin.locator("table.audit")).to_contain_text("Tự dựng trang")
        expect(admin.locator("table.audit")).to_contain_text("Hẹn giờ đăng")

        # Two users open the same article: the second sees the lock; quan-tri may take it over.
        hung.goto(f"{base}/bai/sua?tep=2025/tin-1.md")
        hung.get_by_role("textbox", name="Tóm tắt", exact=True).fill("Hùng đang gõ dở")
        admin.goto(f"{base}/bai/sua?tep=2025/tin-1.md")
        expect(admin.locator(".lock-notice")).to_contain_text("Bài này đang được Trần Văn Hùng sửa từ")
        admin.get_by_role("button", name="Nhận quyền sửa").click()
        expect(admin.locator(".lock-notice")).to_have_count(0)
        expect(hung.locator("#lock-lost")).to_contain_text("Quản trị đã nhận quyền sửa bài này")
        kept = room.drafts.load("hung", "2025/tin-1.md")
        assert kept and kept["form"]["summary"] == "Hùng đang gõ dở"
        # Leaving the page releases the lock (sendBeacon from the script).
        admin.goto(base + "/")
        wait_until(lambda: room.flow.locks.holder("2025/tin-1.md", room.now_local()) is None, 10, "lock released")

        # Restore an old version of the scheduled article: a new commit, the old text back.
        hung.goto(f"{base}/bai/lich-su?tep={rel}")
        rows = hung.locator("form.versions tbody tr")
        expect(rows.first).to_contain_text("Hẹn giờ đăng")
        rows.filter(has_text="Thêm bài").get_by_role("button", name="Khôi phục phiên bản này").click()
        expect(hung.get_by_role("status")).to_contain_text("Đã khôi phục phiên bản")
        assert "Đoạn cần sửa." in path.read_text(encoding="utf-8")
        assert header(path, "Status") == "Hẹn giờ đăng"  # restoring never changes what is public
        assert git(repo, "log", "-1", "--format=%an|%s").startswith("Trần Văn Hùng|Khôi phục phiên bản")
        for page in (lan, hung, admin):
            assert page.problems == [], (page.url, page.problems)
            page.context.close()
