"""The workflow through the server: submit, return with a reason, resubmit, review diff, approve, schedule;
refusals (past schedule, expiry before publication, stale version, lock); Việc của tôi; history, restore, audit;
the publishing timer's check."""
from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from starlette.testclient import TestClient

from portal.cli import due
from portal.newsroom.app import create_app

from .support import git, log_in
from .workflow_support import Clock, add_article, edit_data, head, header, vn


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def app(config, clock):
    app = create_app(config, clock=clock)
    app.state.builds = []
    app.state.newsroom.builds.request = app.state.builds.append  # real builds: test_workflow_browser.py
    return app


def client_for(app, name):
    client = TestClient(app)
    return log_in(client, name)


def soup(answer):
    return BeautifulSoup(answer.text, "html5lib")


def test_submit_return_resubmit_approve_schedule(app, repo, clock):
    lan, hung = client_for(app, "lan"), client_for(app, "hung")
    new = lan.post("/bai/luu", {"title": "Hội nghị sơ kết quý", "category": "Đoàn thể", "date": "2025-06-01T08:00",
                                "body": "Đoạn mở đầu.\n\nĐoạn thứ hai cũ."})
    assert new.status_code == 303
    rel = "2025/hoi-nghi-so-ket-quy.md"
    path = repo / "content/articles" / rel
    assert lan.post("/bai/gui-duyet", edit_data(lan.client, rel)).status_code == 303
    assert header(path, "Status") == "Chờ duyệt"
    assert git(repo, "log", "-1", "--format=%an|%s").strip() == "Nguyễn Thị Lan|Gửi duyệt: Hội nghị sơ kết quý"
    # The editor has it waiting; the reporter sees it as theirs, in review.
    assert "Hội nghị sơ kết quý" in soup(hung.client.get("/viec-cua-toi")).select_one("section[aria-labelledby=cho-duyet]").text
    assert "Chờ duyệt" in soup(lan.client.get("/viec-cua-toi")).select_one("section[aria-labelledby=cua-toi]").text
    # Returning needs a reason, named by its field.
    data = edit_data(hung.client, rel)
    refused = hung.post("/bai/tra-lai", data)
    assert refused.status_code == 422
    assert "Lý do" in soup(refused).select_one("#loi-reason").text
    assert header(path, "Status") == "Chờ duyệt"
    assert hung.post("/bai/tra-lai", data | {"reason": "Thiếu  nguồn tin\nvà ảnh"}).status_code == 303
    assert header(path, "Status") == "Trả lại" and header(path, "Reason") == "Thiếu nguồn tin và ảnh"
    returned = soup(lan.client.get("/viec-cua-toi")).select_one("section[aria-labelledby=tra-lai]")
    assert "Hội nghị sơ kết quý" in returned.text and "Lý do: Thiếu nguồn tin và ảnh" in returned.text
    assert "Trần Văn Hùng" in returned.text
    # The reporter fixes and resubmits; the reason goes.
    fixed = edit_data(lan.client, rel) | {"source": "Văn phòng Đảng ủy"}
    assert lan.post("/bai/gui-duyet", fixed).status_code == 303
    assert header(path, "Status") == "Chờ duyệt" and header(path, "Reason") is None
    assert hung.post("/bai/duyet", edit_data(hung.client, rel)).status_code == 303
    assert header(path, "Status") == "Đã duyệt"
    # After an approval, the next review shows only what changed since, rendered, block by block.
    assert hung.post("/bai/tra-lai", edit_data(hung.client, rel) | {"reason": "Sửa đoạn hai"}).status_code == 303
    changed = edit_data(lan.client, rel)
    changed["body"] = changed["body"].replace("Đoạn thứ hai cũ.", "Đoạn thứ hai **mới**.")
    assert lan.post("/bai/gui-duyet", changed).status_code == 303
    review = soup(hung.client.get(f"/bai/sua?tep={rel}")).select_one("#thay-doi")
    assert [d.text for d in review.select("del")] == ["Đoạn thứ hai cũ."]
    assert review.select_one("ins p strong").text == "mới"
    assert "Đoạn mở đầu." in review.text and "**" not in review.text
    # Scheduling in the past is refused with the field named; a time ahead is kept and queues a build.
    data = edit_data(hung.client, rel)
    past = hung.post("/bai/hen-gio", data | {"date": vn(clock.now - timedelta(minutes=5))})
    assert past.status_code == 422 and "Ngày đăng" in soup(past).select_one("#loi-date1").text
    assert header(path, "Status") == "Chờ duyệt"
    ahead = clock.now + timedelta(minutes=3)
    assert hung.post("/bai/hen-gio", data | {"date": vn(ahead)}).status_code == 303
    assert header(path, "Status") == "Hẹn giờ đăng"
    assert header(path, "Date") == vn(ahead).replace("T", " ")
    assert app.state.builds == ["Hẹn giờ đăng: Hội nghị sơ kết quý"]
    events = soup(hung.client.get("/nhat-ky")).select("table.audit tbody tr")
    assert [e.select("td")[2].text for e in events] == ["Hẹn giờ đăng", "Gửi duyệt", "Trả lại", "Duyệt", "Gửi duyệt",
                                                        "Trả lại", "Gửi duyệt"]
    assert "Thiếu nguồn tin và ảnh" in events[5].text


