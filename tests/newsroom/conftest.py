from __future__ import annotations

import shutil

import pytest
from starlette.testclient import TestClient

from portal.newsroom.accounts import Accounts
from portal.newsroom.app import create_app

from .support import PASSWORD, config_for, make_repo

USERS = [("lan", "phong-vien", (), "Nguyễn Thị Lan"), ("hung", "bien-tap", (), "Trần Văn Hùng"),
         ("mai", "bien-tap", ("Đoàn thể",), "Lê Thị Mai"), ("admin", "quan-tri", (), "Quản trị")]


@pytest.fixture(scope="session")
def accounts_file(tmp_path_factory):
    """The test accounts hashed once (argon2 is slow on purpose), copied into each test's data folder."""
    path = tmp_path_factory.mktemp("accounts") / "newsroom.sqlite3"
    accounts = Accounts(path)
    for name, role, categories, display in USERS:
        accounts.set_user(name, role, PASSWORD, categories, display)
    accounts._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    accounts._db.close()
    return path


@pytest.fixture
def repo(tmp_path):
    return make_repo(tmp_path / "site")


@pytest.fixture
def config(repo, accounts_file):
    config = config_for(repo)
    config.data.mkdir(parents=True, exist_ok=True)
    shutil.copy(accounts_file, config.data / "newsroom.sqlite3")
    return config


@pytest.fixture
def newsroom(config):
    return create_app(config)


@pytest.fixture
def client(newsroom):
    with TestClient(newsroom, base_url="http://testserver") as client:
        yield client
