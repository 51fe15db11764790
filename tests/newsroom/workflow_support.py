"""Helpers for the workflow tests: articles in a given status and owner, a movable clock, form data."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from bs4 import BeautifulSoup

from tests.support.sites import article

from .support import git


class Clock:
    """A clock the test moves (the newsroom's ``clock`` argument); UTC like the system clock."""

    def __init__(self, start: datetime | None = None):
        self.now = start or datetime.now(timezone.utc).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def move(self, **delta) -> None:
        self.now += timedelta(**delta)


def add_article(repo: Path, rel: str, title: str, status: str, category: str = "Đoàn thể", owner: str = "",
                date: str = "2025-05-02 08:00", body: str = "Đoạn một.\n\nĐoạn hai.", **meta: str) -> Path:
    """Write ``content/articles/rel`` and commit it, as ``owner`` from the newsroom when given."""
    path = repo / "content" / "articles" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(article(title, date, category, body=body, Status=status, **meta), encoding="utf-8")
    name, email = (owner, f"{owner}@phong-bien-tap.invalid") if owner else ("Thiết lập", "setup@example.invalid")
    git(repo, "-c", f"user.name={name}", "-c", f"user.email={email}", "add", str(path))
    git(repo, "-c", f"user.name={name}", "-c", f"user.email={email}", "commit", "-q", "-m", f"Thêm {title}")
    return path


def edit_data(client, rel: str) -> dict:
    """What the edit form would send back unchanged."""
    soup = BeautifulSoup(client.get(f"/bai/sua?tep={rel}").text, "html5lib")
    form = soup.find("form", id="article-form")
    data = {i["name"]: i.get("value", "") for i in form.find_all("input")
            if i.get("name") and i.get("type") != "checkbox" and i.get("form") != "none" and i["name"] != "related"}
    chosen = [o for o in form.find("select", id="category").find_all("option") if o.has_attr("selected")]
    data["category"] = chosen[0].text if chosen else ""
    data["body"] = form.find("textarea", id="body").text
    data["summary"] = form.find("textarea", id="summary").text
    return data


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def header(path: Path, key: str) -> str | None:
    for line in path.read_text(encoding="utf-8").split("\n\n", 1)[0].splitlines():
        if line.lower().startswith(key.lower() + ":"):
            return line.split(":", 1)[1].strip()
    return None


def vn(moment: datetime) -> str:
    """A datetime-local value in Vietnam time."""
    return (moment + timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M") if moment.tzinfo else moment.strftime("%Y-%m-%dT%H:%M")

