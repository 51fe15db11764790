"""A small git-tracked site and a newsroom over it, for the newsroom tests."""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from portal.newsroom.config import Config
from tests.support.sites import article, png_bytes, write_site

PASSWORD = "mat-khau-thu-nghiem-1"
PEOPLE = {
    "people/tran-thi-thu-hoa.md": "Name: Trần Thị Thu Hoà\nRoles:\n    2021-04: Bí thư Đảng ủy Khối các cơ quan tỉnh\n\nTiểu sử.\n",
    "people/nguyen-van-thong.md": "Name: Nguyễn Văn Thông\nRoles:\n    2020-10: Phó Bí thư Thường trực Đảng ủy Khối\n\nTiểu sử.\n",
}


def site_files() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = dict(PEOPLE)
    files["images/logo.png"] = png_bytes(64, 64)
    files["articles/2024/hoi-nghi-dang-uy.md"] = article(
        "Hội nghị Ban Chấp hành Đảng ủy Khối lần thứ 12", "2024-05-01 08:00", "Xây dựng Đảng",
        body="Đoạn mở đầu về hội nghị.\n\nNội dung hội nghị.", Tags="hội nghị, Ban Chấp hành", Author="Minh Châu")
    files["articles/2024/tap-huan.md"] = article(
        "Tập huấn nghiệp vụ công tác kiểm tra", "2024-06-02 09:30", "Kiểm tra - Giám sát",
        body="Tập huấn.", Author="Hồng Nhung", Status="draft")
    for day in range(1, 4):
        files[f"articles/2025/tin-{day}.md"] = article(
            f"Tin đoàn thể số {day}", f"2025-04-{day:02d} 07:30", "Đoàn thể", body=f"Tin số {day}.",
            Author="Quang Vinh")
    return files


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def make_repo(root: Path) -> Path:
    write_site(root, site_files())
    (root / ".gitignore").write_text("output/\n.newsroom/\n.cache/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.name=Thiết lập", "-c", "user.email=setup@example.invalid", "add", "-A")
    git(root, "-c", "user.name=Thiết lập", "-c", "user.email=setup@example.invalid", "commit", "-q", "-m", "Trang ban đầu")
    return root


def config_for(root: Path, **changes) -> Config:
    values = dict(repo=root, data=root / ".newsroom", settings_file="conf.py", build_settings="conf.py",
                  output=root / "output")
    values.update(changes)
    return Config(**values)


CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token in the page"
    return found.group(1)


@dataclass
class Editor:
    client: object
    csrf: str

    def post(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf", self.csrf)
        return self.client.post(url, data=data, follow_redirects=False, **kwargs)


def log_in(client, name: str, password: str = PASSWORD) -> Editor:
    page = client.get("/dang-nhap")
    token = csrf_of(page.text)
    answer = client.post("/dang-nhap", data={"ten": name, "mat_khau": password, "csrf": token}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    home = client.get("/")
    return Editor(client, csrf_of(home.text))
