"""Every role × workflow action on the server: allowed ones go through, the others get 403 and change nothing."""
from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from portal.newsroom.app import create_app

from .support import git, log_in
from .workflow_support import add_article, edit_data, head

REL = "2025/bai-quy-trinh.md"
FUTURE = "2099-01-01T08:00"
# action -> (route, status before, owner, status after when allowed, extra form fields)
ACTIONS = {
    "luu-bai-cua-minh": ("/bai/luu", "Nháp", "lan", "Nháp", {}),
    "luu-bai-nguoi-khac": ("/bai/luu", "Nháp", "", "Nháp", {}),
    "sua-bai-da-dang": ("/bai/luu", "Đã đăng", "lan", "Đã đăng", {}),
    "gui-duyet": ("/bai/gui-duyet", "Nháp", "lan", "Chờ duyệt", {}),
    "tra-lai": ("/bai/tra-lai", "Chờ duyệt", "lan", "Trả lại", {"reason": "Thiếu nguồn tin"}),
    "duyet": ("/bai/duyet", "Chờ duyệt", "lan", "Đã duyệt", {}),
    "hen-gio": ("/bai/hen-gio", "Đã duyệt", "lan", "Hẹn giờ đăng", {"date": FUTURE}),
    "dang-bai": ("/bai/dang", "Đã duyệt", "lan", "Đã đăng", {}),
    "go-bai": ("/bai/go", "Đã đăng", "lan", "Gỡ xuống", {}),
}
# Who may, by the default rights: "cat" = only in the editor's own category (mai: Đoàn thể).
MAY = {
    "luu-bai-cua-minh": {"lan": True, "hung": True, "mai": "cat", "admin": True},
    "luu-bai-nguoi-khac": {"lan": False, "hung": True, "mai": "cat", "admin": True},
    "sua-bai-da-dang": {"lan": False, "hung": True, "mai": "cat", "admin": True},
    "gui-duyet": {"lan": True, "hung": True, "mai": "cat", "admin": True},
    "tra-lai": {"lan": False, "hung": True, "mai": "cat", "admin": True},
    "duyet": {"lan": False, "hung": True, "mai": "cat", "admin": True},
    "hen-gio": {"lan": False, "hung": True, "mai": "cat", "admin": True},
    "dang-bai": {"lan": False, "hung": True, "mai": "cat", "admin": True},
    "go-bai": {"lan": False, "hung": True, "mai": "cat", "admin": True},
}
SHOWN = {"lan": "Nguyễn Thị Lan", "hung": "Trần Văn Hùng", "mai": "Lê Thị Mai", "admin": "Quản trị"}
CASES = [(action, user, category) for action in ACTIONS for user in ("lan", "hung", "mai", "admin")
         for category in ("Đoàn thể", "Xây dựng Đảng")]


@pytest.mark.parametrize("action,user,category", CASES, ids=[f"{a}-{u}-{c[:3]}" for a, u, c in CASES])
def test_role_and_action(config, repo, action, user, category):
    route, before, owner, after, extra = ACTIONS[action]
    path = add_article(repo, REL, "Bài trong quy trình", before, category, owner, date="2025-05-02 08:00")
    app = create_app(config)
    builds = []
    app.state.newsroom.builds.request = builds.append  # the build itself is tested elsewhere
    with TestClient(app) as client:
        editor = log_in(client, user)
        data = edit_data(client, REL) | extra
        text, commit = path.read_bytes(), head(repo)
        answer = editor.post(route, data)
        may = MAY[action][user]
        if may == "cat":
            may = category == "Đoàn thể"
        if may:
            assert answer.status_code == 303, answer.text
            assert f"Status: {after}" in path.read_text(encoding="utf-8")
            if before != after:
                assert head(repo) != commit
                assert git(repo, "log", "-1", "--format=%an").strip() == SHOWN[user]
        else:
            assert answer.status_code == 403, (answer.status_code, answer.text[:500])
            assert "không có quyền" in answer.text
            assert path.read_bytes() == text and head(repo) == commit and builds == []


@pytest.mark.parametrize("user,expected", [("lan", 403), ("hung", 403), ("mai", 403), ("admin", 303)])
def test_only_quan_tri_sets_rights(client, user, expected):
    editor = log_in(client, user)
    assert client.get("/phan-quyen").status_code == (200 if expected == 303 else 403)
    answer = editor.post("/phan-quyen", {"phong-vien.quyen": ["write"], "bien-tap.quyen": ["write", "edit"]})
    assert answer.status_code == expected
    rights = client.app.state.newsroom.flow.rights.table()
    if expected == 303:
        assert rights["phong-vien"][0] == {"write"}  # a reporter may no longer submit
    else:
        assert "submit" in rights["phong-vien"][0]


def test_rights_set_by_quan_tri_are_enforced(config, repo):
    add_article(repo, REL, "Bài trong quy trình", "Chờ duyệt", "Xây dựng Đảng", "lan")
    app = create_app(config)
    with TestClient(app) as client:
        admin = log_in(client, "admin")
        # Editors: approve only in Đoàn thể, never publish.
        rights = {"bien-tap.quyen": ["write", "edit", "approve", "return"], "bien-tap.chuyen_muc": ["Đoàn thể"],
                  "phong-vien.quyen": ["write", "submit"]}
        assert admin.post("/phan-quyen", rights).status_code == 303
        assert "Đã lưu phân quyền" in client.get("/phan-quyen?da-luu=1").text
        client.cookies.clear()
        editor = log_in(client, "hung")
        data = edit_data(client, REL)
        assert editor.post("/bai/duyet", data).status_code == 403  # Xây dựng Đảng: not theirs any more
        assert "/bai/duyet" not in client.get(f"/bai/sua?tep={REL}").text  # nor is the button shown
        assert editor.post("/bai/dang", data).status_code == 403  # nobody but quan-tri publishes now
        add_article(repo, "2025/doan-the.md", "Bài đoàn thể", "Chờ duyệt", "Đoàn thể", "lan")
        assert editor.post("/bai/duyet", edit_data(client, "2025/doan-the.md")).status_code == 303
