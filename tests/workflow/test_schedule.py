"""Statuses in the header; scheduled publishing and expiry decided by the build at its time
(the clock moved with PORTAL_CLOCK); `make check` explains them; `portal due` says when to rebuild."""
from __future__ import annotations

import json
from datetime import datetime

import pytest

from portal.core import workflow
from tests.support.sites import SITE_URL, article, build_site, publish_settings, run_portal, write_site

BEFORE = "2026-03-02T08:59:00+07:00"  # just before the scheduled time
AFTER = "2026-03-02T09:00:30+07:00"  # just after it
LATER = "2026-04-01T10:00:00+07:00"  # after the expiry

FILES = {
    "articles/2026/cu.md": article("Tin đã đăng", "2026-03-01 08:00", "Tin hoạt động", body="Tin cũ đã đăng."),
    "articles/2026/hen-gio.md": article("Hội nghị hẹn giờ", "2026-03-02 09:00", "Tin hoạt động",
                                        body="Bài hẹn giờ đăng.", Status="Hẹn giờ đăng", Expires="2026-03-31 17:00"),
    "articles/2026/cho-duyet.md": article("Bài chờ duyệt", "2026-02-01 08:00", "Tin hoạt động", Status="Chờ duyệt"),
    "articles/2026/tra-lai.md": article("Bài trả lại", "2026-02-01 08:00", "Tin hoạt động", Status="Trả lại",
                                        Reason="Thiếu nguồn tin"),
}
SCHEDULED = "/2026/03/hoi-nghi-hen-gio/"


def published(root, clock: str, output: str = "output", settings: str = ""):
    write_site(root, FILES, settings=publish_settings(root) + settings)
    return build_site(root, output, env={"SITEURL": SITE_URL, "PORTAL_CLOCK": clock})


def listed_urls(site) -> set[str]:
    home = {a["href"] for a in site.page("/").select("main a[href]")}
    category = {a["href"] for a in site.page("/chuyen-muc/tin-hoat-dong/").select("main a[href]")}
    return {h.replace(SITE_URL, "") for h in home | category}


def everywhere(site) -> str:
    """Feeds, sitemap and the search index's pages, as text."""
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in site.output.rglob("*")
             if p.is_file() and p.suffix in {".xml", ".json"}]
    return "\n".join(texts)


@pytest.mark.parametrize("written, key", [
    ("Nháp", workflow.DRAFT), ("chờ duyệt", workflow.PENDING), ("TRẢ LẠI", workflow.RETURNED),
    ("Đã duyệt", workflow.APPROVED), ("Hẹn  giờ đăng", workflow.SCHEDULED), ("Đã đăng", workflow.PUBLISHED),
    ("Gỡ xuống", workflow.WITHDRAWN), ("Hết hạn", workflow.EXPIRED), ("draft", workflow.DRAFT),
    ("published", workflow.PUBLISHED), ("Ha\u0300\u0302n", None),
])
def test_statuses_as_editors_write_them(written, key):
    if key is None:
        with pytest.raises(workflow.StatusError, match="dùng một trong: Nháp, Chờ duyệt"):
            workflow.parse_status(written)
    else:
        assert workflow.parse_status(written) == key


def test_a_scheduled_article_is_public_only_from_its_time_and_leaves_every_listing_at_its_expiry(tmp_path):
    root = tmp_path / "site"
    before = published(root, BEFORE)
    assert before.returncode == 0, before.stderr
    assert not before.exists(SCHEDULED)
    assert SCHEDULED not in listed_urls(before) and "hoi-nghi-hen-gio" not in everywhere(before)
    assert not before.exists("/2026/02/bai-cho-duyet/") and not before.exists("/2026/02/bai-tra-lai/")

    after = published(root, AFTER)
    assert after.returncode == 0, after.stderr
    assert after.page(SCHEDULED).select_one("main h1").get_text() == "Hội nghị hẹn giờ"
    assert SCHEDULED in listed_urls(after)
    assert "hoi-nghi-hen-gio" in everywhere(after)  # feeds, sitemap, search
    assert after.page(SCHEDULED).select(".expired-notice") == []

    later = published(root, LATER)
    assert later.returncode == 0, later.stderr
    page = later.page(SCHEDULED)
    assert "Bài viết đã hết hiệu lực từ Thứ Ba, 31/03/2026 | 17:00" in page.select_one(".expired-notice").get_text()
    assert SCHEDULED not in listed_urls(later)
    assert "hoi-nghi-hen-gio" not in everywhere(later)

    removed = published(root, LATER, output="removed", settings='CONTENT_SCHEMA_EXPIRED = "remove"\n')
    assert removed.returncode == 0, removed.stderr
    assert not removed.exists(SCHEDULED)


def test_check_explains_scheduled_and_expired_articles_and_refuses_what_cannot_be(tmp_path):
    files = dict(FILES)
    files["articles/2026/tuong-lai.md"] = article("Đăng sớm", "2026-03-05 08:00", "Tin hoạt động", Status="Đã đăng")
    files["articles/2026/het-truoc.md"] = article("Hết trước khi đăng", "2026-03-01 08:00", "Tin hoạt động",
                                                  Expires="2026-02-01 08:00")
    root = write_site(tmp_path / "site", files)
    result = run_portal("check", root, "-s", "conf.py", env={"PORTAL_CLOCK": BEFORE})
    assert result.returncode == 1
    err = result.stderr
    assert "content/articles/2026/hen-gio.md:4: ghi chú: bài hẹn giờ đăng lúc 09:00 ngày 02/03/2026" in err
    assert "content/articles/2026/tuong-lai.md:2: lỗi: trường 'Date': 2026-03-05 08:00 ở tương lai" in err
    assert "'Status: Hẹn giờ đăng'" in err
    assert "content/articles/2026/het-truoc.md:4: lỗi: trường 'Expires': 2026-02-01 08:00 không sau ngày đăng" in err
    assert "hen-gio.md:2: lỗi" not in err
    later = run_portal("check", root, "-s", "conf.py", "content/articles/2026/hen-gio.md", env={"PORTAL_CLOCK": LATER})
    assert later.returncode == 0, later.stderr
    assert "hen-gio.md:5: ghi chú: bài đã hết hạn từ 17:00 ngày 31/03/2026" in later.stderr
    one = run_portal("check", root, "-s", "conf.py", "content/articles/2026/tuong-lai.md", env={"PORTAL_CLOCK": BEFORE})
    assert "tuong-lai.md:2: lỗi: trường 'Date': 2026-03-05 08:00 ở tương lai" in one.stderr


def test_due_says_when_the_site_needs_a_build(tmp_path):
    root = tmp_path / "site"
    assert published(root, BEFORE).returncode == 0
    stamp = json.loads((root / ".output.built").read_text(encoding="utf-8"))
    assert datetime.fromisoformat(stamp["read_at"]) == datetime.fromisoformat(BEFORE)

    def due(clock: str):
        return run_portal("due", root, "-s", "conf.py", "-o", "output", env={"PORTAL_CLOCK": clock, "SITEURL": SITE_URL})

    waiting = due(BEFORE)
    assert waiting.returncode == 3 and "Chưa có bài nào đến giờ" in waiting.stdout
    now_due = due(AFTER)
    assert now_due.returncode == 0 and "content/articles/2026/hen-gio.md" in now_due.stdout
    assert published(root, AFTER).returncode == 0
    assert due(AFTER).returncode == 3
    assert due(LATER).returncode == 0  # the expiry
