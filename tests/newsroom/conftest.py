from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from portal.newsroom.accounts import Accounts
from portal.newsroom.app import create_app

from .support import PASSWORD, config_for, make_repo


@pytest.fixture
def repo(tmp_path):
    return make_repo(tmp_path / "site")


@pytest.fixture
def newsroom(repo):
    config = config_for(repo)
    accounts = Accounts(config.data / "newsroom.sqlite3")
    accounts.set_user("lan", "phong-vien", PASSWORD, display="Nguyễn Thị Lan")
    accounts.set_user("hung", "bien-tap", PASSWORD, display="Trần Văn Hùng")
    accounts.set_user("mai", "bien-tap", PASSWORD, ("Đoàn thể",), display="Lê Thị Mai")
    accounts.set_user("admin", "quan-tri", PASSWORD)
    return create_app(config)


@pytest.fixture
def client(newsroom):
    with TestClient(newsroom, base_url="http://testserver") as client:
        yield client
