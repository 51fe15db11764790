"""Every security rule of the newsroom, through its HTTP interface (TestClient)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from starlette.testclient import TestClient

from portal.newsroom.accounts import Accounts
from portal.newsroom.app import create_app
from portal.newsroom.web import COOKIE

from .support import PASSWORD, config_for, csrf_of, git, log_in


def test_login_page_is_vietnamese_and_csp_ready(client):
    page = client.get("/dang-nhap")
    assert page.status_code == 200
    assert "Đăng nhập" in page.text and 'lang="vi"' in page.text
    assert "<style" not in page.text and not re.search(r"<script(?![^>]*\bsrc=)", page.text)
    assert " style=" not in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "http://" not in page.text.replace("http://testserver", "") and "https://" not in page.text


def test_pages_need_login(client):
    for url in ("/", "/bai/moi", "/bai/sua?tep=2024/tap-huan.md", "/xuat-ban", "/goi-y/tin?q=tin"):
        answer = client.get(url, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].endswith("/dang-nhap"), url


def test_session_cookie_flags(client):
    page = client.get("/dang-nhap")
    token = csrf_of(page.text)
    answer = client.post("/dang-nhap", data={"ten": "lan", "mat_khau": PASSWORD, "csrf": token}, follow_redirects=False)
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Max-Age=" in cookie
    assert "Secure" not in cookie  # plain HTTP on loopback
    secure = client.post("/dang-nhap", data={"ten": "lan", "mat_khau": PASSWORD, "csrf": token},
                         follow_redirects=False, headers={"x-forwarded-proto": "https"})
    assert secure.status_code in (303, 403)


def test_secure_cookie_under_https(repo):
    config = config_for(repo)
    Accounts(config.data / "newsroom.sqlite3").set_user("lan", "phong-vien", PASSWORD)
    with TestClient(create_app(config), base_url="https://testserver") as client:
        token = csrf_of(client.get("/dang-nhap").text)
        answer = client.post("/dang-nhap", data={"ten": "lan", "mat_khau": PASSWORD, "csrf": token}, follow_redirects=False)
        assert answer.status_code == 303
        assert "Secure" in answer.headers["set-cookie"]


def test_session_id_changes_at_login_no_fixation(client):
    client.get("/dang-nhap")
    before = client.cookies[COOKIE]
    editor = log_in(client, "lan")
    after = client.cookies[COOKIE]
    assert after != before
    # The id known before login (as an attacker who planted it would know it) opens nothing.
    with TestClient(client.app, base_url="http://testserver") as attacker:
        attacker.cookies.set(COOKIE, before, domain="testserver.local")
        assert attacker.get("/", follow_redirects=False).status_code == 303
        # A made-up id is never adopted either: the server issues its own.
        attacker.cookies.clear()
        attacker.cookies.set(COOKIE, "chosen-by-attacker", domain="testserver.local")
        attacker.get("/dang-nhap")
        assert attacker.cookies[COOKIE] != "chosen-by-attacker"
    assert editor.client.get("/").status_code == 200


def test_wrong_password_and_unknown_user_same_answer(client):
    token = csrf_of(client.get("/dang-nhap").text)
    wrong = client.post("/dang-nhap", data={"ten": "lan", "mat_khau": "sai-mat-khau-roi", "csrf": token})
    unknown = client.post("/dang-nhap", data={"ten": "khong-co", "mat_khau": "sai-mat-khau-roi", "csrf": token})
    assert wrong.status_code == unknown.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in wrong.text and "Tên đăng nhập hoặc mật khẩu không đúng." in unknown.text


def test_brute_force_is_throttled_per_account(client):
    token = csrf_of(client.get("/dang-nhap").text)
    for _ in range(5):
        assert client.post("/dang-nhap", data={"ten": "lan", "mat_khau": "doan-mo-mat-khau", "csrf": token}).status_code == 401
    blocked = client.post("/dang-nhap", data={"ten": "lan", "mat_khau": PASSWORD, "csrf": token}, follow_redirects=False)
    assert blocked.status_code == 429
    assert "quá nhiều lần" in blocked.text
    # Another account from the same address still logs in (below the per-address limit).
    assert client.post("/dang-nhap", data={"ten": "hung", "mat_khau": PASSWORD, "csrf": token},
                       follow_redirects=False).status_code == 303


def test_brute_force_is_throttled_per_address(repo):
    config = config_for(repo, login_limit_address=6, login_limit_account=100)
    Accounts(config.data / "newsroom.sqlite3").set_user("lan", "phong-vien", PASSWORD)
    with TestClient(create_app(config)) as client:
        token = csrf_of(client.get("/dang-nhap").text)
        for number in range(6):
            client.post("/dang-nhap", data={"ten": f"nguoi-{number}", "mat_khau": "x" * 12, "csrf": token})
        blocked = client.post("/dang-nhap", data={"ten": "lan", "mat_khau": PASSWORD, "csrf": token}, follow_redirects=False)
        assert blocked.status_code == 429


def test_throttle_ends_after_the_window(repo):
    now = [datetime(2026, 1, 1, 8, 0, tzinfo=timezone.utc)]
    config = config_for(repo)
    Accounts(config.data / "newsroom.sqlite3").set_user("lan", "phong-vien", PASSWORD)
    with TestClient(create_app(config, clock=lambda: now[0])) as client:
        token = csrf_of(client.get("/dang-nhap").text)
        for _ in range(5):
            client.post("/dang-nhap", data={"ten": "lan", "mat_khau": "doan-mo-mat-khau", "csrf": token})
        assert client.post("/dang-nhap", data={"ten": "lan", "mat_khau": PASSWORD, "csrf": token}).status_code == 429
        now[0] += timedelta(minutes=16)
        assert client.post("/dang-nhap", data={"ten": "lan", "mat_khau": PASSWORD, "csrf": token},
                           follow_redirects=False).status_code == 303


def test_session_expires(repo):
    now = [datetime(2026, 1, 1, 8, 0, tzinfo=timezone.utc)]
    config = config_for(repo, session_hours=1.0)
    Accounts(config.data / "newsroom.sqlite3").set_user("lan", "phong-vien", PASSWORD)
    with TestClient(create_app(config, clock=lambda: now[0])) as client:
        log_in(client, "lan")
        assert client.get("/", follow_redirects=False).status_code == 200
        now[0] += timedelta(minutes=61)
        assert client.get("/", follow_redirects=False).status_code == 303


POSTS = [
    ("/bai/luu", {"tep": "2024/tap-huan.md", "title": "X", "category": "Đoàn thể", "date": "2024-06-02T09:30"}),
    ("/bai/dang", {"tep": "2024/tap-huan.md", "title": "X", "category": "Đoàn thể", "date": "2024-06-02T09:30"}),
    ("/bai/go", {"tep": "2024/hoi-nghi-dang-uy.md", "title": "X", "category": "Xây dựng Đảng", "date": "2024-05-01T08:00"}),
    ("/bai/tu-luu", {"tep": "2024/tap-huan.md", "title": "X"}),
    ("/bai/xem-truoc", {"title": "X", "category": "Đoàn thể", "date": "2024-06-02T09:30"}),
    ("/mat-khau", {"mat_khau_cu": PASSWORD, "mat_khau_moi": "mat-khau-moi-12345", "nhap_lai": "mat-khau-moi-12345"}),
    ("/dang-xuat", {}),
]


@pytest.mark.parametrize("url,data", POSTS, ids=[u for u, _ in POSTS])
@pytest.mark.parametrize("token", ["", "sai-ma"], ids=["no-csrf", "wrong-csrf"])
def test_state_changing_requests_need_csrf(client, repo, url, data, token):
    log_in(client, "admin")
    head = git(repo, "rev-parse", "HEAD")
    before = {p: p.read_bytes() for p in (repo / "content").rglob("*.md")}
    fields = dict(data)
    if token:
        fields["csrf"] = token
    answer = client.post(url, data=fields, follow_redirects=False)
    assert answer.status_code == 403
    assert git(repo, "rev-parse", "HEAD") == head
    assert {p: p.read_bytes() for p in (repo / "content").rglob("*.md")} == before
    assert client.get("/", follow_redirects=False).status_code == 200  # still logged in: nothing happened


def test_login_needs_csrf(client):
    client.get("/dang-nhap")
    assert client.post("/dang-nhap", data={"ten": "lan", "mat_khau": PASSWORD}).status_code == 403


def test_upload_needs_csrf(client, repo):
    log_in(client, "lan")
    from tests.support.sites import png_bytes
    answer = client.post("/tai-len", files={"tep": ("a.png", png_bytes(), "image/png")}, data={"csrf": "sai"})
    assert answer.status_code == 403
    assert not list((repo / "content" / "images").rglob("a*.png"))


def test_cross_origin_post_refused(client):
    editor = log_in(client, "admin")
    answer = editor.post("/bai/tu-luu", {"title": "X"}, headers={"origin": "https://evil.example"})
    assert answer.status_code == 403


@pytest.mark.parametrize("url", ["/bai/dang", "/bai/go"])
def test_reporter_cannot_publish_or_unpublish(client, repo, url):
    editor = log_in(client, "lan")
    rel = "2024/tap-huan.md" if url == "/bai/dang" else "2024/hoi-nghi-dang-uy.md"
    form = editor.client.get(f"/bai/sua?tep={rel}").text
    assert "Đăng bài" not in re.sub(r"<h1>.*?</h1>", "", form) or url == "/bai/go"
    base = re.search(r'name="base_hash" value="([^"]+)"', form).group(1)
    head = git(repo, "rev-parse", "HEAD")
    before = (repo / "content" / "articles" / rel).read_bytes()
    answer = editor.post(url, {"tep": rel, "base_hash": base, "title": "Bài đăng trộm", "category": "Xây dựng Đảng",
                               "date": "2024-06-02T09:30"})
    assert answer.status_code == 403
    assert (repo / "content" / "articles" / rel).read_bytes() == before
    assert git(repo, "rev-parse", "HEAD") == head


def test_editor_limited_to_categories(client, repo):
    editor = log_in(client, "mai")  # bien-tap for "Đoàn thể" only
    form = editor.client.get("/bai/sua?tep=2024/tap-huan.md").text
    base = re.search(r'name="base_hash" value="([^"]+)"', form).group(1)
    answer = editor.post("/bai/dang", {"tep": "2024/tap-huan.md", "base_hash": base, "title": "Tập huấn",
                                       "category": "Kiểm tra - Giám sát", "date": "2024-06-02T09:30"})
    assert answer.status_code == 403


@pytest.mark.parametrize("rel", ["../conf.py", "../../etc/passwd", "/etc/passwd", "2024/../../conf.py",
                                 "2024/tap-huan.md/../../../conf.py", "..%2Fconf.py", "2024/.hidden.md", "2024/x.txt"])
def test_path_traversal_refused(client, repo, rel):
    editor = log_in(client, "admin")
    assert editor.client.get("/bai/sua", params={"tep": rel}).status_code in (400, 404)
    head = git(repo, "rev-parse", "HEAD")
    answer = editor.post("/bai/luu", {"tep": rel, "title": "X", "category": "Đoàn thể", "date": "2024-06-02T09:30",
                                      "body": "x"})
    assert answer.status_code in (400, 404)
    assert git(repo, "rev-parse", "HEAD") == head
    assert (repo / "conf.py").read_text(encoding="utf-8").startswith("\nfrom pelicanconf")


def test_preview_files_stay_inside(client):
    log_in(client, "admin")
    for path in ("../conf.py", "theme/../../conf.py", "..%2F..%2Fconf.py", "anh/../../conf.py"):
        assert client.get(f"/xem-truoc/trang/{path}").status_code == 404


def test_password_change_then_old_password_fails(client):
    editor = log_in(client, "lan")
    answer = editor.post("/mat-khau", {"mat_khau_cu": PASSWORD, "mat_khau_moi": "mat-khau-moi-12345",
                                       "nhap_lai": "mat-khau-moi-12345"})
    assert answer.status_code == 200 and "Đã đổi mật khẩu" in answer.text
    assert client.get("/", follow_redirects=False).status_code == 200  # this session goes on
    client.cookies.clear()
    token = csrf_of(client.get("/dang-nhap").text)
    assert client.post("/dang-nhap", data={"ten": "lan", "mat_khau": PASSWORD, "csrf": token}).status_code == 401
    assert client.post("/dang-nhap", data={"ten": "lan", "mat_khau": "mat-khau-moi-12345", "csrf": token},
                       follow_redirects=False).status_code == 303


def test_logout_ends_the_session(client):
    editor = log_in(client, "lan")
    cookie = client.cookies[COOKIE]
    assert editor.post("/dang-xuat").status_code == 303
    client.cookies.set(COOKIE, cookie)
    assert client.get("/", follow_redirects=False).status_code == 303


def test_passwords_are_argon2_hashes(repo, newsroom):
    import sqlite3
    rows = sqlite3.connect(repo / ".newsroom" / "newsroom.sqlite3").execute("SELECT hash FROM users").fetchall()
    assert rows and all(h.startswith("$argon2id$") for (h,) in rows)
    assert all(PASSWORD not in h for (h,) in rows)