def test_expiry_before_publication_is_refused_with_the_field_named(app, repo):
    hung = client_for(app, "hung")
    rel = "2025/tin-1.md"
    path = repo / "content/articles" / rel
    before = path.read_bytes()
    refused = hung.post("/bai/luu", edit_data(hung.client, rel) | {"expires": "2025-04-01T07:00"})
    assert refused.status_code == 422
    assert "Hết hạn lúc" in soup(refused).select_one("#loi-expires").text and "Ngày đăng" in refused.text
    assert path.read_bytes() == before
    assert hung.post("/bai/luu", edit_data(hung.client, rel) | {"expires": "2025-05-01T17:00"}).status_code == 303
    assert header(path, "Expires") == "2025-05-01 17:00"
    assert soup(hung.client.get(f"/bai/sua?tep={rel}")).select_one("#expires")["value"] == "2025-05-01T17:00"
    assert hung.post("/bai/luu", edit_data(hung.client, rel) | {"expires": ""}).status_code == 303
    assert header(path, "Expires") is None


def test_acting_on_a_stale_version_is_refused(app, repo):
    add_article(repo, "2025/cu.md", "Bài chờ duyệt", "Chờ duyệt", owner="lan")
    hung = client_for(app, "hung")
    data = edit_data(hung.client, "2025/cu.md")
    path = repo / "content/articles/2025/cu.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Đoạn hai.", "Đoạn hai, sửa tay."), encoding="utf-8")
    edited, commit = path.read_bytes(), head(repo)
    for route, extra in (("/bai/duyet", {}), ("/bai/tra-lai", {"reason": "x"}), ("/bai/luu", {})):
        answer = hung.post(route, data | extra)
        assert answer.status_code == 409, route
        assert "vừa được sửa ở nơi khác" in answer.text
        assert path.read_bytes() == edited and head(repo) == commit


def test_edit_lock_shown_refused_taken_over_and_freed_when_idle(app, repo, clock):
    rel = "2025/tin-2.md"
    path = repo / "content/articles" / rel
    hung, mai, admin = client_for(app, "hung"), client_for(app, "mai"), client_for(app, "admin")
    mine = edit_data(hung.client, rel)  # hung opens: the lock is his
    opened = clock.now.astimezone(app.state.newsroom.zone)
    page = soup(mai.client.get(f"/bai/sua?tep={rel}"))
    assert page.select_one(".lock-notice").text.strip().startswith(
        f"Bài này đang được Trần Văn Hùng sửa từ {opened:%H:%M}.")
    assert page.select_one(".lock-notice button") is None  # the same role cannot take it over
    theirs = edit_data(mai.client, rel)
    theirs["body"] = "Mai gõ dở."
    before = path.read_bytes()
    refused = mai.post("/bai/luu", theirs)
    assert refused.status_code == 409 and "đang được Trần Văn Hùng sửa" in refused.text
    assert path.read_bytes() == before
    assert soup(refused).select_one("#body").text.strip() == "Mai gõ dở."  # nothing typed is lost
    assert mai.post("/bai/khoa/nhan", {"tep": rel}).status_code == 403
    # quan-tri outranks him: takes it over; his next heartbeat says so and his typing stays his.
    assert "Nhận quyền sửa" in admin.client.get(f"/bai/sua?tep={rel}").text
    assert admin.post("/bai/khoa/nhan", {"tep": rel}).status_code == 303
    beat = hung.client.post("/bai/khoa/giu", data={"tep": rel}, headers={"X-CSRF-Token": hung.csrf}).json()
    assert beat["ok"] is False and "Quản trị đã nhận quyền sửa" in beat["message"]
    mine["body"] = "Hùng gõ dở, chưa lưu."
    hung.client.post("/bai/tu-luu", data=mine, headers={"X-CSRF-Token": hung.csrf})
    assert hung.post("/bai/luu", mine).status_code == 409
    assert admin.post("/bai/luu", edit_data(admin.client, rel) | {"summary": "Tóm tắt mới"}).status_code == 303
    page = soup(hung.client.get(f"/bai/sua?tep={rel}"))
    assert "Quản trị đã nhận quyền sửa" in page.text
    assert page.select_one("#wf-kept-body").text == "Hùng gõ dở, chưa lưu."
    # Released on save (admin saved, then left): hung holds it again; idle locks expire.
    assert "lock-notice" not in str(page)
    assert "lock-notice" in mai.client.get(f"/bai/sua?tep={rel}").text
    clock.move(minutes=6)
    assert "lock-notice" not in mai.client.get(f"/bai/sua?tep={rel}").text
    # Leaving the page (sendBeacon) frees it at once.
    assert mai.post("/bai/khoa/nha", {"tep": rel}).status_code == 204
    assert "lock-notice" not in hung.client.get(f"/bai/sua?tep={rel}").text


def test_history_compare_and_restore(app, repo):
    rel = "2025/tin-3.md"
    path = repo / "content/articles" / rel
    hung = client_for(app, "hung")
    first = edit_data(hung.client, rel)
    assert hung.post("/bai/luu", first | {"body": "Bản thứ hai.\n\nThêm đoạn."}).status_code == 303
    assert hung.post("/bai/luu", edit_data(hung.client, rel) | {"body": "Bản thứ ba."}).status_code == 303
    page = soup(hung.client.get(f"/bai/lich-su?tep={rel}"))
    rows = page.select("form.versions tbody tr")
    assert [r.select("td")[4].text for r in rows] == ["Sửa bài: Tin đoàn thể số 3", "Sửa bài: Tin đoàn thể số 3",
                                                      "Trang ban đầu"]
    assert rows[0].select("td")[3].text == "Trần Văn Hùng"
    commits = [r.select_one("input[name=tu]")["value"] for r in rows]
    diff = soup(hung.client.get(f"/bai/lich-su/so-sanh?tep={rel}&tu={commits[2]}&den={commits[0]}")).select_one("#thay-doi")
    assert [d.text for d in diff.select("del")] == ["Tin số 3."] and [i.text for i in diff.select("ins")] == ["Bản thứ ba."]
    form = page.select_one(f"form#khoi-phuc-{commits[2][:8]}")
    data = {i["name"]: i["value"] for i in form.select("input")}
    assert hung.client.post("/bai/khoi-phuc", data=data, follow_redirects=False).status_code == 303
    assert "Tin số 3." in path.read_text(encoding="utf-8")
    assert git(repo, "log", "-1", "--format=%an|%s").strip().startswith("Trần Văn Hùng|Khôi phục phiên bản")
    assert len(git(repo, "log", "--format=%H", "--", f"content/articles/{rel}").split()) == 4
    # The form's token was for the old text: a second restore from the same page is stale.
    assert hung.client.post("/bai/khoi-phuc", data=data, follow_redirects=False).status_code == 409
    lan = client_for(app, "lan")
    assert lan.post("/bai/khoi-phuc", data).status_code == 403


def test_the_timer_queues_a_build_when_a_scheduled_time_comes(app, repo, config, clock):
    room = app.state.newsroom
    assert room.flow.tick() == []  # never built here: nothing to compare with
    when = clock.now + timedelta(minutes=3)
    add_article(repo, "2025/hen.md", "Bài hẹn giờ", "Hẹn giờ đăng", date=vn(when).replace("T", " "), owner="lan")
    due.record_build(config.output, clock.now.astimezone(room.zone))
    assert room.flow.tick() == [] and app.state.builds == []
    clock.move(minutes=4)
    found = room.flow.tick()
    assert found == ["content/articles/2025/hen.md"]
    assert app.state.builds == ["Đến giờ đăng hoặc hết hạn: hen.md"]
    assert "Tự dựng trang" in client_for(app, "hung").client.get("/nhat-ky").text
